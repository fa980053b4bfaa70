"""What every state type shares: its name, transition, I/O paths, Retry/Catch, and how it is run.

A state is compiled once from its definition object. At run time the execution calls
:meth:`State.run` for one *visit* (see :mod:`sfnlocal.interpreter.visit`); it returns the state's
output and the name of the next state (None when the branch ends there).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sfnlocal.interpreter.history import Lane
from sfnlocal.interpreter.retry_catch import Catcher, Retrier
from sfnlocal.language.dataflow import ResultPath, SelectPath
from sfnlocal.language.errors import DefinitionError, StatesError
from sfnlocal.language.fields import Field, compile_field
from sfnlocal.language.jsontext import PayloadBound
from sfnlocal.language.paths import Scope
from sfnlocal.language.state_fields import JSONATA, JSONPATH, STATE_TYPES, StateType
from sfnlocal.language.variables import Variables, compile_assign

if TYPE_CHECKING:
    from random import Random

    from sfnlocal.interpreter.execution import Execution
    from sfnlocal.interpreter.model import Branch
    from sfnlocal.language.jsonata import Bindings

StateRun = Generator[Any, Any, tuple[Any, "str | None"]]
NO_VALUE: Any = type("NoValue", (), {"__repr__": lambda self: "NO_VALUE"})()

# The stages of a visit's data flow that :meth:`Visit.inspect` reports, named as TestState's
# ``inspectionData`` names them (``afterArguments``: after Parameters in JSONPath, Arguments in JSONata).
AFTER_INPUT_PATH = "afterInputPath"
AFTER_ARGUMENTS = "afterArguments"
RESULT = "result"
AFTER_RESULT_SELECTOR = "afterResultSelector"
AFTER_RESULT_PATH = "afterResultPath"


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
    a new ParallelStateStarted), so the event is left to :func:`sfnlocal.interpreter.visit.visit_state`.
    """

    def __init__(self, error: StatesError, failed_event: str) -> None:
        super().__init__(error.error, error.cause)
        self.failed_event = failed_event
        self.inner = error

    def as_output(self) -> dict[str, Any]:
        """The branch's or iteration's own error output (a reported failure keeps its null fields)."""
        return self.inner.as_output()


@dataclass(slots=True)
class Frame:
    """Where a branch of states runs: its execution, its history lane, the variables it sees, and the indexes of
    the inline Map iterations it runs in, outermost first (as AWS numbers them in MapIterationStarted)."""

    execution: Execution
    lane: Lane
    variables: Variables
    in_parallel_branch: bool = False
    iteration: tuple[int, ...] = ()
    # A bound on the measure of the branch's output once it has run, where one is known (see run_branch).
    output_bound: PayloadBound | None = None


@dataclass(slots=True)
class Visit:
    """One entry into a state: what ``$$.State`` shows, and what a Task adds (``$$.Task.Token``)."""

    state: State
    frame: Frame
    entered_event_id: int
    entered_time: float
    state_input: Any = None
    retry_count: int = 0
    task_token: str | None = None
    # The Assign that applies to this visit (the state's own; a matched Choice rule's instead), and what
    # ``$`` means in it in JSONPath mode (the state's result, or its effective input).
    assign: Field | None = None
    assign_input: Any = None
    # What JSONata's $states.result and $states.errorOutput show, once there is one.
    result: Any = NO_VALUE
    error_output: Any = NO_VALUE
    # ``$$.Map.Item`` while a Map state evaluates its ItemSelector for one item.
    map_item: dict[str, Any] | None = None
    # Bounds on the state input's and output's measure, where known (see PayloadBound): an output known to be
    # within AWS's limits is not measured. The state's run sets output_bound when it can work one out.
    input_bound: PayloadBound | None = None
    output_bound: PayloadBound | None = None

    @property
    def rng(self) -> Random:
        """The execution's seeded random source."""
        return self.frame.execution.rng

    def jsonata_bindings(self, context: bool = True) -> Bindings:
        """``$states`` and the variables, as JSONata expressions in this state see them (``$states.context``
        left out when ``context`` is False: the field cannot read it, see ``fields.may_read_context``)."""
        from sfnlocal.language.jsonata import Bindings

        states: dict[str, Any] = {"input": self.state_input}
        if context:
            states["context"] = self.context()
        if self.result is not NO_VALUE:
            states["result"] = self.result
        if self.error_output is not NO_VALUE:
            states["errorOutput"] = self.error_output
        execution = self.frame.execution
        return Bindings(states, self.frame.variables, execution.scheduler.now, execution.rng)

    def context(self) -> dict[str, Any]:
        """The context object (``$$``) as this state sees it."""
        context = self.base_context()
        if self.task_token is not None:
            context.setdefault("Task", {"Token": self.task_token})
        if self.map_item is not None:
            context["Map"] = {"Item": self.map_item}
        return context

    def base_context(self) -> dict[str, Any]:
        """``Execution``, ``State`` and ``StateMachine`` of the context object (a new dict each time)."""
        execution = self.frame.execution
        state: dict[str, Any] = {"EnteredTime": iso_time(self.entered_time), "Name": self.state.name}
        # AWS shows RetryCount only for states that can retry (recorded: a Pass state's $$ has none).
        if self.state.retriers:
            state["RetryCount"] = self.retry_count
        return {
            "Execution": execution.context_execution,
            "State": state,
            "StateMachine": execution.context_state_machine,
        }

    # Whether the visit keeps what inspect() is shown: an execution's does not, so the states skip those calls (about
    # thirty a run), TestState's does.
    inspecting: ClassVar[bool] = False

    def inspect(self, stage: str, value: Any) -> None:
        """Report an intermediate value of this visit's data flow (``stage`` is one of the names above,
        e.g. :data:`AFTER_INPUT_PATH`), when the visit is :attr:`inspecting`. An execution keeps none; TestState's
        visit records them."""

    def scope(self, state_input: Any) -> Scope:
        """What paths and intrinsics in this state read: its (effective) input and the context."""
        return Scope(state_input, None, self.frame.variables, self.context)


class State:
    """Fields and behaviour common to all eight state types.

    Which fields a type has, which of them the other query language refuses, and whether the type has a
    result of its own come from its ``declaration`` (:mod:`sfnlocal.language.state_fields`). A field the
    type does not have is never read: the fields read here for every type take their defaults in the
    types without them (a Fail state's InputPath, a Choice state's Next, a Pass state's Retry).
    """

    type_name: ClassVar[str] = ""
    declaration: ClassVar[StateType]  # set from type_name for each state type (__init_subclass__)
    # A type whose visits never wait (no task, timer or branch): it has :meth:`run_now`, and an execution visits it
    # without a generator (see ``visit.visit_now``).
    immediate: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.declaration = STATE_TYPES[cls.type_name]

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Branch) -> None:
        self.name = name
        self.location = location
        self.parent = parent
        # A state's own QueryLanguage, else the machine's (states in Map and Parallel inherit the machine's).
        self.jsonata = spec.get("QueryLanguage", parent.query_language) == JSONATA
        self._refuse_other_language(spec)
        has = self.declaration.allowed
        self.next: str | None = spec.get("Next") if "Next" in has else None
        self.end: bool = "End" in has and bool(spec.get("End", False))
        self.entered_event = f"{self.type_name}StateEntered"
        self.exited_event = f"{self.type_name}StateExited"
        self.input_path = SelectPath(spec.get("InputPath", "$") if "InputPath" in has else "$", f"{location}/InputPath")
        self.output_path = SelectPath(
            spec.get("OutputPath", "$") if "OutputPath" in has else "$", f"{location}/OutputPath"
        )
        self.result_path = ResultPath(
            spec.get("ResultPath", "$") if "ResultPath" in has else "$", f"{location}/ResultPath"
        )
        self.output = self.field(spec, "Output")
        self.assign = compile_assign(
            spec.get("Assign") if "Assign" in has else None,
            f"{location}/Assign",
            self.jsonata,
            result="Assign" in self.declaration.result_fields,
        )
        # Set by a type whose visit, with these fields, gives its input as its output and assigns nothing (a Pass
        # state with none of its data-flow fields): such a visit evaluates nothing.
        self.passes_input = False
        self.retriers: tuple[Retrier, ...] = ()
        self.catchers: tuple[Catcher, ...] = ()
        if "Retry" in has:  # with Catch: the types that can fail on their own (Task, Parallel, Map)
            self.retriers = tuple(Retrier.from_spec(r) for r in spec.get("Retry", ()))
            self.catchers = tuple(
                Catcher.from_spec(c, f"{location}/Catch/{i}", self.jsonata) for i, c in enumerate(spec.get("Catch", ()))
            )

    def __repr__(self) -> str:
        return f"<{self.type_name} state {self.name!r}>"

    def _refuse_other_language(self, spec: dict[str, Any]) -> None:
        """Refuse the first field (in declared order) of this type that the state's query language lacks."""
        language, other = (JSONATA, JSONPATH) if self.jsonata else (JSONPATH, JSONATA)
        for field in self.declaration.only_in[other]:
            if field in spec:
                raise DefinitionError(
                    f"{self.location}/{field}",
                    f"the field '{field}' belongs to the {other} query language, but this state uses {language}",
                )

    def field(self, spec: dict[str, Any], name: str) -> Field | None:
        """Compile one of this type's fields in the state's query language (None when absent, or not the type's)."""
        if name not in self.declaration.allowed or name not in spec:
            return None
        return compile_field(
            spec[name],
            name,
            f"{self.location}/{name}",
            self.jsonata,
            result=name in self.declaration.result_fields,
        )

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        """Do this state's work for one visit; return (output, next state name or None).

        A generator, which yields what the visit waits on (see :mod:`sfnlocal.interpreter.scheduler`); an
        immediate type's is :meth:`run_now` as a generator."""
        return self.run_now(visit, state_input)
        yield  # pragma: no cover  (makes this a generator)

    def run_now(self, visit: Visit, state_input: Any) -> tuple[Any, str | None]:
        """An immediate type's visit (one that never waits): (output, next state name or None)."""
        raise NotImplementedError  # every type either overrides this (immediate) or run

    def leaves_data_unchanged(self) -> bool:
        """Whether this state's own data-flow fields leave its input as it is: no InputPath, ResultPath or OutputPath
        but ``$`` (JSONPath), no Output (JSONata), no Assign."""
        if self.assign is not None or self.output is not None:
            return False
        return self.jsonata or (
            self.input_path.is_identity
            and self.output_path.is_identity
            and self.result_path.segments == ()
            and not self.result_path.discard
        )

    # Helpers shared by the types that have them ------------------------------------------------

    def effective_input(self, visit: Visit, state_input: Any) -> Any:
        """The input after ``InputPath`` (JSONPath; in JSONata the state works on its input as is)."""
        selected = state_input if self.input_path.is_identity else self.input_path.apply(visit.scope(state_input))
        visit.assign_input = selected
        if visit.inspecting:
            visit.inspect(AFTER_INPUT_PATH, selected)
        return selected

    def selected_bound(self, visit: Visit) -> PayloadBound | None:
        """A bound on :meth:`effective_input`'s value, from the visit's input bound (None: not known)."""
        if self.jsonata or self.input_path.is_identity:
            return visit.input_bound
        return self.input_path.bound(visit.input_bound)

    def finish_bound(self, visit: Visit, result: PayloadBound | None) -> PayloadBound | None:
        """A bound on :meth:`finish`'s value, from the visit's input bound and one on the result (None: not known)."""
        if self.jsonata:
            return result if self.output is None else None
        return self.output_path.bound(self.result_path.bound(visit.input_bound, result))

    def finish(self, visit: Visit, state_input: Any, result: Any) -> Any:
        """The state's output from its input and its result (the effective input for Choice, Wait, ...).

        JSONPath: ``ResultPath`` then ``OutputPath``. JSONata: ``Output`` evaluated with
        ``$states.result``, or the result itself when there is no Output.
        """
        visit.assign_input = visit.result = result
        if visit.inspecting:
            visit.inspect(AFTER_RESULT_SELECTOR, result)
        if self.jsonata:
            return result if self.output is None else self.output.evaluate(visit, None)
        combined = self.result_path.apply(state_input, result)
        if visit.inspecting:
            visit.inspect(AFTER_RESULT_PATH, combined)
        if self.output_path.is_identity:
            return combined
        return self.output_path.apply(visit.scope(combined))
