"""Filter text (``[?(...)]``) to a :class:`~.filters.Condition`, reading what Jayway JsonPath's filter
compiler reads.

Grammar (Jayway's): ``or := and ('||' and)*``, ``and := operand ('&&' operand)*``,
``operand := '!' operand | '(' or ')' | comparison``, ``comparison := value [operator value]``. A value
is a path (``@...``, ``$...``), a string in single or double quotes, a number, ``true``, ``false``,
``null``, a JSON array or object, or ``/regex/flags``. Symbolic operators may touch their operands
(``@.a>1``); word operators (``in``, ``nin``, ``subsetof``, ``anyof``, ``noneof``, ``size``,
``empty``, ``contains``) need spaces. A path alone tests existence; ``!`` before a path alone tests
absence (before a path that is compared, Jayway ignores it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sfnlocal.language.jsonpath.cursor import Cursor
from sfnlocal.language.jsonpath.errors import InvalidPath, Refused, RefusedPattern
from sfnlocal.language.jsonpath.filters import Comparison, Condition, Junction, Negation, PathSide, Readable, Side
from sfnlocal.language.jsonpath.operands import (
    FALSE,
    NULL,
    TRUE,
    Json,
    Number,
    Pattern,
    Text,
    read_decimal,
    string_literal,
)
from sfnlocal.language.jsonpath.relations import RELATIONS, exists
from sfnlocal.language.jsonpath.steps import Read
from sfnlocal.language.linear_regex import RegexRefused, compile_linear

_OPERATOR_CHARS = "<>=~!"
_NUMBER_CHARS = re.compile(r"[0-9.eE-]*")
# Java regex flags by letter, as RE2 reads them inline. RE2's classes (\w, \d, ...) are ASCII as Java's are
# unless asked (U); its case folding is Unicode's where Java's is ASCII's unless asked (u). d (Unix lines)
# changes nothing RE2 distinguishes; x (comments) RE2 does not have.
_FLAGS = {"i": "i", "m": "m", "s": "s"}
_FLAG_LETTERS = "dixmsuU"
# What Java's regex has and RE2 has not: lookaround and backreferences.
_JAVA_ONLY = re.compile(r"\(\?<?[=!]|\\[1-9]|\\k<")


class _Malformed(Exception):
    """A literal Jayway cannot read (a bad number or regex): reported as a failure to parse the filter."""


def compile_filter(criteria: str, compile_path: Callable[[str], Any]) -> Condition:
    """Compile ``[?(...)]``; ``compile_path`` compiles the paths inside it.

    >>> from sfnlocal.language.jsonpath.compiler import compile_inner
    >>> compile_filter("[?(@.a > 1 && !(@.b))]", compile_inner).text()
    '(@.a > 1 && !@.b)'
    """
    cursor = Cursor(criteria).trim()
    if not (cursor.current_is("[") and cursor.last_is("]")):
        raise InvalidPath(f"Filter must start with '[' and end with ']'. {criteria}")
    cursor.pos += 1
    cursor.end -= 1
    cursor.trim()
    if not cursor.current_is("?"):
        raise InvalidPath(f"Filter must start with '[?' and end with ']'. {criteria}")
    cursor.pos += 1
    cursor.trim()
    if not (cursor.current_is("(") and cursor.last_is(")")):
        raise InvalidPath(f"Filter must start with '[?(' and end with ')]'. {criteria}")
    reader = _FilterCompiler(cursor, compile_path)
    try:
        condition = reader.any_of()
        cursor.skip_blanks()
        if cursor.in_bounds():
            raise InvalidPath(f"Expected end of filter expression instead of: {cursor.text[cursor.pos : cursor.end]}")
    except InvalidPath:
        raise
    except _Malformed:
        raise InvalidPath(
            f"Failed to parse filter: {cursor.text}, error on position: {cursor.pos}, "
            f"char: {cursor.text[cursor.pos] if cursor.pos < len(cursor.text) else ''}"
        ) from None
    except RecursionError:  # the grammar recurses per '(' and '!': a filter nested too deeply for Python's stack
        raise InvalidPath(
            f"Failed to parse filter: it is nested too deeply (sfnlocal's limit): {criteria[:80]}"
        ) from None
    return condition


class _FilterCompiler:
    __slots__ = ("c", "compile_path")

    def __init__(self, cursor: Cursor, compile_path: Callable[[str], Any]) -> None:
        self.c = cursor
        self.compile_path = compile_path

    def any_of(self) -> Condition:
        return self.joined("||", self.all_of)

    def all_of(self) -> Condition:
        return self.joined("&&", self.operand)

    def joined(self, operator: str, part: Callable[[], Condition]) -> Condition:
        """``part (operator part)*``: one part, or the junction of several."""
        parts = [part()]
        while True:
            saved = self.c.pos
            if not self.c.take(operator):
                self.c.pos = saved
                break
            parts.append(part())
        return parts[0] if len(parts) == 1 else Junction(parts, operator)

    def operand(self) -> Condition:
        c = self.c
        saved = c.skip_blanks().pos
        if c.current_is("!"):
            c.read_significant("!")
            if c.skip_blanks().current() in "$@":
                c.pos = saved  # '!@.a': an absence test, read as a comparison
            else:
                return Negation(self.operand())
        if c.skip_blanks().current_is("("):
            c.read_significant("(")
            inner = self.any_of()
            c.read_significant(")")
            return inner
        return self.comparison()

    def comparison(self) -> Condition:
        c = self.c
        left = self.value()
        saved = c.pos
        try:
            operator = self.operator()
            right = self.value()
            return Comparison(left, operator, RELATIONS[operator], right)
        except Refused:
            raise
        except InvalidPath:
            c.pos = saved
        if not isinstance(left, PathSide):
            raise InvalidPath("Expected path node")
        left.exists_check = True
        expected = Side(TRUE, "true") if left.should_exist else Side(FALSE, "false")
        return Comparison(left, "EXISTS", exists, expected)

    def operator(self) -> str:
        c = self.c
        start = c.skip_blanks().pos
        if c.in_bounds() and c.current() in _OPERATOR_CHARS:
            while c.in_bounds() and c.current() in _OPERATOR_CHARS:
                c.pos += 1
        else:
            while c.in_bounds() and c.current() != " ":
                c.pos += 1
        operator = c.text[start : c.pos]
        name = operator if operator[:1] in _OPERATOR_CHARS else operator.upper()
        if name not in RELATIONS or name == "EXISTS" and operator[:1] in _OPERATOR_CHARS:
            raise InvalidPath(f"Filter operator {operator} is not supported!")
        return name

    def value(self) -> Side:
        c = self.c
        char = c.skip_blanks().current()
        if char in "$@":
            return self.path()
        if char == "!":
            c.pos += 1
            if c.skip_blanks().current() in "$@":
                return self.path()
            raise InvalidPath("Unexpected character: !")
        return self.literal()

    def literal(self) -> Side:
        char = self.c.skip_blanks().current()
        if char in "'\"":
            return self.string(char)
        if char in "tf":
            return self.boolean()
        if char == "n":
            return self.null()
        if char in "{[":
            return self.json(char)
        if char == "/":
            return self.pattern()
        return self.number()

    def string(self, quote: str) -> Side:
        c = self.c
        close = c.index_of_unescaped(quote, c.pos)
        if close == -1:
            raise InvalidPath(f"String literal does not have matching quotes. Expected {quote} in {c.text}")
        text = c.text[c.pos : close + 1]
        c.pos = close + 1
        return Side(Text(string_literal(text)), text)

    def boolean(self) -> Side:
        c = self.c
        length = 4 if c.current() == "t" else 5
        if not c.in_bounds(c.pos + length - 1):
            raise InvalidPath("Expected boolean literal")
        text = c.text[c.pos : c.pos + length]
        if text not in ("true", "false"):
            raise InvalidPath("Expected boolean literal")
        c.pos += length
        return Side(TRUE if text == "true" else FALSE, text)

    def null(self) -> Side:
        c = self.c
        if c.in_bounds(c.pos + 3) and c.text[c.pos : c.pos + 4] == "null":
            c.pos += 4
            return Side(NULL, "null")
        raise InvalidPath("Expected <null> value")

    def number(self) -> Side:
        c = self.c
        match = _NUMBER_CHARS.match(c.text, c.pos, c.end)
        assert match is not None  # the pattern matches the empty string
        value = read_decimal(match.group())
        if value is None:
            raise _Malformed(match.group())
        c.pos = match.end()
        return Side(Number(value), match.group())

    def json(self, opening: str) -> Side:
        c = self.c
        close = c.matching_close(c.pos, opening, "]" if opening == "[" else "}")
        if close == -1:
            raise InvalidPath(f"String not closed. Expected ' in {c.text}")
        text = c.text[c.pos : close + 1]
        c.pos = close + 1
        return Side(Json(literal=text), text)

    def pattern(self) -> Side:
        c = self.c
        start = c.pos
        close = c.index_of_unescaped("/", c.pos)
        if close == -1:
            raise InvalidPath(f"Pattern not closed. Expected / in {c.text}")
        flags_end = close + 1
        while c.in_bounds(flags_end) and c.text[flags_end] in _FLAG_LETTERS:
            flags_end += 1
        c.pos = flags_end
        text = c.text[start : c.pos]
        last = text.rindex("/")
        return Side(Pattern(_regex(text[text.index("/") + 1 : last], text[last + 1 :])), text)

    def path(self) -> PathSide:
        c = self.c
        absent = c.previous_significant() == "!"
        start = c.pos
        c.pos += 1
        while c.in_bounds():
            if c.current() == "[":
                close = c.matching_close(c.pos, "[", "]")
                if close == -1:
                    raise InvalidPath(f"Square brackets does not match in filter {c.text}")
                c.pos = close + 1
            char = c.current()
            closes_group = char == ")" and not self.closes_function(start)
            if not c.in_bounds() or char in _OPERATOR_CHARS or char == " " or closes_group:
                break
            c.pos += 1
        text = c.text[start : c.pos]
        path: Readable = self.compile_path(text)
        side = PathSide(path, _document_of(path, text), text)
        side.should_exist = not absent
        return side

    def closes_function(self, start: int) -> bool:
        """Whether the ``)`` at the cursor ends a function call written in the path (``@.a.length()``)."""
        c = self.c
        index = c.pos - 1
        while index >= 0 and c.text[index] == " ":
            index -= 1
        if index < 0 or c.text[index] != "(":
            return False
        return "." in c.text[start + 1 : index]


def _document_of(path: Any, text: str) -> Callable[[Any, Read], Any]:
    """What a path in a filter starts from: the candidate (``@``), a variable, or the root document."""
    if text.lstrip().startswith("@"):
        return lambda item, read: item
    return lambda item, read: path.origin(read)


def _regex(source: str, flags: str) -> Any:
    """The pattern on RE2, so that no text can make a match take exponential time (Jayway's Java
    regex backtracks); a pattern RE2 refuses (lookaround, backreferences, the x flag) is refused here."""
    if "x" in flags:
        raise RefusedPattern(
            f"sfnlocal matches =~ patterns with RE2, which has no x (comments) flag: /{source}/{flags}"
        )
    try:
        return compile_linear(source, "".join(sorted({_FLAGS[letter] for letter in flags if letter in _FLAGS})))
    except RegexRefused as err:
        if _JAVA_ONLY.search(source):
            raise RefusedPattern(
                f"sfnlocal matches =~ patterns with RE2, which has no lookaround or backreferences: /{source}/ ({err})"
            ) from None
        raise _Malformed(str(err)) from None
