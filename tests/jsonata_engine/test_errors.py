"""Every failure is States.QueryEvaluationError worded as AWS words it; invalid text fails at compile time."""

from __future__ import annotations

import pytest

from sfnlocal.language.errors import RuntimeFailure
from sfnlocal.language.jsonata import JsonataSyntaxError, QueryEvaluationFailure, compile_expression, is_expression

from .support import bindings, failure


def test_the_recorded_wordings() -> None:
    # Recorded on AWS: test_math_operations_jsonata.py::test_math_random_seeded and
    # test_error_output.py::test_map_catch_error (the cause after AWS's state prefix).
    assert failure(
        "$randomSeeded($states.input.FunctionInput.fst)", {"FunctionInput": "fst"}, field="Output/FunctionResult"
    ) == ("threw an error during evaluation. T1006: Attempted to invoke a non-function")
    assert failure("$stateError", field="Output/error") == "returned nothing (undefined)."


def test_a_failure_is_a_runtime_failure_with_the_field_as_its_location() -> None:
    expression = compile_expression("{% $missing %}", "Arguments/FunctionName")
    with pytest.raises(RuntimeFailure) as caught:
        expression.evaluate(bindings())
    assert isinstance(caught.value, QueryEvaluationFailure)
    assert caught.value.error == "States.QueryEvaluationError"
    assert caught.value.location == "Arguments/FunctionName"


def test_the_expression_is_quoted_as_written_inside_the_delimiters_without_surrounding_spaces() -> None:
    expression = compile_expression("{%   $x   %}", "Output")
    with pytest.raises(QueryEvaluationFailure) as caught:
        expression.evaluate(bindings())
    assert caught.value.cause == (
        "The JSONata expression '$x' specified for the field 'Output' returned nothing (undefined)."
    )


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        # The engine's code and message; "function" where jsonata-python says "Object".
        ("$sum('x')", "T0412: Argument 1 of function sum must be an array of n"),
        ("$sqrt(-1)", "D3060: The sqrt function cannot be applied to a negative number: -1"),
        ("1 + 'a'", "T2002: The right side of the + operator must evaluate to a number"),
        (
            "$single([1, 2])",
            "D3138: The $single() function expected exactly 1 matching result.  Instead it matched more.",
        ),
        # Bare Python exceptions of the engine, given the code JavaScript JSONata raises.
        ("1/0", "D1001: Number out of range: Infinity"),
        ("$power(100, 1000)", "D1001: Number out of range: Infinity"),
        ("$number('abc')", "D3030: Unable to cast value to a number: 'abc'"),
        ("$random('x')", "T0410: Argument 1 of function random does not match function signature"),
    ],
)
def test_evaluation_errors(text: str, detail: str) -> None:
    assert failure(text) == f"threw an error during evaluation. {detail}"


def test_deep_recursion_is_a_stack_overflow_error() -> None:
    cause = failure("($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(100000))")
    assert cause.startswith("threw an error during evaluation. D1011: Stack overflow.")


def test_unexpected_type_wording() -> None:
    # Recorded on AWS: test_base_scenarios.py::test_map_state_items_eval_jsonata_fail[...].
    cases = [
        ("1", 1, "number", "1"),
        ("true", True, "boolean", "true"),
        ("null", None, "null", "null"),
        ("'string'", "string", "string", '"string"'),
        ("{'foo': 'bar'}", {"foo": "bar"}, "object", '{"foo":"bar"}'),
    ]
    for text, value, kind, shown in cases:
        failure_ = compile_expression("{% " + text + " %}", "Items").unexpected_type("array", value)
        assert failure_.cause == (
            f"The JSONata expression '{text}' specified for the field 'Items' returned an unexpected result type. "
            f"Expected 'array', but was '{kind}' for value: {shown}"
        )
        assert failure_.location == "Items"


@pytest.mark.parametrize(
    "text", ["{% 1 + %}", "{% ( %}", "{% [1!2] %}", "{% %}", "{%%}", "{% 'unterminated %}", "{% 1e400 %}"]
)
def test_invalid_expressions_fail_at_compile_time(text: str) -> None:
    with pytest.raises(JsonataSyntaxError) as caught:
        compile_expression(text, "Assign/x")
    assert isinstance(caught.value, ValueError)
    assert caught.value.field == "Assign/x"
    assert str(caught.value).startswith(
        f"The JSONata expression '{text[2:-2].strip()}' specified for the field 'Assign/x' is invalid: "
    )


def test_compile_refuses_text_that_is_not_an_expression() -> None:
    with pytest.raises(JsonataSyntaxError):
        compile_expression("$states.input", "Output")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{% 1 %}", True),
        ("{%1%}", True),
        (" {% 1 %}", False),
        ("{% 1 %} ", False),
        ("{% 1", False),
        ("{%}", False),
        ("%}{%", False),
        ({"a": "{% 1 %}"}, False),
        (None, False),
    ],
)
def test_is_expression(value: object, expected: bool) -> None:
    # AWS docs: "the string must start with {% with no leading spaces, and must end with %} with no trailing spaces".
    assert is_expression(value) is expected
