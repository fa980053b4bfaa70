"""``python -m benchmarks``: sfnlocal against moto on the bench workflows, then the other targets."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.als_peer import NO_JSONATA, Peer, install, measure_als
from benchmarks.definition_load import check_definition_load
from benchmarks.distributed_map import ITEMS, QUICK_ITEMS, check_distributed_map
from benchmarks.floor import measure_floor
from benchmarks.import_time import check_command_time, check_import_time
from benchmarks.jsonata_variants import jsonata_variant
from benchmarks.map_memory import check_map_memory
from benchmarks.moto_baseline import measure_moto, moto_version
from benchmarks.order_example import check_order_execution
from benchmarks.realistic import realistic_checks
from benchmarks.report import TABLE_HEADER, TABLE_LEGEND, Comparison, check_json, check_line
from benchmarks.server_load import EXECUTIONS, QUICK_EXECUTIONS, check_server_load
from benchmarks.sfnlocal_runner import measure_sfnlocal
from benchmarks.targets import Check, rate_check, throughput_checks
from benchmarks.teststate_call import check_test_state
from benchmarks.viewer_page import ITERATIONS as VIEWER_ITERATIONS
from benchmarks.viewer_page import check_viewer_page
from benchmarks.wait_year import check_year_of_waits
from benchmarks.workloads import default_workloads, load_workloads


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line; ``--quick`` lowers the repeat counts it does not set explicitly."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a smoke test")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results to FILE")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a target is missed")
    parser.add_argument(
        "--bench-dir",
        type=Path,
        help="folder of workload files (default: ../shared/bench, or the same workflows generated when it is absent)",
    )
    parser.add_argument("--repeats", type=int, help="sfnlocal runs per workload, fastest kept (5; quick: 2)")
    parser.add_argument("--moto-repeats", type=int, help="moto runs per workload, fastest kept (2; quick: 1)")
    parser.add_argument("--skip-moto", action="store_true", help="do not run moto (no ratios to it)")
    parser.add_argument(
        "--skip-als", action="store_true", help="do not install or run aws-local-stepfunctions (no ratios to it)"
    )
    parser.add_argument(
        "--als-dir",
        type=Path,
        help="folder aws-local-stepfunctions is installed into with npm, or found in (default: "
        "~/.cache/sfnlocal-bench/aws-local-stepfunctions-VERSION)",
    )
    parser.add_argument("--map-items", type=int, default=10_000, help="items of the memory check's Map")
    parser.add_argument(
        "--dmap-items",
        type=int,
        help=f"items of the Distributed Map's JSONL object ({ITEMS:,}; quick: {QUICK_ITEMS:,})",
    )
    parser.add_argument(
        "--server-executions",
        type=int,
        help=f"executions 32 clients start and describe through sfnlocal serve ({EXECUTIONS:,}; quick: "
        f"{QUICK_EXECUTIONS:,})",
    )
    parser.add_argument(
        "--viewer-iterations",
        type=int,
        help=f"iterations of the Maps whose execution pages are measured ({VIEWER_ITERATIONS:,}; quick: 100)",
    )
    arguments = parser.parse_args(argv)
    arguments.repeats = arguments.repeats or (2 if arguments.quick else 5)
    arguments.moto_repeats = arguments.moto_repeats or (1 if arguments.quick else 2)
    arguments.dmap_items = arguments.dmap_items or (QUICK_ITEMS if arguments.quick else ITEMS)
    arguments.server_executions = arguments.server_executions or (QUICK_EXECUTIONS if arguments.quick else EXECUTIONS)
    arguments.viewer_iterations = arguments.viewer_iterations or (100 if arguments.quick else VIEWER_ITERATIONS)
    return arguments


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark, print the results, and return the exit code."""
    arguments = parse_arguments(argv)
    peer = (
        Peer(None, "aws-local-stepfunctions was skipped (--skip-als)")
        if arguments.skip_als
        else install(arguments.als_dir)
    )
    environment = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "moto": None if arguments.skip_moto else moto_version(),
        "als": None if peer.folder is None else peer.label,
    }
    print(
        f"sfnlocal benchmarks: {environment}; best of {arguments.repeats} runs (sfnlocal, aws-local-stepfunctions, "
        f"plain Python), {arguments.moto_repeats} (moto)"
    )
    if peer.skipped:
        print(f"aws-local-stepfunctions: {peer.skipped}; no ratios to it")
    print(f"{TABLE_LEGEND}\n")

    print(TABLE_HEADER, flush=True)
    comparisons = []
    checks: list[Check] = []
    workloads = load_workloads(arguments.bench_dir) if arguments.bench_dir else default_workloads()
    for workload in workloads:
        ours = measure_sfnlocal(workload, arguments.repeats)
        moto = None if arguments.skip_moto else measure_moto(workload, arguments.moto_repeats)
        als = measure_als(peer, workload, arguments.repeats)
        floor = measure_floor(workload, arguments.repeats)
        comparisons.append(
            Comparison(workload.name, workload.transitions, ours, moto, als, floor, als_absent=peer.skipped or "")
        )
        checks += throughput_checks(workload.name, ours, moto, als, peer.skipped or "")
        print(comparisons[-1].row(), flush=True)
        twin = jsonata_variant(workload)
        if twin is not None:  # moto and aws-local-stepfunctions have no JSONata: sfnlocal's rate only
            twin_timing = measure_sfnlocal(twin, arguments.repeats)
            comparisons.append(
                Comparison(twin.name, twin.transitions, twin_timing, None, None, floor, als_absent=NO_JSONATA)
            )
            checks.append(rate_check(twin.name, twin_timing))
            print(comparisons[-1].row(), flush=True)

    checks += [
        check_year_of_waits(arguments.repeats),
        check_import_time(arguments.repeats),
        check_command_time(arguments.repeats),
        check_order_execution(arguments.repeats),
        check_test_state(arguments.repeats),
        *check_definition_load(arguments.repeats),
        check_map_memory(arguments.map_items),
        *realistic_checks(arguments.repeats),
        *check_distributed_map(arguments.dmap_items),
        *check_server_load(arguments.server_executions),
        *check_viewer_page(Path(tempfile.mkdtemp(prefix="sfnlocal-viewer-")), arguments.viewer_iterations),
    ]
    print("\ntargets")
    for check in checks:
        print(check_line(check))
    missed = [check.name for check in checks if check.verdict == "FAIL"]
    print(f"\n{len(missed)} of {len(checks)} targets missed" + (f": {', '.join(missed)}" if missed else ""))

    if arguments.json is not None:
        document: dict[str, Any] = {
            "environment": environment,
            "repeats": arguments.repeats,
            "moto_repeats": arguments.moto_repeats,
            "comparisons": [comparison.as_json() for comparison in comparisons],
            "checks": [check_json(check) for check in checks],
            "missed": missed,
        }
        arguments.json.write_text(json.dumps(document, indent=2) + "\n")
    return 1 if arguments.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
