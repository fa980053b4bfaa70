"""One call of a Python handler as AWS Lambda's Python runtime makes it: the result through JSON, errors as
Lambda reports them, a call longer than the Timeout as ``Sandbox.Timedout``.

Used for the application's functions (:mod:`.runtime`) and for callable mocks alike, so that a handler
behaves the same however it is wired.

>>> from sfnlocal.integrations.lambda_ import LambdaContext
>>> call_handler(lambda event, context: {"total": event["n"] * 2}, {"n": 21}, LambdaContext("f", "r-1"))
{'total': 42}
>>> try:
...     call_handler(lambda event, context: {1, 2}, {}, LambdaContext("f", "r-1"))
... except FunctionError as failure:
...     failure.payload["errorType"], failure.payload["errorMessage"]
('Runtime.MarshalError', 'Unable to marshal response: Object of type set is not JSON serializable')
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from sfnlocal.integrations.lambda_ import LambdaContext, error_json, handler_frames
from sfnlocal.interpreter.integration import exception_message
from sfnlocal.language.errors import StatesError
from sfnlocal.language.jsontext import read_encoded_json


class FunctionError(Exception):
    """A function error: ``payload`` is the error JSON Lambda returns (``X-Amz-Function-Error``)."""

    def __init__(self, payload: Mapping[str, Any]) -> None:
        super().__init__(payload.get("errorMessage"))
        self.payload = dict(payload)

    @property
    def error_type(self) -> str:
        """Step Functions' error name: the payload's ``errorType`` (``Lambda.Unknown`` when it has none)."""
        error_type = self.payload.get("errorType")
        return error_type if isinstance(error_type, str) and error_type else "Lambda.Unknown"

    def failure(self, compact: bool) -> StatesError:
        """The task failure Step Functions reports for it (``compact``: see ``lambda_.error_json``)."""
        return StatesError(self.error_type, error_json(self.payload, compact))


def error_payload(
    error_type: str, message: str, request_id: str, stack_trace: list[str] | None = None
) -> dict[str, Any]:
    """Lambda's error JSON, keys in the order AWS's Python runtime writes them.

    >>> list(error_payload("E", "m", "r-1"))
    ['errorMessage', 'errorType', 'requestId', 'stackTrace']
    """
    return {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": stack_trace or []}


def call_handler(
    handler: Callable[[Any, Any], Any],
    event: Any,
    context: LambdaContext,
    timeout: float | None = None,
    keep_errors: tuple[type[BaseException], ...] = (),
    keep_results: tuple[type, ...] = (),
    keep_unmarshallable: bool = False,
) -> Any:
    """The handler's result as Lambda returns it (through JSON), or :class:`FunctionError`.

    ``timeout`` (seconds of wall time) turns a longer call into ``Sandbox.Timedout``, reported once the
    handler returns (sfnlocal cannot stop Python code); ``keep_errors`` and ``keep_results`` are exception
    and result types passed through as they are (a callable mock's ``mocks.raises(...)``, say);
    ``keep_unmarshallable`` passes a result JSON cannot hold through as it is instead of failing with
    ``Runtime.MarshalError`` (for callable mocks, whose such results the Task reports as a set-up mistake,
    naming the path of the value).
    """
    request_id = context.aws_request_id
    started = time.perf_counter()
    try:
        produced = handler(event, context)
    except keep_errors:
        raise
    except SystemExit as exit_:  # the runtime process ends: Lambda reports its exit status
        _check_time(started, timeout, request_id)
        status = exit_.code if isinstance(exit_.code, int) else 1
        message = f"RequestId: {request_id} Error: Runtime exited with error: exit status {status}"
        raise FunctionError({"errorType": "Runtime.ExitError", "errorMessage": message}) from None
    except Exception as exc:
        _check_time(started, timeout, request_id)
        frames = handler_frames(exc.__traceback__)
        raise FunctionError(error_payload(type(exc).__name__, exception_message(exc), request_id, frames)) from None
    _check_time(started, timeout, request_id)
    if isinstance(produced, keep_results):
        return produced
    try:
        return marshal(produced, request_id)
    except FunctionError:
        if keep_unmarshallable:
            return produced
        raise


def _check_time(started: float, timeout: float | None, request_id: str) -> None:
    if timeout is not None and time.perf_counter() - started > timeout:
        # Lambda's error for an invocation that ran past the function's Timeout (Python runtimes since 2023).
        message = f"RequestId: {request_id} Error: Task timed out after {timeout:.2f} seconds"
        raise FunctionError({"errorType": "Sandbox.Timedout", "errorMessage": message})


def marshal(value: Any, request_id: str) -> Any:
    """``value`` as the function's caller receives it: written as JSON and read back, as Lambda's runtime does.

    Lambda's encoder writes a ``Decimal`` as the number it holds (DynamoDB's numbers come back as such),
    tuples as arrays, and refuses what JSON cannot hold (a set, an object, NaN) with
    ``Runtime.MarshalError``. (Its encoder also writes a namedtuple as an object; sfnlocal's, as an array.)

    >>> import decimal
    >>> marshal({"price": decimal.Decimal("9.50"), "sizes": (1, 2), 3: None}, "r-1")
    {'price': 9.5, 'sizes': [1, 2], '3': None}
    """
    try:
        text = _lambda_json(value)
    except (TypeError, ValueError, RecursionError) as err:
        message = f"Unable to marshal response: {exception_message(err)}"
        raise FunctionError(error_payload("Runtime.MarshalError", message, request_id)) from None
    return read_encoded_json(text)


def _lambda_json(value: Any) -> str:
    """``json.dumps(value, default=_decimal_number, allow_nan=False, ensure_ascii=False)``, through a C encoder made
    once (json.dumps makes an encoder for each call with these options: this runs for every handler's result)."""
    if _LAMBDA_ENCODE is not None:
        try:
            return "".join(_LAMBDA_ENCODE(value, 0))
        except RecursionError:  # the encoder keeps no markers: json.dumps says whether the value holds itself
            pass
    return json.dumps(value, default=_decimal_number, allow_nan=False, ensure_ascii=False)


def _decimal_number(value: Any) -> Any:
    import decimal  # imported here, for the values json cannot write: its import cost

    if isinstance(value, decimal.Decimal):
        # the number as the Decimal writes it ("9.50", "1E+2"), read back as JSON reads that text
        return float(value) if not value.is_finite() else json.loads(str(value))
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_MAKE_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)  # (not in the json module's type stubs)
_LAMBDA_ENCODE = (
    None
    if _MAKE_C_ENCODER is None
    else _MAKE_C_ENCODER(None, _decimal_number, json.encoder.encode_basestring, None, ": ", ", ", False, False, False)
)
