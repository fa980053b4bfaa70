"""Memory: peak RSS of a process that runs a large inline Map (history on, no event limit, read afterwards).

The run happens in a fresh subprocess (``python -m benchmarks.map_memory ITEMS``) so that the
peak, ``resource.getrusage(RUSAGE_SELF).ru_maxrss``, belongs to that run alone. That subprocess is
started by a small relay interpreter, not by the harness: Linux carries a process's peak RSS over
``execve``, so a child started straight from the harness (moto loaded, a few hundred MiB) would
report the harness's peak as its own.
"""

from __future__ import annotations

import json
import resource
import sys

from benchmarks.sfnlocal_runner import measure_sfnlocal
from benchmarks.subprocesses import run_python
from benchmarks.targets import MAX_MAP_MEMORY_MIB, Check
from benchmarks.workflows import inline_map
from benchmarks.workloads import Workload

# Runs ``python ARGS`` and exits with its exit code; its own peak RSS is only an interpreter's.
_RELAY = "import subprocess, sys; sys.exit(subprocess.call([sys.executable, *sys.argv[1:]]))"


def check_map_memory(items: int) -> Check:
    """Peak RSS, in MiB, of a subprocess running an inline Map over ``items`` items."""
    name = f"{items:,}-item Map: peak RSS"
    done = run_python("-c", _RELAY, "-m", "benchmarks.map_memory", str(items))
    if done.returncode != 0:
        return Check(name, None, "MiB", MAX_MAP_MEMORY_MIB, False, note=done.stderr.strip()[-300:])
    report = json.loads(done.stdout)
    if report["problem"] is not None:
        return Check(name, None, "MiB", MAX_MAP_MEMORY_MIB, False, note=report["problem"])
    return Check(
        name,
        report["peak_mib"],
        "MiB",
        MAX_MAP_MEMORY_MIB,
        False,
        note=f"subprocess ru_maxrss; {report['before_run_mib']:.0f} MiB before the run, "
        f"run took {report['seconds']:.2f} s",
    )


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv: list[str]) -> None:
    """Run the Map once and print its peak RSS and outcome as one JSON object."""
    # Small items keep the Map's input and output under AWS's 256 KiB payload limit at 10,000 items.
    workload = Workload.from_dict(inline_map(int(argv[0]), item=lambda index: {"id": index}))
    import sfnlocal  # noqa: F401 - imported before measuring the baseline, as a user would have it loaded

    before_run = _peak_rss_mib()
    # AWS fails an execution at 25,000 history events, which a 10,000-item inline Map passes.
    timing = measure_sfnlocal(workload, 1, history_limit=None)
    print(
        json.dumps(
            {
                "problem": timing.problem,
                "before_run_mib": before_run,
                "peak_mib": _peak_rss_mib(),
                "seconds": timing.seconds,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
