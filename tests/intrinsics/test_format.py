"""States.Format: placeholders, escapes, and how AWS renders non-string values."""

from __future__ import annotations

from typing import Any

import pytest

from .support import failure, run


def test_format_doc_examples() -> None:
    data = {"name": "Arnav", "template": "Hello, my name is {}."}
    assert run("States.Format('Hello, my name is {}.', $.name)", data) == "Hello, my name is Arnav."
    assert run("States.Format($.template, $.name)", data) == "Hello, my name is Arnav."


# The recorded test_format_1 executions: how each kind of value is inserted.
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("", ""),
        (" ", " "),
        ("HelloWorld", "HelloWorld"),
        (None, "null"),
        (1, "1"),
        (1.1, "1.1"),
        ('{"Arg1": 1, "Arg2": []}', '{"Arg1": 1, "Arg2": []}'),
        ({"Arg1": 1, "Arg2": []}, "{Arg1=1, Arg2=[]}"),
    ],
)
def test_format_as_recorded(value: Any, shown: str) -> None:
    assert (
        run("States.Format('Formatting argument {}.', $.FunctionInput)", {"FunctionInput": value})
        == f"Formatting argument {shown}."
    )


def test_format_of_two_values_as_recorded() -> None:
    text = "States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"
    data = {"FunctionInput": {"fst": {"Arg1": 1, "Arg2": []}, "snd": None}}
    assert run(text, data) == "Formatting arguments fst={Arg1=1, Arg2=[]} and snd=null."


def test_format_of_a_template_variable_as_recorded() -> None:
    # MAP_STATE_REFERENCE_IN_INTRINSIC_FUNCTION: States.Format($AnswerTemplate, $$.Map.Item.Value).
    context = {"Map": {"Item": {"Value": "Pikachu", "Index": 1}}}
    assert (
        run("States.Format($AnswerTemplate, $$.Map.Item.Value)", {}, context, {"AnswerTemplate": "It's {}!"})
        == "It's Pikachu!"
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (True, "true"),
        (False, "false"),
        (1.0, "1.0"),
        (-0.5, "-0.5"),
        (1e20, "1.0E20"),
        (1.5e-5, "1.5E-5"),
        (12345678.9, "1.23456789E7"),
        ([1, "a", None, [True]], "[1, a, null, [true]]"),
        ({}, "{}"),
        ({"a": {"b": 2.0}}, "{a={b=2.0}}"),
        (10**20, "100000000000000000000"),
    ],
)
def test_format_renders_values_as_java_prints_them(value: Any, shown: str) -> None:
    assert run("States.Format('{}', $.v)", {"v": value}) == shown


def test_escaped_braces_are_not_placeholders() -> None:
    assert run(r"States.Format('\{} is {}', 'x')") == "{} is x"
    assert run(r"States.Format('{\} {}', 'x')") == "{} x"


def test_other_braces_are_text() -> None:
    assert run("States.Format('{a} {{}} }{', 1)") == "{a} {1} }{"


def test_format_without_placeholders() -> None:
    assert run("States.Format('plain')") == "plain"


@pytest.mark.parametrize("text", ["States.Format('{} {}', 1)", "States.Format('{}', 1, 2)", "States.Format('x', 1)"])
def test_placeholder_count_must_match(text: str) -> None:
    assert "placeholder" in failure(text)


def test_template_from_a_path_must_be_a_string() -> None:
    assert "argument 1 (the template) must be a string" in failure("States.Format($.t, 1)", {"t": 5})
