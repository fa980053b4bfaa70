"""Assertions about an execution whose failures say what differed: which state's output and where in
it, which path was taken instead, which catcher fired, how often a state was retried.

They are plain ``assert`` statements with a message; the pytest plugin registers this package for
pytest's assertion rewriting, so a failure shows the message and pytest's own explanation, and each
hides its own frame (``__tracebackhide__``), so pytest shows the failure at the test's call.

>>> from sfnlocal import StateMachine
>>> sm = StateMachine.from_dict({"StartAt": "Hello", "States": {
...     "Hello": {"Type": "Pass", "Result": {"greeting": "hi"}, "Next": "Done"}, "Done": {"Type": "Succeed"}}})
>>> run = sm.execute({})
>>> assert_path(run, ["Hello", "Done"])
>>> assert_state_output(run, "Hello", {"greeting": "hello", "to": "you"})
Traceback (most recent call last):
...
AssertionError: the output of state 'Hello' differs from the expected one:
  $.greeting: expected "hello", got "hi"
  $.to: missing (expected "you")
...
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.retry_catch import error_matches
from sfnlocal.testing.coverage.model import describe_catcher, describe_retrier
from sfnlocal.testing.wording import counted, first_lines

if TYPE_CHECKING:
    from sfnlocal.interpreter.result import ExecutionResult
    from sfnlocal.interpreter.states.base import State

_SHOWN = 80  # characters of a value shown in a message
_CONTEXT = 2  # unchanged states shown around a difference in a path
# A failure's message stays readable for a looping workflow of thousands of states: at most this many
# names of a path on one line (the first and the last ones), lines of a difference, characters of a cause.
_PATH_NAMES = 12
_DIFFERENCE_LINES = 24
_CAUSE_SHOWN = 500


def describe_run(run: ExecutionResult) -> str:
    """How an execution ended and the path it took, in one line.

    >>> from sfnlocal import StateMachine
    >>> sm = StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Fail", "Error": "Oops"}}}, name="M")
    >>> describe_run(sm.execute({}))
    'M FAILED with Oops in state A; path: A'
    """
    return f"{run.state_machine.name} {_ending(run)}; path: {_short_path(run.path)}"


def summarize_run(run: ExecutionResult, history_file: str | None = None) -> list[str]:
    """A few lines on how an execution ended, for a failing test's report: status, error, cause (at most 500
    characters), how many states it entered and the last ones, and where its full history was written.

    >>> from sfnlocal import StateMachine
    >>> sm = StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Fail", "Error": "Oops"}}}, name="M")
    >>> print("\\n".join(summarize_run(sm.execute({}), "/tmp/M.json")))
    M: FAILED (execution e3e70682-c209-4cac-a29f-6fbed82c07cd)
      error: Oops
      cause: None
      states entered: 1: A
      full history: /tmp/M.json
    """
    lines = [f"{run.state_machine.name}: {run.status} (execution {run.name})"]
    if run.status not in ("SUCCEEDED", "RUNNING"):
        cause = run.cause if run.cause is None or len(run.cause) <= _CAUSE_SHOWN else run.cause[:_CAUSE_SHOWN] + "…"
        lines += [f"  error: {run.error}", f"  cause: {cause}"]
    path = run.path
    last = "" if len(path) <= _PATH_NAMES else f", the last {_PATH_NAMES}"
    lines.append(f"  states entered: {len(path):,}{last}: {_short_path(path[-_PATH_NAMES:])}")
    if history_file is not None:
        lines.append(f"  full history: {history_file}")
    return lines


def assert_succeeded(run: ExecutionResult) -> None:
    """The execution succeeded."""
    __tracebackhide__ = True
    assert run.status == "SUCCEEDED", f"the execution did not succeed: {describe_run(run)}"


def assert_failed(run: ExecutionResult, error: str | None = None) -> None:
    """The execution failed (with this error name, when given)."""
    __tracebackhide__ = True
    expected = "fail" if error is None else f"fail with {error}"
    assert run.status == "FAILED" and error in (None, run.error), (
        f"the execution was expected to {expected}: {describe_run(run)}"
    )


def assert_path(run: ExecutionResult, expected: Sequence[str]) -> None:
    """The execution entered exactly these states, in this order (Parallel branches and Map iterations
    included, as in :attr:`~sfnlocal.ExecutionResult.path`).

    >>> from sfnlocal import StateMachine
    >>> sm = StateMachine.from_dict({"StartAt": "A", "States": {
    ...     "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Succeed"}}})
    >>> assert_path(sm.execute({}), ["A", "C"])
    Traceback (most recent call last):
    ...
    AssertionError: the execution took another path (- expected, + taken), first at step 2:
        A
      + B
        C
    ...
    """
    __tracebackhide__ = True
    actual, expected = list(run.path), list(expected)
    # Compared before the assert: pytest's own explanation of two lists of thousands of names would be
    # as long as they are; the message below is bounded.
    same_path = actual == expected
    assert same_path, _path_difference(run, expected, actual)


def assert_state_output(run: ExecutionResult, state: str, expected: Any) -> None:
    """State ``state`` finished (its last visit, if it ran more than once) with output ``expected``.
    A failure lists each place where the output differs, as a JSONPath."""
    __tracebackhide__ = True
    _find_state(run, state)
    assert state in run.states, f"state {state!r} was not entered: {describe_run(run)}"
    record = run.state(state)
    assert record.exited, f"state {state!r} did not finish: {describe_run(run)}"
    differences = json_differences(expected, record.output)
    same_output = not differences
    assert same_output, _bounded(
        [f"the output of state {state!r} differs from the expected one:", *(f"  {line}" for line in differences)]
    )


def assert_caught(run: ExecutionResult, state: str, catcher: int | str) -> None:
    """A Catcher of ``state`` fired: the one at index ``catcher``, or, for an error name, the one AWS
    picks for that error (the first whose ErrorEquals matches it, ``States.ALL`` included)."""
    __tracebackhide__ = True
    compiled = _find_state(run, state)
    index = _catcher_index(compiled, catcher)
    fired = [detail for kind, location, detail in run.observations if kind == "catch" and location == compiled.location]
    if fired:
        instead = "; ".join(describe_catcher(compiled, i) for i in dict.fromkeys(fired))
        why = f"{instead} fired instead"
    else:
        why = "no catcher fired" if state in run.states else "the state was not entered"
    assert index in fired, (
        f"{describe_catcher(compiled, index)} of state {state!r} did not fire: {why}; {describe_run(run)}"
    )


def assert_retries(run: ExecutionResult, state: str, times: int) -> None:
    """State ``state`` was retried ``times`` times in all (its retriers together, all its visits)."""
    __tracebackhide__ = True
    compiled = _find_state(run, state)
    fired = Counter(
        detail for kind, location, detail in run.observations if kind == "retry" and location == compiled.location
    )
    count = sum(fired.values())
    if fired:
        detail = ", ".join(f"{describe_retrier(compiled, i)} {n}×" for i, n in sorted(fired.items()))
    else:
        detail = "no retrier fired" if state in run.states else "the state was not entered"
    assert count == times, (
        f"state {state!r} was retried {counted(count, 'time')}, expected {times} ({detail}); {describe_run(run)}"
    )


def json_differences(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """Where two JSON values differ, one line per place, as JSONPath (``true`` is not ``1`` here).

    >>> json_differences({"a": [1, 2], "b": True}, {"a": [1, 3, 4], "b": 1, "c": None})
    ['$.a[1]: expected 2, got 3', '$.a[2]: not expected, got 4', '$.b: expected true, got 1', \
'$.c: not expected, got null']
    """
    if isinstance(expected, dict) and isinstance(actual, dict):
        differences = []
        for key in [*expected, *(key for key in actual if key not in expected)]:
            here = f"{where}.{key}" if key.isidentifier() else f"{where}[{json.dumps(key)}]"
            if key not in actual:
                differences.append(f"{here}: missing (expected {_show(expected[key])})")
            elif key not in expected:
                differences.append(f"{here}: not expected, got {_show(actual[key])}")
            else:
                differences.extend(json_differences(expected[key], actual[key], here))
        return differences
    if isinstance(expected, list) and isinstance(actual, list):
        differences = []
        for index in range(max(len(expected), len(actual))):
            here = f"{where}[{index}]"
            if index >= len(actual):
                differences.append(f"{here}: missing (expected {_show(expected[index])})")
            elif index >= len(expected):
                differences.append(f"{here}: not expected, got {_show(actual[index])}")
            else:
                differences.extend(json_differences(expected[index], actual[index], here))
        return differences
    if expected == actual and isinstance(expected, bool) == isinstance(actual, bool):
        return []
    return [f"{where}: expected {_show(expected)}, got {_show(actual)}"]


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _short_path(path: Sequence[str]) -> str:
    """A path on one line; a long one as its first names, how many were left out, and its last names.

    >>> _short_path(["A", "B"]), _short_path([]), _short_path(["A", "C"] * 1000)
    ('A → B', '(no state entered)', 'A → C → … 1,988 more … → A → C → A → C → A → C → A → C → A → C')
    """
    if len(path) <= _PATH_NAMES:
        return " → ".join(path) or "(no state entered)"
    head, tail = path[:2], path[2 - _PATH_NAMES :]
    return " → ".join([*head, f"… {len(path) - _PATH_NAMES:,} more …", *tail])


def _bounded(lines: list[str], last: str | None = None) -> str:
    """A message of ``lines`` (their first 24, and how many more there were) and a closing ``last`` line."""
    shown = first_lines(lines, _DIFFERENCE_LINES)
    return "\n".join(shown if last is None else [*shown, last])


def _ending(run: ExecutionResult) -> str:
    if run.status in ("SUCCEEDED", "RUNNING", "ABORTED"):
        return run.status
    cause = f" ({_show(run.cause)})" if run.cause else ""
    where = f" in state {run.path[-1]}" if run.path else ""
    return f"{run.status} with {run.error}{cause}{where}"


def _path_difference(run: ExecutionResult, expected: list[str], actual: list[str]) -> str:
    step = next((i for i, (e, a) in enumerate(zip(expected, actual)) if e != a), min(len(expected), len(actual)))
    lines = [f"the execution took another path (- expected, + taken), first at step {step + 1}:"]
    for tag, e1, e2, a1, a2 in difflib.SequenceMatcher(a=expected, b=actual, autojunk=False).get_opcodes():
        if tag == "equal":
            same = expected[e1:e2]
            if len(same) > 2 * _CONTEXT + 1:
                hidden = len(same) - 2 * _CONTEXT
                same = [*same[:_CONTEXT], f"... {hidden} more ...", *same[-_CONTEXT:]]
            lines.extend(f"    {name}" for name in same)
            continue
        lines.extend(f"  - {name}" for name in expected[e1:e2])
        lines.extend(f"  + {name}" for name in actual[a1:a2])
    return _bounded(lines, f"({describe_run(run)})")


def _find_state(run: ExecutionResult, name: str) -> State:
    """The state named ``name`` in the run's machine; a name it does not have is a mistake in the test."""
    model = run.state_machine.model
    state = model.state_named(name)
    if state is None:
        names = dict.fromkeys(node.name for node in model.graph.states)
        raise ValueError(
            f"state machine {run.state_machine.name!r} has no state named {name!r} "
            f"(its states: {', '.join(map(repr, names))})"
        )
    return state


def _catcher_index(state: State, catcher: int | str) -> int:
    known = "; ".join(describe_catcher(state, i) for i in range(len(state.catchers))) or "none"
    if isinstance(catcher, str):
        for index, candidate in enumerate(state.catchers):
            if error_matches(candidate.error_equals, catcher):
                return index
        raise ValueError(f"no Catcher of state {state.name!r} catches {catcher!r} (its catchers: {known})")
    if not 0 <= catcher < len(state.catchers):
        raise ValueError(f"state {state.name!r} has no Catch #{catcher} (its catchers: {known})")
    return catcher
