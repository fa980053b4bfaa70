"""RedriveExecution through a real server and boto3: AWS's rules (the API reference and the developer guide's
"Redriving executions"): a FAILED, TIMED_OUT or ABORTED Standard execution runs again from its unsuccessful step, the
steps that succeeded are not run again, the history goes on after ExecutionRedriven, the state machine's timeout
starts again, ``$$.Execution.RedriveCount`` counts, and a SUCCEEDED or RUNNING execution is refused with the reason
DescribeExecution gives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from sfnlocal import AwaitToken, Failure, Result, TaskRequest
from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server
from sfnlocal.server.store import SqliteStore
from sfnlocal.testing.server_fixture import SfnServer

ROLE = "arn:aws:iam::123456789012:role/run"


class Service:
    """Counts each state's invocations; ``Charge`` fails the first time, ``Ask`` waits for its token."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}

    def invoke(self, request: TaskRequest) -> Any:
        count = self.calls[request.state_name] = self.calls.get(request.state_name, 0) + 1
        if request.state_name == "Ask":
            return AwaitToken()
        if request.state_name == "Charge" and count == 1:
            return Failure("Card.Declined", "the first try")
        return Result({"state": request.state_name, "arguments": request.arguments})


def task(name: str, end: bool = False, **fields: Any) -> dict[str, Any]:
    pattern = ".waitForTaskToken" if name == "ask" else ""
    return {
        "Type": "Task",
        "Resource": f"arn:aws:states:::lambda:invoke{pattern}",
        "Parameters": {"FunctionName": name, "RedriveCount.$": "$$.Execution.RedriveCount"},
        **({"End": True} if end else {}),
        **fields,
    }


CHAIN = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": task("prepare", Next="Charge", ResultPath="$.prepared"),
        "Charge": task("charge", end=True, OutputPath="$.arguments"),
    },
}


def serve(service: Service, store: SqliteStore | None = None) -> Server:
    return Server(Engine(integration=service, store=store), port=0)


def client(server: Server) -> Any:
    return SfnServer(server).client()


@pytest.fixture
def service() -> Service:
    return Service()


@pytest.fixture
def sfn(service: Service) -> Iterator[Any]:
    with serve(service) as server:
        yield client(server)


def start(sfn: Any, definition: dict[str, Any], name: str = "m") -> str:
    machine = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
    return str(sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"])


def events(sfn: Any, arn: str) -> list[dict[str, Any]]:
    return list(sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"])


def test_the_failed_step_runs_again_and_the_steps_before_it_do_not(sfn: Any, service: Service) -> None:
    arn = start(sfn, CHAIN)
    failed = sfn.describe_execution(executionArn=arn)
    assert (failed["status"], failed["redriveStatus"], failed["redriveCount"]) == ("FAILED", "REDRIVABLE", 0)
    before = events(sfn, arn)
    redriven = sfn.redrive_execution(executionArn=arn)["redriveDate"]
    described = sfn.describe_execution(executionArn=arn)
    assert described["status"] == "SUCCEEDED"
    assert (described["redriveCount"], described["redriveDate"]) == (1, redriven)
    assert described["redriveStatus"] == "NOT_REDRIVABLE"
    assert described["redriveStatusReason"] == "Execution is SUCCEEDED and cannot be redriven"
    assert json.loads(described["output"]) == {"FunctionName": "charge", "RedriveCount": 1}
    assert described["startDate"] == failed["startDate"]  # the same execution: ARN, start and input
    assert service.calls == {"Prepare": 1, "Charge": 2}
    after = events(sfn, arn)
    assert after[: len(before)] == before  # the first attempt's events are kept as they were
    redrive = after[len(before)]
    assert redrive["type"] == "ExecutionRedriven" and redrive["id"] == len(before) + 1
    assert redrive["executionRedrivenEventDetails"] == {"redriveCount": 1}
    # The Task entered before the failure is not entered again: it is scheduled again (AWS: "reschedules and
    # then reruns the Task state").
    charge_entered = next(e["id"] for e in before if e.get("stateEnteredEventDetails", {}).get("name") == "Charge")
    rerun = after[len(before) + 1 :]
    assert [e["type"] for e in rerun] == [
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    # Linked to an event of Charge's first run (no recording shows which: sfnlocal links its last attempt's).
    assert charge_entered <= rerun[0]["previousEventId"] < len(before)
    assert [e["id"] for e in rerun] == list(range(len(before) + 2, len(after) + 1))
    assert all(e["timestamp"] >= redrive["timestamp"] for e in rerun)
    assert [e["redriveCount"] for e in sfn.list_executions(stateMachineArn=described["stateMachineArn"])["executions"]]


def test_what_aws_refuses_to_redrive(sfn: Any) -> None:
    machine = sfn.create_state_machine(
        name="done",
        definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
        roleArn=ROLE,
    )["stateMachineArn"]
    done = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    with pytest.raises(sfn.exceptions.ExecutionNotRedrivable, match="Execution is SUCCEEDED and cannot be redriven"):
        sfn.redrive_execution(executionArn=done)
    waiting = start(sfn, {"StartAt": "Ask", "States": {"Ask": task("ask", end=True)}}, name="waits")
    with pytest.raises(sfn.exceptions.ExecutionNotRedrivable, match="Execution is RUNNING and cannot be redriven"):
        sfn.redrive_execution(executionArn=waiting)
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.redrive_execution(executionArn=done + "-gone")


def test_a_failed_parallel_branch_runs_again_and_the_branch_that_had_succeeded_does_not(
    sfn: Any, service: Service
) -> None:
    parallel = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {"StartAt": "Prepare", "States": {"Prepare": task("prepare", end=True)}},
                    {"StartAt": "Charge", "States": {"Charge": task("charge", end=True)}},
                ],
            }
        },
    }
    arn = start(sfn, parallel)
    assert sfn.describe_execution(executionArn=arn)["status"] == "FAILED"
    sfn.redrive_execution(executionArn=arn)
    assert sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
    assert service.calls == {"Prepare": 1, "Charge": 2}
    types = [event["type"] for event in events(sfn, arn)]
    assert types.count("ParallelStateEntered") == 1 and types[-3:] == [
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "ExecutionSucceeded",
    ]


def test_an_aborted_execution_waits_again_for_its_token_and_a_timed_out_one_gets_its_timeout_again(
    sfn: Any, service: Service
) -> None:
    asking = {"StartAt": "Prepare", "States": {"Prepare": task("prepare", Next="Ask"), "Ask": task("ask", end=True)}}
    arn = start(sfn, asking)
    sfn.stop_execution(executionArn=arn, error="Stopped", cause="by the test")
    assert sfn.describe_execution(executionArn=arn)["status"] == "ABORTED"
    sfn.redrive_execution(executionArn=arn)
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    assert service.calls == {"Prepare": 1, "Ask": 2}
    scheduled = [e for e in events(sfn, arn) if e["type"] == "TaskScheduled"][-1]
    assert json.loads(scheduled["taskScheduledEventDetails"]["parameters"])["RedriveCount"] == 1

    timing_out = {"TimeoutSeconds": 30, **asking}
    late = start(sfn, timing_out, name="late")
    engine_clock = sfn.meta.endpoint_url  # the virtual clock: advanced through the admin call
    import urllib.request

    def advance(seconds: float) -> None:
        request = urllib.request.Request(
            f"{engine_clock}/sfnlocal/clock", data=json.dumps({"advanceSeconds": seconds}).encode(), method="POST"
        )
        urllib.request.urlopen(request).read()

    advance(31)
    assert sfn.describe_execution(executionArn=late)["status"] == "TIMED_OUT"
    sfn.redrive_execution(executionArn=late)
    assert sfn.describe_execution(executionArn=late)["status"] == "RUNNING"  # 30 s from the redrive, not the start
    advance(29)
    assert sfn.describe_execution(executionArn=late)["status"] == "RUNNING"
    advance(2)
    described = sfn.describe_execution(executionArn=late)
    assert (described["status"], described["redriveCount"]) == ("TIMED_OUT", 1)


def test_redrives_survive_a_restart(tmp_path: Path) -> None:
    database = str(tmp_path / "sfn.db")
    service = Service()
    with serve(service, SqliteStore(database)) as server:
        sfn = client(server)
        arn = start(sfn, CHAIN)
        assert sfn.describe_execution(executionArn=arn)["status"] == "FAILED"
    with serve(service, SqliteStore(database)) as server:  # redriven after a restart: its journal was kept
        sfn = client(server)
        sfn.redrive_execution(executionArn=arn)
        assert sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
        history = events(sfn, arn)
    assert service.calls == {"Prepare": 1, "Charge": 2}
    with serve(service, SqliteStore(database)) as server:
        sfn = client(server)
        assert events(sfn, arn) == history
        assert (
            sfn.list_executions(stateMachineArn=arn.replace(":execution:", ":stateMachine:").rsplit(":", 1)[0])[
                "executions"
            ][0]["redriveCount"]
            == 1
        )
        redriven = sfn.list_executions(
            stateMachineArn=arn.replace(":execution:", ":stateMachine:").rsplit(":", 1)[0], redriveFilter="REDRIVEN"
        )["executions"]
        assert [e["executionArn"] for e in redriven] == [arn]


def test_an_execution_that_ended_more_than_14_days_ago_is_not_redriven(sfn: Any) -> None:
    arn = start(sfn, CHAIN)
    import urllib.request

    request = urllib.request.Request(
        f"{sfn.meta.endpoint_url}/sfnlocal/clock",
        data=json.dumps({"advanceSeconds": timedelta(days=14, seconds=1).total_seconds()}).encode(),
        method="POST",
    )
    urllib.request.urlopen(request).read()
    with pytest.raises(sfn.exceptions.ExecutionNotRedrivable, match="Execution redrivable period exceeded"):
        sfn.redrive_execution(executionArn=arn)


class Declines:
    """Fails the first ``failures`` invocations of ``Charge`` for each item (``arguments["item"]``), answers the rest;
    counts the invocations per state and item."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: dict[tuple[str, Any], int] = {}

    def invoke(self, request: TaskRequest) -> Any:
        key = (request.state_name, request.arguments.get("item"))
        count = self.calls[key] = self.calls.get(key, 0) + 1
        if request.state_name == "Charge" and request.arguments.get("item") in (None, 2) and count <= self.failures:
            return Failure("Card.Declined", f"attempt {count}")
        return Result({"done": key[0]})


def charge(item: Any = None, **fields: Any) -> dict[str, Any]:
    parameters = {"FunctionName": "charge"} if item is None else {"FunctionName": "charge", "item.$": item}
    return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": parameters, **fields}


def test_a_failed_branch_first_in_a_parallel_runs_again_alone_with_its_retries_from_zero() -> None:
    # The failing branch comes first and fails after two attempts (one retry); the second branch's task is answered
    # after the first branch's failing state was entered. Redriven, only the failed task runs again, with its Retry
    # counting from zero (two more attempts: the second succeeds).
    declines = Declines(failures=4)
    retried = charge(Retry=[{"ErrorEquals": ["Card.Declined"], "MaxAttempts": 1, "IntervalSeconds": 1}], End=True)
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {"StartAt": "Charge", "States": {"Charge": retried}},
                    {"StartAt": "Ship", "States": {"Ship": charge(End=True)}},
                ],
            }
        },
    }
    with serve(declines) as server:  # type: ignore[arg-type]
        sfn = client(server)
        arn = start(sfn, definition)
        assert sfn.describe_execution(executionArn=arn)["status"] == "FAILED"
        assert declines.calls == {("Charge", None): 2, ("Ship", None): 1}
        sfn.redrive_execution(executionArn=arn)
        history = events(sfn, arn)
        assert sfn.describe_execution(executionArn=arn)["status"] == "FAILED"  # attempts 3 and 4 were declined too
        assert declines.calls == {("Charge", None): 4, ("Ship", None): 1}
        timestamps = [event["timestamp"] for event in history]
        assert timestamps == sorted(timestamps)
        redriven = next(index for index, event in enumerate(history) if event["type"] == "ExecutionRedriven")
        types = [event["type"] for event in history[redriven + 1 :]]
        assert types == ["TaskScheduled", "TaskStarted", "TaskFailed", "TaskScheduled", "TaskStarted", "TaskFailed"] + [
            "TaskStateAborted",
            "ParallelStateFailed",
            "ExecutionFailed",
        ]
        sfn.redrive_execution(executionArn=arn)
        described = sfn.describe_execution(executionArn=arn)
        assert (described["status"], described["redriveCount"]) == ("SUCCEEDED", 2)
        assert declines.calls == {("Charge", None): 5, ("Ship", None): 1}
        assert json.loads(described["output"]) == [{"done": "Charge"}, {"done": "Ship"}]


def test_only_the_failed_iteration_of_an_inline_map_runs_again() -> None:
    declines = Declines(failures=1)
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "End": True,
                "ItemProcessor": {"StartAt": "Charge", "States": {"Charge": charge("$", End=True)}},
            }
        },
    }
    with serve(declines) as server:  # type: ignore[arg-type]
        sfn = client(server)
        machine = sfn.create_state_machine(name="each", definition=json.dumps(definition), roleArn=ROLE)
        arn = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input="[1, 2, 3, 4]")["executionArn"]
        assert sfn.describe_execution(executionArn=arn)["status"] == "FAILED"
        before = dict(declines.calls)
        sfn.redrive_execution(executionArn=arn)
        described = sfn.describe_execution(executionArn=arn)
        assert described["status"] == "SUCCEEDED"
        assert json.loads(described["output"]) == [{"done": "Charge"}] * 4
        # Item 2 failed and ran again; items that had been answered were not asked again.
        again = {key: count - before.get(key, 0) for key, count in declines.calls.items()}
        assert again[("Charge", 2)] == 1 and again.get(("Charge", 1), 0) == 0
