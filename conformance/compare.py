"""Comparing a normalised sfnlocal result with the normalised recording.

Values compare as :mod:`sfnlocal.replay.compare` compares them (parsed JSON; the placeholders the recorder put in
for test-specific values, ``<lambda_function_name>``, ``<task_token:1>``, ``<uuid:2>``, ..., each matching any
non-empty text, the same text everywhere within one comparison); the primary signal with its ``compare_primary``.

Histories are compared in two steps: the event ``type`` sequence with the ``id``/``previousEventId``
links, then (when those agree) every event's details with ``timestamp`` ignored and the
recording's ``skip_snapshot_verify_paths`` left out. In recordings whose Parallel branch events were
re-sorted (``[0]`` ids), only what survived the re-sorting is compared: the events that kept their
ids, in place, and the branch events (id ``[0]``) as a multiset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from conformance.normalise import drop_paths
from sfnlocal.replay.compare import Mismatch as Mismatch
from sfnlocal.replay.compare import clip as clip
from sfnlocal.replay.compare import compare_primary as compare_primary
from sfnlocal.replay.compare import first_difference, shorten


def branches_resorted(events: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the recorder re-sorted Parallel branch events (their ids became ``[0]``).

    >>> branches_resorted([{"id": 1}, {"id": [0]}]), branches_resorted([{"id": 1}])
    (True, False)
    """
    return any(not isinstance(event.get("id"), int) for event in events)


def _link(event: Mapping[str, Any]) -> str:
    return f"#{event.get('id')} {event.get('type')} (after #{event.get('previousEventId')})"


def compare_links(expected: Sequence[Mapping[str, Any]], got: Sequence[Mapping[str, Any]]) -> str | None:
    """The first difference in event types and id links, as a reason; None when they agree.

    >>> print(compare_links([{"id": 1, "previousEventId": 0, "type": "ExecutionStarted"}], []))
    history: 0 events, expected 1; at #1: expected #1 ExecutionStarted (after #0), got none
    """
    if branches_resorted(expected):
        return _compare_links_resorted(expected, got)
    for index in range(max(len(expected), len(got))):
        want = expected[index] if index < len(expected) else None
        have = got[index] if index < len(got) else None
        if want is None or have is None or _link(want) != _link(have):
            counts = f"{len(got)} events, expected {len(expected)}; " if len(expected) != len(got) else ""
            return (
                f"history: {counts}at #{index + 1}: expected "
                f"{_link(want) if want else 'none'}, got {_link(have) if have else 'none'}"
            )
    return None


def _compare_links_resorted(expected: Sequence[Mapping[str, Any]], got: Sequence[Mapping[str, Any]]) -> str | None:
    by_id = {event.get("id"): event for event in got}
    kept = [event for event in expected if isinstance(event.get("id"), int)]
    for event in kept:
        have = by_id.get(event["id"])
        if have is None or _link(have) != _link(event):
            return f"history: expected {_link(event)}, got {_link(have) if have else 'none'}"
    if got and kept and got[-1].get("id") != kept[-1]["id"]:
        return f"history: expected the last event to be {_link(kept[-1])}, got {_link(got[-1])}"
    kept_ids = {event["id"] for event in kept}
    spare = [str(event.get("type")) for event in got if event.get("id") not in kept_ids]
    for event in expected:
        if event in kept:
            continue
        if str(event.get("type")) not in spare:
            return f"history: branch event {event.get('type')} expected, not found among the branch events"
        spare.remove(str(event.get("type")))
    return None


def _details_view(events: Iterable[Mapping[str, Any]], skip_paths: Sequence[str]) -> list[dict[str, Any]]:
    without_time = [{k: v for k, v in event.items() if k != "timestamp"} for event in events]
    # A skipped "$..events" leaves no event details to compare.
    return drop_paths({"events": without_time}, skip_paths).get("events", []) if skip_paths else without_time


def compare_details(
    expected: Sequence[Mapping[str, Any]], got: Sequence[Mapping[str, Any]], skip_paths: Sequence[str] = ()
) -> str | None:
    """The first difference in event details (after :func:`compare_links` agreed), as a reason.

    >>> e = [{"id": 1, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "A"}}]
    >>> compare_details(e, [{"id": 1, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "B"}}])
    "details: #1 PassStateEntered: $.stateEnteredEventDetails.name: expected 'A', got 'B'"
    """
    want_all, have_all = _details_view(expected, skip_paths), _details_view(got, skip_paths)
    bindings: dict[str, str] = {}
    if branches_resorted(expected):
        return _compare_details_resorted(want_all, have_all, bindings)
    for want, have in zip(want_all, have_all, strict=False):
        found = first_difference(want, have, "$", bindings)
        if found:
            return f"details: #{want.get('id')} {want.get('type')}: {found}"
    return None


def _compare_details_resorted(
    expected: list[dict[str, Any]], got: list[dict[str, Any]], bindings: dict[str, str]
) -> str | None:
    by_id = {event.get("id"): event for event in got}
    kept_ids = {event["id"] for event in expected if isinstance(event.get("id"), int)}
    spare = [event for event in got if event.get("id") not in kept_ids]
    for want in expected:
        if isinstance(want.get("id"), int):
            found = first_difference(want, by_id.get(want["id"]), "$", bindings)
            if found:
                return f"details: #{want['id']} {want.get('type')}: {found}"
            continue
        # A re-sorted branch event: match any spare event of its type with the same details.
        body = {k: v for k, v in want.items() if k not in ("id", "previousEventId")}
        for index, have in enumerate(spare):
            trial = dict(bindings)
            if (
                first_difference(
                    body, {k: v for k, v in have.items() if k not in ("id", "previousEventId")}, "$", trial
                )
                is None
            ):
                bindings.update(trial)
                del spare[index]
                break
        else:
            return f"details: no branch event matches the recorded {want.get('type')} {shorten(body)}"
    return None
