"""One ``{% ... %}`` expression: compiled once, evaluated with AWS's wording for every failure.

The engine (jsonata-python) is imported on the first compilation, not with this module: loading a
JSONPath-only definition never pays for it. Importing it leaves the process's recursion limit as it was
(:mod:`sfnlocal.language.jsonata.library`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sfnlocal.language.errors import QUERY_EVALUATION_ERROR, RuntimeFailure
from sfnlocal.language.jsonata.bindings import Bindings
from sfnlocal.language.jsonata.outcome import UNDEFINED, EvaluationProblem, UnsupportedResult
from sfnlocal.language.jsontext import compact_json, json_type_name

if TYPE_CHECKING:
    from sfnlocal.language.jsonata.engine import CompiledQuery

_OPEN, _CLOSE = "{%", "%}"


def is_expression(value: Any) -> bool:
    """Whether a value is a JSONata expression: a string that starts with ``{%`` and ends with ``%}``.

    AWS reads no spaces around the delimiters: ``" {% 1 %}"`` is a plain string.

    >>> is_expression("{% $states.input %}"), is_expression(" {% 1 %}"), is_expression("{%}"), is_expression(1)
    (True, False, False, False)
    """
    return (
        isinstance(value, str)
        and len(value) >= len(_OPEN) + len(_CLOSE)
        and value.startswith(_OPEN)
        and value.endswith(_CLOSE)
    )


class JsonataSyntaxError(ValueError):
    """An expression JSONata cannot parse, found when the definition is loaded.

    >>> err = JsonataSyntaxError("1 +", "Output", "S0207: Unexpected end of expression")
    >>> str(err)
    "The JSONata expression '1 +' specified for the field 'Output' is invalid: S0207: Unexpected end of expression"
    >>> err.field, err.source
    ('Output', '1 +')
    """

    def __init__(self, source: str, field: str, detail: str) -> None:
        super().__init__(f"The JSONata expression '{source}' specified for the field '{field}' is invalid: {detail}")
        self.source = source
        self.field = field
        self.detail = detail


class QueryEvaluationFailure(RuntimeFailure):
    """``States.QueryEvaluationError`` for one field; ``location`` is the field, as in the ``EvaluationFailed`` event.

    >>> failure = QueryEvaluationFailure("Items", "The JSONata expression '1' ...")
    >>> failure.error, failure.location
    ('States.QueryEvaluationError', 'Items')
    """

    def __init__(self, location: str | None, cause: str) -> None:
        super().__init__(QUERY_EVALUATION_ERROR, cause)
        self.location = location  # None where the failure is not about one field (a Map input that is no array)


class Expression:
    """A compiled ``{% ... %}`` expression of one field.

    >>> import random
    >>> expr = compile_expression("{% $states.input.a + 1 %}", "Output/v")
    >>> expr.evaluate(Bindings({"input": {"a": 41}, "context": {}}, {}, 0.0, random.Random(0)))
    42
    >>> expr.source, expr.field
    ('$states.input.a + 1', 'Output/v')
    """

    __slots__ = ("source", "field", "_query")

    def __init__(self, source: str, field: str, query: CompiledQuery) -> None:
        self.source = source
        self.field = field
        self._query = query

    def __repr__(self) -> str:
        return f"Expression({self.source!r}, field={self.field!r})"

    def reads_root_context(self) -> bool:
        """Whether the expression uses ``$``/``$$`` at its top level (see CompiledQuery.reads_root_context)."""
        return self._query.reads_root_context()

    def evaluate(self, bindings: Bindings) -> Any:
        """The value, a plain JSON value owned by the caller; an undefined result is an error, as on AWS."""
        value = self.evaluate_optional(bindings)
        if value is UNDEFINED:
            raise self.failure("returned nothing (undefined).")
        return value

    def evaluate_optional(self, bindings: Bindings) -> Any:
        """The value, or :data:`UNDEFINED` when the expression produced nothing."""
        try:
            return self._query.evaluate(bindings)
        except EvaluationProblem as problem:
            raise self.failure(f"threw an error during evaluation. {problem}") from None
        except UnsupportedResult:
            raise self.failure("returned an unsupported result type.") from None

    def unexpected_type(self, expected: str, value: Any) -> QueryEvaluationFailure:
        """The failure for a result of the wrong type, for the field to raise (e.g. ``Items`` wants an array).

        >>> import random
        >>> expr = compile_expression("{% 1 %}", "Items")
        >>> print(expr.unexpected_type("array", 1).cause)
        The JSONata expression '1' specified for the field 'Items' returned an unexpected result type.
        Expected 'array', but was 'number' for value: 1
        """
        return self.failure(
            f"returned an unexpected result type. Expected '{expected}', but was '{json_type_name(value)}' "
            f"for value: {compact_json(value)}"
        )

    def failure(self, what: str) -> QueryEvaluationFailure:
        """``States.QueryEvaluationError`` worded as AWS words it for this expression and field."""
        return QueryEvaluationFailure(
            self.field, f"The JSONata expression '{self.source}' specified for the field '{self.field}' {what}"
        )


def compile_expression(text: str, field: str) -> Expression:
    """Compile a ``{% ... %}`` string of the field ``field`` (AWS's name, e.g. ``Arguments/FunctionName``).

    Raises :class:`JsonataSyntaxError` when the text is not an expression JSONata can parse.

    >>> compile_expression("{%  $states.input  %}", "Output").source
    '$states.input'
    >>> compile_expression("{% 1 + %}", "Output")
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonata.expression.JsonataSyntaxError: The JSONata expression '1 +' ... S0207: Unexpected end ...
    """
    if not is_expression(text):
        raise JsonataSyntaxError(str(text), field, "a JSONata expression must start with '{%' and end with '%}'")
    source = text[len(_OPEN) : -len(_CLOSE)].strip()
    try:
        query = _parse(source)
    except EvaluationProblem as problem:
        raise JsonataSyntaxError(source, field, str(problem)) from None
    return Expression(source, field, query)


@lru_cache(maxsize=4096)
def _parse(source: str) -> CompiledQuery:
    """One parse per distinct expression text: load-time checks and the field's template share it."""
    from sfnlocal.language.jsonata import engine  # the engine loads on first use: see the module docstring

    return engine.CompiledQuery(source)
