"""JSON as Jayway's default parser (json-smart, permissive mode) reads the literals written inside a path:
``['S', 'M']`` in a filter, ``{"a": 1}`` as a function argument.

Beyond strict JSON it takes single-quoted strings and unquoted words (``[a, b]`` is ``["a", "b"]``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from sfnlocal.language.jsonpath.escapes import next_unescaped, unescape

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_WORD_END = re.compile(r"[,:\]}\s]")


class LenientJsonError(ValueError):
    """Text that even the permissive parser cannot read."""


def parse_lenient(text: str) -> Any:
    """The value of a JSON literal, read permissively.

    >>> parse_lenient("['S', \\"M\\", 3, 2.5, true, null, word]")
    ['S', 'M', 3, 2.5, True, None, 'word']
    >>> parse_lenient("{a: 1, 'b': [ ]}")
    {'a': 1, 'b': []}
    """
    parser = _Parser(text)
    value = parser.value()
    parser.blanks()
    if parser.pos != len(text):
        raise LenientJsonError(f"Unexpected character {text[parser.pos]!r} at position {parser.pos} in {text}")
    return value


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
            raise LenientJsonError(f"Unexpected end of {self.text}")
        return self.text[self.pos]

    def value(self) -> Any:
        char = self.peek()
        if char == "{":
            return self.members()
        if char == "[":
            return self.elements()
        if char in "'\"":
            return self.string()
        number = _NUMBER.match(self.text, self.pos)
        if number and (number.end() == len(self.text) or _WORD_END.match(self.text, number.end())):
            self.pos = number.end()
            return json.loads(number.group())
        return self.word()

    def members(self) -> dict[str, Any]:
        self.pos += 1
        result: dict[str, Any] = {}
        if self.peek() == "}":
            self.pos += 1
            return result
        while True:
            key = self.string() if self.peek() in "'\"" else self.word(raw=True)
            if self.peek() != ":":
                raise LenientJsonError(f"Expected ':' at position {self.pos} in {self.text}")
            self.pos += 1
            result[str(key)] = self.value()
            if self.closes("}"):
                return result

    def elements(self) -> list[Any]:
        self.pos += 1
        result: list[Any] = []
        if self.peek() == "]":
            self.pos += 1
            return result
        while True:
            result.append(self.value())
            if self.closes("]"):
                return result

    def closes(self, close: str) -> bool:
        char = self.peek()
        self.pos += 1
        if char == close:
            return True
        if char != ",":
            raise LenientJsonError(f"Expected ',' or '{close}' at position {self.pos - 1} in {self.text}")
        return False

    def string(self) -> str:
        close = next_unescaped(self.text, self.text[self.pos], self.pos)
        if close == -1:
            raise LenientJsonError(f"Unterminated string in {self.text}")
        value = unescape(self.text[self.pos + 1 : close])
        self.pos = close + 1
        return value

    def word(self, raw: bool = False) -> Any:
        end = _WORD_END.search(self.text, self.pos)
        stop = end.start() if end else len(self.text)
        word = self.text[self.pos : stop].strip()
        if not word:
            raise LenientJsonError(f"Unexpected character at position {self.pos} in {self.text}")
        self.pos = stop
        if raw:
            return word
        return {"true": True, "false": False, "null": None}.get(word, word)
