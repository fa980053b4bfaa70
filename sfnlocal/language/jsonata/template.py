"""JSON values with ``{% ... %}`` expressions anywhere inside: ``Output``, ``Arguments``, ``Assign``...

Every string that is an expression is compiled once, under the field name AWS gives it in its
messages: ``/key`` for each object member and ``[i]`` for each array item below the field
(``Output/a/b[0][1]``, ``Assign/x``). Everything else is a constant, shared between evaluations
(nothing downstream changes a payload in place).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sfnlocal.language.jsonata.bindings import Bindings
from sfnlocal.language.jsonata.expression import compile_expression, is_expression

Evaluator = Callable[[Bindings], Any]


class Template:
    """A compiled template; evaluating it gives a new JSON value.

    An expression anywhere inside that returns nothing fails with ``States.QueryEvaluationError``
    naming its own field, as AWS does.

    >>> import random
    >>> from sfnlocal.language.jsonata import QueryEvaluationFailure
    >>> t = compile_template({"a": [1, "{% $states.input.missing %}"]}, "Output")
    >>> try:
    ...     t.evaluate(Bindings({"input": {}, "context": {}}, {}, 0.0, random.Random(0)))
    ... except QueryEvaluationFailure as failure:
    ...     print(failure.cause)
    The JSONata expression '$states.input.missing' specified for the field 'Output/a[1]' returned nothing (undefined).
    >>> compile_template({"a": [1, "text"]}, "Output").is_constant
    True
    """

    __slots__ = ("_evaluate", "_value")

    def __init__(self, value: Any, evaluate: Evaluator | None) -> None:
        self._value = value
        self._evaluate = evaluate

    @property
    def is_constant(self) -> bool:
        """Whether the template holds no expression (its value is the same on every evaluation)."""
        return self._evaluate is None

    def evaluate(self, bindings: Bindings) -> Any:
        """The template's value with every expression evaluated."""
        return self._value if self._evaluate is None else self._evaluate(bindings)


def compile_template(value: Any, field: str) -> Template:
    """Compile a JSON value whose strings may be expressions; ``field`` is AWS's name for it (``Output``).

    >>> compile_template("{% 1 + %}", "Assign/x")
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonata.expression.JsonataSyntaxError: ... for the field 'Assign/x' is invalid: S0207: ...
    """
    return Template(value, _compile(value, field))


def _compile(value: Any, field: str) -> Evaluator | None:
    """The evaluator of one node, or ``None`` when the node is a constant."""
    if is_expression(value):
        return compile_expression(value, field).evaluate
    if isinstance(value, dict):
        return _compile_members(value, field)
    if isinstance(value, list):
        return _compile_items(value, field)
    return None


def _compile_members(value: dict[str, Any], field: str) -> Evaluator | None:
    members = [(key, _compile(member, f"{field}/{key}"), member) for key, member in value.items()]
    if all(evaluate is None for _, evaluate, _ in members):
        return None

    def evaluate_object(bindings: Bindings) -> dict[str, Any]:
        return {key: member if evaluate is None else evaluate(bindings) for key, evaluate, member in members}

    return evaluate_object


def _compile_items(value: list[Any], field: str) -> Evaluator | None:
    items = [(_compile(item, f"{field}[{index}]"), item) for index, item in enumerate(value)]
    if all(evaluate is None for evaluate, _ in items):
        return None

    def evaluate_array(bindings: Bindings) -> list[Any]:
        return [item if evaluate is None else evaluate(bindings) for evaluate, item in items]

    return evaluate_array
