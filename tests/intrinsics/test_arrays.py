"""States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength, ArrayUnique.

Expected values are AWS's: its documentation examples and the executions recorded in
../shared/conformance (the ``test_array`` cases, quoted here where a single value is checked).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .support import failure, run

NINE = [1, 2, 3, 4, 5, 6, 7, 8, 9]


# --- States.Array -------------------------------------------------------------------------------


def test_array_doc_example() -> None:
    assert run("States.Array($.Id)", {"Id": 123456}) == [123456]


@pytest.mark.parametrize(
    "value", ["", " ", "HelloWorld", None, 1, 1.1, '{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}]
)
def test_array_of_two_values_as_recorded(value: Any) -> None:
    data = {"FunctionInput": {"fst": value, "snd": value}}
    assert run("States.Array($.FunctionInput.fst, $.FunctionInput.snd)", data) == [value, value]


# --- States.ArrayPartition ----------------------------------------------------------------------


def test_partition_doc_example() -> None:
    assert run("States.ArrayPartition($.inputArray,4)", {"inputArray": NINE}) == [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9],
    ]


@pytest.mark.parametrize(
    ("items", "size", "expected"),
    [
        ([], 1, []),
        ([], 5, []),
        ([0], 3, [[0]]),
        ([0, 1], 1, [[0], [1]]),
        ([0, 1, 2], 2, [[0, 1], [2]]),
        ([0, 1, 2, 3], 3, [[0, 1, 2], [3]]),
        ([0, 1, 2, 3], 5, [[0, 1, 2, 3]]),
    ],
)
def test_partition_as_recorded(items: list[int], size: int, expected: list[list[int]]) -> None:
    data = {"FunctionInput": {"fst": items, "snd": size}}
    assert run("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", data) == expected


def test_partition_rounds_a_fractional_size() -> None:
    # AWS: "If you specify a non-integer value for the second argument, Step Functions will round it".
    assert run("States.ArrayPartition($.a, 1.5)", {"a": [1, 2, 3]}) == [[1, 2], [3]]


@pytest.mark.parametrize("size", [0, -1, 0.4, "2", True, None])
def test_partition_needs_a_positive_integer_size(size: Any) -> None:
    detail = failure("States.ArrayPartition($.a, $.n)", {"a": [1], "n": size})
    assert detail.startswith("States.ArrayPartition: argument 2 must be ")


def test_partition_needs_an_array() -> None:
    assert "argument 1 must be an array" in failure("States.ArrayPartition($.a, 2)", {"a": "abc"})


@given(st.lists(st.integers()), st.integers(min_value=1, max_value=20))
def test_partition_then_flatten_gives_the_array(items: list[int], size: int) -> None:
    chunks = run("States.ArrayPartition($.items, $.size)", {"items": items, "size": size})
    assert [item for chunk in chunks for item in chunk] == items
    assert all(len(chunk) == size for chunk in chunks[:-1])
    assert all(0 < len(chunk) <= size for chunk in chunks)


# --- States.ArrayContains -----------------------------------------------------------------------


def test_contains_doc_example() -> None:
    data = {"inputArray": NINE, "lookingFor": 5}
    assert run("States.ArrayContains($.inputArray, $.lookingFor)", data) is True


@pytest.mark.parametrize(
    ("items", "value", "expected"),
    [
        ([], None, False),
        ([], [], False),
        ([], 1, False),
        ([[1, 2, 3], 2], None, False),
        ([[1, 2, 3], 2], [1, 2, 3], True),
        ([{"1": 2, "2": []}], [], False),
        ([{"1": 2, "2": []}], {"1": 2, "2": []}, True),
        ([True, False], True, True),
        ([True, False], False, True),
    ],
)
def test_contains_as_recorded(items: list[Any], value: Any, expected: bool) -> None:
    data = {"FunctionInput": {"fst": items, "snd": value}}
    assert run("States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)", data) is expected


def test_contains_compares_as_json_not_as_python() -> None:
    assert run("States.ArrayContains($.a, 1)", {"a": [True]}) is False
    assert run("States.ArrayContains($.a, true)", {"a": [1]}) is False
    assert run("States.ArrayContains($.a, $.v)", {"a": [{"x": 1, "y": 2}], "v": {"y": 2, "x": 1}}) is True


# --- States.ArrayRange --------------------------------------------------------------------------


def test_range_doc_example() -> None:
    assert run("States.ArrayRange(1, 9, 2)") == [1, 3, 5, 7, 9]


@pytest.mark.parametrize(
    ("first", "last", "step", "expected"),
    [
        (0, 9, 3, [0, 3, 6, 9]),
        (0, 10, 3, [0, 3, 6, 9]),
        (1, 9, 9, [1]),
        (1, 9, 2, [1, 3, 5, 7, 9]),
    ],
)
def test_range_as_recorded(first: int, last: int, step: int, expected: list[int]) -> None:
    data = {"FunctionInput": {"fst": first, "snd": last, "trd": step}}
    text = "States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"
    assert run(text, data) == expected


def test_range_as_recorded_in_a_pass_state() -> None:
    # test_map_state_config_distributed_reentrant: "Values.$": "States.ArrayRange(0, 3, 1)".
    assert run("States.ArrayRange(0, 3, 1)") == [0, 1, 2, 3]


def test_range_rounds_fractional_arguments() -> None:
    assert run("States.ArrayRange(0.5, 4.4, 1.5)") == [1, 3]


def test_range_allows_a_negative_step() -> None:
    # AWS only requires "a non-zero value for the third argument".
    assert run("States.ArrayRange(5, 1, -2)") == [5, 3, 1]


def test_range_of_exactly_1000_items_is_allowed() -> None:
    assert len(run("States.ArrayRange(1, 1000, 1)")) == 1000


def test_range_of_more_than_1000_items_fails() -> None:
    assert "at most 1000" in failure("States.ArrayRange(0, 1000, 1)")


def test_range_step_must_not_be_zero() -> None:
    assert "must not be 0" in failure("States.ArrayRange(0, 10, 0.4)")


@given(st.integers(-3000, 3000), st.integers(-3000, 3000), st.integers(-50, 50).filter(bool))
def test_range_length_and_items(first: int, last: int, step: int) -> None:
    expected = list(range(first, last + (1 if step > 0 else -1), step))
    text = "States.ArrayRange($.f, $.l, $.s)"
    data = {"f": first, "l": last, "s": step}
    if len(expected) > 1000:
        assert "at most 1000" in failure(text, data)
    else:
        assert run(text, data) == expected


# --- States.ArrayGetItem ------------------------------------------------------------------------


def test_get_item_doc_example_and_recording() -> None:
    data = {"FunctionInput": {"fst": NINE, "snd": 5}}
    assert run("States.ArrayGetItem($.FunctionInput.fst, $.FunctionInput.snd)", data) == 6


@pytest.mark.parametrize("index", [9, -1, 100])
def test_get_item_out_of_bounds(index: int) -> None:
    assert failure("States.ArrayGetItem($.a, $.i)", {"a": NINE, "i": index}).startswith("States.ArrayGetItem: ")


def test_get_item_needs_an_array() -> None:
    assert "argument 1 must be an array" in failure("States.ArrayGetItem($.a, 0)", {"a": {"0": 1}})


# --- States.ArrayLength -------------------------------------------------------------------------


def test_length_as_recorded() -> None:
    assert run("States.ArrayLength($.FunctionInput)", {"FunctionInput": NINE}) == 9


def test_length_of_empty_array() -> None:
    assert run("States.ArrayLength($.a)", {"a": []}) == 0


def test_length_needs_an_array() -> None:
    assert "argument 1 must be an array" in failure("States.ArrayLength($.a)", {"a": "abc"})


# --- States.ArrayUnique -------------------------------------------------------------------------


def test_unique_doc_example() -> None:
    assert run("States.ArrayUnique($.inputArray)", {"inputArray": [1, 2, 3, 3, 3, 3, 3, 3, 4]}) == [
        1,
        2,
        3,
        4,
    ]


def test_unique_keeps_true_and_1_apart() -> None:
    assert run("States.ArrayUnique($.a)", {"a": [1, True, 1, True, {"k": 1}, {"k": True}]}) == [
        1,
        True,
        {"k": 1},
        {"k": True},
    ]


_SCALARS = st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["", "a", "b"])
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["x", "y"]), inner, max_size=2),
    max_leaves=6,
)


def _same(a: Any, b: Any) -> bool:
    # JSON text tells true from 1 (Python's == does not); these values hold no floats.
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@given(st.lists(_VALUES, max_size=12))
def test_unique_keeps_first_occurrences_in_order(items: list[Any]) -> None:
    unique = run("States.ArrayUnique($.items)", {"items": items})
    first_indexes = [next(i for i, item in enumerate(items) if _same(item, value)) for value in unique]
    assert first_indexes == sorted(set(first_indexes))
    assert all(any(_same(item, value) for value in unique) for item in items)
    assert all(unique[first_indexes.index(i)] is items[i] for i in first_indexes)


def test_functions_do_not_change_their_arguments() -> None:
    data = {"a": [3, 1, 3, [2]], "b": {"k": 1}}
    snapshot = json.dumps(data)
    text = (
        "States.Array(States.ArrayUnique($.a), States.ArrayPartition($.a, 1), "
        "States.JsonMerge($.b, $.b, false), States.ArrayRange(1, 3, 1))"
    )
    run(text, data)
    assert json.dumps(data) == snapshot
