"""Task tokens and activity tasks: what an execution waits for from outside.

A ``.waitForTaskToken`` task served by a built-in integration, or an activity task, registers its
token here and parks. The caller answers through :class:`~sfnlocal.interpreter.result.ExecutionResult`
(``send_task_success`` / ``send_task_failure`` / ``send_task_heartbeat``, ``get_activity_task``), as
SendTaskSuccess & co. do in AWS; an unknown token is refused as AWS's ``InvalidToken``, a token whose
task already ended as ``TaskTimedOut``.

Code outside the execution that holds only a token (a boto3 ``send_task_success`` in a handler or a test)
finds the execution's callbacks with :func:`answering`: every :class:`Callbacks` that issued a token is
indexed, weakly, for as long as its execution lives.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakValueDictionary

from sfnlocal.interpreter.integration import Failure, Result
from sfnlocal.interpreter.scheduler import Fiber, Scheduler
from sfnlocal.language.jsontext import json_copy

HEARTBEAT: Any = type("Heartbeat", (), {"__repr__": lambda self: "HEARTBEAT"})()
# The longest error and cause SendTaskFailure takes (AWS's API reference: "Maximum length of 256" / "of 32768").
MAX_ERROR_LENGTH = 256
MAX_CAUSE_LENGTH = 32_768


@dataclass(frozen=True, slots=True)
class Reported(Failure):
    """A failure reported for a waiting task from outside (SendTaskFailure): error and cause may be None,
    and the error output keeps them as nulls (recorded from AWS)."""


class TaskTokenError(Exception):
    """A callback AWS would refuse: ``code`` is AWS's exception name (InvalidToken, TaskTimedOut).

    >>> str(TaskTokenError("InvalidToken", "Invalid token"))
    'InvalidToken: Invalid token'
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass
class ActivityTask:
    """An activity task waiting for a worker: what GetActivityTask hands out."""

    token: str
    input: Any
    fiber: Fiber
    state_name: str
    execution_arn: str
    on_started: Callable[[str | None], None]  # records ActivityStarted with the worker's name, if any


# Every Callbacks that has issued a token, in the order they first did (weakly: a dropped execution leaves).
_ISSUERS: WeakValueDictionary[int, Callbacks] = WeakValueDictionary()
_ISSUE_ORDER = itertools.count()


def answering(token: str) -> Callbacks | None:
    """The callbacks that can answer ``token``: those of the execution whose task waits for it (the latest to
    issue it, if executions with the same seed issued the same token), else those of one whose task had it and
    ended (they refuse it as AWS does), else None (no execution of this process issued it).

    >>> answering("no execution issued this") is None
    True
    """
    ended = None
    for callbacks in reversed(list(_ISSUERS.values())):
        if token in callbacks._waiting:
            return callbacks
        if ended is None and token in callbacks._ended:
            ended = callbacks
    return ended


class Callbacks:
    """The tokens an execution and its children wait on, and the activity tasks no worker has taken yet.

    ``resume`` runs the execution on after an answer that came from outside its run; ``running`` says whether the
    execution runs now (an answer given then is picked up by the run itself).
    """

    def __init__(
        self,
        scheduler: Scheduler,
        resume: Callable[[], None] = lambda: None,
        running: Callable[[], bool] = lambda: False,
    ) -> None:
        self._scheduler = scheduler
        self.resume = resume
        self._running = running
        self._indexed = False
        self._waiting: dict[str, Fiber] = {}
        self._tasks: dict[str, tuple[str, str]] = {}  # token -> (the waiting state's name, its execution's ARN)
        self._ended: set[str] = set()
        self._activities: dict[str, deque[ActivityTask]] = {}

    @property
    def running(self) -> bool:
        """Whether the execution runs now: an answer given then is picked up by the run itself."""
        return self._running()

    def waiting_tokens(self) -> list[str]:
        """Tokens of tasks waiting for an answer, oldest first."""
        return list(self._waiting)

    def waiting_tasks(self) -> list[dict[str, str]]:
        """``{"taskToken", "stateName", "executionArn"}`` of each task waiting for an answer, oldest first."""
        return [
            {"taskToken": token, "stateName": state_name, "executionArn": execution_arn}
            for token in self._waiting
            for state_name, execution_arn in (self._tasks[token],)
        ]

    def waiting_activities(self) -> list[dict[str, str]]:
        """``{"activityArn", "stateName", "executionArn"}`` of each activity task no worker has taken yet, oldest
        first per activity."""
        return [
            {"activityArn": activity_arn, "stateName": task.state_name, "executionArn": task.execution_arn}
            for activity_arn, queue in self._activities.items()
            for task in queue
            if not task.fiber.done
        ]

    def waiting_on_outside(self) -> bool:
        """Whether some task waits for an answer or a worker (then the clock only moves when told to)."""
        if self._waiting:
            return True
        # (asked at every move of the clock: most executions offer no activity task)
        return bool(self._activities) and any(
            not task.fiber.done for queue in self._activities.values() for task in queue
        )

    def wait_for(self, token: str, fiber: Fiber, state_name: str, execution_arn: str) -> None:
        """A task (of the state ``state_name`` in that execution) now waits for ``token`` to be answered."""
        self._waiting[token] = fiber
        self._tasks[token] = (state_name, execution_arn)
        if not self._indexed:
            self._indexed = True
            _ISSUERS[next(_ISSUE_ORDER)] = self

    def end(self, token: str) -> None:
        """The task of ``token`` ended (answered, timed out, cancelled): later answers are refused."""
        self._waiting.pop(token, None)
        self._tasks.pop(token, None)
        self._ended.add(token)

    def _fiber(self, token: str) -> Fiber:
        fiber = self._waiting.get(token)
        if fiber is not None:
            return fiber
        if token in self._ended:
            raise TaskTokenError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
        raise TaskTokenError("InvalidToken", f"Invalid token: {token!r}")

    def succeed(self, token: str, output: Any) -> None:
        """SendTaskSuccess: the task's result is ``output`` (a JSON value, or JSON text as AWS takes it)."""
        fiber = self._fiber(token)
        self._scheduler.wake(fiber, Result(json_copy(output, "the task output")))

    def fail(self, token: str, error: str | None, cause: str | None) -> None:
        """SendTaskFailure: the task fails with ``error`` and ``cause`` (either may be absent, as in AWS).

        Longer texts than the API takes are refused as AWS refuses them (a ValidationException, before the
        token is looked at).
        """
        for field, value, longest in (("error", error, MAX_ERROR_LENGTH), ("cause", cause, MAX_CAUSE_LENGTH)):
            if value is None:
                continue
            # AWS's wording for a length, quoted in a public thread (irothschild/stefuna#8) for the cause; these
            # fields are sensitive, so the value is not quoted. The constraint for a non-string is sfnlocal's words.
            constraint = (
                "Member must be a string"
                if not isinstance(value, str)
                else f"Member must have length less than or equal to {longest}"
                if len(value) > longest
                else None
            )
            if constraint is not None:
                raise TaskTokenError(
                    "ValidationException",
                    f"1 validation error detected: Value at '{field}' failed to satisfy constraint: {constraint}",
                )
        self._scheduler.wake(self._fiber(token), Reported(error, cause))

    def heartbeat(self, token: str) -> None:
        """SendTaskHeartbeat: the task's HeartbeatSeconds start again."""
        self._scheduler.wake(self._fiber(token), HEARTBEAT)

    # Activities --------------------------------------------------------------------------------

    def offer_activity(self, activity_arn: str, task: ActivityTask) -> None:
        """An activity task waits for a worker of ``activity_arn``."""
        self._activities.setdefault(activity_arn, deque()).append(task)

    def take_activity(self, activity_arn: str, worker_name: str | None) -> ActivityTask | None:
        """GetActivityTask: the oldest task of this activity, now started by ``worker_name``; None if none."""
        queue = self._activities.get(activity_arn)
        while queue:
            task = queue.popleft()
            if not task.fiber.done:
                task.on_started(worker_name)
                self.wait_for(task.token, task.fiber, task.state_name, task.execution_arn)
                return task
        return None
