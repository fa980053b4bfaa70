"""Properties: whatever the text and the input, the engine fails only in the two ways the interpreter handles."""

from __future__ import annotations

import importlib
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sfnlocal.language.errors import StatesError
from sfnlocal.language.jsonata import UNDEFINED, Bindings, JsonataSyntaxError, compile_expression, compile_template
from sfnlocal.language.jsontext import compact_json

# Loading the engine raises the recursion limit; do it before Hypothesis records the limit to restore.
importlib.import_module("sfnlocal.language.jsonata.engine")


def json_values(integers: st.SearchStrategy[int]) -> st.SearchStrategy[Any]:
    return st.recursive(
        st.none() | st.booleans() | integers | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4),
        max_leaves=12,
    )


JSON = json_values(st.integers(-(2**70), 2**70))
# An integer beyond a long comes back as a double, as AWS gives it.
JSON_LONG_INTEGERS = json_values(st.integers(-(2**63), 2**63 - 1))

# Pieces of JSONata: paths, operators, literals, AWS's and JSONata's functions, and some junk.
TOKENS = st.sampled_from(
    [
        "$states.input",
        "$states.context",
        "$states",
        "$v",
        "$x",
        "a",
        "b",
        ".",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        ",",
        ":",
        ";",
        "0",
        "1",
        "2",
        "-1",
        "1.5",
        "'s'",
        '"t"',
        "null",
        "true",
        "false",
        "+",
        "-",
        "*",
        "/",
        "%",
        "&",
        "=",
        "!=",
        "<",
        ">=",
        "and",
        "or",
        "in",
        "?",
        ":=",
        "$",
        "$$",
        "..",
        "~>",
        "^(",
        "|",
        "#",
        "@",
        "*",
        "**",
        " ",
        "$sum",
        "$string",
        "$count",
        "$map",
        "$keys",
        "$lookup",
        "$number",
        "$partition",
        "$range",
        "$hash",
        "$random",
        "$uuid",
        "$parse",
        "$now",
        "$millis",
        "$eval",
        "$randomSeeded",
        "function($x){$x}",
        "/re/",
        "'SHA-1'",
        "`k`",
    ]
)
EXPRESSION_TEXT = st.lists(TOKENS, max_size=12).map("".join) | st.text(max_size=20)


def _bindings(state_input: Any, variable: Any) -> Bindings:
    return Bindings(
        {"input": state_input, "context": {"Execution": {"Id": "x"}}}, {"v": variable}, 0.0, random.Random(0)
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=EXPRESSION_TEXT, state_input=JSON, variable=JSON)
def test_any_text_and_input_fail_only_as_syntax_or_states_errors(text: str, state_input: Any, variable: Any) -> None:
    try:
        expression = compile_expression("{% " + text + " %}", "Output")
    except JsonataSyntaxError:
        return
    try:
        value = expression.evaluate_optional(_bindings(state_input, variable))
    except StatesError:
        return
    if value is not UNDEFINED:
        compact_json(value)  # a plain JSON value


@settings(max_examples=200, deadline=None)
@given(value=JSON_LONG_INTEGERS)
def test_a_value_comes_back_equal_and_unshared(value: Any) -> None:
    template = compile_template({"copy": "{% $states.input %}", "var": "{% $v %}"}, "Output")
    result = template.evaluate(_bindings(value, value))
    assert result["copy"] == value
    assert result["var"] == value
    assert not _shares_containers(result["copy"], value)


def _shares_containers(left: Any, right: Any) -> bool:
    if isinstance(left, dict | list) and left is right:
        return True
    if isinstance(left, dict) and isinstance(right, dict):
        return any(_shares_containers(left[key], right[key]) for key in left.keys() & right.keys())
    if isinstance(left, list) and isinstance(right, list):
        return any(_shares_containers(a, b) for a, b in zip(left, right))
    return False
