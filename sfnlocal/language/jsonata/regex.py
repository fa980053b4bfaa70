"""JSONata's regular expressions (``/pattern/flags``), compiled with RE2 rather than Python's ``re``
(:mod:`sfnlocal.language.linear_regex` says why, and what RE2 refuses).

JSONata's regular expressions are JavaScript's; like JavaScript, RE2 reads ``\\d`` and ``\\w`` as ASCII and
``$`` as the end of the text only.
"""

from __future__ import annotations

import re
from typing import Any

from sfnlocal.language.jsonata.bounds import MAX_LENGTH, too_long
from sfnlocal.language.jsonata.failures import FunctionProblem
from sfnlocal.language.jsonata.library import RegexFlags
from sfnlocal.language.jsontext import lone_surrogate
from sfnlocal.language.linear_regex import RegexRefused, compile_linear


def compile_regex(pattern: str, flags: RegexFlags) -> Any:
    """The compiled pattern, as the engine wants it (``search``, ``finditer``, ``sub``, ``split``).

    >>> compile_regex("^(a|aa)+$", RegexFlags()).search("a" * 40 + "!") is None
    True
    >>> compile_regex("AB", RegexFlags(case_insensitive=True)).search("xaby").group()
    'ab'
    >>> compile_regex("(b)", RegexFlags()).sub(r"[\\g<1>]", "abcb")
    'a[b]c[b]'
    >>> compile_regex("(a)\\\\1", RegexFlags())
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonata.failures.FunctionProblem: sfnlocal cannot compile the regular expression /(a)\\1/ ...
    """
    inline = ("i" if flags.case_insensitive else "") + ("m" if flags.multiline else "")
    try:
        return _Pattern(compile_linear(pattern, inline))
    except RegexRefused as detail:
        raise FunctionProblem(
            f"sfnlocal cannot compile the regular expression /{pattern}/ with RE2, the engine it matches "
            f"regular expressions with (it has no lookahead, lookbehind or backreferences): {detail}"
        ) from None


# A group reference in the replacement template the engine passes to ``sub`` (it writes JSONata's ``$1`` so).
_REFERENCE = re.compile(r"\\g<(\d+)>")


class _Pattern:
    """An RE2 pattern as the engine uses it, with two differences from RE2's own ``sub``.

    A reference to a group the pattern does not have fails as Python's ``re`` fails (the engine then
    reads JSONata's ``$10`` as group 1 and a ``0``, as JSONata does); and the text a replacement makes
    is bounded (:data:`~sfnlocal.language.jsonata.bounds.MAX_LENGTH`), counted match by match, since a
    long replacement for each of many matches would otherwise be made in full before anything could
    count it.
    """

    __slots__ = ("_pattern",)

    def __init__(self, pattern: Any) -> None:
        self._pattern = pattern

    def search(self, string: str) -> Any:
        return self._pattern.search(_readable(string))

    def finditer(self, string: str) -> Any:
        return self._pattern.finditer(_readable(string))

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        return list(self._pattern.split(_readable(string), maxsplit))

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        """``repl`` (a template or a function of the match) for each match, at most ``count`` when not 0.

        >>> _Pattern(compile_linear("(b)")).sub(r"\\g<10>", "abc")
        Traceback (most recent call last):
        ...
        re.error: invalid group reference 10 at position 1
        >>> _Pattern(compile_linear("b")).sub("x" * 6_000_000, "bb")
        Traceback (most recent call last):
        ...
        sfnlocal.language.jsonata.bounds.BoundExceeded: D1012: The evaluation made a string of 12000000 items ...
        """
        string = _readable(string)
        if isinstance(repl, str):
            references = list(_REFERENCE.finditer(repl))
            for reference in references:
                if int(reference.group(1)) > self._pattern.groups:
                    raise re.error(f"invalid group reference {reference.group(1)}", repl, reference.start() + 1)
            # At most one match more than the text has characters, each replaced by the template with each
            # reference at most the whole text: within the bound, RE2 replaces at its own speed.
            if len(string) + (len(string) + 1) * (len(repl) + len(references) * len(string)) <= MAX_LENGTH:
                return str(self._pattern.sub(repl, string, count))
            template = repl
            repl = lambda match: match.expand(template)  # noqa: E731 (a closure over the template)
        made = len(string)

        def replace(match: Any) -> str:
            nonlocal made
            text = str(repl(match))
            made += len(text) - (match.end() - match.start())
            if made > MAX_LENGTH:
                raise too_long("a string", made)
            return text

        return str(self._pattern.sub(replace, string, count))


def _readable(string: str) -> str:
    """The text, when RE2 can read it: RE2 reads UTF-8, which has no lone surrogates (a JSONata string
    literal can hold one, as ``"\\ud800"``).

    >>> _readable("abc") == "abc"
    True
    >>> _readable("a\\ud800")
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonata.failures.FunctionProblem: sfnlocal matches regular expressions with RE2, which ...
    """
    surrogate = lone_surrogate(string)
    if surrogate is not None:
        raise FunctionProblem(
            "sfnlocal matches regular expressions with RE2, which cannot read text holding a lone surrogate "
            f"(the code point {ord(surrogate):#06x} with no pair)"
        )
    return string
