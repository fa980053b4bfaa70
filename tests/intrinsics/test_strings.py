"""States.StringSplit."""

from __future__ import annotations

import pytest

from .support import failure, run

SPLIT = "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"


def test_split_doc_examples() -> None:
    assert run("States.StringSplit($.inputString, $.splitter)", {"inputString": "1,2,3,4,5", "splitter": ","}) == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    assert run(
        "States.StringSplit($.inputString, $.splitter)",
        {"inputString": "This.is+a,test=string", "splitter": ".+,="},
    ) == ["This", "is", "a", "test", "string"]


@pytest.mark.parametrize(
    ("text", "delimiters", "expected"),
    [
        (" ", ",", [" "]),
        (" , ", ",", [" ", " "]),
        (", , ,", ",", [" ", " "]),
        (",,,,", ",", []),
        ("1,2,3,4,5", ",", ["1", "2", "3", "4", "5"]),
        ("This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]),
        ("split on T and \nnew line", "T\n", ["split on ", " and ", "new line"]),
    ],
)
def test_split_as_recorded(text: str, delimiters: str, expected: list[str]) -> None:
    assert run(SPLIT, {"FunctionInput": {"fst": text, "snd": delimiters}}) == expected


def test_split_with_regex_characters_as_delimiters() -> None:
    assert run("States.StringSplit($.s, $.d)", {"s": "a]b^c\\d-e[f", "d": "]^\\-["}) == [
        "a",
        "b",
        "c",
        "d",
        "e",
        "f",
    ]


def test_split_of_an_empty_string() -> None:
    assert run("States.StringSplit('', ',')") == []


def test_split_without_delimiters_keeps_the_string() -> None:
    assert run("States.StringSplit('a,b', '')") == ["a,b"]


@pytest.mark.parametrize("data", [{"s": 1, "d": ","}, {"s": "a", "d": None}, {"s": ["a"], "d": ","}])
def test_split_needs_strings(data: dict[str, object]) -> None:
    assert "must be a string" in failure("States.StringSplit($.s, $.d)", data)
