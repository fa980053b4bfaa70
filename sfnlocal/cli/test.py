"""``sfnlocal test``: run every test case of a Step Functions Local mock file and check the outcomes.

The state machine is a definition file (``--definition``) or a SAM/CloudFormation template's
(``--template FILE [--logical-id ID]``), whose Lambda functions run the states a test case does not mock.

Prints a line per test case (``PASS``/``FAIL``, the differences under a failure) and a summary; on a
terminal a live ``[n/total]`` counter shows the case that is running. Exit 0 when every case passes,
1 otherwise, 2 when a file cannot be read or loaded. ``--junit-xml`` writes a JUnit report for CI.
See :mod:`sfnlocal.testing.mock_tests` for the expectations, given in a file or inline as JSON text.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from sfnlocal.cli.definitions import looks_like_template, template_machine
from sfnlocal.cli.support import EXIT_FAILED, EXIT_OK, read_input, read_text, usage_error
from sfnlocal.testing.mock_tests import CaseResult, MockTestSuite, load_suite, write_junit_xml
from sfnlocal.testing.wording import counted


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``sfnlocal test``."""
    parser = commands.add_parser(
        "test",
        help="run every test case of a Step Functions Local mock file and check the outcomes",
        description="Run every test case of a state machine in a Step Functions Local mock file "
        "(MockConfigFile.json) and compare each execution with its expected outcome.",
    )
    parser.add_argument("--mock-config", required=True, metavar="FILE", help="the Step Functions Local mock file")
    parser.add_argument("--definition", metavar="DEF", help="the state machine's definition file")
    parser.add_argument(
        "--template",
        metavar="FILE",
        help="a SAM/CloudFormation template instead of --definition: its state machine, with its Lambda functions "
        "running the states a test case does not mock",
    )
    parser.add_argument(
        "--logical-id", metavar="ID", help="with --template: the state machine to use when it has several"
    )
    parser.add_argument(
        "--state-machine",
        metavar="NAME",
        help="its name in the mock file (default: the definition file's name or the template's logical id, or the "
        "mock file's only state machine)",
    )
    parser.add_argument(
        "--expect",
        metavar="FILE|JSON",
        help="expected outcomes per test case, a JSON or YAML file or inline JSON text: "
        '{"HappyPath": {"status": ..., "output": ..., "path": [...], "error": ..., '
        '"cause": ..., "input": ...}}; a test case not named must succeed',
    )
    parser.add_argument(
        "--input", help="the execution input of cases without their own: JSON text or @file.json (default {})"
    )
    parser.add_argument("--junit-xml", metavar="OUT", help="also write a JUnit XML report to OUT")
    parser.set_defaults(handler=_test)


def _test(args: argparse.Namespace) -> int:
    if (args.definition is None) == (args.template is None):
        return usage_error(
            "test",
            "name a definition file with --definition DEF, or a SAM/CloudFormation template with --template FILE",
        )
    if args.logical_id is not None and args.template is None:
        return usage_error("test", "--logical-id needs --template FILE")
    if args.definition is not None and looks_like_template(read_text(args.definition)):
        return usage_error(
            "test",
            f"{args.definition} is a SAM/CloudFormation template, not a state machine definition: pass it as "
            f"--template {args.definition} (and --logical-id ID to pick one of its state machines)",
        )
    # A template's state machine: the one --logical-id names, or its only one (as `run` picks it).
    logical_id = None if args.template is None else template_machine("test", args.template, args.logical_id)[0]
    try:
        suite = load_suite(
            args.definition,
            args.mock_config,
            args.state_machine,
            expectations_argument(args.expect),
            read_input(args.input),
            template=args.template,
            logical_id=logical_id,
        )
    except ValueError as err:  # DefinitionError, TemplateError, MockConfigError, ExpectationError, a bad --input
        return usage_error("test", err)
    if not suite.cases:
        return usage_error("test", f"state machine '{suite.machine.name}' has no test cases in {args.mock_config}")
    print(f"{counted(len(suite.cases), 'test case')} of {suite.machine.name} from {args.mock_config}")
    results = run_suite(suite, sys.stdout)
    if args.junit_xml:
        write_junit_xml(args.junit_xml, suite, results)
    return EXIT_OK if all(result.passed for result in results) else EXIT_FAILED


def run_suite(suite: MockTestSuite, stream: TextIO) -> list[CaseResult]:
    """Run every test case of ``suite``, printing a line per case and a summary on ``stream``."""
    progress = Progress(stream, len(suite.cases))
    results = []
    for name in suite.cases:
        progress.running(name)
        results.append(suite.run_case(name))
        progress.done(results[-1])
    progress.summary(results)
    return results


def expectations_argument(text: str | None) -> str | dict[str, Any] | None:
    """``--expect``: inline JSON text (it starts with ``{``) parsed, otherwise the path of a file.

    >>> expectations_argument('{"HappyPath": {"status": "SUCCEEDED"}}'), expectations_argument("expect.yaml")
    ({'HappyPath': {'status': 'SUCCEEDED'}}, 'expect.yaml')
    """
    if text is None or not text.lstrip().startswith("{"):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"--expect is not valid JSON ({err.msg}); pass JSON text or a file's path") from None


class Progress:
    """Reports test cases as they run: a line each, and on a terminal a live ``[n/total]`` counter.

    >>> import io
    >>> out = io.StringIO()
    >>> progress = Progress(out, 2)
    >>> progress.running("HappyPath")     # nothing: not a terminal
    >>> out.getvalue()
    ''
    """

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream = stream
        self.total = total
        self.count = 0
        self.live = stream.isatty()

    def running(self, name: str) -> None:
        """A case starts: on a terminal, show the counter and its name until it is done."""
        self.count += 1
        if self.live:
            self.stream.write(f"\r[{self.count}/{self.total}] {name} ...")
            self.stream.flush()

    def done(self, result: CaseResult) -> None:
        """A case ended: its line (replacing the counter), and its differences indented under it."""
        if self.live:
            self.stream.write("\r\x1b[K")
        run = result.run
        verdict = "PASS" if result.passed else "FAIL"
        took = f"{result.seconds * 1000:.0f} ms"
        self.stream.write(f"{verdict} {result.name} ({run.status}, {counted(len(run.path), 'state')}, {took})\n")
        for difference in result.differences:
            self.stream.write("".join(f"    {line}\n" for line in difference.splitlines()))
        self.stream.flush()

    def summary(self, results: list[CaseResult]) -> None:
        """The closing line: how many passed and failed, and the wall time."""
        failed = sum(not result.passed for result in results)
        seconds = sum(result.seconds for result in results)
        self.stream.write(f"{len(results) - failed} passed, {failed} failed in {seconds:.2f}s\n")
