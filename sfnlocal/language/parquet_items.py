"""The items of an Apache Parquet object, as a Distributed Map's ``ItemReader`` makes them
(``ReaderConfig.InputType: PARQUET``): one object per row, keyed by the column names.

Pure: it reads bytes it is given (no I/O). It needs pyarrow, the optional extra ``sfnlocal[parquet]``, imported
only when a Parquet object is read: without it, :class:`ParquetUnavailable` names the extra to install.

What AWS documents ("ItemReader (Map)"): row groups of at most 256 MB and a footer of at most 5 MB (a larger one
is a runtime error); GZIP, ZSTD and Snappy compression inside the file, whatever the key's extension. How AWS
turns column values into JSON is not documented; sfnlocal's choices (say so if AWS differs):

* strings, booleans, integers and floating-point numbers as the JSON values they are; null as null;
  NaN and the infinities, which JSON cannot hold, as the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``;
* a decimal as a number (an integer when its scale is 0);
* a timestamp as integer epoch milliseconds (a timestamp without a time zone is read as UTC), and so is a duration
  (in milliseconds); a date as ``"YYYY-MM-DD"``, a time of day as ``"HH:MM:SS[.ffffff]"``;
* binary as its base64 text;
* lists as arrays, structs as objects, maps as objects (a key that is not a string becomes its text).
"""

from __future__ import annotations

import base64
import io
import json
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sfnlocal.language.item_data import ItemDataError

PARQUET_EXTRA = "pip install 'sfnlocal[parquet]'"
# AWS's limits for a Parquet file an ItemReader reads ("ItemReader (Map)").
MAX_ROW_GROUP_BYTES = 256 * 1024 * 1024
MAX_FOOTER_BYTES = 5 * 1024 * 1024
# The compression codecs AWS names as supported inside a Parquet file (UNCOMPRESSED needs none). AWS says nothing
# about the others Parquet allows (LZ4, Brotli, LZO): sfnlocal refuses them rather than pass a file AWS may not read.
SUPPORTED_CODECS = frozenset({"UNCOMPRESSED", "GZIP", "ZSTD", "SNAPPY"})
PARQUET_MAGIC = b"PAR1"


class ParquetUnavailable(Exception):
    """Reading Parquet needs pyarrow, which is not installed: the message names the extra to install."""


def parquet_items(data: bytes) -> list[dict[str, Any]]:
    """The items of the Parquet file ``data``: one object per row, keyed by column name, values as JSON.

    >>> import io, pytest; pa, pq = pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")
    >>> buffer = io.BytesIO()
    >>> pq.write_table(pa.table({"id": [1, 2], "name": ["Ada", None]}), buffer)
    >>> parquet_items(buffer.getvalue())
    [{'id': 1, 'name': 'Ada'}, {'id': 2, 'name': None}]
    >>> parquet_items(b"id,name")
    Traceback (most recent call last):
    ...
    sfnlocal.language.item_data.ItemDataError: The object is not a Parquet file: it does not start and end with PAR1
    """
    if len(data) < 2 * len(PARQUET_MAGIC) or not (data.startswith(PARQUET_MAGIC) and data.endswith(PARQUET_MAGIC)):
        # No AWS text was found for an object that is not Parquet: the wording is sfnlocal's.
        raise ItemDataError("The object is not a Parquet file: it does not start and end with PAR1")
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ParquetUnavailable(f"reading Parquet needs pyarrow, which is not installed: {PARQUET_EXTRA}") from None
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        _check_limits(parquet.metadata)
        items: list[dict[str, Any]] = []
        for group in range(parquet.num_row_groups):
            items.extend(_rows(parquet.read_row_group(group), pa))
    except (pa.ArrowException, OSError, ValueError) as err:
        raise ItemDataError(f"The Parquet file cannot be read: {err}") from None
    return items


def _check_limits(metadata: Any) -> None:
    # No AWS text was found for these runtime errors: the wording is sfnlocal's, the limits AWS's.
    if metadata.serialized_size > MAX_FOOTER_BYTES:
        raise ItemDataError(
            f"The Parquet file's footer is {metadata.serialized_size} bytes; the maximum is {MAX_FOOTER_BYTES} (5 MB)"
        )
    for index in range(metadata.num_row_groups):
        group = metadata.row_group(index)
        if group.total_byte_size > MAX_ROW_GROUP_BYTES:
            raise ItemDataError(
                f"Row group {index} of the Parquet file is {group.total_byte_size} bytes; "
                f"the maximum is {MAX_ROW_GROUP_BYTES} (256 MB)"
            )
        for column in range(group.num_columns):
            chunk = group.column(column)
            if chunk.compression not in SUPPORTED_CODECS:
                raise ItemDataError(
                    f"Column {chunk.path_in_schema} of the Parquet file is compressed with {chunk.compression}; "
                    f"Step Functions reads {', '.join(sorted(SUPPORTED_CODECS - {'UNCOMPRESSED'}))} or uncompressed"
                )


def _rows(table: Any, pa: Any) -> list[dict[str, Any]]:
    # Temporal values become numbers or text in Arrow first (two casts: to milliseconds, then to their integer
    # count), which also reads nanosecond timestamps that Python's datetime cannot hold.
    table = table.cast(pa.schema([field.with_type(_in_millis(field.type, pa)) for field in table.schema]), safe=False)
    table = table.cast(pa.schema([field.with_type(_plain(field.type, pa)) for field in table.schema]))
    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        values = column.to_pylist()
        convert = _converter(field.type, pa)
        columns.append(values if convert is None else [convert(value) for value in values])
    names = table.schema.names
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _in_millis(kind: Any, pa: Any) -> Any:
    if pa.types.is_timestamp(kind):
        return pa.timestamp("ms", kind.tz)
    if pa.types.is_duration(kind):
        return pa.duration("ms")
    return _nested(kind, pa, _in_millis)


def _plain(kind: Any, pa: Any) -> Any:
    if pa.types.is_timestamp(kind) or pa.types.is_duration(kind):
        return pa.int64()
    if pa.types.is_date(kind) or pa.types.is_time(kind):
        return pa.string()
    return _nested(kind, pa, _plain)


def _nested(kind: Any, pa: Any, convert: Any) -> Any:
    """``kind`` with ``convert`` applied to the types it holds (a dictionary becomes its values' type)."""
    if pa.types.is_dictionary(kind):
        return convert(kind.value_type, pa)
    if pa.types.is_map(kind):
        return pa.map_(convert(kind.key_type, pa), convert(kind.item_type, pa))
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        return pa.list_(kind.value_field.with_type(convert(kind.value_type, pa)))
    if pa.types.is_struct(kind):
        return pa.struct([field.with_type(convert(field.type, pa)) for field in kind])
    return kind


def _converter(kind: Any, pa: Any) -> Callable[[Any], Any] | None:
    """What makes a JSON value of a Python value of ``kind`` (None: it already is one)."""
    if pa.types.is_floating(kind):
        return _number
    if pa.types.is_decimal(kind):
        return _integer if kind.scale <= 0 else _number
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind):
        return _base64
    if pa.types.is_map(kind):  # Python gets a map as its (key, value) pairs
        key, item = _converter(kind.key_type, pa) or _same, _converter(kind.item_type, pa) or _same
        return _skipping_null(lambda pairs: {_key(key(name)): item(value) for name, value in pairs})
    if pa.types.is_struct(kind):
        fields = {field.name: _converter(field.type, pa) for field in kind}
        if not any(fields.values()):
            return None
        return _skipping_null(lambda struct: {name: (fields[name] or _same)(value) for name, value in struct.items()})
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        element = _converter(kind.value_type, pa)
        return None if element is None else _skipping_null(lambda values: [element(value) for value in values])
    return None


def _skipping_null(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


def _same(value: Any) -> Any:
    return value


def _number(value: Any) -> Any:
    if value is None:
        return None
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return number


def _integer(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def _base64(value: bytes | None) -> str | None:
    return None if value is None else base64.b64encode(value).decode("ascii")


def _key(key: Any) -> str:
    return key if isinstance(key, str) else json.dumps(key)
