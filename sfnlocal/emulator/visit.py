"""Running states: one visit of a state (events, Retry, Catch), and a branch of states to its end.

This is the one place where a state's failure meets its Retry and Catch rules, and where
``States.Runtime``-style causes get AWS's prefix naming the state and the event it entered at.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from sfnlocal.emulator.errors import DATA_LIMIT_EXCEEDED, RuntimeFailure, StatesError
from sfnlocal.emulator.jsontext import exceeds_payload_limit
from sfnlocal.emulator.retry_catch import RetryCounters, find_catcher
from sfnlocal.emulator.scheduler import Sleep
from sfnlocal.emulator.states.base import CompositeFailure, Frame, State, Visit

if TYPE_CHECKING:
    from sfnlocal.emulator.model import Branch


def with_state_prefix(error: StatesError, state: State, entered_event_id: int) -> StatesError:
    """Give a RuntimeFailure AWS's full cause; other errors are returned as they are."""
    if not isinstance(error, RuntimeFailure):
        return error
    return StatesError(error.error, f"An error occurred while executing the state '{state.name}' "
                       f"(entered at the event id #{entered_event_id}). {error.cause}")


def visit_state(state: State, frame: Frame, state_input: Any) -> Generator[Any, Any, tuple[Any, str | None]]:
    """Enter ``state``, run it with its Retry/Catch rules, exit it; return (output, next state)."""
    execution = frame.execution
    lane = frame.lane
    entered = lane.emit(state.entered_event, "stateEnteredEventDetails", {"name": state.name, "input": state_input})
    visit_index = execution.record_entry(state.name, state_input)
    visit = Visit(state, frame, entered, execution.scheduler.now, state_input=state_input, assign=state.assign)
    counters: RetryCounters | None = None
    while True:
        try:
            output, next_state = yield from state.run(visit, state_input)
            if exceeds_payload_limit(output):
                raise StatesError(DATA_LIMIT_EXCEEDED, f"The state/task '{state.name}' returned a result with a "
                                  "size exceeding the maximum number of bytes service limit.")
            assign = visit.assign
            break
        except StatesError as raised:
            error = with_state_prefix(raised, state, entered)
            delay = None
            if state.retriers:
                counters = counters or RetryCounters(state.retriers)
                delay = counters.next_delay(error, execution.rng)
            if delay is not None:
                visit.retry_count += 1
                if delay > 0:
                    yield Sleep(execution.scheduler.now + delay)
                continue
            if isinstance(raised, CompositeFailure):
                lane.emit(raised.failed_event)
            catcher = find_catcher(state.catchers, error)
            if catcher is None:
                raise error from None
            output = catcher.output_for(visit, state_input, error.as_output())
            next_state = catcher.next
            assign = catcher.assign
            break
    details: dict[str, Any] = {"name": state.name, "output": output}
    assigned = None
    if assign is not None:
        assigned = assign.evaluate(visit, visit.assign_input)
        details["assignedVariables"] = assigned
    lane.emit(state.exited_event, "stateExitedEventDetails", details)
    if assigned:
        # Visible from the next state on: everything above still read the values at state entry.
        frame.variables.maps[0].update(assigned)
    execution.record_exit(visit_index, state.name, output)
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
