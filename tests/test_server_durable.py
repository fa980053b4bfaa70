"""Durable executions in ``sfnlocal serve``: what a client was told survives a restart of the server, a clean one or
a ``kill -9``, through the real server and boto3.

A running execution is run again through its journal after the restart: it stands where it stood (the same
history, its task tokens and activity tasks still valid) without invoking its tasks again, and goes on when
answered. The kill -9 cases run ``sfnlocal serve`` as a user starts it, in a subprocess, with a template whose
Lambda handler writes a line per invocation to a file: every step ran exactly once across the crash.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from sfnlocal import AwaitToken, Result, TaskRequest
from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server
from sfnlocal.server.store import SqliteStore
from sfnlocal.testing.server_fixture import SfnServer

ROLE = "arn:aws:iam::123456789012:role/run"
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:Work"
QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/approvals"

# Price (a Lambda), Approve (waits for its token, sent in an SQS message), Ship (a Lambda).
APPROVAL = json.dumps(
    {
        "StartAt": "Price",
        "States": {
            "Price": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "ResultPath": "$.price",
                "Next": "Approve",
            },
            "Approve": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": QUEUE, "MessageBody": {"token.$": "$$.Task.Token", "order.$": "$.order"}},
                "ResultPath": "$.approval",
                "Next": "Ship",
            },
            "Ship": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True},
        },
    }
)


class Counting:
    """The server's integration for Price, Approve and Ship, counting the invocations it serves."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def invoke(self, request: TaskRequest) -> Any:
        self.calls.append(request.state_name)
        if request.state_name == "Approve":
            return AwaitToken()
        return Result({"price": 42} if request.state_name == "Price" else {"shipped": True})


@contextmanager
def serving(path: Path, **options: Any) -> Iterator[Any]:
    """A server on a free port keeping its state in the SQLite file ``path``, and a boto3 client of it; the server
    is closed cleanly (its store with it) at the end."""
    with Server(Engine(store=SqliteStore(str(path)), **options), port=0) as server:
        yield SfnServer(server).client()


def scheduled_token(sfn: Any, execution: str, state: str) -> str:
    """The task token in the parameters of ``state``'s last TaskScheduled event (``$$.Task.Token``)."""
    history = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
    entered = [event["id"] for event in history if event.get("stateEnteredEventDetails", {}).get("name") == state]
    scheduled = [e for e in history if e["type"] == "TaskScheduled" and e["id"] > entered[-1]]
    parameters = json.loads(scheduled[0]["taskScheduledEventDetails"]["parameters"])
    body = parameters.get("MessageBody", parameters.get("Payload"))
    return str(body["token"])


def history_of(sfn: Any, execution: str) -> list[dict[str, Any]]:
    return list(sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"])


# Clean restarts, in-process -----------------------------------------------------------------------------------


def test_an_execution_waiting_for_its_token_is_still_waiting_after_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "sfn.db"
    before = Counting()
    with serving(db, integration=before) as sfn:
        machine = sfn.create_state_machine(name="Approval", definition=APPROVAL, roleArn=ROLE)["stateMachineArn"]
        execution = sfn.start_execution(stateMachineArn=machine, name="order-7", input='{"order": 7}')["executionArn"]
        token = scheduled_token(sfn, execution, "Approve")
        history = history_of(sfn, execution)
        described = sfn.describe_execution(executionArn=execution)
    assert before.calls == ["Price", "Approve"] and described["status"] == "RUNNING"
    after = Counting()
    with serving(db, integration=after) as sfn:
        again = sfn.describe_execution(executionArn=execution)
        assert again == {**described, "ResponseMetadata": again["ResponseMetadata"]}
        assert history_of(sfn, execution) == history
        assert after.calls == []  # Price was not invoked again, nor Approve's message sent again
        sfn.send_task_success(taskToken=token, output='{"approved": true}')
        done = sfn.describe_execution(executionArn=execution)
        assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == {"shipped": True}
        events = history_of(sfn, execution)
        assert events[: len(history)] == history
        succeeded = [e for e in events if e["type"] == "TaskSucceeded" and e["id"] > len(history)]
        assert json.loads(succeeded[0]["taskSucceededEventDetails"]["output"]) == {"approved": True}
    assert after.calls == ["Ship"]
    with serving(db) as sfn:  # it ended: it is kept as it ended, nothing left to run again
        assert sfn.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"
        assert history_of(sfn, execution) == events


def test_the_token_of_an_execution_started_without_a_name_is_valid_after_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "sfn.db"
    with serving(db, integration=Counting()) as sfn:
        machine = sfn.create_state_machine(name="Approval", definition=APPROVAL, roleArn=ROLE)["stateMachineArn"]
        execution = sfn.start_execution(stateMachineArn=machine, input='{"order": 7}')["executionArn"]
        token = scheduled_token(sfn, execution, "Approve")
        history = history_of(sfn, execution)
    with serving(db, integration=Counting()) as sfn:
        assert history_of(sfn, execution) == history
        sfn.send_task_success(taskToken=token, output="{}")
        assert sfn.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"


def test_activity_tasks_taken_and_not_yet_taken_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "sfn.db"
    work = json.dumps({"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": ACTIVITY, "End": True}}})
    with serving(db, activity_poll_seconds=0.2) as sfn:
        sfn.create_activity(name="Work")
        machine = sfn.create_state_machine(name="Worker", definition=work, roleArn=ROLE)["stateMachineArn"]
        taken = sfn.start_execution(stateMachineArn=machine, name="taken", input='{"job": 1}')["executionArn"]
        task = sfn.get_activity_task(activityArn=ACTIVITY, workerName="before")
        assert json.loads(task["input"]) == {"job": 1}
        queued = sfn.start_execution(stateMachineArn=machine, name="queued", input='{"job": 2}')["executionArn"]
    with serving(db, activity_poll_seconds=0.2) as sfn:
        # The task nobody took yet is handed out now; the one taken before is not handed out again.
        offered = sfn.get_activity_task(activityArn=ACTIVITY, workerName="after")
        assert json.loads(offered["input"]) == {"job": 2}
        assert "taskToken" not in sfn.get_activity_task(activityArn=ACTIVITY, workerName="after")
        sfn.send_task_heartbeat(taskToken=task["taskToken"])
        sfn.send_task_success(taskToken=task["taskToken"], output='{"done": 1}')
        sfn.send_task_success(taskToken=offered["taskToken"], output='{"done": 2}')
        for execution, output in ((taken, {"done": 1}), (queued, {"done": 2})):
            described = sfn.describe_execution(executionArn=execution)
            assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", output)
        workers = [
            event["activityStartedEventDetails"]["workerName"]
            for execution in (taken, queued)
            for event in history_of(sfn, execution)
            if event["type"] == "ActivityStarted"
        ]
        assert workers == ["before", "after"]


def test_an_execution_in_a_wait_state_finishes_after_a_restart_on_the_real_clock(tmp_path: Path) -> None:
    db = tmp_path / "sfn.db"
    nap = json.dumps(
        {
            "StartAt": "Nap",
            "States": {"Nap": {"Type": "Wait", "Seconds": 30, "Next": "Done"}, "Done": {"Type": "Pass", "End": True}},
        }
    )
    options = {"clock": "real", "wait_time_scale": 0.01}  # 30 seconds of Wait last 0.3 s on the wall
    with serving(db, **options) as sfn:
        machine = sfn.create_state_machine(name="Napper", definition=nap, roleArn=ROLE)["stateMachineArn"]
        execution = sfn.start_execution(stateMachineArn=machine, name="nap", input='{"n": 1}')["executionArn"]
        assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    with serving(db, **options) as sfn:
        deadline = time.monotonic() + 5
        while sfn.describe_execution(executionArn=execution)["status"] == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.05)
        described = sfn.describe_execution(executionArn=execution)
        assert described["status"] == "SUCCEEDED" and json.loads(described["output"]) == {"n": 1}
        events = history_of(sfn, execution)
        entered, exited = (
            next(e["timestamp"] for e in events if e["type"] == kind)
            for kind in ("WaitStateEntered", "WaitStateExited")
        )
        assert (exited - entered).total_seconds() >= 30  # on the execution's clock, the Wait lasted its 30 seconds


DISTRIBUTED = json.dumps(
    {
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Map",
                "MaxConcurrency": 2,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Echo",
                    "States": {"Echo": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        },
    }
)


def test_versions_aliases_tags_and_map_runs_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "sfn.db"
    with serving(db, integration=Counting()) as sfn:
        machine = sfn.create_state_machine(
            name="Approval", definition=APPROVAL, roleArn=ROLE, publish=True, tags=[{"key": "team", "value": "a"}]
        )["stateMachineArn"]
        alias = sfn.create_state_machine_alias(
            name="live", routingConfiguration=[{"stateMachineVersionArn": machine + ":1", "weight": 100}]
        )["stateMachineAliasArn"]
        waiting = sfn.start_execution(stateMachineArn=alias, name="through-alias", input='{"order": 1}')["executionArn"]
        token = scheduled_token(sfn, waiting, "Approve")
        activity = sfn.create_activity(name="Work", tags=[{"key": "kind", "value": "worker"}])["activityArn"]
        sfn.tag_resource(resourceArn=machine, tags=[{"key": "env", "value": "dev"}])
        fanned = sfn.create_state_machine(name="Fanned", definition=DISTRIBUTED, roleArn=ROLE)["stateMachineArn"]
        execution = sfn.start_execution(stateMachineArn=fanned, name="fan", input="[1, 2, 3]")["executionArn"]
        [listed] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
        run = listed["mapRunArn"]
        sfn.update_map_run(mapRunArn=run, maxConcurrency=5, toleratedFailureCount=1)
        before = {
            "version": sfn.describe_state_machine(stateMachineArn=machine + ":1"),
            "alias": sfn.describe_state_machine_alias(stateMachineAliasArn=alias),
            "waiting": sfn.describe_execution(executionArn=waiting),
            "map run": sfn.describe_map_run(mapRunArn=run),
            "children": sfn.list_executions(mapRunArn=run)["executions"],
        }
    with serving(db, integration=Counting()) as sfn:
        for name, value in before.items():
            now = {
                "version": lambda: sfn.describe_state_machine(stateMachineArn=machine + ":1"),
                "alias": lambda: sfn.describe_state_machine_alias(stateMachineAliasArn=alias),
                "waiting": lambda: sfn.describe_execution(executionArn=waiting),
                "map run": lambda: sfn.describe_map_run(mapRunArn=run),
                "children": lambda: sfn.list_executions(mapRunArn=run)["executions"],
            }[name]()
            if isinstance(now, dict):
                now.pop("ResponseMetadata")
                value = {key: item for key, item in value.items() if key != "ResponseMetadata"}
            assert now == value, name
        assert before["waiting"]["stateMachineAliasArn"] == alias
        assert before["map run"]["maxConcurrency"] == 5 and before["map run"]["toleratedFailureCount"] == 1
        assert sfn.list_map_runs(executionArn=execution)["mapRuns"] == [listed]
        tags = sfn.list_tags_for_resource(resourceArn=machine)["tags"]
        assert sorted((tag["key"], tag["value"]) for tag in tags) == [("env", "dev"), ("team", "a")]
        assert sfn.list_tags_for_resource(resourceArn=activity)["tags"] == [{"key": "kind", "value": "worker"}]
        sfn.update_map_run(mapRunArn=run, toleratedFailurePercentage=50)
        sfn.send_task_success(taskToken=token, output="{}")
        assert sfn.describe_execution(executionArn=waiting)["status"] == "SUCCEEDED"
        listed_by_alias = sfn.list_executions(stateMachineArn=alias)["executions"]
        assert [item["executionArn"] for item in listed_by_alias] == [waiting]
    with serving(db) as sfn:  # UpdateMapRun made after the first restart survives the second
        assert sfn.describe_map_run(mapRunArn=run)["toleratedFailurePercentage"] == 50.0


# kill -9 of `sfnlocal serve` ------------------------------------------------------------------------------------

HANDLER = """
import json, os


def handler(event, context):
    # One line per invocation: the test counts them.
    with open(os.environ["COUNT_FILE"], "a") as out:
        out.write(json.dumps(event) + "\\n")
    return {"step": event["step"]}
"""

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Count:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: count
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          COUNT_FILE: {count_file}
"""


def invoke(step: str, wait: bool = False, then: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"step": step, "execution.$": "$$.Execution.Name"}
    if wait:
        payload["token.$"] = "$$.Task.Token"
    resource = "arn:aws:states:::lambda:invoke" + (".waitForTaskToken" if wait else "")
    state = {"Type": "Task", "Resource": resource, "Parameters": {"FunctionName": "count", "Payload": payload}}
    return {**state, "Next": then} if then else {**state, "End": True}


STEPS = json.dumps(
    {
        "StartAt": "One",
        "States": {
            "One": invoke("one", then="Two"),
            "Two": invoke("two", wait=True, then="Three"),
            "Three": invoke("three"),
        },
    }
)


@pytest.fixture
def app(tmp_path: Path) -> tuple[Path, Path]:
    """A SAM template whose function ``count`` appends its event to a file: (the template, the file)."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(HANDLER)
    count_file = tmp_path / "invocations.jsonl"
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE.format(count_file=count_file))
    return template, count_file


def invocations(count_file: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in count_file.read_text().splitlines()] if count_file.exists() else []


@contextmanager
def serve_process(db: Path, template: Path, log: Path) -> Iterator[tuple[subprocess.Popen[str], Any]]:
    """``sfnlocal serve --port 0 --db DB --template T --clock virtual`` in a subprocess, and a boto3 client of the
    endpoint it printed. Killed at the end if still running."""
    command = [sys.executable, "-c", "import sys; from sfnlocal.cli.main import main; sys.exit(main())", "serve"]
    options = ["--port", "0", "--db", str(db), "--template", str(template), "--clock", "virtual"]
    with log.open("a") as errors:
        process = subprocess.Popen([*command, *options], stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert " on http://127.0.0.1:" in line, line + log.read_text()
        url = line.split(" on ", 1)[1].split(" ", 1)[0]
        config = Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=10)
        client = boto3.client(
            "stepfunctions",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=config,
        )
        yield process, client
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()


def kill_9(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def test_after_kill_9_an_execution_resumes_without_losing_or_repeating_a_step(
    tmp_path: Path, app: tuple[Path, Path]
) -> None:
    template, count_file = app
    db, log = tmp_path / "sfn.db", tmp_path / "serve.log"
    with serve_process(db, template, log) as (process, sfn):
        machine = sfn.create_state_machine(name="Steps", definition=STEPS, roleArn=ROLE)["stateMachineArn"]
        execution = sfn.start_execution(stateMachineArn=machine, name="crash")["executionArn"]
        history = history_of(sfn, execution)
        assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
        kill_9(process)
    ran = invocations(count_file)
    assert [event["step"] for event in ran] == ["one", "two"]  # One ran, Two's Lambda got the token
    token = ran[1]["token"]
    with serve_process(db, template, log) as (process, sfn):
        assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
        assert history_of(sfn, execution) == history
        assert [event["step"] for event in invocations(count_file)] == ["one", "two"]  # neither ran again
        sfn.send_task_success(taskToken=token, output='{"approved": true}')
        described = sfn.describe_execution(executionArn=execution)
        assert described["status"] == "SUCCEEDED", log.read_text()
        assert json.loads(described["output"])["Payload"] == {"step": "three"}
    assert [event["step"] for event in invocations(count_file)] == ["one", "two", "three"]


BURST = json.dumps({"StartAt": "Two", "States": {"Two": invoke("two", wait=True)}})


def test_kill_9_during_a_burst_of_starts_and_answers_loses_nothing_a_client_was_told(
    tmp_path: Path, app: tuple[Path, Path]
) -> None:
    template, count_file = app
    db, log = tmp_path / "sfn.db", tmp_path / "serve.log"
    started: list[str] = []  # executions a client was told started
    answered: list[str] = []  # executions whose SendTaskSuccess a client was told succeeded
    lock = threading.Lock()
    crashed = threading.Event()

    def client_loop(sfn: Any, machine: str, worker: int) -> None:
        for index in range(1000):
            name = f"w{worker}-{index}"
            try:
                execution = sfn.start_execution(stateMachineArn=machine, name=name)["executionArn"]
                with lock:
                    started.append(execution)
                token = scheduled_token(sfn, execution, "Two")
                sfn.send_task_success(taskToken=token, output=json.dumps({"by": name}))
                with lock:
                    answered.append(execution)
            except Exception:  # the server is gone: connection refused or reset
                if crashed.is_set():
                    return
                raise

    with serve_process(db, template, log) as (process, sfn):
        machine = sfn.create_state_machine(name="Burst", definition=BURST, roleArn=ROLE)["stateMachineArn"]
        clients = [SfnClientThread(client_loop, sfn_of(sfn), machine, worker) for worker in range(4)]
        deadline = time.monotonic() + 5
        while len(answered) < 20 and time.monotonic() < deadline and all(c.error is None for c in clients):
            time.sleep(0.01)
        crashed.set()
        kill_9(process)
        for client in clients:
            client.join(timeout=10)
            assert client.error is None, client.error
    assert len(answered) >= 5  # the crash came in the middle of the clients' work
    with sqlite3.connect(db) as check:  # the file a crash left, before anything opens it again
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with serve_process(db, template, log) as (process, sfn):
        for execution in started:
            status = sfn.describe_execution(executionArn=execution)["status"]
            assert status == "SUCCEEDED" if execution in answered else status in ("RUNNING", "SUCCEEDED"), execution
        listed = {
            e["executionArn"] for e in sfn.list_executions(stateMachineArn=machine, maxResults=1000)["executions"]
        }
        assert set(started) <= listed
        # Each execution's Lambda ran once: not again when it was run again after the crash.
        names = [event["execution"] for event in invocations(count_file)]
        assert all(names.count(execution.rsplit(":", 1)[1]) == 1 for execution in started)
        process.send_signal(signal.SIGTERM)  # a clean stop: the store closed
        process.wait(timeout=10)
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def sfn_of(client: Any) -> Any:
    """Another boto3 client of the same endpoint (a client per thread)."""
    return boto3.client(
        "stepfunctions",
        endpoint_url=client.meta.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=10),
    )


class SfnClientThread(threading.Thread):
    """A thread running ``target(*args)``, keeping what it raised."""

    def __init__(self, target: Any, *args: Any) -> None:
        super().__init__(daemon=True)
        self._target_function, self._arguments = target, args
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self._target_function(*self._arguments)
        except BaseException as err:
            self.error = err
