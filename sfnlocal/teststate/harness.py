"""Running the state under test once, in a made-up execution, and deciding its Retry or Catch.

The state runs through its own :meth:`~sfnlocal.interpreter.states.base.State.run` on the execution's
scheduler (a Wait costs no wall time), in a :class:`TestVisit` that shows the test's context object and
records the intermediate values the state reports (:meth:`~sfnlocal.interpreter.states.base.Visit.inspect`).
A Task's mock is served by :class:`TestStateMock`, an integration that answers for the state under test
with the mocked response as the service's raw response; a Task without one is served by the built-in
AWS integrations, as in an execution. A Map or Parallel state's mock stands for
its iterations or branches (:mod:`~sfnlocal.teststate.composite`).

One attempt is tested: on an error the first retrier that matches decides (RETRIABLE with its index and
backoff while ``retrierRetryCount`` is below its MaxAttempts), else the first catcher that matches
(CAUGHT_ERROR, with the catcher's output and Next), else FAILED.

>>> from sfnlocal.teststate.request import parse_request
>>> request = parse_request({"definition": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
...     "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 5}], "End": True},
...     "mock": {"errorOutput": {"error": "SQS.Throttled"}}})
>>> machine = Machine(request.machine)
>>> outcome, visit = run_test(request, machine, machine.model.root.states["StateName"])
>>> outcome.status, outcome.error.error, outcome.error_details
('RETRIABLE', 'SQS.Throttled', {'retryIndex': 0, 'retryBackoffIntervalSeconds': 5})
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from sfnlocal.integrations import compose
from sfnlocal.integrations.aws.services import AwsServices
from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.interpreter.execution import Execution, ExecutionOptions
from sfnlocal.interpreter.history import Lane
from sfnlocal.interpreter.integration import Failure, Result, TaskRequest
from sfnlocal.interpreter.integration import Outcome as TaskOutcome
from sfnlocal.interpreter.machine import DEFAULT_START_TIME, Machine
from sfnlocal.interpreter.retry_catch import find_catcher, find_retrier
from sfnlocal.interpreter.states.base import NO_VALUE, Frame, State, StateRun, Visit
from sfnlocal.interpreter.states.map_ import MapState
from sfnlocal.interpreter.states.parallel import ParallelState
from sfnlocal.interpreter.states.task import TaskState
from sfnlocal.interpreter.visit import with_state_prefix
from sfnlocal.language.errors import MOCK_MISSING, StatesError
from sfnlocal.teststate.composite import run_mocked_map, run_mocked_parallel
from sfnlocal.teststate.context import TestRun, made_up_context
from sfnlocal.teststate.request import Mock, TestRequest

SUCCEEDED, FAILED, RETRIABLE, CAUGHT_ERROR = "SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR"
# The made-up execution starts with ExecutionStarted (#1); the state is entered at #2.
ENTERED_EVENT_ID = 2


@dataclass(slots=True)
class TestVisit(Visit):
    """The visit of the state under test: its context object is the test's, and it keeps what it is shown."""

    __test__ = False  # not a pytest test class, despite its name

    context_object: dict[str, Any] = field(default_factory=dict)
    inspected: dict[str, Any] = field(default_factory=dict)

    def base_context(self) -> dict[str, Any]:
        return dict(self.context_object)

    def inspect(self, stage: str, value: Any) -> None:
        self.inspected[stage] = value


@dataclass
class Outcome:
    """How the attempt ended: the status, the output or error, the next state, the Retry/Catch details."""

    status: str
    output: Any = NO_VALUE
    error: StatesError | None = None
    next_state: str | None = None
    error_details: dict[str, int] = field(default_factory=dict)
    assigned: dict[str, Any] | None = None


class TestStateMock:
    """The request's mock, as an integration: it answers for the Task under test only."""

    __test__ = False  # not a pytest test class, despite its name

    def __init__(self, state_name: str, mock: Mock) -> None:
        self.state_name = state_name
        self.mock = mock

    def invoke(self, request: TaskRequest) -> TaskOutcome | None:
        """The mocked response (the service's raw response) or error of the state under test."""
        if request.state_name != self.state_name:
            return None
        mock = self.mock
        return Failure(mock.error or "", mock.cause) if mock.fails else Result(mock.result)


def run_test(request: TestRequest, machine: Machine, state: State) -> tuple[Outcome, TestVisit]:
    """Run ``state`` of ``machine`` once as ``request`` asks; return the outcome and the visit."""
    mock = request.mock if isinstance(state, TaskState) else None
    world = AwsWorld(machine.region, machine.account)  # started only if an unmocked Task calls a service
    served = compose(TestStateMock(state.name, mock) if mock is not None else None, AwsServices(world))
    execution = Execution(machine, request.input, ExecutionOptions(DEFAULT_START_TIME.timestamp()), served)
    run = TestRun(execution.name, machine.name, machine.account, machine.region, execution.start_time)
    configuration = request.configuration
    context = (
        request.context
        if request.context is not None
        else made_up_context(run, state, request.input, request.role_arn, configuration.retrier_retry_count)
    )
    frame = Frame(execution, Lane(execution.history, 0), ChainMap(dict(request.variables)))
    visit = TestVisit(
        state,
        frame,
        ENTERED_EVENT_ID,
        execution.start_time,
        state_input=request.input,
        assign=state.assign,
        context_object=context,
    )
    fiber = execution.scheduler.spawn(_attempt(request, state, visit))
    try:
        execution.scheduler.run()
    finally:
        world.stop()
    # Nothing the test runs waits on the outside: tasks that would (activities, callbacks) need a mock.
    assert fiber.done, "the state under test did not finish"
    return fiber.result, visit


def _attempt(request: TestRequest, state: State, visit: TestVisit) -> Generator[Any, Any, Outcome]:
    try:
        output, next_state = yield from _run(request, state, visit)
        assigned = visit.assign.evaluate(visit, visit.assign_input) if visit.assign is not None else None
        return Outcome(SUCCEEDED, output, next_state=next_state, assigned=assigned)
    except StatesError as raised:
        return _after_failure(
            _offline_hint(with_state_prefix(raised, state, ENTERED_EVENT_ID), state),
            state,
            visit,
            request.configuration.retrier_retry_count,
        )


def _run(request: TestRequest, state: State, visit: TestVisit) -> StateRun:
    mock = request.mock
    if mock is not None and isinstance(state, MapState):
        return (yield from run_mocked_map(state, visit, visit.state_input, mock, request.configuration))
    if mock is not None and isinstance(state, ParallelState):
        return (yield from run_mocked_parallel(state, visit, visit.state_input, mock))
    return (yield from state.run(visit, visit.state_input))


def _after_failure(error: StatesError, state: State, visit: TestVisit, retry_count: int) -> Outcome:
    details: dict[str, int] = {}
    found = find_retrier(state.retriers, error)
    if found is not None:
        index, retrier = found
        details["retryIndex"] = index
        if retry_count < retrier.max_attempts:
            details["retryBackoffIntervalSeconds"] = int(retrier.delay(retry_count, visit.rng))
            return Outcome(RETRIABLE, error=error, error_details=details)
    caught = find_catcher(state.catchers, error)
    if caught is None:
        return Outcome(FAILED, error=error, error_details=details)
    index, catcher = caught
    details["catchIndex"] = index
    try:
        output = catcher.output_for(visit, visit.state_input, error.as_output())
        assigned = catcher.assign.evaluate(visit, visit.assign_input) if catcher.assign is not None else None
    except StatesError as failure:
        return Outcome(FAILED, error=with_state_prefix(failure, state, ENTERED_EVENT_ID), error_details=details)
    return Outcome(CAUGHT_ERROR, output, error, catcher.next, details, assigned)


def _offline_hint(error: StatesError, state: State) -> StatesError:
    """A Task nothing serves offline: say how to mock it in TestState (the integration layer's message is for
    executions)."""
    if error.error != MOCK_MISSING or not isinstance(state, TaskState):
        return error
    return StatesError(
        MOCK_MISSING,
        f"State '{state.name}' calls {state.resource.arn}, which sfnlocal cannot "
        "serve offline; give the request a mock: {'result': '<the response as JSON text>'} or "
        "{'errorOutput': {'error': ..., 'cause': ...}}",
    )
