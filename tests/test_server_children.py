"""Child executions through the server: an execution a StartExecution task starts is an execution of its own, as on
AWS (ListExecutions of its state machine lists it, DescribeExecution and GetExecutionHistory serve it, StopExecution
stops it and its parent's ``.sync`` task learns it); it is kept across restarts with its parent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sfnlocal import AwaitToken, TaskRequest
from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server
from sfnlocal.server.store import SqliteStore
from sfnlocal.testing.server_fixture import SfnServer

ROLE = "arn:aws:iam::123456789012:role/run"
CHILD = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "ask", "Payload": {"token.$": "$$.Task.Token"}},
            "End": True,
        }
    },
}


class Asking:
    """Every Ask waits for its token."""

    def invoke(self, request: TaskRequest) -> Any:
        return AwaitToken() if request.state_name == "Ask" else None


def serving(database: Path) -> Server:
    return Server(Engine(store=SqliteStore(str(database)), integration=Asking()), port=0)


def client(server: Server) -> Any:
    return SfnServer(server).client()


def machines(sfn: Any) -> tuple[str, str]:
    child = sfn.create_state_machine(name="Approve", definition=json.dumps(CHILD), roleArn=ROLE)["stateMachineArn"]
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": child, "Input": {"order.$": "$.order"}},
        "End": True,
    }
    parent = sfn.create_state_machine(
        name="Order", definition=json.dumps({"StartAt": "Approve", "States": {"Approve": task}}), roleArn=ROLE
    )["stateMachineArn"]
    return child, parent


def token_of(sfn: Any, execution: str) -> str:
    events = sfn.get_execution_history(executionArn=execution)["events"]
    scheduled = next(event for event in events if event["type"] == "TaskScheduled")
    return str(json.loads(scheduled["taskScheduledEventDetails"]["parameters"])["Payload"]["token"])


def test_a_child_execution_is_listed_described_and_answered_and_survives_a_restart(tmp_path: Path) -> None:
    database = tmp_path / "sfn.db"
    with serving(database) as server:
        sfn = client(server)
        child_machine, parent_machine = machines(sfn)
        parent = sfn.start_execution(stateMachineArn=parent_machine, input='{"order": 7}')["executionArn"]
        [listed] = sfn.list_executions(stateMachineArn=child_machine)["executions"]
        child = listed["executionArn"]
        assert listed["status"] == "RUNNING"
        described = sfn.describe_execution(executionArn=child)
        assert described["stateMachineArn"] == child_machine
        assert json.loads(described["input"])["order"] == 7
        assert sfn.describe_state_machine_for_execution(executionArn=child)["name"] == "Approve"
        history = sfn.get_execution_history(executionArn=child)["events"]
    with serving(database) as server:  # both resume: the child runs inside its parent
        sfn = client(server)
        assert sfn.get_execution_history(executionArn=child)["events"] == history
        sfn.send_task_success(taskToken=token_of(sfn, child), output='{"approved": true}')
        assert sfn.describe_execution(executionArn=child)["status"] == "SUCCEEDED"
        parent_described = sfn.describe_execution(executionArn=parent)
        assert parent_described["status"] == "SUCCEEDED"
        assert json.loads(parent_described["output"])["Output"] == {"approved": True}
    with serving(database) as server:
        sfn = client(server)
        assert sfn.describe_execution(executionArn=child)["status"] == "SUCCEEDED"


def test_stopping_a_child_execution_fails_its_parents_sync_task(tmp_path: Path) -> None:
    database = tmp_path / "sfn.db"
    with serving(database) as server:
        sfn = client(server)
        child_machine, _ = machines(sfn)
        # The parent catches its task's failure and then waits for a token of its own: it is still running when
        # the server restarts, so it is run again through its journal, where the stop was made on the child.
        caught = {
            "Type": "Task",
            "Resource": "arn:aws:states:::states:startExecution.sync:2",
            "Parameters": {"StateMachineArn": child_machine, "Input": {"order.$": "$.order"}},
            "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.failure", "Next": "Ask"}],
            "End": True,
        }
        parent_machine = sfn.create_state_machine(
            name="Careful",
            definition=json.dumps({"StartAt": "Approve", "States": {"Approve": caught, **CHILD["States"]}}),
            roleArn=ROLE,
        )["stateMachineArn"]
        parent = sfn.start_execution(stateMachineArn=parent_machine, input='{"order": 8}')["executionArn"]
        [listed] = sfn.list_executions(stateMachineArn=child_machine)["executions"]
        sfn.stop_execution(executionArn=listed["executionArn"], error="Cancelled", cause="by an operator")
        assert sfn.describe_execution(executionArn=listed["executionArn"])["status"] == "ABORTED"
        assert sfn.describe_execution(executionArn=parent)["status"] == "RUNNING"
        history = sfn.get_execution_history(executionArn=parent, maxResults=1000)["events"]
        assert [event["type"] for event in history][-3:] == ["TaskStateEntered", "TaskScheduled", "TaskStarted"]
    with serving(database) as server:
        sfn = client(server)
        assert sfn.describe_execution(executionArn=listed["executionArn"])["status"] == "ABORTED"
        assert sfn.describe_execution(executionArn=parent)["status"] == "RUNNING"
        assert sfn.get_execution_history(executionArn=parent, maxResults=1000)["events"] == history
