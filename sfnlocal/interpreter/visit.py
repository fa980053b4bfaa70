"""Running states: one visit of a state (events, Retry, Catch), and a branch of states to its end.

An attempt of a state ends in one of two places, shared by executions and TestState
(:mod:`sfnlocal.teststate.harness`) so that both follow the same rules:

* :func:`finish_attempt` for an attempt that succeeded: AWS's checks on its output, then the visit's
  ``Assign``;
* :func:`decide_failure` for one that failed: the :class:`Decision` to retry (which retrier, its backoff),
  to catch (which catcher, its output, its ``Assign``, its ``Next``) or to fail, with
  ``States.Runtime``-style causes given AWS's prefix naming the state and the event it entered at.

:func:`visit_state` carries the decision out for an execution (records the events, sleeps and runs the
state again, goes on to the catcher's Next or fails); TestState reports it for one attempt instead.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.history import Lane
from sfnlocal.interpreter.journal import Redriven
from sfnlocal.interpreter.retry_catch import RetryCounters, find_catcher
from sfnlocal.interpreter.scheduler import Sleep
from sfnlocal.interpreter.states.base import NO_VALUE, CompositeFailure, Frame, State, StateRun, Visit
from sfnlocal.language.errors import DATA_LIMIT_EXCEEDED, RuntimeFailure, StatesError
from sfnlocal.language.fields import Field
from sfnlocal.language.json_checks import payload_bytes, payload_measure, within_limits
from sfnlocal.language.jsonata.expression import QueryEvaluationFailure
from sfnlocal.language.jsontext import MAX_PAYLOAD_BYTES, PayloadBound

if TYPE_CHECKING:
    from sfnlocal.interpreter.execution import Execution
    from sfnlocal.interpreter.model import Branch

# How an attempt ends, named as AWS's TestState API names it.
SUCCEEDED, RETRIABLE, CAUGHT_ERROR, FAILED = "SUCCEEDED", "RETRIABLE", "CAUGHT_ERROR", "FAILED"


@dataclass(slots=True)  # not frozen: that would cost a microsecond per failure, for every retry
class Decision:
    """How one attempt of a state ended, and what follows it.

    ``status`` is :data:`SUCCEEDED` (only TestState builds those: an execution goes straight on),
    :data:`RETRIABLE` (``retry_index`` retries after ``backoff`` seconds), :data:`CAUGHT_ERROR` (catcher
    ``catch_index`` sends ``output`` to ``next_state`` and assigns ``assigned``) or :data:`FAILED` (the
    state fails with ``error``). ``error`` is the error the attempt failed with (for FAILED, the one the
    state fails with: a catcher whose output cannot be evaluated fails with that failure instead), and
    ``retry_index`` the retrier that matched it even when it had no attempts left.
    """

    status: str
    error: StatesError | None = None
    output: Any = NO_VALUE
    next_state: str | None = None
    assigned: dict[str, Any] | None = None
    retry_index: int | None = None
    backoff: float | None = None
    catch_index: int | None = None


def with_state_prefix(error: StatesError, state: State, entered_event_id: int) -> StatesError:
    """Give a RuntimeFailure AWS's full cause; other errors are returned as they are.

    >>> from sfnlocal.interpreter.model import Definition
    >>> state = Definition({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}).root.states["P"]
    >>> with_state_prefix(RuntimeFailure("States.Runtime", "Bad path."), state, 2).cause
    "An error occurred while executing the state 'P' (entered at the event id #2). Bad path."
    """
    if not isinstance(error, RuntimeFailure):
        return error
    return StatesError(
        error.error,
        f"An error occurred while executing the state '{state.name}' "
        f"(entered at the event id #{entered_event_id}). {error.cause}",
    )


def finish_attempt(state: State, visit: Visit, output: Any) -> dict[str, Any] | None:
    """What an attempt of ``state`` that gave ``output`` assigns (None without an Assign).

    Raises :class:`StatesError` when the attempt fails after all: an Assign that cannot be evaluated, or variables
    over AWS's size limit; the caller then decides that failure with :func:`decide_failure`, like any other. (An
    execution checks the output first: :func:`checked_output`.)

    >>> from sfnlocal.interpreter.execution import Execution, ExecutionOptions
    >>> from sfnlocal.interpreter.history import Lane
    >>> from sfnlocal.interpreter.machine import Machine
    >>> machine = Machine({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True, "Assign": {"seen.$": "$.n"}}}})
    >>> execution = Execution(machine, {"n": 1}, ExecutionOptions(0.0), integration=None)
    >>> frame = Frame(execution, Lane(execution.history, 0), execution.variables)
    >>> state = machine.model.root.states["P"]
    >>> visit = Visit(state, frame, 1, 0.0, state_input={"n": 1}, assign=state.assign, assign_input={"n": 1})
    >>> finish_attempt(state, visit, {"n": 1})
    {'seen': 1}
    """
    assign = visit.assign  # inlined _assigned: this runs once per state of every execution
    if assign is None:
        return None
    assigned = assign.evaluate(visit, visit.assign_input)
    _check_variables(state, assigned)
    return assigned


def checked_output(state: State, visit: Visit, output: Any) -> PayloadBound:
    """A bound on the measure of an attempt's ``output``, which is measured unless a bound known for it (the input's,
    when it is the input; else the one the state's run worked out) shows that it is within AWS's payload limit and
    sfnlocal's nesting bound. Raises :class:`StatesError` for an output over either.

    >>> from sfnlocal.interpreter.execution import Execution, ExecutionOptions
    >>> from sfnlocal.interpreter.history import Lane
    >>> from sfnlocal.interpreter.machine import Machine
    >>> machine = Machine({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    >>> execution = Execution(machine, {}, ExecutionOptions(0.0), integration=None)
    >>> state = machine.model.root.states["P"]
    >>> visit = Visit(state, Frame(execution, Lane(execution.history, 0), execution.variables), 1, 0.0)
    >>> checked_output(state, visit, {"a": [1]})
    (9, 2)
    >>> checked_output(state, visit, "x" * 300_000)
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.StatesError: States.DataLimitExceeded: The state/task 'P' returned a result with a \
size exceeding the maximum number of bytes service limit.
    """
    bound = visit.input_bound if output is visit.state_input else visit.output_bound
    if bound is None:  # (most often for a state whose output has no bound: no call to find that out)
        return _check_output(state, output)
    return bound if within_limits(bound) else _check_output(state, output)


def _check_output(state: State, output: Any) -> PayloadBound:
    """Refuse an output over AWS's payload limit (or nested deeper than sfnlocal holds); return its measure."""
    measure = payload_measure(output, state.name, "returned a result")
    if measure[0] > MAX_PAYLOAD_BYTES:
        raise StatesError(
            DATA_LIMIT_EXCEEDED,
            f"The state/task '{state.name}' returned a result with a "
            "size exceeding the maximum number of bytes service limit.",
        )
    return measure


def _check_variables(state: State, assigned: dict[str, Any]) -> None:
    """Refuse an Assign over AWS's limits: 256 KiB for one variable, and for all the variables one Assign
    sets together (the AWS docs on workflow variables). The error and cause are not recorded from AWS:
    they are worded as AWS words the payload limit."""
    total = 0
    for value in assigned.values():
        total += payload_bytes(value, state.name, "assigned a variable")
    if total > MAX_PAYLOAD_BYTES:
        raise StatesError(
            DATA_LIMIT_EXCEEDED,
            f"The state/task '{state.name}' assigned variables with a "
            "size exceeding the maximum number of bytes service limit.",
        )


def decide_failure(state: State, visit: Visit, raised: StatesError, counters: RetryCounters | None) -> Decision:
    """What follows an attempt of ``state`` that failed with ``raised``: retry, catch, or fail.

    The first retrier whose ErrorEquals matches decides whether to retry (while it has attempts left:
    ``counters`` holds each retrier's attempts so far in this visit and counts this one; None when the
    state has no Retry); otherwise the first catcher that matches catches, its output and Assign
    evaluated on the error output; otherwise the state fails. ``States.Runtime`` matches no rule.

    >>> from sfnlocal.interpreter.execution import Execution, ExecutionOptions
    >>> from sfnlocal.interpreter.history import Lane
    >>> from sfnlocal.interpreter.machine import Machine
    >>> machine = Machine({"StartAt": "T", "States": {"T": {"Type": "Task", "End": True,
    ...     "Resource": "arn:aws:states:::sqs:sendMessage",
    ...     "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 3, "MaxAttempts": 1}],
    ...     "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"}]},
    ...     "Recover": {"Type": "Succeed"}}})
    >>> execution = Execution(machine, {"id": 7}, ExecutionOptions(0.0), integration=None)
    >>> state = machine.model.root.states["T"]
    >>> frame = Frame(execution, Lane(execution.history, 0), execution.variables)
    >>> visit = Visit(state, frame, 1, 0.0, state_input={"id": 7})
    >>> counters = RetryCounters(state.retriers)
    >>> retried = decide_failure(state, visit, StatesError("Busy", "try later"), counters)
    >>> retried.status, retried.retry_index, retried.backoff
    ('RETRIABLE', 0, 3.0)
    >>> caught = decide_failure(state, visit, StatesError("Busy", "try later"), counters)
    >>> caught.status, caught.retry_index, caught.catch_index, caught.next_state, caught.output
    ('CAUGHT_ERROR', 0, 0, 'Recover', {'id': 7, 'error': {'Error': 'Busy', 'Cause': 'try later'}})
    >>> decide_failure(state, visit, RuntimeFailure("States.Runtime", "Bad path."), counters).status
    'FAILED'
    """
    entered = visit.entered_event_id
    error = with_state_prefix(raised, state, entered)
    retry_index: int | None = None
    if counters is not None:
        retry = counters.next_retry(error, visit.rng)
        if retry is not None:
            retry_index, backoff = retry
            if backoff is not None:
                return Decision(RETRIABLE, error, retry_index=retry_index, backoff=backoff)
    caught = find_catcher(state.catchers, error)
    if caught is None:
        return Decision(FAILED, error, retry_index=retry_index)
    catch_index, catcher = caught
    try:
        output = catcher.output_for(visit, visit.state_input, error.as_output())
        # A catcher's output is the state's output: the same limit (an error output that quotes the input,
        # fed back to the state, would otherwise double at each round).
        _check_output(state, output)
        assigned = _assigned(catcher.assign, visit)
    except StatesError as failure:
        # The catcher matched, but its Output or Assign failed: the state fails with that failure.
        return Decision(
            FAILED, with_state_prefix(failure, state, entered), retry_index=retry_index, catch_index=catch_index
        )
    return Decision(CAUGHT_ERROR, error, output, catcher.next, assigned, retry_index, catch_index=catch_index)


def _evaluation_failed(
    state: State, lane: Lane, entered: int, entered_previous: int, raised: QueryEvaluationFailure
) -> StatesError:
    """Record AWS's EvaluationFailed event for a JSONata failure; return the error the state fails with.

    Recorded from AWS: the event links to the event before the state's Entered event, names the field
    (``location``) and the state; a Map or Parallel state then records its own StateFailed too.
    """
    error = with_state_prefix(raised, state, entered)
    lane.last = entered_previous
    details = {**error.event_details(), "state": state.name}
    if raised.location is not None:
        details["location"] = raised.location
    lane.emit("EvaluationFailed", "evaluationFailedEventDetails", details)
    if state.type_name in ("Map", "Parallel"):
        return CompositeFailure(error, f"{state.type_name}StateFailed")
    return error


def _assigned(assign: Field | None, visit: Visit) -> dict[str, Any] | None:
    if assign is None:
        return None
    assigned = assign.evaluate(visit, visit.assign_input)
    _check_variables(visit.state, assigned)
    return assigned


# The state types AWS records a "<Type>StateAborted" event for when they are stopped mid-run.
_ABORTABLE = frozenset({"Task", "Wait", "Map", "Parallel"})


def _run_abortable(state: State, visit: Visit, state_input: Any, lane: Lane) -> StateRun:
    """Run the state; if its fiber is cancelled meanwhile because a sibling branch failed, record that it
    was aborted."""
    try:
        return (yield from state.run(visit, state_input))
    except GeneratorExit:
        # Not when the whole execution ends (timed out, stopped): AWS records only the execution's event.
        if state.type_name in _ABORTABLE and not visit.frame.execution.ending:
            lane.emit(f"{state.type_name}StateAborted")
        raise


def visit_state(
    state: State, frame: Frame, state_input: Any, input_bound: PayloadBound | None = None
) -> Generator[Any, Any, tuple[Any, str | None, PayloadBound | None]]:
    """Enter ``state``, run it with its Retry/Catch rules, exit it; return (output, next state, a bound on the
    output's measure or None).

    ``input_bound``: a bound on the input's measure, where one is known (it is the previous state's output), so
    that an output known to be within AWS's limits from it is not measured (see :func:`checked_output`)."""
    execution = frame.execution
    lane = frame.lane
    entered_previous = lane.last
    execution.may_enter()
    entered, visit_index = _enter(state, frame, state_input)
    visit = Visit(
        state,
        frame,
        entered,
        execution.scheduler.now,
        state_input=state_input,
        assign=state.assign,
        input_bound=input_bound,
    )
    counters: RetryCounters | None = None
    while True:
        try:
            output, next_state = yield from _run_abortable(state, visit, state_input, lane)
            output_bound: PayloadBound | None = checked_output(state, visit, output)
            assigned = finish_attempt(state, visit, output)
            break
        except StatesError as raised:
            failure = raised.with_traceback(None)  # its traceback would hold this frame, which holds it: a cycle
        except Redriven:  # RedriveExecution: this task is attempted again, its Retry counts from zero
            counters, visit.retry_count = None, 0
            continue
        if counters is None and state.retriers:
            counters = RetryCounters(state.retriers)
        decision = _decided(state, visit, failure, entered_previous, counters)
        if decision.status == RETRIABLE:
            execution.observe("retry", state, decision.retry_index)
            visit.retry_count += 1
            if decision.backoff:
                yield Sleep(execution.scheduler.now + decision.backoff)
            continue
        output, next_state, assigned = decision.output, decision.next_state, decision.assigned
        output_bound = None  # the catcher's output was measured, not kept
        break
    details: dict[str, Any] = {"name": state.name, "output": output}
    if assigned is not None:
        details["assignedVariables"] = assigned
    lane.emit(state.exited_event, "stateExitedEventDetails", details)
    if assigned:
        # Visible from the next state on: everything above still read the values at state entry.
        frame.variables.maps[0].update(assigned)
    execution.record_exit(visit_index, output, next_state)
    return output, next_state, output_bound


def _enter(state: State, frame: Frame, state_input: Any) -> tuple[int, int]:
    """Record the state's Entered event and its visit's entry; return the event's id and the visit's index."""
    entered = frame.lane.emit(
        state.entered_event, "stateEnteredEventDetails", {"name": state.name, "input": state_input}
    )
    return entered, frame.execution.record_entry(state, state_input)


def _decided(
    state: State, visit: Visit, failure: StatesError, entered_previous: int, counters: RetryCounters | None
) -> Decision:
    """Decide a failed attempt (see :func:`decide_failure`) and record what the failure itself records; raise the
    error the state fails with, or return the decision to retry or catch."""
    frame = visit.frame
    execution, lane = frame.execution, frame.lane
    if isinstance(failure, QueryEvaluationFailure):
        failure = _evaluation_failed(state, lane, visit.entered_event_id, entered_previous, failure)
    decision = decide_failure(state, visit, failure, counters)
    if decision.status == RETRIABLE:
        return decision
    if isinstance(failure, CompositeFailure) and not execution.ending:  # not while the execution is stopped
        lane.emit(failure.failed_event)
    if decision.catch_index is not None:
        execution.observe("catch", state, decision.catch_index)
    if decision.status == FAILED:
        if decision.catch_index is None and frame.in_parallel_branch and state.type_name == "Task":
            # Recorded from AWS: a Task whose failure ends a Parallel branch is then marked aborted;
            # the Parallel state's next events link to the failure, not to this event.
            lane.emit("TaskStateAborted", advance=False)
        assert decision.error is not None  # a failed decision always has its error
        raise decision.error from None
    return decision


def visit_now(
    state: State, frame: Frame, state_input: Any, input_bound: PayloadBound | None
) -> tuple[Any, str | None, PayloadBound | None]:
    """Visit a state that runs at once (``state.immediate``: Pass, Choice, Succeed) as :func:`visit_state` would, but
    without a generator, and its two events and its visit noted in one entry each once it has exited.

    The caller checked :func:`may_visit_now`. Such a state has no Retry or Catch and cannot be cancelled midway, so
    the events recorded are the same: when it fails, its Entered event is recorded first (it takes the id its Visit
    was given), then the failure as :func:`visit_state` records it.
    """
    execution = frame.execution
    history = execution.history
    lane = frame.lane
    previous = lane.last
    now = execution.scheduler.now
    output_bound: PayloadBound | None
    if state.passes_input and input_bound is not None:  # nothing to evaluate, nothing to measure
        output, next_state, assigned, output_bound = state_input, state.next, None, input_bound
    else:
        visit = Visit(
            state,
            frame,
            len(history) + 1,
            now,
            state_input=state_input,
            assign=state.assign,
            input_bound=input_bound,
        )
        try:
            output, next_state = state.run_now(visit, state_input)
            output_bound = checked_output(state, visit, output)
            assigned = finish_attempt(state, visit, output)
        except StatesError as failure:
            entered, _ = _enter(state, frame, state_input)
            assert entered == visit.entered_event_id  # nothing recorded an event while the state ran
            _decided(state, visit, failure, previous, None)
            raise AssertionError("a state that runs at once has no Retry or Catch") from failure
        if assigned:
            # Visible from the next state on: everything above still read the values at state entry.
            frame.variables.maps[0].update(assigned)
    lane.last = stamp = history.add_visit(state, previous, state_input, output, assigned)
    execution.entered += 1
    execution.note_visit((state, now, state_input, now, output, stamp, next_state))
    return output, next_state, output_bound


def may_visit_now(state: State, execution: Execution) -> bool:
    """Whether :func:`visit_now` may visit ``state``: it runs at once, the execution may enter one more state, its
    history has room for both events, and no redrive waits for an Entered event (see ``Journal.entered``)."""
    return (
        state.immediate
        and execution.entered < execution.entry_limit
        and execution.history.room_for_visit()
        and (execution.journal is None or execution.journal.redrive is None)
    )


def run_branch(
    branch: Branch, frame: Frame, branch_input: Any, input_bound: PayloadBound | None = None
) -> Generator[Any, Any, Any]:
    """Run a branch (the machine, a Parallel branch, a Map iteration) from StartAt to its end (``input_bound``: a
    bound on the branch input's measure, where one is known, see :func:`visit_state`; the output's is left in
    ``frame.output_bound``)."""
    states = branch.states
    execution = frame.execution
    value: Any = branch_input
    name: str | None = branch.start_at
    while name is not None:
        state = states[name]
        # Each state's input is the output of the one before it, with the bound that one worked out.
        if may_visit_now(state, execution):
            value, name, input_bound = visit_now(state, frame, value, input_bound)
        else:
            value, name, input_bound = yield from visit_state(state, frame, value, input_bound)
    frame.output_bound = input_bound
    return value
