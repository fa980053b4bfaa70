"""Property tests of ``fieldValidationMode``'s check: values drawn from a botocore output shape always pass
STRICT, and one violation drawn into such a value always gives that constraint's message, naming the field.

Values are drawn from the shapes' types, required members, enums, lengths, ranges and patterns (those Python
can read, as the check does). A violation replaces one member's value somewhere in a valid
value (or removes a required member): the check must report exactly that problem, as nothing else is wrong.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NonInteractiveExampleWarning

from sfnlocal.integrations.aws.aws_sdk import service_model
from sfnlocal.integrations.aws.casing import sfn_key
from sfnlocal.teststate import mock_schema
from sfnlocal.teststate.mock_schema import schema_problem

OUTPUTS = [
    ("lambda", "GetFunction"),
    ("lambda", "Invoke"),
    ("sqs", "SendMessage"),
    ("dynamodb", "GetItem"),
    ("stepfunctions", "DescribeExecution"),
    ("events", "PutEvents"),
    ("s3", "GetObject"),
    ("kms", "Encrypt"),
    ("ecs", "RunTask"),
    ("secretsmanager", "GetSecretValue"),
]
# How deep drawn values go: below it a structure holds its required members only, a list or map its fewest items.
DEPTH = 3
_SHORT = 12  # how much longer than its minimum a drawn string or list may be


def output(service: str, operation: str) -> StructureShape:
    shape = service_model(service).operation_model(operation).output_shape
    assert isinstance(shape, StructureShape)
    return shape


def valid(shape: Shape, depth: int = 0, full: bool = False) -> st.SearchStrategy[Any]:
    """Values that fit ``shape`` in every way the check looks at; ``full`` ones hold every member and at least
    one item in each list and map (down to ``DEPTH``), so that every rule has places to break."""
    if isinstance(shape, StructureShape):
        return _structure(shape, depth, full)
    if isinstance(shape, (ListShape, MapShape)):
        low, high = _length_bounds(shape, depth)
        if full and depth < DEPTH:
            low = min(max(low, 1), high)
        if isinstance(shape, ListShape):
            return st.lists(valid(shape.member, depth + 1, full), min_size=low, max_size=high)
        values = valid(shape.value, depth + 1, full)
        return st.dictionaries(st.text(min_size=1, max_size=8), values, min_size=low, max_size=high)
    kind, metadata = shape.type_name, shape.metadata
    if kind in ("string", "blob"):
        if metadata.get("enum"):
            return st.sampled_from(metadata["enum"])
        low, high = _length_bounds(shape, depth)
        pattern = mock_schema._pattern(metadata.get("pattern")) if kind == "string" else None
        if pattern is not None:
            return st.sampled_from(MATCHES[(pattern.pattern, low)])
        return st.text(min_size=low, max_size=high)
    if kind == "timestamp":
        return st.text(max_size=30)
    if kind == "boolean":
        return st.booleans()
    if kind in ("integer", "long"):
        return st.integers(metadata.get("min", -(2**40)), metadata.get("max", 2**40))
    if kind in ("float", "double"):
        return st.floats(metadata.get("min", -1e12), metadata.get("max", 1e12), allow_nan=False)
    return st.none()  # a document takes any JSON value; null stands for them


def _matches(pattern: re.Pattern[str], low: int, high: int) -> tuple[str, ...]:
    """A couple of texts of ``low`` to ``high`` characters that ``pattern`` finds a match in: drawn from the pattern
    (found once, so that drawing values needs no filtering), or, for a pattern as loose as ".*", plain text."""
    found = {text for text in ("a" * low, "A1" * (low // 2 + 1)) if low <= len(text) <= high and pattern.search(text)}
    matches = st.from_regex(pattern, fullmatch=True).filter(lambda text: low <= len(text) <= high)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        for _ in range(8):  # each draw runs a small search of its own: a couple of texts are enough
            if len(found) >= 2:
                break
            with contextlib.suppress(Exception):  # a filter that rejects too often: try the next one
                found.add(matches.example())
    assert found, f"no text of {low}-{high} characters matches {pattern.pattern!r}"
    return tuple(sorted(found))


def _patterned(shape: Shape, seen: set[str]) -> Iterator[Shape]:
    """Every string shape with a pattern (Python can read) inside ``shape``."""
    if shape.name in seen:
        return
    seen.add(shape.name)
    if isinstance(shape, StructureShape):
        for member in shape.members.values():
            yield from _patterned(member, seen)
    elif isinstance(shape, ListShape):
        yield from _patterned(shape.member, seen)
    elif isinstance(shape, MapShape):
        yield from _patterned(shape.value, seen)
    elif shape.type_name == "string" and not shape.metadata.get("enum"):
        if mock_schema._pattern(shape.metadata.get("pattern")) is not None:
            yield shape


def _length_bounds(shape: Shape, depth: int) -> tuple[int, int]:
    low = shape.metadata.get("min", 0)
    high = low if depth >= DEPTH else low + _SHORT
    return low, min(high, shape.metadata.get("max", high))


def _structure(shape: StructureShape, depth: int, full: bool) -> st.SearchStrategy[dict[str, Any]]:
    required = {sfn_key(name): valid(shape.members[name], depth + 1, full) for name in shape.required_members}
    if depth >= DEPTH:
        return st.fixed_dictionaries(required)
    optional = {
        sfn_key(name): valid(member, depth + 1, full)
        for name, member in shape.members.items()
        if name not in shape.required_members
    }
    if full:
        return st.fixed_dictionaries({**required, **optional})
    return st.fixed_dictionaries(required, optional=optional)


@dataclass(frozen=True)
class Spot:
    """A member's place in a value: the container holding it, its key there, its shape and field name."""

    container: dict[str, Any] | list[Any]
    key: Any
    shape: Shape
    name: str


def spots(shape: Shape, value: Any, name: str = "") -> list[Spot]:
    """Every member and item in ``value``, with the field name the check gives it."""
    found: list[Spot] = []
    if isinstance(shape, StructureShape):
        for member, member_shape in shape.members.items():
            key = sfn_key(member)
            if key in value:
                found.append(Spot(value, key, member_shape, key))
                found += spots(member_shape, value[key], key)
    elif isinstance(shape, ListShape):
        for index, item in enumerate(value):
            found.append(Spot(value, index, shape.member, name))
            found += spots(shape.member, item, name)
    elif isinstance(shape, MapShape):
        for key, item in value.items():
            found.append(Spot(value, key, shape.value, name))
            found += spots(shape.value, item, name)
    return found


def violations(shape: Shape, name: str) -> list[tuple[str, Any, str]]:
    """Values that break one rule of ``shape``: the rule, the value, and the message for it (without the prefix)."""
    kind, metadata = shape.type_name, shape.metadata
    if kind == "document":
        return []
    wrong_type = {
        "structure": (1, "an object"),
        "map": ([], "an object"),
        "list": ("x", "an array"),
        "boolean": ("true", "a boolean"),
    }.get(kind, (True, "a string") if kind in ("string", "blob", "timestamp") else ("1", "a number"))
    found = [("type", wrong_type[0], mock_schema.WRONG_TYPE.format(name, wrong_type[1]))]
    if kind in ("string", "blob") and metadata.get("enum"):
        found.append(("enum", "not-" + "-".join(metadata["enum"]), mock_schema.NOT_EXPECTED.format(name)))
    elif kind in ("string", "blob", "list", "map"):
        if metadata.get("min", 0) > 0:
            found.append(
                (
                    "min length",
                    [] if kind == "list" else {} if kind == "map" else "",
                    mock_schema.TOO_SHORT.format(name),
                )
            )
        if "max" in metadata and metadata["max"] < 1000:
            length = metadata["max"] + 1
            too_long = (
                [None] * length
                if kind == "list"
                else {str(i): None for i in range(length)}
                if kind == "map"
                else "x" * length
            )
            found.append(("max length", too_long, mock_schema.TOO_LONG.format(name)))
    pattern = mock_schema._pattern(metadata.get("pattern")) if kind == "string" and not metadata.get("enum") else None
    if pattern is not None:
        unmatched = "\x00" * max(metadata.get("min", 0), 1)
        if pattern.search(unmatched) is None and len(unmatched) <= metadata.get("max", len(unmatched)):
            found.append(("pattern", unmatched, mock_schema.NO_MATCH.format(name)))
    if kind in ("integer", "long", "float", "double"):
        if "min" in metadata:
            found.append(("min value", metadata["min"] - 1, mock_schema.TOO_SMALL.format(name)))
        if "max" in metadata:
            found.append(("max value", metadata["max"] + 1, mock_schema.TOO_LARGE.format(name)))
    if kind in ("integer", "long"):
        found.append(("integer", 0.5, mock_schema.WRONG_TYPE.format(name, "an integer")))
    return found


# Texts that match each pattern of the outputs, found before any test runs (drawing values then needs no filtering),
# by (pattern, shortest length).
_SEEN: set[str] = set()
MATCHES = {
    (pattern.pattern, shape.metadata.get("min", 0)): _matches(
        pattern, shape.metadata.get("min", 0), shape.metadata.get("max", 10**6)
    )
    for service, operation in OUTPUTS
    for shape in _patterned(output(service, operation), _SEEN)
    for pattern in (mock_schema._pattern(shape.metadata["pattern"]),)
    if pattern is not None
}


@st.composite
def valid_results(draw: st.DrawFn) -> tuple[StructureShape, dict[str, Any]]:
    shape = output(*draw(st.sampled_from(OUTPUTS)))
    return shape, draw(valid(shape))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(valid_results())
def test_values_drawn_from_an_output_shape_pass_strict(drawn: tuple[StructureShape, dict[str, Any]]) -> None:
    shape, result = drawn
    assert schema_problem(shape, result, strict=True) is None


@pytest.mark.parametrize(("service", "operation"), OUTPUTS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_one_violation_gives_its_constraint_s_message_naming_the_field(
    service: str, operation: str, data: st.DataObject
) -> None:
    shape = output(service, operation)
    result = data.draw(valid(shape, full=True))
    candidates = [
        (rule, spot, value, message)
        for spot in spots(shape, result)
        for rule, value, message in violations(spot.shape, spot.name)
    ]
    # The rule first, so that each rule the output has is drawn as often as the others.
    rule = data.draw(st.sampled_from(sorted({candidate[0] for candidate in candidates})))
    _, spot, value, message = data.draw(
        st.sampled_from([candidate for candidate in candidates if candidate[0] == rule])
    )
    spot.container[spot.key] = value
    assert schema_problem(shape, result, strict=True) == message
    assert schema_problem(shape, result, strict=False) == message


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(valid_results(), st.data())
def test_a_missing_required_member_fails_strict_only(
    drawn: tuple[StructureShape, dict[str, Any]], data: st.DataObject
) -> None:
    shape, result = drawn
    holders = [(result, shape)] + [
        (spot.container[spot.key], spot.shape)
        for spot in spots(shape, result)
        if isinstance(spot.shape, StructureShape) and isinstance(spot.container[spot.key], dict)
    ]
    required = [(holder, sfn_key(name)) for holder, holder_shape in holders for name in holder_shape.required_members]
    if not required:
        return
    holder, key = data.draw(st.sampled_from(required))
    del holder[key]
    assert schema_problem(shape, result, strict=True) == mock_schema.REQUIRED.format(key)
    assert schema_problem(shape, result, strict=False) is None
