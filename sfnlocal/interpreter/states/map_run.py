"""A Distributed Map's run: its children as child executions (names, ARNs, summaries), the map run record
(what DescribeMapRun answers), and ``ResultWriter``, which writes the children's results where AWS writes them
(through the execution's integration, e.g. the in-process S3) and gives the Map state its ``ResultWriterDetails``.

Each child is an execution of its own (:class:`~sfnlocal.interpreter.states.map_child.MapChild`): its states' events
go to its own history, not the parent's. Once it ends the run keeps its summary (status, dates, error and cause; its
input and output too unless a ResultWriter has already written them to its result files) and the histories of a
few children: the first ``KEPT_HISTORIES``, and the first ``KEPT_FAILED_HISTORIES`` that did not succeed (STANDARD
children only: AWS keeps no history of EXPRESS executions). :meth:`MapRun.describe_children` gives them as
DescribeExecution does, with ``history`` where it was kept. So memory grows with the summaries, not with what the
children did.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.history import History, Lane
from sfnlocal.interpreter.states.base import iso_time
from sfnlocal.interpreter.states.map_result_files import FILE_ORDER, JSON, JSONL, ResultSpool, as_texts
from sfnlocal.interpreter.states.map_service import RESULT_WRITER, call_service
from sfnlocal.language.errors import RESULT_WRITER_FAILED, DefinitionError, StatesError
from sfnlocal.language.fields import Field, compile_field
from sfnlocal.language.identifiers import seeded_uuid4
from sfnlocal.language.jsontext import compact_json
from sfnlocal.language.state_fields import EXPRESS
from sfnlocal.language.state_fields import STANDARD as STANDARD  # MapRun takes it (the default ExecutionType)

if TYPE_CHECKING:
    from sfnlocal.interpreter.execution import Execution
    from sfnlocal.interpreter.states.base import State, Visit

RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING = (
    "RUNNING",
    "SUCCEEDED",
    "FAILED",
    "TIMED_OUT",
    "ABORTED",
    "PENDING",
)
_TIMEOUT = "States.Timeout"
_UNSET: Any = object()  # a child's input before its first state is entered
_DROPPED: Any = object()  # a child's input or output once its result file has it
# The children whose histories a run keeps (see the module's docstring): the first ones, and the first failed ones.
KEPT_HISTORIES = 10
KEPT_FAILED_HISTORIES = 100


class ChildExecution:
    """The summary of one child execution of a map run: what its result file entry and the counts need."""

    __slots__ = ("index", "input", "start", "stop", "status", "output", "error", "cause")

    def __init__(self, index: int, start: float) -> None:
        self.index = index
        self.input: Any = _UNSET
        self.start = start
        self.stop: float | None = None
        self.status = RUNNING
        self.output: Any = None
        self.error: str | None = None
        self.cause: str | None = None


class MapRun:
    """One run of a Distributed Map state: its ARN, its settings and its children's summaries.

    ``arn`` is ``arn:aws:states:<region>:<account>:mapRun:<machine>/<label>:<uuid>``; child ``i`` is the execution
    ``arn:aws:states:<region>:<account>:execution:<machine>/<label>:<name>`` of the state machine
    ``...:stateMachine:<machine>/<label>``, its name a version-3 UUID of the run's UUID and ``i`` (AWS's child
    names are version-3 UUIDs too), so naming a child draws nothing from the execution's random source.

    >>> from random import Random
    >>> run = MapRun("us-east-1", "123456789012", "orders", "Map", "arn:x:execution:orders:e", Random(0), 0.0,
    ...              STANDARD, 0, 2)
    >>> run.arn
    'arn:aws:states:us-east-1:123456789012:mapRun:orders/Map:e3e70682-c209-4cac-a29f-6fbed82c07cd'
    >>> run.child_arn(0).rsplit(":", 1)[0], run.child_name(0) != run.child_name(1)
    ('arn:aws:states:us-east-1:123456789012:execution:orders/Map', True)
    >>> run.describe()["itemCounts"]["pending"], run.describe()["status"]
    (2, 'RUNNING')
    """

    def __init__(
        self,
        region: str,
        account: str,
        machine_name: str,
        label: str,
        execution_arn: str,
        rng: Any,
        start: float,
        execution_type: str,
        max_concurrency: int,
        total: int,
        tolerated_count: int | None = None,
        tolerated_percentage: float | None = None,
    ) -> None:
        self.run_id = seeded_uuid4(rng)
        prefix = f"arn:aws:states:{region}:{account}"
        self.arn = f"{prefix}:mapRun:{machine_name}/{label}:{self.run_id}"
        self.state_machine_arn = f"{prefix}:stateMachine:{machine_name}/{label}"
        self._execution_prefix = f"{prefix}:execution:{machine_name}/{label}:"
        self._namespace = uuid.UUID(self.run_id)
        self.execution_arn = execution_arn
        self.execution_type = execution_type
        self.max_concurrency = max_concurrency
        self.tolerated_count = tolerated_count
        self.tolerated_percentage = tolerated_percentage
        self.start = start
        self.stop: float | None = None
        self.status = RUNNING
        self.results_written = 0
        self.batch_sizes: list[int] | None = None  # items per child, when an ItemBatcher made batches
        # One summary per child that started; None for those not (yet) started.
        self.children: list[ChildExecution | None] = [None] * total
        self.histories: dict[int, History] = {}  # the kept histories, by child index
        self._failed_histories = 0
        self.spool: ResultSpool | None = None  # where finished children's results go (a ResultWriter's files)
        self._last_time: tuple[float, str] = (math.nan, "")

    @classmethod
    def of(
        cls,
        execution: Execution,
        label: str,
        execution_type: str,
        max_concurrency: int,
        total: int,
        tolerated_count: int | None = None,
        tolerated_percentage: float | None = None,
    ) -> MapRun:
        """A new run of a Distributed Map in ``execution`` (its UUID drawn from the execution's random source)."""
        return cls(
            execution.region,
            execution.account,
            execution.state_machine_name,
            label,
            execution.arn,
            execution.rng,
            execution.scheduler.now,
            execution_type,
            max_concurrency,
            total,
            tolerated_count,
            tolerated_percentage,
        )

    def child_name(self, index: int) -> str:
        """The name of child execution ``index``."""
        return str(uuid.uuid3(self._namespace, str(index)))

    def child_arn(self, index: int) -> str:
        """The ARN of child execution ``index``."""
        return self._execution_prefix + self.child_name(index)

    def child(
        self,
        index: int,
        body: Callable[[Lane], Generator[Any, Any, Any]],
        clock: Callable[[], float],
        new_history: Callable[[], History] | None = None,
    ) -> Callable[[], Generator[Any, Any, Any]]:
        """Child execution ``index`` running ``body`` (its ExecutionStarted event and its states, on the lane it is
        given: on the child's own history, ``new_history()``, else one whose events all have the child's start
        time). Its input is what its first event (ExecutionStarted, else its first state's) carries; it ends with
        ExecutionSucceeded/Failed/Aborted. Once it has, the run keeps its summary and (see :meth:`_ended`) maybe its
        history."""

        def child() -> Generator[Any, Any, Any]:
            record = self.children[index] = ChildExecution(index, clock())
            history = new_history() if new_history is not None else History(_Started(record), None)
            lane = _ChildLane(history, record)
            finished = False
            try:
                output = yield from body(lane)
                record.status, record.output = SUCCEEDED, output
                lane.emit("ExecutionSucceeded", "executionSucceededEventDetails", {"output": output})
                finished = True
            except StatesError as failure:
                finished = True
                record.status = TIMED_OUT if failure.error == _TIMEOUT else FAILED
                record.error, record.cause = failure.error, failure.cause
                lane.emit("ExecutionFailed", "executionFailedEventDetails", failure.event_details())
                raise
            finally:
                record.stop = clock()
                if not finished:  # cancelled: the run failed, or the Map state was itself cancelled
                    record.status = ABORTED
                    lane.emit("ExecutionAborted", "executionAbortedEventDetails", {})
                    self._cancelled(record.stop)
                self._ended(record, history)
            return output

        return child

    def _cancelled(self, when: float) -> None:
        """A child was cancelled at ``when``. Unless the run has already failed (a failed run cancels its other
        children, then records that it failed), the Map state itself was cancelled: a Parallel branch beside it
        failed, or the execution was stopped or timed out. The run is then ABORTED, as DescribeMapRun says."""
        if self.status == RUNNING:
            self.finish(ABORTED, when)

    def _ended(self, record: ChildExecution, history: History) -> None:
        """A child ended: its result goes to the spool (if the run writes result files), and its history is kept
        if it is one of the first ``KEPT_HISTORIES`` children or of the first ``KEPT_FAILED_HISTORIES`` that did
        not succeed (STANDARD children only: AWS keeps no history of EXPRESS executions)."""
        if self.spool is not None:
            self.spool.add_record(record)
            record.input = record.output = _DROPPED
        if self.execution_type == EXPRESS:
            return
        if record.index < KEPT_HISTORIES:
            self.histories[record.index] = history
        elif record.status != SUCCEEDED and self._failed_histories < KEPT_FAILED_HISTORIES:
            self._failed_histories += 1
            self.histories[record.index] = history

    def expect(self, total: int) -> None:
        """The run's items are known (an ItemReader reads them after MapRunStarted): ``total`` children."""
        self.children = [None] * total

    def finish(self, status: str, stop: float) -> None:
        """The run ended (SUCCEEDED, FAILED or ABORTED) at ``stop``."""
        self.status, self.stop = status, stop

    def counts(self, items: bool = False) -> dict[str, int]:
        """How many children (``items=False``: DescribeMapRun's ``executionCounts``) or items (``itemCounts``: a
        batch's child counts each item of its batch) are in each status."""
        sizes = self.batch_sizes if items else None
        tally = dict.fromkeys((PENDING, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED), 0)
        written = 0
        for index, record in enumerate(self.children):
            weight = 1 if sizes is None else sizes[index]
            tally[PENDING if record is None else record.status] += weight
            if record is not None and record.status != RUNNING:
                written += weight
        return {
            "pending": tally[PENDING],
            "running": tally[RUNNING],
            "succeeded": tally[SUCCEEDED],
            "failed": tally[FAILED],
            "timedOut": tally[TIMED_OUT],
            "aborted": tally[ABORTED],
            "total": len(self.children) if sizes is None else sum(sizes),
            # The ResultWriter writes every finished child's entry (its count is of children).
            "resultsWritten": self.results_written if sizes is None or not self.results_written else written,
            "failuresNotRedrivable": 0,
            "pendingRedrive": 0,
        }

    def describe(self) -> dict[str, Any]:
        """The run as DescribeMapRun answers it (dates as datetimes, as boto3 gives them), plus the
        ``executionType`` of its children (ProcessorConfig's ExecutionType; DescribeMapRun does not show it).

        Each item is one child execution, unless an ItemBatcher made batches: then a child counts once in
        ``executionCounts`` and once per item of its batch in ``itemCounts`` (``batch_sizes``).
        """
        described: dict[str, Any] = {
            "mapRunArn": self.arn,
            "executionArn": self.execution_arn,
            "status": self.status,
            "startDate": datetime.fromtimestamp(self.start, tz=UTC),
            "maxConcurrency": self.max_concurrency,
            "toleratedFailurePercentage": float(self.tolerated_percentage or 0),
            "toleratedFailureCount": self.tolerated_count or 0,
            "itemCounts": self.counts(items=True),
            "executionCounts": self.counts(),
            "redriveCount": 0,
            "executionType": self.execution_type,
        }
        if self.stop is not None:
            described["stopDate"] = datetime.fromtimestamp(self.stop, tz=UTC)
        return described

    def describe_children(self) -> list[dict[str, Any]]:
        """The children that started, in index order, as DescribeExecution describes each (``executionArn``,
        ``mapRunArn``, ``status``, dates, ``input``/``output`` as JSON text, ``error``/``cause``), plus ``index``
        and, where the run kept it, ``history``: its events as GetExecutionHistory gives them. A child whose input
        and output were written to the ResultWriter's files and let go shows ``inputDetails``/``outputDetails``
        ``{"included": False}`` (AWS's words for data it does not return) without ``input``/``output``."""
        return [self.describe_child(record) for record in self.children if record is not None]

    def describe_child(self, record: ChildExecution) -> dict[str, Any]:
        """One started child, as :meth:`describe_children` gives it."""
        described: dict[str, Any] = {
            "executionArn": self.child_arn(record.index),
            "stateMachineArn": self.state_machine_arn,
            "name": self.child_name(record.index),
            "status": record.status,
            "startDate": datetime.fromtimestamp(record.start, tz=UTC),
        }
        if record.stop is not None:
            described["stopDate"] = datetime.fromtimestamp(record.stop, tz=UTC)
        if record.input is not _UNSET:
            kept = record.input is not _DROPPED
            if kept:
                described["input"] = compact_json(record.input)
            described["inputDetails"] = {"included": kept}
        if record.status == SUCCEEDED:
            kept = record.output is not _DROPPED
            if kept:
                described["output"] = compact_json(record.output)
            described["outputDetails"] = {"included": kept}
        elif record.error is not None:
            described["error"], described["cause"] = record.error, record.cause or ""
        described["mapRunArn"] = self.arn
        described["redriveCount"] = 0
        described["index"] = record.index
        history = self.histories.get(record.index)
        if history is not None:
            described["history"] = history.render()
        return described

    def entry(self, index: int) -> dict[str, Any]:
        """Child ``index`` as AWS writes it in a result file (Transformation NONE): a started child's
        ExecutionArn, Input, Name, Output or Error and Cause, dates and status."""
        record = self.children[index]
        if record is None:
            # A child the run never started (it failed first). No AWS sample of a PENDING entry was found:
            # sfnlocal writes its ARN, name and status.
            return {
                "ExecutionArn": self.child_arn(index),
                "Name": self.child_name(index),
                "StateMachineArn": self.state_machine_arn,
                "Status": PENDING,
            }
        entry: dict[str, Any] = {}
        if record.status != SUCCEEDED:
            entry["Cause"], entry["Error"] = record.cause or "", record.error or ""
        name = self.child_name(index)
        entry["ExecutionArn"] = self._execution_prefix + name
        if record.input is not _UNSET:
            entry["Input"] = compact_json(record.input)
            entry["InputDetails"] = {"Included": True}
        entry["Name"] = name
        if record.status == SUCCEEDED:
            entry["Output"] = compact_json(record.output)
            entry["OutputDetails"] = {"Included": True}
        entry["RedriveCount"] = 0
        if record.status == SUCCEEDED:
            # As in AWS's sample of a SUCCEEDED_0.json.
            entry["RedriveStatus"] = "NOT_REDRIVABLE"
            entry["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven"
        else:
            # AWS's RedriveStatus for a failed child of a map run (redriven with the run, not on its own).
            entry["RedriveStatus"] = "REDRIVABLE_BY_MAP_RUN"
        entry["StartDate"] = self._iso_time(record.start)
        entry["StateMachineArn"] = self.state_machine_arn
        entry["Status"] = record.status
        if record.stop is not None:
            entry["StopDate"] = self._iso_time(record.stop)
        return entry

    def _iso_time(self, when: float) -> str:
        """``iso_time(when)``, remembered for the last time asked: children mostly start and stop at the same few
        instants of the virtual clock, and a million entries would format them two million times."""
        if when != self._last_time[0]:
            self._last_time = (when, iso_time(when))
        return self._last_time[1]


class _Started:
    """A clock (as History reads it) that stays at a child's start."""

    __slots__ = ("now",)

    def __init__(self, record: ChildExecution) -> None:
        self.now = record.start


class _ChildLane(Lane):
    """A child execution's lane: its events go to its own history, and its first one gives the child's input."""

    __slots__ = ("record",)

    def __init__(self, history: History, record: ChildExecution) -> None:
        super().__init__(history, 0)
        self.record = record

    def emit(
        self,
        event_type: str,
        details_key: str | None = None,
        details: dict[str, Any] | None = None,
        advance: bool = True,
    ) -> int:
        if self.record.input is _UNSET and details is not None and "input" in details:
            self.record.input = details["input"]
        return super().emit(event_type, details_key, details, advance)


# ResultWriter ------------------------------------------------------------------------------------------

NONE, COMPACT, FLATTEN = "NONE", "COMPACT", "FLATTEN"
# The S3 action a ResultWriter's Resource names (AWS's ResultWriter page), in any partition.
WRITER_RESOURCE = re.compile(r"arn:[a-z-]+:states:::s3:putObject")


class ResultWriter:
    """A Map state's ``ResultWriter``: its Resource, Parameters/Arguments (Bucket, Prefix) and WriterConfig
    (OutputType JSON or JSONL, Transformation NONE, COMPACT or FLATTEN), compiled at load.

    With a Resource it writes ``<Prefix>/<map run id>/manifest.json`` and the ``SUCCEEDED_0.json``,
    ``FAILED_0.json`` and ``PENDING_0.json`` files of the children in each status (only the files with some),
    and the Map's result is ``{"MapRunArn": ..., "ResultWriterDetails": {"Bucket": ..., "Key": <manifest>}}``.
    With only a WriterConfig (AWS's "preview") nothing is written and the result is the transformed results.
    """

    def __init__(self, spec: dict[str, Any], location: str, state: State) -> None:
        self.state = state
        self.resource: str | None = spec.get("Resource")
        arguments_field = "Arguments" if state.jsonata else "Parameters"
        self.arguments: Field | None = None
        if arguments_field in spec:
            self.arguments = compile_field(
                spec[arguments_field], arguments_field, f"{location}/{arguments_field}", state.jsonata
            )
        config = spec.get("WriterConfig", {})
        self._check(spec, config, location, arguments_field)
        self.configured = "WriterConfig" in spec
        # AWS: without a WriterConfig, the files hold the children as they are (NONE) as a JSON array.
        self.output_type: str = config.get("OutputType", JSON)
        self.transformation: str = config.get("Transformation", NONE if self.resource else COMPACT)

    def _check(self, spec: dict[str, Any], config: Any, location: str, arguments_field: str) -> None:
        """Refuse, at load, what AWS's ResultWriter page rules out and sfnlocal would otherwise ignore: a ResultWriter
        with neither a WriterConfig nor a Resource, Parameters/Arguments without a Resource, a Resource other than S3
        PutObject, and WriterConfig values other than AWS's. (A Resource without Parameters/Arguments fails when it
        writes, naming the Bucket it lacks.) The wording is sfnlocal's (AWS's was not recorded)."""
        problem: tuple[str, str] | None = None
        if self.resource is None and arguments_field in spec:
            problem = "", f"A ResultWriter with {arguments_field} needs Resource: 'arn:aws:states:::s3:putObject'"
        elif self.resource is None and "WriterConfig" not in spec:
            problem = "", f"A ResultWriter needs a WriterConfig, or a Resource and {arguments_field}, or all three"
        elif self.resource is not None and not WRITER_RESOURCE.fullmatch(str(self.resource)):
            problem = (
                "/Resource",
                f"A ResultWriter writes with 'arn:aws:states:::s3:putObject', but got '{self.resource}'",
            )
        else:
            for field, choices in (("OutputType", (JSON, JSONL)), ("Transformation", (NONE, COMPACT, FLATTEN))):
                if isinstance(config, dict) and config.get(field, choices[0]) not in choices:
                    value = config[field]
                    shown = f"'{value}'" if isinstance(value, str) else compact_json(value)
                    problem = (
                        f"/WriterConfig/{field}",
                        f"{field} must be one of [{', '.join(choices)}], but got {shown}",
                    )
                    break
        if problem is not None:
            raise DefinitionError(location + problem[0], problem[1])

    def spool(self, run: MapRun) -> ResultSpool:
        """Where ``run``'s children's results go as they finish (the files this writer writes)."""
        return ResultSpool(
            self.output_type,
            lambda record: as_texts(self._values(run, record.index)),
            lambda index: [compact_json(run.entry(index))],
        )

    def write(self, visit: Visit, selected: Any, results: list[Any], run: MapRun | None = None) -> Any:
        """Write the children's results; return the Map state's result (``{"MapRunArn": ..., "ResultWriterDetails":
        ...}``, or the transformed results without a Resource). ``run`` has the children's summaries: MapState.run
        passes it (without it the results cannot be written, and the state fails with States.ResultWriterFailed).
        The files are ``run.spool``'s when the run fed one as its children finished, else made here."""
        if run is None:
            # An INLINE Map has no map run (whether AWS accepts a ResultWriter on one was not recorded).
            raise StatesError(
                RESULT_WRITER_FAILED,
                f"Map state '{self.state.name}': a ResultWriter writes the results of a Distributed Map's run; "
                "this Map has none (its ItemProcessor's ProcessorConfig Mode is not DISTRIBUTED)",
            )
        if self.resource is None:
            return [value for index in range(len(run.children)) for value in self._values(run, index)]
        spool, run.spool = run.spool or self.spool(run), None
        written = spool.finish(run.children)
        arguments = self.arguments.evaluate(visit, selected) if self.arguments is not None else {}
        bucket, prefix = self._location(arguments)
        directory = f"{prefix}{'/' if prefix and not prefix.endswith('/') else ''}{run.run_id}/"
        files: dict[str, list[dict[str, Any]]] = {status: [] for status in FILE_ORDER}
        run.results_written = 0
        for status, result in written:
            key = f"{directory}{status}_0.json"
            # The file itself, not its text: the AWS integration copies it into S3 without holding it twice.
            with result.close() as body:
                self._put(visit, {"Bucket": bucket, "Key": key, "Body": body})
            files[status].append({"Key": key, "Size": result.size})
            if status != PENDING:
                run.results_written += result.children
        manifest = {"DestinationBucket": bucket, "MapRunArn": run.arn, "ResultFiles": files}
        manifest_key = f"{directory}manifest.json"
        self._put(visit, {"Bucket": bucket, "Key": manifest_key, "Body": compact_json(manifest)})
        return {"MapRunArn": run.arn, "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key}}

    def _location(self, arguments: Any) -> tuple[str, str]:
        """The Bucket and Prefix the Parameters/Arguments give."""
        bucket = arguments.get("Bucket") if isinstance(arguments, dict) else None
        prefix = arguments.get("Prefix", "") if isinstance(arguments, dict) else ""
        if not isinstance(bucket, str) or not isinstance(prefix, str):
            # No AWS text was found for a ResultWriter without a bucket: the wording is sfnlocal's.
            raise StatesError(
                RESULT_WRITER_FAILED,
                f"Map state '{self.state.name}': the ResultWriter needs a string Bucket and an optional string "
                f"Prefix, but got: {compact_json(arguments)}",
            )
        return bucket, prefix

    def _values(self, run: MapRun, index: int) -> list[Any]:
        """What child ``index`` contributes as the Transformation gives it: NONE its entry, COMPACT its output,
        FLATTEN its output with an array output's elements in its place (a failed child stays its entry)."""
        record = run.children[index]
        if self.transformation == NONE or record is None or record.status != SUCCEEDED:
            return [run.entry(index)]
        if self.transformation == FLATTEN and isinstance(record.output, list):
            return list(record.output)
        return [record.output]

    def _put(self, visit: Visit, arguments: dict[str, Any]) -> None:
        """One PutObject through the execution's integration; a failure is ``States.ResultWriterFailed``."""
        resource = self.resource or ""
        try:
            call_service(visit, RESULT_WRITER, resource, arguments)
        except StatesError as failure:
            # AWS documents States.ResultWriterFailed for results it cannot write; the cause is sfnlocal's wording.
            raise StatesError(
                RESULT_WRITER_FAILED,
                f"Map state '{self.state.name}' could not write s3://{arguments['Bucket']}/{arguments['Key']}: "
                f"{failure.error}: {failure.cause}",
            ) from None
