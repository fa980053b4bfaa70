"""Numbers turned into text (``$string``, ``&``) as JSONata on JavaScript writes them, as AWS runs it."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfnlocal.language.jsonata.numbers import MAX_SAFE_INTEGER, js_number_text, string_number_text

from .support import run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # jsonata-python alone gives "5.89084071224308e+15", "1e+20" and '{"a":0.30000000000000004}' here.
        ("$string(5890840712243076)", "5890840712243076"),
        ("$string(1e20)", "100000000000000000000"),
        ("$string(1e21)", "1e+21"),
        ("$string({'a': 0.1 + 0.2})", '{"a":0.3}'),
        ("$string(0.1 + 0.2)", "0.3"),
        ("$string(1/3)", "0.333333333333333"),
        ("$string(0.000001)", "0.000001"),
        ("$string(0.0000001)", "1e-7"),
        ("$string(-1.5)", "-1.5"),
        ("$string([1, 2.50, true, null, 'é'])", '[1,2.5,true,null,"é"]'),
        ("$string($states.input)", '{"n":1,"a":[null]}'),
        ("$string('already text')", "already text"),
        ("$string(function($x){$x})", ""),
        ("$string({'f': $sum})", '{"f":""}'),
    ],
)
def test_string(text: str, expected: str) -> None:
    assert run(text, {"n": 1, "a": [None]}) == expected


def test_string_prettified_is_indented_by_two() -> None:
    assert run("$string({'a': [1, {}], 'b': []}, true)") == '{\n  "a": [\n    1,\n    {}\n  ],\n  "b": []\n}'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'id-' & 12345678901234567", "id-12345678901234568"),  # the nearest double, written in full
        ("'n=' & 1.5", "n=1.5"),
        ("'x' & $states.input.n", "x3"),
        ("1 & 2", "12"),
    ],
)
def test_concatenation(text: str, expected: str) -> None:
    assert run(text, {"n": 3.0}) == expected


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_javascript_number_text_reads_back_as_the_same_number(number: float) -> None:
    text = js_number_text(number)
    assert float(text) == number
    magnitude = abs(number)
    # JavaScript's notation: fixed from 1e-6 up to (not including) 1e21, exponent outside.
    assert ("e" in text) == (magnitude != 0 and not 1e-6 <= magnitude < 1e21)
    assert not text.endswith(".0") and "e+0" not in text and "e-0" not in text


@given(st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER))
def test_safe_integers_keep_their_digits(number: int) -> None:
    assert js_number_text(number) == string_number_text(number) == str(number)


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda n: not n.is_integer()))
def test_string_rounds_other_numbers_to_15_significant_digits(number: float) -> None:
    text = string_number_text(number)
    assert math.isclose(float(text), number, rel_tol=1e-14)
    digits = text.lstrip("-").split("e")[0].replace(".", "").strip("0")
    assert len(digits) <= 15
