"""sfnlocal's side: a workload run through the public API with history recording on (the default)."""

from __future__ import annotations

import time
from typing import Any

from benchmarks.measurement import Run, RunOnce, Timing, best_of
from benchmarks.workloads import Workload, count_transitions


def measure_sfnlocal(workload: Workload, repeats: int, **execute_options: Any) -> Timing:
    """Best of ``repeats`` executions of ``workload``; the definition is loaded once, outside the timing.

    Only ``execute`` (given ``execute_options``) is timed: the history is recorded during it, and
    rendered to dicts on access afterwards, as moto's is fetched with GetExecutionHistory after its run.
    """
    return best_of("sfnlocal", workload, lambda: _loaded(workload, execute_options), repeats)


def _loaded(workload: Workload, execute_options: dict[str, Any]) -> RunOnce:
    from sfnlocal import StateMachine
    from sfnlocal.language.identifiers import name_from

    # A workload's name may hold what AWS refuses in a state machine's name ("... [JSONata]").
    machine = StateMachine.from_dict(workload.definition, name=name_from(workload.name))

    def run_once() -> Run:
        started = time.perf_counter()
        run = machine.execute(workload.input, seed=0, **execute_options)
        seconds = time.perf_counter() - started
        return Run(seconds, run.status, run.output, count_transitions(run.history), run.error, run.cause)

    return run_once
