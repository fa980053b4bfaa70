"""Running states: one visit of a state (events, Retry, Catch), and a branch of states to its end.

This is the one place where a state's failure meets its Retry and Catch rules, and where
``States.Runtime``-style causes get AWS's prefix naming the state and the event it entered at.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.retry_catch import RetryCounters, find_catcher
from sfnlocal.interpreter.scheduler import Sleep
from sfnlocal.interpreter.states.base import CompositeFailure, Frame, State, StateRun, Visit
from sfnlocal.language.errors import DATA_LIMIT_EXCEEDED, RuntimeFailure, StatesError
from sfnlocal.language.fields import Field
from sfnlocal.language.jsonata.expression import QueryEvaluationFailure
from sfnlocal.language.jsontext import exceeds_payload_limit

if TYPE_CHECKING:
    from sfnlocal.interpreter.model import Branch


def with_state_prefix(error: StatesError, state: State, entered_event_id: int) -> StatesError:
    """Give a RuntimeFailure AWS's full cause; other errors are returned as they are."""
    if not isinstance(error, RuntimeFailure):
        return error
    return StatesError(
        error.error,
        f"An error occurred while executing the state '{state.name}' "
        f"(entered at the event id #{entered_event_id}). {error.cause}",
    )


def _evaluation_failed(
    state: State, lane: Any, entered_previous: int, raised: QueryEvaluationFailure, error: StatesError
) -> StatesError:
    """Record AWS's EvaluationFailed event for a JSONata failure; return the error the state fails with.

    Recorded from AWS: the event links to the event before the state's Entered event, names the field
    (``location``) and the state; a Map or Parallel state then records its own StateFailed too.
    """
    lane.last = entered_previous
    details = {**error.event_details(), "state": state.name}
    if raised.location is not None:
        details["location"] = raised.location
    lane.emit("EvaluationFailed", "evaluationFailedEventDetails", details)
    if state.type_name in ("Map", "Parallel"):
        return CompositeFailure(error, f"{state.type_name}StateFailed")
    return error


def _assigned(assign: Field | None, visit: Visit) -> dict[str, Any] | None:
    return None if assign is None else assign.evaluate(visit, visit.assign_input)


# The state types AWS records a "<Type>StateAborted" event for when they are stopped mid-run.
_ABORTABLE = frozenset({"Task", "Wait", "Map", "Parallel"})


def _run_abortable(state: State, visit: Visit, state_input: Any, lane: Any) -> StateRun:
    """Run the state; if its fiber is cancelled meanwhile because a sibling branch failed, record that it
    was aborted."""
    try:
        return (yield from state.run(visit, state_input))
    except GeneratorExit:
        # Not when the whole execution ends (timed out, stopped): AWS records only the execution's event.
        if state.type_name in _ABORTABLE and not visit.frame.execution.ending:
            lane.emit(f"{state.type_name}StateAborted")
        raise


def visit_state(state: State, frame: Frame, state_input: Any) -> Generator[Any, Any, tuple[Any, str | None]]:
    """Enter ``state``, run it with its Retry/Catch rules, exit it; return (output, next state)."""
    execution = frame.execution
    lane = frame.lane
    entered_previous = lane.last
    entered = lane.emit(state.entered_event, "stateEnteredEventDetails", {"name": state.name, "input": state_input})
    visit_index = execution.record_entry(state.name, state_input)
    visit = Visit(state, frame, entered, execution.scheduler.now, state_input=state_input, assign=state.assign)
    counters: RetryCounters | None = None
    while True:
        try:
            output, next_state = yield from _run_abortable(state, visit, state_input, lane)
            if exceeds_payload_limit(output):
                raise StatesError(
                    DATA_LIMIT_EXCEEDED,
                    f"The state/task '{state.name}' returned a result with a "
                    "size exceeding the maximum number of bytes service limit.",
                )
            assigned = _assigned(visit.assign, visit)
            break
        except StatesError as raised:
            error = with_state_prefix(raised, state, entered)
            if isinstance(raised, QueryEvaluationFailure):
                raised = error = _evaluation_failed(state, lane, entered_previous, raised, error)
            retry = None
            if state.retriers:
                counters = counters or RetryCounters(state.retriers)
                retry = counters.next_retry(error, execution.rng)
            if retry is not None:
                retrier_index, delay = retry
                execution.observe("retry", state, retrier_index)
                visit.retry_count += 1
                if delay > 0:
                    yield Sleep(execution.scheduler.now + delay)
                continue
            if isinstance(raised, CompositeFailure):
                lane.emit(raised.failed_event)
            caught = find_catcher(state.catchers, error)
            if caught is None:
                if frame.in_parallel_branch and state.type_name == "Task":
                    # Recorded from AWS: a Task whose failure ends a Parallel branch is then marked aborted;
                    # the Parallel state's next events link to the failure, not to this event.
                    lane.emit("TaskStateAborted", advance=False)
                raise error from None
            catcher_index, catcher = caught
            execution.observe("catch", state, catcher_index)
            try:
                output = catcher.output_for(visit, state_input, error.as_output())
                assigned = _assigned(catcher.assign, visit)
            except StatesError as failure:
                raise with_state_prefix(failure, state, entered) from None
            next_state = catcher.next
            break
    details: dict[str, Any] = {"name": state.name, "output": output}
    if assigned is not None:
        details["assignedVariables"] = assigned
    lane.emit(state.exited_event, "stateExitedEventDetails", details)
    if assigned:
        # Visible from the next state on: everything above still read the values at state entry.
        frame.variables.maps[0].update(assigned)
    execution.record_exit(visit_index, state.name, output)
    execution.observe("transition", state, next_state)
    return output, next_state


def run_branch(branch: Branch, frame: Frame, branch_input: Any) -> Generator[Any, Any, Any]:
    """Run a branch (the machine, a Parallel branch, a Map iteration) from StartAt to its end."""
    states = branch.states
    name = branch.start_at
    value = branch_input
    while True:
        value, name = yield from visit_state(states[name], frame, value)
        if name is None:
            return value
