"""sfnlocal serve's calls that wait: GetActivityTask's long poll and StartSyncExecution waiting for an Express
execution to end, with the engine's lock released meanwhile (other clients go on), through boto3 and the engine."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from sfnlocal.server.api import OPERATIONS
from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server, load_operations
from sfnlocal.testing.server_fixture import SfnServer

ROLE = "arn:aws:iam::123456789012:role/run"
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:Work"
WORK = json.dumps({"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": ACTIVITY, "End": True}}})


def call(engine: Engine, operation: str, **request: Any) -> dict[str, Any]:
    load_operations()
    return OPERATIONS[operation](engine, request)


@pytest.fixture
def server() -> Iterator[SfnServer]:
    engine = Engine(activity_poll_seconds=5)
    with Server(engine, port=0) as running:
        yield SfnServer(running)
    engine.close()


def poll_in_thread(client: Any, found: list[dict[str, Any]]) -> threading.Thread:
    thread = threading.Thread(target=lambda: found.append(client.get_activity_task(activityArn=ACTIVITY)))
    thread.start()
    return thread


def test_a_worker_polling_first_gets_the_task_once_an_execution_offers_it(server: SfnServer) -> None:
    client = server.client()
    client.create_activity(name="Work")
    machine = client.create_state_machine(name="Worker", definition=WORK, roleArn=ROLE)["stateMachineArn"]
    found: list[dict[str, Any]] = []
    began = time.monotonic()
    worker = poll_in_thread(server.client(), found)
    time.sleep(0.2)  # the worker waits inside GetActivityTask; the server still answers others meanwhile
    assert client.list_activities()["activities"][0]["name"] == "Work"
    execution = client.start_execution(stateMachineArn=machine, input='{"job": 7}')["executionArn"]
    worker.join(timeout=4)
    assert time.monotonic() - began < 4 and json.loads(found[0]["input"]) == {"job": 7}
    client.send_task_success(taskToken=found[0]["taskToken"], output='{"done": true}')
    assert client.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"


def test_a_poll_with_nothing_offered_answers_empty_after_the_poll_time() -> None:
    engine = Engine(activity_poll_seconds=0.3)
    call(engine, "CreateActivity", name="Work")
    began = time.monotonic()
    assert call(engine, "GetActivityTask", activityArn=ACTIVITY) == {}
    assert 0.29 <= time.monotonic() - began < 2


def test_closing_the_engine_answers_a_waiting_poll() -> None:
    engine = Engine(activity_poll_seconds=30)
    call(engine, "CreateActivity", name="Work")
    answers: list[dict[str, Any]] = []
    thread = threading.Thread(target=lambda: answers.append(call(engine, "GetActivityTask", activityArn=ACTIVITY)))
    thread.start()
    time.sleep(0.1)
    engine.close()
    thread.join(timeout=2)
    assert answers == [{}]


def test_start_sync_execution_waits_for_a_worker_to_answer(server: SfnServer) -> None:
    client = server.client()
    client.create_activity(name="Work")
    express = client.create_state_machine(name="Quick", definition=WORK, roleArn=ROLE, type="EXPRESS")
    found: list[dict[str, Any]] = []

    def worker() -> None:
        poller = server.client()
        found.append(poller.get_activity_task(activityArn=ACTIVITY))
        poller.send_task_success(taskToken=found[0]["taskToken"], output='{"answer": 42}')

    thread = threading.Thread(target=worker)
    thread.start()
    answered = client.start_sync_execution(stateMachineArn=express["stateMachineArn"], input="{}")
    thread.join(timeout=4)
    assert answered["status"] == "SUCCEEDED" and json.loads(answered["output"]) == {"answer": 42}
    assert answered["billingDetails"]["billedDurationInMilliseconds"] >= 100


def test_start_sync_execution_times_out_after_express_five_minutes_on_the_real_clock() -> None:
    engine = Engine(clock="real", wait_time_scale=0.001)  # five minutes last 300 ms
    try:
        call(engine, "CreateActivity", name="Work")
        machine = call(engine, "CreateStateMachine", name="Quick", definition=WORK, roleArn=ROLE, type="EXPRESS")[
            "stateMachineArn"
        ]
        began = time.monotonic()
        answered = call(engine, "StartSyncExecution", stateMachineArn=machine)
        assert 0.29 <= time.monotonic() - began < 3
        assert answered["status"] == "TIMED_OUT"
        assert (answered["stopDate"] - answered["startDate"]).total_seconds() == pytest.approx(300, abs=0.01)
    finally:
        engine.close()
