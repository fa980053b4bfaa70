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
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import Any

from sfnlocal.cli.definitions import definition_text, render_human
from sfnlocal.cli.support import EXIT_FAILED, EXIT_OK, CommandError, usage_error
from sfnlocal.integrations.lambda_functions import LambdaFunction
from sfnlocal.integrations.lambda_functions.loading import cannot_run
from sfnlocal.integrations.mocks.keys import mock_keys
from sfnlocal.interpreter.machine import Machine
from sfnlocal.language.errors import DefinitionError
from sfnlocal.language.state_fields import EXECUTION_TYPES, STANDARD


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
        "--format",
        choices=("human", "json"),
        default="human",
        help="human: file:location: SEVERITY CODE message; json: one AWS response per line",
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
    if args.logical_id is not None and args.template is None:
        return usage_error("validate", "--logical-id needs --template FILE")
    sources, code = _sources(args)
    functions = _template_functions(args.template) if args.template is not None else {}
    for source in sources:
        response = validate(source.text, type=args.type, severity=args.severity)
        called = _called(source, functions) if source.logical_id is not None and response["result"] == "OK" else []
        if args.format == "json":
            where = {"file": source.file, **({} if source.logical_id is None else {"logicalId": source.logical_id})}
            extra = {} if source.logical_id is None else {"functions": [_function_json(f) for f in called]}
            print(json.dumps({**where, **response, **extra}, ensure_ascii=False))
        else:
            # sfnlocal's own warnings (not AWS's diagnostics) above the result line: they never fail validation
            warnings = [_not_runnable_warning(function) for function in called if cannot_run(function)]
            shown = {**response, "diagnostics": [*response["diagnostics"], *warnings]}
            print(render_human(source.label, shown, source.text))
        if response["result"] != "OK" and code == EXIT_OK:
            code = EXIT_FAILED
    return code


def _sources(args: argparse.Namespace) -> tuple[list[_Source], int]:
    """The definitions to validate, and EXIT_USAGE when one could not be read (reported on stderr)."""
    sources: list[_Source] = []
    code = EXIT_OK
    for path in args.definitions:
        try:
            sources.append(_Source(path, None, definition_text(path, "validate")))
        except CommandError as err:
            print(err.message, file=sys.stderr)
            code = err.code
        except DefinitionError as err:
            code = usage_error("validate", err.message)
        except ValueError as err:  # not readable, not UTF-8
            code = usage_error("validate", err)
    if args.template is not None:
        from sfnlocal.templates import load_template

        try:
            definitions = load_template(args.template, logical_id=args.logical_id)
        except ValueError as err:  # TemplateError
            return sources, usage_error("validate", err)
        sources += [
            _Source(args.template, logical_id, json.dumps(definition, ensure_ascii=False))
            for logical_id, definition in definitions.items()
        ]
    return sources, code


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
