"""The server's clocks: ``virtual`` (Waits and timeouts take no real time; an admin call moves the clock) and
``real`` (executions' clocks follow wall time, sped up or slowed down by a wait-time scale).

An execution keeps a clock of its own (its scheduler's). With the real clock the engine runs each execution on a
:class:`RealTimeMachine`, whose executions stop at every timer (a Wait, a Retry's backoff, a timeout) instead of
jumping to it; the :class:`Ticker` thread then lets each one's clock catch up with :meth:`Clock.now` when its next
timer falls due (:func:`catch_up`), under the engine's lock.

>>> clock = Clock("virtual", now=lambda: 1_700_000_000.0)
>>> clock.advance(60)
>>> clock.now(), clock.describe()["advancedSeconds"]
(1700000060.0, 60.0)
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sfnlocal.interpreter.execution import ExecutionOptions
from sfnlocal.interpreter.integration import Integration
from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.language.jsontext import PayloadBound
from sfnlocal.state_machine import StateMachine

REAL = "real"
VIRTUAL = "virtual"
CLOCKS = (REAL, VIRTUAL)
# The longest the ticker sleeps without looking again (it is woken whenever an execution moves anyway).
_IDLE_SECONDS = 1.0


class Clock:
    """The engine's clock, in seconds since the epoch.

    ``virtual``: the wall clock plus what :meth:`advance` added (executions' clocks move only when told).
    ``real``: the wall clock from the moment the clock was made, running ``1 / wait_time_scale`` times as fast
    (Step Functions Local's WAIT_TIME_SCALE: 0.1 makes a Wait of 10 seconds last one), plus what :meth:`advance`
    added. ``now`` and ``monotonic`` are for tests.

    >>> ticks = iter([0.0, 5.0])
    >>> fast = Clock("real", wait_time_scale=0.5, now=lambda: 100.0, monotonic=lambda: next(ticks))
    >>> fast.now()  # 5 wall seconds later, 10 on the clock
    110.0
    """

    def __init__(
        self,
        mode: str = VIRTUAL,
        wait_time_scale: float = 1.0,
        now: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if mode not in CLOCKS:
            raise ValueError(f"clock {mode!r} is not one of {', '.join(CLOCKS)}")
        if not (0 < wait_time_scale < math.inf):
            raise ValueError(f"the wait-time scale must be a number greater than 0, not {wait_time_scale!r}")
        self.mode = mode
        self.wait_time_scale = float(wait_time_scale)
        self._wall = now
        self._monotonic = monotonic
        self._epoch = now()
        self._started = monotonic()
        self._advanced = 0.0

    def now(self) -> float:
        """The clock's time, in seconds since the epoch."""
        if self.mode == VIRTUAL:
            return self._wall() + self._advanced
        return self._epoch + (self._monotonic() - self._started) / self.wait_time_scale + self._advanced

    def moment(self) -> datetime:
        """The clock's time to the millisecond, as AWS's timestamps are."""
        return datetime.fromtimestamp(math.floor(self.now() * 1000) / 1000, UTC)

    def advance(self, seconds: float) -> None:
        """Move the clock ``seconds`` ahead (a ValueError unless a finite number, 0 or more)."""
        if not (0 <= seconds < math.inf):
            raise ValueError(f"the clock moves ahead by a number of seconds, 0 or more, not {seconds!r}")
        self._advanced += seconds

    def reach(self, instant: float) -> None:
        """Move the clock ahead to ``instant`` if it is behind it (after a restart: executions' clocks were there).

        >>> clock = Clock("virtual", now=lambda: 100.0)
        >>> clock.reach(160.0); clock.reach(50.0); clock.now()
        160.0
        """
        self._advanced += max(0.0, instant - self.now())

    def wall_seconds(self, seconds: float) -> float:
        """How long ``seconds`` of this clock last on the wall (with the real clock)."""
        return seconds * self.wait_time_scale

    def describe(self) -> dict[str, Any]:
        """What the admin call answers: ``clock`` (real or virtual), ``now`` (epoch seconds), ``nowIso``,
        ``advancedSeconds`` (all advances so far) and ``waitTimeScale``."""
        instant = self.now()
        return {
            "clock": self.mode,
            "now": instant,
            "nowIso": datetime.fromtimestamp(instant, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "advancedSeconds": self._advanced,
            "waitTimeScale": self.wait_time_scale,
        }


class RealTimeMachine(StateMachine):
    """A state machine whose executions wait for the clock at every timer: their scheduler runs what is ready,
    then stops (the execution stays RUNNING) until :func:`catch_up` lets their clock reach the timer."""

    def start(
        self,
        execution_input: Any,
        integration: Integration,
        options: ExecutionOptions,
        on_finished: Callable[[], None] | None = None,
        input_bound: PayloadBound | None = None,
    ) -> ExecutionResult:
        # The wall clock is outside the execution: it moves the execution's clock, never the scheduler itself.
        outside = replace(options, clock_outside=True)
        return super().start(execution_input, integration, outside, on_finished, input_bound)


def next_due(result: ExecutionResult) -> float | None:
    """The clock time of the next timer of a running execution (None: none is set)."""
    return result.next_timer


def catch_up(result: ExecutionResult, instant: float) -> None:
    """Let a running execution's clock reach ``instant``, running the timers due by then."""
    behind = instant - result.clock
    if result.status == "RUNNING" and behind >= 0:
        result.advance(behind)


class Ticker:
    """The real clock's thread: under ``condition`` (the engine's lock) it calls ``tick`` (which runs what fell
    due and returns the clock time of the next timer, or None), then sleeps until that time, or until woken
    (``condition.notify_all()``: an execution started or moved), or :meth:`stop`."""

    def __init__(self, clock: Clock, condition: threading.Condition, tick: Callable[[], float | None]) -> None:
        self._clock = clock
        self._condition = condition
        self._tick = tick
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="sfnlocal-clock", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with self._condition:
            while not self._stopped:
                due = self._tick()
                delay = _IDLE_SECONDS if due is None else self._clock.wall_seconds(due - self._clock.now())
                if delay > 0:
                    self._condition.wait(min(delay, _IDLE_SECONDS))

    def stop(self) -> None:
        """End the thread (and wait for it, unless called from it)."""
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join()
