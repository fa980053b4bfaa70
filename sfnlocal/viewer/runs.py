"""What each state did, read from an execution's history events as AWS shapes them (GetExecutionHistory).

An execution's events form *lanes*: the execution itself, each Parallel branch and each inline Map iteration
continue their own chain of ``previousEventId`` links. Events are sorted into lanes by those links and by the
events that open and close a branch (a state entered right after ``ParallelStateStarted``) or an iteration
(``MapIterationStarted`` .. ``MapIterationSucceeded``). In each lane, states run one after another: a *run* is
one visit of one state, from its ``...StateEntered`` event to its ``...StateExited`` (or to the end).

A run's outcome: ``succeeded``; ``retried`` (it failed, was retried and then succeeded); ``caught`` (it failed and
a Catcher took it on); ``failed`` (it failed, and the branch or execution with it); ``aborted`` (a branch that
another branch's failure cancelled, or a stopped execution); ``running``.

>>> events = [
...     {"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "timestamp": "2025-01-01T00:00:00+00:00"},
...     {"id": 2, "previousEventId": 0, "type": "TaskStateEntered", "timestamp": "2025-01-01T00:00:00+00:00",
...      "stateEnteredEventDetails": {"name": "T", "input": "{}"}},
...     {"id": 3, "previousEventId": 2, "type": "TaskFailed", "timestamp": "2025-01-01T00:00:00+00:00",
...      "taskFailedEventDetails": {"error": "Boom", "cause": "no"}},
...     {"id": 4, "previousEventId": 3, "type": "TaskScheduled", "timestamp": "2025-01-01T00:00:02+00:00"},
...     {"id": 5, "previousEventId": 4, "type": "TaskSucceeded", "timestamp": "2025-01-01T00:00:02+00:00"},
...     {"id": 6, "previousEventId": 5, "type": "TaskStateExited", "timestamp": "2025-01-01T00:00:02+00:00",
...      "stateExitedEventDetails": {"name": "T", "output": "{}"}},
...     {"id": 7, "previousEventId": 6, "type": "ExecutionSucceeded", "timestamp": "2025-01-01T00:00:02+00:00"}]
>>> found = analyse(events, "SUCCEEDED")
>>> [(run["state"], run["outcome"], run["entered"], run["exited"]) for run in found.runs]
[('T', 'retried', 2, 6)]
>>> found.runs[0]["failures"]  # a run that never failed has none
[{'event': 3, 'error': 'Boom', 'cause': 'no', 'retried': True, 'backoff': 2.0}]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sfnlocal.language.state_graph import StateGraph

SUCCEEDED, RETRIED, CAUGHT, FAILED, ABORTED, RUNNING = "succeeded", "retried", "caught", "failed", "aborted", "running"

# Events that end one attempt of a state's work in failure (the service's own events: Lambda, tasks, activities).
_FAILURE_SUFFIXES = ("Failed", "TimedOut", "ScheduleFailed", "StartFailed", "SubmitFailed")
# What a Parallel or Map state records around its branches; they belong to the state, in its own lane.
_NESTING_EVENTS = {
    "ParallelStateStarted": "Parallel",
    "ParallelStateSucceeded": "Parallel",
    "ParallelStateFailed": "Parallel",
    "ParallelStateAborted": "Parallel",
    "MapStateStarted": "Map",
    "MapStateSucceeded": "Map",
    "MapStateFailed": "Map",
    "MapStateAborted": "Map",
    "MapRunStarted": "Map",
    "MapRunSucceeded": "Map",
    "MapRunFailed": "Map",
    "MapRunAborted": "Map",
    "MapRunRedriven": "Map",
}


@dataclass
class Analysis:
    """The lanes, the runs and the lane of each event (``event_lanes[id - 1]``).

    A run: ``state``, ``type``, ``lane``, ``entered`` and ``exited`` (event ids; ``exited`` None when it did not
    exit), ``ended`` (the id of the ``...StateAborted`` event that cancelled it, if one did), ``outcome``, and
    ``failures`` (absent when none): each ``{"event", "error", "cause", "retried", "backoff"}``. A lane: ``kind``,
    ``parent`` (lane), ``owner`` (the Parallel's or Map's run), ``index``, ``start`` and ``end`` (event ids) and
    an iteration's ``status``; absent where None."""

    lanes: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    event_lanes: list[int] = field(default_factory=list)


def seconds(timestamp: Any) -> float:
    """An event's timestamp (a datetime, ISO text or seconds) as seconds since the epoch.

    >>> seconds("2025-01-01T00:00:01.500000+00:00") - seconds("2025-01-01T00:00:00+00:00")
    1.5
    """
    if timestamp is None:  # a history written without times (a test's recording)
        return 0.0
    if isinstance(timestamp, datetime):
        return timestamp.timestamp()
    if isinstance(timestamp, str):
        try:
            return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()
        except ValueError:  # a recording that masked its times
            return 0.0
    return float(timestamp)


def details_of(event: dict[str, Any]) -> dict[str, Any]:
    """An event's details object (the one key ending in ``EventDetails``), or an empty one."""
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            return value
    return {}


def analyse(events: list[dict[str, Any]], status: str, definition: Any = None) -> Analysis:
    """Sort ``events`` into lanes and runs (see the module's docs); ``status`` is the execution's, which decides
    what an unfinished run became; ``definition`` tells which branch of a Parallel a state belongs to."""
    return _Reader(events, status, StateGraph(definition)).read()


class _Reader:
    def __init__(self, events: list[dict[str, Any]], status: str, graph: StateGraph) -> None:
        self.events = events
        self.status = status
        self.graph = graph
        self.found = Analysis()
        self.current: list[int | None] = []  # each lane's open run
        self.by_id: dict[int, int] = {}  # event id -> lane
        self.iterations: dict[tuple[int, int], int] = {}  # (the Map's run, index) -> its lane

    def lane(self, kind: str, parent: int | None, owner: int | None, index: int | None, start: int) -> int:
        self.found.lanes.append(
            {"kind": kind, "parent": parent, "owner": owner, "index": index, "start": start, "end": None}
        )
        self.current.append(None)
        return len(self.found.lanes) - 1

    def read(self) -> Analysis:
        self.lane("execution", None, None, None, 1)
        for event in self.events:
            event_id = int(event["id"])
            lane = self.place(event)
            self.by_id[event_id] = lane
            self.found.event_lanes.append(lane)
            self.apply(event, lane)
        for run in self.found.runs:
            if run["outcome"] == RUNNING:
                run["outcome"] = self.unfinished(run)
            if not run["failures"]:
                del run["failures"]  # most runs: the page's data stays small
        for described in self.found.lanes:
            for key in [key for key, value in described.items() if value is None]:
                del described[key]
        return self.found

    # Which lane an event belongs to -------------------------------------------------------------------

    def place(self, event: dict[str, Any]) -> int:
        event_type = event["type"]
        previous = self.by_id.get(int(event.get("previousEventId") or 0), 0)
        if event_type.startswith("Execution"):
            return 0
        details = details_of(event)
        if event_type == "MapIterationStarted":
            owner_lane = self.open_ancestor(previous, "Map", details.get("name"))
            owner = self.current[owner_lane]
            assert owner is not None  # open_ancestor found it open
            lane = self.lane("iteration", owner_lane, owner, int(details.get("index", 0)), int(event["id"]))
            self.iterations[owner, int(details.get("index", 0))] = lane
            return lane
        if event_type.startswith("MapIteration"):
            owner = self.current[self.open_ancestor(previous, "Map", details.get("name"))]
            return self.iterations.get((owner or 0, int(details.get("index", 0))), previous)
        if event_type in _NESTING_EVENTS:
            return self.open_ancestor(previous, _NESTING_EVENTS[event_type], None)
        if event_type in ("ParallelStateExited", "MapStateExited"):
            return self.open_ancestor(previous, event_type[: -len("StateExited")], details.get("name"))
        if event_type.endswith("StateEntered"):
            opened = self.current[previous]
            if opened is not None and self.runs_in(previous, opened, "Parallel") and self.is_start(event, previous):
                state = self.graph.state_named(details.get("name"))
                index = state.branch.index if state is not None else None
                return self.lane("branch", previous, opened, index, int(event["id"]))
        return previous

    def runs_in(self, lane: int, run: int, state_type: str) -> bool:
        found = self.found.runs[run]
        return found["type"] == state_type and found["exited"] is None and found["lane"] == lane

    def is_start(self, event: dict[str, Any], lane: int) -> bool:
        """Whether a state entered in ``lane`` begins one of the lane's open Parallel's branches: it follows the
        ``ParallelStateStarted`` event itself."""
        previous = int(event.get("previousEventId") or 0)
        return 0 < previous <= len(self.events) and self.events[previous - 1]["type"] == "ParallelStateStarted"

    def open_ancestor(self, lane: int, state_type: str, name: Any) -> int:
        """The lane, ``lane`` or one around it, whose open run is a ``state_type`` state (named ``name``)."""
        here: int | None = lane
        while here is not None:
            run = self.current[here]
            if run is not None:
                found = self.found.runs[run]
                if found["type"] == state_type and found["exited"] is None and name in (None, found["state"]):
                    return here
            here = self.found.lanes[here]["parent"]
        return lane

    # What an event does to its lane's run ---------------------------------------------------------------

    def apply(self, event: dict[str, Any], lane: int) -> None:
        event_type, event_id = event["type"], int(event["id"])
        details = details_of(event)
        if event_type.endswith("StateEntered"):
            self.current[lane] = len(self.found.runs)
            self.found.runs.append(
                {
                    "state": details.get("name"),
                    "type": event_type[: -len("StateEntered")],
                    "lane": lane,
                    "entered": event_id,
                    "exited": None,
                    "outcome": RUNNING,
                    "failures": [],
                }
            )
            return
        run_index = self.current[lane]
        if event_type.startswith("MapIteration"):
            self.iteration_event(event_type, lane, event_id)
            return
        if run_index is None:
            return
        run = self.found.runs[run_index]
        if (
            run["failures"]
            and run["failures"][-1]["backoff"] is None
            and not event_type.endswith(("StateExited", "StateAborted"))
        ):
            # The failed attempt was retried: this event starts the next one, after the backoff.
            last = run["failures"][-1]
            last["retried"] = True
            last["backoff"] = seconds(event.get("timestamp")) - seconds(self.events[last["event"] - 1].get("timestamp"))
        if _is_failure(event_type):
            run["failures"].append(
                {
                    "event": event_id,
                    "error": details.get("error"),
                    "cause": details.get("cause"),
                    "retried": False,
                    "backoff": None,
                }
            )
        elif event_type.endswith("StateExited"):
            run["exited"] = event_id
            if run["failures"] and not run["failures"][-1]["retried"]:
                run["outcome"] = CAUGHT
            else:
                run["outcome"] = RETRIED if run["failures"] else SUCCEEDED
            self.current[lane] = None
        elif event_type.endswith("StateAborted"):
            # Cancelled: another branch failed, or the execution was stopped; or its own failure ended the branch
            # (AWS records TaskFailed, then TaskStateAborted).
            run["ended"] = event_id
            run["outcome"] = FAILED if run["failures"] and not run["failures"][-1]["retried"] else ABORTED
            self.current[lane] = None

    def iteration_event(self, event_type: str, lane: int, event_id: int) -> None:
        found = self.found.lanes[lane]
        if event_type != "MapIterationStarted":
            found["end"] = event_id
            found["status"] = event_type[len("MapIteration") :].upper()

    def unfinished(self, run: dict[str, Any]) -> str:
        """What became of a run that never exited."""
        if self.status == "RUNNING":
            return RUNNING
        if run["type"] == "Fail" or run["failures"]:
            return FAILED
        lane = self.found.lanes[run["lane"]]
        if lane.get("status") == "FAILED" or (lane["kind"] == "execution" and self.status in ("FAILED", "TIMED_OUT")):
            return FAILED
        if run["type"] in ("Parallel", "Map") and self.status != "ABORTED":
            return FAILED
        return ABORTED


def _is_failure(event_type: str) -> bool:
    if event_type.startswith(("Execution", "MapIteration", "MapRun")) or "State" in event_type:
        # A Parallel's or Map's own failure (ParallelStateFailed) is its branches': recorded as the state's
        # failure below, by its exit or its end.
        return event_type in ("ParallelStateFailed", "MapStateFailed")
    return event_type.endswith(_FAILURE_SUFFIXES)
