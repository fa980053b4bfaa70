"""What the operations share: registering an operation that runs under the engine's lock, reading ARNs as
AWS reads them, finding what an ARN names (with AWS's errors), and pagination tokens.

>>> state_machine_arn("arn:aws:states:us-east-1:123456789012:activity:Work")
Traceback (most recent call last):
...
sfnlocal.server.api.ApiError: InvalidArn: Invalid Arn: 'Resource type not valid in this context: activity'
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sfnlocal.language.identifiers import name_problem
from sfnlocal.server.api import ApiError, Handler, operation
from sfnlocal.server.engine import ActivityRecord, Engine, ExecutionRecord, MachineRecord

T = TypeVar("T")
# ListStateMachines, ListExecutions, ListActivities, GetExecutionHistory (AWS's API reference): "The default is
# 100 and the maximum allowed page size is 1000. A value of 0 uses the default."
DEFAULT_PAGE_SIZE = 100
_ARN_PARTS = 7  # arn:aws:states:<region>:<account>:<resource type>:<name>


def engine_operation(name: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` for the API operation ``name``, run under the engine's lock."""

    def register(handler: Handler) -> Handler:
        def locked(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
            with engine.lock:
                return handler(engine, request)

        locked.__doc__ = handler.__doc__
        operation(name)(locked)
        return handler

    return register


def resource_type(arn: str, *allowed: str) -> str:
    """The resource type of a Step Functions ARN, after refusing what AWS refuses (InvalidArn): another prefix,
    or a resource type not among ``allowed``."""
    parts = arn.split(":")
    if len(parts) < _ARN_PARTS or parts[0] != "arn" or parts[2] != "states":
        raise ApiError("InvalidArn", f"Invalid Arn: 'Invalid ARN prefix: {arn}'")
    if parts[5] not in allowed:
        raise ApiError("InvalidArn", f"Invalid Arn: 'Resource type not valid in this context: {parts[5]}'")
    return parts[5]


def state_machine_arn(arn: str) -> str:
    """A state machine's ARN, checked (InvalidArn otherwise)."""
    resource_type(arn, "stateMachine")
    return arn


def find_machine(engine: Engine, arn: str) -> MachineRecord:
    """The state machine ``arn`` names: InvalidArn, or StateMachineDoesNotExist (a version or alias ARN too:
    sfnlocal has neither yet)."""
    record = engine.machines.get(state_machine_arn(arn))
    if record is None:
        raise ApiError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")
    return record


def find_execution(engine: Engine, arn: str) -> ExecutionRecord:
    """The Standard execution ``arn`` names: InvalidArn (an Express execution's ARN too: AWS describes none), or
    ExecutionDoesNotExist."""
    resource_type(arn, "execution")
    record = engine.executions.get(arn)
    if record is None:
        raise ApiError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{arn}'")
    return record


def find_activity(engine: Engine, arn: str) -> ActivityRecord:
    """The activity ``arn`` names: InvalidArn, or ActivityDoesNotExist."""
    resource_type(arn, "activity")
    record = engine.activities.get(arn)
    if record is None:
        raise ApiError("ActivityDoesNotExist", f"Activity Does Not Exist: '{arn}'")
    return record


def page(items: Sequence[T], request: dict[str, Any], query: Any = None) -> tuple[list[T], dict[str, Any]]:
    """One page of ``items`` as the request's ``maxResults`` and ``nextToken`` ask, and the response's
    ``nextToken`` member (``{}`` on the last page). A token is good only for the same ``query`` (the filters
    of the request that made it); another is refused as InvalidToken.

    >>> first, more = page([1, 2, 3], {"maxResults": 2})
    >>> first, page([1, 2, 3], {"maxResults": 2, **more})
    ([1, 2], ([3], {}))
    """
    size = request.get("maxResults") or DEFAULT_PAGE_SIZE
    start = _offset(request.get("nextToken"), query)
    chosen = list(items[start : start + size])
    if start + size >= len(items):
        return chosen, {}
    return chosen, {"nextToken": _token(start + size, query)}


def _token(offset: int, query: Any) -> str:
    text = json.dumps({"offset": offset, "query": query}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode()).decode()


def _offset(token: Any, query: Any) -> int:
    if token is None:
        return 0
    try:
        decoded = json.loads(base64.urlsafe_b64decode(str(token).encode()))
    except (binascii.Error, ValueError):
        decoded = None
    if not isinstance(decoded, dict) or decoded.get("query") != query or not isinstance(decoded.get("offset"), int):
        # AWS's words for a token it did not issue or that expired are not documented: sfnlocal's choice.
        raise ApiError("InvalidToken", f"Invalid Token: '{token}'")
    return int(decoded["offset"])


def tag_map(tags: list[dict[str, str]] | None) -> dict[str, str]:
    """Tags as the API lists them (``[{"key", "value"}]``) by key; a later tag of a key wins.

    >>> tag_map([{"key": "team", "value": "a"}, {"key": "team", "value": "b"}])
    {'team': 'b'}
    """
    return {tag["key"]: tag.get("value", "") for tag in tags or []}


def check_name(name: str) -> None:
    """InvalidName, worded as AWS words it, for a name of a state machine, execution or activity AWS refuses."""
    if name_problem(name) is not None:
        raise ApiError("InvalidName", f"Invalid Name: '{name}'")
