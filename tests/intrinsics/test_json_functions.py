"""States.StringToJson, States.JsonToString and States.JsonMerge."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .support import failure, run

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


# --- States.StringToJson ------------------------------------------------------------------------


def test_string_to_json_doc_example() -> None:
    assert run("States.StringToJson($.escapedJsonString)", {"escapedJsonString": '{"foo": "bar"}'}) == {"foo": "bar"}


def test_string_to_json_as_recorded_with_a_variable() -> None:
    assert run("States.StringToJson($jsonString)", {}, variables={"jsonString": '{"key":"value"}'}) == {"key": "value"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", 1), ("1.5", 1.5), ('[1,"a"]', [1, "a"]), ("null", None), ('"s"', "s"), (" true ", True)],
)
def test_string_to_json_of_any_json_text(text: str, expected: Any) -> None:
    assert run("States.StringToJson($.s)", {"s": text}) == expected


@pytest.mark.parametrize("text", ["", "   ", None])
def test_string_to_json_of_nothing_is_null(text: Any) -> None:
    assert run("States.StringToJson($.s)", {"s": text}) is None


@pytest.mark.parametrize("text", ["{", "{'a': 1}", "NaN", "[1,]", "abc"])
def test_string_to_json_of_invalid_text_fails(text: str) -> None:
    assert "not valid JSON" in failure("States.StringToJson($.s)", {"s": text})


def test_string_to_json_needs_a_string() -> None:
    assert "argument 1 must be a string" in failure("States.StringToJson($.s)", {"s": {"a": 1}})


# --- States.JsonToString ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (0, "0"),
        (1, "1"),
        (1.1, "1.1"),
        (True, "true"),
        ("HelloWorld", '"HelloWorld"'),
        ([1, 2, "HelloWorld"], '[1,2,"HelloWorld"]'),
        ({"Arg1": 1, "Arg2": []}, '{"Arg1":1,"Arg2":[]}'),
    ],
)
def test_json_to_string_as_recorded(value: Any, text: str) -> None:
    assert run("States.JsonToString($.FunctionInput)", {"FunctionInput": value}) == text


def test_json_to_string_keeps_non_ascii_characters() -> None:
    assert run("States.JsonToString($.v)", {"v": {"name": "Zoë"}}) == '{"name":"Zoë"}'


@given(_JSON)
def test_string_to_json_undoes_json_to_string(value: Any) -> None:
    assert run("States.StringToJson(States.JsonToString($.v))", {"v": value}) == value


# --- States.JsonMerge ---------------------------------------------------------------------------


def test_merge_doc_example() -> None:
    data = {"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}}
    assert run("States.JsonMerge($.json1, $.json2, false)", data) == {"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3}


def test_merge_as_recorded() -> None:
    data = {
        "FunctionInput": {
            "fst": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3},
            "snd": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4},
        }
    }
    assert run("States.JsonMerge($.FunctionInput.fst, $.FunctionInput.snd, false)", data) == {
        "a": {"a3": 1, "a4": 2},
        "b": 2,
        "c": 3,
        "d": 4,
    }


def test_merge_with_an_escaped_literal_as_recorded() -> None:
    text = (
        'States.JsonMerge(States.StringToJson(\'{"constant_in_literal": "false"}\'), '
        "$$.Execution.Input.input_field, false)"
    )
    context = {"Execution": {"Input": {"input_field": {"constant_input_field": "constant_value"}}}}
    assert run(text, {}, context) == {
        "constant_input_field": "constant_value",
        "constant_in_literal": "false",
    }


def test_deep_merge_is_not_supported() -> None:
    assert "only the shallow merging mode" in failure("States.JsonMerge($.a, $.a, true)", {"a": {}})


@pytest.mark.parametrize("flag", ["'false'", "0", "null"])
def test_merge_mode_must_be_a_boolean(flag: str) -> None:
    assert "argument 3 must be a boolean" in failure(f"States.JsonMerge($.a, $.a, {flag})", {"a": {}})


@pytest.mark.parametrize("other", [[1], "x", None, 1])
def test_merge_needs_objects(other: Any) -> None:
    assert "argument 2 must be an object" in failure("States.JsonMerge($.a, $.b, false)", {"a": {}, "b": other})
