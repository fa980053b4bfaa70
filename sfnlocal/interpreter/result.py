"""What an execution returns: status, output or error, history, and what each state saw."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter import visits
from sfnlocal.language.jsontext import compact_json, detached_copy

if TYPE_CHECKING:
    from sfnlocal.interpreter.execution import Execution
    from sfnlocal.interpreter.machine import Machine


@dataclass
class StateRecord:
    """The input and output of the last visit of one state, and how often it was entered."""

    name: str
    input: Any = None
    output: Any = None
    entered: int = 0
    exited: bool = False


class StateRecords(Mapping[str, StateRecord]):
    """The records of the states an execution entered, by name: a read-only view that copies a record when it
    is read, so that ``name in run.states`` costs nothing and no record handed out is the execution's own.

    >>> from sfnlocal import StateMachine
    >>> run = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}).execute({"a": 1})
    >>> "P" in run.states, run.states["P"].output, len(run.states)
    (True, {'a': 1}, 1)
    """

    __slots__ = ("_records",)

    def __init__(self, records: dict[str, tuple[Any, Any, int, bool]]) -> None:
        self._records = records  # see visits.last_values

    def __getitem__(self, name: str) -> StateRecord:
        return _record(name, self._records[name])

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._records))

    def __len__(self) -> int:
        return len(self._records)

    def __repr__(self) -> str:
        return f"StateRecords({', '.join(repr(name) for name in self._records)})"


@dataclass
class TimelineEntry:
    """One visit of a state on the execution's clock (seconds since the epoch); ``exited_at`` is None
    for a visit that failed or has not finished."""

    name: str
    entered_at: float
    exited_at: float | None = None


class ExecutionResult:
    """The outcome of :meth:`sfnlocal.StateMachine.execute`, a live view of the execution.

    ``status`` is ``SUCCEEDED``, ``FAILED``, ``TIMED_OUT``, ``ABORTED`` (stopped with ``stop_after``), or
    ``RUNNING`` when the execution is suspended waiting for something outside it: a task token nobody
    has answered yet (see :meth:`send_task_success`), an activity no worker has taken, a task mocked as
    ``pending()``. Answering resumes it; the fields then show where it got to.

    Every accessor hands out a fresh copy that nothing else holds: changing ``run.output`` changes neither
    ``run.input``, the state records, the variables, the history, nor a later execution.
    """

    def __init__(self, execution: Execution) -> None:
        self._execution = execution
        self._rendered: list[dict[str, Any]] | None = None
        self._rendered_at = -1

    def __repr__(self) -> str:
        return f"ExecutionResult(status={self.status!r}, name={self.name!r}, error={self.error!r})"

    # What AWS's DescribeExecution shows ------------------------------------------------------------

    @property
    def status(self) -> str:
        """SUCCEEDED, FAILED, TIMED_OUT, ABORTED or RUNNING."""
        return self._execution.status

    @property
    def execution_arn(self) -> str:
        """``arn:aws:states:<region>:<account>:execution:<state machine>:<name>``."""
        return self._execution.arn

    @property
    def name(self) -> str:
        """The execution's name."""
        return self._execution.name

    @property
    def state_machine_arn(self) -> str:
        """The ARN of the state machine this is an execution of."""
        return self._execution.machine.arn

    @property
    def input(self) -> Any:
        """The execution's input."""
        return detached_copy(self._execution.input)

    @property
    def start_date(self) -> datetime:
        """When it started, on its clock."""
        return datetime.fromtimestamp(self._execution.start_time, tz=UTC)

    @property
    def stop_date(self) -> datetime | None:
        """When it ended, on its clock (None while RUNNING)."""
        stop = self._execution.stop_time
        return None if stop is None else datetime.fromtimestamp(stop, tz=UTC)

    @property
    def output(self) -> Any:
        """The output (None unless SUCCEEDED)."""
        return detached_copy(self._execution.output)

    @property
    def error(self) -> str | None:
        """The error name of a failed execution."""
        return self._execution.error

    @property
    def cause(self) -> str | None:
        """The cause of a failed execution."""
        return self._execution.cause

    # What happened on the way --------------------------------------------------------------------

    @property
    def path(self) -> list[str]:
        """The states entered, in order (Parallel branches and inline Map iterations included; the children of a
        Distributed Map are executions of their own: see :attr:`child_state_counts` and :meth:`map_run_children`)."""
        return visits.path(self._execution.visits)

    @property
    def timeline(self) -> list[TimelineEntry]:
        """Each visit of a state with its entered/exited time on the execution's clock."""
        return [TimelineEntry(*entry) for entry in visits.timeline(self._execution.visits)]

    @property
    def variables(self) -> dict[str, Any]:
        """The top-level workflow variables as they are now."""
        return {name: detached_copy(value) for name, value in self._execution.variables.maps[0].items()}

    @property
    def observations(self) -> list[tuple[str, str, Any]]:
        """What states did, in the order they did it, for workflow coverage: ``(kind, state location, detail)``
        where kind is transition (detail: the next state's name, None at an end), choice (a rule's index or "Default"),
        retry / catch (the retrier's / catcher's index), branch (a Parallel branch's index) or iteration
        (a Map iteration's index); the location is the state's JSON pointer in the definition. What the children
        of a Distributed Map did is counted instead, in :attr:`child_observation_counts`."""
        execution = self._execution
        return visits.observations(execution.observations, execution.visits)

    @property
    def child_state_counts(self) -> dict[str, int]:
        """How often the child executions of this execution's Distributed Map runs (at any depth) entered each
        state, by name: counted, not listed, since a run may have a million children.

        >>> from sfnlocal import StateMachine
        >>> run = StateMachine.from_dict({"StartAt": "M", "States": {"M": {"Type": "Map", "End": True,
        ...     "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        ...                       "StartAt": "P",
        ...                       "States": {"P": {"Type": "Pass", "End": True}}}}}}).execute([1, 2, 3])
        >>> run.path, run.child_state_counts
        (['M'], {'P': 3})
        """
        return dict(self._execution.child_states)

    @property
    def child_observation_counts(self) -> dict[tuple[str, str, Any], int]:
        """What the child executions of this execution's Distributed Map runs did, for workflow coverage: how often
        each ``(kind, state location, detail)`` of :attr:`observations` happened (an iteration's detail is None)."""
        return dict(self._execution.child_observations)

    @property
    def state_machine(self) -> Machine:
        """The state machine this is an execution of."""
        return self._execution.machine

    @property
    def world_summary(self) -> dict[str, Any]:
        """What the application did in the execution's in-process AWS world, short: each queue's messages (dead-letter
        queues marked), each table's item count, each bucket's keys, each topic's published messages, each bus's
        events (see docs/applications.md). The world as it was when the execution ended if it had a world of its own,
        else as it is now; ``{}`` for an execution of a machine loaded without its template's resources."""
        describe = self._execution.root.options.describe_world
        return describe() if describe is not None else {}

    @property
    def children(self) -> list[ExecutionResult]:
        """The child executions this execution started (``states:startExecution``, the AWS SDK's
        ``sfn:startExecution``), in the order they started; each a live result of its own."""
        return [child.result for child in self._execution.children]

    @property
    def map_runs(self) -> list[dict[str, Any]]:
        """Each Distributed Map run of this execution, in the order they started, as DescribeMapRun describes it
        (``mapRunArn``, ``status``, ``itemCounts``, ``executionCounts``, ...)."""
        return [run.describe() for run in self._execution.map_runs]

    def map_run_children(self, map_run_arn: str) -> list[dict[str, Any]]:
        """The child executions of the map run ``map_run_arn`` that started, in item order, each as DescribeExecution
        describes it (``executionArn``, ``name``, ``status``, ``startDate``, ``stopDate``, ``input``/``output`` as
        JSON text, ``error``/``cause``, ``mapRunArn``), plus its ``index`` and, for the children whose history the
        run kept, ``history``: its events as GetExecutionHistory gives them (see docs/distributed-map.md for which).

        Raises KeyError naming this execution's map runs when ``map_run_arn`` is not one of them.

        >>> from sfnlocal import StateMachine
        >>> run = StateMachine.from_dict({"StartAt": "M", "States": {"M": {"Type": "Map", "End": True,
        ...     "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        ...                       "StartAt": "P",
        ...                       "States": {"P": {"Type": "Pass", "End": True}}}}}}).execute([1])
        >>> [child] = run.map_run_children(run.map_runs[0]["mapRunArn"])
        >>> child["status"], child["input"], [event["type"] for event in child["history"]]
        ('SUCCEEDED', '1', ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'])
        """
        for map_run in self._execution.map_runs:
            if map_run.arn == map_run_arn:
                return map_run.describe_children()
        known = ", ".join(map_run.arn for map_run in self._execution.map_runs) or "none"
        raise KeyError(f"{map_run_arn!r} is not a map run of this execution (its map runs: {known})")

    @property
    def parent(self) -> ExecutionResult | None:
        """The execution that started this one as a child, or None."""
        parent = self._execution.parent
        return None if parent is None else parent.result

    @property
    def states(self) -> StateRecords:
        """What each state last received and produced, by name (a read-only mapping; each record read is a copy)."""
        return StateRecords(visits.last_values(self._execution.visits))

    @property
    def history(self) -> list[dict[str, Any]]:
        """Events shaped like GetExecutionHistory's ``events`` (rendered again only when there are new ones)."""
        history = self._execution.history
        if self._rendered is None or self._rendered_at != len(history):
            self._rendered = history.render()
            self._rendered_at = len(history)
        return [_copy_event(event) for event in self._rendered]

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

    # Answering what it waits for -----------------------------------------------------------------

    @property
    def task_tokens(self) -> list[str]:
        """The task tokens of ``.waitForTaskToken`` tasks waiting for an answer, oldest first (tasks of child
        executions included: they share their parent's callbacks)."""
        return self._execution.callbacks.waiting_tokens()

    @property
    def waiting_tasks(self) -> list[dict[str, str]]:
        """``{"taskToken", "stateName", "executionArn"}`` of each task waiting for an answer, oldest first
        (tasks of child executions included)."""
        return self._execution.callbacks.waiting_tasks()

    @property
    def waiting_activities(self) -> list[dict[str, str]]:
        """``{"activityArn", "stateName", "executionArn"}`` of each activity task no worker has taken yet (tasks of
        child executions included); :meth:`get_activity_task` hands them out."""
        return self._execution.callbacks.waiting_activities()

    def get_activity_task(self, activity_arn: str, worker_name: str | None = None) -> dict[str, Any] | None:
        """GetActivityTask: the oldest task of this activity waiting for a worker, as
        ``{"taskToken": ..., "input": <JSON text>}``, or None when there is none. Answer it with
        :meth:`send_task_success` / :meth:`send_task_failure` / :meth:`send_task_heartbeat`."""
        clock = self.clock
        task = self._execution.callbacks.take_activity(activity_arn, worker_name)
        if task is None:
            return None
        self._note("activity", clock, activity=activity_arn, worker=worker_name)
        return {"taskToken": task.token, "input": compact_json(task.input)}

    def send_task_success(self, token: str, output: Any) -> ExecutionResult:
        """Answer a waiting task with its result, as SendTaskSuccess does, and run on. Returns self."""
        clock = self.clock
        self._execution.callbacks.succeed(token, output)
        self._note("success", clock, token=token, output=output)
        return self._resume()

    def send_task_failure(self, token: str, error: str | None = None, cause: str | None = None) -> ExecutionResult:
        """Fail a waiting task, as SendTaskFailure does, and run on. Returns self."""
        clock = self.clock
        self._execution.callbacks.fail(token, error, cause)
        self._note("failure", clock, token=token, error=error, cause=cause)
        return self._resume()

    def send_task_heartbeat(self, token: str) -> ExecutionResult:
        """Tell a waiting task it is still being worked on (restarts its HeartbeatSeconds). Returns self."""
        clock = self.clock
        self._execution.callbacks.heartbeat(token)
        self._note("heartbeat", clock, token=token)
        return self._resume()

    @property
    def clock(self) -> float:
        """The execution's clock now, in seconds since the epoch (virtual unless ``real_time=True``)."""
        return self._execution.scheduler.now

    @property
    def next_timer(self) -> float | None:
        """When the execution's next timer (a Wait, a backoff, a timeout) falls due on its clock, or None."""
        return self._execution.scheduler.next_due()

    def stop(self, error: str | None = None, cause: str | None = None) -> ExecutionResult:
        """Stop a running (suspended) execution as StopExecution does: it ends ABORTED, its ExecutionAborted event
        holding ``error`` and ``cause`` when given. Nothing happens to an execution that has ended. Returns self.

        >>> from sfnlocal import StateMachine, mocks
        >>> sm = StateMachine.from_dict({"StartAt": "T", "States": {"T": {"Type": "Task",
        ...     "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True}}})
        >>> run = sm.execute({}, mocks={"T": mocks.pending()}).stop("Cancelled", "by the test")
        >>> run.status, run.history[-1]["executionAbortedEventDetails"]
        ('ABORTED', {'error': 'Cancelled', 'cause': 'by the test'})
        """
        if self.status == "RUNNING":
            self._note("stop", self.clock, error=error, cause=cause)
        self._execution.stop(error, cause)
        if self._execution.parent is not None:
            self._execution.resume()  # a child's end wakes its parent's task, which runs on
        return self

    def advance(self, seconds: float) -> ExecutionResult:
        """Let ``seconds`` of virtual time pass for a suspended execution (timeouts may run out). Returns self."""
        clock = self.clock
        self._execution.advance(seconds)
        self._note("advance", clock, seconds=seconds)
        return self

    def _note(self, call: str, clock: float, **arguments: Any) -> None:
        journal = self._execution.journal
        if journal is not None:
            if self._execution.parent is not None:  # made on a child execution: replayed on that child
                arguments["execution"] = self.execution_arn
            journal.note(call, clock, **arguments)

    def _resume(self) -> ExecutionResult:
        self._execution.resume()
        return self

    def to_dict(self) -> dict[str, Any]:
        """``{"status", "output", "error", "cause", "history"}``, JSON-ready (timestamps as ISO text)."""
        history = [{**event, "timestamp": event["timestamp"].isoformat()} for event in self.history]
        return {
            "status": self.status,
            "output": self.output,
            "error": self.error,
            "cause": self.cause,
            "history": history,
        }

    def to_view(self) -> dict[str, Any]:
        """The execution page's data (:func:`sfnlocal.viewer.execution_document`): the definition, the history,
        the tasks waiting for an answer, the child executions and each Distributed Map run's children, JSON-ready.

        >>> from sfnlocal import StateMachine
        >>> run = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}).execute({})
        >>> view = run.to_view()
        >>> view["status"], view["outcomes"], len(view["events"])
        ('SUCCEEDED', {'P': 'succeeded'}, 4)
        """
        from sfnlocal.viewer import execution_document  # imported here: the viewer is costly to import

        map_runs = [{**run, "children": self.map_run_children(run["mapRunArn"])} for run in self.map_runs]
        return execution_document(
            self.state_machine.definition,
            self.history,
            name=self.name,
            execution_arn=self.execution_arn,
            state_machine_arn=self.state_machine_arn,
            status=self.status,
            children=[child.to_view() for child in self.children],
            map_runs=map_runs,
            waiting=self.waiting_tasks if self.parent is None else (),
        )

    def to_html(self, path: str | Path) -> Path:
        """Write the execution's page (one self-contained HTML file, see docs/viewer.md) to ``path``; returns it.

        >>> import tempfile, pathlib
        >>> from sfnlocal import StateMachine
        >>> run = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}).execute({})
        >>> page = run.to_html(pathlib.Path(tempfile.mkdtemp()) / "run.html")
        >>> page.name, page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        ('run.html', True)
        """
        from sfnlocal.viewer import render_page  # imported here: the viewer is costly to import

        target = Path(path)
        target.write_text(render_page(self.to_view(), title=f"Execution {self.name}"), encoding="utf-8")
        return target


def _record(name: str, values: tuple[Any, Any, int, bool]) -> StateRecord:
    """A record nobody else holds, from what :func:`visits.last_values` found for the state ``name``."""
    given, output, entered, exited = values
    return StateRecord(name, detached_copy(given), detached_copy(output), entered, exited)


def _copy_event(event: dict[str, Any]) -> dict[str, Any]:
    """A rendered event whose details nobody else holds (its timestamp, a datetime, is immutable)."""
    return {
        key: {name: detached_copy(detail) for name, detail in value.items()} if isinstance(value, dict) else value
        for key, value in event.items()
    }
