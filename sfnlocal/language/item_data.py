"""What a Distributed Map's ``ItemReader`` makes of the data it reads: the items in a JSON, JSON Lines or
delimited (CSV) text, an S3 Inventory's ``manifest.json`` and its data files, or an Athena ``UNLOAD`` manifest.

Pure: no I/O. Malformed data raises :class:`ItemDataError` with the cause AWS gives where it was recorded
(``States.ItemReaderFailed`` is the error; the interpreter raises it). AWS's parsing rules come from its
"ItemReader (Map)" page: delimited fields are strings, a row with fewer fields than the header gets empty
strings, extra fields are skipped, double quotes enclose fields (``""`` is a quote), ``\\`` escapes.
"""

from __future__ import annotations

import base64
import binascii
import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

# ReaderConfig.InputType values (AWS's ItemReader page).
JSON, JSONL, CSV, PARQUET, MANIFEST = "JSON", "JSONL", "CSV", "PARQUET", "MANIFEST"
INPUT_TYPES = (JSON, JSONL, CSV, PARQUET, MANIFEST)
# ReaderConfig.ManifestType values.
ATHENA_DATA, S3_INVENTORY = "ATHENA_DATA", "S3_INVENTORY"
# ReaderConfig.CSVDelimiter values and the characters they name (COMMA is the default).
CSV_DELIMITERS = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}
FIRST_ROW, GIVEN = "FIRST_ROW", "GIVEN"
# ReaderConfig.Transformation values (listObjectsV2: the objects themselves, or the items of each object).
NONE, LOAD_AND_FLATTEN = "NONE", "LOAD_AND_FLATTEN"
# The values each ReaderConfig field that names a choice may take (AWS's ItemReader page).
READER_CHOICES = {
    "InputType": INPUT_TYPES,
    "CSVHeaderLocation": (FIRST_ROW, GIVEN),
    "CSVDelimiter": tuple(CSV_DELIMITERS),
    "ManifestType": (ATHENA_DATA, S3_INVENTORY),
    "Transformation": (NONE, LOAD_AND_FLATTEN),
}


def reader_config_problem(config: dict[str, Any]) -> tuple[str, str] | None:
    """The first field of a ReaderConfig that AWS would not take, and why (None: none). A value that is not one
    of AWS's choices would otherwise be read as something else (an unknown delimiter as a comma, GIVEN headers
    that are missing as the first row), so it is refused when the definition is loaded. The wording is
    sfnlocal's (AWS refuses such a definition; its text was not recorded).

    >>> reader_config_problem({"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a"]}) is None
    True
    >>> reader_config_problem({"InputType": "CSV", "CSVDelimiter": "COLON"})
    ('CSVDelimiter', "CSVDelimiter must be one of [COMMA, PIPE, SEMICOLON, SPACE, TAB], but got 'COLON'")
    >>> reader_config_problem({"InputType": "CSV", "CSVHeaderLocation": "GIVEN"})[1]
    'CSVHeaderLocation GIVEN needs CSVHeaders: a non-empty array of the column names (strings)'
    """
    for field, choices in READER_CHOICES.items():
        value = config.get(field, choices[0])
        if value not in choices:
            shown = f"'{value}'" if isinstance(value, str) else json.dumps(value)
            return field, f"{field} must be one of [{', '.join(choices)}], but got {shown}"
    headers = config.get("CSVHeaders")
    if config.get("CSVHeaderLocation") == GIVEN and (
        not isinstance(headers, list) or not headers or not all(isinstance(header, str) for header in headers)
    ):
        field = "CSVHeaders" if "CSVHeaders" in config else "CSVHeaderLocation"
        return field, "CSVHeaderLocation GIVEN needs CSVHeaders: a non-empty array of the column names (strings)"
    return None


class ItemDataError(Exception):
    """The data cannot give items: ``cause`` says why (AWS's text where recorded)."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


def json_items(text: str, pointer: str | None = None) -> list[Any]:
    """The items of a JSON document: the array it is, or the array ``pointer`` (RFC 6901, AWS's
    ``ItemsPointer``) selects in it.

    >>> json_items('[1, {"a": 2}]'), json_items('{"inventory": {"products": [3]}}', "/inventory/products")
    ([1, {'a': 2}], [3])
    >>> json_items('{"Hello": "world"}')
    Traceback (most recent call last):
    ...
    sfnlocal.language.item_data.ItemDataError: Attempting to map over non-iterable node.
    """
    try:
        document = json.loads(text)
    except ValueError as err:
        # No AWS text was recorded for a file that is not JSON: the wording is sfnlocal's.
        raise ItemDataError(f"The object is not valid JSON: {err}") from None
    if pointer is not None:
        document = resolve_pointer(document, pointer)
    if not isinstance(document, list):
        raise ItemDataError("Attempting to map over non-iterable node.")  # recorded for a JSON object
    return document


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value a JSON Pointer (RFC 6901: ``/a/0/b``, ``~1`` for ``/``, ``~0`` for ``~``) selects.

    >>> resolve_pointer({"a/b": [{"c": 1}]}, "/a~1b/0/c"), resolve_pointer([7], "")
    (1, [7])
    """
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise ItemDataError(f"ItemsPointer '{pointer}' is not a JSON Pointer: it must start with '/'")
    value = document
    for token in pointer[1:].split("/"):
        name = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and name in value:
            value = value[name]
        elif isinstance(value, list) and name.isdigit() and int(name) < len(value):
            value = value[int(name)]
        else:
            # No AWS text was found for a pointer that selects nothing: the wording is sfnlocal's.
            raise ItemDataError(f"ItemsPointer '{pointer}' selects nothing in the object")
    return value


def jsonl_items(text: str) -> list[Any]:
    """The items of a JSON Lines text: one JSON value per non-blank line.

    >>> jsonl_items('{"a": 1}\\n\\n[2]\\n')
    [{'a': 1}, [2]]
    >>> jsonl_items('{"a": 1}\\n{oops}')
    Traceback (most recent call last):
    ...
    sfnlocal.language.item_data.ItemDataError: Line 2 of the JSON Lines object is not valid JSON: Expecting \
property name enclosed in double quotes: line 1 column 2 (char 1)
    """
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue  # a blank line (the last line's newline, too) is no item
        try:
            items.append(json.loads(line))
        except ValueError as err:
            # No AWS text was found for a malformed line: the wording is sfnlocal's.
            raise ItemDataError(f"Line {number} of the JSON Lines object is not valid JSON: {err}") from None
    return items


@dataclass(frozen=True)
class CsvFormat:
    """How a delimited text is read: its headers (None: the first row holds them) and its delimiter.

    >>> CsvFormat.of({"CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"], "CSVDelimiter": "PIPE"})
    CsvFormat(headers=('a', 'b'), delimiter='|')
    """

    headers: tuple[str, ...] | None = None
    delimiter: str = ","

    @classmethod
    def of(cls, reader_config: dict[str, Any]) -> CsvFormat:
        """The format a ReaderConfig describes (FIRST_ROW and COMMA when it says nothing)."""
        headers = reader_config.get("CSVHeaders") if reader_config.get("CSVHeaderLocation") == GIVEN else None
        delimiter = CSV_DELIMITERS.get(reader_config.get("CSVDelimiter", "COMMA"), ",")
        return cls(tuple(headers) if headers is not None else None, delimiter)


def csv_items(text: str, layout: CsvFormat = CsvFormat()) -> list[dict[str, str]]:
    """The items of a delimited text: one object per row, keyed by the headers, every value a string.

    As AWS documents and was recorded: missing fields are empty strings, extra fields are skipped, values keep
    their spaces and quotes other than ``"``; an empty line is no row.

    >>> csv_items('H1,H2\\nv1,v2,extra\\n"a,b"\\n')
    [{'H1': 'v1', 'H2': 'v2'}, {'H1': 'a,b', 'H2': ''}]
    >>> csv_items("x|y", CsvFormat(("H", "H"), "|"))
    Traceback (most recent call last):
    ...
    sfnlocal.language.item_data.ItemDataError: CSV headers cannot contain duplicates.
    """
    rows = _rows(text, layout.delimiter)
    headers = layout.headers
    if headers is None:
        first = next(rows, None)
        if first is None:
            return []  # no header row, so no item (AWS's behaviour for an empty file was not recorded)
        headers = tuple(first)
    if len(set(headers)) != len(headers):
        raise ItemDataError("CSV headers cannot contain duplicates.")  # recorded (GIVEN headers)
    width = len(headers)
    return [dict(zip(headers, [*row[:width], *[""] * (width - len(row))], strict=True)) for row in rows]


def _rows(text: str, delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(
        text.splitlines(keepends=True), delimiter=delimiter, quotechar='"', doublequote=True, escapechar="\\"
    )
    try:
        for row in reader:
            if row:  # an empty line is no row
                yield row
    except csv.Error as err:
        # No AWS text was found for an unreadable row: the wording is sfnlocal's.
        raise ItemDataError(f"Row {reader.line_num} of the CSV object cannot be read: {err}") from None


@dataclass(frozen=True)
class InventoryManifest:
    """An S3 Inventory report's ``manifest.json``: where its data files are and what their columns are.

    >>> manifest = InventoryManifest.parse(json.dumps({"destinationBucket": "arn:aws:s3:::inv", "fileFormat": "CSV",
    ...     "fileSchema": "Bucket, Key, Size", "files": [{"key": "data/1.csv.gz", "size": 10}]}))
    >>> manifest.bucket, manifest.keys, manifest.columns
    ('inv', ('data/1.csv.gz',), ('Bucket', 'Key', 'Size'))
    """

    bucket: str
    keys: tuple[str, ...]
    columns: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> InventoryManifest:
        """The manifest in ``text``; AWS reads only CSV inventory reports."""
        try:
            manifest = json.loads(text)
            file_format = manifest.get("fileFormat", "CSV")
            bucket = str(manifest["destinationBucket"]).rsplit(":", 1)[-1]
            keys = tuple(str(entry["key"]) for entry in manifest["files"])
            columns = tuple(column.strip() for column in str(manifest["fileSchema"]).split(","))
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            # No AWS text was found for a malformed manifest: the wording is sfnlocal's.
            raise ItemDataError(
                f"The object is not an S3 Inventory manifest.json (destinationBucket, fileSchema, files): {err!r}"
            ) from None
        if file_format != "CSV":
            # AWS: "The output format of your Amazon S3 inventory report must be CSV."
            raise ItemDataError(f"The S3 Inventory report's fileFormat is {file_format}; only CSV reports are read")
        return cls(bucket, keys, columns)


def athena_manifest_locations(text: str) -> list[tuple[str, str]]:
    """The (bucket, key) of each data file an Athena ``UNLOAD`` manifest lists (one ``s3://`` URI a line).

    >>> athena_manifest_locations("s3://results/q/1.csv\\ns3://results/q/2.csv\\n")
    [('results', 'q/1.csv'), ('results', 'q/2.csv')]
    """
    locations = []
    for line in text.splitlines():
        uri = line.strip().strip('"')
        if not uri:
            continue
        bucket, _, key = uri.removeprefix("s3://").partition("/")
        if not uri.startswith("s3://") or not key:
            # No AWS text was found for a malformed Athena manifest: the wording is sfnlocal's.
            raise ItemDataError(f"The Athena manifest lists '{uri}', which is not an s3://bucket/key URI")
        locations.append((bucket, key))
    return locations


def parse_items(text: str, input_type: str, reader_config: dict[str, Any]) -> list[Any]:
    """The items of one object's ``text`` read as ``input_type`` (JSON, JSONL or CSV) per ``reader_config``.

    >>> parse_items("a;b\\n1;2", "CSV", {"CSVDelimiter": "SEMICOLON"})
    [{'a': '1', 'b': '2'}]
    """
    if input_type == JSON:
        return json_items(text, reader_config.get("ItemsPointer"))
    if input_type == JSONL:
        return jsonl_items(text)
    if input_type == CSV:
        return csv_items(text, CsvFormat.of(reader_config))
    raise ItemDataError(f"InputType {input_type} cannot be read from text")


# How an object's content that is not UTF-8 text (a Parquet file) crosses the integration seam, whose answers are
# JSON: as its base64 text under this key, as the AWS SDK integrations carry a blob as base64 text. sfnlocal's own.
BLOB = "sfnlocal.Blob"


def blob(data: bytes) -> dict[str, str]:
    """What an integration answers for an object's ``data`` that is not text (read back with :func:`blob_data`).

    >>> blob(b"PAR1")
    {'sfnlocal.Blob': 'UEFSMQ=='}
    """
    return {BLOB: base64.b64encode(data).decode("ascii")}


def blob_data(answer: Any) -> bytes | None:
    """The bytes of an object an integration answered: a :func:`blob`'s, or a text's UTF-8 encoding (the same bytes
    it was decoded from); None for anything else.

    >>> blob_data(blob(b"\\x00PAR1")), blob_data("PAR1"), blob_data([1])
    (b'\\x00PAR1', b'PAR1', None)
    """
    if isinstance(answer, str):
        return answer.encode("utf-8")
    if isinstance(answer, dict) and set(answer) == {BLOB} and isinstance(answer[BLOB], str):
        try:
            return base64.b64decode(answer[BLOB], validate=True)
        except binascii.Error:
            return None
    return None


def limited(items: Sequence[Any], max_items: int) -> list[Any]:
    """The first ``max_items`` items (all of them for 0, as AWS's MaxItems).

    >>> limited([1, 2, 3], 2), limited([1, 2, 3], 0)
    ([1, 2], [1, 2, 3])
    """
    return list(items[:max_items] if max_items else items)
