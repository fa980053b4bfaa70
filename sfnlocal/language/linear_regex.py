"""Regular expressions matched in time linear in the text, with RE2, for JSONata's ``/pattern/`` and
JSONPath's ``=~``.

A backtracking engine (Python's ``re``, Java's ``java.util.regex`` that AWS runs) can take exponential
time on a short text: ``^(a|aa)+$`` against forty ``a`` and a ``!``. A match cannot be interrupted, so
one such pattern would stall an execution for minutes. RE2 reads the syntax workflows use (classes,
groups, alternation, quantifiers, anchors, ``\\d \\w \\s \\b``, named groups) and has no lookaround and no
backreferences: a pattern that needs them is refused when the definition is loaded, rather than run
on an engine that could stall. That refusal is sfnlocal's, not AWS's.
"""

from __future__ import annotations

from typing import Any

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print every refused pattern on the process's standard error


class RegexRefused(ValueError):
    """A pattern RE2 cannot compile; the message is RE2's reason."""


def compile_linear(pattern: str, flags: str = "") -> Any:
    """``pattern`` compiled by RE2 with inline ``flags`` (``i``, ``m``, ``s``).

    >>> compile_linear("^(a|aa)+$").search("a" * 40 + "!") is None
    True
    >>> compile_linear("ab", "i").fullmatch("AB") is not None
    True
    >>> compile_linear("(a)\\\\1")
    Traceback (most recent call last):
    ...
    sfnlocal.language.linear_regex.RegexRefused: invalid escape sequence: \\1
    """
    try:
        return re2.compile(f"(?{flags}){pattern}" if flags else pattern, _OPTIONS)
    except re2.error as err:
        raise RegexRefused(err.args[0].decode() if err.args and isinstance(err.args[0], bytes) else str(err)) from None
