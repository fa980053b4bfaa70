"""Failures during a run: AWS's States.Runtime framing, missing paths, argument counts, and a
property that no argument value makes a function raise anything but a StatesError."""

from __future__ import annotations

import json
from random import Random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfnlocal.language.errors import StatesError
from sfnlocal.language.intrinsics import compile_intrinsic
from sfnlocal.language.intrinsics.registry import FUNCTIONS
from sfnlocal.language.paths import Scope

from .support import failure, run


def test_missing_path_argument_as_aws_words_it() -> None:
    # AWS's cause for this definition and input, quoted in floci-io/floci#2870 (an uncaught
    # States.Runtime, before the state prefix).
    assert (
        failure("States.Format('{}', $.nope)", {"other": 1})
        == "The JsonPath argument for the field '$.nope' could not be found in the input '{\"other\":1}'"
    )


def test_missing_context_or_variable_path_shows_the_state_input() -> None:
    detail = failure("States.Array($$.Execution.Nope)", {"a": 1}, {"Execution": {}})
    assert detail == (
        "The JsonPath argument for the field '$$.Execution.Nope' could not be found in the input '{\"a\":1}'"
    )
    assert "for the field '$undefined'" in failure("States.Array($undefined)", {}, variables={})


def test_a_failure_in_a_nested_call_names_the_whole_expression_and_the_inner_function() -> None:
    text = "States.Format('{}', States.ArrayGetItem($.a, 5))"
    assert failure(text, {"a": [1]}).startswith("States.ArrayGetItem: ")


@pytest.mark.parametrize("name", sorted(name for name in FUNCTIONS if name != "States.Array"))
def test_every_function_checks_its_argument_count(name: str) -> None:
    # States.Array is the one function that takes any number of arguments.
    signature = FUNCTIONS[name]
    count = signature.min_args - 1 if signature.min_args > 0 else (signature.max_args or 0) + 1
    text = f"{name}({', '.join(['1'] * count)})"
    assert failure(text).startswith(f"{name} takes ")


def test_count_is_checked_before_arguments_are_read() -> None:
    assert (
        failure("States.ArrayLength($.a, $.b)", {}) == "States.ArrayLength takes exactly 1 argument, but 2 were given"
    )


def test_deeply_nested_values_fail_cleanly() -> None:
    deep: Any = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(StatesError):
        run("States.ArrayUnique($.a)", {"a": [deep]})


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)
# Values some function accepts, so that calls get past the first check more often.
_USEFUL = st.integers(-3, 12) | st.sampled_from(["SHA-1", "MD5", ",", "{}", "a{}b", "[1,2]", "QUJD", False])
_ARGUMENT = _JSON | _USEFUL


def _calls(name: str) -> st.SearchStrategy[tuple[str, list[Any]]]:
    signature = FUNCTIONS[name]
    fitting = st.lists(_ARGUMENT, min_size=signature.min_args, max_size=signature.max_args or signature.min_args + 3)
    return st.tuples(st.just(name), fitting | st.lists(_ARGUMENT, max_size=4))


@given(st.sampled_from(sorted(FUNCTIONS)).flatmap(_calls))
def test_no_argument_makes_a_function_raise_anything_but_a_states_error(call: tuple[str, list[Any]]) -> None:
    name, args = call
    snapshot = json.dumps(args)
    text = f"{name}({', '.join(f'$[{i}]' for i in range(len(args)))})"
    try:
        result = compile_intrinsic(text).evaluate(Scope(args, {}, {}), Random(0))
    except StatesError:
        pass
    else:
        json.dumps(result, allow_nan=False)  # a JSON value
    assert json.dumps(args) == snapshot  # nothing the user passed in was changed
