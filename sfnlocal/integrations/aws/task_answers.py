"""boto3's SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, answered by the sfnlocal execution that issued
the token rather than by moto (which knows nothing of sfnlocal's tokens).

A ``stepfunctions`` client's call is caught at botocore's ``before-call`` event (the handler's response
short-circuits the request; :mod:`sfnlocal.integrations.aws.guard` installs it): the execution waiting for the
token (:func:`sfnlocal.interpreter.callbacks.answering`) receives the answer. During that execution's run (a
handler answering another task's token) the run picks the answer up; outside it (the test, after ``execute()``
returned a RUNNING result) the execution runs on at once, so its result shows where it got to. AWS's
responses are empty; a token nobody issued is refused as AWS refuses it (``InvalidToken``), one whose task
ended as ``TaskTimedOut``, with the words the AWS SDK integration uses (:mod:`sfnlocal.integrations.aws.sdk_sfn`).

A client that names its own endpoint (``endpoint_url``: ``sfnlocal serve``, Step Functions Local) is left
alone: its server answers. A token that no execution of this process issued is left to botocore (a user's own
``mock_aws()`` or real AWS answers it) while no world is started and no guard is active, or where real AWS was
opted in to; a token an execution of this process issued is always answered here.
"""

from __future__ import annotations

import json
from typing import Any

from sfnlocal.integrations.aws import guard
from sfnlocal.integrations.aws.sdk_sfn import TOKEN_MESSAGES, task_output
from sfnlocal.interpreter.callbacks import TaskTokenError, answering

_OPERATIONS = ("SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat")
# botocore's event names use the service id hyphenised and lower-cased ("SFN").
TASK_ANSWER_EVENTS = tuple(f"before-call.sfn.{operation}" for operation in _OPERATIONS)
_REQUEST_ID = "00000000-0000-0000-0000-000000000000"  # sfnlocal answers with no request of AWS's to name


def answer_task(model: Any, params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]] | None:
    """botocore's ``before-call`` for the three operations: ``(http response, parsed response)``, or None to let
    the request go on (see the module's docs)."""
    if not _to_aws(params.get("url")):
        return None  # a client with its own endpoint (``sfnlocal serve``, Step Functions Local): that server answers
    arguments = json.loads(params.get("body") or b"{}")
    token = arguments.get("taskToken")
    callbacks = answering(token) if isinstance(token, str) else None
    if callbacks is None:
        from sfnlocal.integrations.aws.world import any_world_started

        if guard.real_aws_allowed() or not (guard.active() or any_world_started()):
            return None
        return _error("InvalidToken", TOKEN_MESSAGES["InvalidToken"])
    try:
        if model.name == "SendTaskSuccess":
            callbacks.succeed(token, task_output(arguments.get("output"), True))
        elif model.name == "SendTaskFailure":
            callbacks.fail(token, arguments.get("error"), arguments.get("cause"))
        else:
            callbacks.heartbeat(token)
    except TaskTokenError as err:
        return _error(err.code, TOKEN_MESSAGES.get(err.code, err.message))
    except (TypeError, ValueError) as err:  # JSON text holding NaN or a lone surrogate, or not JSON at all
        return _error("InvalidOutput", f"Invalid Output: '{err}'")
    if not callbacks.running:
        callbacks.resume()
    return _response(200, {})


def _to_aws(url: Any) -> bool:
    """Whether a request goes to an AWS endpoint (where moto, or real AWS, would answer it), not to a server a
    client names with ``endpoint_url``.

    >>> _to_aws("https://states.us-east-1.amazonaws.com/"), _to_aws("http://127.0.0.1:8083/")
    (True, False)
    """
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "") if isinstance(url, str) else ""
    return host.endswith((".amazonaws.com", ".amazonaws.com.cn", ".api.aws"))


def _error(code: str, message: str) -> tuple[Any, dict[str, Any]]:
    """A refusal the client raises as its ``exceptions.<code>`` (a ClientError)."""
    return _response(400, {"Error": {"Code": code, "Message": message}})


def _response(status: int, parsed: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    from botocore.awsrequest import AWSResponse

    metadata = {"RequestId": _REQUEST_ID, "HTTPStatusCode": status, "HTTPHeaders": {}, "RetryAttempts": 0}
    return AWSResponse("https://states.amazonaws.com/", status, {}, None), {**parsed, "ResponseMetadata": metadata}
