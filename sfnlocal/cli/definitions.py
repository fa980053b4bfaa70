"""Reading the definition a command is given, and reporting its problems as ``sfnlocal validate`` does.

``run`` and ``graph`` take a definition file or ``--template FILE [--logical-id ID]``; before running or
drawing it they check it as ValidateStateMachineDefinition does, so an invalid definition prints the same
diagnostics as ``sfnlocal validate`` and exits 1, as ``validate`` does. A SAM/CloudFormation template given
where a definition is expected is refused with the advice to pass it with ``--template``.
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from sfnlocal.cli.support import EXIT_FAILED, CommandError, paragraph, read_text, usage
from sfnlocal.language.errors import DefinitionError
from sfnlocal.language.loader import YAML_SUFFIXES, parse_yaml
from sfnlocal.state_machine import StateMachine

INVALID_JSON = "INVALID_JSON_DESCRIPTION"
_JACKSON_AT = re.compile(r"\n at \[Source: .*", re.DOTALL)  # AWS's message quotes the source; shown once here
_TEMPLATE_KEYS = re.compile(r'^\s*"?(AWSTemplateFormatVersion|Resources|Transform)"?\s*:', re.MULTILINE)
_TEMPLATE_TYPES = ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine")
_SHOWN_LINE = 100  # characters of an offending line shown around the column


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """The definition a command takes: a file, or a state machine of a SAM/CloudFormation template."""
    parser.add_argument(
        "definition", nargs="?", metavar="DEF", help="a .asl.json, .json, .asl.yaml or .yaml definition file"
    )
    parser.add_argument("--template", metavar="FILE", help="a SAM/CloudFormation template instead of DEF")
    parser.add_argument(
        "--logical-id", metavar="ID", help="with --template: the state machine to use when it has several"
    )


def load_machine(
    args: argparse.Namespace, functions: dict[str, Any] | None = None, resources: bool = False
) -> StateMachine:
    """The state machine ``args`` name, checked as ``sfnlocal validate`` checks it; a template's Lambda functions
    (and ``functions``, the mapping of ``--functions``) serve the tasks that call them, and with ``resources`` its
    resources and event sources come with it (see docs/applications.md).

    Raises :class:`CommandError`: exit 1 with validate's diagnostics for an invalid definition, exit 2 for a
    usage error or a file that cannot be read.
    """
    command = args.command
    if args.definition is not None and args.template is not None:
        raise usage(command, "name a definition file or a template with --template FILE, not both")
    if args.definition is None and args.template is None:
        raise usage(command, "name a definition file, or a SAM/CloudFormation template with --template FILE")
    if args.logical_id is not None and args.template is None:
        raise usage(command, "--logical-id needs --template FILE")
    if args.template is not None:
        logical_id, definition = template_machine(command, args.template, args.logical_id)
        label = f"{args.template}#{logical_id}"
        check(label, json.dumps(definition, ensure_ascii=False))
    else:
        label = args.definition
        check(label, definition_text(args.definition, command))
    try:
        if args.template is not None:
            # With the template's Lambda functions (and those of --functions), named as from_template names it
            return StateMachine.from_template(
                args.template, logical_id, functions=functions or True, resources=resources
            )
        return StateMachine.from_file(args.definition, functions=functions)
    except DefinitionError as err:  # a problem validation does not see: reported in its form all the same
        diagnostic = {"severity": "ERROR", "code": err.code, "message": err.message, "location": err.location}
        response = {"result": "FAIL", "diagnostics": [diagnostic], "truncated": False}
        raise CommandError(EXIT_FAILED, render_human(label, response)) from None


def template_machine(command: str, template: str, logical_id: str | None) -> tuple[str, dict[str, Any]]:
    """The logical id and definition of the template's state machine a command uses: the one ``--logical-id``
    names, or its only one. Raises :class:`CommandError` (exit 2) when it has several and none is named, and
    ``TemplateError`` (a ``ValueError``) when it cannot be read.

    >>> template_machine("run", "examples/approval/template.yaml", None)[0]
    'ApprovalStateMachine'
    """
    from sfnlocal.templates import load_template

    definitions = load_template(template, logical_id=logical_id)
    if len(definitions) > 1:
        raise usage(
            command,
            f"{template} defines {len(definitions)} state machines ({', '.join(definitions)}); "
            "pick one with --logical-id ID",
        )
    ((chosen, definition),) = definitions.items()
    return chosen, definition


def check(label: str, text: str) -> None:
    """Raise :class:`CommandError` (exit 1, validate's diagnostics) when the definition ``text`` is invalid."""
    from sfnlocal.validation import validate

    response = validate(text)
    if response["result"] != "OK":
        raise CommandError(EXIT_FAILED, render_human(label, response, text))


def definition_text(path: str, command: str) -> str:
    """A definition file as JSON text: a JSON file as it is (so that AWS's diagnostics for bad JSON apply), a
    YAML file converted. A template is refused with the advice to pass it with ``--template``."""
    text = read_text(path)
    if looks_like_template(text):
        raise usage(
            command,
            f"{path} is a SAM/CloudFormation template, not a state machine definition: pass it as "
            f"--template {path} (and --logical-id ID to pick one of its state machines)",
        )
    if not path.lower().endswith(YAML_SUFFIXES):
        return text
    value = parse_yaml(text, path)
    try:
        return json.dumps(value, ensure_ascii=False)
    except ValueError:  # json's "Circular reference detected"
        raise usage(command, f"{path} holds a YAML alias inside its own anchor, which no JSON can hold") from None


def looks_like_template(text: str) -> bool:
    """Whether ``text`` is a SAM/CloudFormation template (keys of one, and a state machine resource).

    >>> looks_like_template("Resources:\\n  M:\\n    Type: AWS::Serverless::StateMachine\\n")
    True
    >>> looks_like_template('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}')
    False
    """
    return bool(_TEMPLATE_KEYS.search(text)) and any(kind in text for kind in _TEMPLATE_TYPES)


def render_human(label: str, response: dict[str, Any], text: str | None = None) -> str:
    """A validation response as ``sfnlocal validate`` prints it; a JSON syntax error shows its line and column
    and, when the definition's ``text`` is given, the offending line.

    >>> print(render_human("bad.asl.json", {"result": "FAIL", "truncated": False, "diagnostics": [
    ...     {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": "No state named 'X'",
    ...      "location": "/States/A/Next"}]}))
    bad.asl.json:/States/A/Next: ERROR SCHEMA_VALIDATION_FAILED No state named 'X'
    bad.asl.json: FAIL
    >>> print(render_human("bad.json", {"result": "FAIL", "truncated": False, "diagnostics": [
    ...     {"severity": "ERROR", "code": "INVALID_JSON_DESCRIPTION", "message": "Unexpected character",
    ...      "location": "[Source: ...]"}]}, '{\\n  "StartAt": "A",,\\n}'))
    bad.json:2:18: ERROR INVALID_JSON_DESCRIPTION Unexpected character
        2 |   "StartAt": "A",,
          |                  ^
    bad.json: FAIL
    """
    lines = []
    for diagnostic in response["diagnostics"]:
        if diagnostic["code"] == INVALID_JSON and text is not None:
            lines.extend(_syntax_error(label, diagnostic, text))
            continue
        where = f"{label}:{diagnostic['location']}" if diagnostic.get("location") else label
        lines.append(_one_line(f"{where}: {diagnostic['severity']} {diagnostic['code']} {diagnostic['message']}"))
    if response.get("truncated"):
        lines.append(f"{label}: (more diagnostics were left out)")
    lines.append(f"{label}: {response['result']}")
    return "\n".join(lines)


def _syntax_error(label: str, diagnostic: dict[str, Any], text: str) -> list[str]:
    """``file:line:column: ERROR INVALID_JSON_DESCRIPTION message``, then the line with a caret under the column
    (Python's parser finds the offending character; AWS's message without its quoted source)."""
    message = _one_line(_JACKSON_AT.sub("", diagnostic["message"]))
    position = json_error_position(text)
    if position is None:
        return [f"{label}: {diagnostic['severity']} {diagnostic['code']} {message}"]
    line_number, column = position
    line = "".join(text.split("\n")[line_number - 1 : line_number]).rstrip("\r")
    start = max(0, min(column - 1 - _SHOWN_LINE // 2, len(line) - _SHOWN_LINE))
    shown = line[start : start + _SHOWN_LINE]
    prefix, suffix = ("…" if start else ""), ("…" if start + _SHOWN_LINE < len(line) else "")
    gutter = f"{line_number:>5} | "
    return [
        f"{label}:{line_number}:{column}: {diagnostic['severity']} {diagnostic['code']} {message}",
        f"{gutter}{prefix}{shown.replace(chr(9), ' ')}{suffix}",
        f"{' ' * (len(gutter) - 2)}| {' ' * (len(prefix) + column - 1 - start)}^",
    ]


def json_error_position(text: str) -> tuple[int, int] | None:
    """The line and column (from 1) of the first JSON syntax error in ``text``; None when there is none
    Python can point at (the text is nested too deeply to read)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        return err.lineno, err.colno
    except RecursionError:
        return None
    return None


def _one_line(text: str) -> str:
    r"""A diagnostic on one line: line breaks written as ``\n``.

    >>> print(_one_line('f.json:[Source: "{\n"; line: 2]: ERROR INVALID_JSON_DESCRIPTION Unexpected end'))
    f.json:[Source: "{\n"; line: 2]: ERROR INVALID_JSON_DESCRIPTION Unexpected end
    """
    return paragraph(text.replace("\r", "\\r").replace("\n", "\\n"))
