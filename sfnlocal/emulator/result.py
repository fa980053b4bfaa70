"""What an execution returns: status, output or error, history, and what each state saw."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class StateRecord:
    """The input and output of the last visit of one state, and how often it was entered."""

    name: str
    input: Any = None
    output: Any = None
    entered: int = 0
    exited: bool = False


@dataclass
class TimelineEntry:
    """One visit of a state on the execution's clock (seconds since the epoch); ``exited_at`` is None
    for a visit that failed or has not finished."""

    name: str
    entered_at: float
    exited_at: float | None = None


@dataclass
class ExecutionResult:
    """The outcome of :meth:`sfnlocal.StateMachine.execute`.

    ``status`` is ``SUCCEEDED``, ``FAILED``, ``TIMED_OUT``, ``ABORTED`` (stopped with ``stop_after``), or
    ``RUNNING`` when the execution is suspended waiting for something outside it (a task that never
    answered).
    """

    status: str
    execution_arn: str
    name: str
    start_date: datetime
    stop_date: datetime | None
    output: Any = None
    error: str | None = None
    cause: str | None = None
    path: list[str] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)  # the top-level variables at the end
    timeline: list[TimelineEntry] = field(default_factory=list, repr=False)
    states: dict[str, StateRecord] = field(default_factory=dict, repr=False)
    _history: Any = field(default=None, repr=False)
    _rendered: list[dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def history(self) -> list[dict[str, Any]]:
        """Events shaped like GetExecutionHistory's ``events`` (rendered once, on first access)."""
        if self._rendered is None:
            self._rendered = self._history.render()
        return self._rendered

    @property
    def succeeded(self) -> bool:
        """``status == "SUCCEEDED"``."""
        return self.status == "SUCCEEDED"

    def state(self, name: str) -> StateRecord:
        """What state ``name`` last received and produced.

        Raises KeyError naming the states that did run when ``name`` was never entered.
        """
        try:
            return self.states[name]
        except KeyError:
            ran = ", ".join(repr(n) for n in self.states) or "none"
            raise KeyError(f"state {name!r} was not entered in this execution (states entered: {ran})") from None

    def to_dict(self) -> dict[str, Any]:
        """``{"status", "output", "error", "cause", "history"}``, JSON-ready (timestamps as ISO text)."""
        history = [{**event, "timestamp": event["timestamp"].isoformat()} for event in self.history]
        return {"status": self.status, "output": self.output, "error": self.error, "cause": self.cause,
                "history": history}
