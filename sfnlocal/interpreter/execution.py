"""One execution of a state machine: its clock, scheduler, history, random source and mocks.

The top-level branch runs as the first fiber. When it finishes the execution records
ExecutionSucceeded/Failed; the machine's ``TimeoutSeconds`` is a timer that cancels everything and
records ExecutionTimedOut. If every fiber is waiting on something outside the execution and no timer
is due, the run stops with status RUNNING (suspended, not hung).
"""

from __future__ import annotations

from collections import ChainMap
from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.integrations.mocks.integration import Integrations
from sfnlocal.interpreter.callbacks import Callbacks
from sfnlocal.interpreter.history import History, Lane
from sfnlocal.interpreter.result import ExecutionResult, StateRecord, TimelineEntry
from sfnlocal.interpreter.scheduler import Fiber, Scheduler
from sfnlocal.interpreter.states.base import Frame, iso_time
from sfnlocal.interpreter.visit import run_branch
from sfnlocal.language.errors import StatesError
from sfnlocal.language.variables import Variables

if TYPE_CHECKING:
    from sfnlocal.interpreter.machine import StateMachine

INTERNAL_ERROR = "sfnlocal.InternalError"


@dataclass(frozen=True)
class ExecutionOptions:
    """How to run one execution (see :meth:`sfnlocal.StateMachine.execute`)."""

    start_time: float
    name: str | None = None
    mocks: Any = None
    test_case: Any = None
    aws: AwsWorld | None = None
    seed: int = 0
    real_time: bool = False
    history_limit: int | None = 25_000
    stop_after: float | None = None


class Execution:
    """Everything one run shares; states reach it through their :class:`Frame`."""

    def __init__(self, machine: StateMachine, execution_input: Any, options: ExecutionOptions) -> None:
        self.machine = machine
        self.options = options
        self.rng = Random(options.seed)
        self.callbacks: Callbacks
        self.scheduler = Scheduler(options.start_time, options.real_time, lambda: self.callbacks.waiting_on_outside())
        self.callbacks = Callbacks(self.scheduler)
        self.history = History(self.scheduler, options.history_limit)
        self.integrations = Integrations(options.mocks, self.rng, options.test_case)
        # The AWS services tasks talk to: the caller's world, or one of this execution's own (started on
        # first use, stopped when the execution ends).
        self.aws = options.aws or AwsWorld(machine.region, machine.account)
        self._owns_aws = options.aws is None
        self.region = machine.region
        self.account = machine.account
        self.state_machine_name = machine.name
        self.name = options.name or machine.new_execution_name(self.rng)
        self.arn = machine.execution_arn(self.name, self.rng)
        self.input = execution_input
        self.start_time = options.start_time
        self.context_execution: dict[str, Any] = {
            "Id": self.arn,
            "Input": execution_input,
            "Name": self.name,
            "RoleArn": machine.role_arn,
            "StartTime": iso_time(self.start_time),
        }
        if machine.type == "STANDARD":  # Express executions cannot be redriven: AWS shows no RedriveCount
            self.context_execution["RedriveCount"] = 0
        self.context_state_machine = {"Id": machine.arn, "Name": machine.name}
        self.variables: Variables = ChainMap({})  # the top-level scope
        self.path: list[str] = []
        self.timeline: list[TimelineEntry] = []
        self.observations: list[tuple[str, str, Any]] = []
        self.records: dict[str, StateRecord] = {}
        self.status = "RUNNING"
        self.output: Any = None
        self.error: str | None = None
        self.cause: str | None = None
        self.stop_time: float | None = None
        self._main: Fiber | None = None
        self.ending = False  # set while the execution itself cancels what still runs (timeout, stop)
        self._lane = Lane(self.history, 0)
        self._stop_after = options.stop_after

    # Called by visit_state ---------------------------------------------------------------------

    def record_entry(self, name: str, state_input: Any) -> int:
        """Note that a state was entered (the path, the timeline, its latest input); return the visit's index."""
        self.path.append(name)
        self.timeline.append(TimelineEntry(name, self.scheduler.now))
        record = self.records.get(name)
        if record is None:
            record = self.records[name] = StateRecord(name)
        record.input = state_input
        record.entered += 1
        return len(self.timeline) - 1

    def observe(self, kind: str, state: Any, detail: Any) -> None:
        """Note what a state did, for workflow coverage: ``kind`` is transition (detail: the next state, None
        at an end), choice (the rule's index, or "Default"), retry / catch (the retrier's / catcher's index),
        branch (a Parallel branch's index), iteration (a Map iteration ran)."""
        self.observations.append((kind, state.location, detail))

    def record_exit(self, visit_index: int, name: str, output: Any) -> None:
        """Note a state's output and when it left."""
        self.timeline[visit_index].exited_at = self.scheduler.now
        record = self.records[name]
        record.output = output
        record.exited = True

    # Running -----------------------------------------------------------------------------------

    def run(self) -> ExecutionResult:
        """Run until the execution ends or is suspended; return its result."""
        lane = self._lane
        # AWS links the first state's event to 0, not to ExecutionStarted.
        lane.emit(
            "ExecutionStarted",
            "executionStartedEventDetails",
            {"input": self.input, "roleArn": self.machine.role_arn},
            advance=False,
        )
        self._main = self.scheduler.spawn(
            run_branch(self.machine.model.root, Frame(self, lane, self.variables), self.input), self._finished
        )
        timeout = self.machine.model.timeout_seconds
        if timeout:
            self.scheduler.call_at(self.start_time + timeout, self._timed_out)
        if self._stop_after is not None:
            self.scheduler.call_at(self.start_time + self._stop_after, self._aborted)
        self.resume()
        return ExecutionResult(self)

    def resume(self) -> None:
        """Run on until the execution ends or waits on the outside again."""
        self._drive(self.scheduler.run)

    def advance(self, seconds: float) -> None:
        """Let virtual time pass while the execution waits on the outside."""
        self._drive(lambda: self.scheduler.advance(seconds))

    def _drive(self, step: Any) -> None:
        if self.status != "RUNNING":
            return
        try:
            step()
        except Exception as bug:  # a defect in sfnlocal itself: report it as a result, not a traceback
            self._end(
                "FAILED",
                "ExecutionFailed",
                "executionFailedEventDetails",
                StatesError(
                    INTERNAL_ERROR,
                    f"{type(bug).__name__}: {bug} (this is a bug in sfnlocal; "
                    "please report it with the definition and input)",
                ),
            )
        if self.status != "RUNNING" and self._owns_aws:
            self.aws.stop()

    def new_token(self) -> str:
        """A task token, from the execution's seeded source."""
        return str(UUID(int=self.rng.getrandbits(128), version=4))

    def _finished(self, fiber: Fiber) -> None:
        if fiber.error is None:
            self.output = fiber.result
            self._lane.emit("ExecutionSucceeded", "executionSucceededEventDetails", {"output": fiber.result})
            self.status = "SUCCEEDED"
            self.stop_time = self.scheduler.now
            self.scheduler.stop()
        else:
            self._end("FAILED", "ExecutionFailed", "executionFailedEventDetails", fiber.error)

    def _end(self, status: str, event: str, details_key: str, error: StatesError) -> None:
        self._lane.emit(event, details_key, error.event_details())
        # Like the event, the result has no cause where AWS records none (timeouts carry "").
        self.status, self.error, self.cause = status, error.error, error.cause or None
        self.stop_time = self.scheduler.now
        self.scheduler.stop()

    def _timed_out(self) -> None:
        if self.status != "RUNNING" or self._main is None:
            return
        self.ending = True
        self.scheduler.cancel(self._main)
        self._lane.last = len(self.history)
        self._end(
            "TIMED_OUT", "ExecutionTimedOut", "executionTimedOutEventDetails", StatesError("States.Timeout", None)
        )

    def _aborted(self) -> None:
        """StopExecution at this instant: everything running is cancelled and ExecutionAborted recorded."""
        if self.status != "RUNNING" or self._main is None:
            return
        self.ending = True
        self.scheduler.cancel(self._main)
        # Recorded from AWS: ExecutionAborted links to event 0, with empty details.
        self._lane.last = 0
        self._end("ABORTED", "ExecutionAborted", "executionAbortedEventDetails", StatesError(None, None))
