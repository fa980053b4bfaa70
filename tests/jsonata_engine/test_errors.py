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
        # AWS quotes the inserts of JSONata's messages as JSON: measured on AWS, floci-io/floci#2668
        # ('T0412: Argument 1 of function "sum" must be an array of "numbers"') and #2783
        # ('T0410: Argument 1 of function "abs" does not match function signature').
        ("$sum('x')", 'T0412: Argument 1 of function "sum" must be an array of "numbers"'),
        ("$abs('x')", 'T0410: Argument 1 of function "abs" does not match function signature'),
        # The rest as jsonata-js 2.0.6 (the version AWS documents) words them, run on the same expressions.
        ("$sqrt(-1)", "D3060: The sqrt function cannot be applied to a negative number: -1"),
        ("1 + 'a'", 'T2002: The right side of the "+" operator must evaluate to a number'),
        (
            "$single([1, 2])",
            "D3138: The $single() function expected exactly 1 matching result.  Instead it matched more.",
        ),
        ("'a' < 1", 'T2009: The values "a" and 1 either side of operator "<" must be of the same data type'),
        ("(1/0) + 1", "D1001: Number out of range: null"),
        (
            "$power(100, 1000)",
            "D3061: The power function has resulted in a value that cannot be represented as a JSON number: "
            "base=100, exponent=1000",
        ),
        (
            "$power(-8, 0.5)",
            "D3061: The power function has resulted in a value that cannot be represented as a JSON number: "
            "base=-8, exponent=0.5",
        ),
        ("$number('abc')", 'D3030: Unable to cast value to a number: "abc"'),
        ("$number(' 1')", 'D3030: Unable to cast value to a number: " 1"'),
        ("$number(null)", 'T0410: Argument 1 of function "number" does not match function signature'),
        (
            "$toMillis('foo')",
            'D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given "foo"',
        ),
        ("$formatBase(10, 1)", "D3100: The radix of the formatBase function must be between 2 and 36.  It was given 1"),
        ("-'a'", 'D1002: Cannot negate a non-numeric value: "a"'),
        ("{'a': 1, 'a': 2}", 'D1009: Multiple key definitions evaluate to same key: "a"'),
        ("$random('x')", 'T0410: Argument 1 of function "random" does not match function signature'),
        ("$count([1], 2)", 'T0410: Argument 2 of function "count" does not match function signature'),
        # An explicit null is null to a signature, not undefined (jsonata-js: T0410, T0412).
        ("$abs(null)", 'T0410: Argument 1 of function "abs" does not match function signature'),
        ("$sum(null)", 'T0412: Argument 1 of function "sum" must be an array of "numbers"'),
        ("$substring('abc')", 'T0410: Argument 2 of function "substring" does not match function signature'),
    ],
)
def test_evaluation_errors(text: str, detail: str) -> None:
    assert failure(text) == f"threw an error during evaluation. {detail}"


def test_a_context_value_of_the_wrong_type_is_named_with_the_function() -> None:
    # jsonata-js 2.0.6: the template's inserts are the argument's index and the function's name.
    assert failure("$states.input.n.$uppercase()", {"n": 1}) == (
        "threw an error during evaluation. "
        'T0411: Context value is not a compatible type with argument 1 of function "uppercase"'
    )


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
