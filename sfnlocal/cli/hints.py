"""Advice worded for Python callers, reworded for the command line when a command shows it.

An execution's cause may tell a Python caller what to pass to ``execute()``; ``sfnlocal run`` shows the
option or the mocks-file entry that does the same instead.
"""

from __future__ import annotations

import re

_HINTS = (
    (
        re.compile(r"Pass execute\(transition_limit=\.\.\.\) a larger number, or None,"),
        "Pass --transition-limit a larger number, or none,",
    ),
    (
        re.compile(r"pass mocks=\{'((?:[^'\\]|\\.)*)': mocks\.returns\(\.\.\.\)\}(.*?) to execute\(\)"),
        r'add "\1": {"returns": ...} to the --mocks file\2',
    ),
    (
        re.compile(r"mocks=\{'((?:[^'\\]|\\.)*)': mocks\.returns\(\.\.\.\)\}"),
        r'"\1": {"returns": ...} in the --mocks file',
    ),
)


def cli_hints(text: str) -> str:
    """``text`` with Python advice replaced by the command line's.

    >>> cli_hints("no timeout ends it. Pass execute(transition_limit=...) a larger number, or None, if the run is")
    'no timeout ends it. Pass --transition-limit a larger number, or none, if the run is'
    >>> cli_hints("no mock is registered; pass mocks={'Charge': mocks.returns(...)} (or key it by ARN) to execute()")
    'no mock is registered; add "Charge": {"returns": ...} to the --mocks file (or key it by ARN)'
    """
    for pattern, replacement in _HINTS:
        text = pattern.sub(replacement, text)
    return text
