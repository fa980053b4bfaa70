"""The ``sfnlocal`` command line: ``validate``, ``run``, ``test-state``, ``test`` and ``graph``.

``sfnlocal run DEFINITION [--input ...] [--mocks FILE] [--json]`` lives here; each other command has its
module (``cli_validate``, ``cli_test_state``, ``cli_test``, ``cli_graph``). Exit codes: see
:data:`sfnlocal.cli.support.EXIT_CODES`, which ``sfnlocal --help`` prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sfnlocal.cli import graph as cli_graph
from sfnlocal.cli import test as cli_test
from sfnlocal.cli import teststate as cli_test_state
from sfnlocal.cli import validate as cli_validate
from sfnlocal.cli.support import EXIT_CODES, EXIT_FAILED, EXIT_OK, EXIT_USAGE, read_input
from sfnlocal.integrations.mocks.spec import MockSpecError, mocks_from_spec
from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.language.errors import DefinitionError
from sfnlocal.language.loader import read_file
from sfnlocal.state_machine import StateMachine


def _read_mocks(path: str | None) -> dict[str, Any] | None:
    if path is None:
        return None
    # Handlers named in the file ("module:function") are imported from the file's own folder first.
    sys.path.insert(0, str(Path(path).resolve().parent))
    try:
        return mocks_from_spec(read_file(path))
    except DefinitionError as err:
        raise ValueError(str(err).replace("/: ", "", 1)) from None


def clock_offset(seconds: float) -> str:
    """A virtual-time offset as ``[Nd ]H:MM:SS[.fff]``.

    >>> clock_offset(0), clock_offset(86402), clock_offset(1.5)
    ('0:00:00', '1d 0:00:02', '0:00:01.500')
    """
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{int(hours)}:{int(minutes):02d}:{int(secs):02d}"
    if secs != int(secs):
        text += f".{round((secs - int(secs)) * 1000):03d}"
    return f"{int(days)}d {text}" if days else text


def render_run(result: ExecutionResult, machine: StateMachine) -> str:
    """The human summary ``sfnlocal run`` prints: each state entered at its virtual time, then the outcome."""
    start = result.start_date.timestamp()
    types = {state.name: state.type for state in machine.model.graph.states}
    width = max((len(entry.name) for entry in result.timeline), default=0)
    lines = [f"Execution {result.name} of {machine.name}", f"  {'at':>14}  {'state':<{width}}  {'type':<8}  took"]
    for entry in result.timeline:
        took = "-" if entry.exited_at is None else clock_offset(entry.exited_at - entry.entered_at)
        at = "+" + clock_offset(entry.entered_at - start)
        lines.append(f"  {at:>14}  {entry.name:<{width}}  {types.get(entry.name, ''):<8}  {took}")
    lines.append(f"Status: {result.status}")
    if result.status == "SUCCEEDED":
        lines.append(f"Output: {json.dumps(result.output, indent=2)}")
    else:
        lines.append(f"Error: {result.error}")
        lines.append(f"Cause: {result.cause}")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    try:
        machine = StateMachine.from_file(args.definition)
        execution_input = read_input(args.input)
        mocks = _read_mocks(args.mocks)
    except (DefinitionError, ValueError, MockSpecError) as err:
        print(f"sfnlocal run: {err}", file=sys.stderr)
        return EXIT_USAGE
    result = machine.execute(execution_input, mocks=mocks)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(render_run(result, machine))
    return EXIT_OK if result.status == "SUCCEEDED" else EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and for documentation)."""
    parser = argparse.ArgumentParser(
        prog="sfnlocal",
        description="Run AWS Step Functions state machines locally.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    cli_validate.add_command(commands)
    run = commands.add_parser("run", help="execute a state machine definition and print what happened")
    run.add_argument("definition", help="a .asl.json, .json, .asl.yaml or .yaml definition file")
    run.add_argument("--input", help="the execution input: JSON text, or @file.json (default {})")
    run.add_argument("--mocks", help="a JSON or YAML file of mocks per state name or Resource ARN")
    run.add_argument("--json", action="store_true", help='print {"status","output","error","cause","history"}')
    run.set_defaults(handler=_run)
    for module in (cli_test_state, cli_test, cli_graph):
        module.add_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sfnlocal`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
