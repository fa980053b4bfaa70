"""The values a filter compares, with Jayway JsonPath's rules for comparing them.

Each side of a comparison becomes an operand: a string, a number (a ``BigDecimal`` in Jayway, a
``Decimal`` here), a boolean, null, *undefined* (a path that found nothing: equal to nothing), a JSON
array or object (from the document, or a literal such as ``['S','M']``), or a ``/regex/flags``.
Jayway's equality is Java's ``left.equals(right)``: a string equals a number with the same text, a
number equals a string that reads as the same number; a literal array is never equal to anything.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sfnlocal.language.jsonpath.errors import EvaluationFailure, UnreadablePath
from sfnlocal.language.jsonpath.escapes import unescape
from sfnlocal.language.jsonpath.javatext import KeySet, decimal_of, java_text
from sfnlocal.language.jsonpath.lenient_json import LenientJsonError, parse_lenient

# What BigDecimal(String) accepts.
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class Operand:
    """One side of a comparison in a filter."""

    __slots__ = ()

    def equals(self, other: Operand) -> bool:
        """Java's ``this.equals(other)`` for Jayway's value nodes."""
        return False


class Text(Operand):
    """A string."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def equals(self, other: Operand) -> bool:
        return isinstance(other, (Text, Number)) and self.value == as_text(other)


class Number(Operand):
    """A number; ``value`` is None for a string that does not read as one (Jayway's ``NumberNode.NAN``)."""

    __slots__ = ("value",)

    def __init__(self, value: Decimal | None) -> None:
        self.value = value

    def equals(self, other: Operand) -> bool:
        if not isinstance(other, (Text, Number)):
            return False
        that = as_number(other)
        return that is not None and self.value == that


class Boolean(Operand):
    """``true`` or ``false``."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def equals(self, other: Operand) -> bool:
        return isinstance(other, Boolean) and other.value is self.value


class Null(Operand):
    """``null``."""

    __slots__ = ()

    def equals(self, other: Operand) -> bool:
        return isinstance(other, Null)


class Undefined(Operand):
    """What a path that found nothing stands for: equal to nothing, not even itself."""

    __slots__ = ()


class Opaque(Operand):
    """A string in a list that Jayway reads as a path (``"$.x"``): equal to nothing."""

    __slots__ = ()


class Pattern(Operand):
    """A ``/regex/flags`` literal, compiled by RE2 (:mod:`sfnlocal.language.linear_regex`)."""

    __slots__ = ("regex",)

    def __init__(self, regex: Any) -> None:
        self.regex = regex

    def equals(self, other: Operand) -> bool:
        return other is self


class Json(Operand):
    """A JSON array or object: a value from the document, or a literal still as its text."""

    __slots__ = ("literal", "_value", "_parsed")

    def __init__(self, value: Any = None, literal: str | None = None) -> None:
        self.literal = literal
        self._value = value
        self._parsed = literal is None

    def value(self) -> Any:
        """The value, reading a literal on first use."""
        if not self._parsed:
            assert self.literal is not None
            try:
                self._value = parse_lenient(self.literal)
            except LenientJsonError as err:
                raise EvaluationFailure(f"java.lang.IllegalArgumentException: {err}") from None
            self._parsed = True
        return self._value

    def raw(self) -> Any:
        """What Jayway's ``equals`` compares: a literal's text, or a document's value."""
        return self.literal if self.literal is not None else self._value

    def equals(self, other: Operand) -> bool:
        return isinstance(other, Json) and java_equals(self.raw(), other.raw())

    def equals_json(self, other: Json) -> bool:
        """``==`` between two JSON operands: this one's raw value against the other's value."""
        return java_equals(self.raw(), other.value())

    def items(self) -> list[Operand] | None:
        """The elements as operands when this is an array, else None (Jayway's undefined value list)."""
        value = self.value()
        return [element_operand(item) for item in value] if isinstance(value, list) else None

    def length(self) -> int:
        """An array's size, else -1."""
        value = self.value()
        return len(value) if isinstance(value, list) else -1

    def is_empty(self) -> bool:
        """An empty array or string; true of anything else but an object, which Jayway cannot test."""
        value = self.value()
        if isinstance(value, dict):
            raise EvaluationFailure(_NOT_A_COLLECTION[self.literal is None])
        return len(value) == 0 if isinstance(value, (list, str)) else True


# Java's ClassCastException for an object tested with 'empty': a document's map, or a literal's.
_NOT_A_COLLECTION = {
    True: "class java.util.LinkedHashMap cannot be cast to class java.util.Collection (java.util.LinkedHashMap "
    "and java.util.Collection are in module java.base of loader 'bootstrap')",
    False: "class net.minidev.json.JSONObject cannot be cast to class java.util.Collection "
    "(net.minidev.json.JSONObject is in unnamed module of loader 'app'; java.util.Collection is in module java.base "
    "of loader 'bootstrap')",
}
UNDEFINED = Undefined()
NULL = Null()
TRUE = Boolean(True)
FALSE = Boolean(False)


def as_text(operand: Operand) -> str:
    """The operand as a string node: a number's ``BigDecimal`` text."""
    if isinstance(operand, Text):
        return operand.value
    if isinstance(operand, Number) and operand.value is not None:
        return str(operand.value)  # Decimal and BigDecimal write numbers alike
    raise UnreadablePath("Expected string node")


def as_number(operand: Operand) -> Decimal | None:
    """The operand as a number node: a string that does not read as a number is None (NaN)."""
    if isinstance(operand, Number):
        return operand.value
    if isinstance(operand, Text):
        return read_decimal(operand.value)
    raise UnreadablePath("Expected number node")


def as_boolean(operand: Operand) -> bool:
    """The operand as a boolean node."""
    if isinstance(operand, Boolean):
        return operand.value
    raise UnreadablePath("Expected boolean node")


def read_decimal(text: str) -> Decimal | None:
    """The number a string spells as ``new BigDecimal(text)`` reads it, or None.

    >>> read_decimal("1e2"), read_decimal(" 1"), read_decimal("NaN")
    (Decimal('1E+2'), None, None)
    """
    if not _DECIMAL.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None


def value_operand(value: Any) -> Operand:
    """The operand for a value a path found in the document.

    >>> [type(value_operand(v)).__name__ for v in ("a", 1, True, None, [1], {"k": 1})]
    ['Text', 'Number', 'Boolean', 'Null', 'Json', 'Json']
    """
    if isinstance(value, str):
        return Text(value)
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, (int, float)):
        return Number(decimal_of(value))
    if value is None:
        return NULL
    if isinstance(value, KeySet):
        raise EvaluationFailure(
            f"Could not convert class java.util.LinkedHashMap$LinkedKeySet:{java_text(value)} to a ValueNode"
        )
    return Json(value)


def element_operand(value: Any) -> Operand:
    """The operand for an element of an array being compared (Jayway's ``ValueNode.toValueNode``): strings
    are unescaped and may turn out to be paths or JSON text; nested arrays and objects cannot be compared."""
    if value is None:
        return NULL
    if isinstance(value, str):
        trimmed = value.strip()
        if trimmed[:1] in ("$", "@") and _compiles(trimmed):
            return Opaque()
        if len(trimmed) > 1 and (trimmed[0], trimmed[-1]) in (("[", "]"), ("{", "}")):
            try:
                parse_lenient(trimmed)
            except LenientJsonError:
                pass
            else:
                return Json(literal=value)
        return Text(string_literal(value))
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, (int, float)):
        return Number(decimal_of(value))
    raise EvaluationFailure("Could not determine value type")


def _compiles(text: str) -> bool:
    # Imported here: the compiler builds operands, and this asks the compiler.
    from sfnlocal.language.jsonpath.compiler import compile_jsonpath
    from sfnlocal.language.jsonpath.errors import InvalidPath

    try:
        compile_jsonpath(text)
    except InvalidPath:
        return False
    return True


def string_literal(text: str) -> str:
    """A string as Jayway reads a quoted literal: surrounding quotes dropped, escapes read.

    >>> string_literal("'it\\\\'s'"), string_literal('"a\\\\tb"')
    ("it's", 'a\\tb')
    """
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return unescape(text)


def java_equals(left: Any, right: Any) -> bool:
    """Java's ``equals`` between two values read from JSON: an integer never equals a double, and a
    boolean never equals a number.

    >>> java_equals([1, {"a": 1.0}], [1, {"a": 1.0}]), java_equals(1, 1.0), java_equals(True, 1)
    (True, False, False)
    """
    if type(left) is not type(right):
        return False
    if isinstance(left, list):
        return len(left) == len(right) and all(map(java_equals, left, right))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(java_equals(value, right[key]) for key, value in left.items())
    return bool(left == right)
