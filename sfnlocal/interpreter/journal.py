"""An execution's journal: everything that came into it from outside, in order, so that it can be run again to
the same point (after a server's restart) without asking its tasks again.

An execution is deterministic given its definition, input, seed and start time, except for what comes from
outside: its tasks' answers (a handler, a service, a mock), and the calls made on it (a task token answered, an
activity task taken by a worker, StopExecution, time passing). A :class:`Journal` records both kinds as JSON
entries. An execution started with a journal that already holds entries first runs through them: each task is
answered from its entry instead of being invoked again (a step that was acknowledged is neither lost nor repeated),
each call is made again at the clock time it was made, and the execution reaches the state it was in; then it
records on.

>>> from sfnlocal import AwaitToken, Result, StateMachine
>>> class Service:  # answers Ask with a wait for its token, Price with a price; counts its calls
...     calls = 0
...     def invoke(self, request):
...         Service.calls += 1
...         return AwaitToken() if request.state_name == "Ask" else Result({"price": 42})
>>> sm = StateMachine.from_dict({"StartAt": "Ask", "States": {
...     "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
...             "Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}}, "Next": "Price"},
...     "Price": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}}})
>>> journal = Journal()
>>> run = sm.execute({}, integration=Service(), journal=journal)
>>> token = run.task_tokens[0]
>>> _ = run.send_task_success(token, {"approved": True})
>>> len(journal.entries), Service.calls  # Ask's answer, the token's answer, Price's answer
(3, 2)
>>> again = sm.execute({}, integration=Service(), journal=Journal(journal.entries))
>>> again.status, again.output, again.history == run.history, Service.calls  # nothing invoked again
('SUCCEEDED', {'price': 42}, True, 2)
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.integration import (
    AwaitExecution,
    AwaitToken,
    AwaitWorker,
    Failure,
    Integration,
    NeverAnswers,
    Outcome,
    Result,
    Submitted,
    TaskRequest,
    invoke_guarded,
)
from sfnlocal.language.errors import StatesError

if TYPE_CHECKING:
    from sfnlocal.interpreter.result import ExecutionResult


def _warn(message: str, *arguments: object) -> None:
    """Log a warning on the ``sfnlocal.journal`` logger (logging is imported here: its import cost)."""
    import logging

    logging.getLogger("sfnlocal.journal").warning(message, *arguments)


# The entries' keys: an answer of a task ("answer"), or a call made on the execution ("call").
ANSWER = "answer"
CALL = "call"
# How many 32-bit words an integration's draws are searched for (ids take 4 each); past it, the state is recorded.
_MAX_DRAWS = 4096
_WAITS: dict[str, Callable[[], Outcome]] = {"token": AwaitToken, "worker": AwaitWorker, "never": NeverAnswers}


class Journal:
    """What came into one execution from outside (see the module's docs). ``entries``: what an earlier run
    recorded, to run through first (copied); ``on_entry``: called with each entry recorded from then on.

    Give it to :meth:`sfnlocal.StateMachine.execute` (``journal=``) together with everything else the first run
    was given (input, name, seed, start time, integrations): a journal replays answers, not the run's settings.

    ``redrives``: the :class:`Redrive` points (RedriveExecution) where the run, replayed from the entries, was
    picked up, oldest first (the last one is picked up now, the others again).
    """

    def __init__(
        self,
        entries: Iterable[dict[str, Any]] = (),
        on_entry: Callable[[dict[str, Any]], None] | None = None,
        redrives: Iterable[Redrive] = (),
    ) -> None:
        self.entries: list[dict[str, Any]] = list(entries)
        self.on_entry = on_entry
        self._redrives = list(redrives)
        # Set by the execution: the length of its history now (each entry notes it), and what a redrive does.
        self.position: Callable[[], int] = lambda: 0
        self.on_redrive: Callable[[float, int], None] | None = None
        self._answers = [entry[ANSWER] for entry in self.entries if ANSWER in entry]
        self._calls = [entry[CALL] for entry in self.entries if CALL in entry]
        self._next_answer = 0
        self._replaying_calls = False

    @property
    def redrive(self) -> Redrive | None:
        """The next redrive point the run is to be picked up at (None: none is left)."""
        return self._redrives[0] if self._redrives else None

    def _record(self, entry: dict[str, Any]) -> None:
        # A copy: the integration's answer and a caller's output are theirs, and may change after they came in.
        entry = _snapshot(entry)
        entry["at"] = self.position()
        self.entries.append(entry)
        if self.on_entry is not None:
            self.on_entry(entry)

    # Tasks' answers --------------------------------------------------------------------------------

    def serving(self, integration: Integration) -> Integration:
        """``integration`` behind this journal: answers come from the journal while it has them, then from
        ``integration`` (and are recorded)."""
        return _Journaled(self, integration)

    def answer(self, integration: Integration, request: TaskRequest) -> Outcome | None:
        """The recorded answer to the next task invocation, or ``integration``'s (recorded)."""
        redrive = self.redrive
        if redrive is not None and redrive.rerun == self._next_answer and request.part == "Task":
            self.entered(None)  # the redrive starts here, at its time
            raise Redriven
        if self._next_answer < len(self._answers):
            recorded = self._answers[self._next_answer]
            if recorded["state"] == request.state_name and recorded["part"] == request.part:
                self._next_answer += 1
                # A child execution is started again by the integration; its own tasks are answered from here.
                if "again" in recorded:
                    return invoke_guarded(integration, request)
                _draw_again(request.random, recorded)
                return _decoded(recorded)
            # The run went another way (its definition changed): the answers left cannot be trusted.
            _warn(
                "journal: task %r (%s) is not the recorded %r (%s): its answers are not replayed from here on",
                request.state_name,
                request.part,
                recorded["state"],
                recorded["part"],
            )
            self._next_answer = len(self._answers)
        self.entered(None)  # a redriven step runs live from here
        before = request.random.getstate()
        try:
            outcome = invoke_guarded(integration, request)
        except StatesError as err:
            drawn = _drawn(before, request.random)
            self._record({ANSWER: {**_identity(request), "raises": [err.error, err.cause], **drawn}})
            raise
        self._record({ANSWER: {**_identity(request), **_encoded(outcome), **_drawn(before, request.random)}})
        return outcome

    def entered(self, position: int | None) -> None:
        """The run recorded a state's ``Entered`` event, the ``position``-th of its history (None: it needs a live
        answer): a redrive picks the run up once it is at its cut."""
        redrive = self.redrive
        if redrive is None or self.on_redrive is None:
            return
        if position is None or (redrive.rerun is None and position >= redrive.cut):
            self._redrives.pop(0)
            self.on_redrive(redrive.instant, redrive.count)

    # Calls made on the execution -------------------------------------------------------------------

    def note(self, call: str, clock: float, **arguments: Any) -> None:
        """Record a call made on the execution (``call``: success, failure, heartbeat, activity, stop, advance)
        at its clock time ``clock``, unless it is being made again from this journal."""
        if not self._replaying_calls:
            self._record({CALL: {"call": call, "clock": clock, **arguments}})

    def replay_calls(self, result: ExecutionResult) -> None:
        """Make the recorded calls again on ``result``, each at the clock time it was made."""
        self._replaying_calls = True
        try:
            for call in self._calls:
                if result.status != "RUNNING":
                    break
                behind = call["clock"] - result.clock
                if behind > 0:
                    result.advance(behind)
                try:
                    _make(result, call)
                except LookupError as err:  # the run went another way (its definition changed)
                    _warn("journal: %s: the call is not made again", err)
        finally:
            self._replaying_calls = False


@dataclass(frozen=True)
class Redrive:
    """Where a redriven run (RedriveExecution), replayed from its journal's entries, is picked up: at ``instant``
    on its clock its ``TimeoutSeconds`` start again and ``$$.Execution.RedriveCount`` is ``count``; its history
    goes on after its ``cut``-th event (see :func:`sfnlocal.server.redrives.redrive_plan`). It is picked up when
    the replay asks for the answer numbered ``rerun`` (a task that had failed for good: it is attempted again from
    its first attempt instead, :class:`Redriven`), or else once it has recorded an ``Entered`` event at ``cut`` or
    later (or first needs an answer the entries do not hold)."""

    instant: float
    count: int
    cut: int
    rerun: int | None = None


def _execution_of(top: ExecutionResult, arn: str) -> ExecutionResult:
    """The child execution (at any depth) of ``top`` whose ARN is ``arn`` (a call recorded on it is made on it)."""
    waiting = list(top.children)
    while waiting:
        child = waiting.pop(0)
        if child.execution_arn == arn:
            return child
        waiting += child.children
    raise LookupError(f"the journal names the child execution {arn}, which this run did not start")


class Redriven(BaseException):
    """Raised into a Task by a redrive's journal instead of the answer that failed it for good: the visit attempts
    the task again from its first attempt (AWS "reschedules and then reruns the Task state"). A BaseException, so
    that no integration or error handler takes it for a failure."""


class _Journaled:
    """An integration answering from a journal first."""

    def __init__(self, journal: Journal, integration: Integration) -> None:
        self._journal = journal
        self._integration = integration

    def invoke(self, request: TaskRequest) -> Outcome | None:
        return self._journal.answer(self._integration, request)


def _snapshot(entry: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``entry``; ``entry`` itself when a value in it cannot be copied (such a value is no JSON: its
    task fails on it, and a store keeps "ask the integration again" for it)."""
    try:
        return copy.deepcopy(entry)
    except Exception:
        return entry


def _drawn(before: tuple[Any, ...], source: Random) -> dict[str, Any]:
    """What an integration drew from the execution's random source since it stood at ``before`` (a Lambda
    envelope's request id, ...): ``{}`` nothing, ``{"draws": n}`` n 32-bit words, else ``{"random": <its state>}``.
    A replay draws as much again (:func:`_draw_again`): the tokens and ids drawn after it are the same."""
    after = source.getstate()
    if after == before:
        return {}
    probe = Random()
    probe.setstate(before)
    index = after[1][-1]  # where the generator stands in its block of words: cheap to compare
    for count in range(1, _MAX_DRAWS + 1):
        probe.getrandbits(32)
        if probe.getstate()[1][-1] == index and probe.getstate() == after:
            return {"draws": count}
    version, words, gauss = after
    return {"random": [version, list(words), gauss]}


def _draw_again(source: Random, recorded: dict[str, Any]) -> None:
    """Move the execution's random source as the recorded invocation moved it."""
    if "draws" in recorded:
        for _ in range(recorded["draws"]):
            source.getrandbits(32)
    elif "random" in recorded:
        version, words, gauss = recorded["random"]
        source.setstate((version, tuple(words), gauss))


def _identity(request: TaskRequest) -> dict[str, Any]:
    return {"state": request.state_name, "part": request.part}


def _encoded(outcome: Outcome | None) -> dict[str, Any]:
    """An outcome as JSON. A child execution cannot be written down: the integration is asked again when the
    journal is replayed (it starts the child again, whose own tasks the journal then answers)."""
    if outcome is None:
        return {"none": True}
    if isinstance(outcome, Result):
        return {"result": outcome.value, "after": outcome.after}
    if isinstance(outcome, Failure):
        return {"failure": [outcome.error, outcome.cause], "after": outcome.after}
    if isinstance(outcome, Submitted):
        then = _encoded(outcome.then)
        return then if "again" in then else {"submitted": outcome.response, "then": then}
    for name, kind in _WAITS.items():
        if type(outcome) is kind:
            return {"wait": name}
    if not isinstance(outcome, AwaitExecution):
        _warn("journal: %s cannot be recorded; the task is invoked again on replay", type(outcome).__name__)
    return {"again": True}


def _decoded(entry: dict[str, Any]) -> Outcome | None:
    if "none" in entry:
        return None
    if "raises" in entry:
        error, cause = entry["raises"]
        raise StatesError(error, cause)
    if "result" in entry:
        return Result(entry["result"], entry["after"])
    if "failure" in entry:
        error, cause = entry["failure"]
        return Failure(error, cause, entry["after"])
    if "submitted" in entry:
        then = _decoded(entry["then"])
        assert then is not None
        return Submitted(entry["submitted"], then)
    return _WAITS[entry["wait"]]()


def _make(top: ExecutionResult, call: dict[str, Any]) -> None:
    result = _execution_of(top, call["execution"]) if "execution" in call else top
    name = call["call"]
    if name == "success":
        result.send_task_success(call["token"], call["output"])
    elif name == "failure":
        result.send_task_failure(call["token"], call["error"], call["cause"])
    elif name == "heartbeat":
        result.send_task_heartbeat(call["token"])
    elif name == "activity":
        result.get_activity_task(call["activity"], call["worker"])
    elif name == "stop":
        result.stop(call["error"], call["cause"])
    elif name == "advance":
        result.advance(call["seconds"])
