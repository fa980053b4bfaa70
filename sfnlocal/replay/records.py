"""What a history says about each event's place, and each Task state's invocations.

AWS links every event to an earlier one (``previousEventId``), but the links of concurrent work cross: a Map
iteration's first event may link to the last event of the iteration before it. :func:`places` reads where each
event belongs instead: its *lane* (the Map iterations it runs in, as ``[[map name, index], ...]``, AWS's
numbering from the ``MapIteration*`` events) and the state it belongs to (the state it names, or the state of
the event it links to; a Parallel or Map state's own unnamed events belong to that state).

:func:`task_records` gathers each Task state's invocations in history order, one record per attempt (retries
count), in the form :mod:`sfnlocal.replay.mocks` replays::

    {"status": "SUCCEEDED"|"FAILED"|"TIMED_OUT"|"PENDING", "event": "TaskSucceeded", "scheduled_event":
     "TaskScheduled", "resourceType": "lambda", "resource": "invoke", "region": ..., "parameters": {...},
     "output": ..., "error": ..., "cause": ..., "submitted_output": ..., "lane": [["Map", 0]]}

>>> events = [
...     {"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "executionStartedEventDetails": {"input": "{}"}},
...     {"id": 2, "previousEventId": 0, "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "Charge"}},
...     {"id": 3, "previousEventId": 2, "type": "TaskScheduled", "taskScheduledEventDetails": {
...         "resourceType": "lambda", "resource": "invoke", "region": "us-east-1", "parameters": '{"a":1}'}},
...     {"id": 4, "previousEventId": 3, "type": "TaskStarted", "taskStartedEventDetails": {}},
...     {"id": 5, "previousEventId": 4, "type": "TaskSucceeded", "taskSucceededEventDetails": {
...         "resourceType": "lambda", "resource": "invoke", "output": '{"Payload":2}'}}]
>>> task_records(events)["Charge"][0]["status"], task_records(events)["Charge"][0]["output"]
('SUCCEEDED', {'Payload': 2})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sfnlocal.replay.mocks import Unreplayable
from sfnlocal.replay.normalise import parse_payload

_SCHEDULED = ("TaskScheduled", "ActivityScheduled", "LambdaFunctionScheduled")
TASK_ENDINGS = {  # how a Task, Activity or Lambda call ended: its answer
    "TaskSucceeded": "SUCCEEDED",
    "TaskFailed": "FAILED",
    "TaskTimedOut": "TIMED_OUT",
    "TaskStartFailed": "FAILED",
    "TaskSubmitFailed": "FAILED",
    "ActivitySucceeded": "SUCCEEDED",
    "ActivityFailed": "FAILED",
    "ActivityTimedOut": "TIMED_OUT",
    "LambdaFunctionSucceeded": "SUCCEEDED",
    "LambdaFunctionFailed": "FAILED",
    "LambdaFunctionTimedOut": "TIMED_OUT",
    "LambdaFunctionStartFailed": "FAILED",
}
# Failures before the task was scheduled: the resource itself was refused (an activity that does not exist, ...).
_NOT_SCHEDULED = ("ActivityScheduleFailed", "LambdaFunctionScheduleFailed")
_ITERATION = "MapIteration"
_ITERATION_ENDINGS = ("MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted")
_COMPOSITES = ("Parallel", "Map")
_PAYLOADS = ("input", "output", "parameters", "cause")


def details_of(event: Mapping[str, Any]) -> dict[str, Any]:
    """An event's details (the one ``...EventDetails`` object), ``{}`` when it has none.

    >>> details_of({"id": 1, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "A"}})
    {'name': 'A'}
    """
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            return value
    return {}


@dataclass(frozen=True)
class Place:
    """Where one event belongs: its lane (``((map name, iteration index), ...)``) and state (None: the execution)."""

    lane: tuple[tuple[str, int], ...]
    state: str | None


def _without(lane: tuple[tuple[str, int], ...], map_name: str) -> tuple[tuple[str, int], ...]:
    """``lane`` cut before its innermost iteration of ``map_name`` (unchanged when it has none)."""
    for depth in range(len(lane) - 1, -1, -1):
        if lane[depth][0] == map_name:
            return lane[:depth]
    return lane


def places(events: Sequence[Mapping[str, Any]]) -> dict[int, Place]:
    """Each event's :class:`Place`, by event id (see the module docstring).

    >>> found = places([
    ...     {"id": 1, "previousEventId": 0, "type": "MapStateEntered", "stateEnteredEventDetails": {"name": "M"}},
    ...     {"id": 2, "previousEventId": 1, "type": "MapStateStarted"},
    ...     {"id": 3, "previousEventId": 2, "type": "MapIterationStarted",
    ...      "mapIterationStartedEventDetails": {"name": "M", "index": 0}},
    ...     {"id": 4, "previousEventId": 3, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "P"}},
    ...     {"id": 5, "previousEventId": 4, "type": "MapIterationStarted",
    ...      "mapIterationStartedEventDetails": {"name": "M", "index": 1}},
    ...     {"id": 6, "previousEventId": 5, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "P"}},
    ...     {"id": 7, "previousEventId": 6, "type": "MapIterationSucceeded",
    ...      "mapIterationSucceededEventDetails": {"name": "M", "index": 1}},
    ...     {"id": 8, "previousEventId": 7, "type": "MapStateSucceeded"}])
    >>> [(i, p.lane, p.state) for i, p in found.items() if i in (4, 6, 8)]
    [(4, (('M', 0),), 'P'), (6, (('M', 1),), 'P'), (8, (), 'M')]
    """
    found: dict[int, Place] = {}
    # The Parallel and Map states entered and not yet exited, per lane: their own unnamed events belong to them.
    open_states: dict[tuple[tuple[str, int], ...], list[tuple[str, str]]] = {}
    types: dict[Any, str] = {}
    for event in events:
        kind = str(event.get("type", ""))
        details = details_of(event)
        before = found.get(event.get("previousEventId"))  # type: ignore[arg-type]
        lane = before.lane if before is not None else ()
        state = before.state if before is not None else None
        name = details.get("name")
        if kind.startswith(_ITERATION) and isinstance(name, str):
            lane, state = (*_without(lane, name), (name, int(details.get("index", 0)))), name
        elif before is not None and before.lane and types.get(event.get("previousEventId")) in _ITERATION_ENDINGS:
            lane = lane[:-1]  # the Map state's own events after its last iteration ended
        if isinstance(name, str) and not kind.startswith(_ITERATION):
            state = name
        composite = next((c for c in _COMPOSITES if kind.startswith(f"{c}State")), None)
        opened = open_states.setdefault(lane, [])
        if composite is not None and kind.endswith("StateEntered") and isinstance(name, str):
            opened.append((composite, name))
        elif composite is not None and name is None:
            state = next((s for c, s in reversed(opened) if c == composite), state)
        elif composite is not None and kind.endswith("StateExited") and (composite, name) in opened:
            opened.remove((composite, str(name)))
        if kind.startswith("MapRun"):
            state = next((s for c, s in reversed(opened) if c == "Map"), state)
        found[int(event.get("id", 0))] = Place(lane, state)
        types[event.get("id")] = kind
    return found


def task_records(events: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each Task state's recorded invocations, in history order (see the module docstring).

    Raises :class:`~sfnlocal.replay.mocks.Unreplayable` for an invocation refused before it was scheduled.
    """
    where = places(events)
    records: dict[str, list[dict[str, Any]]] = {}
    open_records: dict[tuple[Any, str], dict[str, Any]] = {}
    for event in events:
        kind = str(event.get("type", ""))
        place = where.get(int(event.get("id", 0)))
        if place is None or place.state is None:
            continue
        key = (place.lane, place.state)
        details = details_of(event)
        if kind in _NOT_SCHEDULED:
            raise Unreplayable(
                f"state '{place.state}' was refused before it was scheduled ({kind}, event #{event.get('id')}): "
                "a mock cannot express that"
            )
        if kind in _SCHEDULED:
            record: dict[str, Any] = {"status": "PENDING", "scheduled_event": kind}
            record.update({k: _payload(k, v) for k, v in details.items() if not k.endswith("Details")})
            if place.lane:
                record["lane"] = [list(step) for step in place.lane]
            records.setdefault(place.state, []).append(record)
            open_records[key] = record
            continue
        record = open_records.get(key)  # type: ignore[assignment]
        if record is None:
            continue
        if kind == "TaskSubmitted":
            record["submitted_output"] = parse_payload(details.get("output"))
        elif kind in TASK_ENDINGS:
            record.update(status=TASK_ENDINGS[kind], event=kind)
            for field in ("output", "error", "cause"):
                if field in details:
                    record[field] = _payload(field, details[field])
            del open_records[key]
    return records


def _payload(key: str, value: Any) -> Any:
    return parse_payload(value) if key in _PAYLOADS else value
