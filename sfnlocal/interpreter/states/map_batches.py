"""A Distributed Map's ``ItemBatcher``: the batches of items its children get, as AWS builds them.

Each child gets ``{"BatchInput": ..., "Items": [...]}`` (``BatchInput`` only when the field is set), the items in
their order. A batch holds at most MaxItemsPerBatch(Path) items and at most MaxInputBytesPerBatch(Path) bytes; AWS
documents the bytes limit as "up to 256 KiB", which is also the most a child's input can hold, so a batch never
grows past 256 KiB even without the field. The States Language applies ItemSelector to each item *before*
batching: the items given to :meth:`ItemBatcher.batches` are the selected items.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.language.dataflow import SelectPath
from sfnlocal.language.errors import RUNTIME, RuntimeFailure
from sfnlocal.language.fields import Field, compile_field
from sfnlocal.language.jsonata.expression import QueryEvaluationFailure
from sfnlocal.language.jsontext import MAX_PAYLOAD_BYTES, compact_json

if TYPE_CHECKING:
    from sfnlocal.interpreter.states.base import State, Visit

MAX_ITEMS_PER_BATCH = "MaxItemsPerBatch"
MAX_INPUT_BYTES_PER_BATCH = "MaxInputBytesPerBatch"
BATCH_INPUT = "BatchInput"


class ItemBatcher:
    """A Map state's ``ItemBatcher``: MaxItemsPerBatch(Path), MaxInputBytesPerBatch(Path), BatchInput.

    >>> from sfnlocal.interpreter.states.base import State
    >>> class Map:
    ...     name, jsonata = "M", False
    >>> class Visit:
    ...     rng = None
    ...     def scope(self, dollar): from sfnlocal.language.paths import Scope; return Scope(dollar)
    >>> batcher = ItemBatcher({"MaxItemsPerBatch": 2, "BatchInput": {"run.$": "$.run"}}, "/States/M/ItemBatcher", Map())
    >>> batcher.batches(Visit(), {"run": 7}, [1, 2, 3])
    [{'BatchInput': {'run': 7}, 'Items': [1, 2]}, {'BatchInput': {'run': 7}, 'Items': [3]}]
    """

    def __init__(self, spec: dict[str, Any], location: str, state: State) -> None:
        self.state = state
        self.max_items = _limit(spec, MAX_ITEMS_PER_BATCH, location, state.jsonata)
        self.max_bytes = _limit(spec, MAX_INPUT_BYTES_PER_BATCH, location, state.jsonata)
        self.batch_input: Field | None = None
        if BATCH_INPUT in spec:
            self.batch_input = compile_field(spec[BATCH_INPUT], BATCH_INPUT, f"{location}/{BATCH_INPUT}", state.jsonata)

    def batches(self, visit: Visit, selected: Any, items: list[Any]) -> list[Any]:
        """The iterations' inputs: ``{"BatchInput": ..., "Items": [...]}`` per batch, as AWS builds them.

        ``selected`` is the Map's effective input (``$`` of the JSONPath fields); ``items`` the selected items.
        """
        max_items = self._value(self.max_items, MAX_ITEMS_PER_BATCH, visit, selected)
        max_bytes = self._value(self.max_bytes, MAX_INPUT_BYTES_PER_BATCH, visit, selected)
        max_bytes = MAX_PAYLOAD_BYTES if max_bytes is None else min(max_bytes, MAX_PAYLOAD_BYTES)
        envelope: dict[str, Any] = {}
        if self.batch_input is not None:
            envelope[BATCH_INPUT] = self.batch_input.evaluate(visit, selected)
        # The size of a batch is the size of the child's input: the envelope, the items and the commas between them.
        envelope_bytes = _size({**envelope, "Items": []})
        batches: list[Any] = []
        batch: list[Any] = []
        batch_bytes = envelope_bytes
        for index, item in enumerate(items):
            item_bytes = _size(item)
            if envelope_bytes + item_bytes > max_bytes:
                # No AWS text was found for an item too big for any batch: the wording is sfnlocal's.
                raise RuntimeFailure(
                    RUNTIME,
                    f"Item {index} takes {item_bytes} bytes, which does not fit in a batch of at most {max_bytes} "
                    "bytes (MaxInputBytesPerBatch)",
                )
            grown = batch_bytes + item_bytes + (1 if batch else 0)
            if batch and ((max_items is not None and len(batch) >= max_items) or grown > max_bytes):
                batches.append({**envelope, "Items": batch})
                batch, grown = [], envelope_bytes + item_bytes
            batch.append(item)
            batch_bytes = grown
        if batch:
            batches.append({**envelope, "Items": batch})
        return batches

    def _value(self, limit: SelectPath | Field | None, field: str, visit: Visit, selected: Any) -> int | None:
        """A limit's value for this visit: a positive integer, or None when the field is not set."""
        if limit is None:
            return None
        if isinstance(limit, SelectPath):
            # Numeric text is read as its number, as for MaxConcurrencyPath (recorded: an Assign of "2" works).
            value: Any = int(limit.number(visit.scope(selected), f"{field}Path", integer=True))
        else:
            value = limit.evaluate(visit, selected)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int):
                # Only a JSONata expression gives a non-integer here (literals are checked at load). No AWS text
                # was found: worded as the Map's other number fields.
                raise QueryEvaluationFailure(
                    field, f"The {field} field must be an integer, but was: {compact_json(value)}"
                )
        if value <= 0:
            # The States Language requires positive integers; no AWS text was found: the wording is sfnlocal's.
            raise RuntimeFailure(RUNTIME, f"{field} must be a positive integer, but was: {value}")
        return int(value)


def _limit(spec: dict[str, Any], field: str, location: str, jsonata: bool) -> SelectPath | Field | None:
    """The compiled ``field`` or ``<field>Path`` of an ItemBatcher (None when neither is set)."""
    if f"{field}Path" in spec:
        return SelectPath(spec[f"{field}Path"], f"{location}/{field}Path")
    if field in spec:
        return compile_field(spec[field], field, f"{location}/{field}", jsonata)
    return None


def _size(value: Any) -> int:
    """A value's size as AWS counts payloads: the UTF-8 bytes of its compact JSON text."""
    return len(compact_json(value).encode("utf-8", "surrogatepass"))
