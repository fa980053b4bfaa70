"""RedriveExecution's rules and the history of a redriven execution.

AWS redrives a FAILED, TIMED_OUT or ABORTED Standard execution (within 14 days of its end, at most 1,000 times) from
its unsuccessful steps: the states with a ``<type>StateEntered`` event and no ``<type>StateExited`` for it. The steps
that succeeded are not run again; the history keeps every event and goes on after an ``ExecutionRedriven`` event;
the state machine's TimeoutSeconds starts again; ``$$.Execution.RedriveCount`` counts the redrives.

sfnlocal redrives through the execution's journal (:mod:`sfnlocal.interpreter.journal`), run again to the point
where the execution ended (:func:`redrive_plan`), nothing invoked again on the way, and picked up there at the
redrive's time:

* failed by a task's answer (its error and cause are the execution's): everything up to that answer is replayed;
  the task is attempted again from its first attempt; the other branches and iterations of a Parallel or Map go on
  from where they were (a task that was waiting for its token waits for the same token);
* otherwise (aborted, timed out, a Fail state, an error of the state machine's own data flow): the run starts again
  with the answers recorded before its first unsuccessful step was entered (:func:`redrive_cut`); that step runs
  live (a task waiting for its token is scheduled again, with a new token). Here the branches and iterations of a
  Parallel or Map that ended after that step was entered run again too (AWS runs again only those that failed or
  were aborted).

>>> events = [
...     {"id": 1, "previousEventId": 0, "type": "ExecutionStarted"},
...     {"id": 2, "previousEventId": 0, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "P"}},
...     {"id": 3, "previousEventId": 2, "type": "PassStateExited", "stateExitedEventDetails": {"name": "P"}},
...     {"id": 4, "previousEventId": 3, "type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "T"}},
...     {"id": 5, "previousEventId": 4, "type": "TaskFailed"},
...     {"id": 6, "previousEventId": 5, "type": "ExecutionFailed"}]
>>> redrive_cut(events)  # the Task entered at event 4 did not exit: it runs again
4
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

REDRIVABLE = ("FAILED", "TIMED_OUT", "ABORTED")
MAX_REDRIVES = 1_000  # AWS's quota on redrives of one execution
REDRIVABLE_FOR = timedelta(days=14)  # AWS redrives executions that ended in the last 14 days
# States whose Entered event opens others' (their unsuccessful steps are inside them).
_CONTAINERS = ("ParallelStateEntered", "MapStateEntered")


def redrive_cut(history: list[dict[str, Any]]) -> int:
    """The id of the ``Entered`` event of the first unsuccessful step of a run's history (a state that has none
    after it in a container: a Parallel or Map state that did not exit; else the last event's predecessor)."""
    by_id = {event["id"]: event for event in history}
    closed: set[int] = set()
    for event in history:
        if not event["type"].endswith("StateExited"):
            continue
        name = event["stateExitedEventDetails"]["name"]
        previous, steps = event.get("previousEventId", 0), 0
        while previous and steps < len(history):  # back along the links to the Entered event this Exited closes
            earlier = by_id.get(previous)
            if earlier is None:
                break
            entered = earlier.get("stateEnteredEventDetails")
            if entered is not None and entered["name"] == name and earlier["id"] not in closed:
                closed.add(earlier["id"])
                break
            previous, steps = earlier.get("previousEventId", 0), steps + 1
    open_steps = [
        (event["type"] in _CONTAINERS, event["id"])
        for event in history
        if "stateEnteredEventDetails" in event and event["id"] not in closed
    ]
    return min(open_steps)[1] if open_steps else max(len(history) - 1, 1)


@dataclass(frozen=True)
class RedrivePlan:
    """How to run an execution again for a redrive: the journal ``entries`` to replay, the event ``cut`` of its run
    after which its history goes on, and where the replay is picked up (see
    :class:`~sfnlocal.interpreter.journal.Redrive`): at the answer numbered ``rerun`` (tried again), or at ``cut``."""

    entries: list[dict[str, Any]]
    cut: int
    rerun: int | None = None


def redrive_plan(entries: list[dict[str, Any]], ended: dict[str, Any], history: list[dict[str, Any]]) -> RedrivePlan:
    """How to redrive an execution that ended as ``ended`` describes it (status, error, cause), from its journal's
    ``entries`` and its run's ``history`` (see the module's docs).

    >>> prepared = {"answer": {"state": "Prepare", "part": "Task", "result": {}}, "at": 4}
    >>> declined = {"answer": {"state": "Charge", "part": "Task", "failure": ["Declined", "no"]}, "at": 9}
    >>> plan = redrive_plan([prepared, declined], {"status": "FAILED", "error": "Declined", "cause": "no"}, [])
    >>> plan.entries == [prepared], plan.cut, plan.rerun  # Charge is attempted again: answer 1 is not replayed
    (True, 9, 1)
    """
    if ended["status"] == "FAILED":
        failed = [ended.get("error"), ended.get("cause")]
        for index in range(len(entries) - 1, -1, -1):
            answer = entries[index].get("answer")
            if (
                answer is not None
                and answer["part"] == "Task"
                and failed in (answer.get("failure"), answer.get("raises"))
            ):
                cut = entries[index]["at"]
                kept = [entry for entry in entries[:index] if "answer" in entry or entry["at"] <= cut]
                return RedrivePlan(kept, cut, rerun=sum("answer" in entry for entry in kept))
    cut = redrive_cut(history)
    return RedrivePlan([entry for entry in entries if entry["at"] < cut], cut)


@dataclass
class Redrives:
    """The redrives of one execution: ``prior``, its history up to the last ``ExecutionRedriven`` event, and
    ``segments``, how the current run's event ids map into it (``(cut, offset)``: an id above ``cut`` moves by
    ``offset``)."""

    prior: list[dict[str, Any]] = field(default_factory=list)
    segments: list[tuple[int, int]] = field(default_factory=list)
    count: int = 0
    date: datetime | None = None

    def add(self, history: list[dict[str, Any]], cut: int, moment: datetime, count: int) -> None:
        """A redrive at ``moment`` of an execution whose history is ``history``, its new run going on after the
        event ``cut`` of its own history."""
        redriven = {
            "timestamp": moment,
            "type": "ExecutionRedriven",
            "id": len(history) + 1,
            "previousEventId": len(history),
            "executionRedrivenEventDetails": {"redriveCount": count},
        }
        self.prior = [*history, redriven]
        self.segments = [segment for segment in self.segments if segment[0] < cut]
        self.segments.append((cut, len(self.prior) - cut))
        self.count, self.date = count, moment

    def history(self, run: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The execution's history, given its current run's own."""
        cut = self.segments[-1][0]
        since = self.date
        assert since is not None
        moved = []
        for event in run[cut:]:
            event = dict(event)
            event["id"] = self._moved(event["id"])
            if event.get("previousEventId"):
                event["previousEventId"] = self._moved(event["previousEventId"])
            # Replayed up to the step that runs again, at the clock of the first run: it runs at the redrive.
            event["timestamp"] = max(event["timestamp"], since)
            moved.append(event)
        return [dict(event) for event in self.prior] + moved

    def _moved(self, event_id: int) -> int:
        offset = 0
        for cut, by in self.segments:
            if event_id > cut:
                offset = by
        return event_id + offset

    def stored(self) -> dict[str, Any]:
        """As the store keeps it."""
        return {"prior": self.prior, "segments": self.segments, "count": self.count, "date": self.date}

    @classmethod
    def restored(cls, kept: dict[str, Any]) -> Redrives:
        """From what :meth:`stored` gave."""
        return cls(kept["prior"], [tuple(segment) for segment in kept["segments"]], kept["count"], kept["date"])


def redrive_fields(status: str, redrives: Redrives | None) -> dict[str, Any]:
    """DescribeExecution's redrive fields: ``redriveCount``, ``redriveDate`` once redriven, ``redriveStatus`` and,
    when it is NOT_REDRIVABLE, ``redriveStatusReason`` (AWS's reasons)."""
    fields: dict[str, Any] = {"redriveCount": redrives.count if redrives is not None else 0}
    if redrives is not None and redrives.date is not None:
        fields["redriveDate"] = redrives.date
    if status in REDRIVABLE:
        fields["redriveStatus"] = "REDRIVABLE"
    else:
        fields["redriveStatus"] = "NOT_REDRIVABLE"
        fields["redriveStatusReason"] = f"Execution is {status} and cannot be redriven"
    return fields


def refusal(described: dict[str, Any], journaled: bool, now: datetime) -> str | None:
    """Why RedriveExecution refuses an execution (DescribeExecution's response): AWS's reason, or None."""
    if described.get("redriveStatus") != "REDRIVABLE":
        return str(described.get("redriveStatusReason", f"Execution is {described['status']} and cannot be redriven"))
    cause = described.get("cause") or ""
    if described["status"] == "FAILED" and cause.startswith("The execution reached the maximum number of history"):
        return "Execution history event limit exceeded"
    if described["status"] == "TIMED_OUT" and described.get("error") == "States.Timeout":
        return "Execution has exceeded the max execution time"
    if now - described["stopDate"] > REDRIVABLE_FOR:
        return "Execution redrivable period exceeded"
    if described["redriveCount"] >= MAX_REDRIVES:
        # AWS's quota; its words for it are not documented: sfnlocal's.
        return f"Execution has been redriven {MAX_REDRIVES} times, the most AWS allows"
    if not journaled:
        # sfnlocal's words: a child execution runs inside the one that started it, and so is journaled with it.
        return "sfnlocal keeps no journal of this execution of its own: redrive the execution that started it"
    return None
