"""Reading execution histories exported from AWS.

A history file is what ``aws stepfunctions get-execution-history --execution-arn ARN`` prints: ``{"events":
[...]}`` (a ``nextToken`` beside them is ignored; ``sfnlocal replay --fetch`` adds ``"execution"``, what
DescribeExecution said), or a bare list of the events. A folder stands for the ``*.json`` files under it.

The events must carry the execution's data: AWS leaves every input and output out when asked to
(``--no-include-execution-data``, ``includeExecutionData=False``); such a history is refused with a
:class:`HistoryError` naming the flag. Payloads AWS truncated (``inputDetails.truncated``, as in Express
executions' CloudWatch logs) are kept as they are and noted (:attr:`RecordedExecution.truncated`).

>>> recorded = RecordedExecution.from_document({"events": [
...     {"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "timestamp": "2025-03-01T10:00:00.000Z",
...      "executionStartedEventDetails": {"input": '{"orderId": "42"}', "inputDetails": {"truncated": False},
...                                       "roleArn": "arn:aws:iam::123456789012:role/orders"}},
...     {"id": 2, "previousEventId": 1, "type": "ExecutionSucceeded",
...      "executionSucceededEventDetails": {"output": '{"ok": true}'}}]}, "orders.json")
>>> recorded.input, recorded.ending, recorded.account
({'orderId': '42'}, {'status': 'SUCCEEDED', 'output': {'ok': True}}, '123456789012')
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from sfnlocal.replay.normalise import parse_payload
from sfnlocal.replay.records import TASK_ENDINGS, details_of

NO_DATA_ADVICE = (
    "export it again with the execution's data: aws stepfunctions get-execution-history --execution-arn ARN "
    "--include-execution-data (or get_execution_history(..., includeExecutionData=True))"
)
MAX_FILE_BYTES = 64 * 1024 * 1024  # a history of 25,000 events of 256 KB payloads each would not fit; none does
_ENDINGS = {
    "ExecutionSucceeded": "SUCCEEDED",
    "ExecutionFailed": "FAILED",
    "ExecutionTimedOut": "TIMED_OUT",
    "ExecutionAborted": "ABORTED",
}
# Quoted in a payload, the JSON text of a JSON string: a name ends at a quote or at the backslash escaping it.
_EXECUTION_ARN = re.compile(r'arn:aws[\w-]*:states:[a-z0-9-]+:\d{12}:execution:[^:\s"\\]+:[^:\s"\\]+')
_MAP_RUN_ARN = re.compile(r'arn:aws[\w-]*:states:([a-z0-9-]+):(\d{12}):mapRun:([^/:\s"\\]+)/')
_ANSWERS = ("TaskSubmitted", *TASK_ENDINGS)  # a child execution's ARN shows in these, the parent's own does not
_ROLE_ACCOUNT = re.compile(r"arn:aws[\w-]*:iam::(\d{12}):")


class HistoryError(ValueError):
    """A history that cannot be read or replayed as it is; the message names the file and what to do."""


@dataclass(frozen=True)
class RecordedExecution:
    """One execution as its history shows it.

    ``source`` names where it was read from; ``events`` are the events as read (payloads still JSON text, in id
    order); ``execution`` what DescribeExecution said (``{}`` when the file has no such part); ``truncated``
    one line per payload AWS truncated.
    """

    source: str
    events: list[dict[str, Any]]
    execution: Mapping[str, Any] = field(default_factory=dict)
    truncated: tuple[str, ...] = ()

    @classmethod
    def from_document(cls, document: Any, source: str) -> RecordedExecution:
        """A history as ``get-execution-history`` prints it (or a bare list of events); see the module docstring."""
        execution: Mapping[str, Any] = {}
        if isinstance(document, dict):
            if not isinstance(document.get("events"), list):
                raise HistoryError(
                    f"{source}: not an execution history: expected the output of aws stepfunctions "
                    'get-execution-history, {"events": [...]}'
                )
            described = document.get("execution")
            execution = described if isinstance(described, dict) else {}
            events = document["events"]
        elif isinstance(document, list):
            events = document
        else:
            raise HistoryError(f'{source}: not an execution history: expected {{"events": [...]}} or a list of events')
        return cls.from_events(events, source, execution)

    @classmethod
    def from_events(
        cls, events: Iterable[Any], source: str, execution: Mapping[str, Any] | None = None
    ) -> RecordedExecution:
        """A history from its events (checked: objects with an integer ``id`` and a ``type``, one ExecutionStarted
        with its input)."""
        checked: list[dict[str, Any]] = []
        for position, event in enumerate(events):
            if not isinstance(event, dict) or not isinstance(event.get("type"), str):
                raise HistoryError(f"{source}: event {position + 1} is not a history event (an object with a type)")
            if not isinstance(event.get("id"), int) or isinstance(event.get("id"), bool):
                raise HistoryError(
                    f"{source}: event {position + 1} ({event['type']}) has no integer id: the events must be as "
                    "AWS numbered them"
                )
            checked.append(event)
        checked.sort(key=lambda event: event["id"])
        if not checked or checked[0]["type"] != "ExecutionStarted":
            raise HistoryError(
                f"{source}: the history does not start with ExecutionStarted: export the whole history "
                "(the AWS CLI pages through it by itself; boto3 callers follow nextToken)"
            )
        started = details_of(checked[0])
        if "input" not in started:
            raise HistoryError(f"{source}: the history was exported without the execution's data; {NO_DATA_ADVICE}")
        return cls(source, checked, dict(execution or {}), tuple(_truncated(checked)))

    # What the history says ------------------------------------------------------------------------

    @property
    def input(self) -> Any:
        """The execution's input (parsed)."""
        return parse_payload(details_of(self.events[0]).get("input"))

    @property
    def role_arn(self) -> str | None:
        """The execution role, as ExecutionStarted shows it."""
        role = details_of(self.events[0]).get("roleArn")
        return role if isinstance(role, str) else None

    @property
    def ending(self) -> dict[str, Any]:
        """``{"status", "output"|"error", "cause"}`` as the last event shows them (status RUNNING without one).

        The output is present only for a SUCCEEDED execution, error and cause only when AWS recorded them.
        """
        last = self.events[-1]
        status = _ENDINGS.get(last["type"])
        if status is None:
            return {"status": "RUNNING"}
        details = details_of(last)
        ending: dict[str, Any] = {"status": status}
        if status == "SUCCEEDED":
            ending["output"] = parse_payload(details.get("output"))
        for name in ("error", "cause"):
            if details.get(name) is not None:
                ending[name] = details[name]
        return ending

    @property
    def start_time(self) -> datetime | None:
        """When the execution started: ExecutionStarted's timestamp (None when it has none that reads as one)."""
        return read_timestamp(self.events[0].get("timestamp")) or read_timestamp(self.execution.get("startDate"))

    @cached_property  # (each use scans the events' text: read once)
    def execution_arn(self) -> str | None:
        """The execution's ARN: DescribeExecution's, else one the history quotes (``$$.Execution.Id`` passed on),
        except in a task's answer, where it is a child execution's (``states:startExecution``)."""
        arn = self.execution.get("executionArn")
        if isinstance(arn, str):
            return arn
        children = {arn for event in self.events if event["type"] in _ANSWERS for arn in _quoted(event, _EXECUTION_ARN)}
        return next(
            (arn for event in self.events for arn in _quoted(event, _EXECUTION_ARN) if arn not in children), None
        )

    @property
    def state_machine_name(self) -> str | None:
        """The state machine's name: the execution ARN's, else a version's or alias's it was started with, else a
        Map Run's (MapRunStarted's ``mapRunArn``)."""
        arn = self.execution_arn
        if arn is not None:
            return arn.split(":")[6]
        started = details_of(self.events[0])
        for key in ("stateMachineVersionArn", "stateMachineAliasArn"):
            if isinstance(started.get(key), str) and started[key].count(":") == 7:
                return str(started[key].split(":")[6])
        run = self._map_run
        return run[2] if run else None

    @cached_property
    def _map_run(self) -> tuple[str, str, str] | None:
        """(region, account, state machine name) of the first Map Run ARN the history quotes."""
        return next((found for event in self.events for found in _MAP_RUN_ARN.findall(json.dumps(event))), None)

    @property
    def region(self) -> str | None:
        """The execution's region: its ARN's, else a Map Run ARN's, else one a TaskScheduled event names."""
        arn = self.execution_arn
        if arn is not None:
            return arn.split(":")[3]
        if self._map_run:
            return self._map_run[0]
        for event in self.events:
            region = details_of(event).get("region") if event["type"] == "TaskScheduled" else None
            if isinstance(region, str) and region:
                return region
        return None

    @property
    def account(self) -> str | None:
        """The account: the execution ARN's, else a Map Run ARN's, else the execution role's."""
        arn = self.execution_arn
        if arn is not None:
            return arn.split(":")[4]
        if self._map_run:
            return self._map_run[1]
        found = _ROLE_ACCOUNT.match(self.role_arn or "")
        return found.group(1) if found else None


def _quoted(event: Mapping[str, Any], pattern: re.Pattern[str]) -> list[str]:
    """The texts matching ``pattern`` anywhere in ``event``, its payloads' JSON text included.

    >>> _quoted({"output": '{"Id": "arn:aws:states:eu-west-1:123456789012:execution:orders:o-42"}'}, _EXECUTION_ARN)
    ['arn:aws:states:eu-west-1:123456789012:execution:orders:o-42']
    """
    return pattern.findall(json.dumps(event))


def read_timestamp(value: Any) -> datetime | None:
    """An event's timestamp as the AWS CLI prints it (ISO 8601) or boto3's JSON (seconds), None otherwise.

    >>> read_timestamp("2025-03-01T10:00:00.250+01:00").isoformat(), read_timestamp("timestamp")
    ('2025-03-01T10:00:00.250000+01:00', None)
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # boto3's JSON: seconds since the epoch
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _truncated(events: Iterable[Mapping[str, Any]]) -> Iterable[str]:
    for event in events:
        for name, value in details_of(event).items():
            if name.endswith("Details") and isinstance(value, dict) and value.get("truncated") is True:
                yield f"event #{event['id']} {event['type']}: its {name.removesuffix('Details')} was truncated by AWS"


def read_history(path: str | Path) -> RecordedExecution:
    """The history in one file (see the module docstring); a :class:`HistoryError` says what is wrong with it."""
    source = str(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise HistoryError(f"cannot read {source}: {err.strerror or err}") from None
    if len(data) > MAX_FILE_BYTES:
        raise HistoryError(f"{source} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; no execution history is")
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise HistoryError(f"{source} is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise HistoryError(f"{source} is not JSON: {err.msg} at line {err.lineno} column {err.colno}") from None
    except RecursionError:
        raise HistoryError(f"{source} is nested too deeply to be read") from None
    return RecordedExecution.from_document(document, source)


def history_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files ``paths`` name: a file as it is, a folder's ``*.json`` files (recursively, in name order).

    >>> history_files(["no/such/file.json"])
    Traceback (most recent call last):
    ...
    sfnlocal.replay.history.HistoryError: no/such/file.json: no such file or folder
    """
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(path.rglob("*.json")))
        elif path.is_file():
            found.append(path)
        else:
            raise HistoryError(f"{path}: no such file or folder")
    return found


def read_histories(paths: Iterable[str | Path]) -> list[RecordedExecution]:
    """Every history in the files and folders ``paths`` name, in order."""
    return [read_history(path) for path in history_files(paths)]
