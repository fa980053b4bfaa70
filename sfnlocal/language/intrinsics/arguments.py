"""Checking and converting the argument values a function receives at run time.

A bad argument raises :class:`ArgumentProblem` with a sentence for a human; the function's call
adds its name and :class:`sfnlocal.language.intrinsics.compiler.CompiledIntrinsic` turns it into AWS's
``States.Runtime`` failure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sfnlocal.language.jsontext import compact_json

# AWS documents this range for States.MathAdd ("in the range of -2147483648 and 2147483647").
INT32_MIN = -2_147_483_648
INT32_MAX = 2_147_483_647
_SHOWN_CHARS = 80


class ArgumentProblem(Exception):
    """An argument value a function cannot use; ``detail`` says why."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def describe(value: Any) -> str:
    """A value as a message shows it: its JSON type and (shortened) JSON text.

    >>> describe("abc"), describe(None), describe([1, 2])
    ('the string "abc"', 'null', 'the array [1,2]')
    """
    if value is None:
        return "null"
    kind = {bool: "boolean", str: "string", list: "array", dict: "object"}.get(type(value), "number")
    try:
        shown = compact_json(value)
    except (TypeError, ValueError):
        shown = repr(value)
    if len(shown) > _SHOWN_CHARS:
        shown = shown[:_SHOWN_CHARS] + "..."
    return f"the {kind} {shown}"


def _problem(args: Sequence[Any], index: int, wanted: str) -> ArgumentProblem:
    return ArgumentProblem(f"argument {index + 1} must be {wanted}, but it is {describe(args[index])}")


def string_arg(args: Sequence[Any], index: int, max_length: int | None = None) -> str:
    """Argument ``index`` (0-based) as a string, at most ``max_length`` characters long.

    >>> string_arg(["a"], 0)
    'a'
    """
    value = args[index]
    if not isinstance(value, str):
        raise _problem(args, index, "a string")
    if max_length is not None and len(value) > max_length:
        raise ArgumentProblem(
            f"argument {index + 1} must be at most {max_length} characters long, but it has {len(value)}"
        )
    return value


def array_arg(args: Sequence[Any], index: int) -> list[Any]:
    """Argument ``index`` as a JSON array.

    >>> array_arg([[1]], 0)
    [1]
    """
    value = args[index]
    if not isinstance(value, list):
        raise _problem(args, index, "an array")
    return value


def object_arg(args: Sequence[Any], index: int) -> dict[str, Any]:
    """Argument ``index`` as a JSON object.

    >>> object_arg([{"a": 1}], 0)
    {'a': 1}
    """
    value = args[index]
    if not isinstance(value, dict):
        raise _problem(args, index, "an object")
    return value


def boolean_arg(args: Sequence[Any], index: int) -> bool:
    """Argument ``index`` as a boolean.

    >>> boolean_arg([False], 0)
    False
    """
    value = args[index]
    if not isinstance(value, bool):
        raise _problem(args, index, "a boolean")
    return value


def round_half_up(value: float) -> int:
    """Round as Java's ``Math.round`` does: to the nearest integer, halves towards +infinity.

    AWS rounds non-integer arguments of MathAdd this way: the recorded MathAdd(-0.5, 0.5) is 1,
    MathAdd(-2.5, 0) is -2 and MathAdd(2.5, 0) is 3.

    >>> round_half_up(2.5), round_half_up(-2.5), round_half_up(-1.51), round_half_up(0.49999999999999994)
    (3, -2, -2, 0)
    """
    floor = math.floor(value)
    return floor + 1 if value - floor >= 0.5 else floor


def integer_arg(args: Sequence[Any], index: int, minimum: int | None = None, maximum: int | None = None) -> int:
    """Argument ``index`` as an integer: a number, rounded if it has a fraction, within the bounds.

    >>> integer_arg([1.5], 0), integer_arg([7], 0, minimum=1)
    (2, 7)
    """
    value = args[index]
    if type(value) is int:
        number = value
    elif isinstance(value, float) and math.isfinite(value):
        number = round_half_up(value)
    else:
        raise _problem(args, index, "a number")
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        low = "" if minimum is None else f" at least {minimum}"
        high = "" if maximum is None else f" at most {maximum}"
        joiner = " and" if low and high else ""
        raise ArgumentProblem(
            f"argument {index + 1} must be an integer{low}{joiner}{high}, but it is {describe(value)}"
        )
    return number
