"""The command line: ``python -m conformance [PATH ...] [--scope S] [--serve] [--filter S] [--json F] [--min R]``.

Exit status: 0 when the run completed (and met ``--min``), 1 when the overall pass rate is below
``--min``, 2 for a usage problem (a missing path, no case selected).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from conformance.cases import CaseFormatError, default_paths, find_files, iter_cases
from conformance.report import format_table, parse_rate, tally, to_json
from conformance.runner import PASS, CaseResult, run_case, unreadable
from conformance.scope import SCOPES

USAGE_ERROR = 2
BELOW_MINIMUM = 1


def _rate(text: str) -> float:
    try:
        return parse_rate(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m conformance",
        description="Replay executions recorded against AWS Step Functions with sfnlocal and compare.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="case files or folders (searched recursively for *.json); default: "
        "conformance/cases and ../shared/conformance/localstack when present",
    )
    parser.add_argument(
        "--scope",
        choices=("all", *SCOPES),
        default="all",
        help="'core': only cases whose features are all in the core scope; 'integrations': "
        "only cases that use Lambda, SQS, SNS, DynamoDB, AWS SDK, Step Functions, "
        "activities or callbacks; 'no-item-io': every case but those needing a Distributed Map's "
        "ItemReader, ItemBatcher or ResultWriter (see conformance/scope.py)",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="serve integrations with sfnlocal against moto; replay only what it cannot "
        "serve offline (see conformance/serve.py)",
    )
    parser.add_argument("--filter", metavar="SUBSTR", help="only cases whose id contains SUBSTR")
    parser.add_argument("--json", metavar="FILE", type=Path, help="write one record per case and the totals")
    parser.add_argument(
        "--min",
        metavar="RATE",
        type=_rate,
        help="exit with status 1 when the overall pass rate is below RATE (0.9 or 90%%)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every case that did not pass, and every history that did not match",
    )
    return parser


def run_cases(paths: Sequence[Path], scope: str, substring: str | None, serving: bool = False) -> list[CaseResult]:
    """Judge every case under ``paths`` in ``scope`` ("all" or a name in :data:`~conformance.scope.SCOPES`)
    whose id contains ``substring``; ``serving``: in serve mode."""
    results: list[CaseResult] = []
    for item in iter_cases(find_files(paths)):
        if isinstance(item, CaseFormatError):
            if not substring or substring in str(item.path):
                results.append(unreadable(item))
            continue
        if substring and substring not in item.id:
            continue
        if scope != "all" and not SCOPES[scope](item):
            continue
        results.append(run_case(item, serving))
    return results


def _print_problems(results: Sequence[CaseResult]) -> None:
    for result in results:
        if result.result != PASS:
            print(f"{result.result.upper()} {result.id}: {result.reason}")
        if result.history_reason:
            print(f"  history of {result.id}: {result.history_reason}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected cases, print the table, and return the exit status.

    >>> main(["--min", "2x"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        results = run_cases(args.paths or default_paths(), args.scope, args.filter, args.serve)
    except CaseFormatError as err:
        print(f"python -m conformance: {err}", file=sys.stderr)
        return USAGE_ERROR
    if not results:
        print("python -m conformance: no case selected", file=sys.stderr)
        return USAGE_ERROR
    if args.verbose:
        _print_problems(results)
    print(format_table(results))
    total = tally(results)
    print(f"{total.passed}/{total.cases} passed ({100 * total.rate:.1f}%) in {time.perf_counter() - started:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(to_json(results), indent=1) + "\n", encoding="utf-8")
    if args.min is not None and total.rate < args.min:
        print(f"overall pass rate {100 * total.rate:.1f}% is below --min {100 * args.min:.1f}%", file=sys.stderr)
        return BELOW_MINIMUM
    return 0
