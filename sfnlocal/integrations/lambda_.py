"""What AWS Lambda adds around a function: the invoke envelope, the context object, unhandled errors."""

from __future__ import annotations

import json
import os
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from sfnlocal.interpreter.integration import exception_message
from sfnlocal.language.errors import StatesError
from sfnlocal.language.jsontext import compact_json
from sfnlocal.language.resources import LAMBDA_FUNCTION, TaskResource

_DEFAULT_TIMEOUT_MS = 3_000
_SFNLOCAL_FOLDER = os.path.join(Path(__file__).resolve().parents[1], "")  # ends with a separator
LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"


def is_lambda_invoke(resource_arn: str) -> bool:
    """Whether a Resource is the optimized Lambda integration (any pattern).

    >>> is_lambda_invoke("arn:aws:states:::lambda:invoke.waitForTaskToken"), is_lambda_invoke("arn:aws:states:::sqs:x")
    (True, False)
    """
    return resource_arn == LAMBDA_INVOKE or resource_arn.startswith(LAMBDA_INVOKE + ".")


def function_arn(resource: TaskResource, arguments: Any) -> str | None:
    """The Lambda function a Task calls: a plain function ARN, or ``lambda:invoke``'s ``FunctionName``.

    >>> from sfnlocal.language.resources import parse_resource
    >>> function_arn(parse_resource(LAMBDA_INVOKE), {"FunctionName": "charge"})
    'charge'
    """
    if resource.kind == LAMBDA_FUNCTION:
        return resource.arn
    if isinstance(arguments, dict) and isinstance(arguments.get("FunctionName"), str):
        return arguments["FunctionName"]
    return None


def invoke_envelope(payload: Any, request_id: str) -> dict[str, Any]:
    """The result of ``arn:aws:states:::lambda:invoke``, as AWS returns it around the function's payload.

    >>> invoke_envelope({"ok": 1}, "r-1")["Payload"], invoke_envelope(1, "r-1")["StatusCode"]
    ({'ok': 1}, 200)
    """
    return {
        "ExecutedVersion": "$LATEST",
        "Payload": payload,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": ["$LATEST"],
                "x-amzn-Remapped-Content-Length": ["0"],
                "Connection": ["keep-alive"],
                "x-amzn-RequestId": [request_id],
                "Content-Type": ["application/json"],
            },
            "HttpHeaders": {
                "Connection": "keep-alive",
                "Content-Type": "application/json",
                "X-Amz-Executed-Version": "$LATEST",
                "x-amzn-Remapped-Content-Length": "0",
                "x-amzn-RequestId": request_id,
            },
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StatusCode": 200,
    }


class LambdaContext:
    """The ``context`` argument a real Lambda handler receives, enough for handlers to run as is."""

    def __init__(self, function_arn: str, request_id: str, memory_mb: int = 128) -> None:
        self.invoked_function_arn = function_arn
        self.function_name = (
            function_arn.rsplit(":", 1)[-1]
            if ":function:" not in function_arn
            else function_arn.split(":function:", 1)[1].split(":", 1)[0]
        )
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory_mb
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "sfnlocal"

    def get_remaining_time_in_millis(self) -> int:
        """Time left before the function's timeout; sfnlocal does not time handlers, so always the full budget."""
        return _DEFAULT_TIMEOUT_MS


def unhandled_error(exc: BaseException, request_id: str, compact: bool) -> StatesError:
    """The failure AWS reports when a Python handler raises: error = class name, cause = Lambda's JSON.

    AWS writes that JSON without spaces for ``lambda:invoke`` and with ``", "``/``": "`` separators for a
    plain function ARN (recorded), hence ``compact``. Its ``stackTrace`` holds the handler's frames only, from
    the handler down (recorded: ``File "/var/task/handler.py", line 2, in handler``), so sfnlocal's own frames
    that called the handler are left out.

    >>> err = unhandled_error(ValueError("bad"), "r-1", compact=True)
    >>> err.error, err.cause
    ('ValueError', '{"errorMessage":"bad","errorType":"ValueError","requestId":"r-1","stackTrace":[]}')
    """
    error_type = type(exc).__name__
    cause = {
        "errorMessage": exception_message(exc),
        "errorType": error_type,
        "requestId": request_id,
        "stackTrace": _handler_frames(exc.__traceback__),
    }
    text = compact_json(cause) if compact else json.dumps(cause, ensure_ascii=False)
    return StatesError(error_type, text)


def _handler_frames(trace: TracebackType | None) -> list[str]:
    """The frames of a handler's traceback, as Lambda lists them, without the sfnlocal frames that called it.

    An exception object raised again (a handler that raises one it keeps) carries the frames of each earlier
    raise after this one's, starting again at sfnlocal's frame that called the handler then: they are cut
    there, so that every run reports only its own frames.
    """
    while trace is not None and _is_sfnlocal(trace):
        trace = trace.tb_next
    own = 0
    entry = trace
    while entry is not None and not _is_sfnlocal(entry):
        own += 1
        entry = entry.tb_next
    return traceback.format_tb(trace, limit=own) if trace is not None else []


def _is_sfnlocal(entry: TracebackType) -> bool:
    return entry.tb_frame.f_code.co_filename.startswith(_SFNLOCAL_FOLDER)
