"""The mocks given to ``execute(mocks=...)`` as an integration, and what one mock does for one invocation.

:class:`MockIntegration` finds the mock of a Task by state name, then by Resource ARN, then, for
``lambda:invoke``, by the ``FunctionName`` argument, then by the bare name of the Lambda function the Task
calls (``charge`` for ``arn:aws:lambda:us-east-1:123456789012:function:charge:live``); a task with no mock
is left to the next integration. A mock is one of:

* a mock outcome (:func:`~sfnlocal.mocks.returns`, :func:`~sfnlocal.mocks.raises`,
  :func:`~sfnlocal.mocks.pending`) or a :func:`~sfnlocal.mocks.sequence` of them (the i-th invocation of
  the state gets the i-th);
* a Python callable ``handler(event, context)``, e.g. a user's real Lambda handler: its return value is
  the result and an exception becomes the error AWS reports for an unhandled Lambda error; it may also
  return a mock outcome;
* an outcome of the integration interface (:mod:`sfnlocal.interpreter.integration`), used as it is;
* any other value: the task returns it.

:func:`mock_outcome` turns one mock into the interface's outcome; the MockConfigFile test case
(:mod:`sfnlocal.integrations.mock_config`) uses it too, so a mock means the same wherever it comes from.

>>> from sfnlocal import StateMachine, mocks
>>> sm = StateMachine.from_dict({"StartAt": "Charge", "States": {"Charge": {
...     "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "OutputPath": "$.Payload", "End": True}}})
>>> sm.execute({}, integration=MockIntegration({"Charge": mocks.returns({"charged": True})})).output
{'charged': True}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sfnlocal.integrations.lambda_ import (
    LambdaContext,
    function_arn,
    invoke_envelope,
    invoke_envelope_bound,
    is_lambda_invoke,
)
from sfnlocal.integrations.lambda_functions.invocation import FunctionError, call_handler
from sfnlocal.integrations.lambda_functions.names import parse_function_name
from sfnlocal.integrations.lambda_functions.runtime import HandlerWorld, world_scope
from sfnlocal.integrations.mocks.outcomes import Outcome as MockOutcome
from sfnlocal.integrations.mocks.outcomes import Pending, Raises, Returns, Sequence, Submitted
from sfnlocal.interpreter.integration import CopiedResult, Failure, NeverAnswers, Outcome, Result, TaskRequest
from sfnlocal.interpreter.integration import Submitted as SubmittedOutcome
from sfnlocal.language.errors import MOCK_INVALID, StatesError
from sfnlocal.language.identifiers import seeded_uuid4
from sfnlocal.language.jsontext import bounded_json_copy
from sfnlocal.language.resources import WAIT_FOR_TASK_TOKEN


class MockIntegration:
    """Serves the Tasks that have a mock, keyed by state name, Resource ARN or Lambda function name."""

    def __init__(self, mocks: Mapping[str, Any], world: HandlerWorld | None = None, real_aws: bool = False) -> None:
        self.mocks = dict(mocks)
        self.world = world  # the in-process AWS world a callable mock's boto3 calls reach (unless real_aws)
        self.real_aws = real_aws

    def invoke(self, request: TaskRequest) -> Outcome | None:
        """The mocked outcome of this invocation, or None when the task has no mock."""
        mock = self._find(request)
        if mock is None:
            return None
        if isinstance(mock, Sequence):
            mock = _this_invocations(mock, request)
        if not _runs_code(mock):
            return _outcome(mock, request)
        with world_scope(self.world, self.real_aws):  # as a Lambda function's handler runs
            return _outcome(mock, request)

    def _find(self, request: TaskRequest) -> Any:
        mocks = self.mocks
        if request.part != "Task":
            # A Map state's mock stands for what its ItemReader reads; its ResultWriter writes to the world.
            return mocks.get(request.state_name) if request.part == "ItemReader" else None
        for key in (request.state_name, request.resource.arn):
            if key in mocks:
                return mocks[key]
        arguments = request.arguments
        if is_lambda_invoke(request.resource.arn) and isinstance(arguments, dict):
            function = arguments.get("FunctionName")
            if isinstance(function, str) and function in mocks:
                return mocks[function]
        # Then the function's bare name, however the Task names it (ARN, partial ARN, qualifier), as Lambda reads it.
        named = function_arn(request.resource, arguments)
        reference = parse_function_name(named) if named is not None else None
        return mocks.get(reference.name) if reference is not None else None


def _runs_code(mock: Any) -> bool:
    """Whether the mock (not a sequence) is a callable handler."""
    return callable(mock) and not isinstance(mock, (MockOutcome, Outcome))


def mock_outcome(mock: Any, request: TaskRequest) -> Outcome:
    """What ``mock`` does for this invocation, as the integration interface's outcome."""
    if isinstance(mock, Sequence):
        mock = _this_invocations(mock, request)
    return _outcome(mock, request)


def _this_invocations(sequence: Sequence, request: TaskRequest) -> Any:
    """The sequence's mock for this invocation of the state, or ``sfnlocal.MockInvalid`` when it has none left."""
    count = request.invocation
    if count >= len(sequence.outcomes):
        has = "1 outcome" if len(sequence.outcomes) == 1 else f"{len(sequence.outcomes)} outcomes"
        raise StatesError(
            MOCK_INVALID,
            f"State '{request.state_name}' was invoked {count + 1} times but its mocks.sequence() has only "
            f"{has}; add more outcomes",
        )
    return sequence.outcomes[count]


def _outcome(mock: Any, request: TaskRequest, request_id: str | None = None) -> Outcome:
    lambda_invoke = is_lambda_invoke(request.resource.arn)
    if isinstance(mock, Outcome):
        return mock
    if callable(mock) and not isinstance(mock, MockOutcome):
        # The invocation's request id, which the handler's context shows, is the one Lambda's envelope names.
        request_id = seeded_uuid4(request.random)
        mock = _call_handler(mock, request, lambda_invoke, request_id)
        if isinstance(mock, Outcome):
            return mock
    if isinstance(mock, Submitted):
        return SubmittedOutcome(mock.response, _outcome(mock.then, request, request_id))
    if isinstance(mock, Raises):
        return Failure(mock.error, mock.cause, mock.after)
    if isinstance(mock, Pending):
        return NeverAnswers()
    if not isinstance(mock, Returns):
        mock = Returns(mock)
    # The Task state copies and checks the value (JSON only) as it does every integration's answer.
    value = mock.value
    # A .waitForTaskToken task's result is the output SendTaskSuccess sends, as it is: no Invoke envelope.
    if lambda_invoke and not mock.raw and request.pattern != WAIT_FOR_TASK_TOKEN:
        return _enveloped(value, request_id or seeded_uuid4(request.random), mock.after)
    return Result(value, mock.after)


def _enveloped(payload: Any, request_id: str, after: float) -> Result:
    """The Invoke envelope around ``payload``: only the payload is copied and measured (the rest is new here);
    a payload JSON cannot hold is left to the Task state's check, which names its path in the envelope."""
    try:
        copied, bound = bounded_json_copy(payload, "the payload")
    except TypeError:
        return Result(invoke_envelope(payload, request_id), after)
    return CopiedResult(invoke_envelope(copied, request_id), after, invoke_envelope_bound(bound, request_id))


def _call_handler(handler: Any, request: TaskRequest, lambda_invoke: bool, request_id: str) -> Any:
    """Call a Python handler as Lambda calls a function (:mod:`sfnlocal.integrations.lambda_functions`), with the
    invocation's ``request_id``: its result through JSON, or the failure AWS reports; a mock outcome it returns or
    raises is used as it is."""
    arguments = request.arguments
    event = arguments.get("Payload") if lambda_invoke and isinstance(arguments, dict) else arguments
    context = LambdaContext(function_arn(request.resource, arguments) or request.resource.arn, request_id)
    try:
        # The request's arguments are the integration's own copy. A mock is not timed (it has no Timeout); a
        # result JSON cannot hold is left to the Task's check, which names the path of the value.
        return call_handler(
            handler,
            event,
            context,
            keep_errors=(StatesError,),
            keep_results=(MockOutcome, Outcome),
            keep_unmarshallable=True,
        )
    except StatesError as err:
        return Raises(err.error or "", err.cause)
    except FunctionError as error:
        failure = error.failure(compact=lambda_invoke)
        return Raises(failure.error or "", failure.cause)
