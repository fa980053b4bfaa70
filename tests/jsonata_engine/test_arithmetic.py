"""Arithmetic as JSONata does it on JavaScript numbers, and numbers JSON cannot hold written as AWS writes them.

Expected values: jsonata-js 2.0.6 (the version AWS documents) run on the same expressions, and, for
what a result holding an infinity becomes, AWS as measured in floci-io/floci#2737 and #2783 ("AWS
returns ``["Infinity"]`` for ``[1/0]`` and ``{"k":"Infinity"}`` for ``{'k': 1/0}``"; ``1/0``,
``-1/0`` and ``1e308 * 10`` evaluate rather than fail).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .support import failure, run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/0", "Infinity"),
        ("-1/0", "-Infinity"),
        ("1e308 * 10", "Infinity"),
        ("[1/0]", ["Infinity"]),
        ("{'k': 1/0}", {"k": "Infinity"}),
        # JavaScript: 0/0 and a remainder by zero are NaN, written the way JavaScript names it.
        ("0/0", "NaN"),
        ("1 % 0", "NaN"),
    ],
)
def test_a_number_json_cannot_hold_is_written_as_its_javascript_name(text: str, expected: object) -> None:
    assert run(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # jsonata-js: % keeps the fraction and the dividend's sign (the library made both integers).
        ("5.5 % 2", 1.5),
        ("-5.5 % 2", -1.5),
        ("7 % -3", 1),
        ("7 / 2", 3.5),
        ("6 / 2", 3),
    ],
)
def test_division_and_remainder(text: str, expected: float) -> None:
    assert run(text) == expected


def test_a_comparison_takes_an_infinity() -> None:
    assert run("(1/0) > 1") is True


@pytest.mark.parametrize("text", ["(1/0) + 1", "-(1/0)", "(1/0) * 0"])
def test_an_operator_refuses_an_infinity_it_is_given(text: str) -> None:
    # jsonata-js: D1001, its value written by JSON.stringify, which writes Infinity as null.
    assert failure(text) == "threw an error during evaluation. D1001: Number out of range: null"


def test_nan_is_no_number_to_an_operator() -> None:
    assert failure("(0/0) + 1") == (
        'threw an error during evaluation. T2001: The left side of the "+" operator must evaluate to a number'
    )


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


@given(finite, finite.filter(lambda divisor: abs(divisor) >= 1e-6))
def test_remainder_and_quotient_are_javascripts(dividend: float, divisor: float) -> None:
    # ECMAScript's % on finite numbers is C's fmod: exact, with the dividend's sign; / is IEEE division.
    remainder, quotient = run(f"[{dividend!r} % {divisor!r}, {dividend!r} / {divisor!r}]")
    assert remainder == math.fmod(dividend, divisor)
    assert quotient == dividend / divisor
