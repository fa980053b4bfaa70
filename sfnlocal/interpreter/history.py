"""Execution history, shaped like GetExecutionHistory.

Events are recorded cheaply during a run (type, previous id, clock time, details holding the
Python payload values) and rendered to AWS's shape only when asked for. A state visit that runs at once
(:func:`~sfnlocal.interpreter.visit.visit_now`) is recorded as one entry for its two events, Entered and
Exited, whose details are built only when the history is rendered. Payloads under
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
    from sfnlocal.interpreter.states.base import State

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

    __slots__ = ("_entries", "_count", "_clock", "_limit")

    def __init__(self, clock: Clock, limit: int | None = AWS_HISTORY_LIMIT) -> None:
        # An event (type, previous id, time, details key, details), or a visit's two events (see add_visit).
        self._entries: list[tuple[Any, ...]] = []
        self._count = 0  # events so far (a visit's entry holds two)
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
        count = self._count
        limit = self._limit
        if limit is not None and count >= limit - 1 and not event_type.startswith("Execution"):
            if event_type.endswith("Aborted"):
                return count
            raise StatesError(RUNTIME, history_limit_cause(limit))
        self._entries.append((event_type, previous, self._clock.now, details_key, details))
        self._count = count = count + 1
        return count

    def room_for_visit(self) -> bool:
        """Whether a visit's two events fit before the limit (else each is added on its own, and the one that
        reaches the limit fails the execution, see :meth:`add`)."""
        limit = self._limit
        return limit is None or self._count + 2 < limit

    def add_visit(self, state: State, previous: int, state_input: Any, output: Any, assigned: Any) -> int:
        """Record a state's Entered and Exited events at once, at this clock time; return the Exited event's id.

        The caller made sure of :meth:`room_for_visit`. ``assigned``: the variables the visit assigned (None: no
        Assign, nothing is recorded of it).

        >>> from sfnlocal.interpreter.model import Definition
        >>> class Clock: now = 0.0
        >>> state = Definition({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}).root.states["P"]
        >>> h = History(Clock())
        >>> h.add_visit(state, 0, {"x": 1}, {"x": 1}, None), len(h)
        (2, 2)
        >>> [(e["type"], e["id"], e["previousEventId"]) for e in h.render()]
        [('PassStateEntered', 1, 0), ('PassStateExited', 2, 1)]
        """
        self._entries.append((state, previous, self._clock.now, state_input, output, assigned))
        self._count = count = self._count + 2
        return count

    def __len__(self) -> int:
        return self._count

    def render(self) -> list[dict[str, Any]]:
        """The events as boto3's ``get_execution_history()["events"]`` returns them.

        >>> class Clock: now = 0.0
        >>> h = History(Clock())
        >>> h.add("PassStateEntered", 0, "stateEnteredEventDetails", {"name": "A", "input": {"x": 1}})
        1
        >>> h.render()[0]["stateEnteredEventDetails"]
        {'name': 'A', 'input': '{"x":1}', 'inputDetails': {'truncated': False}}
        """
        rendered: list[dict[str, Any]] = []
        for entry in self._entries:
            if type(entry[0]) is str:
                event_type, previous, when, details_key, details = entry
                _append_event(rendered, event_type, previous, when, details_key, details)
                continue
            state, previous, when, state_input, output, assigned = entry
            name = state.name
            _append_event(
                rendered,
                state.entered_event,
                previous,
                when,
                "stateEnteredEventDetails",
                {"name": name, "input": state_input},
            )
            exited: dict[str, Any] = {"name": name, "output": output}
            if assigned is not None:
                exited["assignedVariables"] = assigned
            _append_event(rendered, state.exited_event, len(rendered), when, "stateExitedEventDetails", exited)
        return rendered


def _append_event(
    rendered: list[dict[str, Any]],
    event_type: str,
    previous: int,
    when: float,
    details_key: str | None,
    details: dict[str, Any] | None,
) -> None:
    event: dict[str, Any] = {
        "timestamp": datetime.fromtimestamp(when, tz=UTC),
        "type": event_type,
        "id": len(rendered) + 1,
        "previousEventId": previous,
    }
    if details_key is not None:
        event[details_key] = render_details(details or {})
    rendered.append(event)


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
