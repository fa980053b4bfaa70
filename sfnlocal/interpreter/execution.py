"""One execution of a state machine: its history, random source, records, and the integration serving its tasks.

The top-level branch runs as the first fiber. When it finishes the execution records
ExecutionSucceeded/Failed; the machine's ``TimeoutSeconds`` is a timer that cancels everything and
records ExecutionTimedOut. If every fiber is waiting on something outside the execution and no timer
is due, the run stops with status RUNNING (suspended, not hung).

Every execution is bounded (see :class:`ExecutionOptions`): by AWS's maximum execution time (one year for
a Standard machine, five minutes for an Express one, as the quotas page gives them), by AWS's history
limit (Standard only, unless the caller sets another), by the number of states it may enter
(``transition_limit``, sfnlocal's own: a loop that never waits never moves the virtual clock, so no
timeout would end it), and by the end of the clock (the last instant a timestamp can hold).

Child executions (``states:startExecution``, the AWS SDK's ``sfn:startExecution``) run as children of
the execution that started them: on its scheduler and virtual clock, sharing its task tokens and
activities (:class:`~sfnlocal.interpreter.callbacks.Callbacks`) and its integration, each with a history,
random source and records of its own. A child that waits for a token leaves its parent's ``.sync`` task
waiting too; answering the token through any of them resumes both. A child started without ``.sync``
runs on after its parent ends, until it ends or waits on the outside.

The execution receives its integration (:mod:`sfnlocal.interpreter.integration`); it builds none and
closes none: whoever opened resources for it passes ``on_finished`` to be told when it is over.
"""

from __future__ import annotations

import math
import weakref
from collections import ChainMap, Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from random import Random
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

from sfnlocal.interpreter import registry
from sfnlocal.interpreter.callbacks import Callbacks
from sfnlocal.interpreter.collector import execution_started, execution_stopped
from sfnlocal.interpreter.history import AWS_HISTORY_LIMIT, History, Lane
from sfnlocal.interpreter.integration import Integration, TaskRequest
from sfnlocal.interpreter.journal import Journal
from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.interpreter.scheduler import Fiber, Scheduler, Timer
from sfnlocal.interpreter.states.base import Frame, iso_time
from sfnlocal.interpreter.visit import run_branch
from sfnlocal.interpreter.visits import EXIT_STAMP, EXITED_AT, NEXT, OUTPUT, VisitEntry
from sfnlocal.language.errors import (
    CLOCK_EXHAUSTED,
    INTERNAL_ERROR,
    TIMEOUT,
    TRANSITION_LIMIT_EXCEEDED,
    StatesError,
)
from sfnlocal.language.identifiers import LazyRandom, SeededSource, seeded_uuid4
from sfnlocal.language.jsontext import PayloadBound
from sfnlocal.language.resources import TaskResource
from sfnlocal.language.state_fields import EXPRESS, STANDARD
from sfnlocal.language.variables import Variables

if TYPE_CHECKING:
    from sfnlocal.interpreter.machine import Machine
    from sfnlocal.interpreter.states.base import State
    from sfnlocal.interpreter.states.map_run import MapRun

RUNNING = "RUNNING"
_T = TypeVar("_T")
_O = TypeVar("_O")

# AWS's maximum execution time (the quotas page, "Maximum execution time"): an execution that runs longer
# "will fail with a States.Timeout error". One year is taken as 365 days.
MAX_DURATION_SECONDS = {STANDARD: 365 * 86_400.0, EXPRESS: 300.0}
# The last instant a timestamp can hold (9999-12-31T23:59:59.999Z): history events, the context object and
# $now() write the clock as a date, and year 10000 has none.
END_OF_TIME = 253_402_300_799.999
# sfnlocal's own bound on the states one execution enters (not AWS's): with history_limit=None, or for an
# Express machine (whose history AWS does not limit), it is what ends a loop that never waits.
DEFAULT_TRANSITION_LIMIT = 100_000
# How many times in a row ``on_suspend`` may say it delivered something before the execution is left as it stands:
# a handler that fails and is called again forever (a queue without a dead-letter queue) must not hang the caller.
MAX_SUSPEND_ROUNDS = 1_000


@dataclass(frozen=True)
class ExecutionOptions:
    """How to run one execution (see :meth:`sfnlocal.StateMachine.execute`).

    ``history_limit`` None: no limit on the history. ``transition_limit`` None: no limit on the states entered.
    ``clock_outside``: the clock is moved from outside only (``ExecutionResult.advance``), never by the
    scheduler itself: the execution stops at every timer, as a server's wall clock drives it. ``journal``: what
    came into the execution from outside is recorded there, and what it already holds is replayed first (see
    :mod:`sfnlocal.interpreter.journal`).

    ``on_suspend``: called with the execution's result each time the top-level execution (and every child it
    started) stops because it waits on the outside (a task token, an activity worker), and once more when it has
    ended, so that the application around it can act: an event pump delivering SQS messages to the Lambda that
    answers the token (:mod:`sfnlocal.integrations.aws.event_sources`). When it returns True (it delivered
    something) the execution runs on and the hook is called again the next time it stops; after
    ``MAX_SUSPEND_ROUNDS`` rounds in a row the execution stays where it is. The hook runs inside the execution's
    run: a token answered from it is picked up by that run, and ``result.advance()`` lets virtual time pass.
    ``describe_world``: what :attr:`ExecutionResult.world_summary` answers (the execution's application in its
    in-process AWS world), given by the caller that has the world.
    """

    start_time: float
    name: str | None = None
    seed: int = 0
    real_time: bool = False
    history_limit: int | None = AWS_HISTORY_LIMIT
    stop_after: float | None = None
    transition_limit: int | None = DEFAULT_TRANSITION_LIMIT
    clock_outside: bool = False
    journal: Journal | None = None
    on_suspend: Callable[[ExecutionResult], bool] | None = None
    describe_world: Callable[[], dict[str, Any]] | None = None
    stop_error: str | None = None  # StopExecution's error and cause, for stop_after
    stop_cause: str | None = None


def plain_options(
    start_time: float,
    name: str | None,
    seed: int,
    real_time: bool,
    history_limit: int | None,
    stop_after: float | None,
    transition_limit: int | None,
    stop_error: str | None,
    stop_cause: str | None,
) -> ExecutionOptions:
    """``ExecutionOptions`` with neither journal nor hooks: options are immutable, so executions run with the same
    ones share them (made again only for other values, or values that cannot be kept).

    >>> first = plain_options(0.0, None, 0, False, 100, None, 10, None, "why")
    >>> first is plain_options(0.0, None, 0, False, 100, None, 10, None, "why"), first.stop_cause, first.journal
    (True, 'why', None)
    """
    fields = (start_time, name, seed, real_time, history_limit, stop_after, transition_limit, stop_error, stop_cause)
    if type(seed) is not int or type(real_time) is not bool:  # (what a caller passed as them may not be hashable)
        return _options(*fields)
    return _shared_options(*fields)


def _options(*fields: Any) -> ExecutionOptions:
    """``ExecutionOptions`` from plain_options' fields (the frozen dataclass costs ~1.7 us to build: hence the
    cache)."""
    start_time, name, seed, real_time, history_limit, stop_after, transition_limit, stop_error, stop_cause = fields
    return ExecutionOptions(
        start_time,
        name,
        seed,
        real_time,
        history_limit,
        stop_after,
        transition_limit,
        stop_error=stop_error,
        stop_cause=stop_cause,
    )


_shared_options = lru_cache(maxsize=32, typed=True)(_options)


class _WhenMissing(Generic[_T]):
    """What an execution reads as an attribute it has not set: ``make(execution)``, which becomes its attribute if
    ``keep``. A class that supplies what it does not set itself from elsewhere, through ``__getattr__`` (MapChild: from
    its parent execution), reads it from there, as it would if this were an attribute like any other."""

    def __init__(self, make: Callable[[Execution], _T], keep: bool = True) -> None:
        self._make = make
        self._keep = keep
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _WhenMissing[_T]: ...

    @overload
    def __get__(self, instance: Execution, owner: type | None = None) -> _T: ...

    def __get__(self, instance: Execution | None, owner: type | None = None) -> _T | _WhenMissing[_T]:
        if instance is None:
            return self
        supplier = getattr(type(instance), "__getattr__", None)
        if supplier is not None:
            return supplier(instance, self._name)
        value = self._make(instance)
        if self._keep:
            instance.__dict__[self._name] = value
        return value


class Execution:
    """Everything one run shares; states reach it through their :class:`Frame`.

    It is also the running Step Functions its integration sees (the
    :class:`~sfnlocal.interpreter.integration.StepFunctions` protocol): child executions and task tokens.
    """

    # Slots for what __init__ sets (every run sets ~40 attributes: more than an instance dict shares keys for, so a
    # dict of their own would be built and grown for each run). The dict holds what is made when first read, or let
    # go of (see _WhenMissing), and what a subclass sets.
    __slots__ = (
        "__dict__",
        "__weakref__",
        "machine",
        "options",
        "journal",
        "integration",
        "_source",
        "parent",
        "scheduler",
        "driving",
        "registry",
        "children",
        "history",
        "invocations",
        "map_runs",
        "region",
        "account",
        "state_machine_name",
        "name",
        "arn",
        "input",
        "input_bound",
        "start_time",
        "variables",
        "visits",
        "note_visit",
        "observations",
        "entered",
        "entry_limit",
        "status",
        "output",
        "error",
        "cause",
        "stop_time",
        "_main",
        "ending",
        "_stopping",
        "_lane",
        "_timers",
        "_when_ended",
        "_on_finished",
        "_result_ref",
    )

    def __init__(
        self,
        machine: Machine,
        execution_input: Any,
        options: ExecutionOptions,
        integration: Integration,
        *,
        parent: Execution | None = None,
        on_finished: Callable[[], None] | None = None,
        input_bound: PayloadBound | None = None,
    ) -> None:
        self.machine = machine
        self.options = options
        # One journal for the whole tree: children's tasks and tokens are the top-level execution's to replay.
        self.journal: Journal | None = options.journal if parent is None else parent.journal
        if parent is None and self.journal is not None:
            integration = self.journal.serving(integration)
            self.journal.position = lambda: len(self.history)
            self.journal.on_redrive = self.redriven
        self.integration = integration
        self._source = SeededSource(options.seed)
        self.parent = parent
        # Itself for a top-level execution (a reference cycle, until it has ended: see _release).
        self.root = self if parent is None else parent.root
        if parent is None:
            self.scheduler = Scheduler(options.start_time, options.real_time)
            if options.clock_outside:
                self.scheduler.waiting_on_outside = _always
            self.driving = False  # set while the execution tree runs (see _drive)
            # Children are found where machines were registered when this execution started.
            self.registry = registry.current()
        else:
            self.scheduler, self.registry = parent.scheduler, parent.registry
        self.children: list[Execution] = []
        self.history = History(self.scheduler, options.history_limit)
        self.invocations: dict[str, int] = {}  # Task invocations so far, per state name
        self.map_runs: list[MapRun] = []  # the Distributed Map runs of this execution, in the order they started
        self.region = machine.region
        self.account = machine.account
        self.state_machine_name = machine.name
        self.name = options.name or machine.new_execution_name(self._source)
        self.arn = machine.execution_arn(self.name, self._source)
        self.input = execution_input
        self.input_bound = input_bound  # a bound on the input's measure, when whoever started the execution knows one
        self.start_time = options.start_time
        self.variables: Variables = ChainMap({})  # the top-level scope
        # One entry per state visit, in the order they were entered (see visits.py): the path, the timeline and the
        # state records are read from it when asked for.
        self.visits: list[VisitEntry] = []
        self.note_visit: Callable[[VisitEntry], None] = self.visits.append  # a visit noted whole, by visit_now
        # What states did besides their transitions (which the visits hold), for workflow coverage: each with the
        # number of events recorded when it happened, so that both read back in the order they happened.
        self.observations: list[tuple[int, str, str, Any]] = []
        self.entered = 0  # states entered so far (what transition_limit bounds)
        limit = options.transition_limit
        self.entry_limit: float = math.inf if limit is None else limit
        self.status = RUNNING
        self.output: Any = None
        self.error: str | None = None
        self.cause: str | None = None
        self.stop_time: float | None = None
        self._main: Fiber | None = None
        self.ending = False  # set while the execution itself cancels what still runs (timeout, stop)
        self._stopping = False  # set when the transition limit stops the execution (stop_after given)
        self._lane = Lane(self.history, 0)
        self._timers: list[Timer] = []  # this execution's own timers (its deadline, stop_after)
        self._when_ended: list[Callable[[], None]] = []
        self._on_finished = on_finished
        # The one live view of this execution, for its caller and parent: held here until the execution and its
        # children have ended, then only by whoever holds it (see _release).
        self.result = ExecutionResult(self)
        self._result_ref: weakref.ref[ExecutionResult] | None = None

    def _released_result(self) -> ExecutionResult:
        """The result once the execution has let go of it (see _release): the one its caller holds, if any."""
        assert self._result_ref is not None
        result = self._result_ref()
        if result is None:  # let go of by everyone: a new view, held as weakly
            result = ExecutionResult(self)
            self._result_ref = weakref.ref(result)
        return result

    def _random_source(self) -> Random:
        # Not the generator itself: a stand-in that makes it on the first draw (see LazyRandom), typed as what it
        # stands for.
        return cast(Random, LazyRandom(self._source))

    def _context_execution(self) -> dict[str, Any]:
        context: dict[str, Any] = {
            "Id": self.arn,
            "Input": self.input,
            "Name": self.name,
            "RoleArn": self.machine.role_arn,
            "StartTime": iso_time(self.start_time),
        }
        if self.machine.type == STANDARD:  # Express executions cannot be redriven: AWS shows no RedriveCount
            context["RedriveCount"] = 0
        return context

    def _context_state_machine(self) -> dict[str, Any]:
        return {"Id": self.machine.arn, "Name": self.machine.name}

    def _new_callbacks(self) -> Callbacks:
        """The callbacks of the execution tree: the top-level execution's, made when first asked for (most executions
        wait on no token or activity), and shared by its children."""
        if self.parent is not None:
            return self.parent.callbacks
        # Weakly: a reference back to the execution would be a cycle, which only the collector frees. They are called
        # only while the execution is there (it holds its callbacks; its children hold it).
        callbacks = Callbacks(self.scheduler, _weakly(self, Execution.resume, None), _weakly(self, _driving, False))
        if not self.options.clock_outside:  # (until now nothing could wait on the outside)
            self.scheduler.waiting_on_outside = _weakly(callbacks, Callbacks.waiting_on_outside, False)
        return callbacks

    def _counter(self) -> Counter[Any]:
        return Counter()

    def _itself(self) -> Execution:
        return self

    # What an execution reads when it has not set it (see _WhenMissing). Made when first read, as most executions
    # never need them:
    rng = _WhenMissing(_random_source)  # the execution's seeded random source (see SeededSource)
    callbacks = _WhenMissing(_new_callbacks)  # the task tokens and activity tasks the execution tree waits on
    context_execution = _WhenMissing(_context_execution)  # $$.Execution: the same dict each time (a redrive updates it)
    context_state_machine = _WhenMissing(_context_state_machine)  # $$.StateMachine
    # What the child executions of its Distributed Map runs (at any depth) did, counted rather than listed: each child
    # is an execution of its own, whose states are not in this one's path (see map_child.py).
    child_states: _WhenMissing[Counter[str]] = _WhenMissing(_counter)
    child_observations: _WhenMissing[Counter[tuple[str, str, Any]]] = _WhenMissing(_counter)
    # What a top-level execution lets go of once it has ended (see _release), worked out each time from then on:
    root = _WhenMissing(_itself, keep=False)
    result = _WhenMissing(_released_result, keep=False)

    # Called by visit_state ---------------------------------------------------------------------

    def record_entry(self, state: State, state_input: Any) -> int:
        """Note that a state was entered (with this input, now); return the visit's index."""
        self.entered += 1
        self.visits.append([state, self.scheduler.now, state_input, None, None, None, None])
        if self.journal is not None and self.journal.redrive is not None and self.parent is None:
            self.journal.entered(len(self.history))
        return len(self.visits) - 1

    def observe(self, kind: str, state: State, detail: Any) -> None:
        """Note what a state did, for workflow coverage: ``kind`` is choice (the rule's index, or "Default"), retry /
        catch (the retrier's / catcher's index), branch (a Parallel branch's index), iteration (a Map iteration ran).
        Transitions are read from the visits (see :func:`~sfnlocal.interpreter.visits.observations`)."""
        self.observations.append((len(self.history), kind, state.location, detail))

    def record_exit(self, visit_index: int, output: Any, next_state: str | None) -> None:
        """Note a visit's output, when it left (now), and where it went (``next_state``; None at an end)."""
        entry = self.visits[visit_index]
        assert isinstance(entry, list)  # noted at entry, completed here (visit_now notes a tuple, whole)
        entry[EXITED_AT] = self.scheduler.now
        entry[OUTPUT] = output
        entry[EXIT_STAMP] = len(self.history)
        entry[NEXT] = next_state

    # Running -----------------------------------------------------------------------------------

    def run(self) -> ExecutionResult:
        """Start the execution and run until it ends or is suspended; return its result."""
        result = self.result  # (held here: the execution lets go of it once it has ended)
        self.start()
        self._drive(self.scheduler.run)  # (what resume() does: a top-level execution is its own root)
        return result

    def start(self) -> None:
        """Record ExecutionStarted and schedule the top-level branch (it runs when the scheduler runs)."""
        lane = self._lane
        # AWS links the first state's event to 0, not to ExecutionStarted.
        lane.emit(
            "ExecutionStarted",
            "executionStartedEventDetails",
            {"input": self.input, "roleArn": self.machine.role_arn},
            advance=False,
        )
        branch = run_branch(self.machine.model.root, Frame(self, lane, self.variables), self.input, self.input_bound)
        self._main = self.scheduler.spawn(branch, self._finished)
        # Made when the scheduler first looks at its timers: most executions have ended by then, and need none.
        self.scheduler.call_at_lazily(self._first_deadline)
        if self.options.stop_after is not None:
            stopped = partial(self._aborted, self.options.stop_error, self.options.stop_cause)
            self._timers.append(self.scheduler.call_at(self.start_time + self.options.stop_after, stopped))

    def redriven(self, instant: float, count: int) -> None:
        """A redrive picks the execution up at ``instant``: its clock moves there, the machine's TimeoutSeconds
        start again (AWS resets the state machine's timeout on a redrive) and ``$$.Execution.RedriveCount`` is
        ``count``."""
        self.scheduler.now = max(self.scheduler.now, instant)
        for timer in self._timers:
            timer.cancel()
        self._redriven = True  # (the deadline start() set is not made, if it was not yet)
        self._timers = [self.scheduler.call_at(*self._deadline(self.scheduler.now))]
        self.context_execution["RedriveCount"] = count

    _redriven = False

    def _first_deadline(self) -> Timer | None:
        """The deadline start() set (see Scheduler.call_at_lazily): none if the execution has ended, or a redrive
        set another."""
        if self.status != RUNNING or self._redriven:
            return None
        when, end, passive = self._deadline(self.start_time)
        timer = Timer(when, end, passive=passive)
        self._timers.append(timer)
        return timer

    def _deadline(self, start: float) -> tuple[float, Callable[[], None], bool]:
        """When the execution ends if it is still running, counted from ``start`` (its start, or a redrive's), how,
        and whether passively (see Scheduler): the machine's TimeoutSeconds, AWS's maximum execution time, or the end
        of the clock, whichever comes first."""
        timeout = self.machine.model.timeout_seconds
        longest = MAX_DURATION_SECONDS[self.machine.type]
        # AWS's maximum and the end of the clock wait passively: a task that never answers leaves the execution
        # suspended (RUNNING) instead of jumping to them; TimeoutSeconds moves the clock, as it always has.
        if timeout and timeout <= longest:
            when, end, passive = start + timeout, self._timed_out, False
        else:
            # "Runs for more than" the maximum: an execution that ends at that very instant has not.
            when, end, passive = math.nextafter(start + longest, math.inf), self._ran_too_long, True
        if when > END_OF_TIME:
            when, end, passive = max(END_OF_TIME, start), self._clock_exhausted, True
        return when, end, passive

    def resume(self) -> None:
        """Run on until everything started from the top-level execution ends or waits on the outside again."""
        self.root._drive(self.scheduler.run)

    def advance(self, seconds: float) -> None:
        """Let virtual time pass while the executions wait on the outside (a ValueError for a number of seconds
        that is not finite and 0 or more)."""
        if not 0 <= seconds < math.inf:
            raise ValueError(f"advance() takes a number of seconds, 0 or more, not {seconds!r}")
        self.root._drive(lambda: self.scheduler.advance(seconds))

    def _drive(self, step: Callable[[], None]) -> None:
        was_running, self.driving = self.driving, True
        try:
            execution_started()  # (a lazier cyclic collector while it runs: see collector.py)
            try:
                step()
            finally:
                execution_stopped()
            if not was_running and self.options.on_suspend is not None:
                self._let_outside_act(self.options.on_suspend)
        except Exception as bug:  # a defect in sfnlocal itself: report it as a result, not a traceback
            if self.status == RUNNING:
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
        finally:
            self.driving = was_running
        # Only the outermost drive: an on_suspend hook's advance() drives the execution from inside another.
        if not was_running and not self.active():
            self._release()
            if self._on_finished is not None:
                finished, self._on_finished = self._on_finished, None
                finished()

    def _release(self) -> None:
        """Once this top-level execution and its children have ended, nothing runs in them again: its result is held
        only by whoever holds it, and it is its own root without referring to itself (see root and result), so that
        letting go of its result frees the execution by reference counting alone, without waiting for the cyclic
        garbage collector (whose collections then cost the next executions' time). While it runs or waits on the
        outside the execution holds its result, even when its caller has let go of it."""
        attributes = vars(self)
        result = attributes.pop("result", None)
        if result is not None:
            self._result_ref = weakref.ref(result)
        attributes.pop("root", None)

    def _let_outside_act(self, hook: Callable[[ExecutionResult], bool]) -> None:
        """Call ``hook`` while the execution tree waits on the outside (or has ended), running on after each round in
        which it delivered something, at most MAX_SUSPEND_ROUNDS times (see ExecutionOptions.on_suspend)."""
        for _ in range(MAX_SUSPEND_ROUNDS):
            # Stopped for another reason (a timer the caller moves, with clock_outside): not the hook's to act on.
            if self.active() and not self.callbacks.waiting_on_outside():
                return
            if not hook(self.result):
                return
            self.scheduler.run()

    def active(self) -> bool:
        """Whether this execution or a child it started (at any depth) is still running."""
        if self.status == RUNNING:
            return True
        for child in self.children:  # (a loop: most executions have none, and any() of a generator costs more)
            if child.active():
                return True
        return False

    def when_ended(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once this execution has ended (at once if it has)."""
        if self.status != RUNNING:
            callback()
        else:
            self._when_ended.append(callback)

    def new_token(self) -> str:
        """A task token, from the execution's seeded source."""
        return seeded_uuid4(self.rng)

    def task_request(
        self,
        state_name: str,
        resource: TaskResource,
        arguments: Any,
        task_token: str | None,
        part: str = "Task",
        iteration: tuple[int, ...] = (),
    ) -> TaskRequest:
        """What this execution hands its integration for one invocation of ``state_name``'s ``part`` (a Task's
        Resource, a Distributed Map's ItemReader or ResultWriter): ``arguments``, which the request copies for the
        integration when it reads them (what it changes is not what history recorded), the invocation's count,
        and the execution's identity, clock, random source and running Step Functions."""
        counted = state_name if part == "Task" else f"{state_name}#{part}"
        return TaskRequest(
            state_name,
            resource,
            arguments,
            task_token,
            self.invocation(counted),
            self.region,
            self.account,
            self.machine.arn,
            self.arn,
            self.scheduler,
            self.rng,
            self,
            part,
            iteration,
        )

    def invocation(self, state_name: str) -> int:
        """Count one more invocation of the Task ``state_name``; return how many came before it."""
        count = self.invocations.get(state_name, 0)
        self.invocations[state_name] = count + 1
        return count

    def _finished(self, fiber: Fiber) -> None:
        if self._stopping:
            self._aborted_now()
        elif fiber.error is None:
            self.output = fiber.result
            self._lane.emit("ExecutionSucceeded", "executionSucceededEventDetails", {"output": fiber.result})
            self._ended("SUCCEEDED")
        else:
            self._end("FAILED", "ExecutionFailed", "executionFailedEventDetails", fiber.error)

    def _end(self, status: str, event: str, details_key: str, error: StatesError) -> None:
        self._lane.emit(event, details_key, error.event_details())
        # Like the event, the result has no cause where AWS records none (timeouts carry "").
        self.error, self.cause = error.error, error.cause or None
        self._ended(status)

    def _ended(self, status: str) -> None:
        self.status = status
        self.stop_time = self.scheduler.now
        for timer in self._timers:
            timer.cancel()
        callbacks, self._when_ended = self._when_ended, []
        for callback in callbacks:
            callback()

    def _timed_out(self) -> None:
        # Recorded (test_timeouts.py::test_global_timeout): an execution stopped by the machine's TimeoutSeconds
        # describes itself with neither error nor cause, so its event carries none either.
        self._stop("TIMED_OUT", "ExecutionTimedOut", "executionTimedOutEventDetails", StatesError(None, None))

    def _ran_too_long(self) -> None:
        # The quotas page: an execution past AWS's maximum execution time "will fail with a States.Timeout
        # error" (and counts as ExecutionsTimedOut); no recording shows its event, so the error is the quota's.
        self._stop("TIMED_OUT", "ExecutionTimedOut", "executionTimedOutEventDetails", StatesError(TIMEOUT, None))

    def _clock_exhausted(self) -> None:
        # Only an execution started within a year of year 10000 gets here (AWS's maximum execution time ends
        # any other first): sfnlocal's own failure, since no timestamp can follow this instant.
        self._stop(
            "FAILED",
            "ExecutionFailed",
            "executionFailedEventDetails",
            StatesError(
                CLOCK_EXHAUSTED,
                "The virtual clock reached 9999-12-31T23:59:59.999Z, the last instant a timestamp can hold; "
                "start the execution earlier (start_time) or wait less",
            ),
        )

    def _stop(self, status: str, event: str, details_key: str, error: StatesError) -> None:
        """End the execution from outside its states: cancel what runs, link the event to the last one."""
        if self.status != RUNNING or self._main is None:
            return
        self.ending = True
        self.scheduler.cancel(self._main)
        self._lane.last = len(self.history)
        self._end(status, event, details_key, error)

    def may_enter(self) -> None:
        """Raise StatesError when the execution has entered as many states as its ``transition_limit``; with
        ``stop_after`` set, stop it instead, as the StopExecution the caller asked for would have (see
        ``execute()``'s docs). Called before a state's Entered event."""
        limit = self.options.transition_limit
        if limit is None or self.entered < limit:
            return
        if self.options.stop_after is not None:
            self.ending = self._stopping = True
            raise StatesError(TRANSITION_LIMIT_EXCEEDED, "stopped")
        raise transition_limit_exceeded(limit)

    def _aborted(self, error: str | None = None, cause: str | None = None) -> None:
        """StopExecution at this instant: everything running is cancelled and ExecutionAborted recorded (with the
        error and cause StopExecution was given, if any)."""
        if self.status != RUNNING or self._main is None:
            return
        self.ending = True
        self.scheduler.cancel(self._main)
        self._aborted_now(error, cause)

    def stop(self, error: str | None = None, cause: str | None = None) -> None:
        """StopExecution for a running execution (nothing for one that has ended)."""
        self.root._drive(lambda: self._aborted(error, cause))

    def _aborted_now(self, error: str | None = None, cause: str | None = None) -> None:
        # Recorded from AWS: ExecutionAborted links to event 0, with empty details when no error or cause is given.
        self._lane.last = 0
        self._end("ABORTED", "ExecutionAborted", "executionAbortedEventDetails", StatesError(error, cause))

    # The running Step Functions, as integrations see it --------------------------------------------

    def start_execution(self, state_machine: str, input: Any, name: str | None = None) -> ExecutionResult:
        """Start a child execution of the machine registered under this ARN or name (see
        :mod:`sfnlocal.interpreter.registry`), at this execution's clock time; it runs when this
        execution's fiber next waits. Raises LookupError when no such machine is registered."""
        machine = self.registry.find(state_machine)
        if machine is None:
            raise LookupError(state_machine)
        options = ExecutionOptions(
            self.scheduler.now,
            name,
            seed=self.rng.getrandbits(32),
            real_time=self.options.real_time,
            history_limit=self.options.history_limit,
            transition_limit=self.options.transition_limit,
        )
        child = Execution(machine, input, options, self.integration, parent=self)
        self.children.append(child)
        child.start()
        return child.result

    def send_task_success(self, token: str, output: Any) -> None:
        """SendTaskSuccess for a task of this execution tree."""
        self.callbacks.succeed(token, output)

    def send_task_failure(self, token: str, error: str | None, cause: str | None) -> None:
        """SendTaskFailure for a task of this execution tree."""
        self.callbacks.fail(token, error, cause)

    def send_task_heartbeat(self, token: str) -> None:
        """SendTaskHeartbeat for a task of this execution tree."""
        self.callbacks.heartbeat(token)

    def waits_for(self, token: str) -> bool:
        """Whether a task of this execution tree waits for ``token`` now."""
        return token in self.callbacks.waiting_tokens()


def _weakly(target: _O, method: Callable[[_O], _T], gone: _T) -> Callable[[], _T]:
    """``method(target)``, as a function that does not keep ``target`` alive: ``gone`` once it is let go of.

    >>> class Counter:
    ...     def count(self):
    ...         return 1
    >>> counter = Counter()
    >>> count = _weakly(counter, Counter.count, 0)
    >>> count(), (counter := None), count()
    (1, None, 0)
    """
    ref = weakref.ref(target)

    def call() -> _T:
        held = ref()
        return gone if held is None else method(held)

    return call


def _always() -> bool:
    return True


def _driving(execution: Execution) -> bool:
    return execution.driving


def transition_limit_exceeded(limit: int) -> StatesError:
    """The failure of an execution that entered ``limit`` states, its ``transition_limit``.

    >>> transition_limit_exceeded(10).error
    'sfnlocal.TransitionLimitExceeded'
    """
    return StatesError(
        TRANSITION_LIMIT_EXCEEDED,
        f"The execution entered {limit:,} states, the transition_limit sfnlocal sets (AWS has no such "
        "limit): a loop that never waits does not move the virtual clock, so no timeout ends it. Pass "
        "execute(transition_limit=...) a larger number, or None, if the run is meant to be this long",
    )
