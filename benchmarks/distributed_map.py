"""Scale of a Distributed Map: items per second and peak RSS of one reading JSONL items from the in-process S3.

The workflow (issue 14): a Distributed Map whose ItemReader reads N JSONL lines (``{"id": n}``) from S3, runs one
Pass state per child (EXPRESS children, MaxConcurrency 1000) and writes the results back with a ResultWriter.
Each run happens in a fresh subprocess (``python -m benchmarks.distributed_map KIND ITEMS``), started through a
relay interpreter as in :mod:`benchmarks.map_memory`, so that ``ru_maxrss`` is that run's alone. Seeding the
object is not timed; the peak is read right after the execution, before the results are checked (reading them
back is the check's cost, not the run's).

For scale, the same run times an inline Map over the same items (``{"id": n}``, built by a JSONata ``Items``
expression), capped at :data:`INLINE_ITEMS`: an inline Map keeps every iteration's events in the history, and
at a million items that alone would not fit in the memory target.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any

from benchmarks.subprocesses import run_python
from benchmarks.targets import MAX_DISTRIBUTED_MAP_MEMORY_MIB, MIN_RATE_DISTRIBUTED_MAP, Check

ITEMS = 1_000_000
QUICK_ITEMS = 2_000
INLINE_ITEMS = 100_000  # the inline Map's items at most (see the module's docstring)
BUCKET, KEY, PREFIX = "bench-items", "items.jsonl", "results"
_RELAY = "import subprocess, sys; sys.exit(subprocess.call([sys.executable, *sys.argv[1:]]))"


def distributed_definition() -> dict[str, Any]:
    """The Distributed Map: JSONL from ``s3://$.Bucket/$.Key``, a Pass per child, results to ``PREFIX``.

    >>> state = distributed_definition()["States"]["Items"]
    >>> state["ItemReader"]["ReaderConfig"], state["MaxConcurrency"], state["ResultWriter"]["Parameters"]["Prefix"]
    ({'InputType': 'JSONL'}, 1000, 'results')
    """
    return {
        "StartAt": "Items",
        "States": {
            "Items": {
                "Type": "Map",
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "JSONL"},
                    "Parameters": {"Bucket.$": "$.Bucket", "Key.$": "$.Key"},
                },
                "MaxConcurrency": 1000,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "Pass",
                    "States": {"Pass": {"Type": "Pass", "End": True}},
                },
                "ResultWriter": {
                    "Resource": "arn:aws:states:::s3:putObject",
                    "Parameters": {"Bucket": BUCKET, "Prefix": PREFIX},
                },
                "End": True,
            }
        },
    }


def inline_definition(items: int) -> dict[str, Any]:
    """An inline Map over ``{"id": 0}`` ... ``{"id": items - 1}``, a Pass per iteration; its output is the count.

    >>> from sfnlocal import StateMachine
    >>> StateMachine.from_dict(inline_definition(3)).execute({}).output
    3
    """
    return {
        "QueryLanguage": "JSONata",
        "StartAt": "Items",
        "States": {
            "Items": {
                "Type": "Map",
                "Items": "{% [0.." + str(items - 1) + "].{'id': $} %}",
                "MaxConcurrency": 1000,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Pass",
                    "States": {"Pass": {"Type": "Pass", "End": True}},
                },
                "Output": "{% $count($states.result) %}",
                "End": True,
            }
        },
    }


def check_distributed_map(items: int) -> list[Check]:
    """Items per second (with the inline Map's rate in the note) and peak RSS of the Distributed Map's run."""
    rate_name, memory_name = f"{items:,}-item Distributed Map: items/s", f"{items:,}-item Distributed Map: peak RSS"
    distributed = _run("distributed", items)
    inline = _run("inline", min(items, INLINE_ITEMS))
    if distributed["problem"] is not None:
        problem = distributed["problem"][-300:]
        return [
            Check(rate_name, None, "/s", MIN_RATE_DISTRIBUTED_MAP, True, note=problem),
            Check(memory_name, None, "MiB", MAX_DISTRIBUTED_MAP_MEMORY_MIB, False, note=problem),
        ]
    inline_note = (
        f"inline Map over {inline['items']:,} of the items: {inline['rate']:,.0f} items/s"
        if inline["problem"] is None
        else f"inline Map failed: {inline['problem'][-200:]}"
    )
    return [
        Check(
            rate_name,
            distributed["rate"],
            "/s",
            MIN_RATE_DISTRIBUTED_MAP,
            True,
            note=f"{distributed['seconds']:.2f} s, JSONL from S3, ResultWriter; {inline_note}",
        ),
        Check(
            memory_name,
            distributed["peak_mib"],
            "MiB",
            MAX_DISTRIBUTED_MAP_MEMORY_MIB,
            False,
            note=f"subprocess ru_maxrss; {distributed['before_run_mib']:.0f} MiB before the run (object seeded)",
        ),
    ]


def _run(kind: str, items: int) -> dict[str, Any]:
    """One run in a fresh subprocess: its report, or one whose ``problem`` says why there is none."""
    done = run_python("-c", _RELAY, "-m", "benchmarks.distributed_map", kind, str(items))
    if done.returncode != 0:
        return {"problem": done.stderr.strip() or f"exit code {done.returncode}", "items": items}
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _run_distributed(items: int) -> dict[str, Any]:
    from sfnlocal import AwsWorld, StateMachine

    machine = StateMachine.from_dict(distributed_definition())
    with AwsWorld() as world:
        s3 = world.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key=KEY, Body="".join(f'{{"id": {n}}}\n' for n in range(items)).encode())
        before_run = _peak_rss_mib()
        started = time.perf_counter()
        run = machine.execute({"Bucket": BUCKET, "Key": KEY}, aws=world)
        seconds = time.perf_counter() - started
        peak = _peak_rss_mib()
        problem = None if run.status == "SUCCEEDED" else f"ended {run.status}: {run.error}: {run.cause}"
        if problem is None:
            problem = _unwritten(s3, run.output, items)
    return _measured(problem, items, seconds, before_run, peak)


def _unwritten(s3: Any, output: Any, items: int) -> str | None:
    """What is wrong with the results the ResultWriter wrote (None: one SUCCEEDED entry per item, none else)."""
    details = output["ResultWriterDetails"]
    manifest = json.loads(s3.get_object(Bucket=details["Bucket"], Key=details["Key"])["Body"].read())
    counts = {}
    for status, files in manifest["ResultFiles"].items():
        bodies = (s3.get_object(Bucket=details["Bucket"], Key=file["Key"])["Body"].read() for file in files)
        counts[status] = sum(body.count(b'"ExecutionArn"') for body in bodies)
    expected = {"SUCCEEDED": items, "FAILED": 0, "PENDING": 0}
    return None if counts == expected else f"the result files hold {counts}, not {expected}"


def _run_inline(items: int) -> dict[str, Any]:
    from sfnlocal import StateMachine

    machine = StateMachine.from_dict(inline_definition(items))
    before_run = _peak_rss_mib()
    started = time.perf_counter()
    # An inline Map of 100,000 items writes far more than AWS's 25,000 history events.
    run = machine.execute({}, history_limit=None, transition_limit=None)
    seconds = time.perf_counter() - started
    ok = run.status == "SUCCEEDED" and run.output == items
    problem = None if ok else f"ended {run.status}: {run.error}: {run.cause}; output {str(run.output)[:100]}"
    return _measured(problem, items, seconds, before_run, _peak_rss_mib())


def _measured(problem: str | None, items: int, seconds: float, before_run: float, peak: float) -> dict[str, Any]:
    """What a run subprocess reports: its problem (None: none), its rate, and its memory before and at the peak."""
    return {
        "problem": problem,
        "items": items,
        "seconds": seconds,
        "rate": items / seconds,
        "before_run_mib": before_run,
        "peak_mib": peak,
    }


def main(argv: list[str]) -> None:
    """``distributed ITEMS`` or ``inline ITEMS``: run once and print the report as one JSON object."""
    kind, items = argv[0], int(argv[1])
    print(json.dumps(_run_distributed(items) if kind == "distributed" else _run_inline(items)))


if __name__ == "__main__":
    main(sys.argv[1:])
