"""The long fuzz run outside CI: workers that record failures and go on, and a supervisor that bounds them.

Each worker draws cases with Hypothesis (generation only: no shrinking, no example database) and runs
them with :func:`harness.run_case`, appending every finding to its own JSON-lines file instead of
stopping at the first. The supervisor restarts a worker that crashed or stopped answering (a stall where
SIGALRM cannot reach, e.g. inside a C regular-expression match; memory is capped per worker), recording
the case it was on, and in the end writes the distinct findings (by kind, API, exception type and
location) with a count and the first reproduction of each.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

_MEMORY_BYTES = 3 * 1024**3  # per worker: a runaway case fails with MemoryError instead of taking the machine
_STALL_FACTOR = 3  # a worker silent for this many case bounds is stuck where its alarm cannot reach


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000, help="cases in all (default 100000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0, help="wall-clock seconds per case (default 10)")
    parser.add_argument("--minutes", type=float, default=None, help="stop after this long, whatever the count")
    parser.add_argument(
        "--out", type=Path, default=Path("fuzz-run"), help="folder for the findings (default ./fuzz-run)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--exclude-known", action="store_true", help="do not generate the KNOWN_OPEN classes")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    options.out.mkdir(parents=True, exist_ok=True)
    if options.worker:
        return _work(options)
    return _supervise(options)


# --- the supervisor -------------------------------------------------------------------------------


def _supervise(options: argparse.Namespace) -> int:
    started = time.monotonic()
    deadline = started + options.minutes * 60 if options.minutes else None
    share = -(-options.cases // options.workers)
    workers = {index: _start(options, index, options.seed * 1000 + index, share) for index in range(options.workers)}
    restarts = 0
    while workers:
        time.sleep(1)
        for index, (process, seed, cases) in list(workers.items()):
            done = _progress(options.out, seed)
            if process.poll() is not None:
                del workers[index]
                if process.returncode != 0:
                    _record_lost(options.out, seed, f"worker exited with {process.returncode}")
                    restarts += 1
                    if cases - done - 1 > 0:
                        workers[index] = _start(options, index, seed + 100_000, cases - done - 1)
                continue
            stalled = time.time() - _mtime(options.out / f"current-{seed}.txt")
            if stalled > options.timeout * _STALL_FACTOR or (deadline and time.monotonic() > deadline):
                process.kill()  # the worker this supervisor started
                process.wait()
                del workers[index]
                if not deadline or time.monotonic() <= deadline:
                    _record_lost(options.out, seed, f"no progress for {stalled:.0f} s (SIGALRM did not stop it)")
                    restarts += 1
                    if cases - done - 1 > 0:
                        workers[index] = _start(options, index, seed + 100_000, cases - done - 1)
    total = _summarise(options.out, time.monotonic() - started, restarts)
    print(f"{total['cases']} cases in {total['seconds']:.0f} s; {len(total['distinct'])} distinct findings")
    print(f"summary: {options.out / 'summary.md'}")
    return 0


def _start(options: argparse.Namespace, index: int, seed: int, cases: int) -> tuple[subprocess.Popen[bytes], int, int]:
    command = [sys.executable, "-m", "tests.fuzz", "--worker", "--seed", str(seed), "--cases", str(cases)]
    command += ["--timeout", str(options.timeout), "--out", str(options.out)]
    if options.exclude_known:
        command.append("--exclude-known")
    log = open(options.out / f"worker-{seed}.log", "wb")  # noqa: SIM115 - the child owns it
    (options.out / f"current-{seed}.txt").write_text("(starting)")
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), seed, cases


def _progress(out: Path, seed: int) -> int:
    try:
        return int((out / f"progress-{seed}.txt").read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return time.time()


def _record_lost(out: Path, seed: int, why: str) -> None:
    case = (out / f"current-{seed}.txt").read_text() if (out / f"current-{seed}.txt").exists() else "?"
    finding = {
        "kind": "hang" if "progress" in why else "crash",
        "api": "worker",
        "error": why.split(" ")[0],
        "location": "-",
        "message": why,
        "case": case,
        "trace": [],
    }
    with open(out / f"findings-{seed}.jsonl", "a") as file:
        file.write(json.dumps(finding) + "\n")


def _summarise(out: Path, seconds: float, restarts: int) -> dict[str, Any]:
    distinct: dict[str, dict[str, Any]] = {}
    for path in sorted(out.glob("findings-*.jsonl")):
        for line in path.read_text().splitlines():
            finding = json.loads(line)
            key = " | ".join(finding[part] for part in ("kind", "api", "error", "location"))
            entry = distinct.setdefault(key, {**finding, "count": 0})
            entry["count"] += 1
    cases = sum(_progress(out, int(path.stem.split("-", 1)[1])) for path in out.glob("progress-*.txt"))
    total = {"cases": cases, "seconds": seconds, "restarts": restarts, "distinct": distinct}
    (out / "summary.json").write_text(json.dumps(total, indent=1))
    lines = [f"# Fuzz run: {cases} cases in {seconds:.0f} s ({restarts} worker restarts)", ""]
    for key, entry in sorted(distinct.items(), key=lambda item: -item[1]["count"]):
        lines += [
            f"## {key}  (x{entry['count']})",
            "",
            entry["message"][:500],
            "",
            "```",
            entry["case"][:3000],
            "```",
            "",
        ]
        lines += ["    " + frame for frame in entry["trace"]] + [""]
    (out / "summary.md").write_text("\n".join(lines))
    return total


# --- a worker -------------------------------------------------------------------------------------


def _work(options: argparse.Namespace) -> int:
    from hypothesis import HealthCheck, Phase, given, seed, settings

    from .cases import cases
    from .harness import Case, run_case
    from .known_open import KNOWN_OPEN

    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_BYTES, _MEMORY_BYTES))
    excluded = KNOWN_OPEN if options.exclude_known else frozenset()
    findings_file = open(options.out / f"findings-{options.seed}.jsonl", "a")  # noqa: SIM115 - open for the run
    current = options.out / f"current-{options.seed}.txt"
    progress = options.out / f"progress-{options.seed}.txt"
    count = 0

    @seed(options.seed)
    @settings(
        max_examples=options.cases,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(cases(excluded))
    def fuzz(case: Case) -> None:
        nonlocal count
        current.write_text(case.reproduction()[:20000])
        for finding in run_case(case, options.timeout, excluded):
            findings_file.write(json.dumps(asdict(finding), default=repr) + "\n")
            findings_file.flush()
        count += 1
        if count % 20 == 0:
            progress.write_text(str(count))

    fuzz()
    progress.write_text(str(count))
    os._exit(0)  # skip interpreter teardown: a worker may hold state a hung case left behind
