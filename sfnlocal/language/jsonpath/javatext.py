"""How Java writes the values Jayway JsonPath meets: numbers as ``Double.toString`` and
``BigDecimal.toString`` write them, containers as Jayway's default JSON provider (json-smart) prints
them, and the Java class a value has there.

Jayway compares a number with a string as text and matches regular expressions against a number's
text, and it names values this way in its messages (``Current context is: {a=1}``), which AWS quotes.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

# The JSON provider Jayway uses by default, named in its messages about a value of the wrong type.
JSON_PROVIDER = "com.jayway.jsonpath.spi.json.JsonSmartJsonProvider"
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1


class KeySet(tuple[str, ...]):
    """What ``keys()`` answers: a Java key set, which Jayway's provider does not take for an array (an index
    or a function after ``keys()`` finds no array); written out as a JSON array.

    >>> java_text(KeySet(["a", "b"])), java_class(KeySet(["a"]))
    ('[a, b]', 'java.util.LinkedHashMap$LinkedKeySet')
    """

    __slots__ = ()


def java_double_text(value: float) -> str:
    """``Double.toString``: plain from 10^-3 up to 10^7, otherwise ``d.dddE±n``; always a digit after the point.

    >>> [java_double_text(v) for v in (1.0, 0.5, 12345678.0, 1e20, 0.0001, -2.5e-7, 100.0)]
    ['1.0', '0.5', '1.2345678E7', '1.0E20', '1.0E-4', '-2.5E-7', '100.0']
    >>> [java_double_text(v) for v in (float("inf"), float("-inf"), float("nan"))]
    ['Infinity', '-Infinity', 'NaN']
    """
    if value != value:  # (an intrinsic can make one before the payload checks refuse it)
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if str(value).startswith("-") else "0.0"
    if abs(value) == 5e-324:  # Double.MIN_VALUE, which Java writes with two digits
        return "-4.9E-324" if value < 0 else "4.9E-324"
    sign = "-" if value < 0 else ""
    # repr gives the shortest digits that read back as the same double, as Java's algorithm does.
    digits_tuple = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digits_tuple.digits))
    exponent = len(digits) + int(digits_tuple.exponent) - 1  # of the first digit
    if -3 <= exponent < 7:
        if exponent >= 0:
            whole, fraction = digits[: exponent + 1].ljust(exponent + 1, "0"), digits[exponent + 1 :]
        else:
            whole, fraction = "0", "0" * (-exponent - 1) + digits
        return f"{sign}{whole}.{fraction or '0'}"
    return f"{sign}{digits[0]}.{digits[1:] or '0'}E{exponent}"


def java_number_text(value: int | float) -> str:
    """A JSON number as Java writes the object json-smart reads it into (Integer, Long, BigInteger or Double).

    >>> java_number_text(3), java_number_text(3.0), java_number_text(2**70)
    ('3', '3.0', '1180591620717411303424')
    """
    return str(value) if isinstance(value, int) else java_double_text(value)


def decimal_of(value: int | float) -> Decimal:
    """The ``BigDecimal`` Jayway makes of a number in a filter (from its Java text).

    >>> decimal_of(1.0), decimal_of(7)
    (Decimal('1.0'), Decimal('7'))
    """
    return Decimal(java_number_text(value))


def java_class(value: Any) -> str:
    """The Java class json-smart reads a JSON value into, as Jayway names it in messages.

    >>> [java_class(v) for v in (None, True, 1, 2**40, 1.5, "s", [], {})]
    ['null', 'java.lang.Boolean', 'java.lang.Integer', 'java.lang.Long', 'java.lang.Double', \
'java.lang.String', 'net.minidev.json.JSONArray', 'java.util.LinkedHashMap']
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        if _INT_MIN <= value <= _INT_MAX:
            return "java.lang.Integer"
        return "java.lang.Long" if _LONG_MIN <= value <= _LONG_MAX else "java.math.BigInteger"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    if isinstance(value, KeySet):
        return "java.util.LinkedHashMap$LinkedKeySet"
    return "net.minidev.json.JSONArray" if isinstance(value, list) else "java.util.LinkedHashMap"


def java_text(value: Any) -> str:
    """``toString()`` of the Java object: a map as ``{k=v, ...}``, an array as json-smart's JSON text.

    >>> java_text({"x": [1, "s/"], "y": {"z": None}, "f": 1.5})
    '{x=[1,"s\\\\/"], y={z=null}, f=1.5}'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return java_number_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={java_text(item)}" for key, item in value.items()) + "}"
    if isinstance(value, KeySet):
        return "[" + ", ".join(map(java_text, value)) + "]"
    return json_smart_text(value)


def json_smart_text(value: Any) -> str:
    """JSON text as json-smart writes it: compact, doubles as Java writes them, ``/`` escaped.

    >>> json_smart_text([1.0, "a/b", {"k": None}])
    '[1.0,"a\\\\/b",{"k":null}]'
    """
    if isinstance(value, dict):
        return "{" + ",".join(f"{json_smart_text(key)}:{json_smart_text(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(json_smart_text(item) for item in value) + "]"
    if isinstance(value, float):
        return java_double_text(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("/", "\\/")
    return json.dumps(value)
