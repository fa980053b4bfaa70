"""A Distributed Map's ItemReader with ``ReaderConfig.InputType: PARQUET`` (sfnlocal/language/parquet_items.py,
the Parquet branch of interpreter/states/map_items.py, and S3 getObject's blobs in integrations/aws/s3_items.py).

Expected values come from AWS's "ItemReader (Map)" page where it says something (one item per row keyed by the
column names; 256 MB row groups and 5 MB footers at most; GZIP, ZSTD and Snappy inside the file, whatever the key;
no VersionId; Athena manifests listing Parquet files); how values are typed is sfnlocal's documented choice.
The tests that read Parquet need pyarrow (the ``parquet`` extra) and are skipped without it; the test of the error
without pyarrow always runs.
"""

from __future__ import annotations

import io
import math
import sys
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_item_reader import machine as reader_machine
from test_item_reader import put

from sfnlocal import AwsWorld, StateMachine, mocks
from sfnlocal.language import parquet_items as parquet_module
from sfnlocal.language.item_data import ItemDataError
from sfnlocal.language.parquet_items import ParquetUnavailable, parquet_items

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:  # pragma: no cover - the CI installs the test extra, which has pyarrow
    pa = pq = None

needs_pyarrow = pytest.mark.skipif(pa is None, reason="pyarrow is not installed: pip install 'sfnlocal[parquet]'")


def parquet(table: Any, **options: Any) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, **options)
    return buffer.getvalue()


def machine(reader: dict[str, Any] | None = None, jsonata: bool = False, **map_fields: Any) -> StateMachine:
    """One Distributed Map reading a Parquet object named by the input's Bucket and Key; each child passes its item."""
    return reader_machine({"ReaderConfig": {"InputType": "PARQUET"}, **(reader or {})}, jsonata, **map_fields)


@pytest.fixture
def world() -> Iterator[AwsWorld]:
    with AwsWorld() as aws:
        aws.client("s3").create_bucket(Bucket="data")
        yield aws


# Without pyarrow ------------------------------------------------------------------------------------------------


def test_without_pyarrow_the_reader_names_the_extra(world: AwsWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("pyarrow", "pyarrow.parquet"):
        monkeypatch.setitem(sys.modules, module, None)  # importing it now raises ImportError
    with pytest.raises(ParquetUnavailable, match=r"pip install 'sfnlocal\[parquet\]'"):
        parquet_items(b"PAR1\x00PAR1")
    put(world, "rows.parquet", b"PAR1\x00\xffPAR1")
    run = machine().execute({"Bucket": "data", "Key": "rows.parquet"}, aws=world)
    assert run.status == "FAILED" and run.error == "sfnlocal.Unsupported"
    assert "Map state 'Map'" in run.cause and "pip install 'sfnlocal[parquet]'" in run.cause
    assert "mocks.returns" in run.cause
    # A mock's items need no pyarrow
    run = machine().execute({"Bucket": "b", "Key": "k"}, mocks={"Map": mocks.returns([{"id": 1}])})
    assert run.output == [{"id": 1}]


# Rows and their values ------------------------------------------------------------------------------------------


@needs_pyarrow
def test_each_row_is_an_object_keyed_by_column_with_json_values() -> None:
    table = pa.table(
        {
            "id": pa.array([1, 2], pa.int64()),
            "name": ["Ada", None],
            "active": [True, False],
            "score": [1.5, math.nan],
            "small": pa.array([3, -4], pa.int8()),
            "seen": pa.array([datetime(2024, 1, 2, 3, 4, 5, 678000), None], pa.timestamp("us")),
            "seen_utc": pa.array([1_700_000_000_123_456_789, 0], pa.timestamp("ns", tz="UTC")),
            "day": [date(2024, 1, 31), date(1970, 1, 1)],
            "price": pa.array([Decimal("12.50"), None], pa.decimal128(6, 2)),
            "count": pa.array([Decimal("7"), Decimal("-3")], pa.decimal128(4, 0)),
            "raw": [b"\x00\xff", b""],
            "tags": [["a", "b"], []],
            "point": [{"x": 1.0, "y": math.inf}, None],
            "attributes": pa.array([[("color", 1)], []], pa.map_(pa.string(), pa.int32())),
        }
    )
    assert parquet_items(parquet(table)) == [
        {
            "id": 1,
            "name": "Ada",
            "active": True,
            "score": 1.5,
            "small": 3,
            "seen": 1704164645678,  # epoch milliseconds (no zone: UTC)
            "seen_utc": 1700000000123,
            "day": "2024-01-31",
            "price": 12.5,
            "count": 7,
            "raw": "AP8=",
            "tags": ["a", "b"],
            "point": {"x": 1.0, "y": "Infinity"},
            "attributes": {"color": 1},
        },
        {
            "id": 2,
            "name": None,
            "active": False,
            "score": "NaN",
            "small": -4,
            "seen": None,
            "seen_utc": 0,
            "day": "1970-01-01",
            "price": None,
            "count": -3,
            "raw": "",
            "tags": [],
            "point": None,
            "attributes": {},
        },
    ]


@needs_pyarrow
@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-(2**63), 2**63 - 1),
            st.text(),
            st.floats(allow_nan=False, allow_infinity=False),
            st.none() | st.booleans(),
        ),
        max_size=30,
    ),
    st.integers(1, 7),
)
def test_rows_read_back_in_order_across_row_groups(rows: list[tuple[Any, ...]], group_size: int) -> None:
    columns = ["n", "text", "x", "flag"]
    table = pa.table(
        {
            name: pa.array([row[i] for row in rows], kind)
            for i, (name, kind) in enumerate(
                zip(columns, [pa.int64(), pa.string(), pa.float64(), pa.bool_()], strict=True)
            )
        }
    )
    assert parquet_items(parquet(table, row_group_size=group_size)) == [
        dict(zip(columns, row, strict=True)) for row in rows
    ]


@needs_pyarrow
@pytest.mark.parametrize("codec", ["NONE", "GZIP", "ZSTD", "SNAPPY"])
def test_the_codecs_aws_names_are_read(codec: str) -> None:
    assert parquet_items(parquet(pa.table({"a": [1, 2]}), compression=codec)) == [{"a": 1}, {"a": 2}]


@needs_pyarrow
def test_other_codecs_and_non_parquet_data_fail() -> None:
    with pytest.raises(ItemDataError, match=r"Column a of the Parquet file is compressed with LZ4.*GZIP, SNAPPY, ZSTD"):
        parquet_items(parquet(pa.table({"a": [1]}), compression="LZ4"))
    with pytest.raises(ItemDataError, match="not a Parquet file"):
        parquet_items(b'[{"a": 1}]')
    with pytest.raises(ItemDataError, match="The Parquet file cannot be read"):
        parquet_items(b"PAR1 this is no footer PAR1")


@needs_pyarrow
def test_awss_row_group_and_footer_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (parquet_module.MAX_ROW_GROUP_BYTES, parquet_module.MAX_FOOTER_BYTES) == (256 * 2**20, 5 * 2**20)
    data = parquet(pa.table({"a": list(range(100))}), row_group_size=50)
    monkeypatch.setattr(parquet_module, "MAX_ROW_GROUP_BYTES", 10)
    with pytest.raises(ItemDataError, match=r"Row group 0 of the Parquet file is \d+ bytes; the maximum is 10"):
        parquet_items(data)
    monkeypatch.setattr(parquet_module, "MAX_FOOTER_BYTES", 10)
    with pytest.raises(ItemDataError, match=r"footer is \d+ bytes; the maximum is 10"):
        parquet_items(data)


# In executions --------------------------------------------------------------------------------------------------


@needs_pyarrow
@pytest.mark.parametrize("jsonata", [False, True])
def test_a_map_reads_a_parquet_object_from_s3(world: AwsWorld, jsonata: bool) -> None:
    # AWS needs no file extension: the codec is inside the file
    put(world, "in/readings", parquet(pa.table({"device": ["d1", "d2", "d3"], "celsius": [21.5, 36.0, -3.25]})))
    run = machine({"ReaderConfig": {"InputType": "PARQUET", "MaxItems": 2}}, jsonata).execute(
        {"Bucket": "data", "Key": "in/readings"}, aws=world
    )
    assert run.status == "SUCCEEDED", run.cause
    assert run.output == [{"device": "d1", "celsius": 21.5}, {"device": "d2", "celsius": 36.0}]


@needs_pyarrow
def test_an_athena_manifest_of_parquet_files(world: AwsWorld) -> None:
    put(world, "athena/q-manifest.csv", b"s3://data/athena/1.parquet\ns3://data/athena/2.parquet\n")
    put(world, "athena/1.parquet", parquet(pa.table({"k": ["a", "b"]})))
    put(world, "athena/2.parquet", parquet(pa.table({"k": ["c"]})))
    reader = {"ReaderConfig": {"ManifestType": "ATHENA_DATA", "InputType": "PARQUET"}}
    run = machine(reader).execute({"Bucket": "data", "Key": "athena/q-manifest.csv"}, aws=world)
    assert run.output == [{"k": "a"}, {"k": "b"}, {"k": "c"}]


@needs_pyarrow
def test_version_id_is_refused_for_parquet(world: AwsWorld) -> None:
    put(world, "x.parquet", parquet(pa.table({"a": [1]})))
    reader = {"Parameters": {"Bucket": "data", "Key": "x.parquet", "VersionId": "v1"}}
    run = machine(reader).execute({}, aws=world)
    assert run.error == "States.ItemReaderFailed" and "VersionId" in run.cause and "PARQUET" in run.cause


@needs_pyarrow
def test_malformed_or_binary_objects_fail_the_map_run(world: AwsWorld) -> None:
    put(world, "not.parquet", b'{"a": 1}\n')
    run = machine().execute({"Bucket": "data", "Key": "not.parquet"}, aws=world)
    assert (run.error, run.cause) == (
        "States.ItemReaderFailed",
        "The object is not a Parquet file: it does not start and end with PAR1",
    )
    # A Parquet file read as JSON: S3 answers a blob, which no text format reads
    put(world, "rows.parquet", parquet(pa.table({"a": [1]})))
    run = machine({"ReaderConfig": {"InputType": "JSON"}}).execute({"Bucket": "data", "Key": "rows.parquet"}, aws=world)
    assert (run.error, run.cause) == (
        "States.ItemReaderFailed",
        "The object is not UTF-8 text, as InputType JSON needs",
    )


def test_a_mock_answers_parquet_with_items_not_with_json() -> None:
    run = machine().execute({"Bucket": "b", "Key": "k"}, mocks={"Map": mocks.returns({"a": 1})})
    assert run.error == "sfnlocal.MockInvalid" and "the object's content" in run.cause
