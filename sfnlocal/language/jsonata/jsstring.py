"""JSONata's ``$string`` (also behind ``&`` and the transform operator's copy), with JavaScript's numbers.

jsonata-python writes numbers the Python way (``"5.89084071224308e+15"``, ``0.30000000000000004``
inside objects); AWS writes them as JSONata-on-JavaScript does (``"5890840712243076"``, ``0.3``).
sfnlocal's evaluations use these functions (AWS's frame binds ``$string`` and ``$clone``, the engine's
evaluator overrides ``&`` and the transform operator); the library's own stay as they are.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from typing import Any

from sfnlocal.language.jsonata.bounds import ITEMS_PER_UNIT, spend
from sfnlocal.language.jsonata.library import JException, Utils
from sfnlocal.language.jsonata.numbers import js_number_text, string_number_text

NumberText = Callable[[int | float], str]
_INDENT = "  "  # JSON.stringify(value, replacer, 2), as $string(value, true) uses


def jsonata_string(arg: Any, prettify: bool | None) -> str | None:
    """``$string(arg, prettify)``: strings unchanged, functions ``""``, anything else as JSON text.

    >>> jsonata_string({"a": 0.1 + 0.2, "b": [Utils.NULL_VALUE, True]}, None)
    '{"a":0.3,"b":[null,true]}'
    >>> jsonata_string(5890840712243076, None), jsonata_string("x", None), jsonata_string(None, None)
    ('5890840712243076', 'x', None)
    >>> jsonata_string(Utils.NULL_VALUE, None), jsonata_string(len, None), jsonata_string([len], None)
    ('null', '', '[""]')
    >>> print(jsonata_string({"a": [1], "b": {}}, True))
    {
      "a": [
        1
      ],
      "b": {}
    }
    """
    if arg is None or isinstance(arg, str):
        return arg
    if not isinstance(arg, dict | list | int | float) and arg is not Utils.NULL_VALUE:
        return ""  # a function
    if isinstance(arg, float) and not math.isfinite(arg):
        raise JException("D3001", -1)
    return _text(arg, _INDENT if prettify else "", "", _string_number)


def js_json(value: Any) -> str:
    """``JSON.stringify(value)`` in JavaScript, as JSONata writes the inserts of its error messages.

    Numbers keep all their digits, a number JSON cannot hold is ``null``, undefined is ``undefined``.

    >>> js_json("sum"), js_json(0.1 + 0.2), js_json([1.0, Utils.NULL_VALUE, {"a": "é"}]), js_json(math.inf)
    ('"sum"', '0.30000000000000004', '[1,null,{"a":"é"}]', 'null')
    >>> js_json(None), js_json(len)
    ('undefined', 'undefined')
    """
    if value is None or (not isinstance(value, dict | list | str | int | float) and value is not Utils.NULL_VALUE):
        return "undefined"  # what String() makes of JSON.stringify's answer for undefined and functions
    return _text(value, "", "", _json_number)


def _string_number(value: int | float) -> str:
    if not math.isfinite(value):
        raise JException("D1001", -1, value)
    return string_number_text(value)


def _json_number(value: int | float) -> str:
    return js_number_text(value) if math.isfinite(value) else "null"


def jsonata_clone(arg: Any) -> Any:
    """JSONata's deep copy (the transform operator's, and ``$clone``): ``JSON.parse`` of the ``$string`` text.

    So numbers come back rounded to 15 significant digits, as JSONata on JavaScript gives them.

    >>> jsonata_clone({"a": [0.1 + 0.2, 5890840712243076, Utils.NULL_VALUE]}), jsonata_clone(None)
    ({'a': [0.3, 5890840712243076, None]}, None)
    """
    text = jsonata_string(arg, False)
    return None if text is None else json.loads(text)  # undefined in, undefined out


def _text(value: Any, indent: str, current: str, number: NumberText) -> str:
    if value is None or value is Utils.NULL_VALUE:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, str):
        spend(len(value) // ITEMS_PER_UNIT)  # one text many times over in a value is written out each time
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        members = [(json.dumps(key, ensure_ascii=False), member) for key, member in value.items()]
        return _container("{", "}", members, indent, current, number)
    if isinstance(value, list):
        return _container("[", "]", [(None, item) for item in value], indent, current, number)
    return '""'  # a function (or a regex, which JSONata evaluates to a function)


def _container(
    open_: str, close: str, parts: Sequence[tuple[str | None, Any]], indent: str, current: str, number: NumberText
) -> str:
    spend(1 + len(parts) // ITEMS_PER_UNIT)  # a container shared many times over is written out each time
    if not parts:
        return open_ + close
    inner = current + indent
    separator = ": " if indent else ":"
    texts = [
        (f"{key}{separator}" if key is not None else "") + _text(part, indent, inner, number) for key, part in parts
    ]
    if not indent:
        return open_ + ",".join(texts) + close
    return f"{open_}\n{inner}" + f",\n{inner}".join(texts) + f"\n{current}{close}"
