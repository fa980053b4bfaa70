"""JSONata's regular expressions (``/pattern/flags``), compiled with RE2 rather than Python's ``re``.

A backtracking engine can take exponential time on a short text (``/^(a|aa)+$/`` on forty ``a`` and a
``!``), and an evaluation cannot be interrupted while it matches; RE2 matches in time linear in the
text, always. JSONata's regular expressions are JavaScript's; RE2 reads the same syntax for what
Step Functions expressions use (classes, groups, alternation, quantifiers, anchors, ``\\d \\w \\s \\b``, named
groups), and like JavaScript it reads ``\\d`` and ``\\w`` as ASCII and ``$`` as the end of the text
only. RE2 has no lookahead or lookbehind (``(?=``, ``(?!``, ``(?<=``, ``(?<!``) and no backreferences
(``\\1``): a pattern that uses them is refused when the definition is loaded, with a message that says
so, rather than run on an engine that could stall the execution.
"""

from __future__ import annotations

from typing import Any

import re2
from jsonata.regex_engine import RegexFlags

from sfnlocal.language.jsonata.failures import FunctionProblem

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print every refused pattern on the process's standard error


def compile_regex(pattern: str, flags: RegexFlags) -> Any:
    """The compiled pattern, as the engine wants it (``search``, ``finditer``, ``sub``, ``split``).

    >>> compile_regex("^(a|aa)+$", RegexFlags()).search("a" * 40 + "!") is None
    True
    >>> compile_regex("AB", RegexFlags(case_insensitive=True)).search("xaby").group()
    'ab'
    >>> compile_regex("(a)\\\\1", RegexFlags())
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonata.failures.FunctionProblem: sfnlocal cannot compile the regular expression /(a)\\1/ ...
    """
    inline = ("i" if flags.case_insensitive else "") + ("m" if flags.multiline else "")
    try:
        return re2.compile(f"(?{inline}){pattern}" if inline else pattern, _OPTIONS)
    except re2.error as err:
        detail = err.args[0].decode() if err.args and isinstance(err.args[0], bytes) else str(err)
        raise FunctionProblem(
            f"sfnlocal cannot compile the regular expression /{pattern}/ with RE2, the engine it matches "
            f"regular expressions with (it has no lookahead, lookbehind or backreferences): {detail}"
        ) from None
