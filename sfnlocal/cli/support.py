"""What the ``sfnlocal`` commands share: exit codes, reading files and ``--input``, ending a command with a
message (:class:`CommandError`), and running a command so that no failure ends in a traceback."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
# The AWS CLI (v2) exits with 254 when the service answered with an error; `sfnlocal test-state` does too.
EXIT_SERVICE_ERROR = 254
# What a shell reports for a command killed by SIGINT (128 + 2) or by SIGPIPE (128 + 13, as `yes | head`
# leaves `yes`).
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

EXIT_CODES = f"""\
exit codes:
  {EXIT_OK}    success: the execution succeeded (run), every definition is valid (validate),
       every test case passed (test), TestState answered (test-state), the graph was drawn (graph),
       no history diverged (replay)
  {EXIT_FAILED}    run: the execution did not succeed; validate, run, graph: a definition is invalid
       (the diagnostics are printed as validate prints them); test: a test case did not pass;
       replay: a history diverged
  {EXIT_USAGE}    a usage error, or a file that cannot be read or loaded (not UTF-8, not JSON or YAML,
       nested too deeply, a bad mocks file)
  {EXIT_INTERNAL}    an internal error of sfnlocal (a bug: please report it with the command)
  {EXIT_SERVICE_ERROR}  test-state: the TestState API refused the request (as the AWS CLI exits on a service error)
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C)
  {EXIT_BROKEN_PIPE}  the output was closed early (say, piped into head); nothing more is printed
"""

_MESSAGE_LIMIT = 2_000  # characters of one error message shown on stderr


class CommandError(Exception):
    """Ends a command with an exit code; ``message`` is printed on stderr as it is (it may span lines).

    >>> CommandError(EXIT_USAGE, "sfnlocal run: no such file").code
    2
    """

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def usage(command: str, message: object) -> CommandError:
    """A usage error of ``command``: ``sfnlocal <command>: <message>`` as one paragraph, exit 2.

    >>> print(usage("run", "cannot read x.json:\\n\\n  no such file").message)
    sfnlocal run: cannot read x.json:
      no such file
    """
    return CommandError(EXIT_USAGE, f"sfnlocal {command}: {paragraph(message)}")


def paragraph(message: object) -> str:
    """A message as one paragraph: no blank lines, no trailing space, at most 2,000 characters.

    >>> paragraph("first\\n\\n\\nsecond  ")
    'first\\nsecond'
    >>> len(paragraph("x" * 5000))
    2000
    """
    text = "\n".join(line.rstrip() for line in str(message).strip().splitlines() if line.strip())
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 1] + "…"


def usage_error(command: str, message: object) -> int:
    """Print ``sfnlocal <command>: <message>`` on stderr and return the usage exit code."""
    print(usage(command, message).message, file=sys.stderr)
    return EXIT_USAGE


def read_text(path: str | Path, what: str = "") -> str:
    """A file's UTF-8 text; a file that cannot be read, or is not UTF-8, is a :class:`ValueError` saying so.

    >>> read_text("missing.json")
    Traceback (most recent call last):
    ...
    ValueError: cannot read missing.json: No such file or directory
    """
    label = f"{what} {path}" if what else str(path)
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{label} is not UTF-8 text (byte 0x{err.object[err.start]:02x} at offset {err.start}); save it as UTF-8"
        ) from None
    except OSError as err:
        raise ValueError(f"cannot read {label}: {err.strerror or err}") from None


def parse_json(text: str, what: str, advice: str = "") -> Any:
    """JSON text parsed; bad JSON (``advice`` added), or JSON nested too deeply to read, is a
    :class:`ValueError` naming ``what``.

    >>> parse_json("[" * 100_000, "--input")
    Traceback (most recent call last):
    ...
    ValueError: --input is nested too deeply to be read; flatten it
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(
            f"{what} is not valid JSON: {err.msg} at line {err.lineno} column {err.colno}{advice}"
        ) from None
    except RecursionError:
        raise ValueError(f"{what} is nested too deeply to be read; flatten it") from None


def read_input(text: str | None) -> Any:
    """An execution input given as JSON text or ``@file.json`` (None: ``{}``).

    >>> read_input('{"a": 1}'), read_input(None)
    ({'a': 1}, {})
    >>> read_input("{oops")
    Traceback (most recent call last):
    ...
    ValueError: --input is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2; ...
    """
    if text is None:
        return {}
    what = "--input"
    if text.startswith("@"):
        what = f"input file {text[1:]}"
        text = read_text(text[1:], "input file")
    return parse_json(text, what, "; pass JSON text or @file.json")


def run_command(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command's handler: what it raises becomes a message on stderr and an exit code, never a
    traceback; output closed early ends it quietly (exit 141), Ctrl-C with a word (exit 130)."""
    name = args.command
    try:
        code = command(args)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        return _report(CommandError(EXIT_INTERRUPTED, f"sfnlocal {name}: interrupted"))
    except BrokenPipeError:
        # The reader went away (`sfnlocal run ... | head`): print nothing more, not even at exit's flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except CommandError as err:
        print(err.message, file=sys.stderr)
        return err.code
    except RecursionError:
        return _report(usage(name, "a document is nested too deeply to be read; flatten it"))
    except (ValueError, OSError) as err:  # sfnlocal's documented errors are ValueErrors (DefinitionError, ...)
        return _report(usage(name, _describe(err)))
    except Exception as err:  # noqa: BLE001 - a bug in sfnlocal: reported as one, not as a traceback
        return _report(
            CommandError(
                EXIT_INTERNAL,
                f"sfnlocal {name}: internal error {type(err).__name__}: {paragraph(err)[:500]}; "
                "this is a bug in sfnlocal, please report it with the command and its files",
            )
        )


def _report(error: CommandError) -> int:
    print(error.message, file=sys.stderr)
    return error.code


def _describe(err: BaseException) -> str:
    """An error's message; a DefinitionError about the whole document without its ``/: `` location."""
    text = str(err)
    return text.removeprefix("/: ") if text.startswith("/: ") else text
