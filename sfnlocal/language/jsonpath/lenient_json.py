"""JSON as Jayway's default parser (json-smart, permissive mode) reads the literals written inside a path:
``['S', 'M']`` in a filter, ``{"a": 1}`` or ``1`` as a function argument.

Beyond strict JSON it takes single-quoted strings, unquoted words (``[a, b c]`` is ``["a", "b c"]``; a
word that is no number, ``1x``, is a string), leading zeros (``01``), and empty elements (``[1,]``).
After a complete value, the rest of the text is ignored (``"ab" "cd"`` is ``"ab"``).
"""

from __future__ import annotations

import re
from typing import Any

from sfnlocal.language.jsonpath.escapes import next_unescaped, unescape

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_WORD_END = re.compile(r"[,:\]}]")
_WORDS = {"true": True, "false": False, "null": None, "-": 0}


class LenientJsonError(ValueError):
    """Text that even the permissive parser cannot read."""


def parse_lenient(text: str) -> Any:
    """The value of a JSON literal, read permissively.

    >>> parse_lenient("['S', \\"M\\", 3, 2.5, true, null, word, 1x, 01,]")
    ['S', 'M', 3, 2.5, True, None, 'word', '1x', 1]
    >>> parse_lenient("{a: 1, 'b': [ ]} and the rest")
    {'a': 1, 'b': []}
    >>> parse_lenient("12 3")
    '12 3'
    """
    parser = _Parser(text)
    parser.blanks()
    if parser.pos < len(text) and text[parser.pos] in "{['\"":
        return parser.value()
    return _word(text.strip())


def _word(word: str) -> Any:
    if word in _WORDS:
        return _WORDS[word]
    if _NUMBER.fullmatch(word):
        return int(word) if word.lstrip("-").isdigit() else float(word)
    return word


class _Parser:
    __slots__ = ("text", "pos")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def blanks(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        self.blanks()
        if self.pos >= len(self.text):
            raise LenientJsonError(f"Unexpected End Of File position {self.pos}: {self.text}")
        return self.text[self.pos]

    def value(self) -> Any:
        char = self.peek()
        if char == "{":
            return self.members()
        if char == "[":
            return self.elements()
        if char in "'\"":
            return self.string()
        end = _WORD_END.search(self.text, self.pos)
        stop = end.start() if end else len(self.text)
        word = self.text[self.pos : stop].strip()
        if not word:
            raise LenientJsonError(f"Unexpected character {char!r} at position {self.pos} in {self.text}")
        self.pos = stop
        return _word(word)

    def members(self) -> dict[str, Any]:
        self.pos += 1
        result: dict[str, Any] = {}
        while self.peek() != "}":
            if self.peek() == ",":
                self.pos += 1
                continue
            key = self.value()
            if self.peek() != ":":
                raise LenientJsonError(f"Unexpected character at position {self.pos} in {self.text}: expected ':'")
            self.pos += 1
            result[str(key)] = self.value()
            if self.peek() not in ",}":
                raise LenientJsonError(
                    f"Unexpected character at position {self.pos} in {self.text}: expected ',' or '}}'"
                )
        self.pos += 1
        return result

    def elements(self) -> list[Any]:
        self.pos += 1
        result: list[Any] = []
        while self.peek() != "]":
            if self.peek() == ",":  # an empty element is skipped
                self.pos += 1
                continue
            result.append(self.value())
            if self.peek() not in ",]":
                raise LenientJsonError(
                    f"Unexpected character at position {self.pos} in {self.text}: expected ',' or ']'"
                )
        self.pos += 1
        return result

    def string(self) -> str:
        close = next_unescaped(self.text, self.text[self.pos], self.pos)
        if close == -1:
            raise LenientJsonError(f"Unexpected End Of File position {len(self.text)}: {self.text}")
        value = unescape(self.text[self.pos + 1 : close])
        self.pos = close + 1
        return value
