"""The SQLite store of ``sfnlocal serve``, and what survives an engine's restart."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sfnlocal.server.operations  # noqa: F401 - registers the operations
from sfnlocal.server.api import OPERATIONS, ApiError
from sfnlocal.server.engine import Engine
from sfnlocal.server.store import SqliteStore

ROLE = "arn:aws:iam::123456789012:role/run"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:Work"
WORK = json.dumps({"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": ACTIVITY, "End": True}}})


def call(engine: Engine, operation: str, **request: Any) -> dict[str, Any]:
    return OPERATIONS[operation](engine, request)


def test_put_replace_delete_keep_the_order_and_datetimes(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "sfn.db"))
    moment = datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    store.put("machine", "b", {"when": moment, "nested": [{"n": 1}]})
    store.put("machine", "a", {"when": moment})
    store.put("machine", "b", {"when": moment, "changed": True})  # replaced in place
    store.put("activity", "a", {})
    assert store.items("machine") == [("b", {"when": moment, "changed": True}), ("a", {"when": moment})]
    store.delete("machine", "b")
    store.delete("machine", "absent")
    assert [arn for arn, _ in store.items("machine")] == ["a"] and store.items("activity") == [("a", {})]
    store.close()


def test_the_database_is_in_wal_mode_and_takes_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "sfn.db"
    store = SqliteStore(str(path))

    def write(worker: int) -> None:
        for index in range(50):
            store.put("execution", f"{worker}-{index}", {"i": index})

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.items("execution")) == 200
    store.close()
    with sqlite3.connect(path) as reader:
        assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_machines_activities_tags_and_finished_executions_survive_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "sfn.db")
    engine = Engine(store=SqliteStore(path))
    machine = call(engine, "CreateStateMachine", name="Orders", definition=PASS, roleArn=ROLE,
                   tags=[{"key": "team", "value": "a"}])["stateMachineArn"]  # fmt: skip
    activity = call(engine, "CreateActivity", name="Work")["activityArn"]
    done = call(engine, "StartExecution", stateMachineArn=machine, name="done", input='{"n": 1}')["executionArn"]
    worker = call(engine, "CreateStateMachine", name="Worker", definition=WORK, roleArn=ROLE)["stateMachineArn"]
    call(engine, "StartExecution", stateMachineArn=worker, name="waiting")
    call(engine, "UpdateStateMachine", stateMachineArn=machine, roleArn=ROLE + "2")
    call(engine, "DeleteStateMachine", stateMachineArn=worker)
    before = {
        "machine": call(engine, "DescribeStateMachine", stateMachineArn=machine),
        "activity": call(engine, "DescribeActivity", activityArn=activity),
        "execution": call(engine, "DescribeExecution", executionArn=done),
        "history": call(engine, "GetExecutionHistory", executionArn=done),
        "for execution": call(engine, "DescribeStateMachineForExecution", executionArn=done),
    }
    engine.close()

    restarted = Engine(store=SqliteStore(path))
    after = {
        "machine": call(restarted, "DescribeStateMachine", stateMachineArn=machine),
        "activity": call(restarted, "DescribeActivity", activityArn=activity),
        "execution": call(restarted, "DescribeExecution", executionArn=done),
        "history": call(restarted, "GetExecutionHistory", executionArn=done),
        "for execution": call(restarted, "DescribeStateMachineForExecution", executionArn=done),
    }
    assert after == before
    assert after["machine"]["roleArn"] == ROLE + "2" and after["for execution"]["roleArn"] == ROLE
    assert call(restarted, "ListTagsForResource", resourceArn=machine)["tags"] == [{"key": "team", "value": "a"}]
    assert [m["name"] for m in call(restarted, "ListStateMachines")["stateMachines"]] == ["Orders"]
    assert [e["name"] for e in call(restarted, "ListExecutions", stateMachineArn=machine)["executions"]] == ["done"]
    # The restored machine runs, and a finished execution's name stays taken.
    again = call(restarted, "StartExecution", stateMachineArn=machine, name="again")["executionArn"]
    assert call(restarted, "DescribeExecution", executionArn=again)["status"] == "SUCCEEDED"
    try:
        call(restarted, "StartExecution", stateMachineArn=machine, name="done", input='{"n": 1}')
    except ApiError as err:
        assert err.code == "ExecutionAlreadyExists"
    else:
        raise AssertionError("a finished execution's name was reused after a restart")
    restarted.close()
