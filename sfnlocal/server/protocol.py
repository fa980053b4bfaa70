"""The AWS JSON 1.0 protocol of the Step Functions API, apart from HTTP: a request's target and body in, a status
and a JSON body out.

``X-Amz-Target: AWSStepFunctions.<Operation>`` names the operation; the body is a JSON object, checked against
botocore's model (:mod:`.shapes`) before the operation's handler (:data:`sfnlocal.server.api.OPERATIONS`) runs.
Errors are answered as AWS answers them: ``{"__type": "<namespace>#<Code>", "message": ...}`` with the error's
HTTP status. Whatever the request, :func:`answer` returns an answer: a handler's unexpected exception is an
``InternalFailure`` (500), everything the client got wrong a 4xx.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from sfnlocal.server.api import OPERATIONS, ApiError
from sfnlocal.server.shapes import SERIALIZATION, check_input, encode_output, operation_model, service

CONTENT_TYPE = "application/x-amz-json-1.0"
UNKNOWN_OPERATION = "UnknownOperationException"
INTERNAL_FAILURE = "InternalFailure"
# Errors of the service itself (shapes of its model) are in its namespace; those of the framework in front of
# it (the request could not be routed or read) in Coral's, as AWS's JSON services answer them.
SERVICE_NAMESPACE = "com.amazonaws.states"
FRAMEWORK_NAMESPACE = "com.amazon.coral.service"
_FRAMEWORK_ERRORS = {UNKNOWN_OPERATION, SERIALIZATION, INTERNAL_FAILURE}

log = logging.getLogger("sfnlocal.server")


@dataclass(frozen=True)
class Answer:
    """What the server sends back: the HTTP status and the JSON body (encoded by :meth:`body`)."""

    status: int
    document: dict[str, Any]

    def body(self) -> bytes:
        """The body as UTF-8 JSON.

        >>> Answer(200, {"name": "é"}).body()
        b'{"name":"\\xc3\\xa9"}'
        """
        return json.dumps(self.document, ensure_ascii=False, separators=(",", ":")).encode()


def error_answer(error: ApiError) -> Answer:
    """An error in AWS's JSON 1.0 shape.

    >>> error_answer(ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: 'arn'"))
    Answer(status=400, document={'__type': 'com.amazonaws.states#StateMachineDoesNotExist', \
'message': "State Machine Does Not Exist: 'arn'"})
    """
    namespace = FRAMEWORK_NAMESPACE if error.code in _FRAMEWORK_ERRORS else SERVICE_NAMESPACE
    return Answer(error.status, {"__type": f"{namespace}#{error.code}", "message": error.message})


def answer(engine: Any, target: str | None, body: bytes) -> Answer:
    """The answer to one request: ``target`` is its ``X-Amz-Target`` header (None when absent).

    >>> answer(None, "AWSStepFunctions.Nope", b"{}").document["__type"]
    'com.amazon.coral.service#UnknownOperationException'
    >>> answer(None, "AWSStepFunctions.ListActivities", b"{").document["__type"]
    'com.amazon.coral.service#SerializationException'
    """
    try:
        return _answer(engine, target, body)
    except ApiError as error:
        return error_answer(error)
    except Exception:  # a bug of sfnlocal: logged; the client gets AWS's answer to a failure of the service
        log.exception("sfnlocal serve: %s failed", target)
        return error_answer(ApiError(INTERNAL_FAILURE, "sfnlocal failed to answer the request (see its log)", 500))


def _answer(engine: Any, target: str | None, body: bytes) -> Answer:
    name = operation_name(target)
    operation = operation_model(name)
    if operation is None:
        raise ApiError(UNKNOWN_OPERATION, f"The Step Functions API has no operation {name!r} (X-Amz-Target: {target})")
    request = check_input(operation, parse_body(body))
    handler = OPERATIONS.get(name)
    if handler is None:
        raise ApiError(UNKNOWN_OPERATION, f"sfnlocal does not serve {name} yet")
    return Answer(200, encode_output(operation, handler(engine, request)))


def operation_name(target: str | None) -> str:
    """The operation an ``X-Amz-Target`` header names.

    >>> operation_name("AWSStepFunctions.StartExecution")
    'StartExecution'
    >>> operation_name(None)
    Traceback (most recent call last):
    ...
    sfnlocal.server.api.ApiError: UnknownOperationException: Missing X-Amz-Target header: expected \
AWSStepFunctions.<Operation>
    """
    prefix = service().metadata["targetPrefix"] + "."
    if not target:
        raise ApiError(UNKNOWN_OPERATION, f"Missing X-Amz-Target header: expected {prefix}<Operation>")
    if not target.startswith(prefix):
        raise ApiError(UNKNOWN_OPERATION, f"X-Amz-Target {target!r} does not start with {prefix!r}")
    return target.removeprefix(prefix)


def parse_body(body: bytes) -> dict[str, Any]:
    """A request body: a JSON object (an empty body is ``{}``), else ``SerializationException``.

    >>> parse_body(b""), parse_body(b' {"maxResults": 2} ')
    ({}, {'maxResults': 2})
    >>> parse_body(b'{"x": NaN}')
    Traceback (most recent call last):
    ...
    sfnlocal.server.api.ApiError: SerializationException: The request body is not valid JSON: NaN is not a JSON \
value
    """
    if not body.strip():
        return {}
    try:
        document = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise ApiError(SERIALIZATION, "The request body is not UTF-8 text") from None
    except ValueError as err:  # JSONDecodeError, or a constant refused
        raise ApiError(SERIALIZATION, f"The request body is not valid JSON: {err}") from None
    except RecursionError:
        raise ApiError(SERIALIZATION, "The request body is nested too deeply") from None
    if not isinstance(document, dict):
        raise ApiError(SERIALIZATION, "The request body must be a JSON object")
    return document


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity; JSON (and AWS) does not.
    raise ValueError(f"{name} is not a JSON value")
