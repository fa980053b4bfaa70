"""The API operations of ``sfnlocal serve``, called as the transport calls them (``OPERATIONS[name](engine,
request)``): AWS's semantics, response members and errors (AWS's API reference)."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any

import pytest

import sfnlocal.server.operations  # noqa: F401 - registers the operations
from sfnlocal.server.api import OPERATIONS, ApiError
from sfnlocal.server.engine import Engine

ROLE = "arn:aws:iam::123456789012:role/run"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
FAIL = json.dumps({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Broken", "Cause": "on purpose"}}})
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:Work"
WORK = json.dumps(
    {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": ACTIVITY, "HeartbeatSeconds": 60, "End": True}}}
)
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:"


def call(engine: Engine, operation: str, **request: Any) -> dict[str, Any]:
    return OPERATIONS[operation](engine, request)


def refused(engine: Engine, operation: str, **request: Any) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call(engine, operation, **request)
    return caught.value


@pytest.fixture
def engine() -> Engine:
    return Engine(seed=7, activity_poll_seconds=0)  # GetActivityTask answers at once when nothing waits


def create(engine: Engine, name: str, definition: str = PASS, **more: Any) -> str:
    return str(
        call(engine, "CreateStateMachine", name=name, definition=definition, roleArn=ROLE, **more)["stateMachineArn"]
    )


# State machines ----------------------------------------------------------------------------------------


def test_create_and_describe_a_state_machine(engine: Engine) -> None:
    created = call(engine, "CreateStateMachine", name="Orders", definition=PASS, roleArn=ROLE)
    assert created["stateMachineArn"] == MACHINE + "Orders"
    assert isinstance(created["creationDate"], datetime) and created["creationDate"].tzinfo is not None
    described = call(engine, "DescribeStateMachine", stateMachineArn=MACHINE + "Orders")
    assert described["name"] == "Orders" and described["status"] == "ACTIVE" and described["type"] == "STANDARD"
    assert described["definition"] == PASS and described["roleArn"] == ROLE
    assert described["loggingConfiguration"] == {"level": "OFF", "includeExecutionData": False}
    assert described["tracingConfiguration"] == {"enabled": False}
    assert described["creationDate"] == created["creationDate"]


def test_create_is_idempotent_for_the_same_definition_and_refuses_another(engine: Engine) -> None:
    first = call(engine, "CreateStateMachine", name="Orders", definition=PASS, roleArn=ROLE)
    # A different role is ignored, as AWS's API reference says.
    again = call(engine, "CreateStateMachine", name="Orders", definition=PASS, roleArn=ROLE + "2")
    assert again == first
    error = refused(engine, "CreateStateMachine", name="Orders", definition=FAIL, roleArn=ROLE)
    assert (error.code, error.message) == (
        "StateMachineAlreadyExists",
        f"State Machine Already Exists: '{MACHINE}Orders'",
    )
    error = refused(engine, "CreateStateMachine", name="Orders", definition=PASS, roleArn=ROLE, type="EXPRESS")
    assert error.code == "StateMachineAlreadyExists"


def test_create_refuses_a_bad_name_and_a_bad_definition(engine: Engine) -> None:
    error = refused(engine, "CreateStateMachine", name="a b", definition=PASS, roleArn=ROLE)
    assert (error.code, error.message) == ("InvalidName", "Invalid Name: 'a b'")
    wait = {"Type": "Wait", "Timestamp": "2016-12-05T21:29:29", "End": True}  # no offset: not RFC 3339
    bad = json.dumps({"StartAt": "W", "States": {"W": wait}})
    error = refused(engine, "CreateStateMachine", name="Bad", definition=bad, roleArn=ROLE)
    assert (error.code, error.message) == (
        "InvalidDefinition",
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at "
        "/States/W/Timestamp'",
    )
    error = refused(engine, "CreateStateMachine", name="Bad", definition="{", roleArn=ROLE)
    assert error.code == "InvalidDefinition"
    assert call(engine, "ListStateMachines")["stateMachines"] == []


def test_unknown_and_malformed_state_machine_arns(engine: Engine) -> None:
    error = refused(engine, "DescribeStateMachine", stateMachineArn=MACHINE + "Missing")
    assert (error.code, error.message) == (
        "StateMachineDoesNotExist",
        f"State Machine Does Not Exist: '{MACHINE}Missing'",
    )
    error = refused(engine, "DescribeStateMachine", stateMachineArn="not-an-arn")
    assert (error.code, error.message) == ("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: not-an-arn'")
    error = refused(engine, "DescribeStateMachine", stateMachineArn=ACTIVITY)
    assert (error.code, error.message) == (
        "InvalidArn",
        "Invalid Arn: 'Resource type not valid in this context: activity'",
    )


def test_update_keeps_running_executions_on_the_old_definition(engine: Engine) -> None:
    arn = create(engine, "Orders")
    first = call(engine, "StartExecution", stateMachineArn=arn, name="before")["executionArn"]
    before = call(engine, "DescribeStateMachine", stateMachineArn=arn)
    updated = call(engine, "UpdateStateMachine", stateMachineArn=arn, definition=FAIL)
    assert updated["updateDate"] >= before["creationDate"] and updated["revisionId"] != before["revisionId"]
    assert call(engine, "DescribeStateMachine", stateMachineArn=arn)["definition"] == FAIL
    assert call(engine, "DescribeStateMachineForExecution", executionArn=first)["definition"] == PASS
    second = call(engine, "StartExecution", stateMachineArn=arn, name="after")["executionArn"]
    assert call(engine, "DescribeExecution", executionArn=second)["status"] == "FAILED"
    assert call(engine, "DescribeStateMachineForExecution", executionArn=second)["definition"] == FAIL
    assert refused(engine, "UpdateStateMachine", stateMachineArn=arn).code == "MissingRequiredParameter"
    assert refused(engine, "UpdateStateMachine", stateMachineArn=arn, definition="{}").code == "InvalidDefinition"


def test_delete_and_list_state_machines_with_pages(engine: Engine) -> None:
    arns = [create(engine, f"M{index}") for index in range(5)]
    first = call(engine, "ListStateMachines", maxResults=2)
    assert [m["stateMachineArn"] for m in first["stateMachines"]] == arns[:2]
    assert set(first["stateMachines"][0]) == {"stateMachineArn", "name", "type", "creationDate"}
    second = call(engine, "ListStateMachines", maxResults=2, nextToken=first["nextToken"])
    third = call(engine, "ListStateMachines", maxResults=2, nextToken=second["nextToken"])
    assert [m["name"] for m in second["stateMachines"] + third["stateMachines"]] == ["M2", "M3", "M4"]
    assert "nextToken" not in third
    assert refused(engine, "ListStateMachines", nextToken="nonsense").code == "InvalidToken"
    assert call(engine, "DeleteStateMachine", stateMachineArn=arns[0]) == {}
    assert refused(engine, "DescribeStateMachine", stateMachineArn=arns[0]).code == "StateMachineDoesNotExist"
    assert len(call(engine, "ListStateMachines")["stateMachines"]) == 4


# Executions ----------------------------------------------------------------------------------------------


def test_start_and_describe_an_execution(engine: Engine) -> None:
    arn = create(engine, "Orders")
    started = call(engine, "StartExecution", stateMachineArn=arn, name="first", input='{"id": 1}')
    assert started["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:Orders:first"
    described = call(engine, "DescribeExecution", executionArn=started["executionArn"])
    assert described["status"] == "SUCCEEDED" and described["startDate"] == started["startDate"]
    assert described["input"] == '{"id": 1}' and json.loads(described["output"]) == {"id": 1}
    assert described["stopDate"] >= described["startDate"] and described["stateMachineArn"] == arn
    meta = call(engine, "DescribeExecution", executionArn=started["executionArn"], includedData="METADATA_ONLY")
    assert "input" not in meta and "output" not in meta and meta["inputDetails"] == {"included": False}
    failed = call(engine, "StartExecution", stateMachineArn=create(engine, "Failing", FAIL))["executionArn"]
    described = call(engine, "DescribeExecution", executionArn=failed)
    assert (described["status"], described["error"], described["cause"]) == ("FAILED", "Broken", "on purpose")
    assert described["input"] == "{}"  # StartExecution's default input


def test_start_execution_idempotency(engine: Engine) -> None:
    arn = create(engine, "Worker", WORK)
    started = call(engine, "StartExecution", stateMachineArn=arn, name="job", input="{}")
    # Same name and input as a RUNNING execution: the same execution (AWS's idempotency rule).
    assert call(engine, "StartExecution", stateMachineArn=arn, name="job", input="{}") == started
    error = refused(engine, "StartExecution", stateMachineArn=arn, name="job", input='{"other": 1}')
    assert (error.code, error.message) == (
        "ExecutionAlreadyExists",
        f"Execution Already Exists: '{started['executionArn']}'",
    )
    done = create(engine, "Done")
    call(engine, "StartExecution", stateMachineArn=done, name="once")
    # A closed execution's name cannot be reused, whatever the input.
    assert refused(engine, "StartExecution", stateMachineArn=done, name="once").code == "ExecutionAlreadyExists"


def test_start_execution_refusals(engine: Engine) -> None:
    arn = create(engine, "Orders")
    error = refused(engine, "StartExecution", stateMachineArn=arn, input='{"a" 1}')
    assert error.code == "InvalidExecutionInput"
    assert error.message.startswith("Invalid State Machine Execution Input: 'Unexpected character ('1' (code 49))")
    assert refused(engine, "StartExecution", stateMachineArn=arn, input="NaN").code == "InvalidExecutionInput"
    assert refused(engine, "StartExecution", stateMachineArn=arn, name="a/b").message == "Invalid Name: 'a/b'"
    error = refused(engine, "StartExecution", stateMachineArn=MACHINE + "Missing")
    assert error.code == "StateMachineDoesNotExist"


def test_express_executions(engine: Engine) -> None:
    arn = create(engine, "Quick", PASS, type="EXPRESS")
    started = call(engine, "StartExecution", stateMachineArn=arn, name="q", input='{"n": 1}')
    assert started["executionArn"].startswith("arn:aws:states:us-east-1:123456789012:express:Quick:q:")
    # AWS neither describes nor lists Express executions.
    assert refused(engine, "DescribeExecution", executionArn=started["executionArn"]).code == "InvalidArn"
    assert refused(engine, "ListExecutions", stateMachineArn=arn).code == "StateMachineTypeNotSupported"
    synced = call(engine, "StartSyncExecution", stateMachineArn=arn, input='{"n": 2}')
    assert synced["status"] == "SUCCEEDED" and json.loads(synced["output"]) == {"n": 2}
    assert synced["input"] == '{"n": 2}' and synced["stateMachineArn"] == arn
    assert synced["stopDate"] >= synced["startDate"]
    assert synced["billingDetails"]["billedMemoryUsedInMB"] == 64
    assert synced["billingDetails"]["billedDurationInMilliseconds"] % 100 == 0
    assert not any(key.startswith("redrive") for key in synced)
    error = refused(engine, "StartSyncExecution", stateMachineArn=create(engine, "Slow"))
    assert error.code == "StateMachineTypeNotSupported"


def test_list_executions_filters_most_recent_first_and_pages(engine: Engine) -> None:
    passing, failing = create(engine, "Orders"), create(engine, "Failing", FAIL)
    names = [f"run{index}" for index in range(5)]
    for name in names:
        call(engine, "StartExecution", stateMachineArn=passing, name=name)
    call(engine, "StartExecution", stateMachineArn=failing, name="other")
    listed = call(engine, "ListExecutions", stateMachineArn=passing)["executions"]
    assert [e["name"] for e in listed] == names[::-1]
    assert set(listed[0]) == {
        "executionArn",
        "stateMachineArn",
        "name",
        "status",
        "startDate",
        "stopDate",
        "redriveCount",
    }
    first = call(engine, "ListExecutions", stateMachineArn=passing, maxResults=3)
    rest = call(engine, "ListExecutions", stateMachineArn=passing, maxResults=3, nextToken=first["nextToken"])
    assert [e["name"] for e in first["executions"] + rest["executions"]] == names[::-1] and "nextToken" not in rest
    # A token is for the query that made it.
    error = refused(engine, "ListExecutions", stateMachineArn=failing, maxResults=3, nextToken=first["nextToken"])
    assert error.code == "InvalidToken"
    assert call(engine, "ListExecutions", stateMachineArn=passing, statusFilter="FAILED")["executions"] == []
    assert [
        e["name"] for e in call(engine, "ListExecutions", stateMachineArn=failing, statusFilter="FAILED")["executions"]
    ] == ["other"]


def test_get_execution_history_pages_reverses_and_leaves_out_data(engine: Engine) -> None:
    arn = create(engine, "Orders")
    execution = call(engine, "StartExecution", stateMachineArn=arn, input='{"secret": 1}')["executionArn"]
    events = call(engine, "GetExecutionHistory", executionArn=execution)["events"]
    assert [e["type"] for e in events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert events[0]["executionStartedEventDetails"]["input"] == '{"secret":1}'
    first = call(engine, "GetExecutionHistory", executionArn=execution, maxResults=3, reverseOrder=True)
    rest = call(
        engine,
        "GetExecutionHistory",
        executionArn=execution,
        maxResults=3,
        reverseOrder=True,
        nextToken=first["nextToken"],
    )
    assert [e["id"] for e in first["events"] + rest["events"]] == [4, 3, 2, 1]
    bare = call(engine, "GetExecutionHistory", executionArn=execution, includeExecutionData=False)["events"]
    assert (
        "input" not in bare[0]["executionStartedEventDetails"]
        and "output" not in bare[-1]["executionSucceededEventDetails"]
    )
    missing = execution.replace(":execution:Orders:", ":execution:Orders:x")
    error = refused(engine, "GetExecutionHistory", executionArn=missing)
    assert (error.code, error.message) == ("ExecutionDoesNotExist", f"Execution Does Not Exist: '{missing}'")


# Activities and task tokens ------------------------------------------------------------------------------


def test_an_activity_worker_takes_and_answers_a_task(engine: Engine) -> None:
    created = call(engine, "CreateActivity", name="Work")
    assert created["activityArn"] == ACTIVITY
    assert call(engine, "CreateActivity", name="Work") == created  # idempotent by name
    described = call(engine, "DescribeActivity", activityArn=ACTIVITY)
    assert described == {"activityArn": ACTIVITY, "name": "Work", "creationDate": created["creationDate"]}
    assert call(engine, "GetActivityTask", activityArn=ACTIVITY) == {}  # nothing waits yet
    execution = call(engine, "StartExecution", stateMachineArn=create(engine, "Worker", WORK), input='{"job": 1}')[
        "executionArn"
    ]
    assert call(engine, "DescribeExecution", executionArn=execution)["status"] == "RUNNING"
    task = call(engine, "GetActivityTask", activityArn=ACTIVITY, workerName="w1")
    assert json.loads(task["input"]) == {"job": 1}
    assert call(engine, "GetActivityTask", activityArn=ACTIVITY) == {}  # taken
    assert call(engine, "SendTaskHeartbeat", taskToken=task["taskToken"]) == {}
    assert call(engine, "SendTaskSuccess", taskToken=task["taskToken"], output='{"done": true}') == {}
    described = call(engine, "DescribeExecution", executionArn=execution)
    assert described["status"] == "SUCCEEDED" and json.loads(described["output"]) == {"done": True}
    types = [e["type"] for e in call(engine, "GetExecutionHistory", executionArn=execution)["events"]]
    assert types[2:5] == ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"]
    # The task has ended: AWS refuses a second answer as TaskTimedOut.
    error = refused(engine, "SendTaskSuccess", taskToken=task["taskToken"], output="{}")
    assert (error.code, error.message) == ("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")


def test_task_failure_and_unknown_tokens(engine: Engine) -> None:
    call(engine, "CreateActivity", name="Work")
    execution = call(engine, "StartExecution", stateMachineArn=create(engine, "Worker", WORK))["executionArn"]
    token = call(engine, "GetActivityTask", activityArn=ACTIVITY)["taskToken"]
    error = refused(engine, "SendTaskSuccess", taskToken=token, output="not json")
    assert error.code == "InvalidOutput"
    assert call(engine, "SendTaskFailure", taskToken=token, error="Bad", cause="worker gave up") == {}
    described = call(engine, "DescribeExecution", executionArn=execution)
    assert (described["status"], described["error"], described["cause"]) == ("FAILED", "Bad", "worker gave up")
    error = refused(engine, "SendTaskSuccess", taskToken="never-issued", output="{}")
    assert (error.code, error.message) == ("InvalidToken", "Invalid Token: 'Invalid token'")


def test_stop_execution(engine: Engine) -> None:
    execution = call(engine, "StartExecution", stateMachineArn=create(engine, "Worker", WORK))["executionArn"]
    stopped = call(engine, "StopExecution", executionArn=execution, error="Halt", cause="by hand")
    described = call(engine, "DescribeExecution", executionArn=execution)
    assert (described["status"], described["error"], described["cause"]) == ("ABORTED", "Halt", "by hand")
    assert described["stopDate"] == stopped["stopDate"]
    assert call(engine, "GetExecutionHistory", executionArn=execution)["events"][-1]["type"] == "ExecutionAborted"
    assert call(engine, "StopExecution", executionArn=execution) == stopped  # already ended: nothing changes


def test_delete_and_list_activities(engine: Engine) -> None:
    arns = [call(engine, "CreateActivity", name=f"A{index}")["activityArn"] for index in range(3)]
    assert [a["activityArn"] for a in call(engine, "ListActivities")["activities"]] == arns
    assert call(engine, "DeleteActivity", activityArn=arns[0]) == {}
    error = refused(engine, "DescribeActivity", activityArn=arns[0])
    assert (error.code, error.message) == ("ActivityDoesNotExist", f"Activity Does Not Exist: '{arns[0]}'")
    assert refused(engine, "GetActivityTask", activityArn=arns[0]).code == "ActivityDoesNotExist"
    assert refused(engine, "CreateActivity", name="a b").code == "InvalidName"


# Definitions, TestState, tags, mock files -----------------------------------------------------------------


def test_validate_state_machine_definition(engine: Engine) -> None:
    assert call(engine, "ValidateStateMachineDefinition", definition=PASS) == {
        "result": "OK",
        "diagnostics": [],
        "truncated": False,
    }
    bad = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})
    answered = call(engine, "ValidateStateMachineDefinition", definition=bad, maxResults=0)
    assert answered["result"] == "FAIL" and answered["diagnostics"][0]["code"] == "MISSING_TRANSITION_TARGET"


def test_test_state(engine: Engine) -> None:
    state = json.dumps({"Type": "Pass", "Parameters": {"id.$": "$.order"}, "Next": "Ship"})
    answered = call(engine, "TestState", definition=state, roleArn=ROLE, input='{"order": 42}')
    assert (answered["status"], answered["output"], answered["nextState"]) == ("SUCCEEDED", '{"id":42}', "Ship")
    error = refused(engine, "TestState", definition=json.dumps({"Type": "Pass", "Next": 3}), roleArn=ROLE)
    assert error.code == "InvalidDefinition"


def test_tags(engine: Engine) -> None:
    arn = create(engine, "Orders", tags=[{"key": "team", "value": "a"}])
    assert call(engine, "ListTagsForResource", resourceArn=arn) == {"tags": [{"key": "team", "value": "a"}]}
    call(engine, "TagResource", resourceArn=arn, tags=[{"key": "team", "value": "b"}, {"key": "env", "value": "dev"}])
    call(engine, "UntagResource", resourceArn=arn, tagKeys=["env", "absent"])
    assert call(engine, "ListTagsForResource", resourceArn=arn) == {"tags": [{"key": "team", "value": "b"}]}
    error = refused(engine, "ListTagsForResource", resourceArn=MACHINE + "Missing")
    assert error.code == "ResourceNotFound"
    many = [{"key": f"k{index}", "value": ""} for index in range(51)]
    assert refused(engine, "TagResource", resourceArn=arn, tags=many).code == "TooManyTags"
    activity = call(engine, "CreateActivity", name="Work", tags=[{"key": "k", "value": "v"}])["activityArn"]
    assert call(engine, "ListTagsForResource", resourceArn=activity)["tags"] == [{"key": "k", "value": "v"}]


def test_a_mock_file_test_case_serves_the_tasks(tmp_path: Any) -> None:
    lambda_task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True,
                   "Parameters": {"FunctionName": "charge"}}  # fmt: skip
    definition = json.dumps({"StartAt": "Charge", "States": {"Charge": lambda_task}})
    mock_file = {
        "StateMachines": {"Billing": {"TestCases": {"Paid": {"Charge": "Ok"}}}},
        "MockedResponses": {"Ok": {"0": {"Return": {"StatusCode": 200, "Payload": {"paid": True}}}}},
    }
    engine = Engine(mock_config=mock_file, seed=1)
    arn = create(engine, "Billing", definition)
    execution = call(engine, "StartExecution", stateMachineArn=arn + "#Paid")["executionArn"]
    described = call(engine, "DescribeExecution", executionArn=execution)
    assert described["status"] == "SUCCEEDED" and json.loads(described["output"])["Payload"] == {"paid": True}
    assert refused(engine, "StartExecution", stateMachineArn=arn + "#Unknown").code == "ValidationException"


# Through the HTTP server, with real boto3 ------------------------------------------------------------------


def test_boto3_worker_thread_answers_an_activity_through_the_server() -> None:
    from sfnlocal.server.http import Server
    from sfnlocal.testing.server_fixture import SfnServer

    with Server(Engine(), port=0) as server:
        client = SfnServer(server).client()
        client.create_activity(name="Work")
        arn = client.create_state_machine(name="Worker", definition=WORK, roleArn=ROLE)["stateMachineArn"]
        execution = client.start_execution(stateMachineArn=arn, input='{"job": 7}')["executionArn"]

        def worker() -> None:
            task = SfnServer(server).client().get_activity_task(activityArn=ACTIVITY, workerName="thread")
            answer = {"doubled": json.loads(task["input"])["job"] * 2}
            SfnServer(server).client().send_task_success(taskToken=task["taskToken"], output=json.dumps(answer))

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join(timeout=30)
        described = client.describe_execution(executionArn=execution)
        assert described["status"] == "SUCCEEDED" and json.loads(described["output"]) == {"doubled": 14}
        history = client.get_execution_history(executionArn=execution, reverseOrder=True, maxResults=1)
        assert history["events"][0]["type"] == "ExecutionSucceeded" and "nextToken" in history
        with pytest.raises(client.exceptions.ExecutionAlreadyExists):
            name = execution.rsplit(":", 1)[1]
            client.start_execution(stateMachineArn=arn, name=name, input='{"job": 7}')
