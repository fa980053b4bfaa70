"""JSON value equality for States.ArrayContains and States.ArrayUnique.

Python's ``==`` says ``True == 1`` and ``[True] == [1]``; JSON does not. :func:`json_identity`
gives each JSON value a hashable key that is equal exactly when the values are equal as JSON:
booleans differ from numbers, ``1`` equals ``1.0``, and object key order does not matter.
"""

from __future__ import annotations

from typing import Any


def json_identity(value: Any) -> Any:
    """A hashable key for a JSON value; equal keys mean equal JSON values.

    >>> json_identity(True) == json_identity(1), json_identity(1) == json_identity(1.0)
    (False, True)
    >>> json_identity({"a": [1], "b": None}) == json_identity({"b": None, "a": [1.0]})
    True
    """
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, float) and value.is_integer():
        return ("number", int(value))
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, list):
        return ("array", tuple(json_identity(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, json_identity(item)) for key, item in value.items()))
    return (type(value).__name__, value)
