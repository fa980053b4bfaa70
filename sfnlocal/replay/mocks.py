"""Recorded task invocations replayed as mocks: each Task state's recorded answers given back in order.

A *record* is one invocation of a Task state as a history shows it (see :mod:`sfnlocal.replay.records`):
``{"status": "SUCCEEDED"|"FAILED"|"TIMED_OUT"|"PENDING", "output", "error", "cause", "submitted_output",
"resource", "resourceType", "parameters", "input", "event", "lane"}``. Each becomes a mock outcome:

* ``SUCCEEDED`` -> ``mocks.returns(output, raw=True)``: the service response exactly as recorded;
* ``FAILED`` -> ``mocks.raises(error, cause)``, a JSON cause given back in AWS's own text;
* ``PENDING`` and ``TIMED_OUT`` -> ``mocks.pending()``: the task never answered, so the state's own
  TimeoutSeconds/HeartbeatSeconds on the virtual clock produce the timeout AWS recorded;
* a ``.sync`` or callback task: AWS recorded its start (TaskSubmitted), replayed as a submitted job that ends
  as recorded;
* a callback task that failed with no error name (only SendTaskFailure without ``error`` does that) -> the
  task submits and waits for its token, which is then failed as recorded (:class:`AnsweredFailures`).

A state's invocations outside any Map iteration are replayed in order through ``mocks.sequence``. Those made in
Map iterations (a record's ``lane``) may run in another order than AWS ran them: each invocation takes the next
answer recorded for its state in its own iteration, as the interpreter numbers it (``TaskRequest.iteration``) and
AWS did (:class:`IterationAnswers`). Records attributed to no state nor iteration are matched by resource and
arguments (:class:`RecordPool`). Shared by :mod:`sfnlocal.replay` and the project's conformance runner.
"""

from __future__ import annotations

import contextlib
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sfnlocal.integrations import mocks
from sfnlocal.integrations.mocks.integration import mock_outcome
from sfnlocal.integrations.mocks.outcomes import Submitted
from sfnlocal.interpreter.integration import AwaitToken, Outcome, TaskRequest
from sfnlocal.interpreter.integration import Submitted as Waiting
from sfnlocal.interpreter.result import ExecutionResult

UNRECORDED_ERROR = "sfnlocal.UnrecordedTask"


class Unreplayable(Exception):
    """The recording holds something a replay cannot express; the message says what."""


def walk_states(
    definition: Mapping[str, Any], scope: tuple[Any, ...] = ()
) -> Iterator[tuple[str, dict[str, Any], tuple[Any, ...]]]:
    """(name, state, scope) of every state, those inside Parallel branches and Map processors included; the scope
    names the branches and processors a state is nested in (``(("P", 0),)``: the first branch of P).

    >>> [(name, scope) for name, _, scope in walk_states({"States": {"M": {"Type": "Map", "ItemProcessor": {
    ...     "States": {"T": {"Type": "Task"}}}}}})]
    [('M', ()), ('T', (('M', 'ItemProcessor'),))]
    """
    for name, state in (definition.get("States") or {}).items():
        if not isinstance(state, dict):
            continue
        yield name, state, scope
        for index, branch in enumerate(state.get("Branches") or ()):
            if isinstance(branch, dict):
                yield from walk_states(branch, (*scope, (name, index)))
        for field in ("Iterator", "ItemProcessor"):
            if isinstance(state.get(field), dict):
                yield from walk_states(state[field], (*scope, (name, field)))


def task_states(definition: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(name, Resource) of every Task state, including those inside Parallel branches and Map processors.

    >>> task_states({"States": {"P": {"Type": "Parallel", "Branches": [
    ...     {"States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"}}}]}}})
    [('T', 'arn:aws:states:::lambda:invoke')]
    """
    return [
        (name, str(state.get("Resource", "")))
        for name, state, _ in walk_states(definition)
        if state.get("Type") == "Task"
    ]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def json_texts(*documents: Any) -> dict[str, str]:
    """The JSON texts quoted anywhere in ``documents``, keyed by their canonical form.

    Replayed causes are given back in the very text AWS produced: the text differs by service
    (``lambda:invoke`` sends compact JSON, a plain function ARN Python's ``", "``-separated form).

    >>> json_texts({"status": "SUCCEEDED", "output": {"Cause": '{"a": 1}'}})
    {'{"a":1}': '{"a": 1}'}
    """
    texts: dict[str, str] = {}
    pending: list[Any] = list(reversed(documents))  # in document order: the first text quoted is the one kept
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(reversed(value.values()))
        elif isinstance(value, list):
            pending.extend(reversed(value))
        elif isinstance(value, str) and value[:1] in ("{", "["):
            with contextlib.suppress(ValueError, RecursionError):
                texts.setdefault(_canonical(json.loads(value)), value)
    return texts


def cause_text(record: Mapping[str, Any], texts: Mapping[str, str]) -> str | None:
    """The cause of a recorded failure as text: the very text AWS gave when the recording quotes it.

    >>> cause_text({"cause": {"a": 1}}, {'{"a":1}': '{"a": 1}'}), cause_text({"cause": "x"}, {})
    ('{"a": 1}', 'x')
    """
    cause = record.get("cause")
    if cause is None or isinstance(cause, str):
        return cause
    if _canonical(cause) in texts:
        return texts[_canonical(cause)]
    # Not quoted anywhere in the recording: the form the service is seen to use elsewhere.
    spaced = record.get("event") == "LambdaFunctionFailed"
    return json.dumps(cause, ensure_ascii=False, separators=(", ", ": ") if spaced else (",", ":"))


class AnsweredFailures:
    """Callback tasks recorded failing with no error name, which only SendTaskFailure without ``error`` produces:
    replayed as that, the task submits and waits for its token, and :meth:`answer` fails the token with the
    recorded error and cause once the run waits."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = texts
        self.waiting: deque[Mapping[str, Any]] = deque()  # the records of the tasks now waiting, oldest first

    def mock(self, record: Mapping[str, Any]) -> Callable[[Any, Any], Any]:
        """A mock handler for the invocation ``record`` recorded."""

        def submit(event: Any, context: Any) -> Any:
            self.waiting.append(record)
            return Waiting(record["submitted_output"], AwaitToken())

        return submit

    def answer(self, run: ExecutionResult) -> None:
        """Fail the waiting tasks' tokens as recorded, oldest first, while the run waits for them."""
        while run.status == "RUNNING" and self.waiting and run.waiting_tasks:
            record = self.waiting.popleft()
            run.send_task_failure(
                run.waiting_tasks[0]["taskToken"], record.get("error"), cause_text(record, self.texts)
            )


def outcome(record: Mapping[str, Any], texts: Mapping[str, str], answered: AnsweredFailures | None = None) -> Any:
    """The mock outcome that replays one recorded invocation (``texts``: :func:`json_texts`).

    >>> outcome({"status": "FAILED", "error": "Exception", "cause": {"errorMessage": "boom"}}, {})
    Raises(error='Exception', cause='{"errorMessage":"boom"}', after=0.0)
    """
    status = record.get("status")
    if status == "SUCCEEDED":
        ending: Any = mocks.returns(record.get("output"), raw=True)
    elif status == "FAILED":
        if not record.get("error"):
            if answered is not None and "submitted_output" in record:
                return answered.mock(record)
            raise Unreplayable(
                f"a recorded {record.get('event', 'task failure')} has no error name, "
                "which mocks.raises() cannot express"
            )
        ending = mocks.raises(record["error"], cause_text(record, texts))
    elif status in ("PENDING", "TIMED_OUT"):
        ending = mocks.pending()
    else:
        raise Unreplayable(f"recorded task status {status!r} has no replay")
    if "submitted_output" in record:  # a .sync or callback task: AWS recorded its start as TaskSubmitted
        return Submitted(record["submitted_output"], ending)
    return ending


def _resource_matches(resource: str, record: Mapping[str, Any], normalise: Callable[[str], str]) -> bool:
    if "resourceType" in record:
        return resource.endswith(f":{record['resourceType']}:{record.get('resource')}")
    return normalise(resource) == normalise(str(record.get("resource", "")))


def arguments_match(event: Any, record: Mapping[str, Any]) -> bool:
    """Whether a mock handler's ``event`` is what the recorded invocation was called with (its Parameters, or
    for ``lambda:invoke`` their Payload).

    >>> arguments_match({"n": 1}, {"parameters": {"FunctionName": "f", "Payload": {"n": 1}}})
    True
    """
    recorded = record.get("parameters", record.get("input"))
    if recorded is None:
        return False
    payload = recorded.get("Payload") if isinstance(recorded, dict) else None
    return event == recorded or (payload is not None and event == payload)


class RecordPool:
    """Recorded results not attributed to a state nor to a Map iteration (a recorder that re-sorted Parallel
    branch events), handed out to the invocations that fit them best: a record fits an invocation whose Resource it
    names; among those, one recorded with the invocation's arguments is preferred. ``normalise``: how resource ARNs
    are compared when a record has no ``resourceType``.
    """

    def __init__(
        self,
        records: Iterable[Mapping[str, Any]],
        texts: Mapping[str, str],
        answered: AnsweredFailures | None = None,
        normalise: Callable[[str], str] = str,
    ) -> None:
        # Outcomes are built now: an Unreplayable raised inside a mock handler would become a task failure.
        self.entries = [(record, outcome(record, texts, answered)) for record in records]
        self.normalise = normalise

    def handler(self, state_name: str, resource: str) -> Callable[[Any, Any], Any]:
        """A mock handler for one Task state that takes its result from the pool."""

        def take(event: Any, context: Any) -> Any:
            fitting = [e for e in self.entries if _resource_matches(resource, e[0], self.normalise)] or self.entries
            if not fitting:
                return mocks.raises(UNRECORDED_ERROR, f"no recorded result left for '{state_name}'")
            chosen = next((e for e in fitting if arguments_match(event, e[0])), fitting[0])
            self.entries.remove(chosen)
            return chosen[1](event, context) if callable(chosen[1]) else chosen[1]

        return take


def iteration_of(record: Mapping[str, Any]) -> tuple[int, ...]:
    """The indexes of the inline Map iterations a record was made in, outermost first, as AWS numbered them (and
    as :attr:`sfnlocal.interpreter.integration.TaskRequest.iteration` gives them): its ``lane``'s.

    >>> iteration_of({"lane": [["Orders", 2], ["Lines", 0]]}), iteration_of({})
    ((2, 0), ())
    """
    return tuple(int(index) for _, index in record.get("lane") or ())


class IterationAnswers:
    """An integration (:class:`sfnlocal.Integration`) answering the Task states that ran in inline Map iterations:
    each invocation gets the next answer recorded for its state in its own iteration (``TaskRequest.iteration``),
    whatever order the iterations ran in, in AWS or here, and whatever their arguments. An invocation in an
    iteration with no answer left fails with :data:`UNRECORDED_ERROR`.
    """

    def __init__(self) -> None:
        self.answers: dict[tuple[str, tuple[int, ...]], deque[Any]] = {}  # (state, iteration) -> its outcomes
        self.states: set[str] = set()

    def add(
        self,
        state_name: str,
        records: Iterable[Mapping[str, Any]],
        texts: Mapping[str, str],
        answered: AnsweredFailures | None = None,
    ) -> None:
        """Serve ``state_name`` with its recorded invocations ``records`` (made in Map iterations, see
        :func:`iteration_of`); outcomes are built now, so that an :class:`Unreplayable` is raised here."""
        for record in records:
            key = (state_name, iteration_of(record))
            self.answers.setdefault(key, deque()).append(outcome(record, texts, answered))
        self.states.add(state_name)

    def invoke(self, request: TaskRequest) -> Outcome | None:
        """The next answer recorded for the request's state in its iteration (None for a state not served)."""
        if request.part != "Task" or request.state_name not in self.states:
            return None
        waiting = self.answers.get((request.state_name, request.iteration))
        if waiting:
            return mock_outcome(waiting.popleft(), request)
        where = f"Map iteration {list(request.iteration)}" if request.iteration else "outside any Map iteration"
        missing = f"no recorded result left for '{request.state_name}' in {where}"
        return mock_outcome(mocks.raises(UNRECORDED_ERROR, missing), request)


def build_mocks(
    definition: Mapping[str, Any],
    records: Mapping[str, Sequence[Mapping[str, Any]]],
    texts: Mapping[str, str],
    unrecorded: list[str],
    *,
    pooled: Sequence[Mapping[str, Any]] = (),
    replays: Callable[[str], bool] = lambda resource: True,
    answered: AnsweredFailures | None = None,
    normalise: Callable[[str], str] = str,
    iterations: IterationAnswers | None = None,
) -> dict[str, Any]:
    """The ``mocks=`` argument replaying ``records`` (state name -> its recorded invocations); a Task run without
    results is noted in ``unrecorded``.

    Only Task states whose Resource ``replays`` accepts get a mock (all of them by default); the others are left to
    sfnlocal's own integrations. A state whose records were made in Map iterations (they have a ``lane``) gets no
    mock: ``iterations`` (required then, and given to ``execute()`` as its ``integration``) serves it, iteration by
    iteration. ``pooled``: records not attributed to a state, drawn by the Task states that have none
    (:class:`RecordPool`). With ``answered``, callback tasks recorded failing with no error name wait for their
    token (see :class:`AnsweredFailures`).

    >>> built = build_mocks({"States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish"}}},
    ...                     {"T": [{"status": "SUCCEEDED", "output": {"MessageId": "m"}}]}, {}, [])
    >>> built["T"]
    Sequence(outcomes=(Returns(value={'MessageId': 'm'}, raw=True, after=0.0),))
    """
    resources = dict(task_states(definition))
    built: dict[str, Any] = {}
    served: set[str] = set()
    for state_name, state_records in records.items():
        if not state_records or not replays(resources.get(state_name, "")):
            continue
        if any("lane" in record for record in state_records):
            if iterations is None:
                raise ValueError(f"the records of '{state_name}' were made in Map iterations: pass iterations=")
            iterations.add(state_name, state_records, texts, answered)
            served.add(state_name)
        else:
            built[state_name] = mocks.sequence(*(outcome(record, texts, answered) for record in state_records))
    shared = RecordPool(pooled, texts, answered, normalise) if pooled else None
    for state_name, resource in resources.items():
        if state_name in built or state_name in served or not replays(resource):
            continue
        if shared is not None:
            built[state_name] = shared.handler(state_name, resource)
        else:
            built[state_name] = _note_unrecorded(state_name, unrecorded)
    return built


def _note_unrecorded(state_name: str, unrecorded: list[str]) -> Callable[[Any, Any], Any]:
    def note(event: Any, context: Any) -> Any:
        unrecorded.append(state_name)
        return mocks.raises(UNRECORDED_ERROR, f"the recording holds no result for '{state_name}'")

    return note
