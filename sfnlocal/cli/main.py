"""The ``sfnlocal`` command line: ``validate``, ``run``, ``test-state``, ``test`` and ``graph``.

``sfnlocal run DEF|--template FILE [--input ...] [--mocks FILE] [--json] [--full] [--html FILE] ...`` lives here;
each other
command has its module (``cli_validate``, ``cli_test_state``, ``cli_test``, ``cli_graph``). Exit codes: see
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
from sfnlocal.cli import replay as cli_replay
from sfnlocal.cli import serve as cli_serve
from sfnlocal.cli import test as cli_test
from sfnlocal.cli import teststate as cli_test_state
from sfnlocal.cli import validate as cli_validate
from sfnlocal.cli.definitions import add_source_arguments, load_machine
from sfnlocal.cli.hints import cli_hints
from sfnlocal.cli.support import EXIT_CODES, EXIT_FAILED, EXIT_OK, read_input, run_command, usage
from sfnlocal.integrations.aws.inventory import summary_lines
from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.integrations.lambda_functions.mapping import functions_from_mapping
from sfnlocal.integrations.mocks.spec import mocks_from_spec
from sfnlocal.interpreter.execution import DEFAULT_TRANSITION_LIMIT
from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.language.errors import DefinitionError
from sfnlocal.language.loader import read_file
from sfnlocal.state_machine import StateMachine
from sfnlocal.testing.wording import counted

# `run` without --full: a timeline longer than this shows its first and last entries only, and --json its
# history's first and last events only; the counts of what was left out are printed.
TIMELINE_HEAD, TIMELINE_TAIL = 10, 30
HISTORY_HEAD, HISTORY_TAIL = 100, 400


def _read_mocks(path: str | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        # Handlers named in the file ("module:function") are imported from the file's folder too.
        return mocks_from_spec(read_file(path), folder=Path(path).resolve().parent)
    except (DefinitionError, ValueError) as err:  # MockSpecError is a ValueError
        raise usage("run", f"--mocks {path}: {str(err).removeprefix('/: ')}") from None


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


def render_run(result: ExecutionResult, machine: StateMachine, full: bool = False) -> str:
    """The human summary ``sfnlocal run`` prints: each state entered at its virtual time, then the outcome.

    Unless ``full``, a timeline of more than 40 entries shows its first 10 and its last 30, and says how many
    it left out. Advice worded for Python callers is reworded for the command line (:mod:`.hints`).
    """
    start = result.start_date.timestamp()
    types = {state.name: state.type for state in machine.model.graph.states}
    timeline = list(result.timeline)
    omitted = 0 if full else len(timeline) - TIMELINE_HEAD - TIMELINE_TAIL
    shown = timeline if omitted <= 0 else [*timeline[:TIMELINE_HEAD], None, *timeline[-TIMELINE_TAIL:]]
    width = max((len(entry.name) for entry in timeline), default=0)
    lines = [f"Execution {result.name} of {machine.name}", f"  {'at':>14}  {'state':<{width}}  {'type':<8}  took"]
    for entry in shown:
        if entry is None:
            lines.append(f"  {'...':>14}  {counted(omitted, 'more state')} (pass --full to show every state)")
            continue
        took = "-" if entry.exited_at is None else clock_offset(entry.exited_at - entry.entered_at)
        at = "+" + clock_offset(entry.entered_at - start)
        lines.append(f"  {at:>14}  {entry.name:<{width}}  {types.get(entry.name, ''):<8}  {took}")
    lines.append(f"Status: {result.status}")
    if result.status == "SUCCEEDED":
        lines.append(f"Output: {json.dumps(result.output, indent=2)}")
    else:
        lines.append(f"Error: {result.error}")
        lines.append(f"Cause: {result.cause if result.cause is None else cli_hints(result.cause)}")
    return "\n".join(lines)


def run_json(result: ExecutionResult, full: bool = False) -> dict[str, Any]:
    """What ``sfnlocal run --json`` prints: ``{"status", "output", "error", "cause", "history"}``.

    Unless ``full``, a history of more than 500 events keeps its first 100 and its last 400, and
    ``"historyEventsOmitted"`` says how many events were left out between them.
    """
    printed = result.to_dict()
    history = printed["history"]
    omitted = 0 if full else len(history) - HISTORY_HEAD - HISTORY_TAIL
    if omitted > 0:
        printed["history"] = [*history[:HISTORY_HEAD], *history[-HISTORY_TAIL:]]
        printed["historyEventsOmitted"] = omitted
    return printed


def _read_functions(path: str | None) -> dict[str, Any] | None:
    """``--functions FILE``: ``{"function name": "path/to/app.py:handler", ...}``, paths relative to the file."""
    if path is None:
        return None
    mapping = read_file(path)
    if not isinstance(mapping, dict):
        raise usage("run", f"--functions {path} must hold an object mapping function names to handlers")
    try:
        return functions_from_mapping(mapping, base=Path(path).resolve().parent)
    except (TypeError, ValueError) as err:
        raise usage("run", f"--functions {path}: {err}") from None


def _run(args: argparse.Namespace) -> int:
    machine = load_machine(args, _read_functions(args.functions), resources=not args.no_resources)
    if machine.application is not None and machine.application.unsupported:
        for logical_id, kind, advice in machine.application.unsupported:
            print(f"sfnlocal run: {logical_id} ({kind}) is not created: {advice}", file=sys.stderr)
    execution_input = read_input(args.input)
    mocks = _read_mocks(args.mocks)
    options: dict[str, Any] = {
        "transition_limit": args.transition_limit,
        "real_aws": args.real_aws,
        "lambda_endpoint": args.lambda_endpoint,
    }
    if args.no_history_limit:
        options["history_limit"] = None
    # A JSON string as the input (--input '"text"') is text the execution receives as a string.
    given = (
        {"input_json": json.dumps(execution_input)} if isinstance(execution_input, str) else {"input": execution_input}
    )
    # The run's own in-process AWS world, stopped when the command is done, whether the execution ended or waits
    # (not entered as a block: its variables would reach --real-aws handlers).
    aws = AwsWorld(machine.region, machine.account)
    try:
        result = machine.execute(**given, mocks=mocks, aws=aws, **options)
        return _report(args, machine, result)
    finally:
        aws.stop()


def _report(args: argparse.Namespace, machine: StateMachine, result: ExecutionResult) -> int:
    """Print the run (and write its page); the command's exit code."""
    world = result.world_summary  # what the template's application did in the in-process AWS world ({} without one)
    if args.json:
        printed = run_json(result, args.full)
        if world:
            printed["world"] = world
        print(json.dumps(printed, indent=2, ensure_ascii=False, default=str))
    else:
        print(render_run(result, machine, args.full))
        if world:  # on stderr: stdout ends with the output, as scripts read it
            print("\n".join(["In the AWS world:", *summary_lines(world)]), file=sys.stderr)
    if args.html is not None:
        # Written whatever the outcome: a failed execution is the one worth looking at. With --json the line goes
        # to stderr, so that stdout stays one JSON document.
        print(f"Execution page: {write_page(result, args.html)}", file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK if result.status == "SUCCEEDED" else EXIT_FAILED


def write_page(result: ExecutionResult, path: str) -> Path:
    """``--html FILE``: write the execution's page (one self-contained HTML file) and return where it went.

    A folder that does not exist is made; a file that cannot be written is a usage error (exit 2) naming it.

    >>> import tempfile
    >>> from sfnlocal import StateMachine
    >>> run = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}).execute({})
    >>> written = write_page(run, tempfile.mkdtemp() + "/pages/run.html")
    >>> written.name, written.read_text(encoding="utf-8").lower().startswith("<!doctype html>")
    ('run.html', True)
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return result.to_html(target).resolve()
    except OSError as err:
        raise usage("run", f"--html {path}: the page cannot be written: {err.strerror or err}") from None


def transition_limit(value: str) -> int | None:
    """``--transition-limit``: a positive number of states, or ``none``.

    >>> transition_limit("500"), transition_limit("none")
    (500, None)
    """
    if value.lower() == "none":
        return None
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of states (1 or more) or none, not {value!r}")
    return int(value)


class _VersionAction(argparse.Action):
    """``--version``: a CI log pins the version it ran with. Prints the installed distribution's version (its package
    metadata; a source tree never installed has none) and exits 0; the metadata is read only then (its import costs
    every other command ~13 ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:  # noqa: A002
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        import importlib.metadata

        try:
            version = importlib.metadata.version("sfnlocal")
        except importlib.metadata.PackageNotFoundError:
            version = "(version unknown: sfnlocal is not installed)"
        print(f"{parser.prog} {version}")  # on stdout, as argparse's own version action prints it
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and for documentation)."""
    parser = argparse.ArgumentParser(
        prog="sfnlocal",
        description="Run AWS Step Functions state machines locally.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, help="show the installed version and exit")
    commands = parser.add_subparsers(dest="command", required=True)
    cli_validate.add_command(commands)
    run = commands.add_parser(
        "run",
        help="execute a state machine definition and print what happened",
        description="Execute a state machine (checked first as `sfnlocal validate` checks it) and print each "
        "state entered with its virtual time, then the outcome.",
    )
    add_source_arguments(run)
    run.add_argument("--input", help="the execution input: JSON text, or @file.json (default {})")
    run.add_argument("--mocks", help="a JSON or YAML file of mocks per state name or Resource ARN")
    run.add_argument(
        "--functions",
        metavar="FILE",
        help='a JSON or YAML file mapping Lambda function names to Python handlers, {"charge": "src/app.py:handler"} '
        "(paths relative to the file): tasks calling them run the handlers (a --template's functions come with it)",
    )
    run.add_argument(
        "--lambda-endpoint",
        metavar="URL",
        help="send the functions' invocations to this Lambda Invoke API (e.g. `sam local start-lambda`'s "
        "http://127.0.0.1:3001) instead of running them in-process",
    )
    run.add_argument(
        "--real-aws",
        action="store_true",
        help="let the functions' handlers reach real AWS with your AWS configuration (default: only the "
        "in-process AWS world; any other request is refused)",
    )
    run.add_argument(
        "--json",
        action="store_true",
        help='print {"status","output","error","cause","history"}; a history of more than '
        f"{HISTORY_HEAD + HISTORY_TAIL:,} events keeps its first {HISTORY_HEAD} and last {HISTORY_TAIL} "
        '("historyEventsOmitted" counts the rest) unless --full',
    )
    run.add_argument(
        "--full",
        action="store_true",
        help=f"show every state of a long timeline (default: the first {TIMELINE_HEAD} and last "
        f"{TIMELINE_TAIL}), and every event with --json",
    )
    run.add_argument(
        "--no-resources",
        action="store_true",
        help="with --template: do not create the template's queues, topics, tables, ... nor deliver its event "
        "sources (mock the tasks that use them instead)",
    )
    run.add_argument(
        "--html",
        metavar="FILE",
        help="also write the execution as a web page to FILE (one self-contained HTML file, no network needed: the "
        "state graph with the path taken, each state's input and output, the events, the timeline); its path is "
        "printed",
    )
    run.add_argument(
        "--no-history-limit",
        action="store_true",
        help="do not fail the execution at AWS's limit of 25,000 history events",
    )
    run.add_argument(
        "--transition-limit",
        type=transition_limit,
        default=DEFAULT_TRANSITION_LIMIT,
        metavar="N|none",
        help=f"fail the execution when it has entered N states (sfnlocal's own bound, default "
        f"{DEFAULT_TRANSITION_LIMIT:,}: a loop that never waits never moves the virtual clock); none for no bound",
    )
    run.set_defaults(handler=_run)
    for module in (cli_test_state, cli_test, cli_graph, cli_serve, cli_replay):
        module.add_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sfnlocal`` console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    return run_command(args.handler, args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
