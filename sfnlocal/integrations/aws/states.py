"""``states:startExecution``: a child execution, run by sfnlocal itself on the parent's scheduler and clock.

The child is found by ``StateMachineArn`` (or name; a version or alias qualifier is accepted) among the
machines registered where the parent started (:mod:`sfnlocal.interpreter.registry`), and runs with the
parent's integrations, starting at the parent's clock time. Request-response returns the start
response at once and the child runs on by itself; ``.sync`` waits for the child and returns
DescribeExecution's shape with ``Input``/``Output`` as JSON text, ``.sync:2`` the same with them as JSON;
a child that did not succeed fails the task with ``States.TaskFailed`` and that description as the cause
(recorded from AWS). A child waiting for a task token leaves the parent's task waiting too.
"""

from __future__ import annotations

import json
from typing import Any

from sfnlocal.integrations.aws.aws_sdk import object_arguments, serve, service_model
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.casing import epoch_millis
from sfnlocal.integrations.aws.envelope import sdk_v1_result
from sfnlocal.integrations.aws.errors import SdkV1Client, client_error
from sfnlocal.integrations.aws.registry import integration
from sfnlocal.interpreter.integration import AwaitExecution, Failure, Outcome, Result, Submitted
from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.language.errors import TASK_FAILED
from sfnlocal.language.jsontext import compact_json
from sfnlocal.language.resources import SYNC, SYNC2

# How the optimized integration's Java SDK v1 client names a Step Functions error (recorded in state_machine_missing).
STEP_FUNCTIONS = SdkV1Client("StepFunctions", "AWSStepFunctions", "AWSStepFunctionsException")


def _millis(seconds: float) -> int:
    return int(round(seconds * 1000))


def child_input(value: Any) -> Any:
    """The child's input from StartExecution's ``Input``: JSON text or a JSON value; absent or null is {}.

    >>> child_input('{"a": 1}'), child_input({"a": 1}), child_input(None), child_input("not json")
    ({'a': 1}, {'a': 1}, {}, 'not json')
    """
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def state_machine_missing(target: str) -> Failure:
    """AWS's failure for a StartExecution whose state machine does not exist (recorded).

    >>> failure = state_machine_missing("arn:aws:states:us-east-1:123456789012:stateMachine:gone")
    >>> failure.error
    'StepFunctions.StateMachineDoesNotExistException'
    >>> print(failure.cause)  # doctest: +NORMALIZE_WHITESPACE
    State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:gone' (Service: AWSStepFunctions;
    Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: 8f5d3c2e-6a4b-4e1f-9c7d-0b1a2c3d4e5f;
    Proxy: null)
    """
    message = f"State Machine Does Not Exist: '{target}'"
    model = service_model("stepfunctions")
    return STEP_FUNCTIONS.failure(client_error("StateMachineDoesNotExist", message, "StartExecution", model))


@integration("states", "startExecution")
def start_execution(call: ServiceCall) -> Outcome:
    """Start the child; see the module docstring for what each pattern returns."""
    arguments = call.arguments if isinstance(call.arguments, dict) else {}
    target = str(arguments.get("StateMachineArn", ""))
    if call.request is None:
        return state_machine_missing(target)
    try:
        child = call.request.step_functions.start_execution(
            target, child_input(arguments.get("Input")), arguments.get("Name")
        )
    except LookupError:
        return state_machine_missing(target)
    started: dict[str, Any] = {"ExecutionArn": child.execution_arn, "StartDate": _millis(child.start_date.timestamp())}
    started = sdk_v1_result(call, started, "application/x-amz-json-1.0")
    pattern = call.resource.pattern
    if pattern not in (SYNC, SYNC2):
        return Result(started)
    return Submitted(started, AwaitExecution(child, lambda ended: _ended(ended, as_text=pattern == SYNC)))


def start_execution_at_service(call: ServiceCall) -> Outcome:
    """``states:startExecution`` (request-response) sent to the Step Functions ``call.aws`` gives a client of
    (``sfnlocal serve``'s ``STEP_FUNCTIONS_ENDPOINT``) instead of run here: its response as the integration
    returns it (``ExecutionArn``, ``StartDate`` in epoch milliseconds, the Java SDK v1 metadata), or its error as
    ``StepFunctions.<Exception>`` (``StepFunctions.StateMachineDoesNotExistException``, as above)."""
    started = serve(
        call, "stepfunctions", "StartExecution", object_arguments(call), STEP_FUNCTIONS.failure, epoch_millis
    )
    if isinstance(started, Failure):
        return started
    return Result(sdk_v1_result(call, started, "application/x-amz-json-1.0"))


def _ended(child: ExecutionResult, as_text: bool) -> Outcome:
    """How a ``.sync`` task ends with its child: the child's description, or a failure carrying it."""
    description = _describe(child, as_text)
    if child.status == "SUCCEEDED":
        return Result(description)
    return Failure(TASK_FAILED, compact_json(description))


def _describe(child: ExecutionResult, as_text: bool) -> dict[str, Any]:
    """DescribeExecution's fields as the .sync integrations return them."""
    text = compact_json if as_text else (lambda value: value)
    description: dict[str, Any] = {
        "ExecutionArn": child.execution_arn,
        "Input": text(child.input),
        "InputDetails": {"Included": True},
        "Name": child.name,
        "StartDate": _millis(child.start_date.timestamp()),
        "StateMachineArn": child.state_machine_arn,
        "Status": child.status,
        "StopDate": _millis(child.stop_date.timestamp()) if child.stop_date else None,
    }
    if child.status == "SUCCEEDED":
        description["Output"] = text(child.output)
        description["OutputDetails"] = {"Included": True}
    else:
        if child.error is not None:
            description["Error"] = child.error
        if child.cause is not None:
            description["Cause"] = child.cause
    return description
