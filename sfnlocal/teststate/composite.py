"""Map and Parallel states under TestState: the mock stands for what their iterations or branches give.

TestState runs neither branches nor iterations (AWS refuses a Map or Parallel state without a mock).
A Parallel state's mocked result is its branches' results, one per branch. A Map state evaluates its
items (``mapItemReaderData`` stands for what an ItemReader reads), their ItemSelector, MaxConcurrency
and tolerated failures as it would before starting its iterations; its mocked result is then their
results, an array (an object, what ResultWriter gives, with a ResultWriter). With
``mapIterationFailureCount`` iterations failed, a Map state that tolerates fewer fails with
``States.ExceedToleratedFailureThreshold``; one that sets no tolerance ignores the count (recorded). A
mocked error output is the error a branch or iteration failed with (``errorCausedByState`` names the
state it came from, which changes nothing offline). Either way ResultSelector and ResultPath/OutputPath
(or Output) then apply as in an execution.
"""

from __future__ import annotations

from typing import Any

from sfnlocal.interpreter.states.base import State, StateRun, Visit
from sfnlocal.interpreter.states.map_ import MapState
from sfnlocal.interpreter.states.parallel import ParallelState
from sfnlocal.language.errors import EXCEEDED_TOLERATED_FAILURE, StatesError
from sfnlocal.language.item_data import CSV, JSON, JSONL, ItemDataError, parse_items
from sfnlocal.teststate.errors import refused
from sfnlocal.teststate.request import Mock, StateConfiguration

# AWS's cause in TestState (an execution's cause also names the Map state).
EXCEEDED_TOLERATED_FAILURE_CAUSE = "The specified tolerated failure threshold was exceeded"
AFTER_ITEMS_PATH = "afterItemsPath"
AFTER_ITEM_SELECTOR = "afterItemSelector"
AFTER_ITEM_BATCHER = "afterItemBatcher"
MAX_CONCURRENCY = "maxConcurrency"
TOLERATED_FAILURE_COUNT = "toleratedFailureCount"
TOLERATED_FAILURE_PERCENTAGE = "toleratedFailurePercentage"
TEXT_INPUT_TYPES = (JSON, JSONL, CSV)  # what mapItemReaderData can be; anything else is read as a JSON array


def check_composite_mock(state: State, mock: Mock) -> None:
    """Refuse a mocked result a Map or Parallel state could not have produced, as AWS does.

    >>> from sfnlocal.interpreter.model import Definition
    >>> parallel = Definition({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
    ...     {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}]}}}).root.states["P"]
    >>> check_composite_mock(parallel, Mock(result=[1, 2]))
    Traceback (most recent call last):
    ...
    sfnlocal.teststate.errors.TestStateError: ValidationException: Mocked result must contain the same \
number of items as number of Parallel branches.
    """
    if mock.fails:
        return
    if isinstance(state, MapState) and state.writer is not None:
        if not isinstance(mock.result, dict):
            raise refused("Mocked result must be a JSON object.")
    elif isinstance(state, (MapState, ParallelState)) and not isinstance(mock.result, list):
        raise refused("Mocked result must be an array.")
    if isinstance(state, ParallelState) and len(mock.result) != len(state.branches):
        raise refused("Mocked result must contain the same number of items as number of Parallel branches.")


def run_mocked_parallel(state: ParallelState, visit: Visit, state_input: Any, mock: Mock) -> StateRun:
    """A Parallel state whose branches gave the mocked result (or failed with the mocked error)."""
    if mock.fails:
        raise StatesError(mock.error, mock.cause)
    return _finish(state, visit, state_input, mock.result), state.next
    yield  # a generator like every state's run


def run_mocked_map(
    state: MapState, visit: Visit, state_input: Any, mock: Mock, configuration: StateConfiguration
) -> StateRun:
    """A Map state whose iterations gave the mocked result (or failed with the mocked error)."""
    selected = state.effective_input(visit, state_input)
    # An ItemReader's items are the mapItemReaderData; sfnlocal keeps no ItemReader field of its own.
    items = _read_items(state, configuration) if state.reader is not None else state.items_of(visit, selected)
    if items is not None:
        visit.inspect(AFTER_ITEMS_PATH, items)
        if state.item_selector is not None:
            items = [state.iteration_input(visit, index, item, selected) for index, item in enumerate(items)]
            visit.inspect(AFTER_ITEM_SELECTOR, items)
        if state.batcher is not None:  # the API reference: "the effective input after the ItemBatcher filter"
            items = state.batcher.batches(visit, selected, items)  # each batch is an iteration
            visit.inspect(AFTER_ITEM_BATCHER, items)
    visit.inspect(MAX_CONCURRENCY, state.max_concurrency_of(visit, selected))
    tolerance = state.tolerance_of(visit, selected)
    if tolerance.count is not None:
        visit.inspect(TOLERATED_FAILURE_COUNT, tolerance.count)
    if tolerance.percentage is not None:
        visit.inspect(TOLERATED_FAILURE_PERCENTAGE, float(tolerance.percentage))
    if mock.fails:
        raise StatesError(mock.error, mock.cause)
    failed = configuration.map_iteration_failure_count
    if failed is not None:
        total = len(items) if items is not None else len(mock.result)
        if failed > total:
            raise refused("Map iteration failure count must be less than or equal to the number of Map iterations")
        if tolerance.is_set and not tolerance.allows(failed, total):
            raise StatesError(EXCEEDED_TOLERATED_FAILURE, EXCEEDED_TOLERATED_FAILURE_CAUSE)
    return _finish(state, visit, state_input, mock.result), state.next
    yield  # a generator like every state's run


def _read_items(state: MapState, configuration: StateConfiguration) -> list[Any] | None:
    """The items in ``mapItemReaderData``, read as the state's ItemReader reads its object (JSON array, JSON Lines
    or CSV text per its ReaderConfig; a JSON array for listObjectsV2 and manifests), or None when there is none.

    >>> from sfnlocal.interpreter.model import Definition
    >>> reader = {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV",
    ...     "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["id"]}}
    >>> state = Definition({"StartAt": "M", "States": {"M": {"Type": "Map", "End": True, "ItemReader": reader,
    ...     "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P",
    ...     "States": {"P": {"Type": "Pass", "End": True}}}}}}).root.states["M"]
    >>> _read_items(state, StateConfiguration(map_item_reader_data="1\\n2"))
    [{'id': '1'}, {'id': '2'}]
    """
    data = configuration.map_item_reader_data
    reader = state.reader
    if data is None or reader is None:
        return None
    input_type = reader.input_type if reader.input_type in TEXT_INPUT_TYPES and not reader.lists_objects else JSON
    try:
        return parse_items(data, input_type, reader.config)
    except ItemDataError as err:
        # No AWS text was found for mapItemReaderData that the reader cannot read: the wording is sfnlocal's.
        raise refused(f"mapItemReaderData cannot be read as {input_type}: {err.cause}") from None


def _finish(state: MapState | ParallelState, visit: Visit, state_input: Any, result: Any) -> Any:
    """The output from the state's result: ResultSelector, then the state's own output processing."""
    if state.result_selector is not None:
        result = state.result_selector.evaluate(visit, result)
    return state.finish(visit, state_input, result)
