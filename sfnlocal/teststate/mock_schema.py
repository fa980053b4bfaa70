"""``fieldValidationMode``: a mocked Task result checked against the API output it stands for.

The output's shape comes from :mod:`~sfnlocal.teststate.result_shape`. What each mode checks, as
AWS's API reference words it and as recorded from AWS:

* ``STRICT`` (the default): every required member is present, in the result and in every structure
  inside it; ``PRESENT``: only what follows; ``NONE``: nothing (the result must still be JSON);
* every member present has the member's type: a structure or map is an object, a list an array, a
  string, timestamp or blob a string (a timestamp is any text, a blob its base64 text, both taken as
  given), a number a number (an ``integer``/``long`` a whole one), a boolean a boolean;
* and keeps the member's constraints: an enum's value is one of the enum's; a string's, blob's, list's
  or map's length and a number's value lie within the member's ``min`` and ``max``; a string matches the
  member's ``pattern`` (the API reference: "all present fields must conform to the API's schema"; as in
  Smithy, the pattern is not implicitly anchored; a pattern Python's ``re`` cannot read, written for Java's
  regular expressions, is not checked);
* a field the API does not define is accepted in every mode (recorded: ``{"random": "json"}``, and
  ``executionArn`` for ``ExecutionArn``), and so is a ``null`` member (not recorded);
* the first problem found is reported, naming the innermost field (a list's or map's items by the
  list's or map's name); in STRICT, a structure's missing required member comes before its members'
  problems (that order is sfnlocal's: no recording has both).

Not checked, for want of evidence: a map's keys. A range is botocore's as
installed: AWS's models may differ (Lambda's ``MemorySize`` was at most 10240 when AWS refused 10241,
recorded; botocore 1.44 allows 32768).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from sfnlocal.integrations.aws.casing import sfn_key
from sfnlocal.language.resources import TaskResource
from sfnlocal.teststate.errors import refused
from sfnlocal.teststate.request import NONE, STRICT
from sfnlocal.teststate.result_shape import result_shape

PREFIX = "Mock result schema validation error: "
# AWS's wording, recorded (../shared/conformance/teststate; LocalStack's test_field_validation_mode.snapshot.json,
# recorded from AWS on 2025-11-26, for the minimum and maximum value).
REQUIRED = "Required field '{}' is missing"
WRONG_TYPE = "Field '{}' must be {}"  # recorded with "a string", "a number", "an array"
NOT_EXPECTED = "Field '{}' is not an expected value"
TOO_SHORT = "Field '{}' is smaller than the minimum length"
TOO_SMALL = "Field '{}' is less than the minimum value"
TOO_LARGE = "Field '{}' exceeds the maximum value"
# Not recorded: AWS's wording for a length above the maximum is unknown; sfnlocal's follows the recorded
# "exceeds the maximum value". So is the wording of the types "an object", "a boolean" and "an integer".
TOO_LONG = "Field '{}' exceeds the maximum length"
# Not recorded either: AWS's wording for a value that does not match its member's pattern.
NO_MATCH = "Field '{}' does not match the pattern"
# A non-object result where an API's output is expected: AWS's wording for a Map state's mock with a
# ResultWriter (recorded); for a Task not recorded.
NOT_AN_OBJECT = "Mocked result must be a JSON object."

_STRING, _NUMBER, _ARRAY, _OBJECT, _BOOLEAN, _INTEGER = (
    "a string",
    "a number",
    "an array",
    "an object",
    "a boolean",
    "an integer",
)
_TEXT_TYPES = ("string", "timestamp", "blob")
_WHOLE_NUMBERS = ("integer", "long")
_NUMBERS = (*_WHOLE_NUMBERS, "float", "double")


def check_mock_result(resource: TaskResource, result: Any, mode: str) -> None:
    """Refuse a mocked result that does not fit the API's output as ``mode`` requires, as AWS does.

    >>> from sfnlocal.language.resources import parse_resource
    >>> check_mock_result(parse_resource("arn:aws:states:::lambda:invoke"), {"StatusCode": "200"}, "STRICT")
    Traceback (most recent call last):
    ...
    sfnlocal.teststate.errors.TestStateError: ValidationException: Mock result schema validation error: \
Field 'StatusCode' must be a number
    >>> check_mock_result(parse_resource("arn:aws:states:::lambda:invoke"), {"Payload": "{\\"ok\\": 1}"}, "STRICT")
    """
    if mode == NONE:
        return
    shape = result_shape(resource)
    if shape is None:
        return
    if not isinstance(result, dict):
        raise refused(NOT_AN_OBJECT)
    problem = schema_problem(shape, result, mode == STRICT)
    if problem is not None:
        raise refused(PREFIX + problem)


def schema_problem(shape: StructureShape, result: dict[str, Any], strict: bool) -> str | None:
    """The first problem of ``result`` for the output ``shape`` (AWS's words, without the prefix); None if it fits.

    >>> from sfnlocal.integrations.aws.aws_sdk import service_model
    >>> get_function = service_model("lambda").operation_model("GetFunction").output_shape
    >>> schema_problem(get_function, {"Configuration": {"MemorySize": 127}}, strict=False)
    "Field 'MemorySize' is less than the minimum value"
    """
    return _Check(strict).structure(shape, result, "")


class _Check:
    """One walk of a value along a shape; ``strict`` asks for the required members too."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict

    def problem(self, shape: Shape, value: Any, name: str) -> str | None:
        """What is wrong with ``value``, the field ``name``, for ``shape``; None when it fits."""
        if value is None or shape.type_name == "document":
            return None
        if isinstance(shape, StructureShape):
            return self.structure(shape, value, name)
        if isinstance(shape, ListShape):
            if not isinstance(value, list):
                return WRONG_TYPE.format(name, _ARRAY)
            return _length_problem(shape, len(value), name) or _first(
                self.problem(shape.member, item, name) for item in value
            )
        if isinstance(shape, MapShape):
            if not isinstance(value, dict):
                return WRONG_TYPE.format(name, _OBJECT)
            return _length_problem(shape, len(value), name) or _first(
                self.problem(shape.value, item, name) for item in value.values()
            )
        return _scalar_problem(shape, value, name)

    def structure(self, shape: StructureShape, value: Any, name: str) -> str | None:
        if not isinstance(value, dict):
            return WRONG_TYPE.format(name, _OBJECT)
        if self.strict:
            missing = next((sfn_key(member) for member in shape.required_members if sfn_key(member) not in value), None)
            if missing is not None:
                return REQUIRED.format(missing)
        members = {sfn_key(member): member_shape for member, member_shape in shape.members.items()}
        return _first(self.problem(members[key], item, key) for key, item in value.items() if key in members)


def _first(problems: Iterable[str | None]) -> str | None:
    return next((problem for problem in problems if problem is not None), None)


def _scalar_problem(shape: Shape, value: Any, name: str) -> str | None:
    kind = shape.type_name
    if kind in _TEXT_TYPES:
        if not isinstance(value, str):
            return WRONG_TYPE.format(name, _STRING)
        enum = shape.metadata.get("enum")
        if enum and value not in enum:
            return NOT_EXPECTED.format(name)
        length_problem = _length_problem(shape, len(value), name)
        if length_problem is not None:
            return length_problem
        pattern = _pattern(shape.metadata.get("pattern")) if kind == "string" else None
        return NO_MATCH.format(name) if pattern is not None and pattern.search(value) is None else None
    if kind == "boolean":
        return None if isinstance(value, bool) else WRONG_TYPE.format(name, _BOOLEAN)
    if kind in _NUMBERS:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return WRONG_TYPE.format(name, _NUMBER)
        if kind in _WHOLE_NUMBERS and isinstance(value, float) and not value.is_integer():
            return WRONG_TYPE.format(name, _INTEGER)
        return _range_problem(shape, value, name)
    return None


@lru_cache(maxsize=1024)
def _pattern(text: str | None) -> re.Pattern[str] | None:
    r"""A member's pattern compiled, or None (no pattern, or one in Java's syntax that Python cannot read).

    >>> _pattern("(\\$LATEST|[0-9]+)").search("$LATEST") is not None, _pattern("\\p{L}+"), _pattern(None)
    (True, None, None)
    """
    if text is None:
        return None
    try:
        return re.compile(text)
    except re.error:
        return None


def _length_problem(shape: Shape, length: int, name: str) -> str | None:
    if length < shape.metadata.get("min", 0):
        return TOO_SHORT.format(name)
    if "max" in shape.metadata and length > shape.metadata["max"]:
        return TOO_LONG.format(name)
    return None


def _range_problem(shape: Shape, value: float, name: str) -> str | None:
    if "min" in shape.metadata and value < shape.metadata["min"]:
        return TOO_SMALL.format(name)
    if "max" in shape.metadata and value > shape.metadata["max"]:
        return TOO_LARGE.format(name)
    return None
