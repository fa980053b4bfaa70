"""What the ``sfnlocal`` commands share: exit codes, reading ``--input``, reporting a usage error."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
# The AWS CLI (v2) exits with 254 when the service answered with an error; `sfnlocal test-state` does too.
EXIT_SERVICE_ERROR = 254

EXIT_CODES = f"""\
exit codes:
  {EXIT_OK}    success: the execution succeeded (run), every definition is valid (validate),
       every test case passed (test), TestState answered (test-state), the graph was drawn (graph)
  {EXIT_FAILED}    run: the execution did not succeed; validate: a definition is invalid;
       test: a test case did not pass
  {EXIT_USAGE}    a usage error, or a file that cannot be read or loaded
  {EXIT_SERVICE_ERROR}  test-state: the TestState API refused the request (as the AWS CLI exits on a service error)
"""


def read_input(text: str | None) -> Any:
    """An execution input given as JSON text or ``@file.json`` (None: ``{}``).

    >>> read_input('{"a": 1}'), read_input(None)
    ({'a': 1}, {})
    >>> read_input("{oops")
    Traceback (most recent call last):
    ...
    ValueError: --input is not valid JSON (Expecting property name enclosed in double quotes); pass JSON text or ...
    """
    if text is None:
        return {}
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise ValueError(f"cannot read input file {path}: {err.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"--input is not valid JSON ({err.msg}); pass JSON text or @file.json") from None


def usage_error(command: str, message: object) -> int:
    """Print ``sfnlocal <command>: <message>`` on stderr and return the usage exit code."""
    print(f"sfnlocal {command}: {message}", file=sys.stderr)
    return EXIT_USAGE
