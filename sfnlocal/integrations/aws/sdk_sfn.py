"""``aws-sdk:sfn:sendTaskSuccess`` / ``sendTaskFailure`` / ``sendTaskHeartbeat``: answered by sfnlocal.

Task tokens are made by the running execution, not by moto, so these answer the execution's own
waiting tasks (a Parallel branch answering another's ``.waitForTaskToken``). A token the execution
does not know fails as AWS fails it (recorded: ``Sfn.InvalidTokenException``, ``Invalid Token:
'Invalid token'``); one whose task has ended as ``Sfn.TaskTimedOutException``. Called outside an
execution, they go to moto like any AWS SDK integration.
"""

from __future__ import annotations

import json
from typing import Any

from sfnlocal.integrations.aws.aws_sdk import aws_sdk, object_arguments, operation_name, service_model
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.errors import client_error, missing_parameters, sdk_failure
from sfnlocal.integrations.aws.registry import action_of, integration
from sfnlocal.integrations.mocks.outcomes import Outcome, Raises, Returns
from sfnlocal.interpreter.callbacks import TaskTokenError

_PREFIX = "Sfn"
# AWS's messages where they differ from the callbacks' own (recorded for InvalidToken).
_MESSAGES = {"InvalidToken": "Invalid Token: 'Invalid token'"}


@integration("aws-sdk:sfn", "sendTaskSuccess")
@integration("aws-sdk:sfn", "sendTaskFailure")
@integration("aws-sdk:sfn", "sendTaskHeartbeat")
def answer_task(call: ServiceCall) -> Outcome:
    """Answer a task token of the running execution; the response is empty, as AWS's is."""
    if call.execution is None:
        return aws_sdk(call)
    action = action_of(call.resource)
    operation = operation_name(service_model("stepfunctions"), action) or ""
    arguments = object_arguments(call)
    token = arguments.get("TaskToken")
    if token is None:
        return sdk_failure(missing_parameters(service_model("stepfunctions"), operation, ["TaskToken"]), _PREFIX)
    callbacks = call.execution.callbacks
    try:
        if action == "sendTaskSuccess":
            output = _output(arguments.get("Output"), token in callbacks.waiting_tokens())
            callbacks.succeed(token, output)
        elif action == "sendTaskFailure":
            callbacks.fail(token, arguments.get("Error"), arguments.get("Cause"))
        else:
            callbacks.heartbeat(token)
    except TaskTokenError as err:
        return _refused(err.code, _MESSAGES.get(err.code, err.message), operation)
    except ValueError as err:
        return _refused("InvalidOutput", f"Invalid Output: '{err}'", operation)
    return Returns({}, raw=True)


def _output(output: Any, token_known: bool) -> Any:
    """The task's result from SendTaskSuccess's ``Output``: JSON text in the API, or a JSON value given
    instead (meaning itself, see casing). AWS refuses an unknown token before a bad output (recorded:
    ``Output: "ParameterOutput"``), so a bad output raises only for a known token.

    >>> _output('{"ok": true}', True), _output({"ok": True}, True), _output("not json", False)
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


def _refused(code: str, message: str, operation: str) -> Raises:
    return sdk_failure(client_error(code, message, operation, service_model("stepfunctions")), _PREFIX)
