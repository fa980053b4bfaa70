"""Replaying one recorded execution with a definition, and the verdict: same, diverged, or not replayable.

The execution runs on the recorded input, as the recorded account and region (when the history shows them), from
the recorded start time, with every Task state answered as the history shows it answered (:mod:`.records`,
:mod:`.mocks`): results, failures, retries in order, callbacks and ``.sync`` jobs with what they submitted and
how they ended, child executions' outputs. Waits and timeouts run on the virtual clock. Then the replay's
history is compared with the recorded one (:mod:`.divergence`), and its status, error, cause and output with
the recorded ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.language.resources import ACTIVITY, parse_resource
from sfnlocal.replay.answers import RUNNING, Answers, recorded_workers
from sfnlocal.replay.compare import compare_primary
from sfnlocal.replay.divergence import Divergence, first_divergence, run_marker
from sfnlocal.replay.history import RecordedExecution, read_timestamp
from sfnlocal.replay.mocks import (
    AnsweredFailures,
    IterationAnswers,
    Unreplayable,
    build_mocks,
    json_texts,
    task_states,
    walk_states,
)
from sfnlocal.replay.normalise import dates_masked, parse_payload
from sfnlocal.replay.records import details_of, task_records

SAME, DIVERGED, NOT_REPLAYABLE = "same", "diverged", "not replayable"
# An ABORTED execution was stopped from outside; without timestamps to say when, just after the clock first moves.
_STOP_SOON = 0.001


class Replayable(Protocol):
    """What a replay needs of a state machine (:class:`sfnlocal.StateMachine` is one)."""

    name: str
    account: str
    region: str
    type: str

    @property
    def definition(self) -> dict[str, Any]: ...

    def execute(self, *args: Any, **options: Any) -> ExecutionResult: ...


@dataclass(frozen=True)
class ReplayReport:
    """The verdict on one recorded execution: ``verdict`` is ``"same"``, ``"diverged"`` (``divergence`` says
    where first) or ``"not replayable"`` (``reason`` says why); ``run`` is the replay's execution (None when it
    could not run)."""

    source: str
    verdict: str
    reason: str = ""
    divergence: Divergence | None = None
    run: ExecutionResult | None = None

    @property
    def same(self) -> bool:
        """Whether the replay took the same path and ended the same way."""
        return self.verdict == SAME

    def render(self) -> str:
        """The verdict in a few lines, as ``sfnlocal replay`` prints it.

        >>> print(ReplayReport("orders.json", NOT_REPLAYABLE, "its input was truncated by AWS").render())
        NOT REPLAYABLE orders.json: its input was truncated by AWS
        """
        if self.verdict == SAME:
            status = f" ({self.run.status})" if self.run is not None else ""
            return f"SAME {self.source}{status}"
        if self.verdict == NOT_REPLAYABLE:
            return f"NOT REPLAYABLE {self.source}: {self.reason}"
        lines = [f"DIVERGED {self.source}"]
        if self.divergence is not None:
            lines.extend(f"  {line}" for line in self.divergence.lines())
        return "\n".join(lines)


def _not_replayable(recorded: RecordedExecution, definition: Mapping[str, Any]) -> str | None:
    """Why the history cannot be replayed with ``definition``, or None."""
    entered = _entered(recorded)
    for event in recorded.events:
        if event["type"] == "ExecutionRedriven":
            return f"event #{event['id']}: the execution was redriven; replay the history of its first run"
    for name, field in _map_data(definition):
        if name in entered:
            return (
                f"the Map state '{name}' has {'an' if field == 'ItemReader' else 'a'} {field}: the history does not "
                f"hold what it {'read' if field == 'ItemReader' else 'wrote'} (objects in S3)"
            )
    if recorded.truncated:  # an input the run needs, or a value to compare with: neither can be judged cut
        return f"truncated: {recorded.truncated[0]}: the replay needs it whole"
    return None


def _identity(machine: Replayable, recorded: RecordedExecution) -> tuple[dict[str, Any], str | None]:
    """The replay's machine options (name, account, region, role, type) and execution name, as recorded where the
    history shows them."""
    options: dict[str, Any] = {
        "name": recorded.state_machine_name or machine.name,
        "account": recorded.account or machine.account,
        "region": recorded.region or machine.region,
        "type": machine.type,
    }
    arn = recorded.execution_arn
    execution_name = arn.split(":")[7] if arn is not None else None
    if recorded.role_arn:
        options["role_arn"] = recorded.role_arn
    return options, execution_name


def _stop_after(recorded: RecordedExecution) -> float | None:
    last = recorded.events[-1]
    if last["type"] != "ExecutionAborted":
        return None
    started = recorded.start_time
    stopped = read_timestamp(last.get("timestamp"))
    if started is None or stopped is None or stopped <= started:
        return _STOP_SOON
    return (stopped - started).total_seconds()


def _stop_details(recorded: RecordedExecution) -> dict[str, str]:
    """The error and cause StopExecution was given, as its ExecutionAborted event records them."""
    last = recorded.events[-1]
    details = (last.get("executionAbortedEventDetails") or {}) if last["type"] == "ExecutionAborted" else {}
    stopped = {"stop_error": details.get("error"), "stop_cause": details.get("cause")}
    return {key: value for key, value in stopped.items() if isinstance(value, str)}


def replay(
    machine: Replayable,
    recorded: RecordedExecution,
    *,
    execution_name: str | None = None,
    start_time: datetime | str | None = None,
    stop_after: float | None = None,
    aliases: Iterable[tuple[str, str]] = (),
) -> ReplayReport:
    """Run ``machine``'s definition as ``recorded`` ran, answering its tasks as recorded, and compare.

    ``execution_name``, ``start_time`` and ``stop_after`` replace what the history says (its execution's name, its
    start, when it was stopped); a replay run with a name of its own compares its execution's ARN and name as
    placeholders. ``aliases``: (text, recorded text) pairs: where the replay's values hold the text, the recording
    holds the other (a Lambda function's ARN in the account the definition was loaded for, and in the one the
    execution ran in).
    """
    definition = machine.definition
    reason = _not_replayable(recorded, definition)
    if reason is not None:
        return ReplayReport(recorded.source, NOT_REPLAYABLE, reason)
    texts = json_texts(recorded.events)
    answered = AnsweredFailures(texts)
    unrecorded: list[str] = []
    known = {name for name, _ in task_states(definition)}
    iterations = IterationAnswers()  # the Task states in Map iterations: answered iteration by iteration
    try:
        records = {name: found for name, found in task_records(recorded.events).items() if name in known}
        # Activities are not mocked: a worker takes each as recorded (ActivityStarted), then it is answered.
        mocks = build_mocks(
            definition, records, texts, unrecorded, answered=answered, replays=_not_activity, iterations=iterations
        )
    except Unreplayable as err:
        return ReplayReport(recorded.source, NOT_REPLAYABLE, str(err))
    options, recorded_name = _identity(machine, recorded)
    named = execution_name or recorded_name
    loading: Any = type(machine)  # the machine's own class, loaded with the recorded identity
    replaying = loading(definition, **options)
    run = replaying.execute(
        **input_arguments(recorded.input),
        mocks=mocks,
        integration=iterations,
        execution_name=named,
        seed=0,
        start_time=start_time or recorded.start_time,
        stop_after=stop_after if stop_after is not None else _stop_after(recorded),
        **_stop_details(recorded),
    )
    answered.answer(run)
    if recorded.ending["status"] != RUNNING:  # a history exported while it ran: time stands where it stood
        activities = {name: arn for name, arn in task_states(definition) if not _not_activity(arn)}
        workers = recorded_workers(recorded.events)
        Answers({n: r for n, r in records.items() if n in activities}, workers, activities.values(), texts).answer(run)
    reason = _unrecorded_reason(unrecorded, _entered(recorded), definition)
    if reason is not None:
        return ReplayReport(recorded.source, NOT_REPLAYABLE, reason, run=run)
    identities = [*aliases]
    if not named:
        identities += [(run.execution_arn, "<run-execution-arn>"), (run.name, "<run-execution-name>")]
    bindings: dict[str, str] = {}
    mark = run_marker(identities)  # one numbering of the run's UUIDs for its events and its ending alike
    divergence = first_divergence(recorded.events, run.history, definition, mark, bindings)
    if divergence is None:
        divergence = _ending_divergence(recorded, run, mark, bindings)
    if divergence is not None:
        return ReplayReport(recorded.source, DIVERGED, divergence=divergence, run=run)
    return ReplayReport(recorded.source, SAME, run=run)


def _not_activity(resource: str) -> bool:
    return parse_resource(resource).kind != ACTIVITY


def _entered(recorded: RecordedExecution) -> set[str]:
    """The names of the states the recorded execution entered."""
    return {str(details_of(event).get("name")) for event in recorded.events if event["type"].endswith("StateEntered")}


def _map_data(definition: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(Map state name, ItemReader|ResultWriter) of every Map state reading or writing data in S3."""
    for name, state, _ in walk_states(definition):
        for field in ("ItemReader", "ResultWriter"):
            if state.get("Type") == "Map" and field in state:
                yield name, field


def _distributed_states(definition: Mapping[str, Any]) -> set[str]:
    """The names of the states inside Distributed Map states (their iterations are child executions)."""
    found: set[str] = set()
    for _, state, _ in walk_states(definition):
        processor = state.get("ItemProcessor")
        if isinstance(processor, dict) and (processor.get("ProcessorConfig") or {}).get("Mode") == "DISTRIBUTED":
            found.update(name for name, _, _ in walk_states(processor))
    return found


def _unrecorded_reason(unrecorded: list[str], entered: set[str], definition: Mapping[str, Any]) -> str | None:
    """Why a run whose Task states ``unrecorded`` had no recorded answer cannot be judged, or None (a state the
    recording never entered: the comparison shows where the run took another way)."""
    inside = sorted(set(unrecorded) & _distributed_states(definition))
    if inside:
        return (
            f"Task state(s) {', '.join(repr(n) for n in inside)} run in a Distributed Map's child executions, "
            "whose answers are in their own histories, not in this one"
        )
    missing = sorted(set(unrecorded) & entered)
    if missing:
        return f"the history holds no answer for Task state(s) {', '.join(repr(n) for n in missing)}, which ran"
    return None


def _ending_divergence(
    recorded: RecordedExecution, run: ExecutionResult, mark: Any, bindings: dict[str, str]
) -> Divergence | None:
    expected = dates_masked({k: (parse_payload(v) if k == "cause" else v) for k, v in recorded.ending.items()})
    actual: Mapping[str, Any] = mark(
        {"status": run.status, "error": run.error, "cause": parse_payload(run.cause), "output": run.output}
    )
    found = compare_primary(expected, actual, bindings, either_side=True)
    if found is None:
        return None
    last = recorded.events[-1]
    return Divergence(None, last["id"], last["type"], f"the execution's {found.where}", found.expected, found.got)


def input_arguments(value: Any) -> dict[str, Any]:
    """``execute()``'s input argument for a recorded input: a JSON string as ``input_json`` (``execute()``
    refuses a str ``input``, which is usually JSON text meant to be parsed), any other value as ``input``.

    >>> input_arguments("abc"), input_arguments({"a": 1})
    ({'input_json': '"abc"'}, {'input': {'a': 1}})
    """
    return {"input_json": json.dumps(value)} if isinstance(value, str) else {"input": value}
