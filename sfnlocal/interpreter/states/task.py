"""The Task state: hands its invocation to the execution's integration and waits, on the clock, for the outcome.

Order of work, as AWS does it: InputPath, Parameters (with ``$$.Task.Token`` for
``.waitForTaskToken``, ``.sync`` and activities), TimeoutSeconds(Path) / HeartbeatSeconds(Path), the
call and its history events, ResultSelector, ResultPath, OutputPath.

History: a plain Lambda function ARN gets ``LambdaFunction*`` events, an activity ``Activity*``
events, every service integration ``Task*`` events with ``resourceType``/``resource``.

The integration answers with an outcome (:mod:`sfnlocal.interpreter.integration`); a task nothing
serves waits for a worker if it is an activity, and otherwise fails with ``sfnlocal.MockMissing``.
"""

from __future__ import annotations

import reprlib
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.callbacks import HEARTBEAT, MAX_CAUSE_LENGTH, MAX_ERROR_LENGTH, ActivityTask, Reported
from sfnlocal.interpreter.integration import (
    AwaitExecution,
    AwaitToken,
    AwaitWorker,
    CopiedResult,
    Failure,
    Integration,
    NeverAnswers,
    Outcome,
    Result,
    Submitted,
    TaskRequest,
    invoke_guarded,
)
from sfnlocal.interpreter.scheduler import TIMED_OUT, Park, Sleep
from sfnlocal.interpreter.states.base import AFTER_ARGUMENTS, RESULT, State, StateRun, Visit
from sfnlocal.language.dataflow import SelectPath
from sfnlocal.language.errors import (
    DATA_LIMIT_EXCEEDED,
    MOCK_INVALID,
    MOCK_MISSING,
    RUNTIME,
    TIMEOUT,
    ReportedFailure,
    RuntimeFailure,
    StatesError,
)
from sfnlocal.language.fields import Field
from sfnlocal.language.json_checks import MAX_DEPTH, payload_bytes
from sfnlocal.language.jsonata.expression import QueryEvaluationFailure
from sfnlocal.language.jsontext import (
    MAX_PAYLOAD_BYTES,
    InvalidJsonValue,
    PayloadBound,
    bounded_json_copy,
    compact_json,
    escape_lone_surrogates,
)
from sfnlocal.language.payload import bounded
from sfnlocal.language.resources import ACTIVITY, LAMBDA_FUNCTION, SYNC, SYNC2, WAIT_FOR_TASK_TOKEN, parse_resource

if TYPE_CHECKING:
    from sfnlocal.interpreter.model import Branch


class _Events:
    """Event type names and detail shapes for one kind of resource."""

    __slots__ = ("prefix", "details_prefix", "service_fields", "_names")

    def __init__(self, prefix: str, details_prefix: str, service_fields: dict[str, str] | None) -> None:
        self.prefix = prefix
        self.details_prefix = details_prefix
        self.service_fields = service_fields or {}
        # Per suffix: the event's type, and its details key when its details are not empty (None: the event has none).
        self._names: dict[str, tuple[str, str | None]] = {}

    def emit(self, visit: Visit, suffix: str, details: dict[str, Any] | None = None) -> None:
        names = self._names.get(suffix)
        if names is None:
            # LambdaFunctionStarted carries no details; ActivityStarted an object, empty without a worker name.
            has_body = bool(self.service_fields) or suffix != "Started" or self.prefix == "Activity"
            key = f"{self.details_prefix}{suffix}EventDetails" if has_body else None
            names = self._names[suffix] = (self.prefix + suffix, key)
        event_type, details_key = names
        service_fields = self.service_fields
        # The details are the caller's own new dict, or none; the service fields are never changed (rendering copies).
        if not service_fields:
            body = details if details is not None else service_fields
        else:
            body = {**service_fields, **details} if details else service_fields
        if details and details_key is None:  # an activity's or Lambda function's Started with details after all
            details_key = f"{self.details_prefix}{suffix}EventDetails"
        visit.frame.lane.emit(event_type, details_key, body)


class _Limits:
    """A task's TimeoutSeconds and HeartbeatSeconds as clock deadlines; a heartbeat restarts the latter."""

    __slots__ = ("started", "timeout_at", "heartbeat", "heartbeat_at")

    def __init__(self, started: float, timeout: int | None, heartbeat: int | None) -> None:
        self.started = started
        self.timeout_at = started + timeout if timeout else None
        self.heartbeat = heartbeat
        self.heartbeat_at = started + heartbeat if heartbeat else None

    def beat(self, now: float) -> None:
        if self.heartbeat:
            self.heartbeat_at = now + self.heartbeat

    def deadline(self) -> float | None:
        limits = [at for at in (self.timeout_at, self.heartbeat_at) if at is not None]
        return min(limits) if limits else None


class TaskState(State):
    """Resource, Parameters, ResultSelector, ResultPath, TimeoutSeconds(Path), HeartbeatSeconds(Path)."""

    type_name = "Task"

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Branch) -> None:
        super().__init__(name, spec, location, parent)
        self.resource = parse_resource(spec["Resource"])
        # The request: Parameters in JSONPath, Arguments in JSONata (each refused in the other language).
        self.arguments = self.field(spec, "Parameters") or self.field(spec, "Arguments")
        self.result_selector = self.field(spec, "ResultSelector")
        self.credentials = self.field(spec, "Credentials")
        self.timeout_seconds = self.field(spec, "TimeoutSeconds")
        self.heartbeat_seconds = self.field(spec, "HeartbeatSeconds")
        self.timeout_path = (
            SelectPath(spec["TimeoutSecondsPath"], f"{location}/TimeoutSecondsPath")
            if "TimeoutSecondsPath" in spec
            else None
        )
        self.heartbeat_path = (
            SelectPath(spec["HeartbeatSecondsPath"], f"{location}/HeartbeatSecondsPath")
            if "HeartbeatSecondsPath" in spec
            else None
        )
        # (most tasks have none: then neither is evaluated at each attempt)
        self.has_time_limits = not (
            self.timeout_seconds is None
            and self.timeout_path is None
            and self.heartbeat_seconds is None
            and self.heartbeat_path is None
        )
        kind = self.resource.kind
        # Which tasks get a task token in ``$$.Task.Token``: callbacks and activities, and ``.sync`` jobs too,
        # which AWS's SendTaskSuccess/SendTaskFailure reference says "optionally" report with it ("Task states
        # using the job run pattern"; the token is "in the context object when a workflow enters a task state").
        self.has_token = kind == ACTIVITY or self.resource.pattern in (WAIT_FOR_TASK_TOKEN, SYNC, SYNC2)
        if kind == LAMBDA_FUNCTION:
            self.events = _Events("LambdaFunction", "lambdaFunction", None)
        elif kind == ACTIVITY:
            self.events = _Events("Activity", "activity", None)
        else:
            self.events = _Events(
                "Task",
                "task",
                {"resourceType": self.resource.resource_type or "", "resource": self.resource.resource or ""},
            )

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        execution = visit.frame.execution
        selected = self.effective_input(visit, state_input)
        if self.has_token:
            visit.task_token = execution.new_token()
        if self.arguments is None:
            arguments, arguments_bound = selected, self.selected_bound(visit)
        else:
            arguments = self.arguments.evaluate(visit, selected)
            template = self.arguments.bound  # (None for a template that calls an intrinsic function, say)
            arguments_bound = None if template is None else bounded(template, self.selected_bound(visit))
        if arguments_bound is None or arguments_bound[1] > MAX_DEPTH:  # their size is not limited, their depth is
            payload_bytes(arguments, self.name, "passed the task arguments")  # refuses them nested too deep to record
        if visit.inspecting:
            visit.inspect(AFTER_ARGUMENTS, arguments)
        timeout = heartbeat = None
        if self.has_time_limits:
            timeout = self._seconds(visit, selected, self.timeout_seconds, self.timeout_path, "TimeoutSecondsPath")
            heartbeat = self._seconds(
                visit, selected, self.heartbeat_seconds, self.heartbeat_path, "HeartbeatSecondsPath"
            )
        self._emit_scheduled(visit, arguments, timeout, heartbeat)
        if self.resource.kind != ACTIVITY:  # an activity starts when a worker takes it
            self.events.emit(visit, "Started")
        started = execution.scheduler.now
        request = execution.task_request(
            self.name, self.resource, arguments, visit.task_token, iteration=visit.frame.iteration
        )
        try:
            outcome = self._invoke(execution.integration, request)
        except StatesError as err:
            self._emit_failed(visit, err)
            raise
        settled: Result | Failure
        if isinstance(outcome, (Result, Failure)) and outcome.after <= 0:
            settled = outcome  # answered at once: nothing to wait for, on the clock or within the time limits
        else:
            settled = yield from self._settle(visit, outcome, _Limits(started, timeout, heartbeat), arguments)
        if isinstance(settled, Failure):
            failed = self._failure(settled)
            self._emit_failed(visit, failed)
            raise failed
        if type(settled) is CopiedResult:
            result, result_bound = settled.value, settled.bound
        else:
            result, result_bound = self._own_copy(settled.value, "result")
        if result_bound[0] > MAX_PAYLOAD_BYTES:
            # AWS names a Lambda function by its ARN and a service integration by its type ('lambda'); no recording
            # shows an activity's, so sfnlocal names the state, as AWS does for a state's own output.
            what = {LAMBDA_FUNCTION: self.resource.arn, ACTIVITY: self.name}.get(
                self.resource.kind, self.resource.resource_type
            )
            too_large = StatesError(
                DATA_LIMIT_EXCEEDED,
                f"The state/task '{what}' returned a result with a size "
                "exceeding the maximum number of bytes service limit.",
            )
            self._emit_failed(visit, too_large)
            raise too_large
        self.events.emit(visit, "Succeeded", {"output": result})
        if visit.inspecting:
            visit.inspect(RESULT, result)
        selected_result: PayloadBound | None = result_bound
        if self.result_selector is not None:
            result = self.result_selector.evaluate(visit, result)
            selected_result = bounded(self.result_selector.bound, result_bound)
        visit.output_bound = self.finish_bound(visit, selected_result)
        return self.finish(visit, state_input, result), self.next

    def _invoke(self, integration: Integration, request: TaskRequest) -> Outcome:
        """The integration's outcome; a task nothing serves waits for a worker (an activity) or fails."""
        outcome = invoke_guarded(integration, request)
        if outcome is None:
            if self.resource.kind == ACTIVITY:
                return AwaitWorker()
            raise StatesError(
                MOCK_MISSING,
                f"State '{self.name}' calls {self.resource.arn} but no mock is registered for it and sfnlocal "
                f"cannot serve it offline; pass mocks={{'{self.name}': mocks.returns(...)}} (or key the mock by "
                "the resource ARN) to execute()",
            )
        if not isinstance(outcome, Outcome):
            raise StatesError(
                MOCK_INVALID,
                f"State '{self.name}': the integration {type(integration).__name__} answered {outcome!r}; "
                "an integration answers with an Outcome (Result, Failure, Submitted, ...) or None",
            )
        return outcome

    def _own_copy(self, value: Any, what: str) -> tuple[Any, PayloadBound]:
        """A private copy of what an integration answered, refused unless it is JSON, and its measure.

        NaN, Infinity or a lone surrogate is what a real function can return (Python's json writes ``NaN``), so
        it fails the task with ``States.Runtime`` (no AWS text was found: the wording is sfnlocal's); any other
        Python object (a set, a date) no AWS service returns is the test set-up's mistake: ``sfnlocal.MockInvalid``.
        """
        try:
            return bounded_json_copy(value, f"the {what} of the task")
        except InvalidJsonValue as err:
            text = str(err)
            raise RuntimeFailure(RUNTIME, text[0].upper() + text[1:]) from None
        except TypeError as err:
            raise StatesError(
                MOCK_INVALID,
                f"State '{self.name}': {err}; a mock, handler or integration answers with JSON values "
                "(dict, list, str, int, float, bool, None)",
            ) from None

    def _failure(self, failure: Failure) -> StatesError:
        """The error an integration's failure raises, checked and cut to the lengths AWS's events hold.

        AWS's API reference bounds TaskFailedEventDetails' and LambdaFunctionFailedEventDetails' error (256
        characters) and cause (32,768) as it bounds SendTaskFailure's. A function's error can be longer (a Lambda
        errorMessage is bounded only by the 6 MB response); no recording shows what AWS records for one, so
        sfnlocal cuts it to fit, where SendTaskFailure, an API call, refuses (:mod:`sfnlocal.interpreter.callbacks`).
        """
        for field, value in (("error", failure.error), ("cause", failure.cause)):
            if value is not None and not isinstance(value, str):
                raise StatesError(
                    MOCK_INVALID,
                    f"State '{self.name}': the task failed with the {field} {reprlib.repr(value)} "
                    f"({type(value).__name__}); a failure's error and cause are strings (or None)",
                )
        # A lone surrogate (an exception message can hold one) is written as its JSON escape, as Python's Lambda
        # runtime writes it, so that the error and cause are Unicode text.
        error = None if failure.error is None else escape_lone_surrogates(failure.error)[:MAX_ERROR_LENGTH]
        cause = None if failure.cause is None else escape_lone_surrogates(failure.cause)[:MAX_CAUSE_LENGTH]
        return (ReportedFailure if isinstance(failure, Reported) else StatesError)(error, cause)

    def _settle(
        self, visit: Visit, outcome: Outcome, limits: _Limits, arguments: Any
    ) -> Generator[Any, Any, Result | Failure]:
        """Follow an outcome to the task's result or failure, on the clock and within the task's time limits."""
        while True:
            if isinstance(outcome, Submitted):  # the service took the work: AWS records its answer
                self.events.emit(visit, "Submitted", {"output": self._own_copy(outcome.response, "response")[0]})
                outcome = outcome.then
            elif isinstance(outcome, AwaitExecution):
                outcome = yield from self._await_execution(visit, outcome, limits)
            elif isinstance(outcome, AwaitToken):
                return (yield from self._await_answer(visit, limits))
            elif isinstance(outcome, AwaitWorker):
                return (yield from self._await_worker(visit, arguments, limits))
            elif isinstance(outcome, (Result, Failure, NeverAnswers)):
                return (yield from self._await(visit, outcome, limits))
            else:
                raise StatesError(
                    MOCK_INVALID, f"State '{self.name}': {outcome!r} is not an outcome sfnlocal knows how to await"
                )

    def _await(
        self, visit: Visit, outcome: Result | Failure | NeverAnswers, limits: _Limits
    ) -> Generator[Any, Any, Result | Failure]:
        """Wait on the clock for a delayed outcome, or one that never comes, up to the task's time limits.

        A task that never answers without TimeoutSeconds or HeartbeatSeconds leaves the execution
        suspended (RUNNING) rather than timing out after AWS's default of 99999999 s.
        """
        if isinstance(outcome, NeverAnswers):
            due = None
        elif outcome.after <= 0:
            return outcome
        else:
            due = limits.started + outcome.after
        deadline = limits.deadline()
        if due is not None and (deadline is None or due <= deadline):
            yield Sleep(due)
            assert not isinstance(outcome, NeverAnswers)
            return outcome
        while True:
            woke = yield Park(deadline)
            if woke is TIMED_OUT:
                self._timed_out(visit)

    def _await_execution(self, visit: Visit, waiting: AwaitExecution, limits: _Limits) -> Generator[Any, Any, Outcome]:
        """Park until the child execution ends (it runs on this scheduler meanwhile); then its outcome."""
        child = waiting.execution._execution
        scheduler = visit.frame.execution.scheduler
        fiber = scheduler.current
        assert fiber is not None
        child.when_ended(lambda: scheduler.wake(fiber))
        while child.status == "RUNNING":
            woke = yield Park(limits.deadline())
            if woke is TIMED_OUT:
                self._timed_out(visit)
        return waiting.outcome_of(waiting.execution)

    def _await_worker(self, visit: Visit, arguments: Any, limits: _Limits) -> Generator[Any, Any, Result | Failure]:
        """An activity: wait until a worker takes the task (ActivityStarted) and answers its token."""
        execution = visit.frame.execution
        token = visit.task_token
        if self.resource.kind != ACTIVITY or token is None:
            raise StatesError(
                MOCK_INVALID,
                f"State '{self.name}' calls {self.resource.arn}, not an activity; its integration answered "
                "AwaitWorker, which only an activity's task can wait for (answer Result, Failure or AwaitToken)",
            )
        assert execution.scheduler.current is not None
        task = ActivityTask(
            token,
            arguments,
            execution.scheduler.current,
            self.name,
            execution.arn,
            lambda worker: self.events.emit(visit, "Started", {"workerName": worker} if worker is not None else {}),
        )
        execution.callbacks.offer_activity(self.resource.arn, task)
        # a worker taking the task registers its token (Callbacks.take_activity)
        return (yield from self._await_answer(visit, limits, register=False))

    def _await_answer(
        self, visit: Visit, limits: _Limits, register: bool = True
    ) -> Generator[Any, Any, Result | Failure]:
        """Park until the token is answered; heartbeats restart HeartbeatSeconds; time limits time out."""
        execution = visit.frame.execution
        token = visit.task_token
        if token is None:
            raise StatesError(
                MOCK_INVALID,
                f"State '{self.name}' has no task token to wait for (only .waitForTaskToken resources and "
                "activities have one); its integration answered AwaitToken",
            )
        assert execution.scheduler.current is not None
        if register:
            execution.callbacks.wait_for(token, execution.scheduler.current, self.name, execution.arn)
        try:
            while True:
                woke = yield Park(limits.deadline())
                if woke is TIMED_OUT:
                    self._timed_out(visit)
                if woke is HEARTBEAT:
                    limits.beat(execution.scheduler.now)
                    continue
                return woke
        finally:
            execution.callbacks.end(token)

    def _timed_out(self, visit: Visit) -> None:
        # AWS reports a heartbeat that ran out as States.Timeout too (recorded: a TaskTimedOut event
        # with error States.Timeout for HeartbeatSeconds 5 and TimeoutSeconds 600), not as the
        # States.HeartbeatTimeout the docs name. A Catcher sees {"Error": "States.Timeout",
        # "Cause": ""} (recorded), while the events carry no cause.
        self.events.emit(visit, "TimedOut", {"error": TIMEOUT})
        raise StatesError(TIMEOUT, "")

    def _emit_scheduled(self, visit: Visit, arguments: Any, timeout: int | None, heartbeat: int | None) -> None:
        details: dict[str, Any]
        if self.resource.kind == LAMBDA_FUNCTION:
            details = {"resource": self.resource.arn, "input": arguments}
        elif self.resource.kind == ACTIVITY:
            details = {"resource": self.resource.arn, "input": arguments}
        else:
            details = {"region": visit.frame.execution.region, "parameters": arguments}
        if timeout is not None:
            details["timeoutInSeconds"] = timeout
        if heartbeat is not None:
            details["heartbeatInSeconds"] = heartbeat
        # The role a Credentials field names, evaluated as Parameters are (a literal, RoleArn.$ on the effective
        # input or the context, JSONata): recorded as {"roleArn": ...} in TaskScheduled and LambdaFunctionScheduled
        # (ActivityScheduledEventDetails has no taskCredentials).
        if self.credentials is not None and self.resource.kind != ACTIVITY:
            credentials = self.credentials.evaluate(visit, visit.assign_input)
            role = credentials.get("RoleArn") if isinstance(credentials, dict) else None
            details["taskCredentials"] = {"roleArn": role}
        self.events.emit(visit, "Scheduled", details)

    def _emit_failed(self, visit: Visit, err: StatesError) -> None:
        self.events.emit(visit, "Failed", err.event_details())

    @staticmethod
    def _seconds(
        visit: Visit, selected: Any, fixed: Field | None, path: SelectPath | None, path_field: str
    ) -> int | None:
        if path is None:
            if fixed is None:
                return None
            value = fixed.evaluate(visit, selected)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                # Only a JSONata expression can give such a value (literals are checked at load). No AWS text
                # was found; like every QueryEvaluationError AWS records, it gets an EvaluationFailed event.
                raise QueryEvaluationFailure(
                    fixed.name, f"The {fixed.name} field must be a positive integer, but was: {compact_json(value)}"
                )
            return value
        value = int(path.number(visit.scope(selected), path_field, integer=True))
        if value <= 0:
            # No AWS text was found for a zero or negative ...SecondsPath value: the wording is sfnlocal's.
            raise RuntimeFailure(
                RUNTIME,
                f"The {path_field} field must select a positive number of seconds, "
                f"not {value}: {path.path.text if path.path else 'null'}",
            )
        return value
