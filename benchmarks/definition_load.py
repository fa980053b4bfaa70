"""Loading cost: ``StateMachine.from_dict`` and ``StateMachine.from_file`` of a 100-state definition.

The definition (``benchmarks.workflows.mixed_states(25)``) has the kinds of states a real workflow has:
Choices, ``lambda:invoke`` Tasks with Parameters, intrinsics, ResultSelector, ResultPath, Retry and Catch,
Passes with Parameters, Waits. One untimed load first (it may import modules a load needs); then each timed
load gets a definition of its own, with its own Comment, so that nothing a load might keep serves the next;
from_file reads a JSON file of its own each time (written untimed). Best of N loads.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.targets import MAX_LOAD_SECONDS, Check
from benchmarks.workflows import mixed_states

STATES = 100


def _definition(copy: int) -> dict[str, Any]:
    definition = mixed_states(STATES // 4)
    definition["Comment"] += f" (load {copy})"
    return definition


def _best_load(load: Callable[[Any], Any], sources: list[Any]) -> float:
    """The fastest of ``load(source)`` over ``sources``, each loaded once, after an untimed first load."""
    load(sources[0])
    best = float("inf")
    for source in sources[1:]:
        started = time.perf_counter()
        load(source)
        best = min(best, time.perf_counter() - started)
    return best


def check_definition_load(repeats: int) -> list[Check]:
    """from_dict, then from_file: each the best of ``repeats`` loads of a 100-state definition."""
    from sfnlocal import StateMachine

    checks = []
    with tempfile.TemporaryDirectory(prefix="sfnlocal-load-") as folder:
        files = []
        for copy in range(repeats + 1):
            files.append(Path(folder) / f"machine-{copy}.asl.json")
            files[-1].write_text(json.dumps(_definition(copy), indent=2))
        for method, sources in (
            ("from_dict", [_definition(copy) for copy in range(repeats + 1)]),
            ("from_file", files),
        ):
            name = f"{STATES}-state definition: {method}"
            try:
                seconds = _best_load(getattr(StateMachine, method), sources)
            except Exception as exc:  # noqa: BLE001 - a failing load is reported as a FAIL, not a crash
                checks.append(Check(name, None, "s", MAX_LOAD_SECONDS, False, note=f"raised {exc!r}"[:300]))
                continue
            note = f"best of {repeats}, after an untimed first; Choice, Task, Pass and Wait states"
            checks.append(Check(name, seconds, "s", MAX_LOAD_SECONDS, False, note=note))
    return checks
