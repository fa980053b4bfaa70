"""One fuzz case run through the whole public surface, and what counts as a failure.

A :class:`Case` is a definition, an input, mocks, execution options, a worker's answers and a TestState
request. :func:`run_case` loads it (``StateMachine.from_dict``, ``sfnlocal.validate``), executes it twice
(answering a suspended execution as the case says), renders the results (``run.history``,
``run.to_dict()``, ``json.dumps``, ``describe_run``) and calls TestState, under a wall-clock bound, and
returns the :class:`Finding`\\ s: a Python exception other than the documented ones (:data:`DOCUMENTED`)
leaving the API, an execution failed with ``sfnlocal.InternalError``, a case past its time bound,
``validate`` passing what ``from_dict`` refuses, a mutated input, a result that shares objects with another,
or two runs of one case that differ.
"""

from __future__ import annotations

import contextlib
import json
import signal
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import sfnlocal
from sfnlocal import DefinitionError, InvalidDefinition, StateMachine, TaskTokenError, TestStateError
from sfnlocal.interpreter.execution import Execution
from sfnlocal.language.errors import INTERNAL_ERROR

from .outcomes import MockSpec

# The exceptions sfnlocal documents for its public API (sfnlocal/__init__.py, the docstrings, docs/): a
# definition it cannot load; validation's CreateStateMachine-style refusal; TestState's ValidationException
# and co.; an unknown or finished task token. TypeError and ValueError are documented for bad arguments
# (``json_copy``'s refusal of an input that is not JSON, a bad ``start_time``, ``test_state``'s unknown
# argument): they count as documented only when sfnlocal raises them itself (a ``raise`` in sfnlocal's
# code), not when they come out of an operation that failed inside it.
DOCUMENTED: tuple[type[BaseException], ...] = (DefinitionError, InvalidDefinition, TestStateError, TaskTokenError)
ARGUMENT_ERRORS: tuple[type[BaseException], ...] = (TypeError, ValueError)

_PACKAGE = str(Path(sfnlocal.__file__).parent)
_OURS = str(Path(__file__).parent)


class Hang(BaseException):
    """Raised by the wall-clock alarm: a BaseException, so that no ``except Exception`` inside sfnlocal hides it."""


@dataclass
class Case:
    definition: Any
    input: Any
    mocks: dict[str, MockSpec]
    options: dict[str, Any]
    test_state: dict[str, Any]
    # What a worker does while the execution waits: ("success", output), ("failure", error, cause),
    # ("heartbeat",), ("advance", seconds), ("activity", arn): to the oldest waiting token (or a made-up one).
    answers: list[tuple[Any, ...]] = field(default_factory=list)

    def reproduction(self) -> str:
        """Python that reruns the case's execution (the mocks' values are listed beside their source)."""
        mocks = "{" + ", ".join(f"{name!r}: {spec!r}" for name, spec in self.mocks.items()) + "}"
        return (
            f"sm = StateMachine.from_dict({_short(self.definition, 2000)})\n"
            f"run = sm.execute({_input_source(self.input)}, mocks={mocks}, **{self.options!r})\n"
            f"answers: {_short(self.answers, 500)}\n"
            f"test_state: {_short(self.test_state, 800)}"
        )


@dataclass
class Finding:
    kind: str  # escaped | internal_error | hang | inconsistent | input_mutated | shared | nondeterministic
    api: str
    error: str
    location: str
    message: str
    case: str = ""
    trace: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """What makes two findings the same defect: kind, API, exception type and where it came from."""
        return f"{self.kind} | {self.api} | {self.error} | {self.location}"


def _input_arguments(value: Any) -> dict[str, Any]:
    """execute()'s input argument: a str (a JSON string input) as JSON text, as execute() refuses a str input."""
    return {"input_json": json.dumps(value)} if isinstance(value, str) else {"input": value}


def _input_source(value: Any) -> str:
    """The input argument of the reproduction's ``execute()`` call."""
    return f"input_json={json.dumps(value)!r}" if isinstance(value, str) else _short(value, 500)


def _short(value: Any, limit: int) -> str:
    try:
        text = repr(value)
    except RecursionError:
        text = "<nested too deep to repr>"
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def run_case(case: Case, timeout: float, excluded: frozenset[str]) -> list[Finding]:
    """All the findings of one case (empty when sfnlocal behaved); never raises."""
    findings: list[Finding] = []
    try:
        with _alarm(timeout):
            _exercise(case, excluded, findings)
    except Hang as hang:
        findings.append(_finding("hang", hang.args[0] if hang.args else "?", hang, f"over {timeout} s"))
    for found in findings:
        found.case = case.reproduction()
    return findings


def _exercise(case: Case, excluded: frozenset[str], findings: list[Finding]) -> None:
    stage = _Stage(findings)
    checked = stage.call("validate", lambda: sfnlocal.validate(case.definition))
    machine = stage.call("from_dict", lambda: StateMachine.from_dict(case.definition))
    if isinstance(checked, dict) and checked.get("result") not in ("OK", "FAIL"):
        findings.append(Finding("inconsistent", "validate", "-", "-", f"validate returned {_short(checked, 300)}"))
    if stage.failed("from_dict") and isinstance(checked, dict) and checked.get("result") == "OK":
        said = stage.failures["from_dict"]
        findings.append(Finding("inconsistent", "validate", "OK", "-", f"validate says OK; from_dict: {said}"))
    if isinstance(machine, StateMachine):
        # One set of mocks for both runs, as a test reusing its mocks has (a fresh object() would differ in repr).
        built = stage.call("mocks", lambda: {name: spec.build() for name, spec in case.mocks.items()})
        first = _execute(stage, machine, case, built, "execute") if built is not None else None
        second = _execute(stage, machine, case, built, "execute (again)") if first is not None else None
        if first is not None and second is not None:
            _compare(first, second, findings, "shared_mutable_results" not in excluded)
    _test_state(stage, machine, case)


class _Stage:
    """Calls one API after another, turning what escapes into findings."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.failures: dict[str, str] = {}  # what each API raised, documented or not

    def call(self, api: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except Hang as hang:
            hang.args = (api,)
            raise
        except Exception as err:
            self.failures[api] = f"{type(err).__name__}: {_text(err)[:300]}"
            if not (isinstance(err, DOCUMENTED) or (isinstance(err, ARGUMENT_ERRORS) and _raised_by_sfnlocal(err))):
                self.findings.append(_finding("escaped", api, err, _text(err)))
            return None

    def failed(self, api: str) -> bool:
        return api in self.failures


def _execute(stage: _Stage, machine: StateMachine, case: Case, built: dict[str, Any], api: str) -> Any:
    before = _snapshot(case.input)
    with _recording_internal_errors() as internal:
        given = _input_arguments(case.input)
        run = stage.call(api, lambda: machine.execute(**given, mocks=built, **case.options))
        if run is not None:
            for answer in case.answers:
                stage.call(f"{api}: {answer[0]}", lambda answer=answer: _answer(run, answer))
    if run is None:
        return None
    if _snapshot(case.input) != before:
        stage.findings.append(Finding("input_mutated", api, "-", "-", "execute() changed the caller's input"))
    if run.error == INTERNAL_ERROR:
        where = internal[-1] if internal else None
        stage.findings.append(
            _finding("internal_error", api, where, run.cause or "", error_name=_cause_type(run.cause))
        )
    return stage.call(f"{api}: rendering", lambda: _render(run))


def _answer(run: Any, answer: tuple[Any, ...]) -> None:
    """Act as a worker or a test would on a suspended execution (a token no task waits for is refused)."""
    kind = answer[0]
    if kind == "advance":
        run.advance(answer[1])
        return
    if kind == "activity":
        task = run.get_activity_task(answer[1])
        token = task["taskToken"] if task else "not-a-token"
    else:
        token = run.task_tokens[0] if run.task_tokens else "not-a-token"
    if kind in ("success", "activity"):
        run.send_task_success(token, answer[-1] if kind == "success" else {"done": True})
    elif kind == "failure":
        run.send_task_failure(token, answer[1], answer[2])
    else:
        run.send_task_heartbeat(token)


def _render(run: Any) -> tuple[Any, str]:
    assert isinstance(run.history, list)
    rendered = json.dumps(run.to_dict(), allow_nan=False)
    repr(run)
    sfnlocal.describe_run(run)
    for child in run.children:
        json.dumps(child.to_dict(), allow_nan=False)
    return run, rendered


def _compare(first: tuple[Any, str], second: tuple[Any, str], findings: list[Finding], isolation: bool) -> None:
    """Two runs of one case render the same; changing one's output (when ``isolation``) changes nothing else."""
    (run, rendered), (again, rendered_again) = first, second
    if rendered != rendered_again:
        findings.append(Finding("nondeterministic", "execute", "-", "-", "two runs of one case differ"))
        return
    if not isolation:
        return
    input_before = _snapshot(run.input)
    _scribble(run.output)
    for record in run.states.values():
        _scribble(record.output)
    if json.dumps(again.to_dict(), allow_nan=False) != rendered_again:
        findings.append(Finding("shared", "execute", "-", "-", "changing one run's output changed another run"))
    elif _snapshot(run.input) != input_before:
        findings.append(Finding("shared", "execute", "-", "-", "changing run.output changed run.input"))


def _test_state(stage: _Stage, machine: Any, case: Case) -> None:
    request = dict(case.test_state)
    mock = request.pop("mock", None)
    if mock is not None:
        request["mock"] = stage.call("test_state", mock.build) if isinstance(mock, MockSpec) else mock
    if "raw" in request:
        raw = request["raw"]
        response = stage.call("sfnlocal.test_state", lambda: sfnlocal.test_state(raw))
    elif isinstance(machine, StateMachine) and "state_name" in request:
        name = request.pop("state_name")
        response = stage.call("StateMachine.test_state", lambda: machine.test_state(name, **request))
    else:
        return
    if response is not None:
        stage.call("test_state: rendering", lambda: json.dumps(response, allow_nan=False))


# --- where a failure comes from -------------------------------------------------------------------


def _finding(kind: str, api: str, err: BaseException | None, message: str, error_name: str | None = None) -> Finding:
    trace = traceback.extract_tb(err.__traceback__) if err is not None else []
    return Finding(
        kind,
        api,
        error_name or (type(err).__name__ if err is not None else "?"),
        _location(trace),
        message[:500],
        trace=[f"{Path(f.filename).name}:{f.lineno} {f.name}: {f.line}" for f in trace[-8:]],
    )


def _location(trace: traceback.StackSummary) -> str:
    """The innermost frame in sfnlocal (and the innermost frame of all, when it is in a library)."""
    inside = [f for f in trace if f.filename.startswith(_PACKAGE)]
    if not inside:
        return "-"
    frame = inside[-1]
    where = f"{Path(frame.filename).relative_to(Path(_PACKAGE).parent)}:{frame.lineno} {frame.name}"
    last = trace[-1]
    if last is not frame and not last.filename.startswith(_OURS):
        where += f" -> {Path(last.filename).name}:{last.lineno} {last.name}"
    return where


def _raised_by_sfnlocal(err: BaseException) -> bool:
    """Whether sfnlocal raised ``err`` itself (a ``raise`` statement in its code), rather than an operation failing."""
    trace = traceback.extract_tb(err.__traceback__)
    if not trace:
        return False
    last = trace[-1]
    return last.filename.startswith(_PACKAGE) and (last.line or "").lstrip().startswith("raise")


def _text(err: BaseException) -> str:
    try:
        return str(err)
    except Exception:
        return f"<{type(err).__name__} whose str() raised>"


def _cause_type(cause: str | None) -> str:
    return INTERNAL_ERROR + ": " + (cause or "").split(":", 1)[0]


@contextlib.contextmanager
def _recording_internal_errors() -> Iterator[list[BaseException]]:
    """Keep the exception behind an ``sfnlocal.InternalError`` (its cause has no traceback), then put things back.

    The wrapper re-raises, so the execution reports exactly what it reports without it."""
    seen: list[BaseException] = []
    original = Execution._drive

    def recording(self: Execution, step: Callable[[], None]) -> None:
        def step_recorded() -> None:
            try:
                step()
            except Exception as bug:
                seen.append(bug)
                raise

        original(self, step_recorded)

    Execution._drive = recording  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        Execution._drive = original  # type: ignore[method-assign]


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread after ``seconds`` of wall time (SIGALRM: it interrupts loops in Python
    code; the long runner's supervisor kills a worker stuck where a signal cannot reach)."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise Hang("?")

    previous = signal.signal(signal.SIGALRM, expired)
    # Again every second after the first: a Hang raised inside a gc callback or a __del__ is only printed.
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- JSON-ish values of any depth, without recursion ----------------------------------------------


def _snapshot(value: Any) -> Any:
    """A comparable, detached picture of a value of any depth (NaN equal to itself, types kept)."""
    items: list[Any] = []
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, dict):
            items.append(("dict", len(current)))
            for key, item in current.items():
                items.append(("key", repr(key)))
                pending.append(item)
        elif isinstance(current, list | tuple):
            items.append((type(current).__name__, len(current)))
            pending.extend(current)
        else:
            items.append((type(current).__name__, repr(current)))
    return items


def _scribble(value: Any) -> None:
    """Change every container inside ``value`` (at any depth)."""
    pending = [value]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, dict):
            pending.extend(current.values())
            current["__fuzz__"] = True
        elif isinstance(current, list):
            pending.extend(current)
            current.append("__fuzz__")
