"""ResultWriter: the result files and manifest AWS writes, and the WriterConfig transformations.

Expected values from AWS's ResultWriter page (a NONE entry's fields, COMPACT and FLATTEN of children returning
arrays, the manifest naming the files by status, the state's ``{"MapRunArn", "ResultWriterDetails"}``) and the
recording test_map_state_result_writer (Key ``<Prefix>/<map run id>/manifest.json``).
"""

from __future__ import annotations

import json
from collections.abc import Generator
from random import Random
from typing import Any

import pytest

from sfnlocal import AwsWorld, StateMachine
from sfnlocal.interpreter.history import Lane
from sfnlocal.interpreter.states.map_run import STANDARD, MapRun, ResultWriter
from sfnlocal.language.errors import DefinitionError, StatesError

ORDERS = [[{"customer_id": "145538", "order_id": "100000"}], [{"customer_id": "169881", "order_id": "100005"}]]


class FakeMap:
    name, jsonata = "Map", False


def ran(outputs: list[Any]) -> MapRun:
    run = MapRun("us-east-1", "111111111111", "orders", "Map", "arn:exec", Random(1), 0.0, STANDARD, 0, len(outputs))
    for index, output in enumerate(outputs):

        def body(lane: Lane, output: Any = output, index: int = index) -> Generator[Any, Any, Any]:
            lane.emit("PassStateEntered", "stateEnteredEventDetails", {"name": "P", "input": index})
            if output is StatesError:
                raise StatesError("Boom", "it broke")
            return output
            yield

        try:
            next(run.child(index, body, lambda: 1.0)())
        except (StopIteration, StatesError):
            pass
    return run


@pytest.mark.parametrize(
    ("transformation", "expected"),
    [("COMPACT", ORDERS), ("FLATTEN", [ORDERS[0][0], ORDERS[1][0]])],
)
def test_transformations_of_succeeded_children(transformation: str, expected: Any) -> None:
    writer = ResultWriter({"WriterConfig": {"Transformation": transformation, "OutputType": "JSON"}}, "/W", FakeMap())
    run = ran(ORDERS)
    assert writer.write(None, None, ORDERS, run) == expected  # type: ignore[arg-type]


def test_none_gives_the_entries_and_a_failed_child_stays_its_entry() -> None:
    writer = ResultWriter({"WriterConfig": {"Transformation": "FLATTEN"}}, "/W", FakeMap())
    run = ran([ORDERS[0], StatesError])
    flattened = writer.write(None, None, [ORDERS[0], None], run)  # type: ignore[arg-type]
    assert flattened[0] == ORDERS[0][0] and flattened[1]["Status"] == "FAILED"
    writer = ResultWriter({"WriterConfig": {"Transformation": "NONE"}}, "/W", FakeMap())
    entries = writer.write(None, None, [ORDERS[0], None], run)  # type: ignore[arg-type]
    assert entries[0]["Output"] == json.dumps(ORDERS[0], separators=(",", ":"))
    assert (entries[1]["Status"], entries[1]["Error"]) == ("FAILED", "Boom")


PROCESSOR = {
    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    "StartAt": "IteratorInner",
    "States": {"IteratorInner": {"Type": "Pass", "End": True}},
}


def test_the_recorded_result_writer_case_writes_manifest_and_results() -> None:
    definition = {
        "StartAt": "MapState",
        "States": {
            "MapState": {
                "Type": "Map",
                "ItemProcessor": PROCESSOR,
                "ResultWriter": {
                    "Resource": "arn:aws:states:::s3:putObject",
                    "Parameters": {"Bucket": "result-bucket", "Prefix": "mapJobs"},
                },
                "Label": "TestMap",
                "End": True,
            }
        },
    }
    with AwsWorld() as world:
        s3 = world.client("s3")
        s3.create_bucket(Bucket="result-bucket")
        result = StateMachine.from_dict(definition).execute(["Hello", "World"], aws=world)
        assert result.status == "SUCCEEDED", (result.error, result.cause)
        run_id = result.output["MapRunArn"].rsplit(":", 1)[1]
        assert result.output["ResultWriterDetails"] == {
            "Bucket": "result-bucket",
            "Key": f"mapJobs/{run_id}/manifest.json",
        }
        manifest = json.loads(
            s3.get_object(Bucket="result-bucket", Key=f"mapJobs/{run_id}/manifest.json")["Body"].read()
        )
        assert manifest["DestinationBucket"] == "result-bucket" and manifest["MapRunArn"] == result.output["MapRunArn"]
        [succeeded] = manifest["ResultFiles"]["SUCCEEDED"]
        assert succeeded["Key"] == f"mapJobs/{run_id}/SUCCEEDED_0.json"
        assert manifest["ResultFiles"]["FAILED"] == manifest["ResultFiles"]["PENDING"] == []
        entries = json.loads(s3.get_object(Bucket="result-bucket", Key=succeeded["Key"])["Body"].read())
        assert [(e["Input"], e["Output"], e["Status"]) for e in entries] == [
            ('"Hello"', '"Hello"', "SUCCEEDED"),
            ('"World"', '"World"', "SUCCEEDED"),
        ]


def _map_with_writer(writer: dict[str, Any], mode: str = "DISTRIBUTED") -> dict[str, Any]:
    config = {"Mode": mode, "ExecutionType": "STANDARD"} if mode == "DISTRIBUTED" else {"Mode": mode}
    processor = {"ProcessorConfig": config, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    return {
        "StartAt": "M",
        "States": {"M": {"Type": "Map", "ItemProcessor": processor, "ResultWriter": writer, "End": True}},
    }


@pytest.mark.parametrize(
    ("writer", "location", "message"),
    [
        # AWS's ResultWriter page: "The ResultWriter field cannot be empty", and its three sets of fields.
        ({}, "/States/M/ResultWriter", "needs a WriterConfig, or a Resource and Parameters"),
        ({"Parameters": {"Bucket": "b"}}, "/States/M/ResultWriter", "with Parameters needs Resource"),
        (
            {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b"}},
            "/States/M/ResultWriter/Resource",
            "writes with 'arn:aws:states:::s3:putObject', but got 'arn:aws:states:::s3:getObject'",
        ),
        (
            {"WriterConfig": {"OutputType": "CSV"}},
            "/States/M/ResultWriter/WriterConfig/OutputType",
            "OutputType must be one of [JSON, JSONL], but got 'CSV'",
        ),
        (
            {"WriterConfig": {"Transformation": "SQUASH"}},
            "/States/M/ResultWriter/WriterConfig/Transformation",
            "Transformation must be one of [NONE, COMPACT, FLATTEN], but got 'SQUASH'",
        ),
    ],
)
def test_a_result_writer_aws_rules_out_is_refused_at_load(writer: dict[str, Any], location: str, message: str) -> None:
    with pytest.raises(DefinitionError) as refused:
        StateMachine.from_dict(_map_with_writer(writer))
    assert refused.value.location == location and message in refused.value.message


def test_a_result_writer_on_an_inline_map_fails_naming_the_mode() -> None:
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b"}}
    run = StateMachine.from_dict(_map_with_writer(writer, "INLINE")).execute([1])
    assert run.error == "States.ResultWriterFailed" and "Mode is not DISTRIBUTED" in run.cause
