"""States.MathAdd and States.MathRandom."""

from __future__ import annotations

import random

import pytest

from sfnlocal.language.intrinsics import compile_intrinsic
from sfnlocal.language.paths import Scope

from .support import failure, run

ADD = "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"


def test_add_doc_example() -> None:
    assert run("States.MathAdd($.value1, $.step)", {"value1": 111, "step": -1}) == 110


# Every MathAdd execution recorded in the corpus (test_math_add): non-integers are rounded one by
# one, halves upwards, before adding.
@pytest.mark.parametrize(
    ("first", "second", "total"),
    [
        (-9, 3, -6),
        (1.49, 1.5, 3),
        (1.5, 1.51, 4),
        (-1.49, -1.5, -2),
        (-1.5, -1.51, -3),
        (1.49, 0, 1),
        (1.49, -1.49, 0),
        (1.5, 0, 2),
        (1.51, 0, 2),
        (-1.49, 0, -1),
        (-1.5, 0, -1),
        (-1.51, 0, -2),
        (0.5, 0, 1),
        (2.5, 0, 3),
        (3.5, 0, 4),
        (-0.5, 0.5, 1),
        (-0.5, 0, 0),
        (-2.5, 0, -2),
        (-3.5, 0, -3),
    ],
)
def test_add_as_recorded(first: float, second: float, total: int) -> None:
    result = run(ADD, {"FunctionInput": {"fst": first, "snd": second}})
    assert result == total
    assert type(result) is int


def test_add_of_variables_as_recorded() -> None:
    assert run("States.MathAdd($value1, $value2)", {}, variables={"value1": 5, "value2": 3}) == 8


def test_add_in_the_32_bit_range() -> None:
    # AWS: "You must specify integer values in the range of -2147483648 and 2147483647."
    assert run("States.MathAdd(2147483647, -2147483648)") == -1
    assert "at most 2147483647" in failure("States.MathAdd(2147483648, 0)")
    assert "at least -2147483648" in failure("States.MathAdd(0, -2147483649)")


@pytest.mark.parametrize("value", ["1", None, True, [1], {"a": 1}])
def test_add_needs_numbers(value: object) -> None:
    assert "argument 1 must be a number" in failure("States.MathAdd($.v, 1)", {"v": value})


def test_random_doc_example_bounds() -> None:
    # AWS: "a random number between the specified start number (inclusive) and end number (exclusive)".
    values = {run("States.MathRandom($.start, $.end)", {"start": 1, "end": 999}, seed=seed) for seed in range(200)}
    assert all(type(v) is int and 1 <= v < 999 for v in values)
    assert len(values) > 100


def test_random_end_is_exclusive() -> None:
    assert {run("States.MathRandom(4, 5)", seed=seed) for seed in range(20)} == {4}


def test_random_with_a_seed_depends_on_the_seed_only() -> None:
    # AWS: "if you use this function with the same seed value, it will return identical numbers".
    text = "States.MathRandom($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"
    data = {"FunctionInput": {"fst": 0, "snd": 999, "trd": 3}}
    results = {run(text, data, seed=seed) for seed in range(10)}
    assert len(results) == 1
    assert 0 <= results.pop() < 999


def test_random_without_a_seed_draws_from_the_execution_source() -> None:
    f = compile_intrinsic("States.MathRandom(0, 1000000)")
    first, second = random.Random(7), random.Random(7)
    assert [f.evaluate(Scope({}), first) for _ in range(3)] == [f.evaluate(Scope({}), second) for _ in range(3)]


def test_random_rounds_fractional_bounds() -> None:
    assert {run("States.MathRandom(0.5, 1.5)", seed=seed) for seed in range(20)} == {1}


@pytest.mark.parametrize(("start", "end"), [(5, 5), (6, 5)])
def test_random_needs_start_below_end(start: int, end: int) -> None:
    assert "must be greater than argument 1" in failure(f"States.MathRandom({start}, {end})")


def test_random_needs_numbers() -> None:
    assert "argument 3 must be a number" in failure("States.MathRandom(1, 5, 'seed')")
