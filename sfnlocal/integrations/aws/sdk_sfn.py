"""The AWS SDK's Step Functions actions that concern executions sfnlocal runs: answered by sfnlocal, not moto.

``sendTaskSuccess`` / ``sendTaskFailure`` / ``sendTaskHeartbeat``: task tokens are made by the running
execution, not by moto, so these answer the waiting tasks of the execution and its children (a Parallel
branch answering another's ``.waitForTaskToken``, a child answering its parent's). A token nobody waits
for fails as AWS fails it (recorded: ``Sfn.InvalidTokenException``, ``Invalid Token: 'Invalid token'``);
one whose task has ended as ``Sfn.TaskTimedOutException``.

``startExecution``: a child execution of a machine sfnlocal knows (see
:mod:`sfnlocal.interpreter.registry`), on the parent's scheduler and clock, as ``states:startExecution``
starts one; the response is the API's (``ExecutionArn``, ``StartDate`` as ISO text, as the AWS SDK
integrations write timestamps). A state machine sfnlocal does not know goes to moto (a machine created in
the world with boto3 runs there; an unknown one fails as AWS fails it,
``Sfn.StateMachineDoesNotExistException``).

Called outside an execution, they go to moto like any AWS SDK integration.
"""

from __future__ import annotations

import json
from typing import Any

from sfnlocal.integrations.aws.aws_sdk import aws_sdk, object_arguments, operation_name, service_model
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.casing import from_response
from sfnlocal.integrations.aws.errors import client_error, missing_parameters, sdk_failure
from sfnlocal.integrations.aws.registry import action_of, integration
from sfnlocal.integrations.aws.states import child_input
from sfnlocal.interpreter.callbacks import TaskTokenError
from sfnlocal.interpreter.integration import Failure, Outcome, Result

_PREFIX = "Sfn"
# AWS's messages where they differ from the callbacks' own (recorded for InvalidToken).
TOKEN_MESSAGES = {"InvalidToken": "Invalid Token: 'Invalid token'"}


@integration("aws-sdk:sfn", "sendTaskSuccess")
@integration("aws-sdk:sfn", "sendTaskFailure")
@integration("aws-sdk:sfn", "sendTaskHeartbeat")
def answer_task(call: ServiceCall) -> Outcome:
    """Answer a task token of the running execution; the response is empty, as AWS's is."""
    if call.request is None:
        return aws_sdk(call)
    action = action_of(call.resource)
    operation = operation_name(service_model("stepfunctions"), action) or ""
    arguments = object_arguments(call)
    token = arguments.get("TaskToken")
    if token is None:
        return sdk_failure(missing_parameters(service_model("stepfunctions"), operation, ["TaskToken"]), _PREFIX)
    step_functions = call.request.step_functions
    try:
        if action == "sendTaskSuccess":
            output = task_output(arguments.get("Output"), step_functions.waits_for(token))
            step_functions.send_task_success(token, output)
        elif action == "sendTaskFailure":
            step_functions.send_task_failure(token, arguments.get("Error"), arguments.get("Cause"))
        else:
            step_functions.send_task_heartbeat(token)
    except TaskTokenError as err:
        return _refused(err.code, TOKEN_MESSAGES.get(err.code, err.message), operation)
    except (TypeError, ValueError) as err:  # TypeError: JSON text holding NaN or a lone surrogate
        return _refused("InvalidOutput", f"Invalid Output: '{err}'", operation)
    return Result({})


@integration("aws-sdk:sfn", "startExecution")
def start_execution(call: ServiceCall) -> Outcome:
    """Start a child execution; the response is StartExecution's."""
    if call.request is None:
        return aws_sdk(call)
    model = service_model("stepfunctions")
    arguments = object_arguments(call)
    target = arguments.get("StateMachineArn")
    if target is None:
        return sdk_failure(missing_parameters(model, "StartExecution", ["StateMachineArn"]), _PREFIX)
    try:
        child = call.request.step_functions.start_execution(
            str(target), child_input(arguments.get("Input")), arguments.get("Name")
        )
    except LookupError:  # not a machine sfnlocal knows: one created in the world's moto, or none
        return aws_sdk(call)
    response = {"executionArn": child.execution_arn, "startDate": child.start_date}
    return Result(from_response(response, model.operation_model("StartExecution").output_shape))


def task_output(output: Any, token_known: bool) -> Any:
    """The task's result from SendTaskSuccess's ``Output``: JSON text in the API, or a JSON value given
    instead (meaning itself, see casing). AWS refuses an unknown token before a bad output (recorded:
    ``Output: "ParameterOutput"``), so a bad output raises only for a known token.

    >>> task_output('{"ok": true}', True), task_output({"ok": True}, True), task_output("not json", False)
    ({'ok': True}, {'ok': True}, None)
    """
    if not isinstance(output, str):
        return output
    try:
        return json.loads(output)
    except ValueError:
        if token_known:
            raise
        return None


def _refused(code: str, message: str, operation: str) -> Failure:
    return sdk_failure(client_error(code, message, operation, service_model("stepfunctions")), _PREFIX)
