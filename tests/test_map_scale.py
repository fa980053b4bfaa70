"""A Distributed Map at scale: children are executions of their own (their states are counted in the parent, not
listed), iteration bodies are made as children start, the ResultWriter's files are written as children finish (in
item order), and each child is reachable from the parent's result as DescribeExecution shapes it, with the history
(as GetExecutionHistory shapes its events) of the first and of the failed STANDARD children."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Generator
from typing import Any

import pytest

from sfnlocal import AwsWorld, StateMachine
from sfnlocal.interpreter.children import run_children
from sfnlocal.interpreter.scheduler import Scheduler
from sfnlocal.interpreter.states.map_run import KEPT_FAILED_HISTORIES, KEPT_HISTORIES


def distributed(states: dict[str, Any], start: str, execution_type: str = "STANDARD", **fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": execution_type},
                    "StartAt": start,
                    "States": states,
                },
                "End": True,
                **fields,
            }
        },
    }


PASS = {"P": {"Type": "Pass", "End": True}}
# Fails for an item {"fail": true}, passes the others through.
FAILS_SOME = {
    "Check": {
        "Type": "Choice",
        "Choices": [{"Variable": "$.fail", "BooleanEquals": True, "Next": "Boom"}],
        "Default": "Done",
    },
    "Boom": {"Type": "Fail", "Error": "Item.Bad", "Cause": "bad item"},
    "Done": {"Type": "Pass", "End": True},
}


# Children are executions of their own ---------------------------------------------------------------------------


def test_children_states_are_counted_not_listed_in_the_parent() -> None:
    run = StateMachine.from_dict(distributed(PASS, "P")).execute([1, 2, 3])
    assert run.succeeded and run.output == [1, 2, 3]
    assert run.path == ["Map"]
    assert [entry.name for entry in run.timeline] == ["Map"]
    assert {location for _, location, _ in run.observations} == {"/States/Map"}
    assert run.child_state_counts == {"P": 3}
    processor = "/States/Map/ItemProcessor/States/P"
    assert run.child_observation_counts == {
        ("iteration", "/States/Map", None): 3,
        ("transition", processor, None): 3,
    }
    # The parent's history has the map run's events only (AWS's parent history shows no child state).
    types = [event["type"] for event in run.history]
    assert "PassStateEntered" not in types and "MapRunStarted" in types


def test_a_parallel_state_in_a_child_records_in_the_childs_history_not_the_parents() -> None:
    states = {
        "Both": {
            "Type": "Parallel",
            "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}],
            "End": True,
        }
    }
    run = StateMachine.from_dict(distributed(states, "Both")).execute([7])
    assert run.succeeded and run.output == [[7]]
    assert not any(event["type"].startswith("Parallel") for event in run.history)
    [child] = run.map_run_children(run.map_runs[0]["mapRunArn"])
    assert [event["type"] for event in child["history"]] == [
        "ExecutionStarted",
        "ParallelStateEntered",
        "ParallelStateStarted",
        "PassStateEntered",
        "PassStateExited",
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "ExecutionSucceeded",
    ]


def test_the_transition_limit_applies_to_each_child_on_its_own() -> None:
    # Each child enters one state; the parent none but the Map: 50 children pass a limit of 5.
    run = StateMachine.from_dict(distributed(PASS, "P")).execute(list(range(50)), transition_limit=5)
    assert run.succeeded and len(run.output) == 50
    looping = {"Loop": {"Type": "Pass", "Next": "Loop"}}
    run = StateMachine.from_dict(distributed(looping, "Loop")).execute([1], transition_limit=5)
    assert run.status == "FAILED"
    [child] = run.map_run_children(run.map_runs[0]["mapRunArn"])
    assert child["status"] == "FAILED" and child["error"] == "sfnlocal.TransitionLimitExceeded"


# Bodies made as children start ----------------------------------------------------------------------------------


class CountingBodies:
    """Bodies made on demand; notes which were asked for, and when."""

    def __init__(self, total: int, log: list[str]) -> None:
        self.total, self.log = total, log

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: int) -> Any:
        self.log.append(f"made {index}")

        def body() -> Generator[Any, Any, Any]:
            self.log.append(f"ran {index}")
            return index * 10
            yield  # a generator

        return body()


def test_run_children_makes_each_body_when_it_starts() -> None:
    scheduler = Scheduler(0.0)
    log: list[str] = []
    outcome: dict[str, Any] = {}

    def parent() -> Generator[Any, Any, Any]:
        outcome["results"] = yield from run_children(scheduler, CountingBodies(4, log), max_concurrency=2)
        outcome["uncollected"] = yield from run_children(scheduler, CountingBodies(2, []), collect=False)

    scheduler.spawn(parent(), lambda fiber: None)
    scheduler.run()
    assert outcome == {"results": [0, 10, 20, 30], "uncollected": []}
    # Two made at first (MaxConcurrency 2); the third only once the first has run.
    assert log[:3] == ["made 0", "made 1", "ran 0"]
    assert log.index("made 2") > log.index("ran 0")


def test_memory_per_item_stays_small() -> None:
    # Issue 14: a million items in 1.5 GiB. Without a ResultWriter the results array is the output; what else
    # is kept per child (its summary) must stay far below the 1.3 KiB per item that target leaves.
    items = list(range(4_000))
    machine = StateMachine.from_dict(distributed(PASS, "P", "EXPRESS", MaxConcurrency=100))
    machine.execute(items[:10])  # warm up (compiled paths, caches)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        run = machine.execute(items)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert run.succeeded and run.child_state_counts == {"P": len(items)}
    assert kept / len(items) < 400, f"{kept / len(items):.0f} bytes kept per item"


# Children reachable from the parent's result ---------------------------------------------------------------------


# GetExecutionHistory's event fields (API reference, HistoryEvent) and DescribeExecution's response fields.
EVENT_KEYS = {"timestamp", "type", "id", "previousEventId"}
DESCRIBE_KEYS = {"executionArn", "stateMachineArn", "name", "status", "startDate", "stopDate", "mapRunArn"}


def test_children_as_describe_execution_shapes_them() -> None:
    items = [{"fail": index in (3, KEPT_HISTORIES + 2)} for index in range(KEPT_HISTORIES + 5)]
    definition = distributed(FAILS_SOME, "Check", ToleratedFailureCount=5)
    run = StateMachine.from_dict(definition).execute(items)
    assert run.succeeded
    [map_run] = run.map_runs
    children = run.map_run_children(map_run["mapRunArn"])
    assert [child["index"] for child in children] == list(range(len(items)))
    first = children[0]
    assert DESCRIBE_KEYS <= set(first)
    assert first["executionArn"].startswith(map_run["mapRunArn"].replace(":mapRun:", ":execution:").rsplit(":", 1)[0])
    assert first["executionArn"].endswith(":" + first["name"]) and first["mapRunArn"] == map_run["mapRunArn"]
    assert (first["status"], first["input"], first["output"]) == ("SUCCEEDED", '{"fail":false}', '{"fail":false}')
    assert first["inputDetails"] == first["outputDetails"] == {"included": True}
    failed = children[3]
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "Item.Bad", "bad item")
    assert "output" not in failed
    # Histories: the first KEPT_HISTORIES children, and the failed ones after them; not the other ones.
    kept = [child["index"] for child in children if "history" in child]
    assert kept == [*range(KEPT_HISTORIES), KEPT_HISTORIES + 2]
    events = first["history"]
    assert all(EVENT_KEYS <= set(event) for event in events)
    assert events[0]["type"] == "ExecutionStarted" and events[0]["previousEventId"] == 0
    assert json.loads(events[0]["executionStartedEventDetails"]["input"]) == {"fail": False}
    assert events[0]["executionStartedEventDetails"]["inputDetails"] == {"truncated": False}
    assert events[1]["type"] == "ChoiceStateEntered" and events[1]["previousEventId"] == 0
    assert events[-1]["type"] == "ExecutionSucceeded"
    assert json.loads(events[-1]["executionSucceededEventDetails"]["output"]) == {"fail": False}
    failed_events = children[KEPT_HISTORIES + 2]["history"]
    assert failed_events[-1]["type"] == "ExecutionFailed"
    assert failed_events[-1]["executionFailedEventDetails"] == {"error": "Item.Bad", "cause": "bad item"}
    assert [event["id"] for event in failed_events] == list(range(1, len(failed_events) + 1))


def test_the_failed_histories_kept_are_bounded() -> None:
    items = [{"fail": True}] * (KEPT_HISTORIES + KEPT_FAILED_HISTORIES + 5)
    run = StateMachine.from_dict(distributed(FAILS_SOME, "Check", ToleratedFailurePercentage=100)).execute(items)
    assert run.succeeded
    children = run.map_run_children(run.map_runs[0]["mapRunArn"])
    assert sum("history" in child for child in children) == KEPT_HISTORIES + KEPT_FAILED_HISTORIES


def test_express_children_have_no_history() -> None:
    # AWS keeps no execution history for EXPRESS executions (only their CloudWatch logs).
    run = StateMachine.from_dict(distributed(PASS, "P", "EXPRESS")).execute([1, 2])
    children = run.map_run_children(run.map_runs[0]["mapRunArn"])
    assert [child["status"] for child in children] == ["SUCCEEDED", "SUCCEEDED"]
    assert not any("history" in child for child in children)


def test_an_unknown_map_run_is_refused_naming_the_known_ones() -> None:
    run = StateMachine.from_dict(distributed(PASS, "P")).execute([1])
    with pytest.raises(KeyError, match="is not a map run of this execution .its map runs: arn:aws:states:"):
        run.map_run_children("arn:aws:states:us-east-1:123456789012:mapRun:x/y:z")


# The ResultWriter's files, written as children finish -------------------------------------------------------------


def test_result_files_list_children_in_item_order_whatever_order_they_finish_in() -> None:
    # Item i waits 5 - i seconds: the children finish in the reverse order of their items.
    states = {"Wait": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Check"}, **FAILS_SOME}
    items = [{"wait": 5 - index, "fail": index % 2 == 1, "n": index} for index in range(5)]
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}}
    definition = distributed(states, "Wait", ResultWriter=writer, ToleratedFailurePercentage=100)
    with AwsWorld() as world:
        s3 = world.client("s3")
        s3.create_bucket(Bucket="out")
        run = StateMachine.from_dict(definition).execute(items, aws=world)
        assert run.succeeded, run.cause
        details = run.output["ResultWriterDetails"]
        manifest = json.loads(s3.get_object(Bucket="out", Key=details["Key"])["Body"].read())

        def entries(status: str) -> list[dict[str, Any]]:
            [file] = manifest["ResultFiles"][status]
            body = s3.get_object(Bucket="out", Key=file["Key"])["Body"].read()
            assert len(body) == file["Size"]
            return list(json.loads(body))

        succeeded, failed = entries("SUCCEEDED"), entries("FAILED")
    assert [json.loads(entry["Output"])["n"] for entry in succeeded] == [0, 2, 4]
    assert [json.loads(entry["Input"])["n"] for entry in failed] == [1, 3]
    assert manifest["ResultFiles"]["PENDING"] == []
    [map_run] = run.map_runs
    assert map_run["itemCounts"]["resultsWritten"] == 5
    # Once written, a child's input and output are let go: described as not included, as AWS says of data it omits.
    children = run.map_run_children(map_run["mapRunArn"])
    assert children[0]["inputDetails"] == children[0]["outputDetails"] == {"included": False}
    assert "input" not in children[0] and "output" not in children[0]
