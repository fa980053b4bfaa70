"""sfnlocal's own calls beside the Step Functions API, under ``/sfnlocal/``, for loopback clients only.

``POST /sfnlocal/clock`` with a JSON object: ``{}`` reads the server's clock, ``{"advanceSeconds": 60}`` moves it
60 seconds ahead first (running executions' clocks with it: Waits and timeouts due meanwhile run out). Either way
the answer is the clock as :meth:`sfnlocal.server.clock.Clock.describe` gives it: ``clock`` (real or virtual),
``now`` (seconds since the epoch), ``nowIso``, ``advancedSeconds`` (all advances so far), ``waitTimeScale``.
Errors have the API's shape (``{"__type", "message"}``).

>>> from sfnlocal.server.engine import Engine
>>> engine = Engine()
>>> answered = admin_answer(engine, "/sfnlocal/clock", b'{"advanceSeconds": 90}', "127.0.0.1")
>>> answered.status, answered.document["clock"], answered.document["advancedSeconds"]
(200, 'virtual', 90.0)
>>> admin_answer(engine, "/sfnlocal/clock", b"{}", "192.0.2.7").status
403
"""

from __future__ import annotations

import json
import math
from typing import Any

from sfnlocal.server.addresses import loopback
from sfnlocal.server.api import ApiError
from sfnlocal.server.protocol import SERIALIZATION, UNKNOWN_OPERATION, Answer, error_answer

ADMIN_PREFIX = "/sfnlocal/"
CLOCK_PATH = "/sfnlocal/clock"


def admin_answer(engine: Any, path: str, body: bytes, client_host: str) -> Answer:
    """The answer to ``POST <path>`` (under :data:`ADMIN_PREFIX`) from ``client_host``."""
    try:
        if not loopback(client_host):
            raise ApiError("AccessDeniedException", f"{path} answers clients on this machine only", 403)
        if path.split("?", 1)[0] != CLOCK_PATH:
            raise ApiError(UNKNOWN_OPERATION, f"sfnlocal has no call {path}: it has POST {CLOCK_PATH}", 404)
        return Answer(200, _clock(engine, _request(body)))
    except ApiError as error:
        return error_answer(error)


def _clock(engine: Any, request: dict[str, Any]) -> dict[str, Any]:
    seconds = request.get("advanceSeconds", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not (0 <= seconds < math.inf):
        raise ApiError(
            "ValidationException", f"advanceSeconds must be a number of seconds, 0 or more, not {json.dumps(seconds)}"
        )
    if seconds:
        return dict(engine.advance_clock(seconds))
    with engine.lock:
        return dict(engine.time.describe())


def _request(body: bytes) -> dict[str, Any]:
    try:
        request = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError) as err:
        raise ApiError(SERIALIZATION, f"The body is not JSON: {err}") from None
    if not isinstance(request, dict):
        raise ApiError(SERIALIZATION, 'The body must be a JSON object, such as {"advanceSeconds": 60}')
    return request
