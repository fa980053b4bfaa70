"""The intrinsic function grammar: arguments, escapes, nesting, and syntax errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfnlocal.language.intrinsics import IntrinsicSyntaxError, compile_intrinsic, is_intrinsic

from .support import run


def test_is_intrinsic_recognises_calls_only() -> None:
    assert is_intrinsic("States.Format('{}', $.a)")
    assert is_intrinsic("  States.UUID()")
    assert is_intrinsic("States.Nope(")  # malformed, but meant as a call: compiling says why
    assert not is_intrinsic("$.a")
    assert not is_intrinsic("$$.Execution.Id")
    assert not is_intrinsic("hello States.Array()")
    assert not is_intrinsic(None)
    assert not is_intrinsic({"States.Array()": 1})


def test_compiled_keeps_the_source_text() -> None:
    text = "States.MathAdd($.i, 1)"
    assert compile_intrinsic(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "States.Array(1, -2, 1.5, -0.25, 2e3, null, true, false)",
            [1, -2, 1.5, -0.25, 2000.0, None, True, False],
        ),
        ("States.Array('a b', '', ' ')", ["a b", "", " "]),
        ("States.Array( 1 ,2 )", [1, 2]),
        ("States.Array()", []),
    ],
)
def test_literal_arguments(text: str, expected: list[object]) -> None:
    assert run(text) == expected


def test_integer_literals_stay_integers() -> None:
    values = run("States.Array(3, -1, 0)")
    assert [type(v) for v in values] == [int, int, int]


def test_escapes_in_strings() -> None:
    # As they appear after JSON decoding: \' \{ \} \\ (AWS's "Reserved characters" section).
    assert run(r"States.Array('it\'s', '\{\}', 'a\\b')") == ["it's", "{}", "a\\b"]


def test_json_decoded_control_characters_are_plain_characters() -> None:
    # The corpus case test_escape_sequence: "States.StringSplit('Hello\nWorld', '\n')" in JSON.
    assert run("States.StringSplit('Hello\nWorld', '\n')") == ["Hello", "World"]


def test_unescaped_braces_and_quotes_inside_a_literal() -> None:
    # Recorded on AWS: States.StringToJson('{"constant_in_literal": "false"}') in JsonMerge.
    assert run('States.StringToJson(\'{"a": "x"}\')') == {"a": "x"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("States.Array($)", [{"a": {"b": [10, 20]}, "c d": 3}]),
        ("States.Array($.a.b)", [[10, 20]]),
        ("States.Array($.a.b[1])", [20]),
        ("States.Array($['c d'])", [3]),
        ("States.Array($.a.b[*])", [[10, 20]]),
        ("States.Array($.a.b[?(@ > 15)], $.a)", [[20], {"b": [10, 20]}]),
    ],
)
def test_input_paths(text: str, expected: list[object]) -> None:
    assert run(text, {"a": {"b": [10, 20]}, "c d": 3}) == expected


def test_context_and_variable_paths() -> None:
    context = {"Execution": {"Id": "arn:exec"}}
    variables = {"order": {"id": 7}, "n": 2}
    assert run("States.Array($$.Execution.Id, $order.id, $n)", {}, context, variables) == ["arn:exec", 7, 2]


def test_nested_calls() -> None:
    # The shape of AWS's own nine-call example (ImageRecipe ARN).
    text = (
        "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem("
        "States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit("
        "States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1), 'x')"
    )
    arn = "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.3"
    assert run(text, {"ImageRecipe": {"Arn": arn}}) == "1.0.x"


@pytest.mark.parametrize(
    ("text", "position", "expected"),
    [
        ("States.Array(1 2)", 15, "',' or ')'"),
        ("States.Array(1,)", 15, "an argument"),
        ("States.Array(", 13, "an argument"),
        ("States.Array(1", 14, "',' or ')'"),
        ("States.Array() x", 15, "the end of the text"),
        ("States.Array('abc", 17, "a closing '"),
        ("States.Array('a\\nb')", 15, "one of \\'"),
        ('States.Array("a")', 13, "an argument"),
        ("States.Array(abc)", 13, "an argument"),
        ("States.Array(01)", 14, "',' or ')'"),
        ("States.Array(1e999)", 13, "a number within the range"),
        ("States.Array($.a[)", 18, "']'"),
        ("States.Array($.a[], 1)", 13, "a valid path"),
        ("States.Nope()", 7, "the name of an intrinsic function"),
        ("States.format('x')", 7, "the name of an intrinsic function"),
        ("States.Array", 12, "'(' after States.Array"),
        ("States.", 7, "a function name"),
        ("Format('x')", 0, "an intrinsic function call"),
        ("'x'", 0, "an intrinsic function call"),
    ],
)
def test_syntax_errors_name_position_and_expectation(text: str, position: int, expected: str) -> None:
    with pytest.raises(IntrinsicSyntaxError) as caught:
        compile_intrinsic(text)
    assert caught.value.position == position
    assert caught.value.expected.startswith(expected)
    assert f"at position {position}" in str(caught.value)
    assert text in str(caught.value)


@pytest.mark.parametrize("value", [None, 5, ["States.Array()"]])
def test_only_strings_compile(value: object) -> None:
    with pytest.raises(IntrinsicSyntaxError, match="expected a string holding an intrinsic function call"):
        compile_intrinsic(value)  # type: ignore[arg-type]


def test_syntax_error_is_a_value_error() -> None:
    assert issubclass(IntrinsicSyntaxError, ValueError)


def test_at_most_ten_calls_in_one_field() -> None:
    # AWS: "You can nest up to 10 intrinsic functions within a field".
    ten = "States.Array(" * 10 + ")" * 10
    assert run(ten) == [[[[[[[[[[]]]]]]]]]]
    with pytest.raises(IntrinsicSyntaxError, match="at most 10 intrinsic functions"):
        compile_intrinsic("States.Array(" * 11 + ")" * 11)


_GRAMMAR_CHARACTERS = "States.FormatArrayMathAdd()'$.,[]{}\\ 0123456789-eE\"?@*:nulltruefalse\n"
_TOKENS = [
    "States.Array(",
    "States.Format(",
    "States.MathAdd(",
    "States.UUID(",
    ")",
    ",",
    " ",
    "'a'",
    "'",
    "\\",
    "\\{",
    "{}",
    "$",
    "$.a",
    "$$.b",
    "$v.c",
    "[",
    "]",
    "[0]",
    "['x y']",
    "[?(@.a > 1)]",
    "(",
    "1",
    "-",
    "2.5e1",
    "null",
    "true",
]
_TEXTS = (
    st.text()
    | st.text(alphabet=_GRAMMAR_CHARACTERS).map(lambda tail: "States." + tail)
    | st.lists(st.sampled_from(_TOKENS), max_size=30).map(lambda tokens: "States.Array(" + "".join(tokens))
)


@given(_TEXTS)
def test_any_text_compiles_or_raises_a_syntax_error(text: str) -> None:
    try:
        compiled = compile_intrinsic(text)
    except IntrinsicSyntaxError:
        return
    assert compiled.text == text
