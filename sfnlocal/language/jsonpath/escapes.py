"""Backslash escapes in the quoted text of a path: names in brackets, string literals in filters, JSON
literals in filters and function arguments."""

from __future__ import annotations

import re

_UNESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "'": "'", '"': '"', "\\": "\\", "/": "/"}
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")


def unescape(text: str) -> str:
    """Backslash escapes read as Jayway's ``Utils.unescape`` reads them; an unknown one keeps its character.

    >>> unescape("a\\\\'b\\\\u0041\\\\q")
    "a'bAq"
    """
    if "\\" not in text:
        return text
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            escaped = text[index + 1]
            if escaped == "u" and _HEX4.fullmatch(text, index + 2, index + 6):
                out.append(chr(int(text[index + 2 : index + 6], 16)))
                index += 6
                continue
            out.append(_UNESCAPES.get(escaped, escaped))
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def next_unescaped(text: str, char: str, start: int, end: int | None = None) -> int:
    """The index of the first ``char`` after ``start`` (and before ``end``) that no backslash escapes, or -1.

    >>> next_unescaped("'it\\\\'s' rest", "'", 0)
    6
    """
    escaped = False
    for index in range(start + 1, len(text) if end is None else end):
        if escaped:
            escaped = False
        elif text[index] == "\\":
            escaped = True
        elif text[index] == char:
            return index
    return -1
