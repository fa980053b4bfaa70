"""Hypothesis strategies for fault injection: what each Task state of a machine does, and inputs.

:func:`task_outcomes` draws, for every Task state, a ``mocks.sequence(...)`` of outcomes: successes
with generated results, and failures with the error names the Retry and Catch rules around the task
mention (its own, and those of the Parallel and Map states it is in) or with errors nobody expects
(:data:`UNEXPECTED_ERRORS`). A property test then states what must hold whatever the tasks do:

>>> from hypothesis import given, settings
>>> from sfnlocal import StateMachine
>>> sm = StateMachine.from_dict({"StartAt": "Charge", "States": {
...     "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
...                "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"]}],
...                "Catch": [{"ErrorEquals": ["CardDeclined"], "Next": "Declined"},
...                          {"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "End": True},
...     "Declined": {"Type": "Fail", "Error": "Declined"}, "Failed": {"Type": "Fail", "Error": "Failed"}}})
>>> fault_errors(sm, unexpected=["Lambda.ServiceException"])
{'Charge': ('Lambda.TooManyRequestsException', 'CardDeclined', 'Lambda.ServiceException')}
>>> @settings(max_examples=25, database=None)
... @given(task_outcomes(sm))
... def test_ends_succeeded_or_in_a_fail_state(outcomes):
...     run = sm.execute({}, mocks=outcomes)
...     assert run.status == "SUCCEEDED" or run.path[-1] in ("Declined", "Failed")
>>> test_ends_succeeded_or_in_a_fail_state()

Each sequence holds enough outcomes for one visit of its task, every retry included (see
``visits=`` for tasks that run more than once); its last drawn outcome repeats to the end, so a
drawn failure may persist until the retriers give up.

The strategies draw only through Hypothesis (no clock, no global random source, no order that depends on
Python's string hashing): the same seed gives the same mocks in any process. The pytest plugin gives each
Hypothesis test that takes the ``sfn`` fixture a seed of its own (:mod:`sfnlocal.testing.determinism`), so
its executions, and the workflow coverage they add up to, do not change with Hypothesis's random seed or
its example database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from math import prod
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from sfnlocal import mocks
from sfnlocal.language.errors import ALL, is_uncatchable
from sfnlocal.language.jsontext import json_copy

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from sfnlocal.interpreter.states.base import State
    from sfnlocal.state_machine import StateMachine

    # A strategy of results for every Task state, or strategies by Task state name.
    Results = SearchStrategy[Any] | Mapping[str, SearchStrategy[Any]]

# Errors a task may fail with that its rules did not plan for: AWS's own and an invented one.
UNEXPECTED_ERRORS = (
    "States.TaskFailed",
    "States.Timeout",
    "States.Permissions",
    "Lambda.ServiceException",
    "Lambda.Unknown",
    "Injected.UnexpectedError",
)
INJECTED_CAUSE = "injected by sfnlocal.testing"
# At most this many outcomes in one task's sequence, however generous its retriers are.
MAX_INVOCATIONS = 1000
_MAX_DRAWN = 6  # distinct outcomes drawn per task; the last one then repeats


def json_values(max_leaves: int = 12) -> SearchStrategy[Any]:
    """Any JSON value: null, booleans, numbers, strings, and arrays and objects of them."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(2**53), 2**53)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=16)
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=max_leaves,
    )


def execution_inputs(values: SearchStrategy[Any] | None = None) -> SearchStrategy[Any]:
    """Execution inputs: JSON objects of any shape, or the values of your strategy as the execution
    will see them (checked to be JSON; tuples become lists)."""
    if values is None:
        return st.dictionaries(st.text(max_size=8), json_values(), max_size=4)
    return values.map(lambda value: json_copy(value, "an execution input"))


def fault_errors(machine: StateMachine, unexpected: Iterable[str] = UNEXPECTED_ERRORS) -> dict[str, tuple[str, ...]]:
    """Per Task state, the error names injected into it: those its Retry and Catch rules, and those of
    the Parallel and Map states around it, mention (not ``States.ALL``), then ``unexpected``."""
    unexpected = tuple(unexpected)
    errors = {}
    for state, enclosing in _tasks(machine).values():
        named = [
            error
            for rules_of in (*enclosing, state)
            for error_equals in _error_lists(rules_of)
            for error in error_equals
            if error != ALL and not is_uncatchable(error)
        ]
        errors[state.name] = tuple(dict.fromkeys((*named, *unexpected)))
    return errors


def task_outcomes(
    machine: StateMachine,
    *,
    results: Results | None = None,
    faults: Iterable[str] | None = None,
    unexpected: Iterable[str] = UNEXPECTED_ERRORS,
    visits: int = 1,
) -> SearchStrategy[dict[str, mocks.Sequence]]:
    """A ``mocks=`` mapping: for each Task state (by name), a ``mocks.sequence(...)`` of outcomes.

    ``results`` is the strategy of a successful task's result (default :func:`json_values`), or a
    mapping of Task names to strategies (the others get JSON values). Only the Tasks named in ``faults``
    fail (default: all of them), with the errors :func:`fault_errors` lists. ``visits`` is how often
    a task may run in one execution (in a loop, in a Map): the sequences are made that much longer.
    """
    if visits < 1:
        raise ValueError(f"visits must be 1 or more, not {visits}")
    tasks = _tasks(machine)
    per_task = results if isinstance(results, Mapping) else {}
    _check_names(per_task, tasks, "results")
    faulty = set(tasks) if faults is None else set(_check_names(list(faults), tasks, "faults"))
    errors = fault_errors(machine, unexpected)
    default = results if results is not None and not isinstance(results, Mapping) else json_values()
    return st.fixed_dictionaries(
        {
            name: _sequences(
                per_task.get(name, default),
                errors[name] if name in faulty else (),
                _invocations(state, enclosing, visits),
            )
            for name, (state, enclosing) in tasks.items()
        }
    )


def _sequences(results: SearchStrategy[Any], errors: tuple[str, ...], length: int) -> SearchStrategy[mocks.Sequence]:
    outcome: SearchStrategy[Any] = results.map(mocks.returns)
    if errors:
        outcome = outcome | st.sampled_from(errors).map(lambda error: mocks.raises(error, INJECTED_CAUSE))
    return st.builds(persisting, st.lists(outcome, min_size=1, max_size=min(length, _MAX_DRAWN)), st.just(length))


def persisting(outcomes: list[Any], length: int) -> mocks.Sequence:
    """A sequence of ``length`` outcomes: these, then the last of them again and again.

    >>> persisting([mocks.returns(1), mocks.raises("Boom")], 3).outcomes[2].error
    'Boom'
    """
    return mocks.sequence(*outcomes, *[outcomes[-1]] * (length - len(outcomes)))


def _invocations(state: State, enclosing: tuple[State, ...], visits: int) -> int:
    """How often a task can be invoked in ``visits`` visits: each retry of it, or of a Parallel or Map
    around it, invokes it again."""
    attempts = prod(1 + sum(retrier.max_attempts for retrier in rules_of.retriers) for rules_of in (*enclosing, state))
    return min(visits * attempts, MAX_INVOCATIONS)


def _error_lists(state: State) -> list[tuple[str, ...]]:
    """The ErrorEquals of a state's retriers, then of its catchers."""
    return [retrier.error_equals for retrier in state.retriers] + [catcher.error_equals for catcher in state.catchers]


def _tasks(machine: StateMachine) -> dict[str, tuple[State, tuple[State, ...]]]:
    """Each Task state by name, with the Parallel and Map states around it (outermost first)."""
    compiled = machine.model.states
    return {
        node.name: (compiled[node.location], tuple(compiled[outer.location] for outer in node.enclosing))
        for node in machine.model.graph.states
        if node.type == "Task"
    }


def _check_names(names: Iterable[str], tasks: Mapping[str, Any], argument: str) -> Iterable[str]:
    unknown = [name for name in names if name not in tasks]
    if unknown:
        raise ValueError(
            f"{argument}= names no Task state of this machine: {', '.join(map(repr, unknown))} "
            f"(its Task states: {', '.join(map(repr, tasks))})"
        )
    return names
