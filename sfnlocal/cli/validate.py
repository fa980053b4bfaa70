"""``sfnlocal validate``: check definitions as ValidateStateMachineDefinition does, for CI.

Each definition file (or each state machine of a SAM/CloudFormation template) is checked by
:func:`sfnlocal.validation.validate`. ``--format human`` prints one line per diagnostic,
``file:location: SEVERITY CODE message`` (a JSON syntax error as ``file:line:column: ...`` with the offending
line and a caret under the column), then ``file: OK`` or ``file: FAIL``; ``--format json`` prints,
one line per definition, AWS's response (``result``, ``diagnostics``, ``truncated``) with ``file`` (and
``logicalId`` for a template's state machine) added. ``--severity WARNING`` shows warnings too (they never
fail a definition). Exit 0 when all are valid, 1 when any is not, 2 when a file cannot be read or is a
template given as a definition (pass it with ``--template``).

With ``--template``, the template's Lambda functions that a valid state machine calls and that sfnlocal cannot
run in-process (another runtime, a container image, code only in S3, a code folder that is missing) are
reported so that a user sees them before running: as ``WARNING LAMBDA_FUNCTION_NOT_RUNNABLE`` lines in the
human format (whatever ``--severity``), and in the JSON format as the field ``functions`` (each function the
state machine calls: ``name``, ``logicalId``, ``runtime``, ``runsInProcess`` and, when false, ``reason``).
They never fail validation: a mock, or ``--lambda-endpoint``, serves such a function.

For CI: ``--format sarif`` prints one SARIF 2.1.0 log (:mod:`sfnlocal.cli.sarif`) for code scanning, and
``--format github`` prints GitHub Actions annotations (:mod:`sfnlocal.cli.annotations`), each diagnostic placed
at the line and column its JSON pointer names in the file as written (:mod:`sfnlocal.cli.findings`);
``--junit-xml FILE`` also writes a JUnit report, one test case per definition (a failure holding its
diagnostics, an error for a file that could not be read). The exit codes are the same in every format.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from sfnlocal.cli.annotations import workflow_command
from sfnlocal.cli.definitions import definition_text, render_human
from sfnlocal.cli.findings import Anchor, Finding
from sfnlocal.cli.sarif import sarif_log
from sfnlocal.cli.support import EXIT_FAILED, EXIT_OK, CommandError, usage, usage_error
from sfnlocal.integrations.lambda_functions import LambdaFunction
from sfnlocal.integrations.lambda_functions.loading import cannot_run
from sfnlocal.integrations.mocks.keys import mock_keys
from sfnlocal.interpreter.machine import Machine
from sfnlocal.language.errors import DefinitionError
from sfnlocal.language.state_fields import EXECUTION_TYPES, STANDARD
from sfnlocal.testing.junit import Case, Outcome, Suite, write_junit_xml

_JUNIT_NAME = "sfnlocal validate"  # the report's suite and each case's class: what CI viewers group by


@dataclass(frozen=True)
class _Source:
    """One definition to validate: its file, its logical id in a template, and its JSON text."""

    file: str
    logical_id: str | None
    text: str

    @property
    def label(self) -> str:
        """``file`` or ``template#LogicalId``."""
        return self.file if self.logical_id is None else f"{self.file}#{self.logical_id}"


@dataclass(frozen=True)
class _Checked:
    """A definition validated: AWS's response, sfnlocal's own warnings (functions it cannot run), the time taken."""

    source: _Source
    response: dict[str, Any]
    called: list[LambdaFunction] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def warnings(self) -> list[tuple[LambdaFunction, dict[str, Any]]]:
        return [(function, _not_runnable_warning(function)) for function in self.called if cannot_run(function)]

    @property
    def shown(self) -> dict[str, Any]:
        """The response with sfnlocal's own warnings after AWS's diagnostics, as the human format shows it."""
        warnings = [warning for _, warning in self.warnings]
        return {**self.response, "diagnostics": [*self.response["diagnostics"], *warnings]}

    def findings(self) -> list[Finding]:
        """Each diagnostic placed in its file; a warning about a function at the function's resource."""
        source = self.source
        if source.logical_id is None:
            return Anchor.of_file(source.file).findings(self.response["diagnostics"])
        found = Anchor.of_template(source.file, source.logical_id).findings(self.response["diagnostics"])
        template = Anchor.of_file(source.file, source.label, source.logical_id)
        for function, warning in self.warnings:
            found.append(template.finding(warning, at=("Resources", function.logical_id or function.name)))
        return found


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``sfnlocal validate``."""
    parser = commands.add_parser(
        "validate",
        help="check definitions as AWS ValidateStateMachineDefinition does (exit 1 if any is invalid)",
        description="Check state machine definitions as AWS ValidateStateMachineDefinition does.",
    )
    parser.add_argument("definitions", nargs="*", metavar="DEF", help="a .asl.json, .json, .asl.yaml or .yaml file")
    parser.add_argument("--template", metavar="FILE", help="a SAM/CloudFormation template: check its state machines")
    parser.add_argument("--logical-id", metavar="ID", help="with --template: check only this state machine")
    parser.add_argument(
        "--templates",
        action="store_true",
        help="the files named are SAM/CloudFormation templates: check each one's state machines (as pre-commit "
        "passes the changed templates)",
    )
    parser.add_argument(
        "--format",
        choices=("human", "json", "sarif", "github"),
        default="human",
        help="human: file:location: SEVERITY CODE message; json: one AWS response per line; sarif: one SARIF "
        "2.1.0 log for code scanning (AWS's code as ruleId, the line and column the location names); github: "
        "GitHub Actions annotations (::error file=...,line=...,col=...,title=CODE::message)",
    )
    parser.add_argument(
        "--junit-xml",
        metavar="OUT",
        help="also write a JUnit XML report to OUT: one test case per definition, failed with its diagnostics",
    )
    parser.add_argument(
        "--type",
        choices=EXECUTION_TYPES,
        default=STANDARD,
        help="the state machine type to check for (default STANDARD)",
    )
    parser.add_argument(
        "--severity",
        choices=("ERROR", "WARNING"),
        default="ERROR",
        help="ERROR (default, as the API): errors only; WARNING: warnings too (they never fail)",
    )
    parser.set_defaults(handler=_validate)


def _validate(args: argparse.Namespace) -> int:
    from sfnlocal.validation import validate

    if not args.definitions and args.template is None:
        return usage_error("validate", "name definition files, or a template with --template FILE")
    if args.logical_id is not None and (args.template is None or args.templates):
        return usage_error("validate", "--logical-id needs --template FILE (one template)")
    sources, problems = _sources(args)
    code = EXIT_OK if not problems else problems[0][1].code
    for _, problem in problems:
        print(problem.message, file=sys.stderr)
    unread = {file for file, _ in problems}
    functions = {
        name: function
        for template in _templates(args)
        if template not in unread
        for name, function in _template_functions(template).items()
    }
    checked: list[_Checked] = []
    for source in sources:
        started = time.perf_counter()
        response = validate(source.text, type=args.type, severity=args.severity)
        called = _called(source, functions) if source.logical_id is not None and response["result"] == "OK" else []
        checked.append(_Checked(source, response, called, time.perf_counter() - started))
        _print(args.format, checked[-1])
        if response["result"] != "OK" and code == EXIT_OK:
            code = EXIT_FAILED
    if args.format == "sarif":  # one log for all the definitions
        findings = [finding for one in checked for finding in one.findings()]
        print(json.dumps(sarif_log(findings, [(file, p.message) for file, p in problems]), indent=2))
    if args.junit_xml:
        write_junit_xml(args.junit_xml, _JUNIT_NAME, [Suite(_JUNIT_NAME, _junit_cases(checked, problems))])
    return code


def _print(format: str, checked: _Checked) -> None:
    """What the format prints for one definition as soon as it is validated (sarif prints once, at the end)."""
    source, response = checked.source, checked.response
    if format == "json":
        where = {"file": source.file, **({} if source.logical_id is None else {"logicalId": source.logical_id})}
        extra = {} if source.logical_id is None else {"functions": [_function_json(f) for f in checked.called]}
        print(json.dumps({**where, **response, **extra}, ensure_ascii=False))
    elif format == "github":
        for finding in checked.findings():
            print(workflow_command(finding))
        print(f"{source.label}: {response['result']}")  # a plain log line: the verdict per definition
    elif format == "human":
        # sfnlocal's own warnings (not AWS's diagnostics) above the result line: they never fail validation
        print(render_human(source.label, checked.shown, source.text))


def _junit_cases(checked: list[_Checked], problems: list[tuple[str, CommandError]]) -> list[Case]:
    """One test case per definition (failed with its diagnostics, as the human format prints them; warnings
    of a valid one as its output), and one in error per file that could not be read."""
    cases = []
    for one in checked:
        details = render_human(one.source.label, one.shown, one.source.text)
        if one.response["result"] == "OK":
            said = details if one.shown["diagnostics"] else None
            cases.append(Case(_JUNIT_NAME, one.source.label, one.seconds, output=said))
            continue
        errors = [d for d in one.response["diagnostics"] if d["severity"] == "ERROR"]
        message = "; ".join(f"{d['code']}: {d['message']}".splitlines()[0] for d in errors)
        failure = Outcome(message or "invalid definition", details)
        cases.append(Case(_JUNIT_NAME, one.source.label, one.seconds, failure=failure))
    for file, problem in problems:
        cases.append(Case(_JUNIT_NAME, file, error=Outcome(problem.message, problem.message)))
    return cases


def _sources(args: argparse.Namespace) -> tuple[list[_Source], list[tuple[str, CommandError]]]:
    """The definitions to validate, and the files that could not be read (each with its usage error)."""
    sources: list[_Source] = []
    problems: list[tuple[str, CommandError]] = []
    for path in [] if args.templates else args.definitions:
        try:
            sources.append(_Source(path, None, definition_text(path, "validate")))
        except CommandError as err:
            problems.append((path, err))
        except DefinitionError as err:
            problems.append((path, usage("validate", err.message)))
        except ValueError as err:  # not readable, not UTF-8
            problems.append((path, usage("validate", err)))
    from sfnlocal.templates import load_template

    for template in _templates(args):
        try:
            definitions = load_template(template, logical_id=args.logical_id)
        except ValueError as err:  # TemplateError
            problems.append((template, usage("validate", err)))
            continue
        sources += [
            _Source(template, logical_id, json.dumps(definition, ensure_ascii=False))
            for logical_id, definition in definitions.items()
        ]
    return sources, problems


def _templates(args: argparse.Namespace) -> list[str]:
    """The templates to check: ``--template FILE``, and with ``--templates`` every file named."""
    return [*([args.template] if args.template is not None else []), *(args.definitions if args.templates else [])]


def _template_functions(template: str) -> dict[str, LambdaFunction]:
    """The template's Lambda functions, those sfnlocal cannot run included (with the reason as ``unavailable``)."""
    from sfnlocal.templates import functions_from_template

    return functions_from_template(template, strict=False)


def _called(source: _Source, functions: dict[str, LambdaFunction]) -> list[LambdaFunction]:
    """The functions of ``functions`` that the state machine calls: those a Task names literally, or all of them
    when a Task computes its FunctionName."""
    try:
        keys = mock_keys(Machine(json.loads(source.text)))
    except DefinitionError:  # a problem validation does not see (reported when the machine is run)
        return []
    return [function for name, function in functions.items() if keys.any_function or name in keys.functions]


def _not_runnable_warning(function: LambdaFunction) -> dict[str, Any]:
    """The human format's warning line for a function sfnlocal cannot run, in the form of a diagnostic."""
    logical = f" ({function.logical_id})" if function.logical_id not in (None, function.name) else ""
    message = (
        f"the Lambda function '{function.name}'{logical} cannot run in sfnlocal: {cannot_run(function)}; "
        "a task calling it fails unless a mock serves it, or --lambda-endpoint sends it to a Lambda endpoint "
        "(e.g. `sam local start-lambda`)"
    )
    return {"severity": "WARNING", "code": "LAMBDA_FUNCTION_NOT_RUNNABLE", "message": message, "location": None}


def _function_json(function: LambdaFunction) -> dict[str, Any]:
    """A function the state machine calls, in the JSON format: whether sfnlocal runs it in-process, and if not why."""
    reason = cannot_run(function)
    return {
        "name": function.name,
        "logicalId": function.logical_id,
        "runtime": function.runtime,
        "runsInProcess": reason is None,
        **({} if reason is None else {"reason": reason}),
    }
