"""``sfnlocal test-state --request FILE.json``: the AWS TestState API, offline, as the AWS CLI calls it.

The request file is what ``aws stepfunctions test-state --cli-input-json file://FILE.json`` takes (its
``--generate-cli-skeleton``: ``definition`` as JSON text, ``input``, ``inspectionLevel``, ``stateName``,
``mock``, ``variables``, ``context``, ``stateConfiguration``, ...). The response is printed as the AWS CLI
prints it (JSON with a 4-space indent); a state that fails is still a response (``"status": "FAILED"``,
exit 0). A request TestState refuses prints the AWS CLI's message on stderr,
``An error occurred (ValidationException) when calling the TestState operation: ...``, and exits 254 as
the AWS CLI (v2) does after a service error (v1 exits 255).
"""

from __future__ import annotations

import argparse
import json
import sys

from sfnlocal.cli.support import EXIT_OK, EXIT_SERVICE_ERROR, parse_json, read_text, usage_error


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``sfnlocal test-state``."""
    parser = commands.add_parser(
        "test-state",
        help="run one state as the AWS TestState API does and print its response",
        description="Run one state as the AWS TestState API does; the request and response are those of "
        "`aws stepfunctions test-state --cli-input-json file://FILE.json`.",
    )
    parser.add_argument(
        "--request",
        required=True,
        metavar="FILE.json",
        help="the request as --cli-input-json takes it (a file:// prefix is accepted)",
    )
    parser.set_defaults(handler=_test_state)


def _test_state(args: argparse.Namespace) -> int:
    from sfnlocal.teststate import TestStateError, test_state

    path = args.request.removeprefix("file://")
    request = parse_json(read_text(path), path)
    if not isinstance(request, dict):
        return usage_error(
            "test-state",
            f"{path} must hold a JSON object of TestState's request fields, "
            'e.g. {"definition": "...", "input": "{}"}',
        )
    try:
        response = test_state(request)
    except TestStateError as err:
        # The AWS CLI writes a blank line, then the error, on stderr.
        sys.stderr.write(f"\nAn error occurred ({err.code}) when calling the TestState operation: {err.message}\n")
        return EXIT_SERVICE_ERROR
    print(json.dumps(response, indent=4, ensure_ascii=False))
    return EXIT_OK
