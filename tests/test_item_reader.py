"""A Distributed Map's ItemReader in executions: reading from a seeded in-process S3, or from a mock, in both
query languages, and failing as AWS fails (sfnlocal/interpreter/states/map_items.py, integrations/aws/s3_items.py).

Expected values come from AWS: the recorded executions test_map_item_reader_* (../shared/conformance: events,
MaxItems, errors and causes) and AWS's "ItemReader (Map)" page (listObjectsV2 items, S3 Inventory items).
"""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from sfnlocal import AwsWorld, StateMachine, mocks
from sfnlocal.language.errors import DefinitionError

FACTS = [
    {"verdict": "true", "statement_date": "6/11/2008", "statement_source": "speech"},
    {"verdict": "false", "statement_date": "6/7/2022", "statement_source": "television"},
    {"verdict": "mostly-true", "statement_date": "5/18/2016", "statement_source": "news"},
]
JSONPATH_ARGUMENTS = {"Parameters": {"Bucket.$": "$.Bucket", "Key.$": "$.Key"}}
JSONATA_ARGUMENTS = {"Arguments": {"Bucket": "{% $states.input.Bucket %}", "Key": "{% $states.input.Key %}"}}


def machine(reader: dict[str, Any], jsonata: bool = False, **map_fields: Any) -> StateMachine:
    """A machine whose one state is a Distributed Map reading with ``reader``; each child passes its item."""
    arguments = JSONATA_ARGUMENTS if jsonata else JSONPATH_ARGUMENTS
    definition: dict[str, Any] = {
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", **arguments, **reader},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Pass",
                    "States": {"Pass": {"Type": "Pass", "End": True}},
                },
                "End": True,
                **map_fields,
            }
        },
    }
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return StateMachine.from_dict(definition)


@pytest.fixture
def world() -> Any:
    with AwsWorld() as aws:
        aws.client("s3").create_bucket(Bucket="data")
        yield aws


def put(world: AwsWorld, key: str, body: bytes | str) -> None:
    world.client("s3").put_object(Bucket="data", Key=key, Body=body.encode() if isinstance(body, str) else body)


def events(run: Any) -> list[str]:
    return [event["type"] for event in run.history]


@pytest.mark.parametrize("jsonata", [False, True])
def test_a_json_array_object_in_both_query_languages(world: AwsWorld, jsonata: bool) -> None:
    put(world, "facts.json", json.dumps(FACTS))
    run = machine({"ReaderConfig": {"InputType": "JSON"}}, jsonata).execute(
        {"Bucket": "data", "Key": "facts.json"}, aws=world
    )
    assert (run.status, run.output) == ("SUCCEEDED", FACTS)
    # As recorded: the reader reads inside the map run, and MapStateStarted says length 0.
    assert events(run) == [
        "ExecutionStarted",
        "MapStateEntered",
        "MapStateStarted",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateSucceeded",
        "MapStateExited",
        "ExecutionSucceeded",
    ]
    assert run.history[2]["mapStateStartedEventDetails"] == {"length": 0}


def test_max_items_and_max_items_path(world: AwsWorld) -> None:
    put(world, "facts.json", json.dumps(FACTS))
    given = {"Bucket": "data", "Key": "facts.json"}
    assert machine({"ReaderConfig": {"InputType": "JSON", "MaxItems": 2}}).execute(given, aws=world).output == FACTS[:2]
    by_path = machine({"ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.Max"}})
    assert by_path.execute({**given, "Max": 1}, aws=world).output == FACTS[:1]
    assert by_path.execute({**given, "Max": 0}, aws=world).output == FACTS  # 0: all
    assert by_path.execute({**given, "Max": 100_000_001}, aws=world).output == FACTS  # recorded: succeeds
    failed = by_path.execute({**given, "Max": -1}, aws=world)
    # Recorded (test_map_item_reader_csv_max_items_paths[-1]).
    assert (failed.status, failed.error, failed.cause) == (
        "FAILED",
        "States.ItemReaderFailed",
        "field MaxItems must be positive",
    )
    assert events(failed)[-4:] == ["MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"]
    jsonata = machine({"ReaderConfig": {"InputType": "JSON", "MaxItems": "{% $states.input.Max %}"}}, jsonata=True)
    assert jsonata.execute({**given, "Max": 2}, aws=world).output == FACTS[:2]


def test_csv_with_given_headers_and_a_delimiter(world: AwsWorld) -> None:
    put(world, "rows.psv", "1|307|3.5\n1|481|3.5\n")
    reader = {
        "ReaderConfig": {
            "InputType": "CSV",
            "CSVHeaderLocation": "GIVEN",
            "CSVHeaders": ["userId", "movieId", "rating"],
            "CSVDelimiter": "PIPE",
        }
    }
    run = machine(reader).execute({"Bucket": "data", "Key": "rows.psv"}, aws=world)
    assert run.output == [
        {"userId": "1", "movieId": "307", "rating": "3.5"},
        {"userId": "1", "movieId": "481", "rating": "3.5"},
    ]


def test_gzipped_json_lines_with_an_item_selector(world: AwsWorld) -> None:
    put(world, "facts.jsonl.gz", gzip.compress("\n".join(json.dumps(fact) for fact in FACTS).encode()))
    run = machine(
        {"ReaderConfig": {"InputType": "JSONL"}},
        ItemSelector={"verdict.$": "$$.Map.Item.Value.verdict", "index.$": "$$.Map.Item.Index"},
    ).execute({"Bucket": "data", "Key": "facts.jsonl.gz"}, aws=world)
    assert run.output == [{"verdict": fact["verdict"], "index": index} for index, fact in enumerate(FACTS)]


def test_items_path_is_not_applied_to_what_the_reader_reads(world: AwsWorld) -> None:
    # Recorded (test_map_item_reader_base_json_with_items_path[INVALID_ITEMS_PATH]): a path the input lacks is fine.
    put(world, "nested.json", '[["from-bucket-item-0"]]')
    run = machine({"ReaderConfig": {"InputType": "JSON"}}, ItemsPath="$.no_such_path").execute(
        {"Bucket": "data", "Key": "nested.json"}, aws=world
    )
    assert run.output == [["from-bucket-item-0"]]


@pytest.mark.parametrize(
    ("key", "body", "reader", "cause"),
    [
        # Both recorded.
        ("o.json", '{"Hello": "world"}', {"InputType": "JSON"}, "Attempting to map over non-iterable node."),
        (
            "o.csv",
            "a,b\n",
            {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["H1", "H1"]},
            "CSV headers cannot contain duplicates.",
        ),
        # sfnlocal's wording (no AWS text found).
        ("o.jsonl", "1\n{", {"InputType": "JSONL"}, "Line 2 of the JSON Lines object is not valid JSON"),
    ],
)
def test_malformed_data_fails_the_map_run(
    world: AwsWorld, key: str, body: str, reader: dict[str, Any], cause: str
) -> None:
    put(world, key, body)
    run = machine({"ReaderConfig": reader}).execute({"Bucket": "data", "Key": key}, aws=world)
    assert (run.status, run.error) == ("FAILED", "States.ItemReaderFailed")
    assert run.cause.startswith(cause)
    failed = next(event for event in run.history if event["type"] == "MapRunFailed")
    assert failed["mapRunFailedEventDetails"] == {"error": "States.ItemReaderFailed", "cause": run.cause}


def test_a_missing_object_or_bucket_fails_the_map_run(world: AwsWorld) -> None:
    reader = {"ReaderConfig": {"InputType": "JSON"}}
    missing_key = machine(reader).execute({"Bucket": "data", "Key": "absent.json"}, aws=world)
    missing_bucket = machine(reader).execute({"Bucket": "nobucket", "Key": "a.json"}, aws=world)
    assert (missing_key.error, missing_bucket.error) == ("States.ItemReaderFailed", "States.ItemReaderFailed")
    assert "NoSuchKey" in missing_key.cause and "NoSuchBucket" in missing_bucket.cause


def test_a_catcher_catches_a_reader_failure(world: AwsWorld) -> None:
    put(world, "o.json", "{}")
    sm = StateMachine.from_dict(
        {
            "StartAt": "Map",
            "States": {
                "Map": {
                    "Type": "Map",
                    "ItemReader": {
                        "Resource": "arn:aws:states:::s3:getObject",
                        "ReaderConfig": {"InputType": "JSON"},
                        "Parameters": {"Bucket": "data", "Key": "o.json"},
                    },
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "P",
                        "States": {"P": {"Type": "Pass", "End": True}},
                    },
                    "Catch": [{"ErrorEquals": ["States.ItemReaderFailed"], "Next": "Caught"}],
                    "End": True,
                },
                "Caught": {"Type": "Pass", "End": True},
            },
        }
    )
    caught = sm.execute({}, aws=world)
    assert caught.status == "SUCCEEDED"
    assert caught.output == {"Error": "States.ItemReaderFailed", "Cause": "Attempting to map over non-iterable node."}


def test_list_objects_v2_gives_each_object_as_aws_shapes_it(world: AwsWorld) -> None:
    put(world, "in/a.txt", "abc")
    put(world, "in/b.txt", "de")
    put(world, "out/c.txt", "x")
    sm = StateMachine.from_dict(
        {
            "QueryLanguage": "JSONata",
            "StartAt": "Map",
            "States": {
                "Map": {
                    "Type": "Map",
                    "ItemReader": {
                        "Resource": "arn:aws:states:::s3:listObjectsV2",
                        "Arguments": {"Bucket": "data", "Prefix": "{% $states.input.prefix %}"},
                    },
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                        "StartAt": "P",
                        "States": {"P": {"Type": "Pass", "End": True}},
                    },
                    "End": True,
                }
            },
        }
    )
    run = sm.execute({"prefix": "in/"}, aws=world)
    assert [(item["Key"], item["Size"], item["StorageClass"]) for item in run.output] == [
        ("in/a.txt", 3, "STANDARD"),
        ("in/b.txt", 2, "STANDARD"),
    ]
    first = run.output[0]
    assert sorted(first) == ["Etag", "Key", "LastModified", "Size", "StorageClass"]
    assert first["Etag"].startswith('"') and isinstance(first["LastModified"], int)


def test_list_objects_v2_load_and_flatten_reads_every_object(world: AwsWorld) -> None:
    put(world, "logs/1.jsonl", '{"n": 1}\n{"n": 2}\n')
    put(world, "logs/2.jsonl", '{"n": 3}\n')
    reader = {
        "Resource": "arn:aws:states:::s3:listObjectsV2",
        "ReaderConfig": {"InputType": "JSONL", "Transformation": "LOAD_AND_FLATTEN"},
        "Parameters": {"Bucket": "data", "Prefix": "logs/"},
    }
    sm = StateMachine.from_dict(
        {
            "StartAt": "Map",
            "States": {
                "Map": {
                    "Type": "Map",
                    "ItemReader": reader,
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "P",
                        "States": {"P": {"Type": "Pass", "End": True}},
                    },
                    "End": True,
                }
            },
        }
    )
    assert sm.execute({}, aws=world).output == [{"n": 1}, {"n": 2}, {"n": 3}]


def test_an_s3_inventory_manifest_and_its_gzipped_data_files(world: AwsWorld) -> None:
    manifest = {
        "sourceBucket": "source",
        "destinationBucket": "arn:aws:s3:::data",
        "version": "2016-11-30",
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key, Size, LastModifiedDate",
        "files": [{"key": "inv/data/1.csv.gz", "size": 1}, {"key": "inv/data/2.csv.gz", "size": 1}],
    }
    put(world, "inv/manifest.json", json.dumps(manifest))
    put(
        world,
        "inv/data/1.csv.gz",
        gzip.compress(b'"source","csvDataset/titles.csv","3399671","2022-11-16T00:29:32.000Z"\n'),
    )
    put(world, "inv/data/2.csv.gz", gzip.compress(b'"source","imageDataset/","0","2022-11-15T20:00:44.000Z"\n'))
    run = machine({"ReaderConfig": {"InputType": "MANIFEST"}}).execute(
        {"Bucket": "data", "Key": "inv/manifest.json"}, aws=world
    )
    # AWS's ItemReader page: each item holds the fileSchema's columns, as strings.
    assert run.output == [
        {
            "Bucket": "source",
            "Key": "csvDataset/titles.csv",
            "Size": "3399671",
            "LastModifiedDate": "2022-11-16T00:29:32.000Z",
        },
        {"Bucket": "source", "Key": "imageDataset/", "Size": "0", "LastModifiedDate": "2022-11-15T20:00:44.000Z"},
    ]


def test_an_athena_manifest_lists_the_data_files(world: AwsWorld) -> None:
    put(world, "athena/q-manifest.csv", "s3://data/athena/1.csv\ns3://data/athena/2.csv\n")
    put(world, "athena/1.csv", "a,1\n")
    put(world, "athena/2.csv", "b,2\n")
    reader = {
        "ReaderConfig": {
            "ManifestType": "ATHENA_DATA",
            "InputType": "CSV",
            "CSVHeaderLocation": "GIVEN",
            "CSVHeaders": ["k", "v"],
        }
    }
    run = machine(reader).execute({"Bucket": "data", "Key": "athena/q-manifest.csv"}, aws=world)
    assert run.output == [{"k": "a", "v": "1"}, {"k": "b", "v": "2"}]


def test_an_object_that_is_not_parquet_fails_the_map_run(world: AwsWorld) -> None:
    put(world, "x.parquet", "[1]")
    run = machine({"ReaderConfig": {"InputType": "PARQUET"}}).execute({"Bucket": "data", "Key": "x.parquet"}, aws=world)
    assert run.error == "States.ItemReaderFailed" and "not a Parquet file" in run.cause


# Mocks keyed by the Map state's name: a list is the items, a string the object's text ----------------------


def test_a_mock_returning_the_items() -> None:
    run = machine({"ReaderConfig": {"InputType": "JSON", "MaxItems": 2}}).execute(
        {"Bucket": "b", "Key": "k"}, mocks={"Map": mocks.returns(FACTS)}
    )
    assert run.output == FACTS[:2]  # MaxItems applies to a mock's items too


@pytest.mark.parametrize("jsonata", [False, True])
def test_a_mock_returning_the_object_text_parsed_per_reader_config(jsonata: bool) -> None:
    reader = {"ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}}
    run = machine(reader, jsonata).execute({"Bucket": "b", "Key": "k"}, mocks={"Map": mocks.returns("id,name\n1,a\n")})
    assert run.output == [{"id": "1", "name": "a"}]


def test_a_mock_sees_the_evaluated_arguments() -> None:
    seen: list[Any] = []

    def reader(event: Any, context: Any) -> Any:
        seen.append(event)
        return "[1]"

    run = machine({"ReaderConfig": {"InputType": "JSON"}}, jsonata=True).execute(
        {"Bucket": "b", "Key": "k"}, mocks={"Map": reader}
    )
    assert (run.output, seen) == ([1], [{"Bucket": "b", "Key": "k"}])


def test_a_mock_answering_something_else_is_refused() -> None:
    run = machine({"ReaderConfig": {"InputType": "JSON"}}).execute(
        {"Bucket": "b", "Key": "k"}, mocks={"Map": mocks.returns({"a": 1})}
    )
    assert run.error == "sfnlocal.MockInvalid" and "its ItemReader" in run.cause


def test_a_mock_failure_is_the_map_run_s_failure() -> None:
    run = machine({"ReaderConfig": {"InputType": "JSON"}}).execute(
        {"Bucket": "b", "Key": "k"}, mocks={"Map": mocks.raises("S3.NoSuchKey", "gone")}
    )
    assert (run.error, run.cause) == ("S3.NoSuchKey", "gone")
    assert "MapRunFailed" in events(run)


def test_without_a_world_the_execution_reads_its_own_empty_s3() -> None:
    run = machine({"ReaderConfig": {"InputType": "JSON"}}).execute({"Bucket": "absent-bucket", "Key": "k"})
    assert (run.error, run.cause) == (
        "States.ItemReaderFailed",
        "S3 GetObject failed for s3://absent-bucket/k: NoSuchBucket: The specified bucket does not exist",
    )


@pytest.mark.parametrize(
    ("reader", "field", "message"),
    [
        ({"InputType": "XML"}, "InputType", "InputType must be one of [JSON, JSONL, CSV, PARQUET, MANIFEST]"),
        (
            {"InputType": "CSV", "CSVDelimiter": "COLON"},
            "CSVDelimiter",
            "CSVDelimiter must be one of [COMMA, PIPE, SEMICOLON, SPACE, TAB], but got 'COLON'",
        ),
        ({"InputType": "CSV", "CSVHeaderLocation": "TOP"}, "CSVHeaderLocation", "must be one of [FIRST_ROW, GIVEN]"),
        ({"InputType": "CSV", "CSVHeaderLocation": "GIVEN"}, "CSVHeaderLocation", "GIVEN needs CSVHeaders"),
        ({"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": "a,b"}, "CSVHeaders", "GIVEN needs"),
        ({"ManifestType": "HIVE"}, "ManifestType", "must be one of [ATHENA_DATA, S3_INVENTORY]"),
        ({"InputType": "JSON", "Transformation": "FLAT"}, "Transformation", "must be one of [NONE, LOAD_AND_FLATTEN]"),
    ],
)
def test_a_reader_config_value_aws_does_not_take_is_refused_at_load(
    reader: dict[str, Any], field: str, message: str
) -> None:
    # Read on, such values would mean something else (a comma, the first row's headers): refused, naming the field.
    with pytest.raises(DefinitionError) as refused:
        machine({"ReaderConfig": reader})
    assert refused.value.location == f"/States/Map/ItemReader/ReaderConfig/{field}"
    assert message in refused.value.message


def test_a_reader_resource_that_is_no_s3_read_is_refused_at_load() -> None:
    with pytest.raises(DefinitionError, match=r"getObject' or 'arn:aws:states:::s3:listObjectsV2', but got"):
        StateMachine.from_dict(
            {
                "StartAt": "Map",
                "States": {
                    "Map": {
                        "Type": "Map",
                        "ItemReader": {"Resource": "arn:aws:states:::s3:putObject", **JSONPATH_ARGUMENTS},
                        "ItemProcessor": {
                            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                            "StartAt": "Pass",
                            "States": {"Pass": {"Type": "Pass", "End": True}},
                        },
                        "End": True,
                    }
                },
            }
        )
