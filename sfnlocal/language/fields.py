"""A state field evaluated in its state's query language: a JSONPath template or a JSONata template.

Both kinds compile once, at load, into a :class:`Field` with one way to evaluate it:
``field.evaluate(visit, dollar)``. A JSONPath template reads ``dollar`` as ``$`` (the effective input
for Parameters, the result for ResultSelector, ...) plus ``$$`` and variables; a JSONata template reads
``$states`` (input, result, errorOutput, context) and the variables from the visit, and ignores ``dollar``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from random import Random
from typing import TYPE_CHECKING, Any, Protocol

from sfnlocal.language.errors import DefinitionError, pointer
from sfnlocal.language.paths import Scope
from sfnlocal.language.payload import TemplateBound, compile_template, template_bound
from sfnlocal.language.state_fields import JSONATA, JSONPATH

if TYPE_CHECKING:
    from sfnlocal.language.jsonata import Bindings


class Visit(Protocol):
    """What evaluating a field reads from the visit of its state (the interpreter's
    :class:`~sfnlocal.interpreter.states.base.Visit` is one): the paths' scope, JSONata's bindings, the dice."""

    @property
    def rng(self) -> Random: ...

    def scope(self, state_input: Any) -> Scope: ...

    def jsonata_bindings(self, context: bool = True) -> Bindings: ...


class Field:
    """A compiled field; ``evaluate(visit, dollar)`` gives its value for one visit.

    ``expression`` is the compiled JSONata expression when the whole field is one ``{% ... %}`` string,
    so a state can word a wrong result type as AWS does (``expression.unexpected_type(...)``). ``bound`` bounds
    a JSONPath template's value by its ``$`` where it can (see :func:`~sfnlocal.language.payload.template_bound`).
    """

    __slots__ = ("name", "evaluate", "jsonata", "expression", "bound")

    def __init__(
        self,
        name: str,
        evaluate: Callable[[Visit, Any], Any],
        jsonata: bool,
        expression: Any = None,
        bound: TemplateBound | None = None,
    ) -> None:
        self.name = name
        self.evaluate = evaluate
        self.jsonata = jsonata
        self.expression = expression
        self.bound = bound

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {JSONATA if self.jsonata else JSONPATH})"


# ``$states`` read otherwise than as its input, result or error output (``$states.context``, ``$states``
# whole, ``$lookup($states, ...)``), or ``$eval``, which can read anything: such an expression may read the
# context object. The test runs on the text, strings included, so it errs only towards building the context.
_MAY_READ_CONTEXT = re.compile(
    r"\$eval\b|\$states(?![A-Za-z0-9_])(?!\s*\.\s*(?:input|result|errorOutput)(?![A-Za-z0-9_]))"
)


def may_read_context(value: Any) -> bool:
    """Whether a JSONata field may read the context object (``$states.context``), which the interpreter then
    builds for it; building it for every expression would cost more than evaluating most of them.

    >>> may_read_context({"a": "{% $states.input.a %}", "b": ["{% $x + 1 %}"]})
    False
    >>> may_read_context("{% $states.context.Execution.Id %}"), may_read_context("{% $keys($states) %}")
    (True, True)
    """
    if isinstance(value, str):
        return _MAY_READ_CONTEXT.search(value) is not None
    if isinstance(value, dict):
        return any(may_read_context(key) or may_read_context(item) for key, item in value.items())
    if isinstance(value, list):
        return any(may_read_context(item) for item in value)
    return False


_STATES_RESULT = re.compile(r"\$states\.result\b")
_STATES_ERROR_OUTPUT = re.compile(r"\$states\.errorOutput\b")


def check_jsonata_value(value: Any, location: str, result: bool, error_output: bool, assign: bool = False) -> None:
    """Refuse, at load, what a JSONata state's field cannot hold.

    ``$`` and ``$$`` cannot be used at the top level of an expression;
    ``$states.result`` exists only in the Output and Assign of Task, Map and Parallel states, and
    ``$states.errorOutput`` only in a Catcher's Output and Assign.

    >>> check_jsonata_value({"a": "{% $states.result %}"}, "/States/S/Output", False, False)
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.DefinitionError: /States/S/Output/a: $states.result is only available ...
    """
    from sfnlocal.language.jsonata import JsonataSyntaxError, compile_expression, is_expression

    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{location}{pointer(key)}"
            # In an Output a key ending in ".$" is a plain key (recorded by TestState); in an Assign it is the
            # JSONPath/JSONata mix AWS's variables post shows failing, so it is refused.
            if assign and isinstance(key, str) and key.endswith(".$"):
                raise DefinitionError(
                    here,
                    f"'{key}' is JSONPath syntax (a '.$' key, for a path or an intrinsic "
                    "function), which the Assign of a JSONata state cannot use; write the value "
                    "as a JSONata expression '{% ... %}' under the key without '.$'",
                )
            check_jsonata_value(item, here, result, error_output, assign)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_jsonata_value(item, f"{location}/{index}", result, error_output, assign)
    elif is_expression(value):
        try:
            reads_root = compile_expression(value, location).reads_root_context()
        except JsonataSyntaxError:
            reads_root = False  # compile_field reports the syntax error itself
        if reads_root:
            raise DefinitionError(
                location,
                "'$' and '$$' cannot be used at the top level of a JSONata expression "
                "in Step Functions: read the input as $states.input and the context object as "
                "$states.context",
            )
        if not result and _STATES_RESULT.search(value):
            raise DefinitionError(
                location,
                "$states.result is only available in the Output and Assign fields of Task, Map and Parallel states",
            )
        if not error_output and _STATES_ERROR_OUTPUT.search(value):
            raise DefinitionError(
                location, "$states.errorOutput is only available in the Output and Assign fields of a Catcher"
            )


def compile_field(
    value: Any, name: str, location: str, jsonata: bool, result: bool = False, error_output: bool = False
) -> Field:
    """Compile a field's value: ``name`` is how AWS names it in messages ("Output", "Arguments").

    ``result`` / ``error_output``: whether a JSONata field may read ``$states.result`` /
    ``$states.errorOutput``.

    >>> from random import Random
    >>> class FakeVisit:
    ...     rng = Random(0)
    ...     def scope(self, dollar): from sfnlocal.language.paths import Scope; return Scope(dollar)
    >>> parameters = compile_field({"id.$": "$.order"}, "Parameters", "/States/S/Parameters", False)
    >>> parameters.evaluate(FakeVisit(), {"order": 7})
    {'id': 7}
    """
    if jsonata:
        from sfnlocal.language.jsonata import JsonataSyntaxError, compile_expression, is_expression
        from sfnlocal.language.jsonata import compile_template as compile_jsonata

        check_jsonata_value(value, location, result, error_output, assign=name == "Assign")
        try:
            template = compile_jsonata(value, name)
            expression = compile_expression(value, name) if is_expression(value) else None
        except JsonataSyntaxError as err:
            raise DefinitionError(location, f"invalid JSONata in {name}: {err}") from None
        context = may_read_context(value)
        return Field(name, lambda visit, dollar: template.evaluate(visit.jsonata_bindings(context)), True, expression)
    evaluate = compile_template(value, location)
    return Field(
        name, lambda visit, dollar: evaluate(visit.scope(dollar), visit.rng), False, None, template_bound(value)
    )
