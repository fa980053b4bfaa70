"""A map run's record of its child executions: names and ARNs as AWS forms them, summaries, DescribeMapRun's shape."""

from __future__ import annotations

import uuid
from collections.abc import Generator
from random import Random
from typing import Any

import pytest

from sfnlocal import StateMachine
from sfnlocal.interpreter.history import Lane
from sfnlocal.interpreter.states.map_run import STANDARD, MapRun
from sfnlocal.language.errors import StatesError


def new_run(total: int) -> MapRun:
    return MapRun("us-east-1", "111111111111", "orders", "TestMap", "arn:exec", Random(1), 10.0, STANDARD, 5, total, 1)


def finish(generator: Generator[Any, Any, Any]) -> Any:
    try:
        next(generator)
    except StopIteration as stop:
        return stop.value
    raise AssertionError("the child did not finish at once")


def body(value: Any, fail: bool = False) -> Any:
    def run(lane: Lane) -> Generator[Any, Any, Any]:
        lane.emit("PassStateEntered", "stateEnteredEventDetails", {"name": "P", "input": value})
        lane.emit("PassStateExited", "stateExitedEventDetails", {"name": "P", "output": value})
        if fail:
            raise StatesError("Boom", "it broke")
        return value
        yield  # a generator

    return run


def test_names_and_arns_follow_aws() -> None:
    run = new_run(2)
    assert run.arn.startswith("arn:aws:states:us-east-1:111111111111:mapRun:orders/TestMap:")
    assert run.state_machine_arn == "arn:aws:states:us-east-1:111111111111:stateMachine:orders/TestMap"
    name = run.child_name(0)
    assert uuid.UUID(name).version == 3  # as AWS's child names (e.g. da4e9fc7-abab-3b27-...)
    assert run.child_arn(0) == f"arn:aws:states:us-east-1:111111111111:execution:orders/TestMap:{name}"
    assert run.child_name(1) != name and new_run(2).child_name(0) == name  # distinct, deterministic


def test_children_summaries_and_counts() -> None:
    run = new_run(3)
    clock = iter([11.0, 12.0, 13.0, 14.0]).__next__
    assert finish(run.child(0, body({"a": 1}), clock)()) == {"a": 1}
    with pytest.raises(StatesError):
        finish(run.child(1, body("x", fail=True), clock)())
    counts = run.describe()["itemCounts"]
    assert (counts["succeeded"], counts["failed"], counts["pending"], counts["total"]) == (1, 1, 1, 3)
    run.finish("FAILED", 20.0)
    described = run.describe()
    assert described["status"] == "FAILED" and described["executionCounts"] == described["itemCounts"]
    assert (described["maxConcurrency"], described["toleratedFailureCount"]) == (5, 1)
    assert described["toleratedFailurePercentage"] == 0.0
    assert described["startDate"].timestamp() == 10.0 and described["stopDate"].timestamp() == 20.0
    succeeded = run.entry(0)
    assert succeeded == {
        "ExecutionArn": run.child_arn(0),
        "Input": '{"a":1}',
        "InputDetails": {"Included": True},
        "Name": run.child_name(0),
        "Output": '{"a":1}',
        "OutputDetails": {"Included": True},
        "RedriveCount": 0,
        "RedriveStatus": "NOT_REDRIVABLE",
        "RedriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
        "StartDate": "1970-01-01T00:00:11.000Z",
        "StateMachineArn": run.state_machine_arn,
        "Status": "SUCCEEDED",
        "StopDate": "1970-01-01T00:00:12.000Z",
    }
    failed = run.entry(1)
    assert (failed["Status"], failed["Error"], failed["Cause"], failed["Input"]) == (
        "FAILED",
        "Boom",
        "it broke",
        '"x"',
    )
    assert "Output" not in failed
    assert run.entry(2)["Status"] == "PENDING"


def test_a_cancelled_child_is_aborted() -> None:
    run = new_run(1)

    def waits(lane: Lane) -> Generator[Any, Any, Any]:
        yield "park"

    child = run.child(0, waits, lambda: 1.0)()
    next(child)
    child.close()
    assert run.describe()["itemCounts"]["aborted"] == 1


def test_with_batches_item_counts_count_items_and_execution_counts_children() -> None:
    # DescribeMapRun: itemCounts are "the item count for each processing status", executionCounts the child
    # workflow executions'; with an ItemBatcher each child runs a batch of items.
    sm = StateMachine.from_dict(
        {
            "StartAt": "Each",
            "States": {
                "Each": {
                    "Type": "Map",
                    "ItemBatcher": {"MaxItemsPerBatch": 2},
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
    [described] = sm.execute([1, 2, 3, 4, 5]).map_runs
    assert (described["itemCounts"]["total"], described["itemCounts"]["succeeded"]) == (5, 5)
    assert (described["executionCounts"]["total"], described["executionCounts"]["succeeded"]) == (3, 3)


def _waiting_map(fields: dict[str, Any]) -> dict[str, Any]:
    """A Distributed Map of STANDARD children that each wait a minute."""
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "W",
        "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}},
    }
    return {"Type": "Map", "ItemsPath": "$.xs", "ItemProcessor": processor, **fields}


@pytest.mark.parametrize("cancelled_by", ["execution timeout", "failed sibling branch"])
def test_a_run_cancelled_with_its_map_state_is_aborted(cancelled_by: str) -> None:
    # DescribeMapRun's status of a run stopped before it ended is ABORTED (never RUNNING once its execution ended).
    if cancelled_by == "execution timeout":
        definition = {"StartAt": "M", "TimeoutSeconds": 5, "States": {"M": _waiting_map({"End": True})}}
    else:
        failing = {
            "StartAt": "W2",
            "States": {"W2": {"Type": "Wait", "Seconds": 5, "Next": "F"}, "F": {"Type": "Fail"}},
        }
        branches = [{"StartAt": "M", "States": {"M": _waiting_map({"End": True})}}, failing]
        definition = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": branches, "End": True}}}
    run = StateMachine.from_dict(definition).execute({"xs": [1, 2]})
    assert run.status in ("TIMED_OUT", "FAILED")
    [map_run] = run.map_runs
    assert map_run["status"] == "ABORTED" and "stopDate" in map_run
    assert (map_run["executionCounts"]["aborted"], map_run["executionCounts"]["running"]) == (2, 0)
    types = [event["type"] for event in run.history]
    if cancelled_by == "execution timeout":  # only the execution's own event, as for <Type>StateAborted
        assert "MapRunAborted" not in types and "MapStateAborted" not in types
    else:  # the run is aborted, then its Map state
        assert types.index("MapRunAborted") + 1 == types.index("MapStateAborted")


def test_a_run_that_fails_stays_failed_though_it_aborts_its_other_children() -> None:
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                **_waiting_map({"End": True}),
                "ItemSelector": {"v.$": "$$.Map.Item.Value"},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "C",
                    "States": {
                        "C": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$.v", "NumericEquals": 1, "Next": "F"}],
                            "Default": "W",
                        },
                        "F": {"Type": "Fail", "Error": "Boom"},
                        "W": {"Type": "Wait", "Seconds": 60, "End": True},
                    },
                },
            }
        },
    }
    run = StateMachine.from_dict(definition).execute({"xs": [1, 2, 3]})
    [map_run] = run.map_runs
    assert (run.error, map_run["status"]) == ("Boom", "FAILED")
    assert (map_run["executionCounts"]["failed"], map_run["executionCounts"]["aborted"]) == (1, 2)
