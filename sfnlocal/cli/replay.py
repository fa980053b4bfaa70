"""``sfnlocal replay``: replay executions AWS recorded with a definition, and say whether each went the same way.

``sfnlocal replay --history FILE|FOLDER... --definition DEF | --template T [--logical-id ID] [--junit-xml OUT]``
prints a line per history (``SAME``, ``DIVERGED`` with where it first parted, ``NOT REPLAYABLE`` with why) and a
summary. Exit 0 when no history diverged (with ``--strict``, when every one was replayed and the same), 1 when one
diverged, 2 when a file cannot be read or a history cannot be used (exported without its data, ...).

``sfnlocal replay --fetch --state-machine-arn ARN [--max N] [--out DIR]`` exports the histories of a state machine's
latest executions with boto3 and your own AWS configuration: the one sfnlocal command that talks to AWS.
See docs/replay.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any

from sfnlocal.cli.definitions import load_machine
from sfnlocal.cli.support import EXIT_FAILED, EXIT_OK, EXIT_SERVICE_ERROR, usage, usage_error
from sfnlocal.replay.fetch import MAX_EXECUTIONS, fetch_histories
from sfnlocal.testing.wording import counted

if TYPE_CHECKING:
    from sfnlocal.replay import ReplayReport
    from sfnlocal.testing.junit import Suite

COMMAND = "replay"
JUNIT_NAME = "sfnlocal replay"


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``sfnlocal replay``."""
    parser = commands.add_parser(
        COMMAND,
        help="replay executions AWS recorded (their exported histories) with a definition and compare",
        description="Replay executions recorded by AWS Step Functions (the output of aws stepfunctions "
        "get-execution-history) with a definition: each runs on its recorded input with its tasks answered as "
        "recorded, and is reported as the same, diverged (where first), or not replayable (why). With --fetch, "
        "export the histories from AWS instead (your own AWS credentials; nothing else in sfnlocal reaches AWS).",
    )
    parser.add_argument(
        "--history", nargs="+", metavar="FILE", help="history files, or folders of them (*.json, searched recursively)"
    )
    parser.add_argument("--definition", metavar="DEF", help="the state machine's definition file")
    parser.add_argument("--template", metavar="FILE", help="a SAM/CloudFormation template instead of --definition")
    parser.add_argument(
        "--logical-id", metavar="ID", help="with --template: the state machine to use when it has several"
    )
    parser.add_argument("--junit-xml", metavar="OUT", help="also write a JUnit XML report to OUT")
    parser.add_argument(
        "--strict", action="store_true", help="a history that cannot be replayed fails the command too (exit 1)"
    )
    fetching = parser.add_argument_group("exporting histories from AWS (--fetch)")
    fetching.add_argument(
        "--fetch", action="store_true", help="export the histories of a state machine's latest executions"
    )
    fetching.add_argument("--state-machine-arn", metavar="ARN", help="the state machine whose executions to export")
    fetching.add_argument(
        "--max",
        type=int,
        default=20,
        metavar="N",
        help=f"how many executions, newest first (default 20, at most {MAX_EXECUTIONS:,})",
    )
    fetching.add_argument("--out", default="histories", metavar="DIR", help="where to write them (default ./histories)")
    fetching.add_argument("--region", help="the AWS region (default: your AWS configuration's)")
    fetching.add_argument("--profile", help="the AWS profile (default: your AWS configuration's)")
    fetching.add_argument(
        "--endpoint-url", metavar="URL", help="another Step Functions endpoint (sfnlocal serve, Step Functions Local)"
    )
    parser.set_defaults(handler=_replay)


def _replay(args: argparse.Namespace) -> int:
    # Imported when the command runs, as every command's own modules are: the others start without them.
    from sfnlocal.replay import DIVERGED, NOT_REPLAYABLE, read_histories
    from sfnlocal.testing.junit import write_junit_xml

    if args.fetch:
        return _fetch(args)
    if not args.history:
        return usage_error(COMMAND, "name the histories to replay with --history FILE..., or export some with --fetch")
    if args.definition is None and args.template is None:
        return usage_error(COMMAND, "name the definition to replay them with: --definition DEF or --template FILE")
    machine = load_machine(args)
    histories = read_histories(args.history)
    if not histories:
        return usage_error(COMMAND, f"no history file (*.json) in {', '.join(args.history)}")
    reports: list[tuple[ReplayReport, float]] = []
    for recorded in histories:
        started = time.perf_counter()
        report = machine.replay(recorded)
        reports.append((report, time.perf_counter() - started))
        print(report.render())
    diverged = sum(report.verdict == DIVERGED for report, _ in reports)
    unreplayable = sum(report.verdict == NOT_REPLAYABLE for report, _ in reports)
    print(
        f"{counted(len(reports), 'history', 'histories')}: {len(reports) - diverged - unreplayable} the same, "
        f"{diverged} diverged, {unreplayable} not replayable"
    )
    if args.junit_xml:
        write_junit_xml(args.junit_xml, JUNIT_NAME, [_suite(machine.name, reports, args.strict)])
    failed = diverged or (args.strict and unreplayable)
    return EXIT_FAILED if failed else EXIT_OK


def _suite(name: str, reports: list[tuple[ReplayReport, float]], strict: bool) -> Suite:
    from sfnlocal.replay import DIVERGED, NOT_REPLAYABLE
    from sfnlocal.testing.junit import Case, Outcome, Suite

    cases = []
    for report, seconds in reports:
        failure = error = skipped = None
        if report.verdict == DIVERGED:
            failure = Outcome("diverged from the recorded execution", report.render())
        elif report.verdict == NOT_REPLAYABLE and strict:
            error = Outcome(f"not replayable: {report.reason}", report.render())
        elif report.verdict == NOT_REPLAYABLE:  # as the pytest helper skips it
            skipped = Outcome(f"not replayable: {report.reason}", report.render())
        cases.append(Case(JUNIT_NAME, report.source, seconds, failure, error, skipped=skipped))
    return Suite(f"{JUNIT_NAME} {name}", cases)


def _fetch(args: argparse.Namespace) -> int:
    if not args.state_machine_arn:
        return usage_error(COMMAND, "--fetch needs --state-machine-arn ARN")
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - boto3 comes with sfnlocal
        raise usage(COMMAND, "--fetch needs boto3 (pip install boto3)") from None
    settings: dict[str, Any] = {}
    if args.region:
        settings["region_name"] = args.region
    if args.endpoint_url:
        settings["endpoint_url"] = args.endpoint_url
    try:
        client = boto3.session.Session(profile_name=args.profile).client("stepfunctions", **settings)
        written = fetch_histories(args.state_machine_arn, args.out, args.max, client)
    except ClientError as err:
        print(f"sfnlocal {COMMAND} --fetch: AWS refused: {err}", file=sys.stderr)
        return EXIT_SERVICE_ERROR
    except BotoCoreError as err:  # no credentials, no region, an unreachable endpoint
        return usage_error(COMMAND, f"--fetch: {err}")
    print(f"{counted(len(written), 'history', 'histories')} of {args.state_machine_arn} written to {args.out}")
    return EXIT_OK
