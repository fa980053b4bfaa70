"""A position in a path's text and the look-ahead both of Jayway's compilers use.

"Significant" characters are the ones after any spaces; only the space character counts as blank,
as in Jayway (a tab inside a path is part of it).
"""

from __future__ import annotations

from sfnlocal.language.jsonpath.errors import InvalidPath
from sfnlocal.language.jsonpath.escapes import next_unescaped

_QUOTES = "'\""


class Cursor:
    """The text being compiled, a read position and an end (exclusive) that :meth:`trim` can move.

    >>> c = Cursor("  [ 'a' ]  ").trim()
    >>> c.current(), c.next_significant(), c.end
    ('[', "'", 9)
    """

    __slots__ = ("text", "pos", "end")

    def __init__(self, text: str, pos: int = 0, end: int | None = None) -> None:
        self.text = text
        self.pos = pos
        self.end = len(text) if end is None else end

    def __repr__(self) -> str:
        return f"Cursor({self.text[: self.end]!r} at {self.pos})"

    def in_bounds(self, index: int | None = None) -> bool:
        """Whether ``index`` (default: the read position) is inside the text."""
        index = self.pos if index is None else index
        return 0 <= index < self.end

    def char_at(self, index: int) -> str:
        """The character at ``index``, even past a trimmed end; past the text itself it is an error, as
        ``String.charAt`` is in Jayway."""
        if not 0 <= index < len(self.text):
            raise InvalidPath(f"java.lang.StringIndexOutOfBoundsException: index {index}, length {len(self.text)}")
        return self.text[index]

    def current(self) -> str:
        """The character at the read position."""
        return self.char_at(self.pos)

    def current_is(self, char: str) -> bool:
        """Whether the read position holds ``char``."""
        return self.in_bounds() and self.text[self.pos] == char

    def last_is(self, char: str) -> bool:
        """Whether the last character before the end is ``char``."""
        return self.end > 0 and self.text[self.end - 1] == char

    def at_tail(self) -> bool:
        """Whether nothing follows the read position (it is at or past the last character)."""
        return not self.in_bounds(self.pos + 1)

    def skip_blanks(self) -> Cursor:
        """Move past spaces."""
        while self.pos < self.end and self.text[self.pos] == " ":
            self.pos += 1
        return self

    def trim(self) -> Cursor:
        """Move past leading spaces and drop trailing ones."""
        self.skip_blanks()
        while self.pos < self.end and self.text[self.end - 1] == " ":
            self.end -= 1
        return self

    def significant_index(self, start: int) -> int:
        """The index of the first non-space character after ``start`` (may be past the end)."""
        index = start + 1
        while index < self.end and self.text[index] == " ":
            index += 1
        return index

    def next_significant(self, start: int | None = None) -> str:
        """The first non-space character after ``start`` (default: the read position), or a space."""
        index = self.significant_index(self.pos if start is None else start)
        return self.text[index] if index < self.end else " "

    def next_significant_is(self, char: str, start: int | None = None) -> bool:
        """Whether the first non-space character after ``start`` is ``char``."""
        index = self.significant_index(self.pos if start is None else start)
        return index < self.end and self.text[index] == char

    def index_of_next_significant(self, char: str, start: int | None = None) -> int:
        """The index of the first non-space character after ``start`` if it is ``char``, else -1."""
        index = self.significant_index(self.pos if start is None else start)
        return index if self.char_at(index) == char else -1

    def previous_significant(self, start: int | None = None) -> str:
        """The last non-space character before ``start`` (default: the read position), or a space."""
        index = (self.pos if start is None else start) - 1
        while index >= 0 and self.text[index] == " ":
            index -= 1
        return self.text[index] if index >= 0 else " "

    def index_of(self, char: str, start: int) -> int:
        """The first index of ``char`` from ``start`` on, or -1."""
        found = self.text.find(char, start, self.end)
        return found

    def index_of_unescaped(self, char: str, start: int) -> int:
        """The first ``char`` after ``start`` that no backslash escapes, or -1."""
        return next_unescaped(self.text, char, start, self.end)

    def matching_close(self, start: int, open_char: str, close_char: str, skip_regex: bool = False) -> int:
        """The index of the ``close_char`` that balances the ``open_char`` at ``start``, skipping quoted
        strings (and ``/regex/`` literals when asked); -1 when there is none."""
        if self.char_at(start) != open_char:
            raise InvalidPath(f"Expected {open_char} but found {self.char_at(start)}")
        opened = 1
        index = start + 1
        while index < self.end:
            char = self.text[index]
            if char in _QUOTES:
                index = self.index_of_unescaped(char, index)
                if index == -1:
                    raise InvalidPath(f"Could not find matching close quote for {char} when parsing : {self.text}")
                index += 1
            if skip_regex and self.char_at(index) == "/":
                index = self.index_of_unescaped("/", index)
                if index == -1:
                    raise InvalidPath(f"Could not find matching close for / when parsing regex in : {self.text}")
                index += 1
            char = self.char_at(index)
            if char == open_char:
                opened += 1
            if char == close_char:
                opened -= 1
                if opened == 0:
                    return index
            index += 1
        return -1

    def read_significant(self, char: str) -> None:
        """Move past spaces and then past ``char``, which must be there."""
        self.skip_blanks()
        if not self.current_is(char):
            raise InvalidPath(f"Expected character: {char}")
        self.pos += 1

    def take(self, word: str) -> bool:
        """Move past spaces and ``word`` if ``word`` comes next (spaces are skipped either way)."""
        self.skip_blanks()
        if self.text.startswith(word, self.pos) and self.pos + len(word) <= self.end:
            self.pos += len(word)
            return True
        return False
