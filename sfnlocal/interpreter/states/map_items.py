"""What a Distributed Map iterates over when it does not take its items from its input: the items an
``ItemReader`` reads through the execution's integration (the in-process S3, a mock, or the user's own).

The reader evaluates its ``Parameters`` (JSONPath) or ``Arguments`` (JSONata) against the Map's effective input,
asks the integration for ``Resource`` (a request whose ``part`` is ``"ItemReader"``), and makes items of the answer
per ``ReaderConfig`` (:mod:`sfnlocal.language.item_data` parses). What the integration may answer:

* a list: the items themselves (``arn:aws:states:::s3:listObjectsV2``'s objects, or a mock's ``returns([...])``);
* a string: the object's text, read as ``InputType`` says (JSON, JSONL, CSV; for ``MANIFEST`` the S3 Inventory
  ``manifest.json``, whose data files are then asked for one by one; for ``ManifestType: ATHENA_DATA`` the list of
  data files);
* a blob (:func:`sfnlocal.language.item_data.blob`): content that is not UTF-8 text, which only ``InputType:
  PARQUET`` reads (:mod:`sfnlocal.language.parquet_items`, with the optional pyarrow; a Parquet file that happens
  to be UTF-8 arrives as text and is read from the same bytes).

A mock keyed by the Map state's name answers every one of these requests (use ``mocks.sequence(...)`` for a
manifest and its files).

``MaxItems``/``MaxItemsPath`` keep the first items (0: all; AWS's maximum is 100,000,000). ``ItemsPath`` is not
applied to what a reader reads (recorded: test_map_item_reader_base_json_with_items_path). Malformed data fails
the Map with ``States.ItemReaderFailed`` and AWS's cause where it was recorded.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.states.map_service import ITEM_READER, call_service
from sfnlocal.language.dataflow import SelectPath
from sfnlocal.language.errors import ITEM_READER_FAILED, MOCK_INVALID, UNSUPPORTED, DefinitionError, StatesError
from sfnlocal.language.fields import Field, compile_field
from sfnlocal.language.item_data import (
    ATHENA_DATA,
    CSV,
    JSON,
    LOAD_AND_FLATTEN,
    MANIFEST,
    PARQUET,
    S3_INVENTORY,
    CsvFormat,
    InventoryManifest,
    ItemDataError,
    athena_manifest_locations,
    blob_data,
    csv_items,
    limited,
    parse_items,
    reader_config_problem,
)
from sfnlocal.language.jsonata.expression import QueryEvaluationFailure
from sfnlocal.language.jsontext import compact_json
from sfnlocal.language.parquet_items import ParquetUnavailable, parquet_items
from sfnlocal.language.state_fields import MAX_READER_ITEMS

if TYPE_CHECKING:
    from sfnlocal.interpreter.states.base import State, Visit

LIST_OBJECTS = "listObjectsV2"
GET_OBJECT = "arn:aws:states:::s3:getObject"
# The S3 actions an ItemReader's Resource may name (AWS's ItemReader page), in any partition.
READER_RESOURCE = re.compile(r"arn:[a-z-]+:states:::s3:(?:getObject|listObjectsV2)")


class ItemReader:
    """A Map state's ``ItemReader``: its Resource, Parameters/Arguments and ReaderConfig, compiled at load."""

    def __init__(self, spec: dict[str, Any], location: str, state: State) -> None:
        self.state = state
        self.resource: str = spec.get("Resource", "")
        self.config: dict[str, Any] = spec.get("ReaderConfig", {})
        self._check(location)
        name = "Arguments" if state.jsonata else "Parameters"
        self.arguments = compile_field(spec[name], name, f"{location}/{name}", state.jsonata) if name in spec else None
        config_location = f"{location}/ReaderConfig"
        self.max_items: Field | None = (
            compile_field(self.config["MaxItems"], "MaxItems", f"{config_location}/MaxItems", state.jsonata)
            if "MaxItems" in self.config
            else None
        )
        self.max_items_path = (
            SelectPath(self.config["MaxItemsPath"], f"{config_location}/MaxItemsPath")
            if "MaxItemsPath" in self.config
            else None
        )
        self.lists_objects = self.resource.rsplit(":", 1)[-1] == LIST_OBJECTS
        # S3_INVENTORY implies CSV data files (AWS: InputType must then be left out); JSON is sfnlocal's default.
        self.input_type: str = self.config.get("InputType", MANIFEST if self._inventory else JSON)

    def _check(self, location: str) -> None:
        """Refuse, at load, a Resource that is no S3 action a reader takes and a ReaderConfig value AWS would not
        take (it would be read as something else). The wording is sfnlocal's (AWS's text was not recorded)."""
        if not READER_RESOURCE.fullmatch(self.resource):
            raise DefinitionError(
                f"{location}/Resource",
                f"An ItemReader reads with 'arn:aws:states:::s3:getObject' or 'arn:aws:states:::s3:listObjectsV2', "
                f"but got '{self.resource}'",
            )
        problem = reader_config_problem(self.config)
        if problem is not None:
            field, message = problem
            raise DefinitionError(f"{location}/ReaderConfig/{field}", message)

    @property
    def _inventory(self) -> bool:
        return self.config.get("ManifestType") == S3_INVENTORY or self.config.get("InputType") == MANIFEST

    def read(self, visit: Visit, selected: Any) -> list[Any]:
        """The items, read for this visit (``selected``: the Map's effective input)."""
        arguments = self.arguments.evaluate(visit, selected) if self.arguments is not None else {}
        limit = self.max_items_of(visit, selected)
        if self.input_type == PARQUET and isinstance(arguments, dict) and "VersionId" in arguments:
            # AWS: "The VersionId field is not supported for InputType=Parquet"; its error was not recorded.
            raise StatesError(ITEM_READER_FAILED, "The VersionId field is not supported for InputType PARQUET")
        try:
            return limited(self._items(visit, arguments), limit)
        except ItemDataError as err:
            raise StatesError(ITEM_READER_FAILED, err.cause) from None
        except ParquetUnavailable as err:
            raise StatesError(
                UNSUPPORTED,
                f"Map state '{self.state.name}': ReaderConfig InputType PARQUET: {err}; or mock the reader with "
                f"mocks={{'{self.state.name}': mocks.returns([...items])}}",
            ) from None

    def max_items_of(self, visit: Visit, selected: Any) -> int:
        """MaxItems(Path) for this visit: 0 (all) when not set."""
        if self.max_items_path is not None:
            value: Any = self.max_items_path.number(visit.scope(selected), "MaxItemsPath", integer=True)
        elif self.max_items is not None:
            value = self.max_items.evaluate(visit, selected)
            if isinstance(value, bool) or not isinstance(value, int):
                # Only a JSONata expression can give a non-integer (a literal is checked at load); no AWS text found.
                raise QueryEvaluationFailure(
                    "MaxItems", f"The MaxItems field must be an integer, but was: {compact_json(value)}"
                )
        else:
            return 0
        if value < 0:
            raise StatesError(ITEM_READER_FAILED, "field MaxItems must be positive")  # recorded (MaxItemsPath -1)
        # A larger value reads everything there is (recorded: MaxItemsPath 100000001 succeeds).
        return min(int(value), MAX_READER_ITEMS)

    # What the integration answers ----------------------------------------------------------------

    def _items(self, visit: Visit, arguments: Any) -> list[Any]:
        answer = self._ask(visit, self.resource, arguments)
        if self.lists_objects:
            listed = self._list(answer)
            if self.config.get("Transformation") != LOAD_AND_FLATTEN:
                return listed
            bucket = arguments.get("Bucket") if isinstance(arguments, dict) else None
            return [
                item
                for entry in listed
                if not str(entry.get("Key", "")).endswith("/")  # a folder marker holds no data
                for item in self._parsed(self._ask(visit, GET_OBJECT, {"Bucket": bucket, "Key": entry.get("Key")}))
            ]
        if isinstance(answer, list):
            return answer  # the items themselves (a mock's)
        if self._inventory:
            manifest = InventoryManifest.parse(self._text(answer))
            layout = CsvFormat(manifest.columns, CsvFormat.of(self.config).delimiter)
            return [
                item
                for key in manifest.keys
                for item in csv_items(
                    self._text(self._ask(visit, GET_OBJECT, {"Bucket": manifest.bucket, "Key": key})), layout
                )
            ]
        if self.config.get("ManifestType") == ATHENA_DATA:
            return [
                item
                for bucket, key in athena_manifest_locations(self._text(answer))
                for item in self._parsed(self._ask(visit, GET_OBJECT, {"Bucket": bucket, "Key": key}))
            ]
        return self._parsed(answer)

    def _ask(self, visit: Visit, resource: str, arguments: Any) -> Any:
        return call_service(visit, ITEM_READER, resource, arguments)

    def _parsed(self, answer: Any) -> list[Any]:
        if isinstance(answer, list):
            return answer
        if self.input_type == PARQUET:
            data = blob_data(answer)
            if data is None:
                raise self._invalid(answer, "the object's content (S3's) or the items (a list)")
            return parquet_items(data)
        return parse_items(self._text(answer), self.input_type if self.input_type != MANIFEST else CSV, self.config)

    def _list(self, answer: Any) -> list[dict[str, Any]]:
        if not isinstance(answer, list) or not all(isinstance(entry, dict) for entry in answer):
            raise self._invalid(answer, "a list of objects (Key, Size, ...)")
        return answer

    def _text(self, answer: Any) -> str:
        if isinstance(answer, dict) and blob_data(answer) is not None:
            # S3 answers a blob for content that is not UTF-8; no AWS text was found for it: the wording is sfnlocal's.
            raise StatesError(ITEM_READER_FAILED, f"The object is not UTF-8 text, as InputType {self.input_type} needs")
        if not isinstance(answer, str):
            raise self._invalid(answer, "the object's text (a string) or the items (a list)")
        return answer

    def _invalid(self, answer: Any, expected: str) -> StatesError:
        return StatesError(
            MOCK_INVALID,
            f"Map state '{self.state.name}': its ItemReader ({self.resource}) was answered with "
            f"{type(answer).__name__} {compact_json(answer)[:200]}; it takes {expected}",
        )
