"""Where a replayed execution first parts from its recorded history.

Both histories are read as sequences per *place*: the Map iteration an event runs in (AWS's numbering) and the
Parallel branch or Map processor its state belongs to, so that concurrent work AWS interleaved in one order and
sfnlocal in another still lines up. The recorded events are walked in id order; each is compared with the
replay's event at the same position of the same place: its type, then the state it names, then its details
(``timestamp``, ids and links left out; payloads parsed; date-times as ``date``; payloads AWS truncated left out).
The first that differs, or is missing, or a replayed event the recording does not have, is the divergence.

Values the replay makes up itself (UUIDs, task tokens, and the execution's ARN and name when the history does not
show the recorded ones) are given as placeholders that stand for the recorded text in the same position
(:mod:`sfnlocal.replay.compare`); a recorded history that holds placeholders itself (a normalised recording)
works the same way round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sfnlocal.replay.compare import Mismatch, first_difference, shorten
from sfnlocal.replay.mocks import walk_states
from sfnlocal.replay.normalise import UUID, dates_masked, parse_payload, without_date_times
from sfnlocal.replay.records import Place, details_of, places

_PAYLOADS = ("input", "output", "parameters", "cause")
_LEFT_OUT = ("roleArn", "stateMachineAliasArn", "stateMachineVersionArn")  # ExecutionStarted's, not the run's

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Divergence:
    """The first point where the replay parts from the recording.

    ``state``: the state where it happens (for a transition to another state, the state the transition leaves);
    ``event_id``/``event_type``: the recorded event (the last one of its place when the replay has an event more);
    ``where``: the field that differs; ``expected``/``actual``: the recorded and the replayed value.
    """

    state: str | None
    event_id: int | None
    event_type: str | None
    where: str
    expected: Any
    actual: Any

    def lines(self) -> list[str]:
        """The divergence in a few lines.

        >>> print("\\n".join(Divergence("Check", 6, "PassStateEntered", "the next state", "Ship", "Refund").lines()))
        at state 'Check', event #6 PassStateEntered: the next state
          expected: 'Ship'
          actual:   'Refund'
        """
        state = f"state '{self.state}'" if self.state else "the execution"
        event = f", event #{self.event_id} {self.event_type}" if self.event_id is not None else ""
        return [
            f"at {state}{event}: {self.where}",
            f"  expected: {shorten(self.expected, 200)}",
            f"  actual:   {shorten(self.actual, 200)}",
        ]


def state_scopes(definition: Mapping[str, Any]) -> dict[str, Key]:
    """Each state's scope: the Parallel branches and Map processors it is nested in.

    >>> state_scopes({"States": {"P": {"Type": "Parallel", "Branches": [
    ...     {"States": {"A": {}}}, {"States": {"B": {}}}]}}})
    {'P': (), 'A': (('P', 0),), 'B': (('P', 1),)}
    """
    found: dict[str, Key] = {}
    for name, _, scope in walk_states(definition):
        found.setdefault(name, scope)
    return found


@dataclass(frozen=True)
class _Seen:
    event: Mapping[str, Any]
    place: Place
    view: dict[str, Any]


def _view(event: Mapping[str, Any], mark: Callable[[Any], Any]) -> dict[str, Any]:
    details = details_of(event)
    truncated = {
        name.removesuffix("Details")
        for name, value in details.items()
        if name.endswith("Details") and isinstance(value, dict) and value.get("truncated") is True
    }
    view: dict[str, Any] = {}
    for name, value in details.items():
        if name.endswith("Details") or name in truncated:
            continue
        if event.get("type") == "ExecutionStarted" and name in _LEFT_OUT:
            continue
        value = parse_payload(value) if name in _PAYLOADS else value
        if name == "assignedVariables" and isinstance(value, dict):
            value = {k: parse_payload(v) for k, v in value.items()}
        view[name] = mark(value)
    return view


def run_marker(identities: Iterable[tuple[str, str]]) -> Callable[[Any], Any]:
    """How the replay's own values are marked: ``identities`` (its execution ARN, name, ... with their
    placeholders) replaced, each UUID (task tokens included) numbered as ``<run-uuid:N>``, date-times as ``date``.

    >>> run_marker([("exec-1", "<run-execution-name>")])(
    ...     {"Id": "exec-1", "Token": "0f6f9b8c-6f0e-4bde-9c2a-3b1d0c5e7a11", "At": "2025-01-01T00:00:00Z"})
    {'Id': '<run-execution-name>', 'Token': '<run-uuid:1>', 'At': 'date'}
    """
    numbers: dict[str, str] = {}
    pairs = sorted(identities, key=lambda pair: -len(pair[0]))

    def text(value: str) -> str:
        for raw, placeholder in pairs:
            value = value.replace(raw, placeholder)
        value = UUID.sub(lambda m: numbers.setdefault(m.group(0), f"<run-uuid:{len(numbers) + 1}>"), value)
        return without_date_times(value)

    def mark(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return text(value) if isinstance(value, str) else value

    return mark


def _sequences(
    events: Sequence[Mapping[str, Any]], scopes: Mapping[str, Key], mark: Callable[[Any], Any]
) -> tuple[list[tuple[Key, _Seen]], dict[Key, list[_Seen]]]:
    where = places(events)
    ordered: list[tuple[Key, _Seen]] = []
    by_key: dict[Key, list[_Seen]] = {}
    for event in events:
        place = where[int(event.get("id", 0))]
        key = (place.lane, scopes.get(place.state or "", ()))
        seen = _Seen(event, place, _view(event, mark))
        ordered.append((key, seen))
        by_key.setdefault(key, []).append(seen)
    return ordered, by_key


def _state_name(seen: _Seen) -> str | None:
    name = details_of(seen.event).get("name")
    return name if isinstance(name, str) and str(seen.event.get("type", "")).endswith("StateEntered") else None


def _describe(seen: _Seen | None) -> str:
    if seen is None:
        return "no event"
    name = details_of(seen.event).get("name")
    return f"{seen.event.get('type')} '{name}'" if isinstance(name, str) else str(seen.event.get("type"))


def _differ(want: _Seen, have: _Seen, before: _Seen | None, bindings: dict[str, str]) -> Divergence | None:
    event_id, event_type, state = want.event.get("id"), want.event.get("type"), want.place.state
    if event_type != have.event.get("type") or _state_name(want) != _state_name(have):
        # Another kind of event, or another state entered: the state before took another way.
        where = "the next state" if _state_name(want) and _state_name(have) else "the next event"
        leaving = before.place.state if before is not None else state
        return Divergence(leaving, event_id, event_type, where, _describe(want), _describe(have))
    found: Mismatch | None = first_difference(want.view, have.view, "$", bindings, either_side=True)
    if found is None:
        return None
    return Divergence(state, event_id, event_type, found.where.removeprefix("$."), found.expected, found.got)


def first_divergence(
    recorded: Sequence[Mapping[str, Any]],
    replayed: Sequence[Mapping[str, Any]],
    definition: Mapping[str, Any],
    mark: Callable[[Any], Any],
    bindings: dict[str, str] | None = None,
) -> Divergence | None:
    """The first point where ``replayed`` parts from ``recorded`` (see the module docstring); None when they agree.

    ``mark`` marks the replay's own values (:func:`run_marker`); ``bindings``: what its placeholders stood for.
    """
    scopes = state_scopes(definition)
    bindings = {} if bindings is None else bindings
    wanted, _ = _sequences(recorded, scopes, dates_masked)
    _, got = _sequences(replayed, scopes, mark)
    position: dict[Key, int] = {}
    last: dict[Key, _Seen] = {}
    for key, want in wanted:
        index = position.get(key, 0)
        position[key] = index + 1
        have = got.get(key, [])
        if index >= len(have):
            return Divergence(
                want.place.state,
                want.event.get("id"),
                want.event.get("type"),
                "the replay has no such event",
                _describe(want),
                "the replay ended this part of the execution before it",
            )
        divergence = _differ(want, have[index], last.get(key), bindings)
        if divergence is not None:
            return divergence
        last[key] = want
    for key, have in got.items():
        extra = have[position.get(key, 0) :]
        if extra:
            after = last.get(key)
            return Divergence(
                extra[0].place.state if after is None else after.place.state,
                None if after is None else after.event.get("id"),
                None if after is None else after.event.get("type"),
                "the replay went on where the recording has no more events",
                "no event",
                _describe(extra[0]),
            )
    return None
