"""Values as text: compact JSON (States.JsonToString, messages) and States.Format's rendering.

AWS runs on the JVM, and States.Format shows a non-string value the way Java's ``toString`` does:
the recorded ``States.Format('{}', $.x)`` of ``{"Arg1": 1, "Arg2": []}`` is ``{Arg1=1, Arg2=[]}``,
of ``null`` is ``null``, of ``1.1`` is ``1.1``. Doubles follow ``Double.toString`` (``1.0``,
``1.0E20``, ``1.5E-5``).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any


def java_double(value: float) -> str:
    """A float as Java's ``Double.toString`` writes it.

    >>> java_double(1.0), java_double(1.1), java_double(1e20), java_double(0.000015), java_double(12345678.9)
    ('1.0', '1.1', '1.0E20', '1.5E-5', '1.23456789E7')
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        plain = format(Decimal(repr(value)), "f")
        return plain if "." in plain else plain + ".0"
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple))
    scientific_exponent = len(digits) + int(exponent) - 1
    digits = digits.rstrip("0") or "0"
    mantissa = digits[0] + "." + (digits[1:] or "0")
    return f"{'-' if sign else ''}{mantissa}E{scientific_exponent}"


def format_text(value: Any) -> str:
    """A value as States.Format inserts it: strings as they are, the rest as Java prints them.

    >>> format_text({"Arg1": 1, "Arg2": [True, None, "x", 2.0]})
    '{Arg1=1, Arg2=[true, null, x, 2.0]}'
    """
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(format_text, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={format_text(item)}" for key, item in value.items()) + "}"
    return str(value)
