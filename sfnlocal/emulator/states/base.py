"""What every state type shares: its name, transition, I/O paths, Retry/Catch, and how it is run.

A state is compiled once from its definition object. At run time the execution calls
:meth:`State.run` for one *visit* (see :mod:`sfnlocal.emulator.visit`); it returns the state's
output and the name of the next state (None when the branch ends there).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sfnlocal.emulator.dataflow import ResultPath, SelectPath
from sfnlocal.emulator.errors import StatesError
from sfnlocal.emulator.history import Lane
from sfnlocal.emulator.paths import Scope
from sfnlocal.emulator.retry_catch import Catcher, Retrier
from sfnlocal.emulator.variables import Assignment, Variables, compile_assign

if TYPE_CHECKING:
    from sfnlocal.emulator.execution import Execution
    from sfnlocal.emulator.model import Branch

StateRun = Generator[Any, Any, tuple[Any, "str | None"]]


def iso_time(seconds: float) -> str:
    """A clock time as AWS writes it in the context object: ISO 8601, milliseconds, ``Z``.

    >>> iso_time(0.25)
    '1970-01-01T00:00:00.250Z'
    """
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class CompositeFailure(StatesError):
    """A Parallel or Map state failed because of a branch or iteration.

    AWS records ``<Type>StateFailed`` only when the failure leaves the state (caught or not), not when a
    retrier runs the state again (recorded: a retried Parallel goes straight from the branch's failure to
    a new ParallelStateStarted), so the event is left to :func:`sfnlocal.emulator.visit.visit_state`.
    """

    def __init__(self, error: StatesError, failed_event: str) -> None:
        super().__init__(error.error, error.cause)
        self.failed_event = failed_event


@dataclass(slots=True)
class Frame:
    """Where a branch of states runs: its execution, its history lane, and the variables it sees."""

    execution: Execution
    lane: Lane
    variables: Variables


@dataclass(slots=True)
class Visit:
    """One entry into a state: what ``$$.State`` shows, and what a Task adds (``$$.Task.Token``)."""

    state: State
    frame: Frame
    entered_event_id: int
    entered_time: float
    retry_count: int = 0
    task_token: str | None = None
    # The Assign that applies to this visit (the state's own; a matched Choice rule's instead), and what
    # ``$`` means in it (the state's result, or its effective input).
    assign: Assignment | None = None
    assign_input: Any = None

    def context(self) -> dict[str, Any]:
        """The context object (``$$``) as this state sees it."""
        execution = self.frame.execution
        state: dict[str, Any] = {"EnteredTime": iso_time(self.entered_time), "Name": self.state.name}
        # AWS shows RetryCount only for states that can retry (recorded: a Pass state's $$ has none).
        if self.state.retriers:
            state["RetryCount"] = self.retry_count
        context: dict[str, Any] = {
            "Execution": execution.context_execution,
            "State": state,
            "StateMachine": execution.context_state_machine,
        }
        if self.task_token is not None:
            context["Task"] = {"Token": self.task_token}
        return context

    def scope(self, state_input: Any) -> Scope:
        """What paths and intrinsics in this state read: its (effective) input and the context."""
        return Scope(state_input, self.context(), self.frame.variables)


class State:
    """Fields and behaviour common to all eight state types."""

    type_name: ClassVar[str] = ""
    # Fields each type accepts beyond the common ones are read by the subclass's __init__.

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Branch) -> None:
        self.name = name
        self.location = location
        self.parent = parent
        self.next: str | None = spec.get("Next")
        self.end: bool = bool(spec.get("End", False))
        self.entered_event = f"{self.type_name}StateEntered"
        self.exited_event = f"{self.type_name}StateExited"
        self.input_path = SelectPath(spec.get("InputPath", "$"), f"{location}/InputPath")
        self.output_path = SelectPath(spec.get("OutputPath", "$"), f"{location}/OutputPath")
        self.retriers: tuple[Retrier, ...] = tuple(Retrier.from_spec(r) for r in spec.get("Retry", ()))
        self.assign = compile_assign(spec.get("Assign"), f"{location}/Assign")
        self.catchers: tuple[Catcher, ...] = tuple(
            Catcher.from_spec(c, f"{location}/Catch/{i}") for i, c in enumerate(spec.get("Catch", ()))
        )

    def __repr__(self) -> str:
        return f"<{self.type_name} state {self.name!r}>"

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        """Do this state's work for one visit; return (output, next state name or None)."""
        raise NotImplementedError  # every state type overrides this
        yield  # pragma: no cover  (makes this a generator, like the overrides)

    # Helpers shared by the types that have them ------------------------------------------------

    def effective_input(self, visit: Visit, state_input: Any) -> Any:
        """The input after ``InputPath`` (also what ``$`` means in Assign until there is a result)."""
        selected = state_input if self.input_path.is_identity else self.input_path.apply(visit.scope(state_input))
        visit.assign_input = selected
        return selected

    def finish(self, visit: Visit, state_input: Any, result: Any, result_path: ResultPath) -> Any:
        """``ResultPath`` then ``OutputPath``: the state's output from its raw input and its result."""
        visit.assign_input = result
        combined = result_path.apply(state_input, result)
        if self.output_path.is_identity:
            return combined
        return self.output_path.apply(visit.scope(combined))
