"""The Map state: runs its ItemProcessor once per item, honouring MaxConcurrency and failure tolerance.

INLINE mode records every iteration in the execution's history (``MapIteration*`` events). In
DISTRIBUTED mode AWS runs iterations as child executions and the parent history shows only
``MapRun*`` events; sfnlocal runs them the same way as inline iterations but records them as AWS
shows them. Reading items from S3 (``ItemReader``) is in :mod:`.map_items`, batching them (``ItemBatcher``)
in :mod:`.map_batches`, the run's children and ``ResultWriter`` in :mod:`.map_run`; their service calls go
through :mod:`.map_service`.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.children import ChildFailure, input_bound, run_children
from sfnlocal.interpreter.history import History, Lane
from sfnlocal.interpreter.scheduler import FiberBody
from sfnlocal.interpreter.states.base import CompositeFailure, Frame, State, StateRun, Visit
from sfnlocal.interpreter.states.map_batches import ItemBatcher
from sfnlocal.interpreter.states.map_child import MapChild
from sfnlocal.interpreter.states.map_items import ItemReader
from sfnlocal.interpreter.states.map_run import MapRun, ResultWriter
from sfnlocal.interpreter.visit import run_branch
from sfnlocal.language.dataflow import SelectPath
from sfnlocal.language.errors import (
    EXCEEDED_TOLERATED_FAILURE,
    RUNTIME,
    DefinitionError,
    RuntimeFailure,
    StatesError,
)
from sfnlocal.language.fields import Field
from sfnlocal.language.json_checks import payload_bytes
from sfnlocal.language.jsonata.expression import QueryEvaluationFailure
from sfnlocal.language.jsontext import PayloadBound, compact_json
from sfnlocal.language.paths import ROOT_INPUT, PathNotFound, PathSyntaxError, compile_path
from sfnlocal.language.state_fields import DISTRIBUTED, EXPRESS, STANDARD

if TYPE_CHECKING:
    from sfnlocal.interpreter.model import Branch


class MapState(State):
    """ItemsPath, ItemSelector (or the older Parameters), ItemProcessor (or the older Iterator),
    MaxConcurrency(Path), ToleratedFailureCount/Percentage(Path), ResultSelector, ResultPath."""

    type_name = "Map"

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Branch) -> None:
        super().__init__(name, spec, location, parent)
        processor_field = "ItemProcessor" if "ItemProcessor" in spec else "Iterator"
        processor = spec.get(processor_field, {})
        self.processor = parent.nested(processor, f"{location}/{processor_field}")
        self.distributed = processor.get("ProcessorConfig", {}).get("Mode") == DISTRIBUTED
        self.label: str = spec.get("Label", name)  # names the Map Run in its ARN
        self.execution_type: str = processor.get("ProcessorConfig", {}).get("ExecutionType", STANDARD)
        self.reader = ItemReader(spec["ItemReader"], f"{location}/ItemReader", self) if "ItemReader" in spec else None
        self.batcher = (
            ItemBatcher(spec["ItemBatcher"], f"{location}/ItemBatcher", self) if "ItemBatcher" in spec else None
        )
        self.writer = (
            ResultWriter(spec["ResultWriter"], f"{location}/ResultWriter", self) if "ResultWriter" in spec else None
        )
        try:
            self.items_path = compile_path(spec.get("ItemsPath", "$"), reference=True)
        except PathSyntaxError as err:
            raise DefinitionError(f"{location}/ItemsPath", str(err)) from None
        self.items = self.field(spec, "Items")
        # ItemSelector, or the older Parameters (JSONPath only).
        self.item_selector = self.field(spec, "ItemSelector") or self.field(spec, "Parameters")
        self.result_selector = self.field(spec, "ResultSelector")
        self.max_concurrency = self.field(spec, "MaxConcurrency")
        self.max_concurrency_path = self._path(spec, "MaxConcurrencyPath", location)
        self.tolerated_count = self.field(spec, "ToleratedFailureCount")
        self.tolerated_count_path = self._path(spec, "ToleratedFailureCountPath", location)
        self.tolerated_percentage = self.field(spec, "ToleratedFailurePercentage")
        self.tolerated_percentage_path = self._path(spec, "ToleratedFailurePercentagePath", location)

    @staticmethod
    def _path(spec: dict[str, Any], field: str, location: str) -> SelectPath | None:
        return SelectPath(spec[field], f"{location}/{field}") if field in spec else None

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        frame = visit.frame
        execution = frame.execution
        selected = self.effective_input(visit, state_input)
        # AWS reads MaxConcurrency(Path) before the items, so a bad value fails the state before MapStateStarted,
        # and the tolerance only after it (recorded: test_map_state_tolerated_failure_percentage_path; for
        # MaxConcurrencyPath the order of LocalStack's StateMap, snapshot-tested against AWS in
        # test_base_scenarios.py::test_max_concurrency_path with "NoNumber" and {}).
        max_concurrency = self.max_concurrency_of(visit, selected)
        # A Distributed Map's ItemReader reads inside the map run: AWS records MapStateStarted with length 0, then
        # MapRunStarted, and a reader's failure as MapRunFailed (recorded: test_map_item_reader_*).
        reads_in_run = self.reader is not None and self.distributed
        items = [] if reads_in_run else self._items(visit, selected)
        frame.lane.emit("MapStateStarted", "mapStateStartedEventDetails", {"length": len(items)})
        tolerance = self.tolerance_of(visit, selected)
        links = _IterationLinks(execution.history, frame.lane.last)
        run: MapRun | None = None
        if self.distributed:
            run = MapRun.of(
                execution,
                self.label,
                self.execution_type,
                max_concurrency,
                len(items),
                tolerance.count,
                tolerance.percentage,
            )
            execution.map_runs.append(run)
            frame.lane.emit("MapRunStarted", "mapRunStartedEventDetails", {"mapRunArn": run.arn})
            links.last_finished = links.failed_at = frame.lane.last
        if reads_in_run:
            assert run is not None
            try:
                items = self._items(visit, selected)
            except StatesError as unread:
                run.finish("FAILED", execution.scheduler.now)
                frame.lane.emit("MapRunFailed", "mapRunFailedEventDetails", unread.event_details())
                raise CompositeFailure(unread, "MapStateFailed") from None
            run.expect(len(items))
        if run is not None and self.batcher is not None:
            run.batch_sizes = [len(batch["Items"]) for batch in items]
        tolerates = self._tolerates(tolerance, len(items), run.batch_sizes if run is not None else None)
        # With an ItemBatcher, ItemSelector was applied to each item before batching (see _items).
        select = self.batcher is None
        # Bodies are made as children start (run_children asks for them), not up front: a million items must not
        # mean a million generators waiting.
        bodies: _Bodies
        if run is not None:
            if self.writer is not None and self.writer.resource is not None:
                run.spool = self.writer.spool(run)  # results go to files as children finish
            bodies = _Bodies(len(items), lambda index: self._child(run, visit, index, items[index], selected, select))
        else:
            checked = self._items_bound(selected)
            bodies = _Bodies(
                len(items),
                lambda index: self._iteration(visit, index, items[index], selected, select, checked, links),
            )
        # With result files, the Map's output is their manifest: the children's results are not collected.
        collect = run is None or run.spool is None
        try:
            results = yield from run_children(execution.scheduler, bodies, max_concurrency, tolerates, collect)
        except GeneratorExit:
            # Cancelled (a Parallel sibling failed): the run is aborted (MapRun says so). As for <Type>StateAborted
            # (visit.py), not when the whole execution ends: AWS then records only the execution's event.
            if run is not None and not execution.ending:
                frame.lane.emit("MapRunAborted")
            raise
        except ChildFailure as failure:
            items = []  # let the items go before the results are written (the bodies that read them are done)
            frame.lane.last = links.failed_at
            if run is not None:
                run.finish("FAILED", execution.scheduler.now)
                if self.writer is not None:  # AWS writes the results of a failed run too
                    self.writer.write(visit, selected, [], run)
                frame.lane.emit("MapRunFailed", "mapRunFailedEventDetails", failure.error.event_details())
            error = failure.error
            if tolerates is not None:
                error = StatesError(
                    EXCEEDED_TOLERATED_FAILURE,
                    # As AWS's TestState gives it (recorded); no execution's recording shows another.
                    "The specified tolerated failure threshold was exceeded",
                )
            raise CompositeFailure(error, "MapStateFailed") from None
        items = []  # as above
        frame.lane.last = links.last_finished
        if run is not None:
            run.finish("SUCCEEDED", execution.scheduler.now)
            frame.lane.emit("MapRunSucceeded")
        frame.lane.emit("MapStateSucceeded", advance=False)
        result: Any = results
        if self.writer is not None:
            result = self.writer.write(visit, selected, results, run)
        if self.result_selector is not None:
            result = self.result_selector.evaluate(visit, result)
        return self.finish(visit, state_input, result), self.next

    # Items and their inputs --------------------------------------------------------------------

    def _items(self, visit: Visit, selected: Any) -> list[Any]:
        """What the iterations get: the ItemReader's items (else the input's), batched by an ItemBatcher."""
        items = self.reader.read(visit, selected) if self.reader is not None else self.items_of(visit, selected)
        if self.batcher is None:
            return items
        # The States Language applies ItemSelector to each item, then batches what it gives.
        selected_items = [self.iteration_input(visit, index, item, selected) for index, item in enumerate(items)]
        return self.batcher.batches(visit, selected, selected_items)

    def items_of(self, visit: Visit, selected: Any) -> list[Any]:
        """The items to iterate over: ``Items`` (JSONata), else ``ItemsPath`` applied to the effective input."""
        if self.items is not None:
            items = self.items.evaluate(visit, selected)
            if not isinstance(items, list):  # only an expression can give something else than an array
                raise self.items.expression.unexpected_type("array", items)
            payload_bytes(items, self.name, "iterated over items")  # refuses them nested too deep to record
            return items
        try:
            items = self.items_path.evaluate(visit.scope(selected))
        except PathNotFound as err:
            raise RuntimeFailure(RUNTIME, f"Invalid path '{self.items_path.text}' : {err.message}") from None
        if not isinstance(items, list):
            # Recorded for a JSONata Map (test_map_state_items_input_types). No AWS text was found for JSONPath's
            # ItemsPath (States.Runtime): the JSONata wording is used for both.
            cause = f"Map state input must be an array but was: {compact_json(items)}"
            raise QueryEvaluationFailure(None, cause) if self.jsonata else RuntimeFailure(RUNTIME, cause)
        return items

    def iteration_input(self, visit: Visit, index: int, item: Any, selected: Any) -> Any:
        """The input of the iteration over ``item``: the item, or ItemSelector evaluated with ``$$.Map.Item``."""
        if self.item_selector is None:
            return item
        visit.map_item = {"Index": index, "Value": item}
        try:
            selected_item = self.item_selector.evaluate(visit, selected)
        finally:
            visit.map_item = None
        payload_bytes(selected_item, self.name, "gave an iteration an input")  # refuses one nested too deep to record
        return selected_item

    def _items_bound(self, selected: Any) -> PayloadBound | None:
        """A bound on each iteration's input's measure, where one is known within AWS's limits (and sfnlocal's
        nesting bound), so that a first state passing its input on need not measure it again: the effective input's
        measure when the items are parts of it as they are (ItemsPath from ``$``, no ItemSelector, Items, reader or
        batcher) and it passes, measured once here rather than once per item."""
        if self.item_selector is not None or self.items is not None or self.reader is not None:
            return None
        if self.batcher is not None or self.items_path.root != ROOT_INPUT:
            return None
        return input_bound(selected, self.name)

    def _child(self, run: MapRun, visit: Visit, index: int, item: Any, selected: Any, select: bool) -> FiberBody:
        """A DISTRIBUTED iteration: child execution ``index`` of the run (see :class:`.map_child.MapChild`), which
        sees no outer variable."""
        parent = visit.frame.execution

        def body(lane: Lane) -> Generator[Any, Any, Any]:
            child = MapChild(parent, lane.history)
            child_input = self.iteration_input(visit, index, item, selected) if select else item
            started = {"input": child_input, "roleArn": parent.machine.role_arn}
            # As in a parent's history: the first state's event links to 0, not to ExecutionStarted.
            lane.emit("ExecutionStarted", "executionStartedEventDetails", started, advance=False)
            child.observe("iteration", self, index)
            return (yield from run_branch(self.processor, Frame(child, lane, ChainMap({})), child_input))

        # AWS limits the history of a STANDARD execution only (an EXPRESS one has none to limit).
        limit = None if self.execution_type == EXPRESS else parent.options.history_limit
        return run.child(index, body, lambda: parent.scheduler.now, lambda: History(parent.scheduler, limit))()

    def _iteration(
        self,
        visit: Visit,
        index: int,
        item: Any,
        selected: Any,
        select: bool,
        checked: PayloadBound | None,
        links: _IterationLinks,
    ) -> Generator[Any, Any, Any]:
        """An INLINE iteration: its states, on a lane of their own in a scope of the Map's variables, with
        MapIterationStarted/Succeeded/Failed around their events (``checked``: see :meth:`_items_bound`).

        As recorded from AWS: an iteration's first event links to the last *state* event of the
        iteration that finished before it started (or to MapStateStarted); its Succeeded/Failed
        event links to its own last state event.
        """
        details = {"index": index, "name": self.name}
        execution = visit.frame.execution
        lane = Lane(links.history, links.start_from)
        lane.emit("MapIterationStarted", "mapIterationStartedEventDetails", details)
        finished = False
        try:
            execution.observe("iteration", self, index)
            iteration_input = self.iteration_input(visit, index, item, selected) if select else item
            # A processor that sets no variable needs no scope of its own: it sees the Map's as they are.
            outer = visit.frame.variables
            variables = outer.new_child() if self.processor.may_assign else outer
            frame = Frame(execution, lane, variables, iteration=visit.frame.iteration + (index,))
            output = yield from run_branch(self.processor, frame, iteration_input, checked)
            finished = True
        except StatesError:
            finished = True
            links.start_from = links.failed_at = lane.last
            lane.emit("MapIterationFailed", "mapIterationFailedEventDetails", details, advance=False)
            raise
        finally:
            if not finished:  # cancelled because another iteration failed
                lane.emit("MapIterationAborted", "mapIterationAbortedEventDetails", details)
        links.start_from = lane.last
        links.last_finished = lane.emit(
            "MapIterationSucceeded", "mapIterationSucceededEventDetails", details, advance=False
        )
        return output

    # Limits --------------------------------------------------------------------------------------

    @staticmethod
    def _tolerates(
        tolerance: Tolerance, children: int, batch_sizes: list[int] | None
    ) -> Callable[[int, int], bool] | None:
        """Whether the failures so far are within ``tolerance`` (None: it is not set), counted in items as AWS
        counts them ("the total number of failed or timed out items divided by the total number of items", the
        tolerated failure threshold page): with an ItemBatcher, a failed child is all the items of its batch."""
        if not tolerance.is_set:
            return None
        if batch_sizes is None:
            return lambda failed, index: tolerance.allows(failed, children)
        failed_items = [0]
        total = sum(batch_sizes)

        def tolerates(failed: int, index: int) -> bool:
            failed_items[0] += batch_sizes[index]
            return tolerance.allows(failed_items[0], total)

        return tolerates

    def max_concurrency_of(self, visit: Visit, selected: Any) -> int:
        """MaxConcurrency(Path) for this visit; 0 (no limit) when not set."""
        value = 0
        if self.max_concurrency_path is not None:
            value = int(self.max_concurrency_path.number(visit.scope(selected), "MaxConcurrencyPath", integer=True))
        elif self.max_concurrency is not None:
            value = self._number(self.max_concurrency, visit, selected, integer=True)
        if value < 0:
            # No AWS text was found for a negative MaxConcurrencyPath value: the wording is sfnlocal's.
            raise RuntimeFailure(RUNTIME, "MaxConcurrency cannot be negative.")
        return value

    def _number(self, field: Field, visit: Visit, selected: Any, integer: bool) -> Any:
        value = field.evaluate(visit, selected)
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            # Only a JSONata expression can give a non-number here (literals are checked at load). No AWS text
            # was found; like every QueryEvaluationError AWS records, it gets an EvaluationFailed event.
            raise QueryEvaluationFailure(
                field.name, f"The {field.name} field must be a number, but was: {compact_json(value)}"
            )
        return value

    def tolerance_of(self, visit: Visit, selected: Any) -> Tolerance:
        """ToleratedFailureCount(Path) and ToleratedFailurePercentage(Path) for this visit."""
        count: int | None = None
        percentage: float | None = None
        if self.tolerated_count_path is not None:
            count = int(
                self.tolerated_count_path.number(visit.scope(selected), "ToleratedFailureCountPath", integer=True)
            )
        elif self.tolerated_count is not None:
            count = int(self._number(self.tolerated_count, visit, selected, integer=True))
        if count is not None and count < 0:
            # No AWS text was found for a negative count (the percentage's range message below is recorded).
            raise RuntimeFailure(RUNTIME, "ToleratedFailureCount cannot be negative.")
        if self.tolerated_percentage_path is not None:
            percentage = self.tolerated_percentage_path.number(
                visit.scope(selected), "ToleratedFailurePercentagePath", integer=False
            )
        elif self.tolerated_percentage is not None:
            percentage = self._number(self.tolerated_percentage, visit, selected, integer=False)
        if percentage is not None and not 0 <= percentage <= 100:
            # Recorded (test_map_state_tolerated_failure_percentage_path[-1], [100.1]).
            raise RuntimeFailure(RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.")
        return Tolerance(count, percentage)


@dataclass(frozen=True, slots=True)
class Tolerance:
    """How many failed iterations a Map state tolerates: a count, a percentage of the items, or both.

    >>> Tolerance(count=1).allows(1, total=10), Tolerance(percentage=25).allows(3, total=10)
    (True, False)
    >>> Tolerance().is_set
    False
    """

    count: int | None = None
    percentage: float | None = None

    @property
    def is_set(self) -> bool:
        """Whether either limit is set (without one, any failed iteration fails the Map state)."""
        return self.count is not None or self.percentage is not None

    def allows(self, failed: int, total: int) -> bool:
        """Whether ``failed`` of ``total`` iterations failing is within the limits."""
        if self.count is not None and failed <= self.count:
            return True
        return self.percentage is not None and total > 0 and failed * 100 <= self.percentage * total


class _Bodies:
    """The iterations' bodies, each made when run_children starts it (see :class:`~.children.ChildBodies`)."""

    __slots__ = ("total", "make")

    def __init__(self, total: int, make: Callable[[int], FiberBody]) -> None:
        self.total = total
        self.make = make

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: int) -> FiberBody:
        return self.make(index)


class _IterationLinks:
    """Where the next INLINE iteration's first event links, and where the Map's closing events link."""

    __slots__ = ("history", "start_from", "last_finished", "failed_at")

    def __init__(self, history: Any, map_started: int) -> None:
        self.history = history
        self.start_from = self.last_finished = self.failed_at = map_started
