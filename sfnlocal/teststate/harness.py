"""Running the state under test once, in a made-up execution, and deciding its Retry or Catch.

The state runs through its own :meth:`~sfnlocal.interpreter.states.base.State.run` on the execution's
scheduler (a Wait costs no wall time), in a :class:`TestVisit` that shows the test's context object and
records the intermediate values the state reports (:meth:`~sfnlocal.interpreter.states.base.Visit.inspect`).
A Task's mock is served by :class:`TestStateMock`, an integration that answers for the state under test
with the mocked response as the service's raw response; a Task without one is served by the built-in
AWS integrations, as in an execution. A Map or Parallel state's mock stands for
its iterations or branches (:mod:`~sfnlocal.teststate.composite`).

One attempt is tested, and it ends where an execution's attempt ends: in
:func:`~sfnlocal.interpreter.visit.finish_attempt` (the Assign of a success) or
:func:`~sfnlocal.interpreter.visit.decide_failure` (Retry, Catch, the catcher's output and Assign, AWS's
prefix on a ``States.Runtime`` cause), the same code as :func:`~sfnlocal.interpreter.visit.visit_state`.
TestState reports the :class:`~sfnlocal.interpreter.visit.Decision` instead of carrying it out: RETRIABLE
with the retrier's index and backoff while ``retrierRetryCount`` is below its MaxAttempts, else
CAUGHT_ERROR with the catcher's output and Next, else FAILED.

>>> from sfnlocal.teststate.request import parse_request
>>> request = parse_request({"definition": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
...     "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 5}], "End": True},
...     "mock": {"errorOutput": {"error": "SQS.Throttled"}}})
>>> machine = Machine(request.machine)
>>> decision, visit = run_test(request, machine, machine.model.root.states["StateName"])
>>> decision.status, decision.error.error, decision.retry_index, decision.backoff
('RETRIABLE', 'SQS.Throttled', 0, 5.0)
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sfnlocal.integrations import compose
from sfnlocal.integrations.aws.services import AwsServices
from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.integrations.lambda_functions import LambdaFunction, LambdaFunctions
from sfnlocal.interpreter.execution import Execution, ExecutionOptions
from sfnlocal.interpreter.history import Lane
from sfnlocal.interpreter.integration import Failure, Result, TaskRequest
from sfnlocal.interpreter.integration import Outcome as TaskOutcome
from sfnlocal.interpreter.machine import DEFAULT_START_TIME, Machine
from sfnlocal.interpreter.retry_catch import RetryCounters
from sfnlocal.interpreter.states.base import Frame, State, StateRun, Visit
from sfnlocal.interpreter.states.map_ import MapState
from sfnlocal.interpreter.states.parallel import ParallelState
from sfnlocal.interpreter.states.task import TaskState
from sfnlocal.interpreter.visit import SUCCEEDED, Decision, decide_failure, finish_attempt
from sfnlocal.language.errors import MOCK_MISSING, StatesError
from sfnlocal.teststate.composite import run_mocked_map, run_mocked_parallel
from sfnlocal.teststate.context import TestRun, made_up_context
from sfnlocal.teststate.request import Mock, TestRequest

# The made-up execution starts with ExecutionStarted (#1); the state is entered at #2.
ENTERED_EVENT_ID = 2


@dataclass(slots=True)
class TestVisit(Visit):
    """The visit of the state under test: its context object is the test's, and it keeps what it is shown."""

    __test__ = False  # not a pytest test class, despite its name
    inspecting: ClassVar[bool] = True

    context_object: dict[str, Any] = field(default_factory=dict)
    inspected: dict[str, Any] = field(default_factory=dict)

    def base_context(self) -> dict[str, Any]:
        return dict(self.context_object)

    def inspect(self, stage: str, value: Any) -> None:
        self.inspected[stage] = value


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


def run_test(
    request: TestRequest, machine: Machine, state: State, functions: Iterable[LambdaFunction] = ()
) -> tuple[Decision, TestVisit]:
    """Run ``state`` of ``machine`` once as ``request`` asks; return how the attempt ended and the visit. An
    unmocked Task calling one of ``functions`` runs its handler."""
    mock = request.mock if isinstance(state, TaskState) else None
    world = AwsWorld(machine.region, machine.account)  # started only if an unmocked Task calls a service
    functions = tuple(functions)
    served = compose(
        TestStateMock(state.name, mock) if mock is not None else None,
        LambdaFunctions(functions, world) if functions else None,
        AwsServices(world),
    )
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


def _attempt(request: TestRequest, state: State, visit: TestVisit) -> Generator[Any, Any, Decision]:
    """One attempt of ``state``, decided by the code that decides an execution's attempts.

    Where TestState deliberately differs from an execution's visit (:func:`~sfnlocal.interpreter.visit.visit_state`):

    * it records no history, so no EvaluationFailed or ``<Type>StateFailed`` events: those change no
      decision (a Map or Parallel state's CompositeFailure has the error output of the error it wraps);
    * the output's size is not checked against the payload limit: no recording shows AWS's TestState
      failing a state with States.DataLimitExceeded, so sfnlocal keeps TestState as it was;
    * the retrier that matches has made ``retrierRetryCount`` retries already (AWS's request field), and
      a mocked Map or Parallel state's mock stands for its iterations or branches;
    * a Task nothing serves offline fails with a hint on mocking it in TestState.

    ``States.Runtime`` is neither retried nor caught, as in an execution (recorded).
    """
    try:
        output, next_state = yield from _run(request, state, visit)
        assigned = finish_attempt(state, visit, output)
    except StatesError as raised:
        retry_count = request.configuration.retrier_retry_count
        counters = RetryCounters(state.retriers, retry_count) if state.retriers else None
        return decide_failure(state, visit, _offline_hint(raised, state), counters)
    return Decision(SUCCEEDED, output=output, next_state=next_state, assigned=assigned)


def _run(request: TestRequest, state: State, visit: TestVisit) -> StateRun:
    mock = request.mock
    if mock is not None and isinstance(state, MapState):
        return (yield from run_mocked_map(state, visit, visit.state_input, mock, request.configuration))
    if mock is not None and isinstance(state, ParallelState):
        return (yield from run_mocked_parallel(state, visit, visit.state_input, mock))
    return (yield from state.run(visit, visit.state_input))


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
