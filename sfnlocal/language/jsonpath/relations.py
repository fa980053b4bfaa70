"""The comparison operators of a filter, each with Jayway JsonPath's rules (its ``EvaluatorFactory``).

``<``, ``<=``, ``>``, ``>=`` compare two numbers or two strings (as Java orders them, by UTF-16 code
unit); anything else, a string with a number included, is false. ``=~`` fully matches a string, a
number's text or a boolean's text (anything else is matched as ``""``), or any element of an array.
``in``/``nin`` look the left value up in an array; ``subsetof``, ``anyof``, ``noneof`` compare two
arrays; ``size`` is a string's or an array's length; ``empty`` tests a string, array or object;
``contains`` a substring or an element. ``all``, ``matches`` and ``type`` need operands an inline
filter cannot write, so they never match.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sfnlocal.language.jsonpath.errors import EvaluationFailure, UnreadablePath
from sfnlocal.language.jsonpath.operands import (
    Boolean,
    Json,
    Number,
    Operand,
    Pattern,
    Text,
    as_boolean,
    as_text,
)
from sfnlocal.language.jsontext import lone_surrogate

Relation = Callable[[Operand, Operand], bool]


def _order(left: Operand, right: Operand) -> int | None:
    """-1, 0 or 1 when the two can be ordered (two numbers, or two strings), else None."""
    a: Decimal | str | bytes
    b: Decimal | str | bytes
    if isinstance(left, Number) and isinstance(right, Number):
        if left.value is None or right.value is None:
            return None
        a, b = left.value, right.value
    elif isinstance(left, Text) and isinstance(right, Text):
        a, b = left.value, right.value
        if not (a.isascii() and b.isascii()):
            # Java orders strings by UTF-16 code unit, which differs from code points beyond the BMP.
            a, b = a.encode("utf-16-be"), b.encode("utf-16-be")
    else:
        return None
    return (a > b) - (a < b)  # type: ignore[operator]


def _ordered(test: Callable[[int], bool]) -> Relation:
    def relate(left: Operand, right: Operand) -> bool:
        order = _order(left, right)
        return order is not None and test(order)

    return relate


def equal(left: Operand, right: Operand) -> bool:
    """``==``."""
    if isinstance(left, Json) and isinstance(right, Json):
        return left.equals_json(right)
    return left.equals(right)


def strictly_equal(left: Operand, right: Operand) -> bool:
    """``===``: of the same kind, and equal."""
    return type(left) is type(right) and equal(left, right)


def _matched_text(operand: Operand) -> str:
    if isinstance(operand, (Text, Number)):
        text = as_text(operand)
        # RE2 reads UTF-8, which cannot hold a lone surrogate; Java matches it as a code unit, which no
        # pattern RE2 reads can name, so the replacement character matches the same patterns.
        if lone_surrogate(text) is None:
            return text
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if isinstance(operand, Boolean):
        return "true" if operand.value else "false"
    return ""


def matches(left: Operand, right: Operand) -> bool:
    """``=~``: a full match of the one pattern against the other side."""
    if isinstance(left, Pattern) == isinstance(right, Pattern):
        return False
    pattern, subject = (left, right) if isinstance(left, Pattern) else (right, left)
    assert isinstance(pattern, Pattern)
    if isinstance(subject, Json) and isinstance(subject.value(), list):
        items = subject.items() or []
        return any(pattern.regex.fullmatch(_matched_text(item)) for item in items)
    return pattern.regex.fullmatch(_matched_text(subject)) is not None


def _java_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def size(left: Operand, right: Operand) -> bool:
    """``size n``: the length of a string or an array."""
    if not isinstance(right, Number) or right.value is None:
        return False
    expected = int(right.value)
    if isinstance(left, Text):
        return _java_length(left.value) == expected
    return isinstance(left, Json) and left.length() == expected


def empty(left: Operand, right: Operand) -> bool:
    """``empty true|false``."""
    if isinstance(left, Text):
        return (left.value == "") == as_boolean(right)
    if isinstance(left, Json):
        return left.is_empty() == as_boolean(right)
    return False


def _items(operand: Operand) -> list[Operand] | None:
    """An operand as the list of values it holds: None for JSON that is no array."""
    if isinstance(operand, Json):
        return operand.items()
    raise UnreadablePath("Expected value list node")


def _contains(items: list[Operand], operand: Operand) -> bool:
    return any(operand.equals(item) for item in items)


def is_in(left: Operand, right: Operand) -> bool:
    """``in``: the left value is an element of the right array."""
    items = _items(right)
    return items is not None and _contains(items, left)


def not_in(left: Operand, right: Operand) -> bool:
    """``nin``."""
    return not is_in(left, right)


def contains(left: Operand, right: Operand) -> bool:
    """``contains``: a substring of a string, or an element of an array."""
    if isinstance(left, Text) and isinstance(right, Text):
        return right.value in left.value
    if isinstance(left, Json):
        items = left.items()
        return items is not None and _contains(items, right)
    return False


def _both_lists(left: Operand, right: Operand) -> tuple[list[Operand], list[Operand]] | None:
    right_items = _items(right)
    if right_items is None:
        return None
    left_items = _items(left)
    return None if left_items is None else (left_items, right_items)


def subset_of(left: Operand, right: Operand) -> bool:
    """``subsetof``: every element of the left array is in the right one."""
    lists = _both_lists(left, right)
    return lists is not None and all(_contains(lists[1], item) for item in lists[0])


def any_of(left: Operand, right: Operand) -> bool:
    """``anyof``: the two arrays share an element."""
    lists = _both_lists(left, right)
    return lists is not None and any(a.equals(b) for a in lists[0] for b in lists[1])


def none_of(left: Operand, right: Operand) -> bool:
    """``noneof``: the two arrays share no element (false when either side is no array)."""
    lists = _both_lists(left, right)
    return lists is not None and not any(a.equals(b) for a in lists[0] for b in lists[1])


def exists(left: Operand, right: Operand) -> bool:
    """A path on its own (``[?(@.a)]``, ``[?(!@.a)]``): whether it exists, as the filter asked."""
    if not isinstance(left, Boolean) and not isinstance(right, Boolean):
        raise EvaluationFailure("Failed to evaluate exists expression")
    return as_boolean(left) == as_boolean(right)


def _unwritable(left: Operand, right: Operand) -> bool:
    raise UnreadablePath("Expected an operand an inline filter cannot write")


RELATIONS: dict[str, Relation] = {
    "==": equal,
    "!=": lambda left, right: not equal(left, right),
    "===": strictly_equal,
    "!==": lambda left, right: not strictly_equal(left, right),
    "<": _ordered(lambda order: order < 0),
    "<=": _ordered(lambda order: order <= 0),
    ">": _ordered(lambda order: order > 0),
    ">=": _ordered(lambda order: order >= 0),
    "=~": matches,
    "IN": is_in,
    "NIN": not_in,
    "CONTAINS": contains,
    "SUBSETOF": subset_of,
    "ANYOF": any_of,
    "NONEOF": none_of,
    "SIZE": size,
    "EMPTY": empty,
    "EXISTS": exists,
    "ALL": _unwritable,
    "MATCHES": _unwritable,
    "TYPE": _unwritable,
}
