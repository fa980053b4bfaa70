"""What AWS Lambda adds around a function: the invoke envelope, the context object, unhandled errors."""

from __future__ import annotations

import json
import os
import time
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

from sfnlocal.language.jsontext import PayloadBound, compact_json, text_bound
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


def invoke_envelope(payload: Any, request_id: str, executed_version: str = "$LATEST") -> dict[str, Any]:
    """The result of ``arn:aws:states:::lambda:invoke``, as AWS returns it around the function's payload.

    >>> invoke_envelope({"ok": 1}, "r-1")["Payload"], invoke_envelope(1, "r-1")["StatusCode"]
    ({'ok': 1}, 200)
    >>> invoke_envelope(1, "r-1", executed_version="3")["ExecutedVersion"]
    '3'
    """
    return _envelope(payload, request_id, 200, executed_version)


def invoke_envelope_bound(payload: PayloadBound, request_id: str, executed_version: str = "$LATEST") -> PayloadBound:
    """The measure of :func:`invoke_envelope`'s compact UTF-8 JSON (see
    :data:`~sfnlocal.language.jsontext.PayloadBound`), from its payload's: what the envelope adds depends only on the
    request id and the version, so the envelope need not be written out to be measured.

    >>> from sfnlocal.language.jsontext import compact_json, text_bound
    >>> text_bound(compact_json(invoke_envelope({"ok": 1}, "r-1"))) == invoke_envelope_bound((8, 1), "r-1")
    True
    """
    envelope_bytes, envelope_brackets = _empty_envelope(executed_version)
    # The request id is written three times; "null" stands for the payload in the envelope measured once.
    request_id_bytes, request_id_brackets = text_bound(compact_json(request_id))
    return (
        envelope_bytes + 3 * (request_id_bytes - 2) + payload[0] - 4,
        envelope_brackets + 3 * request_id_brackets + payload[1],
    )


@lru_cache(maxsize=16)
def _empty_envelope(executed_version: str) -> PayloadBound:
    """The measure of a 200 envelope with a null payload and an empty request id."""
    return text_bound(compact_json(_envelope(None, "", 200, executed_version)))


def accepted_envelope(request_id: str, status: int) -> dict[str, Any]:
    """The result of ``lambda:invoke`` with ``InvocationType`` ``Event`` (202) or ``DryRun`` (204).

    Lambda answers those with an empty body and no ``X-Amz-Executed-Version`` header (Invoke API
    reference); no recording shows Step Functions' envelope for them, so this one is the request-response
    envelope with that status, an empty ``Payload`` and no executed version (sfnlocal's choice).

    >>> accepted_envelope("r-1", 202)["StatusCode"], accepted_envelope("r-1", 202)["Payload"]
    (202, '')
    """
    return _envelope("", request_id, status, None)


def _envelope(payload: Any, request_id: str, status: int, executed_version: str | None) -> dict[str, Any]:
    """Step Functions' envelope around a Lambda Invoke response, in the order AWS records its keys."""
    version = {} if executed_version is None else {"X-Amz-Executed-Version": executed_version}
    envelope: dict[str, Any] = {} if executed_version is None else {"ExecutedVersion": executed_version}
    envelope.update(
        {
            "Payload": payload,
            "SdkHttpMetadata": {
                "AllHttpHeaders": {
                    **{name: [value] for name, value in version.items()},
                    "x-amzn-Remapped-Content-Length": ["0"],
                    "Connection": ["keep-alive"],
                    "x-amzn-RequestId": [request_id],
                    "Content-Type": ["application/json"],
                },
                "HttpHeaders": {
                    "Connection": "keep-alive",
                    "Content-Type": "application/json",
                    **version,
                    "x-amzn-Remapped-Content-Length": "0",
                    "x-amzn-RequestId": request_id,
                },
                "HttpStatusCode": status,
            },
            "SdkResponseMetadata": {"RequestId": request_id},
            "StatusCode": status,
        }
    )
    return envelope


class LambdaContext:
    """The ``context`` argument a real Lambda handler receives, with the fields AWS's Python runtime gives it.

    ``get_remaining_time_in_millis()`` is the function's Timeout minus the wall time since the handler was
    called (never below 0), as Lambda counts it. ``memory_limit_in_mb`` is a string, as Lambda's runtime
    reads it from ``AWS_LAMBDA_FUNCTION_MEMORY_SIZE``.

    >>> context = LambdaContext("arn:aws:lambda:us-east-1:123456789012:function:charge:live", "r-1")
    >>> context.function_name, context.function_version, context.log_group_name, context.memory_limit_in_mb
    ('charge', '$LATEST', '/aws/lambda/charge', '128')
    >>> context.get_remaining_time_in_millis()
    3000
    """

    def __init__(
        self,
        function_arn: str,
        request_id: str,
        memory_mb: int = 128,
        *,
        function_version: str = "$LATEST",
        timeout: float = _DEFAULT_TIMEOUT_MS / 1000,
        log_stream_name: str = "sfnlocal",
    ) -> None:
        self.invoked_function_arn = function_arn
        self.function_name = (
            function_arn.rsplit(":", 1)[-1]
            if ":function:" not in function_arn
            else function_arn.split(":function:", 1)[1].split(":", 1)[0]
        )
        self.function_version = function_version
        self.memory_limit_in_mb = str(memory_mb)
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = log_stream_name
        self.client_context = None  # only a mobile SDK's invocation carries one
        self.identity = None  # likewise for a Cognito identity
        self._timeout_ms = int(timeout * 1000)
        self._started = time.perf_counter()

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's Timeout: the Timeout minus the handler's wall time so far."""
        left = self._timeout_ms - int((time.perf_counter() - self._started) * 1000)
        return left if left > 0 else 0


def error_json(payload: Any, compact: bool) -> str:
    """A function's error JSON (``errorMessage``, ``errorType``, ...) as Step Functions writes it in a cause.

    AWS writes that JSON without spaces for ``lambda:invoke`` and with ``", "``/``": "`` separators for a
    plain function ARN (recorded), hence ``compact``.

    >>> error_json({"errorMessage": "bad", "errorType": "ValueError"}, compact=True)
    '{"errorMessage":"bad","errorType":"ValueError"}'
    >>> error_json({"errorType": "E"}, compact=False)
    '{"errorType": "E"}'
    """
    return compact_json(payload) if compact else json.dumps(payload, ensure_ascii=False)


def handler_frames(trace: TracebackType | None) -> list[str]:
    """The frames of a handler's traceback, as Lambda lists them, without the sfnlocal frames that called it.

    Lambda's ``stackTrace`` holds the handler's frames only, from the handler down (recorded:
    ``File "/var/task/handler.py", line 2, in handler``).

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
    import traceback  # imported here: its import cost

    return traceback.format_tb(trace, limit=own) if trace is not None else []


def _is_sfnlocal(entry: TracebackType) -> bool:
    return entry.tb_frame.f_code.co_filename.startswith(_SFNLOCAL_FOLDER)
