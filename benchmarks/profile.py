"""Where the time goes: a cProfile of each benchmark workload (and examples/order), the top costs by own time.

``python -m benchmarks.profile`` prints, per workload, its rate (the best of seven unprofiled executions, history
recording on) and the functions with the largest share of the profiled time spent in their own code (tottime),
from five profiled executions after a warm-up. benchmarks/README.md ("Where the time goes") keeps these tables
from before and after the work on issue 18. ``--top N`` shows N functions (default 6); ``--bench-dir DIR`` takes
the workloads from another folder.

>>> share_rows({("/x/sfnlocal/interpreter/visit.py", 10, "visit_now"): (0, 0, 0.5, 0.5, {})}, 1.0, top=1)
['visit_now (visit.py) 50%']
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.jsonata_variants import jsonata_variant
from benchmarks.order_example import order_machine
from benchmarks.workloads import DEFAULT_BENCH_DIR, Workload, count_transitions, default_workloads

_RATE_RUNS = 7
_PROFILED_RUNS = 5


def share_rows(stats: dict[Any, Any], total: float, top: int) -> list[str]:
    """The ``top`` functions of a pstats table by own time, each as ``name (file) share``."""
    ranked = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return [f"{name} ({Path(file).name}) {own / total:.0%}" for (file, _line, name), (_, _, own, _, _) in ranked]


def profile(call: Callable[[], Any], units: int, top: int) -> tuple[float, list[str]]:
    """``units`` per second of ``call`` (best of a few unprofiled runs) and its top costs by own time."""
    call()  # warm-up: first-run costs (imports, compiled templates) are not what is measured
    best = min(_timed(call) for _ in range(_RATE_RUNS))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(_PROFILED_RUNS):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]  # pstats keeps its table here
    total = sum(row[2] for row in table.values()) or 1.0
    return units / best, share_rows(table, total, top)


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _workload_call(workload: Workload) -> Callable[[], Any]:
    """One execution of the workload; raises RuntimeError if a run's result is not the workload's (checked once)."""
    from sfnlocal import StateMachine

    machine = StateMachine.from_dict(workload.definition)
    run = machine.execute(workload.input, seed=0)
    problem = workload.problem_with(run.status, run.output, count_transitions(run.history))
    if problem is not None:
        raise RuntimeError(f"{workload.name}: {problem}")
    return lambda: machine.execute(workload.input, seed=0)


def main(argv: list[str] | None = None) -> int:
    """Print each workload's rate and top costs."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=6)
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    options = parser.parse_args(argv)
    workloads = default_workloads(options.bench_dir)
    for workload in [*workloads, *filter(None, (jsonata_variant(w) for w in workloads))]:
        rate, rows = profile(_workload_call(workload), workload.transitions, options.top)
        print(f"{workload.name}: {rate:,.0f} transitions/s; " + ", ".join(rows))
    machine, mocks, order = order_machine()
    rate, rows = profile(lambda: machine.execute(order, mocks=mocks), 1, options.top)
    print(f"examples/order: {1000 / rate:.3f} ms per execution; " + ", ".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
