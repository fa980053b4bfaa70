"""Answering what a replayed execution waits for, as the recording shows it was answered.

An activity task waits for a worker; AWS records the worker that took it (``ActivityStarted``) and then its
answer. :class:`Answers` plays the workers' part: it takes each activity task with the next recorded worker's
name, then answers each waiting task with its state's next recorded outcome, once: ``SUCCEEDED`` with
SendTaskSuccess and the recorded output, ``FAILED`` with SendTaskFailure and the recorded error and cause;
``TIMED_OUT`` and ``PENDING`` are not answered. When nothing can be answered, virtual time passes
(:func:`wait_out`) so that the tasks' own timeouts, the machine's TimeoutSeconds or a recorded stop happen as
they did in AWS.

AWS does not record heartbeats in the history, so none is sent. In recorded outputs, ``<task_token:N>`` (a
normalised recording's placeholder) stands for the token the worker echoed back; it is given back as the token of
the task being answered. Shared by :mod:`sfnlocal.replay` and the project's conformance runner (its serve mode
answers ``.waitForTaskToken`` tasks this way too).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.replay.mocks import cause_text

RUNNING = "RUNNING"
WAIT_STEP_SECONDS = 1.0
# Timeouts are whole seconds, so one-second steps never carry the clock past a later deadline; after
# an hour of steps, one jump covers the longest timeouts (a Task's default is 99999999 s).
WAIT_STEPS = 3600
WAIT_JUMP_SECONDS = 100_000_000.0
_TASK_TOKEN = re.compile(r"<task_token:\d+>")


def recorded_workers(events: Iterable[Mapping[str, Any]]) -> list[str | None]:
    """The worker names of the recorded ActivityStarted events, in order (None where none was given).

    >>> recorded_workers([
    ...     {"type": "ActivityStarted", "activityStartedEventDetails": {"workerName": "w"}},
    ...     {"type": "ActivityStarted", "activityStartedEventDetails": {}}])
    ['w', None]
    """
    return [
        (event.get("activityStartedEventDetails") or {}).get("workerName")
        for event in events
        if event.get("type") == "ActivityStarted"
    ]


def with_token(value: Any, token: str) -> Any:
    """``value`` with each ``<task_token:N>`` placeholder replaced by ``token``.

    >>> with_token({"TaskToken": "<task_token:1>", "n": [1]}, "t-42")
    {'TaskToken': 't-42', 'n': [1]}
    """
    if isinstance(value, dict):
        return {key: with_token(item, token) for key, item in value.items()}
    if isinstance(value, list):
        return [with_token(item, token) for item in value]
    if isinstance(value, str):
        return _TASK_TOKEN.sub(token, value)
    return value


def _progress(run: ExecutionResult) -> tuple[str, int]:
    return run.status, len(run.history)


def wait_out(run: ExecutionResult) -> bool:
    """Let virtual time pass until something happens (a timeout, a stop); False when nothing does.

    The clock moves a second at a time, then once by :data:`WAIT_JUMP_SECONDS`.
    """
    before = _progress(run)
    for _ in range(WAIT_STEPS):
        run.advance(WAIT_STEP_SECONDS)
        if _progress(run) != before:
            return True
    run.advance(WAIT_JUMP_SECONDS)
    return _progress(run) != before


class Answers:
    """Recorded answers handed out to the tasks that wait, in order: ``records`` (state name -> its recorded
    invocations), ``workers`` (:func:`recorded_workers`), ``activities`` (the activity ARNs the definition names),
    ``texts`` (:func:`~sfnlocal.replay.mocks.json_texts` of the recording)."""

    def __init__(
        self,
        records: Mapping[str, Sequence[Mapping[str, Any]]],
        workers: Iterable[str | None],
        activities: Iterable[str],
        texts: Mapping[str, str],
    ) -> None:
        self.outcomes = {state: deque(found) for state, found in records.items()}
        self.workers = deque(workers)
        self.activities = sorted(set(activities))
        self.texts = texts
        self.assigned: dict[str, Mapping[str, Any] | None] = {}  # task token -> its recorded outcome

    def take_activity(self, run: ExecutionResult) -> bool:
        """Take one activity task for the next recorded worker; whether there was one."""
        for arn in self.activities:
            # A None worker name is the recording's: GetActivityTask's workerName is optional.
            if self.workers and run.get_activity_task(arn, self.workers[0]) is not None:
                self.workers.popleft()
                return True
        return False

    def _outcome_of(self, task: Mapping[str, str]) -> Mapping[str, Any] | None:
        token = task["taskToken"]
        if token not in self.assigned:
            queue = self.outcomes.get(task["stateName"])
            self.assigned[token] = queue.popleft() if queue else None
        return self.assigned[token]

    def answer_one(self, run: ExecutionResult) -> bool:
        """Answer the oldest waiting task whose recorded outcome is an answer; whether there was one."""
        for task in run.waiting_tasks:
            record = self._outcome_of(task)
            status = record.get("status") if record else None
            token = task["taskToken"]
            if record is not None and status == "SUCCEEDED":
                run.send_task_success(token, with_token(record.get("output"), token))
                return True
            if record is not None and status == "FAILED":
                run.send_task_failure(token, record.get("error"), cause_text(record, self.texts))
                return True
        return False

    def answer(self, run: ExecutionResult) -> None:
        """Answer what ``run`` waits for as recorded, until it ends or nothing more happens."""
        while run.status == RUNNING:
            if self.take_activity(run) or self.answer_one(run):
                continue
            if not wait_out(run):
                return
