"""Choice rules per operator family.

Expected values come from AWS's documentation of the Choice state ("Choice workflow state"), the
ASL specification (states-language.net), and the recorded AWS executions in ../shared/conformance
(the corpus test runs those; a few of their findings are restated here as unit cases, marked
"recorded").
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfnlocal.language.choice_rules import ChoiceRule, compile_rule
from sfnlocal.language.errors import DefinitionError, RuntimeFailure, StatesError
from sfnlocal.language.paths import Scope
from sfnlocal.language.timestamps import parse_timestamp

LOCATION = "/States/Check/Choices/0"


def rule(operator: str, operand: Any, variable: str = "$.v", **extra: Any) -> ChoiceRule:
    return compile_rule({"Variable": variable, operator: operand, "Next": "Match", **extra}, LOCATION)


def matches(operator: str, operand: Any, value: Any) -> bool:
    """Whether ``{"Variable": "$.v", operator: operand}`` matches the input ``{"v": value}``."""
    return rule(operator, operand).evaluate(Scope({"v": value}))


def matches_path(operator: str, value: Any, other: Any) -> bool:
    """Whether ``{"Variable": "$.v", operator + "Path": "$.w"}`` matches ``{"v": value, "w": other}``."""
    return rule(operator + "Path", "$.w").evaluate(Scope({"v": value, "w": other}))


# The example Choice state of the AWS docs, with its documented input and outcome.
DOCS_CHOICES = [
    {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
    {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
    {
        "And": [
            {"Variable": "$.value", "NumericGreaterThanEquals": 20},
            {"Variable": "$.value", "NumericLessThan": 30},
        ],
        "Next": "ValueInTwenties",
    },
]


def choose(choices: list[dict[str, Any]], state_input: Any) -> str | None:
    for i, choice in enumerate(choices):
        compiled = compile_rule(choice, f"/States/ChoiceStateX/Choices/{i}")
        if compiled.evaluate(Scope(state_input)):
            return compiled.next
    return None


@pytest.mark.parametrize(
    ("state_input", "expected"),
    [
        ({"type": "Private", "value": 22}, "ValueInTwenties"),  # the documented run
        ({"type": "Public", "value": 22}, "Public"),
        ({"type": "Private", "value": 0}, "ValueIsZero"),
        ({"type": "Private", "value": 30}, None),  # NumericLessThan 30 is strict: Default
    ],
)
def test_the_docs_example_choice_state(state_input: dict[str, Any], expected: str | None) -> None:
    assert choose(DOCS_CHOICES, state_input) == expected


def test_the_docs_example_fails_without_type() -> None:
    # Docs: "If the state input doesn't contain the $.type field, the execution fails".
    with pytest.raises(RuntimeFailure) as failure:
        choose(DOCS_CHOICES, {"value": 22})
    assert failure.value.error == "States.Runtime"


# --- strings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "operand", "value", "expected"),
    [
        ("StringEquals", "MyString", "MyString", True),  # docs example
        ("StringEquals", "MyString", "mystring", False),
        ("StringEquals", "Hello", "Hello", True),  # recorded
        ("StringEquals", "\t\r\n", "\t\n", False),  # recorded
        ("StringEquals", "     ", " ", False),  # recorded
        ("StringGreaterThan", "MyStringABC", "MyStringABD", True),  # docs example
        ("StringGreaterThan", "MyStringABC", "MyStringABC", False),
        ("StringGreaterThanEquals", "MyStringABC", "MyStringABC", True),
        ("StringLessThan", "AB", "A", True),  # recorded: a prefix sorts first
        ("StringLessThan", "", "", False),  # recorded
        ("StringLessThanEquals", "", "", True),  # recorded
        ("StringGreaterThanEquals", "A", "AB", True),  # recorded
        ("StringLessThan", "a", "B", True),  # Java compareTo: 'B' (66) < 'a' (97), no case folding
        # Java compareTo compares UTF-16 code units: U+1F600 is the pair D83D DE00, below U+FFFF.
        ("StringLessThan", "\uffff", "\U0001f600", True),
        ("StringGreaterThan", "\U0001f600", "\uffff", True),
    ],
)
def test_string_comparisons(operator: str, operand: str, value: str, expected: bool) -> None:
    assert matches(operator, operand, value) is expected


@pytest.mark.parametrize("value", [None, 0, 1.1, True, [], [""], {}, {"A": 0}])
def test_string_operators_never_match_a_non_string(value: Any) -> None:
    # Recorded: StringEquals "HelloWorld" on each of these values takes the Default branch.
    for operator in ("StringEquals", "StringLessThan", "StringGreaterThanEquals", "StringMatches"):
        assert matches(operator, "HelloWorld", value) is False


@pytest.mark.parametrize(
    ("value", "other", "operator", "expected"),
    [
        ("Hello", "Hello", "StringEquals", True),  # recorded
        (" ", "     ", "StringEquals", False),  # recorded
        ("A", "AB", "StringLessThan", True),  # recorded
        ("AB", "A", "StringLessThanEquals", False),  # recorded
        ("AB", "ABC", "StringGreaterThan", False),  # recorded
        ("A", "A ", "StringGreaterThan", False),  # recorded
        ("B", "A", "StringGreaterThanEquals", True),
        (1, "1", "StringEquals", False),  # a number is not a string
        ("1", 1, "StringEquals", False),
    ],
)
def test_string_path_comparisons(value: Any, other: Any, operator: str, expected: bool) -> None:
    assert matches_path(operator, value, other) is expected


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("log-*.txt", "log-2024.txt", True),  # docs example
        ("log-*.txt", "log-.txt", True),  # '*' matches zero characters
        ("log-*.txt", "log-2024.txt.gz", False),  # the whole value must match
        ("foo*.log", "foo23.log", True),  # spec examples
        ("*.log", "zorp.log", True),
        ("foo*.*", "foo.baz", True),
        ("*", "", True),
        ("a*b*c", "abc", True),
        ("a*b*c", "acb", False),
        ("a*a*a", "aa", False),  # pieces may not overlap
        ("*X*", "multi\nline X", True),  # '*' matches newlines too
        ("a?c", "abc", False),  # no other wildcard: '?' is literal
        ("a?c", "a?c", True),
        ("a.c", "abc", False),
        (r"a\*", "a*", True),  # spec: "\*" is a literal star
        (r"a\*", "ab", False),
        ("a\\\\", "a\\", True),  # spec: "\\" is a literal backslash
        ("a\\\\*", "a\\xyz", True),  # ... and the star after it is a wildcard again
        ("Hello", "Hello", True),
        ("Hello", "hello", False),
    ],
)
def test_string_matches(pattern: str, value: str, expected: bool) -> None:
    assert matches("StringMatches", pattern, value) is expected


# --- numbers and booleans ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "operand", "value", "expected"),
    [
        ("NumericEquals", 1, 1, True),  # docs example
        ("NumericEquals", 1, 1.0, True),  # recorded
        ("NumericEquals", 1.0, 1, True),  # recorded
        ("NumericEquals", 0, 0.0, True),  # recorded
        ("NumericEquals", 2.22, 2.22, True),  # recorded
        ("NumericEquals", 1, 1.1, False),  # recorded
        ("NumericEquals", 1, True, False),  # recorded: a boolean is not a number
        ("NumericEquals", 0, False, False),  # recorded
        ("NumericEquals", 0, None, False),  # recorded
        ("NumericEquals", 0, "", False),  # recorded
        ("NumericEquals", 1, "1", False),
        ("NumericEquals", 0, [], False),  # recorded
        ("NumericEquals", 0, {"A": 0}, False),  # recorded
        ("NumericGreaterThan", 0, 1, True),  # recorded
        ("NumericGreaterThan", 1, 1, False),  # recorded
        ("NumericGreaterThanEquals", 20, 22, True),  # docs example
        ("NumericLessThan", 30, 22, True),  # docs example
        ("NumericLessThan", 1, 0, True),  # recorded
        ("NumericLessThanEquals", 0, 0.0, True),  # recorded
        ("NumericLessThanEquals", 0, 1, False),  # recorded
        ("NumericLessThan", 1, True, False),
        ("NumericLessThan", -1.5, -2, True),
    ],
)
def test_numeric_comparisons(operator: str, operand: float, value: Any, expected: bool) -> None:
    assert matches(operator, operand, value) is expected


@pytest.mark.parametrize(
    ("value", "other", "operator", "expected"),
    [
        (1, 1.0, "NumericEquals", True),  # recorded
        (True, 1, "NumericEquals", False),  # recorded
        (0.0, 0, "NumericEquals", True),  # recorded
        (1, 0, "NumericGreaterThan", True),  # recorded
        (0, 0, "NumericGreaterThanEquals", True),  # recorded
        (0, 1, "NumericLessThan", True),  # recorded
        (1, 1, "NumericLessThanEquals", True),
        (1, "1", "NumericEquals", False),  # the right-hand side must be a number too
        (1, True, "NumericEquals", False),
    ],
)
def test_numeric_path_comparisons(value: Any, other: Any, operator: str, expected: bool) -> None:
    assert matches_path(operator, value, other) is expected


@pytest.mark.parametrize(
    ("value", "other", "expected"),
    [
        (True, True, True),  # recorded
        (False, False, True),  # recorded
        (False, True, False),  # recorded
        (1, True, False),  # recorded
        (0, False, False),  # recorded
        ("true", True, False),  # recorded ("HelloWorld", "" and null likewise)
        (None, False, False),  # recorded
    ],
)
def test_boolean_equals(value: Any, other: bool, expected: bool) -> None:
    assert matches("BooleanEquals", other, value) is expected
    assert matches_path("BooleanEquals", value, other) is expected


def test_boolean_rules_from_the_recorded_unsorted_parameters_case() -> None:
    # Recorded: keys in any order; {"result": {"done": false}} goes to FinishFalse.
    choices = [
        {"BooleanEquals": True, "Next": "FinishTrue", "Variable": "$.result.done"},
        {"BooleanEquals": False, "Next": "FinishFalse", "Variable": "$.result.done"},
    ]
    assert choose(choices, {"result": {"done": False}}) == "FinishFalse"
    assert choose(choices, {"result": {"done": True}}) == "FinishTrue"


# --- timestamps -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "operand", "value", "expected"),
    [
        ("TimestampEquals", "2001-01-01T12:00:00Z", "2001-01-01T12:00:00Z", True),  # docs example
        ("TimestampEquals", "2001-01-01T12:00:00Z", "2001-01-01T13:00:00+01:00", True),  # same instant
        ("TimestampEquals", "2001-01-01T12:00:00Z", "2001-01-01T07:30:00-04:30", True),
        ("TimestampEquals", "2001-01-01T12:00:00Z", "2001-01-01T12:00:00.000Z", True),
        ("TimestampEquals", "2001-01-01T12:00:00Z", "2001-01-01T12:00:00.001Z", False),
        ("TimestampLessThan", "2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", True),  # recorded
        ("TimestampLessThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", False),  # recorded
        ("TimestampLessThanEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", True),  # recorded
        ("TimestampGreaterThanEquals", "2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", False),  # recorded
        ("TimestampGreaterThan", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55.5Z", True),
        ("TimestampGreaterThan", "2012-10-09T19:00:55Z", "2012-10-09T20:00:55+01:00", False),
        # Not timestamps (docs: uppercase T and Z; RFC 3339 needs a zone): never match.
        ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09T19:00:55", False),
        ("TimestampEquals", "2012-10-09T19:00:55Z", "2012-10-09 19:00:55Z", False),
        ("TimestampLessThan", "2012-10-09T19:00:55Z", "yesterday", False),
        ("TimestampLessThan", "2012-10-09T19:00:55Z", 0, False),
        ("TimestampLessThan", "2012-10-09T19:00:55Z", None, False),
    ],
)
def test_timestamp_comparisons(operator: str, operand: str, value: Any, expected: bool) -> None:
    assert matches(operator, operand, value) is expected


@pytest.mark.parametrize(
    ("value", "other", "operator", "expected"),
    [
        ("2012-10-09T19:00:55Z", "2012-10-09T19:00:55Z", "TimestampEquals", True),  # recorded
        ("2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", "TimestampEquals", False),  # recorded
        ("2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", "TimestampGreaterThanEquals", False),  # recorded
        ("2012-10-09T19:00:55Z", "2012-10-09T19:00:56Z", "TimestampGreaterThan", False),  # recorded
        ("2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", "TimestampLessThanEquals", False),  # recorded
        ("2012-10-09T19:00:56Z", "2012-10-09T19:00:55Z", "TimestampLessThan", False),  # recorded
        ("2012-10-09T19:00:55Z", "not a timestamp", "TimestampLessThan", False),
    ],
)
def test_timestamp_path_comparisons(value: Any, other: Any, operator: str, expected: bool) -> None:
    assert matches_path(operator, value, other) is expected


def test_a_lowercase_t_or_z_is_not_a_timestamp() -> None:
    # Docs: "An uppercase T must separate the date and time portions. An uppercase Z must denote
    # that a numeric time zone offset isn't present."
    for text in ("2012-10-09t19:00:55Z", "2012-10-09T19:00:55z"):
        assert matches("IsTimestamp", False, text)


def test_a_timestamp_is_also_a_string() -> None:
    # Docs: "because timestamp fields are logically strings, ... a field considered to be a
    # timestamp can be matched by a StringEquals comparator".
    assert matches("StringEquals", "2016-08-18T17:33:00Z", "2016-08-18T17:33:00Z")


# AWS refused each of these as a Wait state's Timestamp with "String does not match RFC3339
# timestamp" (recorded in ../shared/conformance/validation).
REFUSED_TIMESTAMPS = [
    "2016-13-05T21:29:29Z",
    "05-12-2016T21:29:29Z",
    "2016-12-05T25:29:29Z",
    "2016-12-05 21:29:29Z",
    "2016-12-05T21:29:29",
    "{% '2016-03-14T01:59:00Z' %}",
]


@pytest.mark.parametrize("text", REFUSED_TIMESTAMPS)
def test_timestamps_aws_refuses_are_not_timestamps(text: str) -> None:
    assert parse_timestamp(text) is None
    assert matches("IsTimestamp", True, text) is False
    with pytest.raises(DefinitionError) as error:
        rule("TimestampEquals", text)
    assert error.value.location == LOCATION + "/TimestampEquals"
    assert "String does not match RFC3339 timestamp" in error.value.message


# --- type tests -------------------------------------------------------------------------------

TYPE_TEST_VALUES: list[Any] = [
    None,
    "",
    " ",
    "HelloWorld",
    "2012-10-09T19:00:55",
    "2012-10-09T19:00:55Z",
    "2012-10-09T19:00:55+01:00",
    "2023-02-24",
    [],
    [""],
    {},
    {"A": 0},
    0,
    0.0,
    1,
    1.1,
    True,
    False,
]


@pytest.mark.parametrize("value", TYPE_TEST_VALUES)
def test_type_tests(value: Any) -> None:
    # The recorded cases cover IsNull, IsString, IsBoolean, IsPresent over these exact values.
    assert matches("IsNull", True, value) is (value is None)
    assert matches("IsString", True, value) is isinstance(value, str)
    assert matches("IsBoolean", True, value) is isinstance(value, bool)
    assert matches("IsNumeric", True, value) is (type(value) in (int, float))
    assert matches("IsPresent", True, value) is True
    timestamps = ("2012-10-09T19:00:55Z", "2012-10-09T19:00:55+01:00")  # a zone is required
    assert matches("IsTimestamp", True, value) is (value in timestamps)
    for operator in ("IsNull", "IsString", "IsBoolean", "IsNumeric", "IsPresent", "IsTimestamp"):
        assert matches(operator, False, value) is not matches(operator, True, value)


def test_is_null_docs_example() -> None:
    rule_ = compile_rule({"Variable": "$.possiblyNullValue", "IsNull": True, "Next": "Null"}, LOCATION)
    assert rule_.evaluate(Scope({"possiblyNullValue": None}))
    assert not rule_.evaluate(Scope({"possiblyNullValue": 0}))


def test_is_present_guards_the_rules_after_it() -> None:
    # Docs: the StringEquals rule is only evaluated when $.keyThatMightNotExist exists.
    guarded = compile_rule(
        {
            "And": [
                {"Variable": "$.keyThatMightNotExist", "IsPresent": True},
                {"Variable": "$.keyThatMightNotExist", "StringEquals": "foo"},
            ],
            "Next": "Foo",
        },
        LOCATION,
    )
    assert guarded.evaluate(Scope({})) is False
    assert guarded.evaluate(Scope({"keyThatMightNotExist": "foo"})) is True


@pytest.mark.parametrize(
    ("variable", "state_input"),
    [
        ("$.missing", {}),
        ("$.a.b", {}),  # through a missing parent
        ("$.a.b", {"a": "text"}),  # through a scalar
        ("$.a[3]", {"a": [1, 2]}),  # past the end of an array
        ("$$.Execution.Name", None),  # no context object
        ("$notAssigned", None),  # a variable never assigned
    ],
)
def test_is_present_is_false_for_what_a_path_does_not_select(variable: str, state_input: Any) -> None:
    scope = Scope(state_input if state_input is not None else {}, None, {})
    assert rule("IsPresent", False, variable=variable).evaluate(scope)
    assert not rule("IsPresent", True, variable=variable).evaluate(scope)


# --- missing values ---------------------------------------------------------------------------

# The cause AWS reports for a Choice path that selects nothing. The docs say such an execution
# fails; the wording is as AWS users have reported it (no recorded case covers it).
MISSING_CAUSE = "Invalid path '{}': The choice state's condition path references an invalid value."


@pytest.mark.parametrize(
    "operator, operand",
    [
        ("StringEquals", "x"),
        ("NumericLessThan", 1),
        ("BooleanEquals", True),
        ("TimestampEquals", "2001-01-01T12:00:00Z"),
        ("StringMatches", "*"),
        ("IsNull", True),
        ("IsString", False),
        ("StringEqualsPath", "$.other"),
        ("NumericGreaterThanPath", "$.other"),
    ],
)
def test_a_missing_variable_fails_the_state(operator: str, operand: Any) -> None:
    with pytest.raises(RuntimeFailure) as failure:
        rule(operator, operand, variable="$.missing").evaluate(Scope({"other": 1}))
    assert failure.value.error == "States.Runtime"
    assert failure.value.cause == MISSING_CAUSE.format("$.missing")


def test_a_missing_path_operand_fails_the_state() -> None:
    with pytest.raises(RuntimeFailure) as failure:
        rule("NumericEqualsPath", "$.missing").evaluate(Scope({"v": 1}))
    assert failure.value.error == "States.Runtime"
    assert failure.value.cause == MISSING_CAUSE.format("$.missing")


def test_an_unassigned_variable_reference_fails_the_state() -> None:
    with pytest.raises(RuntimeFailure) as failure:
        rule("StringEquals", "x", variable="$undefinedVariable").evaluate(Scope({}, None, {"other": 1}))
    assert failure.value.cause == MISSING_CAUSE.format("$undefinedVariable")


def test_or_stops_at_the_first_match_and_not_negates() -> None:
    either = compile_rule(
        {"Or": [{"Variable": "$.a", "IsPresent": True}, {"Variable": "$.missing", "StringEquals": "x"}], "Next": "N"},
        LOCATION,
    )
    assert either.evaluate(Scope({"a": 1})) is True  # the failing rule is never reached
    with pytest.raises(RuntimeFailure):
        either.evaluate(Scope({}))
    negated = compile_rule({"Not": {"Variable": "$.a", "NumericEquals": 1}, "Next": "N"}, LOCATION)
    assert negated.evaluate(Scope({"a": 2})) and not negated.evaluate(Scope({"a": 1}))


def test_singleton_and_is_its_rule() -> None:
    # Recorded (CHOICE_STATE_SINGLETON_COMPOSITE): an And with one rule.
    single = compile_rule({"And": [{"Variable": "$.type", "StringEquals": "Public"}], "Next": "Public"}, LOCATION)
    assert single.evaluate(Scope({"type": "Public", "value": 22}))


# --- where values come from -------------------------------------------------------------------


def test_variable_and_operand_read_workflow_variables_and_the_context_object() -> None:
    # Recorded: "$guess" StringEqualsPath "$answer"; "$$.Execution.Input.input-value" NumericLessThanEquals 0.
    same = compile_rule({"Variable": "$guess", "StringEqualsPath": "$answer", "Next": "Correct"}, LOCATION)
    assert same.evaluate(Scope({}, None, {"guess": "the_answer", "answer": "the_answer"}))
    assert not same.evaluate(Scope({}, None, {"guess": "the_guess", "answer": "the_answer"}))
    context = compile_rule(
        {"Variable": "$$.Execution.Input.input-value", "NumericLessThanEquals": 0, "Next": "Matched"}, LOCATION
    )
    assert context.evaluate(Scope({}, {"Execution": {"Input": {"input-value": 0}}}))


def test_the_whole_input_can_be_the_variable() -> None:
    assert compile_rule({"Variable": "$", "StringEquals": "No messages", "Next": "Done"}, LOCATION).evaluate(
        Scope("No messages")
    )


# --- malformed rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_dict", "top_level", "location", "words"),
    [
        ({"Variable": "$.a", "StringEquals": "x"}, True, "", "'Next' is required"),
        ({"Variable": "$.a", "StringEquals": "x", "Next": 3}, True, "/Next", "the number 3"),
        ({"Variable": "$.a", "StringEquals": "x", "Next": "N"}, False, "/Next", "only allowed in a top-level"),
        ({"Variable": "$.a", "StringEquals": "x", "Assign": {}}, False, "/Assign", "only allowed in a top-level"),
        ({"Variable": "$.a", "Next": "N"}, True, "", "needs a 'Variable' and one comparison operator"),
        ({"Next": "N"}, True, "", "needs a 'Variable'"),
        ({"StringEquals": "x", "Next": "N"}, True, "", "'Variable' is required"),
        ({"Variable": "$.a", "StringEqual": "x", "Next": "N"}, True, "/StringEqual", "did you mean 'StringEquals'"),
        (
            {"Variable": "$.a", "StringEquals": "x", "NumericEquals": 1, "Next": "N"},
            True,
            "",
            "'StringEquals', 'NumericEquals'",
        ),
        (
            {"Variable": "$.a", "And": [{"Variable": "$.a", "IsNull": True}], "Next": "N"},
            True,
            "/Variable",
            "cannot be used with 'And'",
        ),
        ({"And": [], "Next": "N"}, True, "/And", "non-empty array"),
        ({"Or": {"Variable": "$.a", "IsNull": True}, "Next": "N"}, True, "/Or", "non-empty array"),
        ({"Not": [{"Variable": "$.a", "IsNull": True}], "Next": "N"}, True, "/Not", "single Choice Rule"),
        (
            {"And": [{"Variable": "$.a", "IsNull": True, "Next": "N"}], "Next": "N"},
            True,
            "/And/0/Next",
            "only allowed in a top-level",
        ),
        (
            {"Not": {"Or": [{"Variable": "$.a", "IsNull": "yes"}]}, "Next": "N"},
            True,
            "/Not/Or/0/IsNull",
            "true or false",
        ),
        ({"Condition": "{% true %}", "Next": "N"}, True, "/Condition", "JSONata"),
        ({"Variable": "a", "StringEquals": "x", "Next": "N"}, True, "/Variable", "must start with '$'"),
        ({"Variable": "$.a[*]", "StringEquals": "x", "Next": "N"}, True, "/Variable", "not a valid Reference Path"),
        ({"Variable": 5, "StringEquals": "x", "Next": "N"}, True, "/Variable", "the number 5"),
        ({"Variable": "$.a", "StringEqualsPath": "$..b", "Next": "N"}, True, "/StringEqualsPath", "Reference Path"),
        ({"Variable": "$.a", "StringEqualsPath": 1, "Next": "N"}, True, "/StringEqualsPath", "the number 1"),
        ({"Variable": "$.a", "StringEquals": 1, "Next": "N"}, True, "/StringEquals", "must be a string"),
        ({"Variable": "$.a", "StringMatches": None, "Next": "N"}, True, "/StringMatches", "null"),
        ({"Variable": "$.a", "NumericEquals": True, "Next": "N"}, True, "/NumericEquals", "must be a number"),
        ({"Variable": "$.a", "NumericLessThan": "1", "Next": "N"}, True, "/NumericLessThan", 'the string "1"'),
        ({"Variable": "$.a", "BooleanEquals": 1, "Next": "N"}, True, "/BooleanEquals", "must be a boolean"),
        (
            {"Variable": "$.a", "TimestampLessThan": 1, "Next": "N"},
            True,
            "/TimestampLessThan",
            "must be a timestamp string",
        ),
        ({"Variable": "$.a", "IsPresent": "true", "Next": "N"}, True, "/IsPresent", "true or false"),
        ({"Variable": "$.a", "IsNull": True, "Comment": 1, "Next": "N"}, True, "/Comment", "must be a string"),
        (["Variable", "$.a"], True, "", "must be a JSON object, but it is an array"),
    ],
)
def test_malformed_rules_are_refused_at_the_field(rule_dict: Any, top_level: bool, location: str, words: str) -> None:
    with pytest.raises(DefinitionError) as error:
        compile_rule(rule_dict, LOCATION, top_level=top_level)
    assert error.value.location == LOCATION + location
    assert words in error.value.message


def test_a_field_name_is_escaped_in_the_location() -> None:
    with pytest.raises(DefinitionError) as error:
        compile_rule({"Variable": "$.a", "IsNull": True, "Next": "N", "a/b": 1}, LOCATION)
    assert error.value.location == LOCATION + "/a~1b"


def test_accepted_extras_on_a_top_level_rule() -> None:
    # Recorded (test_assign_in_choice_state): a top-level rule may carry Assign; Comment is allowed too.
    compiled = rule("IsPresent", False, Assign={"status": "UNKNOWN"}, Comment="guard")
    assert compiled.next == "Match" and compiled.evaluate(Scope({}))


def test_a_nested_rule_has_no_next() -> None:
    nested = compile_rule({"Variable": "$.a", "IsNull": True}, LOCATION + "/And/0", top_level=False)
    assert nested.next is None


def test_compiling_does_not_change_the_rule() -> None:
    original = {
        "And": [{"Variable": "$.a", "StringMatches": "x*"}, {"Not": {"Variable": "$.b", "IsNull": True}}],
        "Next": "N",
        "Assign": {"x": [1]},
    }
    kept = copy.deepcopy(original)
    compile_rule(original, LOCATION).evaluate(Scope({"a": "xy", "b": 1}))
    assert original == kept


# --- properties -------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.sampled_from(
        ["2016-03-14T01:59:00Z", "2016-03-14T01:59:00.123+05:30", "2016-02-30T00:00:00Z", "\ud800 lone surrogate", "m"]
    ),  # json.loads('"\\ud800"') gives a lone surrogate
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=8,
)

LITERALS = {"String": "m", "Numeric": 1, "Timestamp": "2016-03-14T01:59:00Z", "Boolean": True}
RELATIONS = ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"]
EVERY_OPERATOR_RULE = [
    *(
        {"Variable": "$.a", f"{family}{relation}": literal}
        for family, literal in LITERALS.items()
        for relation in RELATIONS
        if family != "Boolean" or relation == "Equals"
    ),
    *(
        {"Variable": "$.a", f"{family}{relation}Path": "$.b"}
        for family in LITERALS
        for relation in RELATIONS
        if family != "Boolean" or relation == "Equals"
    ),
    *(
        {"Variable": "$.a", test: expected}
        for test in ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp")
        for expected in (True, False)
    ),
    {"Variable": "$.a", "StringMatches": "*a\\*b*"},
    {"Variable": "$.a.b[0]", "IsPresent": True},
    {"Variable": "$var", "NumericEqualsPath": "$$.c"},
]
COMPILED = [compile_rule({"And": [r], "Next": "N"}, LOCATION) for r in EVERY_OPERATOR_RULE]


@given(st.dictionaries(st.sampled_from(["a", "b"]), json_values) | json_values, json_values, json_values)
def test_no_json_input_makes_evaluate_raise_anything_but_a_states_error(
    state_input: Any, variable: Any, context: Any
) -> None:
    for compiled, source in zip(COMPILED, EVERY_OPERATOR_RULE, strict=True):
        try:
            result = compiled.evaluate(Scope(state_input, context, {"var": variable}))
        except StatesError:
            continue
        assert isinstance(result, bool), source
        assert (
            compile_rule({"Not": source, "Next": "N"}, LOCATION).evaluate(
                Scope(state_input, context, {"var": variable})
            )
            is not result
        )


@given(st.text(), st.text(), st.text())
def test_a_star_in_place_of_any_middle_matches(prefix: str, middle: str, suffix: str) -> None:
    # Spec: '*' matches zero or more characters; everything else is literal once escaped.
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("*", "\\*")

    assert matches("StringMatches", escape(prefix) + "*" + escape(suffix), prefix + middle + suffix)
    assert matches("StringMatches", escape(prefix + middle + suffix), prefix + middle + suffix)


@given(
    st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"])),
    st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"])),
)
def test_strings_within_the_bmp_order_by_code_point(left: str, right: str) -> None:
    # Java's compareTo orders by UTF-16 unit, which is code point order inside the BMP.
    assert matches("StringLessThan", right, left) is (left < right)
    assert matches("StringGreaterThanEquals", right, left) is (left >= right)


@given(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59),
)
def test_one_instant_written_with_any_offset_is_one_timestamp(moment: datetime, offset_minutes: int) -> None:
    utc = moment.replace(tzinfo=UTC)
    zulu = moment.isoformat(timespec="microseconds") + "Z"
    offset = timezone(timedelta(minutes=offset_minutes))
    with_offset = utc.astimezone(offset).isoformat(timespec="microseconds")
    assert matches("TimestampEquals", zulu, with_offset)
    assert not matches("TimestampLessThan", zulu, with_offset)
    assert matches("TimestampGreaterThan", zulu, (utc + timedelta(seconds=1)).isoformat())
