"""The engine of ``sfnlocal serve``: each engine's machines and task tokens are its own, and concurrent
clients see each operation whole."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

import sfnlocal.server.operations  # noqa: F401 - registers the operations
from sfnlocal.interpreter import registry
from sfnlocal.server.api import OPERATIONS, ApiError
from sfnlocal.server.engine import Engine

ROLE = "arn:aws:iam::123456789012:role/run"
CHILD = "arn:aws:states:us-east-1:123456789012:stateMachine:Child"
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:Work"


def call(engine: Engine, operation: str, **request: Any) -> dict[str, Any]:
    return OPERATIONS[operation](engine, request)


def machine(engine: Engine, name: str, definition: dict[str, Any]) -> str:
    return str(
        call(engine, "CreateStateMachine", name=name, definition=json.dumps(definition), roleArn=ROLE)[
            "stateMachineArn"
        ]
    )


def test_child_executions_find_the_machines_of_their_own_engine() -> None:
    parent = {
        "StartAt": "Run",
        "States": {
            "Run": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": CHILD},
                "OutputPath": "$.Output",
                "End": True,
            }
        },
    }
    outputs = []
    for answer in ("first engine", "second engine"):
        engine = Engine(seed=3)
        machine(engine, "Child", {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": answer, "End": True}}})
        started = call(engine, "StartExecution", stateMachineArn=machine(engine, "Parent", parent))
        described = call(engine, "DescribeExecution", executionArn=started["executionArn"])
        outputs.append(json.loads(described["output"]))
    assert outputs == ["first engine", "second engine"]
    assert registry.current().find(CHILD) is None  # nothing leaked into the process's registry


def test_a_token_is_answered_only_by_the_engine_that_issued_it() -> None:
    work = {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": ACTIVITY, "End": True}}}
    issuing, other = Engine(seed=5), Engine(seed=5)
    for engine in (issuing, other):
        call(engine, "CreateActivity", name="Work")
    call(issuing, "StartExecution", stateMachineArn=machine(issuing, "Worker", work))
    token = call(issuing, "GetActivityTask", activityArn=ACTIVITY)["taskToken"]
    with pytest.raises(ApiError) as caught:
        call(other, "SendTaskSuccess", taskToken=token, output="{}")
    assert caught.value.code == "InvalidToken"
    assert call(issuing, "SendTaskSuccess", taskToken=token, output="{}") == {}


def test_concurrent_clients_start_and_describe_executions() -> None:
    engine = Engine()
    arn = machine(engine, "Orders", {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": True}}})
    failures: list[BaseException] = []

    def client(worker: int) -> None:
        try:
            for index in range(15):
                started = call(engine, "StartExecution", stateMachineArn=arn, name=f"w{worker}-{index}")
                described = call(engine, "DescribeExecution", executionArn=started["executionArn"])
                assert described["status"] == "SUCCEEDED"
        except BaseException as err:  # reported by the test's thread
            failures.append(err)

    threads = [threading.Thread(target=client, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    listed = call(engine, "ListExecutions", stateMachineArn=arn, maxResults=1000)["executions"]
    assert len({execution["name"] for execution in listed}) == 90


def test_an_unknown_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="clock 'sundial' is not one of real, virtual"):
        Engine(clock="sundial")
