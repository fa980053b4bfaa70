"""The intrinsic function grammar: text such as ``States.Format('{} items', $.count)`` to a tree.

Arguments are single-quoted strings (escapes ``\\'``, ``\\{``, ``\\}``, ``\\\\``), JSON numbers,
``null``, ``true``, ``false``, paths (``$.a``, ``$[0]``, ``$$.Execution.Id``, ``$var.field``) and
nested calls. Paths are compiled here, once, by :func:`sfnlocal.language.paths.compile_path`.

The parser never evaluates anything; :mod:`sfnlocal.language.intrinsics.compiler` turns the tree into
closures. Every malformed text raises :class:`IntrinsicSyntaxError` with the character position
and what was expected there.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from sfnlocal.language.paths import CompiledPath, PathSyntaxError, compile_path

FUNCTION_PREFIX = "States."
# AWS: "You can nest up to 10 intrinsic functions within a field"; its own example counts every
# call in the field (nine calls, five levels deep), so the limit is on calls, not on depth.
MAX_CALLS = 10

_NAME = re.compile(r"[A-Za-z0-9]+")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_KEYWORDS = {"null": None, "true": True, "false": False}
_KEYWORD = re.compile(r"[A-Za-z]+")
_ESCAPABLE = "'{}\\"
_CLOSERS = {"[": "]", "(": ")"}


class IntrinsicSyntaxError(ValueError):
    """Malformed intrinsic function text, with the 0-based ``position`` and what was ``expected``.

    >>> try:
    ...     parse("States.Array(1 2)")
    ... except IntrinsicSyntaxError as err:
    ...     print(err.position, err.expected)
    15 ',' or ')'
    """

    def __init__(self, text: str, position: int, expected: str, found: str | None = None) -> None:
        if found is None:
            found = repr(text[position]) if position < len(text) else "the end of the text"
        super().__init__(
            f'invalid intrinsic function "{text}": expected {expected} at position {position}, found {found}'
        )
        self.text = text
        self.position = position
        self.expected = expected


@dataclass(frozen=True, slots=True)
class Literal:
    """A number, ``null`` or boolean argument."""

    value: Any


@dataclass(frozen=True, slots=True)
class StringLiteral:
    """A quoted string: its ``value`` with escapes resolved, and the ``pieces`` between its
    unescaped ``{}`` pairs (States.Format treats only those as placeholders)."""

    value: str
    pieces: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PathArgument:
    """A path argument, already compiled."""

    path: CompiledPath


@dataclass(frozen=True, slots=True)
class Call:
    """``States.<name>(args...)``; ``name`` is the full name, e.g. ``States.Format``."""

    name: str
    args: tuple[Node, ...]
    position: int


Node = Literal | StringLiteral | PathArgument | Call


def parse(text: str, known_names: frozenset[str] | None = None) -> Call:
    """Parse a whole intrinsic function call; ``known_names`` restricts the function names.

    >>> parse("States.MathAdd($.i, -1)").args[1]
    Literal(value=-1)
    >>> parse("States.Format('{} \\\\{}', 7)").args[0].pieces
    ('', ' {}')
    """
    return _Parser(text, known_names).parse()


class _Parser:
    def __init__(self, text: str, known_names: frozenset[str] | None) -> None:
        self.text = text
        self.known_names = known_names
        self.pos = 0
        self.calls = 0

    def fail(self, expected: str, at: int | None = None, found: str | None = None) -> IntrinsicSyntaxError:
        return IntrinsicSyntaxError(self.text, self.pos if at is None else at, expected, found)

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def parse(self) -> Call:
        self.skip_space()
        call = self.call()
        self.skip_space()
        if self.pos != len(self.text):
            raise self.fail("the end of the text after the closing ')'")
        return call

    def call(self) -> Call:
        start = self.pos
        if not self.text.startswith(FUNCTION_PREFIX, start):
            raise self.fail(f"an intrinsic function call ('{FUNCTION_PREFIX}<Name>(...)')")
        self.calls += 1
        if self.calls > MAX_CALLS:
            raise self.fail(f"at most {MAX_CALLS} intrinsic functions in one field", found=f"call number {self.calls}")
        self.pos += len(FUNCTION_PREFIX)
        match = _NAME.match(self.text, self.pos)
        if not match:
            raise self.fail("a function name after 'States.'")
        name = FUNCTION_PREFIX + match.group()
        if self.known_names is not None and name not in self.known_names:
            raise self.fail(
                "the name of an intrinsic function (" + ", ".join(sorted(self.known_names)) + ")",
                found=repr(name),
            )
        self.pos = match.end()
        if self.text[self.pos : self.pos + 1] != "(":
            raise self.fail(f"'(' after {name}")
        self.pos += 1
        self.skip_space()
        args: list[Node] = []
        if self.text[self.pos : self.pos + 1] == ")":
            self.pos += 1
            return Call(name, (), start)
        while True:
            args.append(self.argument())
            self.skip_space()
            char = self.text[self.pos : self.pos + 1]
            self.pos += 1
            if char == ")":
                return Call(name, tuple(args), start)
            if char != ",":
                raise self.fail("',' or ')'", at=self.pos - 1)
            self.skip_space()

    def argument(self) -> Node:
        char = self.text[self.pos : self.pos + 1]
        if char == "'":
            return self.string()
        if char == "$":
            return self.path()
        if char == "-" or char.isdigit():
            return self.number()
        if self.text.startswith(FUNCTION_PREFIX, self.pos):
            return self.call()
        match = _KEYWORD.match(self.text, self.pos)
        if match and match.group() in _KEYWORDS:
            self.pos = match.end()
            return Literal(_KEYWORDS[match.group()])
        raise self.fail("an argument (a 'string', a number, null, true, false, a path or an intrinsic function)")

    def string(self) -> StringLiteral:
        start = self.pos
        self.pos += 1
        pieces: list[str] = []
        current: list[str] = []
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "'":
                self.pos += 1
                pieces.append("".join(current))
                return StringLiteral("{}".join(pieces), tuple(pieces))
            if char == "\\":
                escaped = text[self.pos + 1 : self.pos + 2]
                if not escaped or escaped not in _ESCAPABLE:
                    # AWS: "If an open escape backslash \ is found in the intrinsic invocation
                    # string, the interpreter will return a runtime error"; we report it at load.
                    raise self.fail("one of \\' \\{ \\} \\\\ (a backslash must escape one of ' { } \\)")
                current.append(escaped)
                self.pos += 2
                continue
            if char == "{" and text.startswith("{}", self.pos):
                pieces.append("".join(current))
                current = []
                self.pos += 2
                continue
            current.append(char)
            self.pos += 1
        raise self.fail(f"a closing ' for the string opened at position {start}")

    def number(self) -> Literal:
        match = _NUMBER.match(self.text, self.pos)
        if not match:
            raise self.fail("a number")
        token = match.group()
        value: int | float
        if any(c in token for c in ".eE"):
            value = float(token)
            if not math.isfinite(value):
                raise self.fail("a number within the range of a double", found=repr(token))
        else:
            value = int(token)
        self.pos = match.end()
        return Literal(value)

    def path(self) -> PathArgument:
        start = self.pos
        end = self.path_end()
        token = self.text[start:end]
        try:
            path = compile_path(token)
        except PathSyntaxError as err:
            raise self.fail(f"a valid path ({err})", at=start, found=repr(token)) from None
        self.pos = end
        return PathArgument(path)

    def path_end(self) -> int:
        """Where the path starting at ``pos`` ends: the first ',', ')' or space outside brackets."""
        text = self.text
        pos = self.pos
        stack: list[str] = []
        quote = ""
        while pos < len(text):
            char = text[pos]
            if quote:
                if char == "\\":
                    pos += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"" and stack:
                quote = char
            elif char in _CLOSERS:
                stack.append(_CLOSERS[char])
            elif stack and char == stack[-1]:
                stack.pop()
            elif not stack and (char in ",)" or char.isspace()):
                return pos
            pos += 1
        if quote:
            raise self.fail(f"a closing {quote} inside the path", at=pos)
        if stack:
            raise self.fail(f"'{stack[-1]}' to close the path", at=pos)
        return pos
