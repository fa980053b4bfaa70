"""Normalising results the way the recordings were normalised, so that the two compare.

The recorder replaced volatile values with placeholders (see ``../shared/conformance/README.md``).
The same steps are applied here to sfnlocal's results, and, being idempotent, to the recorded
values too, so that both sides go through one function:

* event ``timestamp`` -> ``"timestamp"``, ``startDate``/``stopDate`` -> ``"datetime"``, any other
  ISO-8601 date-time inside a string -> ``"date"``;
* the state machine and execution names the runner chose -> ``<ArnPart_0idx>`` / ``<ExecArnPart_0idx>``;
* partition and region: ``arn:aws:`` -> ``arn:<partition>:``, ``us-east-1`` -> ``<region>``
  (the account is already 111111111111: the runner executes as that account);
* UUIDs under keys ending in ``id`` -> ``<uuid:N>``, numbered in order of first appearance, and the
  same UUID replaced wherever else it occurs in a string;
* payload strings (``input``, ``output``, ``parameters``, ``cause``, assigned variables) parsed;
* the recording's own replacements: resource ARNs (``meta.resource_placeholders_in_history``) and
  JSONPath masks (``meta.other_snapshot_transformers``).
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from jsonpath_ng.ext import parser as jsonpath_ng_ext

from sfnlocal.replay.normalise import number_uuids, without_date_times
from sfnlocal.replay.normalise import parse_payload as parse_payload

STATE_MACHINE_NAME = "sfnlocal-conformance-machine"
EXECUTION_NAME = "sfnlocal-conformance-execution"
ACCOUNT = "111111111111"
REGION = "us-east-1"

_NAMES = (
    # The recorder names the execution role "snf_role_arn", and in one test file "sfn_role_arn": one placeholder.
    ("sfn_role_arn", "snf_role_arn"),
    (STATE_MACHINE_NAME, "<ArnPart_0idx>"),
    (EXECUTION_NAME, "<ExecArnPart_0idx>"),
    ("arn:aws:", "arn:<partition>:"),
    (REGION, "<region>"),
)
_WHOLE_VALUE_KEYS = {"timestamp": "timestamp", "startDate": "datetime", "stopDate": "datetime"}
# Whole strings some recordings put where a date-time was masked (the context object's StartTime and
# EnteredTime): the same placeholder as any other date-time.
_MASKED_DATE_TIMES = frozenset({"start-time", "entered-time"})
_PAYLOAD_KEYS = ("input", "output", "parameters", "cause")
_JSONPATH_MASK = re.compile(r"JsonpathTransformer\[(.+)\]", re.DOTALL)


def normalise_text(text: str, replacements: Iterable[tuple[str, str]] = ()) -> str:
    """One string with the recording's own replacements, then names, partition, region and date-times,
    replaced by placeholders.

    >>> normalise_text("arn:aws:states:us-east-1:111111111111:execution:"
    ...                "sfnlocal-conformance-machine:sfnlocal-conformance-execution")
    'arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>'
    >>> normalise_text("started 2024-03-17T11:10:40.123Z"), normalise_text("start-time")
    ('started date', 'date')
    """
    if text in _MASKED_DATE_TIMES:
        return "date"
    for name, placeholder in (*replacements, *_NAMES):
        text = text.replace(name, placeholder)
    return without_date_times(text)


def _replace_volatile(value: Any, replacements: tuple[tuple[str, str], ...], key: str | None = None) -> Any:
    """A copy of ``value`` with datetimes and strings normalised (UUIDs are left for the second pass)."""
    if isinstance(value, dict):
        return {k: _replace_volatile(v, replacements, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_volatile(v, replacements, key) for v in value]
    if isinstance(value, datetime):
        return _WHOLE_VALUE_KEYS.get(key or "", "date")
    if isinstance(value, str):
        return normalise_text(value, replacements)
    return value


def normalise(value: Any, replacements: Iterable[tuple[str, str]] = ()) -> Any:
    """A normalised copy of a JSON-like value (the input is not changed); ``replacements`` come first.

    >>> normalise({"RequestId": "0f6f9b8c-6f0e-4bde-9c2a-3b1d0c5e7a11",
    ...            "Cause": "request 0f6f9b8c-6f0e-4bde-9c2a-3b1d0c5e7a11 failed", "region": "us-east-1"})
    {'RequestId': '<uuid:1>', 'Cause': 'request <uuid:1> failed', 'region': '<region>'}
    """
    return number_uuids(_replace_volatile(value, tuple(replacements)))


def _parse_event_payloads(event: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of one history event with its payload strings parsed."""
    parsed = dict(event)
    for key, details in event.items():
        if not (key.endswith("EventDetails") and isinstance(details, dict)):
            continue
        details = dict(details)
        for name in _PAYLOAD_KEYS:
            if name in details:
                details[name] = parse_payload(details[name])
        assigned = details.get("assignedVariables")
        if isinstance(assigned, dict):
            details["assignedVariables"] = {k: parse_payload(v) for k, v in assigned.items()}
        parsed[key] = details
    return parsed


@dataclass(frozen=True)
class Conventions:
    """How one recording was normalised beyond the common rules: its own text replacements and masks,
    and the paths it does not verify (``meta.skip_snapshot_verify_paths``).

    >>> found = Conventions.of({
    ...     "resource_placeholders_in_history": {"arn:aws:states:::activity:a": "activity_arn"},
    ...     "other_snapshot_transformers": ["JsonpathTransformer['$..LogResult', 'LogResult']",
    ...                                     "JsonpathTransformer[]", "_Transformer[]"],
    ...     "skip_snapshot_verify_paths": ["$..SdkHttpMetadata"]})
    >>> found.replacements, found.masks, found.skipped
    ((('arn:aws:states:::activity:a', 'activity_arn'),), (('$..LogResult', 'LogResult'),), ('$..SdkHttpMetadata',))
    """

    replacements: tuple[tuple[str, str], ...] = ()
    masks: tuple[tuple[str, str], ...] = ()
    skipped: tuple[str, ...] = ()

    @classmethod
    def of(cls, meta: Mapping[str, Any]) -> Conventions:
        """The conventions stated in a case's ``meta``."""
        placeholders = meta.get("resource_placeholders_in_history") or {}
        replacements = tuple((str(raw), str(placeholder)) for raw, placeholder in placeholders.items())
        return cls(
            replacements,
            tuple(_jsonpath_masks(meta.get("other_snapshot_transformers") or ())),
            tuple(str(path) for path in meta.get("skip_snapshot_verify_paths") or ()),
        )

    def with_replacements(self, more: Iterable[tuple[str, str]]) -> Conventions:
        """These conventions with further (text, placeholder) replacements, applied after the recording's.

        >>> Conventions((("a", "<A>"),)).with_replacements([("b", "<B>")]).replacements
        (('a', '<A>'), ('b', '<B>'))
        """
        return Conventions((*self.replacements, *more), self.masks, self.skipped)


def _jsonpath_masks(transformers: Iterable[Any]) -> Iterable[tuple[str, str]]:
    """(JSONPath, replacement) of each ``JsonpathTransformer[path, replacement]`` the recorder listed."""
    for text in transformers:
        match = _JSONPATH_MASK.fullmatch(str(text))
        if not match:
            continue
        try:
            args = ast.literal_eval(f"[{match.group(1)}]")
        except (ValueError, SyntaxError):
            continue
        if len(args) == 2 and all(isinstance(a, str) for a in args):
            yield args[0], args[1]


@lru_cache(maxsize=1)
def _jsonpath_ng_parser() -> Any:
    # Built once: jsonpath-ng's module-level parse() builds a new parser on every call (about 20 ms).
    return jsonpath_ng_ext.ExtendedJsonPathParser()


@lru_cache(maxsize=512)
def _compiled(path: str) -> Any:
    # A jsonpath-ng path rather than sfnlocal's compile_path: masking needs its update().
    return _jsonpath_ng_parser().parse(path)


def apply_masks(document: Any, masks: Iterable[tuple[str, str]]) -> Any:
    """A copy of ``document`` with the value at each mask's JSONPath replaced by its text.

    >>> apply_masks({"events": [{"output": {"LogResult": "abc"}}]}, [("$..LogResult", "LogResult")])
    {'events': [{'output': {'LogResult': 'LogResult'}}]}
    """
    document = copy.deepcopy(document)
    for path, replacement in masks:
        document = _compiled(path).update(document, replacement)
    return document


def drop_paths(document: Any, paths: Iterable[str]) -> Any:
    """A copy of ``document`` without the values at these JSONPaths (``meta.skip_snapshot_verify_paths``).

    >>> drop_paths({"events": [{"a": 1, "SdkHttpMetadata": {}}]}, ["$..SdkHttpMetadata"])
    {'events': [{'a': 1}]}
    """
    document = copy.deepcopy(document)
    for path in paths:
        document = _compiled(path).filter(lambda _: True, document)
    return document


def normalise_result(result: Mapping[str, Any], conventions: Conventions = Conventions()) -> dict[str, Any]:
    """Status, error, cause and output, normalised; the cause parsed when it is JSON text.

    The output is masked, and the paths the recording does not verify are left out of it, as in the
    ExecutionSucceeded event's output, where the recording took it from; an output left out entirely
    is absent from the result.

    >>> normalise_result({"status": "FAILED", "error": "E", "cause": '{"a": 1}', "output": None})
    {'status': 'FAILED', 'error': 'E', 'cause': {'a': 1}, 'output': None}
    >>> normalise_result({"status": "SUCCEEDED", "output": {"a": 1, "SdkHttpMetadata": {}}},
    ...                  Conventions(skipped=("$..SdkHttpMetadata",)))
    {'status': 'SUCCEEDED', 'output': {'a': 1}}
    """
    fields = {k: result[k] for k in ("status", "error", "cause", "output") if k in result}
    if "cause" in fields:
        fields["cause"] = parse_payload(fields["cause"])
    fields = normalise(fields, conventions.replacements)
    if "output" in fields and (conventions.masks or conventions.skipped):
        wrapped = {"events": [{"executionSucceededEventDetails": {"output": fields.pop("output")}}]}
        wrapped = drop_paths(apply_masks(wrapped, conventions.masks), conventions.skipped)
        details = (wrapped.get("events") or [{}])[0].get("executionSucceededEventDetails") or {}
        if "output" in details:
            fields["output"] = details["output"]
    return fields


def normalise_history(
    events: Iterable[Mapping[str, Any]], conventions: Conventions = Conventions()
) -> list[dict[str, Any]]:
    """History events with payloads parsed, volatile values replaced and the recording's masks applied.

    >>> from datetime import timezone
    >>> normalise_history([{"id": 1, "previousEventId": 0, "type": "ExecutionStarted",
    ...                     "timestamp": datetime(2024, 1, 1, tzinfo=timezone.utc),
    ...                     "executionStartedEventDetails": {"input": '{"a": 1}', "roleArn": "r"}}])
    [{'id': 1, 'previousEventId': 0, 'type': 'ExecutionStarted', 'timestamp': 'timestamp', \
'executionStartedEventDetails': {'input': {'a': 1}, 'roleArn': 'r'}}]
    """
    normalised = normalise([_parse_event_payloads(event) for event in events], conventions.replacements)
    if not conventions.masks:
        return normalised
    return apply_masks({"events": normalised}, conventions.masks)["events"]
