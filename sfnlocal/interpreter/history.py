"""Execution history, shaped like GetExecutionHistory.

Events are recorded cheaply during a run (type, previous id, clock time, details holding the
Python payload values) and rendered to AWS's shape only when asked for: payloads under
``input``/``output``/``parameters`` become compact JSON strings, with ``inputDetails`` /
``outputDetails`` ``{"truncated": false}`` beside them as AWS writes them.

``previousEventId`` follows the *lane* an event belongs to: the top-level machine, a Parallel
branch or a Map iteration each continue their own chain of events (see :class:`Lane`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sfnlocal.language.errors import RUNTIME, StatesError
from sfnlocal.language.jsontext import compact_json

if TYPE_CHECKING:
    from sfnlocal.interpreter.integration import Clock

_PAYLOAD_KEYS = ("input", "output")
# AWS's quota for a Standard execution (the Step Functions quotas page, "Maximum execution history size":
# 25,000 events; Express: unlimited). Reaching it fails the execution; as recorded against AWS (a public
# report, floci-io/floci#2734), the failure is event 25,000 itself: States.Runtime, with the cause below,
# after 24,999 events of the execution's own.
AWS_HISTORY_LIMIT = 25_000


def history_limit_cause(limit: int) -> str:
    """AWS's cause for an execution that reached the history limit.

    >>> history_limit_cause(25_000)
    'The execution reached the maximum number of history events (25000).'
    """
    return f"The execution reached the maximum number of history events ({limit})."


class History:
    """The events of one execution, in the order they happened."""

    __slots__ = ("_events", "_clock", "_limit")

    def __init__(self, clock: Clock, limit: int | None = AWS_HISTORY_LIMIT) -> None:
        self._events: list[tuple[str, int, float, str | None, dict[str, Any] | None]] = []
        self._clock = clock  # anything with a ``now`` attribute (seconds since the epoch)
        self._limit = limit

    def add(
        self, event_type: str, previous: int, details_key: str | None = None, details: dict[str, Any] | None = None
    ) -> int:
        """Record an event and return its id (ids start at 1).

        With a limit, the event that would take the last id fails the execution instead (States.Runtime):
        raised as a StatesError, which no Retry or Catch matches, so that the code recording it stops there.
        Only the event that ends the execution takes that id. Once the history is full, the events of
        states being cancelled (``...Aborted``) are left out rather than raised, so that cancelling
        finishes: AWS records nothing after the limit either.
        """
        events = self._events
        limit = self._limit
        if limit is not None and len(events) >= limit - 1 and not event_type.startswith("Execution"):
            if event_type.endswith("Aborted"):
                return len(events)
            raise StatesError(RUNTIME, history_limit_cause(limit))
        events.append((event_type, previous, self._clock.now, details_key, details))
        return len(events)

    def __len__(self) -> int:
        return len(self._events)

    def render(self) -> list[dict[str, Any]]:
        """The events as boto3's ``get_execution_history()["events"]`` returns them.

        >>> class Clock: now = 0.0
        >>> h = History(Clock())
        >>> h.add("PassStateEntered", 0, "stateEnteredEventDetails", {"name": "A", "input": {"x": 1}})
        1
        >>> h.render()[0]["stateEnteredEventDetails"]
        {'name': 'A', 'input': '{"x":1}', 'inputDetails': {'truncated': False}}
        """
        rendered = []
        for index, (event_type, previous, when, details_key, details) in enumerate(self._events, start=1):
            event: dict[str, Any] = {
                "timestamp": datetime.fromtimestamp(when, tz=UTC),
                "type": event_type,
                "id": index,
                "previousEventId": previous,
            }
            if details_key is not None:
                event[details_key] = render_details(details or {})
            rendered.append(event)
        return rendered


def render_details(details: dict[str, Any]) -> dict[str, Any]:
    """Serialise the payload fields of one event's details as AWS does."""
    out: dict[str, Any] = {}
    for key, value in details.items():
        if key in _PAYLOAD_KEYS:
            out[key] = compact_json(value)
            out[key + "Details"] = {"truncated": False}
        elif key == "parameters":
            out[key] = compact_json(value)
        elif key == "assignedVariables":
            out[key] = {name: compact_json(assigned) for name, assigned in value.items()}
            out["assignedVariablesDetails"] = {"truncated": False}
        else:
            out[key] = value
    return out


class Lane:
    """A chain of events whose ``previousEventId`` links point back along the chain.

    >>> class Clock: now = 0.0
    >>> lane = Lane(History(Clock()), last=0)
    >>> lane.emit("PassStateEntered"), lane.emit("PassStateExited"), lane.last
    (1, 2, 2)
    """

    __slots__ = ("history", "last")

    def __init__(self, history: History, last: int) -> None:
        self.history = history
        self.last = last

    def emit(
        self,
        event_type: str,
        details_key: str | None = None,
        details: dict[str, Any] | None = None,
        advance: bool = True,
    ) -> int:
        """Record an event linked to this lane's last one; ``advance=False`` leaves the lane where it was
        (AWS links some events, e.g. ExecutionStarted, without later events linking to them)."""
        event_id = self.history.add(event_type, self.last, details_key, details)
        if advance:
            self.last = event_id
        return event_id
