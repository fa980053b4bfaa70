"""JSON text as AWS writes payloads: in history events, in causes, in intrinsic results."""

from __future__ import annotations

import json
import reprlib
from typing import Any

# AWS's limit on a state's input, output and a task's result, in UTF-8 bytes of JSON.
MAX_PAYLOAD_BYTES = 262_144


def compact_json(value: Any) -> str:
    """JSON text without spaces, non-ASCII characters kept, as AWS writes it.

    >>> compact_json({"a": [1, "é"], "b": None})
    '{"a":[1,"é"],"b":null}'
    """
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def json_copy(value: Any, what: str) -> Any:
    """A deep copy through JSON text: detached from the caller's objects, with JSON's types only (a tuple
    becomes a list). A value JSON cannot hold raises a ``TypeError`` naming ``what`` and the value.

    >>> json_copy({"pair": (1, "a")}, "the input")
    {'pair': [1, 'a']}
    >>> json_copy({1, 2}, "the input")
    Traceback (most recent call last):
    ...
    TypeError: the input must be a JSON value, not {1, 2}: Object of type set is not JSON serializable
    """
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError) as err:  # ValueError: a circular reference
        raise TypeError(f"{what} must be a JSON value, not {reprlib.repr(value)}: {err}") from None


def exceeds_payload_limit(value: Any) -> bool:
    """Whether a payload is over AWS's 256 KiB limit, counted as UTF-8 JSON as AWS counts it.

    >>> exceeds_payload_limit("x" * 10), exceeds_payload_limit("é" * 131_072)
    (False, True)
    """
    return len(compact_json(value).encode("utf-8")) > MAX_PAYLOAD_BYTES


def json_type_name(value: Any) -> str:
    """JSON's name for a value's type, as AWS words type errors; a value JSON cannot hold (a date read from
    YAML, say) is named by its Python type.

    >>> [json_type_name(v) for v in (None, True, 1, 1.5, "s", [], {}, {1})]
    ['null', 'boolean', 'number', 'number', 'string', 'array', 'object', 'set']
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__
