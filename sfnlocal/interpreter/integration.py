"""The task-integration interface: what a Task hands over, and the outcomes it can get back.

This is the one seam between the interpreter and whatever serves its tasks (Python mocks, a
MockConfigFile test case, AWS services in moto, your own code). An :class:`Integration` receives a
:class:`TaskRequest` for each invocation of a Task and returns an :class:`Outcome`, or ``None`` when it
does not serve that task (then the next integration of a chain is asked; see
:func:`sfnlocal.integrations.compose`).

The outcomes, as types:

* :class:`Result` -- the task succeeded with this value (``after`` seconds later on the virtual clock);
  :class:`CopiedResult` says the value is already the integration's own copy, and its size;
* :class:`Failure` -- the task failed with this error and cause (``after`` seconds later);
* :class:`Submitted` -- the service accepted the work and answered ``response`` (recorded as
  TaskSubmitted); ``then`` says how the task ends: a ``.sync`` job's result, :class:`AwaitToken`, ...;
* :class:`AwaitToken` -- the task waits until someone answers its task token (SendTaskSuccess, ...);
* :class:`AwaitWorker` -- an activity task waits for a worker (GetActivityTask);
* :class:`AwaitExecution` -- the task waits for a child execution to end, then ``outcome_of`` it;
* :class:`NeverAnswers` -- the task never answers: it runs into its TimeoutSeconds or HeartbeatSeconds,
  or leaves the execution suspended.

A custom integration is a class with an ``invoke`` method (a sketch; ``execute(integration=...)``
puts it after the mocks and before the built-in AWS services):

>>> class Prices:
...     def invoke(self, request: TaskRequest) -> Outcome | None:
...         if request.state_name != "Price":
...             return None                      # not mine: the next integration decides
...         return Result({"price": 42 * request.arguments["quantity"]}, after=2.0)
>>> from sfnlocal import StateMachine
>>> sm = StateMachine.from_dict({"StartAt": "Price", "States": {"Price": {
...     "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:pricing:getProducts",
...     "Parameters": {"quantity.$": "$.n"}, "End": True}}})
>>> run = sm.execute({"n": 2}, integration=Prices())
>>> run.output, (run.stop_date - run.start_date).total_seconds()
({'price': 84}, 2.0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING, Any, Protocol

from sfnlocal.language.errors import INTEGRATION_FAILED, StatesError
from sfnlocal.language.jsontext import PayloadBound, detached_copy
from sfnlocal.language.resources import TaskResource

if TYPE_CHECKING:
    from sfnlocal.interpreter.result import ExecutionResult


class Clock(Protocol):
    """The execution's clock: ``now`` in seconds since the epoch (virtual unless ``real_time=True``)."""

    @property
    def now(self) -> float: ...


class StepFunctions(Protocol):
    """What the running Step Functions offers an integration: its own API, for the integrations of Step
    Functions itself (``states:startExecution``, ``aws-sdk:sfn:sendTaskSuccess``, ...)."""

    def start_execution(self, state_machine: str, input: Any, name: str | None = None) -> ExecutionResult:
        """Start a child execution of the state machine with this ARN or name (a version or alias
        qualifier is accepted) on the parent's scheduler and clock; raises LookupError when there is none."""
        ...

    def send_task_success(self, token: str, output: Any) -> None:
        """SendTaskSuccess for a task of this execution or its children; raises TaskTokenError."""
        ...

    def send_task_failure(self, token: str, error: str | None, cause: str | None) -> None:
        """SendTaskFailure for a task of this execution or its children; raises TaskTokenError."""
        ...

    def send_task_heartbeat(self, token: str) -> None:
        """SendTaskHeartbeat for a task of this execution or its children; raises TaskTokenError."""
        ...

    def waits_for(self, token: str) -> bool:
        """Whether a task of this execution or its children waits for ``token`` now."""
        ...


class TaskRequest:
    """One invocation of a Task state, as the interpreter hands it over (its attributes are read-only).

    ``arguments`` are the effective Parameters/Arguments: a private copy the integration may keep and change, made
    when first read (most mocks never read them); ``invocation`` counts the earlier invocations of this state in
    this execution (retries and Map iterations count), so the first is 0; ``task_token`` is set for
    ``.waitForTaskToken`` and ``.sync`` resources and activities; ``clock`` and ``random`` are the execution's own
    (use them, so that runs stay reproducible); ``step_functions`` is the running Step Functions (child executions,
    task tokens). ``part`` says which field of the state makes the request: ``"Task"`` (a Task state's Resource),
    or a Distributed Map's ``"ItemReader"`` (reading its items, e.g. ``arn:aws:states:::s3:getObject``) or
    ``"ResultWriter"`` (writing its results, ``arn:aws:states:::s3:putObject``). ``iteration`` holds the indexes
    of the inline Map iterations the task runs in, outermost first (empty outside any), as AWS numbers them in
    its history's MapIterationStarted events.

    >>> from sfnlocal.language.resources import parse_resource
    >>> given = {"QueueUrl": "q"}
    >>> request = TaskRequest("Send", parse_resource("arn:aws:states:::sqs:sendMessage"), given, None, 0,
    ...                       "us-east-1", "123456789012", "sm", "ex", None, Random(0), None)
    >>> request.arguments == given, request.arguments is given, request.arguments is request.arguments
    (True, False, True)
    """

    # Not a frozen dataclass: its __init__ sets each field through object.__setattr__, for every invocation.
    __slots__ = (
        "state_name",
        "resource",
        "_given",
        "_arguments",
        "task_token",
        "invocation",
        "region",
        "account",
        "state_machine_arn",
        "execution_arn",
        "clock",
        "random",
        "step_functions",
        "part",
        "iteration",
    )

    def __init__(
        self,
        state_name: str,
        resource: TaskResource,
        arguments: Any,
        task_token: str | None,
        invocation: int,
        region: str,
        account: str,
        state_machine_arn: str,
        execution_arn: str,
        clock: Clock,
        random: Random,
        step_functions: StepFunctions,
        part: str = "Task",
        iteration: tuple[int, ...] = (),
    ) -> None:
        self.state_name = state_name
        self.resource = resource
        self._given = arguments
        self._arguments: Any = _NOT_COPIED
        self.task_token = task_token
        self.invocation = invocation
        self.region = region
        self.account = account
        self.state_machine_arn = state_machine_arn
        self.execution_arn = execution_arn
        self.clock = clock
        self.random = random
        self.step_functions = step_functions
        self.part = part
        self.iteration = iteration

    @property
    def arguments(self) -> Any:
        """The effective Parameters/Arguments, the integration's own copy (what it changes is not what the
        history recorded)."""
        if self._arguments is _NOT_COPIED:
            self._arguments = detached_copy(self._given)
        return self._arguments

    @property
    def pattern(self) -> str:
        """The integration pattern: ``request-response``, ``sync``, ``sync:2`` or ``waitForTaskToken``."""
        return self.resource.pattern

    def __repr__(self) -> str:
        return (
            f"TaskRequest(state_name={self.state_name!r}, resource={self.resource.arn!r}, part={self.part!r}, "
            f"invocation={self.invocation})"
        )


_NOT_COPIED = object()


class Outcome:
    """Base of what an integration answers for one invocation."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Result(Outcome):
    """The task succeeded with ``value`` (the service's response as AWS returns it), ``after`` seconds later."""

    value: Any
    after: float = 0.0


@dataclass(frozen=True, slots=True)
class CopiedResult(Result):
    """A :class:`Result` whose ``value`` is already the integration's own copy through JSON (JSON's types only, no
    part shared with anything else), with its measure (:data:`~sfnlocal.language.jsontext.PayloadBound`: the bytes
    of its compact UTF-8 JSON, and the brackets in it): the Task state uses it as it is, where it copies and
    measures any other result.

    >>> CopiedResult({"ok": True}, bound=(11, 1)).bound
    (11, 1)
    """

    bound: PayloadBound = (0, 0)


@dataclass(frozen=True, slots=True)
class Failure(Outcome):
    """The task failed with ``error`` and ``cause``, ``after`` seconds later."""

    error: str | None
    cause: str | None = None
    after: float = 0.0


@dataclass(frozen=True, slots=True)
class Submitted(Outcome):
    """The work was accepted: AWS records ``response`` (TaskSubmitted), then the task ends as ``then`` says."""

    response: Any
    then: Outcome


@dataclass(frozen=True, slots=True)
class AwaitToken(Outcome):
    """The task waits until its task token is answered (SendTaskSuccess / SendTaskFailure / heartbeats)."""


@dataclass(frozen=True, slots=True)
class AwaitWorker(Outcome):
    """An activity task waits for a worker to take it (GetActivityTask) and answer its token."""


@dataclass(frozen=True, slots=True)
class NeverAnswers(Outcome):
    """The task never answers: its TimeoutSeconds/HeartbeatSeconds run out, or the execution stays RUNNING."""


@dataclass(frozen=True, slots=True)
class AwaitExecution(Outcome):
    """The task waits for the child execution ``execution`` to end, then ends as ``outcome_of(execution)``."""

    execution: ExecutionResult
    outcome_of: Callable[[ExecutionResult], Outcome]


class Integration(Protocol):
    """Serves Task invocations: an outcome, or None for a task it does not serve."""

    def invoke(self, request: TaskRequest) -> Outcome | None:
        """The outcome of one invocation, or None when another integration should decide."""
        ...


def invoke_guarded(integration: Integration, request: TaskRequest) -> Outcome | None:
    """``integration.invoke(request)``; an exception other than StatesError is the integration's own bug,
    reported as ``sfnlocal.IntegrationFailed`` naming the integration and the state (never retried or caught)."""
    try:
        return integration.invoke(request)
    except StatesError:
        raise
    except Exception as err:
        raise StatesError(
            INTEGRATION_FAILED,
            f"State '{request.state_name}': the integration {type(integration).__name__} raised "
            f"{type(err).__name__}: {exception_message(err)}",
        ) from err


def exception_message(exc: BaseException) -> str:
    """``str(exc)``, or a note saying it failed: a user's exception whose ``__str__`` raises is still reported.

    >>> class Odd(Exception):
    ...     def __str__(self): raise RuntimeError("no")
    >>> exception_message(ValueError("bad")), exception_message(Odd())
    ('bad', '<str() of the Odd raised RuntimeError>')
    """
    try:
        return str(exc)
    except Exception as err:
        return f"<str() of the {type(exc).__name__} raised {type(err).__name__}>"
