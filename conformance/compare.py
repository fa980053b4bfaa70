"""Comparing a normalised sfnlocal result with the normalised recording.

Values compare as parsed JSON: key order is irrelevant, ``true`` is not ``1`` and ``1`` is not
``1.0`` (AWS prints them differently). A string in the recording may hold placeholders the
recorder put in for test-specific values (``<lambda_function_name>``, ``<json-input:1>``,
``<task_token:1>``, ``<uuid:2>``, ...). Each placeholder matches any non-empty text, and the same
placeholder must match the same text everywhere within one comparison.

Histories are compared in two steps: the event ``type`` sequence with the ``id``/``previousEventId``
links, then (when those agree) every event's details with ``timestamp`` ignored and the
recording's ``skip_snapshot_verify_paths`` left out. In recordings whose Parallel branch events were
re-sorted (``[0]`` ids), only what survived the re-sorting is compared: the events that kept their
ids, in place, and the branch events (id ``[0]``) as a multiset.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conformance.normalise import drop_paths

PRIMARY_FIELDS = ("status", "error", "cause", "output")
_PLACEHOLDER = re.compile(r"<[A-Za-z][\w.\-]*(?::\d+)?>")
# Whole values a recorder transformer put in without saying so (its arguments were not kept): any text.
_BARE_PLACEHOLDERS = frozenset({"map_run_arn", "a_task_token", "a_message_id"})
_SHORT = 70
_CONTEXT = 10  # characters shown before the first difference of two long strings


def clip(text: str, limit: int = _SHORT) -> str:
    """``text`` on one line, cut to ``limit`` characters.

    >>> clip("a  b " + "x" * 100, 10)
    'a b xxx...'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shorten(value: Any, limit: int = _SHORT) -> str:
    """A one-line ``repr`` of ``value``, cut to ``limit`` characters.

    >>> shorten("x" * 100, 10)
    "'xxxxxx..."
    """
    return clip(repr(value), limit)


@dataclass(frozen=True)
class Mismatch:
    """Where two values first differ.

    Long strings that share a beginning are shown from a little before where they part.

    >>> str(Mismatch("output.a", 1, 2))
    'output.a: expected 1, got 2'
    >>> str(Mismatch("cause", "x" * 80 + "a", "x" * 80 + "b"))
    "cause: expected '...xxxxxxxxxxa', got '...xxxxxxxxxxb'"
    """

    where: str
    expected: Any
    got: Any

    def __str__(self) -> str:
        want, have = self.expected, self.got
        if isinstance(want, str) and isinstance(have, str):
            common = len(os.path.commonprefix([want, have]))
            if common > _CONTEXT * 2:
                want, have = "..." + want[common - _CONTEXT :], "..." + have[common - _CONTEXT :]
        return f"{self.where}: expected {shorten(want)}, got {shorten(have)}"


def _match_text(expected: str, got: str, bindings: dict[str, str]) -> bool:
    """Whether ``got`` matches ``expected`` read as a pattern of placeholders; binds new placeholders."""
    names = _PLACEHOLDER.findall(expected)
    if not names:
        return False
    groups: dict[str, str] = {}
    pattern = []
    for literal, token in zip(_PLACEHOLDER.split(expected), [*names, None], strict=True):
        pattern.append(re.escape(literal))
        if token is None:
            continue
        if token in bindings:
            pattern.append(re.escape(bindings[token]))
        elif token in groups:
            pattern.append(f"(?P={groups[token]})")
        else:
            groups[token] = f"p{len(groups)}"
            pattern.append(f"(?P<{groups[token]}>.+?)")
    found = re.fullmatch("".join(pattern), got, re.DOTALL)
    if found is None:
        return False
    bindings.update({token: found.group(group) for token, group in groups.items()})
    return True


def _same_scalar(expected: Any, got: Any) -> bool:
    # bool is an int subclass and 1 == 1.0 in Python; JSON tells them apart.
    return type(expected) is type(got) and expected == got


def first_difference(
    expected: Any, got: Any, where: str = "$", bindings: dict[str, str] | None = None
) -> Mismatch | None:
    """The first place where ``got`` differs from ``expected``, or None when they match.

    >>> first_difference({"a": [1, {"b": "x"}]}, {"a": [1, {"b": "y"}]})
    Mismatch(where='$.a[1].b', expected='x', got='y')
    >>> first_difference("function:<fn_name>", "function:charge") is None
    True
    >>> first_difference(["<x>", "<x>"], ["a", "b"])
    Mismatch(where='$[1]', expected='<x>', got='b')
    >>> first_difference(1, 1.0)
    Mismatch(where='$', expected=1, got=1.0)
    """
    bindings = {} if bindings is None else bindings
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in [*expected, *(k for k in got if k not in expected)]:
            if key not in got or key not in expected:
                return Mismatch(f"{where}.{key}", expected.get(key, "<absent>"), got.get(key, "<absent>"))
        for key in expected:
            found = first_difference(expected[key], got[key], f"{where}.{key}", bindings)
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return Mismatch(f"{where} (length)", len(expected), len(got))
        for index, (e, g) in enumerate(zip(expected, got, strict=True)):
            found = first_difference(e, g, f"{where}[{index}]", bindings)
            if found:
                return found
        return None
    if _same_scalar(expected, got):
        return None
    if (
        isinstance(expected, str)
        and isinstance(got, str)
        and (expected in _BARE_PLACEHOLDERS or _match_text(expected, got, bindings))
    ):
        return None
    return Mismatch(where, expected, got)


def compare_primary(expected: Mapping[str, Any], got: Mapping[str, Any]) -> Mismatch | None:
    """Status, error, cause, then output; a field absent from the recording must be absent (None) here.

    The output is compared only when the recording has one.

    >>> compare_primary({"status": "FAILED", "error": "E"}, {"status": "FAILED", "error": "E", "cause": "c"})
    Mismatch(where='cause', expected=None, got='c')
    """
    bindings: dict[str, str] = {}
    for field in PRIMARY_FIELDS:
        if field == "output" and field not in expected:
            continue
        found = first_difference(expected.get(field), got.get(field), field, bindings)
        if found:
            return found
    return None


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
