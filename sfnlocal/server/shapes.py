"""Requests checked, and responses encoded, by botocore's model of the Step Functions API (not a copy of it).

:func:`check_input` checks a request's JSON object against its operation's input shape as AWS does: a value of
the wrong JSON type is a ``SerializationException`` (the request cannot be read), a value breaking a constraint
(required, length, value range, pattern, enum) a ``ValidationException`` listing every broken constraint in
AWS's words::

    1 validation error detected: Value 'x y' at 'name' failed to satisfy constraint: Member must ...

A sensitive member's value (a definition, an input, a task token) is not repeated in the message, as AWS leaves
it out. :func:`encode_output` gives a response its JSON form: timestamps as epoch seconds, members the model
does not have and ``None`` values left out.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

from botocore.model import OperationModel, ServiceModel, Shape

from sfnlocal.integrations.aws.aws_sdk import service_model
from sfnlocal.server.api import ApiError

SERVICE = "stepfunctions"
VALIDATION = "ValidationException"
SERIALIZATION = "SerializationException"
# botocore's patterns are Java regular expressions: the few constructs Python's `re` spells otherwise.
_JAVA_CLASSES = {r"\p{ASCII}": r"\x00-\x7f"}


@cache
def service() -> ServiceModel:
    """botocore's model of the Step Functions API.

    >>> service().metadata["targetPrefix"]
    'AWSStepFunctions'
    """
    return service_model(SERVICE)


def operation_model(name: str) -> OperationModel | None:
    """The model of the operation ``name``, or None when the API has no such operation.

    >>> operation_model("StartExecution").input_shape.required_members
    ['stateMachineArn']
    >>> operation_model("StartExecutions") is None
    True
    """
    model = service()
    return model.operation_model(name) if name in model.operation_names else None


def check_input(operation: OperationModel, request: dict[str, Any]) -> dict[str, Any]:
    """The request as the operation's handler gets it: checked against the model, members the model does not
    have left out (AWS ignores them) and ``null`` members taken as absent; raises :class:`ApiError`.

    >>> start = operation_model("StartExecution")
    >>> check_input(start, {"stateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:M", "extra": 1})
    {'stateMachineArn': 'arn:aws:states:us-east-1:1:stateMachine:M'}
    >>> check_input(start, {"name": ""})
    Traceback (most recent call last):
    ...
    sfnlocal.server.api.ApiError: ValidationException: 2 validation errors detected: Value null at \
'stateMachineArn' failed to satisfy constraint: Member must not be null; Value '' at 'name' failed to satisfy \
constraint: Member must have length greater than or equal to 1
    >>> check_input(start, {"stateMachineArn": 42})
    Traceback (most recent call last):
    ...
    sfnlocal.server.api.ApiError: SerializationException: Expected a string at 'stateMachineArn', not a number
    """
    shape = operation.input_shape
    if shape is None:
        return {}
    errors: list[str] = []
    checked = _check(shape, request, "", errors)
    if errors:
        count = len(errors)
        raise ApiError(VALIDATION, f"{count} validation error{'s' if count > 1 else ''} detected: {'; '.join(errors)}")
    return checked


def _check(shape: Shape, value: Any, path: str, errors: list[str]) -> Any:
    """``value`` checked against ``shape`` (constraint violations appended to ``errors``); its cleaned form."""
    kind = shape.type_name
    _expect_type(kind, value, path)
    if kind == "structure":
        cleaned: dict[str, Any] = {}
        required = set(shape.required_members)
        for name, member in shape.members.items():
            where = f"{path}.{name}" if path else name
            if value.get(name) is None:
                if name in required:
                    errors.append(f"Value null at '{where}' failed to satisfy constraint: Member must not be null")
                continue
            cleaned[name] = _check(member, value[name], where, errors)
        return cleaned
    if kind == "list":
        _check_bounds(shape, value, len(value), "length", path, errors)
        # Coral names a list's elements 'list.N.member', counting from 1.
        return [_check(shape.member, item, f"{path}.{index}.member", errors) for index, item in enumerate(value, 1)]
    if kind == "map":
        # How AWS names a map's keys and values in its messages is not documented: sfnlocal's choice.
        return {
            _check(shape.key, key, f"{path}.key", errors): _check(shape.value, item, f"{path}.{key}", errors)
            for key, item in value.items()
        }
    if kind == "string":
        _check_string(shape, value, path, errors)
    elif kind in ("integer", "long", "float", "double"):
        _check_bounds(shape, value, value, "value", path, errors)
    return value


# The JSON types each kind of shape accepts (bool is an int in Python: refused for numbers below).
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
    "string": (str,),
    "blob": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "timestamp": (int, float),
}
_JSON_NAMES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number"}
_EXPECTED = {"structure": "an object", "map": "an object", "list": "an array", "string": "a string", "blob": "a string"}


def _expect_type(kind: str, value: Any, path: str) -> None:
    """A value of another JSON type cannot be read into the shape: AWS answers ``SerializationException``
    (its message is not documented; sfnlocal's names the member and both types)."""
    accepted = _JSON_TYPES.get(kind, (object,))
    if isinstance(value, accepted) and not (isinstance(value, bool) and bool not in accepted):
        return
    expected = _EXPECTED.get(kind, "a boolean" if kind == "boolean" else "a number")
    found = "null" if value is None else _JSON_NAMES.get(type(value), "a number")
    raise ApiError(SERIALIZATION, f"Expected {expected} at '{path or 'the request'}', not {found}")


def _shown(shape: Shape, value: Any, path: str) -> str:
    """How AWS's message names the value: ``Value 'x' at 'name'``; ``Value at 'name'`` when it is sensitive."""
    if shape.metadata.get("sensitive"):
        return f"Value at '{path}'"
    text = json.dumps(value) if isinstance(value, bool | list | dict) else str(value)
    return f"Value '{text}' at '{path}'"


def _check_bounds(shape: Shape, value: Any, size: float, measure: str, path: str, errors: list[str]) -> None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and size < low:
        errors.append(
            f"{_shown(shape, value, path)} failed to satisfy constraint: "
            f"Member must have {measure} greater than or equal to {low}"
        )
    if high is not None and size > high:
        errors.append(
            f"{_shown(shape, value, path)} failed to satisfy constraint: "
            f"Member must have {measure} less than or equal to {high}"
        )


def _check_string(shape: Shape, value: str, path: str, errors: list[str]) -> None:
    if shape.enum and value not in shape.enum:
        errors.append(
            f"{_shown(shape, value, path)} failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
        )
    # AWS counts a string's length in UTF-16 code units (Java's String.length()).
    _check_bounds(shape, value, len(value.encode("utf-16-le")) // 2, "length", path, errors)
    pattern = shape.metadata.get("pattern")
    if pattern is not None and not _regex(pattern).fullmatch(value):
        errors.append(
            f"{_shown(shape, value, path)} failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: {pattern}"
        )


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    for java, python in _JAVA_CLASSES.items():
        pattern = pattern.replace(java, f"[{python}]")
    return re.compile(pattern, re.DOTALL)


def encode_output(operation: OperationModel, response: dict[str, Any]) -> dict[str, Any]:
    """A handler's response in its JSON form: timestamps (``datetime``, naive ones in UTC) as epoch seconds,
    members that the output shape does not have and ``None`` values left out.

    >>> describe = operation_model("DescribeActivity")
    >>> encode_output(describe, {"activityArn": "arn", "name": "a", "creationDate": datetime(2024, 1, 1, 0, 0, 1),
    ...                          "debug": 1, "encryptionConfiguration": None})
    {'activityArn': 'arn', 'name': 'a', 'creationDate': 1704067201.0}
    """
    shape = operation.output_shape
    return {} if shape is None else _encode(shape, response)


def _encode(shape: Shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        return {
            name: _encode(shape.members[name], item)
            for name, item in value.items()
            if name in shape.members and item is not None
        }
    if kind == "list" and isinstance(value, list | tuple):
        return [_encode(shape.member, item) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: _encode(shape.value, item) for key, item in value.items() if item is not None}
    if kind == "timestamp" and isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    return value
