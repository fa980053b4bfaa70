"""Start-up cost: ``python -c 'import sfnlocal'`` in a fresh interpreter, and ``sfnlocal validate`` of examples/order
as a CI step or a pre-commit hook runs it (``python -m sfnlocal``), interpreter start-up included."""

from __future__ import annotations

import time

from benchmarks.subprocesses import run_python
from benchmarks.targets import MAX_COMMAND_SECONDS, MAX_IMPORT_SECONDS, Check


def check_import_time(repeats: int) -> Check:
    """Best-of-``repeats`` wall time of a subprocess importing sfnlocal, a bare interpreter's in the note."""
    name = "import sfnlocal: fresh subprocess"
    importing = []
    for _ in range(repeats):
        started = time.perf_counter()
        done = run_python("-c", "import sfnlocal")
        importing.append(time.perf_counter() - started)
        if done.returncode != 0:
            return Check(name, None, "s", MAX_IMPORT_SECONDS, False, note=done.stderr.strip()[-300:])
    bare = min(_seconds_to_run("pass") for _ in range(repeats))
    return Check(
        name,
        min(importing),
        "s",
        MAX_IMPORT_SECONDS,
        False,
        note=f"best of {repeats}; `python -c pass` alone takes {bare * 1000:.0f} ms",
    )


def check_command_time(repeats: int) -> Check:
    """Best-of-``repeats`` wall time of ``python -m sfnlocal validate examples/order/order.asl.json``."""
    name = "sfnlocal validate (command line): fresh subprocess"
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        done = run_python("-m", "sfnlocal", "validate", "examples/order/order.asl.json")
        timings.append(time.perf_counter() - started)
        if done.returncode != 0 or not done.stdout.strip().endswith("OK"):
            return Check(name, None, "s", MAX_COMMAND_SECONDS, False, note=(done.stdout + done.stderr).strip()[-300:])
    return Check(name, min(timings), "s", MAX_COMMAND_SECONDS, False, note=f"best of {repeats}; examples/order")


def _seconds_to_run(code: str) -> float:
    started = time.perf_counter()
    run_python("-c", code)
    return time.perf_counter() - started
