"""Values that differ from one run to the next, put in one form so that a recording and a replay compare.

Shared by :mod:`sfnlocal.replay` and the project's conformance runner: payload strings parsed, ISO-8601
date-times inside strings replaced by ``"date"``, UUIDs numbered ``<uuid:N>`` in order of first appearance.

>>> number_uuids({"RequestId": "0f6f9b8c-6f0e-4bde-9c2a-3b1d0c5e7a11", "note": "0f6f9b8c-6f0e-4bde-9c2a-3b1d0c5e7a11"})
{'RequestId': '<uuid:1>', 'note': '<uuid:1>'}
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def parse_payload(value: Any) -> Any:
    """A payload string parsed as JSON; anything else (or text that is not JSON) unchanged.

    >>> parse_payload('{"a": 1}'), parse_payload("An error occurred"), parse_payload({"a": 1})
    ({'a': 1}, 'An error occurred', {'a': 1})
    """
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return value


def without_date_times(text: str) -> str:
    """``text`` with each ISO-8601 date-time replaced by ``date``.

    >>> without_date_times("started 2024-03-17T11:10:40.123Z")
    'started date'
    """
    return DATE_TIME.sub("date", text)


def dates_masked(value: Any) -> Any:
    """A copy of a JSON value with the date-times in its strings replaced by ``date`` (:func:`without_date_times`).

    >>> dates_masked({"at": ["2025-01-01T00:00:00Z"], "n": 1})
    {'at': ['date'], 'n': 1}
    """
    if isinstance(value, dict):
        return {k: dates_masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [dates_masked(v) for v in value]
    return without_date_times(value) if isinstance(value, str) else value


def _collect_uuids(value: Any, found: dict[str, str], key: str, any_key: bool) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _collect_uuids(v, found, k, any_key)
    elif isinstance(value, list):
        for v in value:
            _collect_uuids(v, found, key, any_key)
    elif isinstance(value, str):
        if any_key:
            for match in UUID.findall(value):
                found.setdefault(match, f"<uuid:{len(found) + 1}>")
        elif key.lower().endswith("id") and UUID.fullmatch(value):
            found.setdefault(value, f"<uuid:{len(found) + 1}>")


def _replace_uuids(value: Any, numbers: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _replace_uuids(v, numbers) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_uuids(v, numbers) for v in value]
    if isinstance(value, str):
        return UUID.sub(lambda m: numbers.get(m.group(0), m.group(0)), value)
    return value


def number_uuids(value: Any, any_key: bool = False) -> Any:
    """A copy of ``value`` with UUIDs numbered ``<uuid:N>`` in order of first appearance: those that are the whole
    value of a key ending in ``id`` (``any_key``: every UUID anywhere), replaced wherever else they occur.

    >>> number_uuids(["x 0f6f9b8c-6f0e-4bde-9c2a-3b1d0c5e7a11"]), number_uuids(
    ...     ["x 0f6f9b8c-6f0e-4bde-9c2a-3b1d0c5e7a11"], any_key=True)
    (['x 0f6f9b8c-6f0e-4bde-9c2a-3b1d0c5e7a11'], ['x <uuid:1>'])
    """
    numbers: dict[str, str] = {}
    _collect_uuids(value, numbers, "", any_key)
    return _replace_uuids(value, numbers) if numbers else value
