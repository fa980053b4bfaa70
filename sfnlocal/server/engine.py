"""What the API operations act on: state machines, executions, activities and tags, behind one lock.

An :class:`Engine` is one Step Functions of one account and region. With the virtual clock an execution runs inside
StartExecution to its end or to a suspension (a task token, an activity task nobody took); SendTaskSuccess & co. run it
on. With the real clock it also stops at each timer (a Wait, a backoff, a timeout), which the clock's thread runs when
it falls due (:mod:`sfnlocal.server.clock`). Every change happens under ``engine.lock`` (the operations take it), so
concurrent clients see each operation whole. A :class:`~sfnlocal.server.store.Store` keeps state machines, activities,
tags and finished executions across restarts, and each running Standard execution's journal
(:mod:`sfnlocal.interpreter.journal`: its tasks' answers and the calls made on it), written before an operation
answers: after a restart, even one that followed a crash, a running execution is run again through its journal
(nothing it did is invoked again) and stands where it stood, its task tokens and activity tasks still valid.

>>> engine = Engine()
>>> machine = engine.create_machine("Hello", '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}',
...                                 "arn:aws:iam::123456789012:role/run", "STANDARD")
>>> record = engine.start_execution(machine, "first", '{"a": 1}')
>>> record.describe()["status"], record.describe()["output"]
('SUCCEEDED', '{"a":1}')
"""

from __future__ import annotations

import contextvars
import json
import random
import time
import uuid
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from threading import Condition, RLock
from typing import Any

from sfnlocal.integrations import compose
from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.integrations.lambda_functions.spec import LambdaFunction
from sfnlocal.interpreter.execution import MAX_DURATION_SECONDS
from sfnlocal.interpreter.integration import Integration
from sfnlocal.interpreter.journal import Journal, Redrive
from sfnlocal.interpreter.machine import DEFAULT_ACCOUNT, DEFAULT_REGION
from sfnlocal.interpreter.registry import registry_scope
from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.language.jsontext import compact_json
from sfnlocal.language.state_fields import EXPRESS
from sfnlocal.server.api import ApiError
from sfnlocal.server.clock import REAL, Clock, RealTimeMachine, Ticker, catch_up, next_due
from sfnlocal.server.lambda_endpoint import LambdaEndpoint
from sfnlocal.server.redrives import REDRIVABLE, Redrives, redrive_fields, redrive_plan, refusal
from sfnlocal.server.store import Store
from sfnlocal.server.versions import VersionBook
from sfnlocal.state_machine import StateMachine

RUNNING = "RUNNING"
# DescribeStateMachine's defaults for a machine created without them (AWS's API reference).
DEFAULT_LOGGING = {"level": "OFF", "includeExecutionData": False}
DEFAULT_TRACING = {"enabled": False}


def now() -> datetime:
    """The wall clock, to the millisecond as AWS's timestamps are."""
    moment = datetime.now(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


@dataclass
class MachineRecord:
    """A state machine as CreateStateMachine made it (and UpdateStateMachine changed it): its API fields and
    the compiled :class:`~sfnlocal.StateMachine` its executions run."""

    name: str
    arn: str
    definition: str
    role_arn: str
    type: str
    creation_date: datetime
    update_date: datetime
    revision_id: str
    logging: dict[str, Any]
    tracing: dict[str, Any]
    machine: StateMachine

    def describe(self) -> dict[str, Any]:
        """DescribeStateMachine's response."""
        return {
            "stateMachineArn": self.arn,
            "name": self.name,
            "status": "ACTIVE",
            "definition": self.definition,
            "roleArn": self.role_arn,
            "type": self.type,
            "creationDate": self.creation_date,
            "loggingConfiguration": dict(self.logging),
            "tracingConfiguration": dict(self.tracing),
            "revisionId": self.revision_id,
        }

    def for_execution(self) -> dict[str, Any]:
        """DescribeStateMachineForExecution's response: the machine as it was when an execution started."""
        return {
            "stateMachineArn": self.arn,
            "name": self.name,
            "definition": self.definition,
            "roleArn": self.role_arn,
            "updateDate": self.update_date,
            "loggingConfiguration": dict(self.logging),
            "tracingConfiguration": dict(self.tracing),
            "revisionId": self.revision_id,
        }

    def stored(self) -> dict[str, Any]:
        """What the store keeps of it (everything but the compiled machine)."""
        return {
            "name": self.name,
            "arn": self.arn,
            "definition": self.definition,
            "role_arn": self.role_arn,
            "type": self.type,
            "creation_date": self.creation_date,
            "update_date": self.update_date,
            "revision_id": self.revision_id,
            "logging": self.logging,
            "tracing": self.tracing,
        }


@dataclass
class ExecutionRecord:
    """One execution: while it lives, its :class:`~sfnlocal.interpreter.result.ExecutionResult`; after a restart,
    what the store kept of it (``saved``: its description and history)."""

    arn: str
    machine: dict[str, Any]  # DescribeStateMachineForExecution's response, as the machine was at the start
    input: str
    trace_header: str | None = None
    result: ExecutionResult | None = None
    saved: dict[str, Any] | None = None
    stop: tuple[str | None, str | None] | None = None  # StopExecution's error and cause
    # stateMachineVersionArn / stateMachineAliasArn of an execution started through a version or an alias
    qualifiers: dict[str, str] = field(default_factory=dict)
    # How it was started, what running it again through its journal needs (None for an Express execution).
    start: dict[str, Any] | None = None
    journal: Journal | None = None
    journaled: int | None = None  # how many of the journal's entries the store has (None: not even its start)
    # After a redrive: the history up to its ExecutionRedriven event, and where the current run's events go in it.
    redrives: Redrives | None = None

    @property
    def status(self) -> str:
        return self.result.status if self.result is not None else str(self.describe()["status"])

    def describe(self) -> dict[str, Any]:
        """DescribeExecution's response (``input``/``output`` as JSON text, as the API gives them)."""
        if self.result is None:
            assert self.saved is not None
            return dict(self.saved["description"])
        result = self.result
        described: dict[str, Any] = {
            "executionArn": self.arn,
            "stateMachineArn": result.state_machine_arn,
            "name": result.name,
            "status": result.status,
            "startDate": result.start_date,
            "input": self.input,
            "inputDetails": {"included": True},
        }
        if result.stop_date is not None:
            described["stopDate"] = result.stop_date
        if result.status == "SUCCEEDED":
            described["output"] = compact_json(result.output)
            described["outputDetails"] = {"included": True}
        error, cause = self.stop if self.stop is not None else (result.error, result.cause)
        if error is not None:
            described["error"] = error
        if cause is not None:
            described["cause"] = cause
        if self.trace_header is not None:
            described["traceHeader"] = self.trace_header
        described.update(self.qualifiers)
        described.update(redrive_fields(result.status, self.redrives))
        return described

    def history(self) -> list[dict[str, Any]]:
        """GetExecutionHistory's events, oldest first."""
        if self.result is None:
            assert self.saved is not None
            return [dict(event) for event in self.saved["history"]]
        if self.redrives is not None:
            return self.redrives.history(self.result.history)
        return self.result.history

    @property
    def map_runs(self) -> list[dict[str, Any]]:
        """The Distributed Map runs it started (DescribeMapRun-shaped), in the order they started."""
        if self.result is None:
            assert self.saved is not None
            return [dict(run) for run in self.saved.get("map_runs", [])]
        return self.result.map_runs

    def map_run_children(self, map_run_arn: str) -> list[dict[str, Any]]:
        """The child executions of one of its map runs, in the order they started."""
        if self.result is None:
            assert self.saved is not None
            return [dict(child) for child in self.saved.get("map_run_children", {}).get(map_run_arn, [])]
        return self.result.map_run_children(map_run_arn)

    @property
    def child_arns(self) -> list[str]:
        """The ARNs of the executions it started (StartExecution tasks), in the order they started."""
        if self.result is None:
            assert self.saved is not None
            return list(self.saved.get("children", []))
        return [child.execution_arn for child in self.result.children]

    def stored(self) -> dict[str, Any]:
        """What the store keeps of a finished execution."""
        map_runs = self.map_runs
        return {
            **self._started(),
            "children": self.child_arns,
            "description": self.describe(),
            "history": self.history(),
            "map_runs": map_runs,
            "map_run_children": {run["mapRunArn"]: self.map_run_children(run["mapRunArn"]) for run in map_runs},
        }

    def _started(self) -> dict[str, Any]:
        """What the store keeps of any execution: how it was started."""
        return {
            "arn": self.arn,
            "machine": self.machine,
            "input": self.input,
            "trace_header": self.trace_header,
            "qualifiers": self.qualifiers,
        }

    def running(self) -> dict[str, Any]:
        """What the store keeps of a running execution, besides its journal: how to start it again."""
        return {
            **self._started(),
            "start": self.start,
            "redrives": self.redrives.stored() if self.redrives is not None else None,
        }


def _redrives_of(start: dict[str, Any]) -> list[Redrive]:
    """The redrives of an execution, oldest first (its current run is the last one's)."""
    return [Redrive(**redrive) for redrive in start.get("redrives", [])]


def _storable(entry: dict[str, Any]) -> dict[str, Any]:
    """A journal entry as the store can hold it: an answer whose value is not JSON (a task then fails on it) is
    kept as "ask the integration again"."""
    try:
        json.dumps(entry)
    except (TypeError, ValueError):
        answer = entry["answer"]
        return {"answer": {"state": answer["state"], "part": answer["part"], "again": True}}
    return entry


@dataclass
class ActivityRecord:
    """An activity as CreateActivity made it."""

    name: str
    arn: str
    creation_date: datetime

    def stored(self) -> dict[str, Any]:
        return {"name": self.name, "arn": self.arn, "creation_date": self.creation_date}


@dataclass
class _Running:
    """The executions that may still change, and the task tokens they issued (token -> the execution's result)."""

    results: dict[str, ExecutionResult] = field(default_factory=dict)
    tokens: dict[str, ExecutionResult] = field(default_factory=dict)


class Engine:
    """One account's Step Functions in one region (see the module's docs).

    ``clock``: "virtual" (Waits and timeouts take no real time) or "real" (executions' clocks follow the wall,
    ``wait_time_scale`` times as slow: see :mod:`sfnlocal.server.clock`; call :meth:`close`). ``store``: where state
    machines, activities, tags and finished executions are kept (None: nowhere). ``mock_config``: the Step Functions
    Local mock file (its path, its parsed content, or None for the ``SFN_MOCK_CONFIG`` variable's) that
    ``<arn>#<test case>`` selects from. ``seed``: where executions' seeds come from (None: fresh ones each run).
    ``functions``: Lambda functions (a template's, by name) whose handlers serve the tasks calling them in every
    machine; ``lambda_endpoint``: the URL of a Lambda Invoke API the other Lambda tasks go to, as Step Functions
    Local's ``LAMBDA_ENDPOINT``. ``integration``: one more :class:`~sfnlocal.Integration`, asked after the Lambda
    endpoint and before the built-in AWS services (e.g. the other services' endpoints). ``activity_poll_seconds``:
    how long GetActivityTask waits for a task (AWS: 60).
    """

    def __init__(
        self,
        region: str = DEFAULT_REGION,
        account: str = DEFAULT_ACCOUNT,
        clock: str = "virtual",
        store: Store | None = None,
        mock_config: Any = None,
        seed: int | None = None,
        functions: Mapping[str, LambdaFunction] | None = None,
        lambda_endpoint: str | None = None,
        wait_time_scale: float = 1.0,
        activity_poll_seconds: float = 60.0,
        integration: Integration | None = None,
    ) -> None:
        self.time = Clock(clock, wait_time_scale)  # a ValueError for another clock or a scale that is not > 0
        self.region = region
        self.account = account
        self.clock = clock
        self.store = store
        self.mock_config = mock_config
        self.functions = dict(functions or {})
        lambda_tasks = LambdaEndpoint(lambda_endpoint, self.functions) if lambda_endpoint else None
        self.integration = compose(lambda_tasks, integration) if lambda_tasks or integration else None
        self.lock = RLock()
        # Notified whenever executions moved (settle()): long polls, StartSyncExecution and the real clock wait on it.
        self.changed = Condition(self.lock)
        # The real clock's thread waits on its own condition, woken only when a running execution has a timer: not
        # at every request (each would wake it to scan the running executions under the lock).
        self._timers_changed = Condition(self.lock)
        self.activity_poll_seconds = activity_poll_seconds  # GetActivityTask's long poll (AWS's: up to 60 seconds)
        self._closed = False
        self.machines: dict[str, MachineRecord] = {}
        self.executions: dict[str, ExecutionRecord] = {}  # Standard executions by ARN, in the order they started
        self.activities: dict[str, ActivityRecord] = {}
        self.tags: dict[str, dict[str, str]] = {}  # resource ARN -> key -> value
        self._running = _Running()
        # Child executions (started by a StartExecution task) still running: executions of their own, as on AWS.
        self._children: dict[str, ExecutionRecord] = {}
        self._seeds = random.Random(seed) if seed is not None else random.SystemRandom()
        self._world: AwsWorld | None = None
        # Machines register where executions find their children: a registry of this engine's own, entered in a
        # context of its own so that it holds whatever thread runs an operation.
        # The scope is left, in that context, when the engine is closed or collected (not before: leaving it ends it).
        self._context = contextvars.copy_context()
        scope = registry_scope()
        self._context.run(scope.__enter__)
        self._leave_registry = weakref.finalize(self, self._context.run, scope.__exit__, None, None, None)
        self.versions = VersionBook(chance=random.Random(self._seeds.getrandbits(63)))  # aliases' weighted picks
        self.map_run_updates: dict[str, dict[str, Any]] = {}  # UpdateMapRun's changes, by map run ARN
        self._ticker: Ticker | None = None
        if store is not None:
            self._restore(store)
        if clock == REAL:
            self._ticker = Ticker(self.time, self._timers_changed, self.tick)

    def close(self) -> None:
        """Stop the real clock's thread and the in-process AWS world, close the store and forget the machines'
        registry."""
        if self._ticker is not None:
            self._ticker.stop()  # outside the lock: the thread needs it to end
        with self.lock:
            self._closed = True
            self.changed.notify_all()  # long polls and StartSyncExecution calls answer now
            self._leave_registry()
            if self._world is not None:
                self._world.stop()
            if self.store is not None:
                self.store.close()

    # ARNs ----------------------------------------------------------------------------------------

    def arn(self, kind: str, name: str) -> str:
        """This engine's ARN of a ``kind`` (stateMachine, activity) named ``name``."""
        return f"arn:aws:states:{self.region}:{self.account}:{kind}:{name}"

    # State machines ------------------------------------------------------------------------------

    def create_machine(
        self,
        name: str,
        definition: str,
        role_arn: str,
        type: str,
        logging: dict[str, Any] | None = None,
        tracing: dict[str, Any] | None = None,
    ) -> MachineRecord:
        """Compile and keep a state machine (the caller has checked name and definition as AWS does)."""
        moment = now()
        record = MachineRecord(
            name,
            self.arn("stateMachine", name),
            definition,
            role_arn,
            type,
            moment,
            moment,
            str(uuid.uuid4()),
            dict(logging or DEFAULT_LOGGING),
            dict(tracing or DEFAULT_TRACING),
            self._compile(name, definition, role_arn, type),
        )
        self.machines[record.arn] = record
        self._save_machine(record)
        return record

    def update_machine(
        self,
        record: MachineRecord,
        definition: str | None,
        role_arn: str | None,
        logging: dict[str, Any] | None,
        tracing: dict[str, Any] | None,
    ) -> MachineRecord:
        """UpdateStateMachine: executions already running keep the machine they started with. The revision
        changes only when the definition or the configuration does (AWS publishes an unchanged machine as the
        version it already has)."""
        before = (record.definition, record.role_arn, record.logging, record.tracing)
        if definition is not None or role_arn is not None:
            record.definition = definition if definition is not None else record.definition
            record.role_arn = role_arn if role_arn is not None else record.role_arn
            record.machine = self._compile(record.name, record.definition, record.role_arn, record.type)
        if logging is not None:
            record.logging = dict(logging)
        if tracing is not None:
            record.tracing = dict(tracing)
        record.update_date = now()
        if (record.definition, record.role_arn, record.logging, record.tracing) != before:
            record.revision_id = str(uuid.uuid4())
        self._save_machine(record)
        return record

    def delete_machine(self, arn: str) -> None:
        """DeleteStateMachine (its executions stay describable, as AWS keeps them for 90 days)."""
        if self.machines.pop(arn, None) is not None:
            self.tags.pop(arn, None)
            self.versions.forget_machine(arn, self.store)
            if self.store is not None:
                self.store.delete("machine", arn)
                self.store.delete("tags", arn)

    def _compile(self, name: str, definition: str, role_arn: str, type: str) -> StateMachine:
        return self._context.run(
            (RealTimeMachine if self.clock == REAL else StateMachine).from_json,
            definition,
            name=name,
            account=self.account,
            region=self.region,
            role_arn=role_arn,
            type=type,
            functions=self.functions,
        )

    def _save_machine(self, record: MachineRecord) -> None:
        if self.store is not None:
            self.store.put("machine", record.arn, record.stored())

    # Executions ----------------------------------------------------------------------------------

    def start_execution(
        self,
        record: MachineRecord,
        name: str | None,
        input_text: str,
        trace_header: str | None = None,
        test_case: str | None = None,
        qualifiers: dict[str, str] | None = None,
    ) -> ExecutionRecord:
        """Run a new execution of ``record``'s machine until it ends or waits on the outside (the caller has
        checked the name, the input and AWS's idempotency rule). A ``test_case`` of the mock file serves its
        tasks, as Step Functions Local's ``<arn>#<test case>`` does."""
        start = {
            "name": name,
            "seed": self._seeds.getrandbits(63),
            "start_time": self.time.moment(),
            "test_case": test_case,
            "type": record.type,
        }
        # AWS keeps no Express execution to describe or list, nor runs one again ("at most once"): no journal.
        journal = Journal() if record.type != EXPRESS else None
        result = self._run(record.machine, input_text, start, journal)
        execution = ExecutionRecord(result.execution_arn, record.for_execution(), input_text, trace_header, result)
        execution.qualifiers = dict(qualifiers or {})
        if journal is not None:
            # The name as given: run again without one, the execution draws the same name from its seed first.
            execution.start, execution.journal = start, journal
            self.executions[execution.arn] = execution
        self._running.results[execution.arn] = result
        self._follow_clock(result)
        self.settle()
        return execution

    def _run(self, machine: StateMachine, input_text: str, start: dict[str, Any], journal: Journal | None) -> Any:
        """Start an execution of ``machine`` (again, when ``journal`` holds what came into it)."""
        options: dict[str, Any] = {}
        if start["test_case"] is not None:
            options = {"mock_config": self.mock_config, "test_case": start["test_case"]}
        if self.integration is not None:
            options["integration"] = self.integration
        return self._context.run(
            machine.execute,
            input_json=input_text,
            execution_name=start["name"],
            seed=start["seed"],
            start_time=start["start_time"],
            aws=self.world,
            journal=journal,
            **options,
        )

    @property
    def world(self) -> AwsWorld:
        """The in-process AWS (moto) every execution of this engine shares, started on first use."""
        if self._world is None:
            self._world = AwsWorld(self.region, self.account)
        return self._world

    def stop_execution(self, execution: ExecutionRecord, error: str | None, cause: str | None) -> None:
        """StopExecution: a running execution ends ABORTED, with ``error`` and ``cause`` in its description."""
        result = execution.result
        if result is None or result.status != RUNNING:
            return
        self._follow_clock(result)
        if result.status != RUNNING:  # it ended meanwhile (a timer fell due)
            self.settle()
            return
        result.stop(error, cause)
        execution.stop = (error, cause)
        self.settle()

    def settle(self) -> None:
        """Index the task tokens running executions wait on; save the journals of those still running (before the
        operation answers: what a client was told survives a crash), save and forget the executions that ended."""
        running = self._running
        for arn, result in list(running.results.items()):
            for token in result.task_tokens:
                running.tokens[token] = result
            self._adopt_children(result)
            execution = self.executions.get(arn)
            if result.status != RUNNING:
                del running.results[arn]
                if execution is not None:
                    kept = execution.stored()
                    if self.store is not None:
                        self.store.put("execution", arn, kept)
                        if result.status in REDRIVABLE and execution.journal is not None:
                            self._save_journal(execution)  # kept: RedriveExecution runs it again
                        elif execution.journaled is not None:
                            self.store.delete("running", arn)
                            self.store.delete("journal", arn)
                    # What it was is kept, not the interpreter that ran it: a server that keeps thousands of finished
                    # executions would otherwise spend its full garbage collections walking their objects.
                    execution.saved, execution.result = kept, None
                    if result.status not in REDRIVABLE:
                        execution.journal = None
            elif execution is not None and self.store is not None:
                self._save_journal(execution)
        for arn, child in list(self._children.items()):
            assert child.result is not None
            if child.result.status != RUNNING:
                del self._children[arn]
                child.saved, child.result = child.stored(), None
                if self.store is not None:
                    self.store.put("execution", arn, child.saved)
        with self.changed:
            self.changed.notify_all()
        if self._ticker is not None and any(result.next_timer is not None for result in running.results.values()):
            with self._timers_changed:
                self._timers_changed.notify_all()

    def _adopt_children(self, result: ExecutionResult) -> None:
        """Make the Standard child executions ``result`` started (StartExecution tasks, at any depth) executions of
        this engine, listed and described as AWS lists and describes them. They run inside their parent (its journal
        holds what came into them; a restart runs them again with it), so they are not started on their own."""
        for child in result.children:
            arn = child.execution_arn
            if arn not in self.executions and child.state_machine.type != EXPRESS:
                known = self.machines.get(child.state_machine_arn)
                snapshot = (
                    known.for_execution()
                    if known is not None
                    else {
                        "stateMachineArn": child.state_machine_arn,
                        "name": child.state_machine.name,
                        "definition": compact_json(child.state_machine.definition),
                        "roleArn": child.state_machine.role_arn,
                    }
                )
                record = ExecutionRecord(arn, snapshot, compact_json(child.input), None, child)
                self.executions[arn] = record
                self._children[arn] = record
            self._adopt_children(child)

    def _save_journal(self, execution: ExecutionRecord) -> None:
        """Write what a running execution's journal gained since it was last saved (its start first)."""
        assert self.store is not None and execution.journal is not None
        entries = execution.journal.entries
        if execution.journaled is None:
            self.store.put("running", execution.arn, execution.running())
        added = entries[execution.journaled or 0 :]
        if added:
            try:
                self.store.append("journal", execution.arn, added)
            except (TypeError, ValueError):  # nothing was written: the store encodes them all before writing
                self.store.append("journal", execution.arn, [_storable(entry) for entry in added])
        execution.journaled = len(entries)

    def waiting(self, token: str) -> ExecutionResult:
        """The execution whose task waits for ``token``; InvalidToken when none of this engine's issued it,
        TaskTimedOut when its task has ended (AWS's words, as the AWS SDK integration reports them)."""
        result = self._running.tokens.get(token)
        if result is None:
            raise ApiError("InvalidToken", "Invalid Token: 'Invalid token'")
        self._follow_clock(result)  # a timeout that ran out before this answer came ends the task first
        if token not in result.task_tokens:
            raise ApiError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
        return result

    def activity_task(self, activity_arn: str, worker_name: str | None) -> dict[str, Any] | None:
        """GetActivityTask: the oldest waiting task of the activity, in the order executions started, or None."""
        for result in list(self._running.results.values()):
            self._follow_clock(result)
            task = result.get_activity_task(activity_arn, worker_name)
            if task is not None:
                self._running.tokens[task["taskToken"]] = result
                return task
        return None

    def redrive_execution(self, execution: ExecutionRecord) -> datetime:
        """RedriveExecution: run a failed, timed-out or aborted execution again from its unsuccessful steps
        (:mod:`sfnlocal.server.redrives`); ExecutionNotRedrivable as AWS refuses one. Returns the redrive's date."""
        described = execution.describe()
        reason = refusal(described, execution.start is not None, self.time.moment())
        if reason is not None:
            raise ApiError("ExecutionNotRedrivable", reason)
        assert execution.start is not None
        machine = self._compile(
            execution.machine["name"],
            execution.machine["definition"],
            execution.machine["roleArn"],
            execution.start["type"],
        )
        # Its run again, as it ended, from its journal (kept in memory, or read back from the store).
        entries = execution.journal.entries if execution.journal is not None else None
        if entries is None:
            assert self.store is not None
            entries = self.store.appended("journal", execution.arn)
        journal = Journal(entries, redrives=_redrives_of(execution.start))
        ended = self._run(machine, execution.input, execution.start, journal)
        # Not before it ended: with the virtual clock an execution's own clock runs ahead of the server's.
        moment = max(self.time.moment(), described["stopDate"])
        count = int(described.get("redriveCount", 0)) + 1
        plan = redrive_plan(journal.entries, described, ended.history)
        redrives = execution.redrives or Redrives()
        redrives.add(execution.history(), plan.cut, moment, count)
        redrive = {"instant": moment.timestamp(), "count": count, "cut": plan.cut, "rerun": plan.rerun}
        start = {**execution.start, "redrives": [*execution.start.get("redrives", []), redrive]}
        new_journal = Journal(plan.entries, redrives=_redrives_of(start))
        execution.result, execution.saved, execution.stop = None, None, None
        execution.redrives, execution.start, execution.journal = redrives, start, new_journal
        result = self._run(machine, execution.input, start, new_journal)
        execution.result = result
        if result.status == RUNNING and self.clock != REAL:
            result.advance(0)  # what fell due by the redrive's time (its clock jumped there) runs now
        if self.store is not None:  # running again; its journal saved again from scratch: the kept part, then more
            self.store.delete("execution", execution.arn)
            self.store.delete("running", execution.arn)
            self.store.delete("journal", execution.arn)
        execution.journaled = None
        self._running.results[execution.arn] = result
        self._follow_clock(result)
        self.settle()
        return moment

    # The clock -----------------------------------------------------------------------------------

    def _follow_clock(self, result: ExecutionResult) -> None:
        """With the real clock: let a running execution's clock catch up with the wall before it is answered,
        stopped or described as it stands (what fell due meanwhile happens first)."""
        if self.clock == REAL:
            catch_up(result, self.time.now())

    def wait_for_change(self, deadline: float) -> bool:
        """Wait, the lock released meanwhile, until executions move, the engine closes or ``deadline`` (a
        ``time.monotonic()`` instant) passes; whether the caller may wait on (neither closed nor past the deadline).
        The caller holds the lock."""
        remaining = deadline - time.monotonic()
        if self._closed or remaining <= 0:
            return False
        self.changed.wait(remaining)
        return not self._closed

    def wait_for_end(self, execution: ExecutionRecord) -> None:
        """StartSyncExecution: wait, the lock released meanwhile, until the Express execution ends, for at most
        its five minutes (AWS's limit: the call waits as long). With the virtual clock, one still running then has
        its clock advanced by five minutes, so that it times out as on AWS; a closed engine leaves it as it stands."""
        result, seconds = execution.result, MAX_DURATION_SECONDS[EXPRESS]
        if result is None:
            return
        deadline = time.monotonic() + (self.time.wall_seconds(seconds) + 1 if self.clock == REAL else seconds)
        while result.status == RUNNING and self.wait_for_change(deadline):
            pass
        if result.status == RUNNING and not self._closed:
            if self.clock == REAL:
                self._follow_clock(result)
            else:
                result.advance(seconds)
            self.settle()

    def tick(self) -> float | None:
        """The real clock's step (its thread calls it under the lock): run what fell due in every running
        execution; the clock time of the next timer of any of them (None: none)."""
        instant = self.time.now()
        dues = []
        for result in list(self._running.results.values()):
            due = next_due(result)
            if due is not None and due <= instant:
                catch_up(result, instant)
                due = next_due(result)
            if due is not None and result.status == RUNNING:
                dues.append(due)
        self.settle()
        return min(dues, default=None)

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        """The admin call: move the clock ``seconds`` ahead, the clocks of running executions with it (timers due
        meanwhile fire; a ValueError for a negative number); answers :meth:`Clock.describe`."""
        with self.lock:
            self.time.advance(seconds)
            for result in list(self._running.results.values()):
                if self.clock == REAL:
                    catch_up(result, self.time.now())
                elif result.status == RUNNING:
                    result.advance(seconds)
            self.settle()
            return self.time.describe()

    # Activities and tags -------------------------------------------------------------------------

    def create_activity(self, name: str) -> ActivityRecord:
        """Keep a new activity (the caller checked the name and that none of that name exists)."""
        record = ActivityRecord(name, self.arn("activity", name), now())
        self.activities[record.arn] = record
        if self.store is not None:
            self.store.put("activity", record.arn, record.stored())
        return record

    def delete_activity(self, arn: str) -> None:
        """DeleteActivity."""
        if self.activities.pop(arn, None) is not None:
            self.tags.pop(arn, None)
            if self.store is not None:
                self.store.delete("activity", arn)
                self.store.delete("tags", arn)

    def set_tags(self, arn: str, tags: dict[str, str]) -> None:
        """Replace the tags of a state machine or activity."""
        self.tags[arn] = dict(tags)
        if self.store is not None:
            self.store.put("tags", arn, self.tags[arn])

    def update_map_run(self, arn: str, changes: dict[str, Any]) -> None:
        """UpdateMapRun: what DescribeMapRun shows of the map run ``arn`` from now on."""
        self.map_run_updates.setdefault(arn, {}).update(changes)
        if self.store is not None:
            self.store.put("map_run_update", arn, self.map_run_updates[arn])

    # Restoring -----------------------------------------------------------------------------------

    def _restore(self, store: Store) -> None:
        for arn, kept in store.items("machine"):
            fields = {key: value for key, value in kept.items()}
            machine = self._compile(fields["name"], fields["definition"], fields["role_arn"], fields["type"])
            self.machines[arn] = MachineRecord(**fields, machine=machine)
        for arn, kept in store.items("activity"):
            self.activities[arn] = ActivityRecord(**kept)
        self.versions.restore(store, self._compile)
        for arn, kept in store.items("tags"):
            self.tags[arn] = dict(kept)
        for arn, kept in store.items("map_run_update"):
            self.map_run_updates[arn] = dict(kept)
        for arn, kept in store.items("execution"):
            self.executions[arn] = ExecutionRecord(
                arn, kept["machine"], kept["input"], kept["trace_header"], None, saved=kept
            )
            self.executions[arn].qualifiers = dict(kept.get("qualifiers", {}))
        latest = None
        for arn, kept in store.items("running"):
            ended = self.executions.get(arn)
            if ended is not None:  # it ended: what a redrive needs, its journal read when it is redriven
                ended.start = kept["start"]
                ended.redrives = Redrives.restored(kept["redrives"]) if kept.get("redrives") else None
                continue
            self._resume(arn, kept, store.appended("journal", arn))
            latest = max(latest or 0.0, self._running.results[arn].clock)
        if latest is not None:
            self.time.reach(latest)  # the clock does not go back: executions' clocks were there
        self.settle()

    def _resume(self, arn: str, kept: dict[str, Any], entries: list[dict[str, Any]]) -> None:
        """Run an execution that was running when the server stopped again through its journal."""
        snapshot, start = kept["machine"], kept["start"]
        machine = self._compile(snapshot["name"], snapshot["definition"], snapshot["roleArn"], start["type"])
        journal = Journal(entries, redrives=_redrives_of(start))
        result = self._run(machine, kept["input"], start, journal)
        execution = ExecutionRecord(arn, snapshot, kept["input"], kept["trace_header"], result)
        execution.qualifiers = dict(kept["qualifiers"])
        execution.start, execution.journal, execution.journaled = start, journal, len(entries)
        execution.redrives = Redrives.restored(kept["redrives"]) if kept.get("redrives") else None
        self.executions[arn] = execution
        self._running.results[arn] = result
