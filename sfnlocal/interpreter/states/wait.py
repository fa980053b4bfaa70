"""The Wait state: ``Seconds``, ``SecondsPath``, ``Timestamp`` or ``TimestampPath``, on the clock.

With the virtual clock a Wait costs no wall time: the fiber sleeps until the target instant and the
scheduler jumps there once nothing else can run. In JSONata mode ``Seconds`` and ``Timestamp`` may be
expressions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.scheduler import Sleep
from sfnlocal.interpreter.states.base import State, StateRun, Visit
from sfnlocal.language.errors import RUNTIME, DefinitionError, RuntimeFailure
from sfnlocal.language.fields import Field
from sfnlocal.language.jsonata import is_expression
from sfnlocal.language.jsonata.expression import QueryEvaluationFailure
from sfnlocal.language.jsontext import compact_json
from sfnlocal.language.paths import CompiledPath, PathNotFound, PathSyntaxError, compile_path
from sfnlocal.language.timestamps import parse_timestamp

if TYPE_CHECKING:
    from sfnlocal.interpreter.model import Branch

# AWS refuses delays that do not fit a signed 32-bit number of seconds (about 68 years).
MAX_DELAY_SECONDS = 2**31 - 1


class WaitState(State):
    """Exactly one of the timing fields (checked by the structure module)."""

    type_name = "Wait"

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Branch) -> None:
        super().__init__(name, spec, location, parent)
        self.seconds: Field | None = self.field(spec, "Seconds")
        self.timestamp: Field | None = self.field(spec, "Timestamp")
        timestamp = spec.get("Timestamp")
        if (
            isinstance(timestamp, str)
            and not (self.jsonata and is_expression(timestamp))
            and parse_timestamp(timestamp) is None
        ):
            # AWS's wording (recorded from CreateStateMachine), e.g. for '2016-12-05T21:29:29' (no offset).
            raise DefinitionError(f"{location}/Timestamp", "String does not match RFC3339 timestamp")
        self.seconds_path = self._path(spec, "SecondsPath", location)
        # A literal delay or instant (not a JSONata expression) is the same at every visit: worked out here once.
        # (Evaluating its field per visit would also make the execution's random source, which it never reads.)
        seconds = spec.get("Seconds")
        self.fixed_seconds: int | None = (
            seconds if _delay(seconds) and not (self.jsonata and is_expression(seconds)) else None
        )
        self.fixed_moment: float | None = (
            parse_timestamp(timestamp)
            if isinstance(timestamp, str) and not (self.jsonata and is_expression(timestamp))
            else None
        )
        self.timestamp_path = self._path(spec, "TimestampPath", location)

    @staticmethod
    def _path(spec: dict[str, Any], field: str, location: str) -> Any:
        if field not in spec:
            return None
        try:
            return compile_path(spec[field], reference=True)
        except PathSyntaxError as err:
            raise DefinitionError(f"{location}/{field}", str(err)) from None

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        selected = self.effective_input(visit, state_input)
        now = visit.frame.execution.scheduler.now
        until = self._until(visit, selected, now)
        if until - now > MAX_DELAY_SECONDS:
            raise RuntimeFailure(RUNTIME, "Wait state delay is too long.")
        if until > now:
            yield Sleep(until)
        return self.finish(visit, state_input, selected), self.next

    def _until(self, visit: Visit, selected: Any, now: float) -> float:
        # Seconds and Timestamp can only fail here as JSONata expressions (literals are checked at load). No
        # AWS text for these causes was found (docs, samples, LocalStack's snapshots, public threads): the
        # wording is sfnlocal's. Like every QueryEvaluationError AWS records, they get an EvaluationFailed event.
        if self.fixed_seconds is not None:
            return now + self.fixed_seconds
        if self.fixed_moment is not None:
            return self.fixed_moment
        if self.seconds is not None:
            seconds = self.seconds.evaluate(visit, selected)
            if not _delay(seconds):
                raise QueryEvaluationFailure(
                    self.seconds.name,
                    f"The Seconds field must be a non-negative integer, but was: {compact_json(seconds)}",
                )
            return now + seconds
        if self.timestamp is not None:
            text = self.timestamp.evaluate(visit, selected)
            moment = parse_timestamp(text)
            if moment is None:
                raise QueryEvaluationFailure(
                    self.timestamp.name,
                    "The Timestamp field does not reference a valid ISO-8601 extended "
                    f"offset date-time format string: {text if isinstance(text, str) else compact_json(text)}",
                )
            return moment
        if self.seconds_path is not None:
            seconds = self._read(self.seconds_path, "SecondsPath", visit, selected)
            # AWS's wording, as LocalStack's SecondsPath (snapshot-tested against AWS with -1, -1.5, 0, 1 and
            # 1.5 in test_wait.py::test_base_wait_seconds_path) quotes it: any value that is not an integer
            # "cannot be parsed as a long value", a negative integer "references a negative value".
            if isinstance(seconds, bool) or not isinstance(seconds, int):
                raise RuntimeFailure(
                    RUNTIME,
                    "The SecondsPath parameter cannot be parsed as a long value: "
                    + _assignment(self.seconds_path, seconds),
                )
            if seconds < 0:
                raise RuntimeFailure(
                    RUNTIME,
                    "The SecondsPath parameter references a negative value: " + _assignment(self.seconds_path, seconds),
                )
            return now + seconds
        value = self._read(self.timestamp_path, "TimestampPath", visit, selected)
        moment = parse_timestamp(value)
        if moment is None:
            # Recorded (test_wait.py::test_wait_timestamppath[], a timestamp without an offset).
            raise RuntimeFailure(
                RUNTIME,
                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
                "format string: " + _assignment(self.timestamp_path, value),
            )
        return moment

    @staticmethod
    def _read(path: CompiledPath, field: str, visit: Visit, selected: Any) -> Any:
        """The value ``SecondsPath``/``TimestampPath`` selects; a path that selects nothing fails as AWS words it."""
        try:
            return path.evaluate(visit.scope(selected))
        except PathNotFound:
            raise RuntimeFailure(
                RUNTIME, f"The {field} parameter does not reference an input value: {path.text}"
            ) from None


def _delay(seconds: Any) -> bool:
    """Whether ``seconds`` is a delay ``Seconds`` may give: an integer, 0 or more.

    >>> _delay(3), _delay(-1), _delay(1.5), _delay(True)
    (True, False, False, False)
    """
    return isinstance(seconds, int) and not isinstance(seconds, bool) and seconds >= 0


def _assignment(path: CompiledPath, value: Any) -> str:
    """``<path> == <value>`` as AWS ends its SecondsPath/TimestampPath causes: text as it is, other values as JSON.

    >>> from sfnlocal.language.paths import compile_path
    >>> _assignment(compile_path("$.start_at"), "2026-11-22T22:29:36"), _assignment(compile_path("$.s"), -1.5)
    ('$.start_at == 2026-11-22T22:29:36', '$.s == -1.5')
    """
    return f"{path.text} == {value if isinstance(value, str) else compact_json(value)}"
