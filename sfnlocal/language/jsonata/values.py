"""JSON values in and out of jsonata-python, whose ``None`` means "undefined" rather than ``null``.

In: a JSON ``null`` becomes the engine's ``NULL_VALUE``. The engine already reads a ``None``
member of an object as null, but not a ``None`` item of an array (``$map`` would drop it), nor a
``None`` variable (``$x`` would be undefined). Containers are copied only where a null is replaced.

Out: the result becomes plain JSON, always in new containers, so it never aliases the input. The walk
counts against the evaluation's work (:mod:`sfnlocal.language.jsonata.bounds`): a result that holds one
part many times over is made as many times, and must stay within the bound. A
number is written as AWS writes it: an integral one as an integer (``3.0`` is ``3``; JavaScript has
no such distinction), exact while it fits in a long and a double beyond (as AWS keeps integers). A
number JSON cannot hold (``1/0``, a result beyond a double's range) is written as the text JavaScript names it by,
``"Infinity"``, ``"-Infinity"`` or ``"NaN"``: AWS answers ``"Infinity"`` for ``1/0`` and
``["Infinity"]`` for ``[1/0]`` (measured on AWS, floci-io/floci#2737 and #2783; jsonata-js itself
gives Infinity, which JSON.stringify would write as null). A function anywhere in it is
:class:`UnsupportedResult`.
"""

from __future__ import annotations

import math
import sys
from typing import Any

from sfnlocal.language.jsonata.bounds import ITEMS_PER_UNIT, spend
from sfnlocal.language.jsonata.library import Utils
from sfnlocal.language.jsonata.numbers import MAX_SAFE_INTEGER
from sfnlocal.language.jsonata.outcome import UNDEFINED, UnsupportedResult

NULL = Utils.NULL_VALUE
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
_MAX_DOUBLE = sys.float_info.max
_LONG_TEXT = 1024  # characters of a text from which its length counts as work (see bounds)


def to_engine(value: Any) -> Any:
    """A JSON value as the engine must see it; the same object when it holds no null.

    >>> to_engine(None) is NULL, to_engine([1, None])[1] is NULL
    (True, True)
    >>> data = {"a": [1, 2], "b": {"c": "d"}}
    >>> to_engine(data) is data
    True
    """
    if value is None:
        return NULL
    kind = type(value)
    if kind is dict or kind is list:  # converted copy on write: an unchanged container is returned as is
        copy: Any = None
        for key, member in value.items() if kind is dict else enumerate(value):
            new = to_engine(member)
            if new is not member:
                if copy is None:
                    copy = kind(value)
                copy[key] = new
        return value if copy is None else copy
    return value


def to_json(value: Any) -> Any:
    """The engine's result as a new plain JSON value, or :data:`UNDEFINED` for the engine's ``None``.

    >>> to_json(None), to_json(NULL), to_json(3.0), to_json({"a": [NULL, None, 1.5]}), to_json(10**20)
    (UNDEFINED, None, 3, {'a': [None, None, 1.5]}, 1e+20)
    >>> to_json([math.inf, -math.inf, math.nan, 10**400])
    ['Infinity', '-Infinity', 'NaN', 'Infinity']
    """
    return UNDEFINED if value is None else _json(value)


def _json(value: Any) -> Any:
    # Inside a container the engine never leaves an undefined (it drops them), so None is a null
    # that came from the input.
    kind = type(value)
    if kind is str:
        if len(value) > _LONG_TEXT:  # one text many times over in a result is written out each time
            spend(len(value) // ITEMS_PER_UNIT)
        return value
    if kind is bool or value is None:
        return value
    if kind is int:
        return value if _LONG_MIN <= value <= _LONG_MAX else _number(value)
    if value is NULL:
        return None
    if isinstance(value, dict):
        spend(1 + len(value) // ITEMS_PER_UNIT)  # a container shared many times over is written out each time
        return {key: _json(member) for key, member in value.items()}
    if isinstance(value, list):
        spend(1 + len(value) // ITEMS_PER_UNIT)
        return [_json(item) for item in value]
    if kind is float:
        return _number(value)
    raise UnsupportedResult


def _number(value: int | float) -> int | float | str:
    if abs(value) > _MAX_DOUBLE:  # an int no double holds: JavaScript's number would be an infinity
        return "Infinity" if value > 0 else "-Infinity"
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return int(number) if number.is_integer() and abs(number) <= MAX_SAFE_INTEGER else number
