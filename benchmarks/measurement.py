"""Timing one engine on one workload: best of N runs, each run's result checked."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.workloads import Workload

BATCH = 20  # calls timed together when one is too short for the clock to time alone


@dataclass(frozen=True)
class Run:
    """One execution as an engine reports it, with the wall time it took."""

    seconds: float
    status: str
    output: Any
    transitions: int
    error: str | None = None
    cause: str | None = None


@dataclass(frozen=True)
class Timing:
    """The fastest correct run of an engine on a workload, or why there is none."""

    engine: str
    repeats: int
    seconds: float | None = None
    transitions: int = 0
    problem: str | None = None
    note: str = ""  # context for the report, e.g. how long a cold first run took

    @property
    def rate(self) -> float | None:
        """State transitions per second of the fastest run (None when the engine failed)."""
        if self.seconds is None or self.problem is not None:
            return None
        return self.transitions / max(self.seconds, 1e-9)


RunOnce = Callable[[], Run]


def best_of(engine: str, workload: Workload, setup: Callable[[], RunOnce], repeats: int) -> Timing:
    """Call ``setup`` (untimed) for a function that runs the workload once; run it ``repeats`` times
    and keep the fastest. The first wrong result or exception ends the measurement as a failure.

    Machines are shared and noisy: the fastest of several runs is the one least disturbed.
    """
    fastest: Run | None = None
    try:
        run_once = setup()
        for _ in range(repeats):
            run = run_once()
            problem = workload.problem_with(run.status, run.output, run.transitions)
            if problem is not None:
                if run.error is not None:
                    problem += f" ({run.error}: {(run.cause or '')[:300]})"
                return Timing(engine, repeats, run.seconds, run.transitions, problem)
            if fastest is None or run.seconds < fastest.seconds:
                fastest = run
    except Exception as exc:  # noqa: BLE001 - an engine failing a workflow is a result, not a crash
        return Timing(engine, repeats, problem=f"raised {type(exc).__name__}: {str(exc)[:300]}")
    if fastest is None:
        raise ValueError("repeats must be at least 1")
    return Timing(engine, repeats, fastest.seconds, fastest.transitions)


def best_batch(call: Callable[[], object], repeats: int) -> float:
    """Seconds per call of the fastest of ``repeats`` batches of :data:`BATCH` calls of ``call``."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(BATCH):
            call()
        best = min(best, (time.perf_counter() - started) / BATCH)
    return best
