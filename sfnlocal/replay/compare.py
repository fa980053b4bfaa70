"""Where two JSON values first differ, with placeholders standing for values that change from run to run.

Values compare as parsed JSON: key order is irrelevant, ``true`` is not ``1`` and ``1`` is not ``1.0`` (AWS
prints them differently). A string may hold placeholders (``<task_token:1>``, ``<uuid:2>``, ...): each matches
any non-empty text, and the same placeholder must match the same text everywhere within one comparison.
Placeholders are read in the expected value; with ``either_side=True`` also in the actual one, when the
expected string has none (a replay marks its own run's identifiers, whose recorded counterparts it cannot know).

Shared by :mod:`sfnlocal.replay` and the project's conformance runner.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PRIMARY_FIELDS = ("status", "error", "cause", "output")
PLACEHOLDER = re.compile(r"<[A-Za-z][\w.\-]*(?::\d+)?>")
# Whole values a recorder transformer put in without saying so (its arguments were not kept): any text.
_BARE_PLACEHOLDERS = frozenset({"map_run_arn", "a_task_token", "a_message_id"})
_SHORT = 70
_CONTEXT = 10  # characters shown before the first difference of two long strings


def clip(text: str, limit: int = _SHORT) -> str:
    """``text`` on one line, cut to ``limit`` characters.

    >>> clip("a  b " + "x" * 100, 10)
    'a b xxx...'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shorten(value: Any, limit: int = _SHORT) -> str:
    """A one-line ``repr`` of ``value``, cut to ``limit`` characters.

    >>> shorten("x" * 100, 10)
    "'xxxxxx..."
    """
    return clip(repr(value), limit)


@dataclass(frozen=True)
class Mismatch:
    """Where two values first differ.

    Long strings that share a beginning are shown from a little before where they part.

    >>> str(Mismatch("output.a", 1, 2))
    'output.a: expected 1, got 2'
    >>> str(Mismatch("cause", "x" * 80 + "a", "x" * 80 + "b"))
    "cause: expected '...xxxxxxxxxxa', got '...xxxxxxxxxxb'"
    """

    where: str
    expected: Any
    got: Any

    def __str__(self) -> str:
        want, have = self.expected, self.got
        if isinstance(want, str) and isinstance(have, str):
            common = len(os.path.commonprefix([want, have]))
            if common > _CONTEXT * 2:
                want, have = "..." + want[common - _CONTEXT :], "..." + have[common - _CONTEXT :]
        return f"{self.where}: expected {shorten(want)}, got {shorten(have)}"


def _match_text(pattern_text: str, text: str, bindings: dict[str, str]) -> bool:
    """Whether ``text`` matches ``pattern_text`` read as a pattern of placeholders; binds new placeholders."""
    names = PLACEHOLDER.findall(pattern_text)
    if not names:
        return False
    groups: dict[str, str] = {}
    pattern = []
    for literal, token in zip(PLACEHOLDER.split(pattern_text), [*names, None], strict=True):
        pattern.append(re.escape(literal))
        if token is None:
            continue
        if token in bindings:
            pattern.append(re.escape(bindings[token]))
        elif token in groups:
            pattern.append(f"(?P={groups[token]})")
        else:
            groups[token] = f"p{len(groups)}"
            pattern.append(f"(?P<{groups[token]}>.+?)")
    found = re.fullmatch("".join(pattern), text, re.DOTALL)
    if found is None:
        return False
    bindings.update({token: found.group(group) for token, group in groups.items()})
    return True


def _same_scalar(expected: Any, got: Any) -> bool:
    # bool is an int subclass and 1 == 1.0 in Python; JSON tells them apart.
    return type(expected) is type(got) and expected == got


def _same_text(expected: str, got: str, bindings: dict[str, str], either_side: bool) -> bool:
    if expected in _BARE_PLACEHOLDERS or _match_text(expected, got, bindings):
        return True
    return either_side and not PLACEHOLDER.search(expected) and _match_text(got, expected, bindings)


def first_difference(
    expected: Any, got: Any, where: str = "$", bindings: dict[str, str] | None = None, either_side: bool = False
) -> Mismatch | None:
    """The first place where ``got`` differs from ``expected``, or None when they match.

    >>> first_difference({"a": [1, {"b": "x"}]}, {"a": [1, {"b": "y"}]})
    Mismatch(where='$.a[1].b', expected='x', got='y')
    >>> first_difference("function:<fn_name>", "function:charge") is None
    True
    >>> first_difference(["<x>", "<x>"], ["a", "b"])
    Mismatch(where='$[1]', expected='<x>', got='b')
    >>> first_difference(1, 1.0)
    Mismatch(where='$', expected=1, got=1.0)
    >>> first_difference(["tok-1", "tok-2"], ["<run-token:1>", "<run-token:1>"], either_side=True)
    Mismatch(where='$[1]', expected='tok-2', got='<run-token:1>')
    """
    bindings = {} if bindings is None else bindings
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in [*expected, *(k for k in got if k not in expected)]:
            if key not in got or key not in expected:
                return Mismatch(f"{where}.{key}", expected.get(key, "<absent>"), got.get(key, "<absent>"))
        for key in expected:
            found = first_difference(expected[key], got[key], f"{where}.{key}", bindings, either_side)
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return Mismatch(f"{where} (length)", len(expected), len(got))
        for index, (e, g) in enumerate(zip(expected, got, strict=True)):
            found = first_difference(e, g, f"{where}[{index}]", bindings, either_side)
            if found:
                return found
        return None
    if _same_scalar(expected, got):
        return None
    if isinstance(expected, str) and isinstance(got, str) and _same_text(expected, got, bindings, either_side):
        return None
    return Mismatch(where, expected, got)


def compare_primary(
    expected: Mapping[str, Any],
    got: Mapping[str, Any],
    bindings: dict[str, str] | None = None,
    either_side: bool = False,
) -> Mismatch | None:
    """Status, error, cause, then output; a field absent from the recording must be absent (None) here.

    The output is compared only when the recording has one.

    >>> compare_primary({"status": "FAILED", "error": "E"}, {"status": "FAILED", "error": "E", "cause": "c"})
    Mismatch(where='cause', expected=None, got='c')
    """
    bindings = {} if bindings is None else bindings
    for field in PRIMARY_FIELDS:
        if field == "output" and field not in expected:
            continue
        found = first_difference(expected.get(field), got.get(field), field, bindings, either_side)
        if found:
            return found
    return None
