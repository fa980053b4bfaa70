"""The parsing of what a Distributed Map's ItemReader reads (sfnlocal/language/item_data.py).

Expected values come from AWS: the recorded executions test_map_item_reader_* (../shared/conformance) and AWS's
"ItemReader (Map)" page (delimited-file rules, S3 Inventory manifest and its items).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfnlocal.language.item_data import (
    CSV_DELIMITERS,
    CsvFormat,
    InventoryManifest,
    ItemDataError,
    athena_manifest_locations,
    csv_items,
    json_items,
    jsonl_items,
    limited,
    parse_items,
    resolve_pointer,
)

# The CSV object of the recordings test_map_item_reader_base_csv_headers_decl and ..._extra_fields.
RECORDED_CSV = "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n"


def test_given_headers_as_recorded() -> None:
    assert csv_items(RECORDED_CSV, CsvFormat(("H1", "H2", "H3"))) == [
        {"H1": "Value1", "H2": "Value2", "H3": "Value3"},
        {"H1": "Value4", "H2": "Value5", "H3": "Value6"},
        {"H1": "", "H2": "", "H3": ""},
        {"H1": "true", "H2": "1", "H3": "'HelloWorld'"},
        {"H1": "Null", "H2": "None", "H3": ""},
        {"H1": "   ", "H2": "", "H3": ""},
    ]


def test_extra_fields_are_skipped_as_recorded() -> None:
    assert csv_items(RECORDED_CSV, CsvFormat(("H1",))) == [
        {"H1": "Value1"},
        {"H1": "Value4"},
        {"H1": ""},
        {"H1": "true"},
        {"H1": "Null"},
        {"H1": "   "},
    ]


def test_first_row_headers_with_an_empty_header_as_recorded() -> None:
    text = "H1,\n" + RECORDED_CSV.split("\n", 1)[1]
    assert csv_items(text) == [
        {"H1": "Value4", "": "Value5"},
        {"H1": "", "": ""},
        {"H1": "true", "": "1"},
        {"H1": "Null", "": "None"},
        {"H1": "   ", "": ""},
    ]


@pytest.mark.parametrize("layout", [CsvFormat(("H1", "H1", "H3")), CsvFormat()])
def test_duplicate_headers_fail_as_recorded(layout: CsvFormat) -> None:
    with pytest.raises(ItemDataError, match=r"^CSV headers cannot contain duplicates\.$"):
        csv_items("H1,H1,H3\na,b,c\n", layout)


def test_quotes_and_backslashes_as_aws_documents() -> None:
    # Quoted fields keep delimiters and newlines; "" is a quote; \\ is a backslash.
    text = 'path,note\n"C:\\\\Program Files\\\\App.exe","say ""hi"", then\nleave"\n'
    assert csv_items(text) == [{"path": "C:\\Program Files\\App.exe", "note": 'say "hi", then\nleave'}]


@pytest.mark.parametrize(("name", "character"), sorted(CSV_DELIMITERS.items()))
def test_every_documented_delimiter(name: str, character: str) -> None:
    layout = CsvFormat.of({"CSVDelimiter": name})
    assert layout.delimiter == character
    assert csv_items(f"a{character}b\n1{character}2\n", layout) == [{"a": "1", "b": "2"}]


def test_an_empty_csv_object_has_no_items() -> None:
    assert csv_items("") == [] and csv_items("", CsvFormat(("a",))) == []


_FIELD = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\x00"), max_size=8)


@given(
    headers=st.lists(_FIELD, min_size=1, max_size=4, unique=True),
    rows=st.lists(st.lists(_FIELD, min_size=1, max_size=4), max_size=5),
    delimiter=st.sampled_from(sorted(CSV_DELIMITERS.values())),
)
def test_csv_round_trip(headers: list[str], rows: list[list[str]], delimiter: str) -> None:
    # Written by Python's csv writer with every field quoted, read back: each row is an object of strings, short
    # rows are filled with "", long ones cut to the headers.
    rows = [row for row in rows if row != [""]]  # a lone empty field is an empty line: no row

    def written(*lines: list[str]) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\n", escapechar="\\")
        writer.writerows(lines)
        return out.getvalue()

    width = len(headers)
    expected = [dict(zip(headers, [*row[:width], *[""] * (width - len(row))], strict=True)) for row in rows]
    assert csv_items(written(headers, *rows), CsvFormat(None, delimiter)) == expected
    assert csv_items(written(*rows), CsvFormat(tuple(headers), delimiter)) == expected


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)


@given(st.lists(_JSON, max_size=6))
def test_jsonl_round_trip(values: list[Any]) -> None:
    text = "\n".join(json.dumps(value) for value in values)
    assert jsonl_items(text) == values
    assert jsonl_items(text + "\n\n") == values  # blank lines are no items


@given(st.lists(_JSON, max_size=6))
def test_json_round_trip(values: list[Any]) -> None:
    assert json_items(json.dumps(values)) == values
    assert json_items(json.dumps({"a/b": {"items": values}}), "/a~1b/items") == values


def test_a_json_object_is_not_iterable_as_recorded() -> None:
    with pytest.raises(ItemDataError, match=r"^Attempting to map over non-iterable node\.$"):
        json_items('{"Hello": "world"}')


@pytest.mark.parametrize(("text", "match"), [("[1,", "not valid JSON"), ('"text"', "non-iterable node")])
def test_json_that_gives_no_array(text: str, match: str) -> None:
    with pytest.raises(ItemDataError, match=match):
        json_items(text)


@pytest.mark.parametrize(("pointer", "match"), [("inventory", "must start with '/'"), ("/nope", "selects nothing")])
def test_bad_items_pointers(pointer: str, match: str) -> None:
    with pytest.raises(ItemDataError, match=match):
        resolve_pointer({"inventory": []}, pointer)


def test_a_bad_json_line_names_its_line() -> None:
    with pytest.raises(ItemDataError, match="^Line 3 of the JSON Lines object is not valid JSON"):
        jsonl_items('1\n\n{"a": }\n')


def test_s3_inventory_manifest_as_aws_documents() -> None:
    manifest = InventoryManifest.parse(
        json.dumps(
            {
                "sourceBucket": "source",
                "destinationBucket": "arn:aws:s3:::inventory",
                "version": "2016-11-30",
                "fileFormat": "CSV",
                "fileSchema": "Bucket, Key, Size, LastModifiedDate",
                "files": [{"key": "source/config/data/a.csv.gz", "size": 7300, "MD5checksum": "x"}],
            }
        )
    )
    assert manifest == InventoryManifest(
        "inventory", ("source/config/data/a.csv.gz",), ("Bucket", "Key", "Size", "LastModifiedDate")
    )
    data = '"source","csvDataset/titles.csv","3399671","2022-11-16T00:29:32.000Z"\n'
    assert csv_items(gzip.decompress(gzip.compress(data.encode())).decode(), CsvFormat(manifest.columns)) == [
        {
            "LastModifiedDate": "2022-11-16T00:29:32.000Z",
            "Bucket": "source",
            "Size": "3399671",
            "Key": "csvDataset/titles.csv",
        }
    ]


@pytest.mark.parametrize(
    ("manifest", "match"),
    [
        ("[]", "not an S3 Inventory manifest"),
        (json.dumps({"destinationBucket": "b", "fileFormat": "ORC", "fileSchema": "Key", "files": []}), "only CSV"),
    ],
)
def test_unreadable_inventory_manifests(manifest: str, match: str) -> None:
    with pytest.raises(ItemDataError, match=match):
        InventoryManifest.parse(manifest)


def test_athena_manifest() -> None:
    assert athena_manifest_locations("s3://r/q/1.gz\n\ns3://r/q/2.gz\n") == [("r", "q/1.gz"), ("r", "q/2.gz")]
    with pytest.raises(ItemDataError, match="not an s3://bucket/key URI"):
        athena_manifest_locations("https://r/q/1.gz")


def test_parse_items_dispatches_on_the_input_type() -> None:
    assert parse_items("[1]", "JSON", {}) == [1]
    assert parse_items("1\n2", "JSONL", {}) == [1, 2]
    assert parse_items("1\n2", "CSV", {"CSVHeaderLocation": "GIVEN", "CSVHeaders": ["n"]}) == [{"n": "1"}, {"n": "2"}]
    with pytest.raises(ItemDataError, match="InputType PARQUET cannot be read from text"):
        parse_items("", "PARQUET", {})


def test_limited_keeps_the_first_items() -> None:
    assert limited([1, 2, 3], 0) == [1, 2, 3] and limited([1, 2, 3], 5) == [1, 2, 3] and limited((1, 2), 1) == [1]
