"""Callbacks (.waitForTaskToken), activities and nested executions, on the virtual clock.

AWS behaviour followed: SendTaskSuccess/Failure/Heartbeat semantics and the InvalidToken/TaskTimedOut
refusals (Step Functions API reference), recorded TaskSubmitted/ActivityStarted events, and the recorded
shapes of states:startExecution(.sync/.sync:2) results and failures.
"""

from __future__ import annotations

import json

import pytest
from support import machine

from sfnlocal import Result, StateMachine, TaskTokenError, mocks
from sfnlocal.integrations.aws import registry

ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:approve"


def types(run) -> list[str]:
    return [event["type"] for event in run.history]


@pytest.fixture
def served_queue(monkeypatch: pytest.MonkeyPatch):
    """A stand-in sqs:sendMessage integration, so these tests do not depend on moto's SQS."""
    sent = []

    def send_message(call):
        sent.append(call.arguments)
        return Result({"MessageId": f"m-{len(sent)}"})

    registry._load_builtin_integrations()  # so that none of them replaces the stand-in later
    monkeypatch.setitem(registry._HANDLERS, ("sqs", "sendMessage"), send_message)
    return sent


def callback_machine(**task) -> StateMachine:
    return StateMachine.from_dict(
        machine(
            {
                "Ask": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token", "order.$": "$.order"}},
                    "Next": "Done",
                    **task,
                },
                "Done": {"Type": "Succeed"},
            }
        )
    )


def test_a_callback_suspends_the_execution_until_answered(served_queue) -> None:
    run = callback_machine().execute({"order": 7})
    assert run.status == "RUNNING"
    token = run.task_tokens[0]
    assert served_queue == [{"QueueUrl": "q", "MessageBody": {"token": token, "order": 7}}]
    assert types(run)[-1] == "TaskSubmitted"
    run.send_task_success(token, {"approved": True})
    assert (run.status, run.output) == ("SUCCEEDED", {"approved": True})
    assert types(run)[2:7] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited"]


def test_send_task_failure_fails_the_task(served_queue) -> None:
    run = callback_machine().execute({"order": 7})
    run.send_task_failure(run.task_tokens[0], "Rejected", "no stock")
    assert (run.status, run.error, run.cause) == ("FAILED", "Rejected", "no stock")


def test_used_and_unknown_tokens_are_refused_as_aws_refuses_them(served_queue) -> None:
    run = callback_machine().execute({"order": 7})
    token = run.task_tokens[0]
    run.send_task_success(token, {})
    with pytest.raises(TaskTokenError) as used:
        run.send_task_success(token, {})
    assert used.value.code == "TaskTimedOut"
    with pytest.raises(TaskTokenError) as unknown:
        run.send_task_heartbeat("not-a-token")
    assert unknown.value.code == "InvalidToken"


def test_heartbeats_keep_a_task_alive_and_silence_times_it_out(served_queue) -> None:
    run = callback_machine(HeartbeatSeconds=60, TimeoutSeconds=600).execute({"order": 7})
    token = run.task_tokens[0]
    run.advance(50).send_task_heartbeat(token).advance(50)  # 100 s in, but the heartbeat restarted the 60 s
    assert run.status == "RUNNING"
    run.advance(20)
    assert (run.status, run.error) == ("FAILED", "States.Timeout")
    assert (run.stop_date - run.start_date).total_seconds() == 110
    assert "TaskTimedOut" in types(run)


def test_a_mock_answers_a_callback_after_a_virtual_delay() -> None:
    run = callback_machine(TimeoutSeconds=600).execute({"order": 7}, mocks={"Ask": mocks.returns({"ok": 1}, after=300)})
    assert run.output == {"ok": 1}
    assert (run.stop_date - run.start_date).total_seconds() == 300


def test_an_activity_waits_for_a_worker() -> None:
    sm = StateMachine.from_dict(
        machine({"Approve": {"Type": "Task", "Resource": ACTIVITY, "TimeoutSeconds": 600, "End": True}})
    )
    run = sm.execute({"amount": 5})
    assert run.status == "RUNNING"
    assert run.waiting_activities == [
        {"activityArn": ACTIVITY, "stateName": "Approve", "executionArn": run.execution_arn}
    ]
    assert run.waiting_tasks == []  # no token is handed out before a worker takes the task
    assert run.get_activity_task("arn:aws:states:us-east-1:123456789012:activity:other") is None
    task = run.get_activity_task(ACTIVITY, worker_name="alice")
    assert json.loads(task["input"]) == {"amount": 5}
    assert run.waiting_activities == [] and [t["taskToken"] for t in run.waiting_tasks] == [task["taskToken"]]
    run.send_task_success(task["taskToken"], {"approved": True})
    assert run.output == {"approved": True}
    started = next(e for e in run.history if e["type"] == "ActivityStarted")
    assert started["activityStartedEventDetails"] == {"workerName": "alice"}
    assert types(run) == [
        "ExecutionStarted",
        "TaskStateEntered",
        "ActivityScheduled",
        "ActivityStarted",
        "ActivitySucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]


def test_an_activity_nobody_takes_times_out_when_time_passes() -> None:
    sm = StateMachine.from_dict(
        machine({"Approve": {"Type": "Task", "Resource": ACTIVITY, "TimeoutSeconds": 60, "End": True}})
    )
    run = sm.execute({}).advance(3600)
    assert (run.status, run.error) == ("FAILED", "States.Timeout")
    assert types(run)[-2] == "ActivityTimedOut"


def test_activities_can_be_mocked() -> None:
    sm = StateMachine.from_dict(machine({"Approve": {"Type": "Task", "Resource": ACTIVITY, "End": True}}))
    assert sm.execute({}, mocks={"Approve": mocks.returns("yes")}).output == "yes"


CHILD = {
    "StartAt": "W",
    "States": {
        "W": {"Type": "Wait", "Seconds": 60, "Next": "P"},
        "P": {"Type": "Pass", "Result": {"Arg1": "argument1"}, "End": True},
    },
}


def parent(resource: str, child_arn: str) -> StateMachine:
    return StateMachine.from_dict(
        machine(
            {
                "Start": {
                    "Type": "Task",
                    "Resource": resource,
                    "Parameters": {
                        "StateMachineArn": child_arn,
                        "Input": {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"},
                        "Name": "TestStartTarget",
                    },
                    "End": True,
                }
            }
        ),
        name="Parent",
    )


def test_start_execution_sync_returns_the_description_with_json_text() -> None:
    # Recorded (test_start_execution_sync): Output is JSON text; TaskSubmitted holds the start response.
    child = StateMachine.from_dict(CHILD, name="Child")
    run = parent("arn:aws:states:::states:startExecution.sync", child.arn).execute({})
    assert run.output["Output"] == '{"Arg1":"argument1"}'
    assert run.output["Status"] == "SUCCEEDED"
    assert json.loads(run.output["Input"]) == {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": run.execution_arn}
    assert set(run.output) == {
        "ExecutionArn",
        "Input",
        "InputDetails",
        "Name",
        "Output",
        "OutputDetails",
        "StartDate",
        "StateMachineArn",
        "Status",
        "StopDate",
    }
    assert (run.stop_date - run.start_date).total_seconds() == 60  # the child's Wait, on the parent's clock
    assert "TaskSubmitted" in types(run)


def test_start_execution_sync2_returns_json_values() -> None:
    child = StateMachine.from_dict(CHILD, name="Child")
    run = parent("arn:aws:states:::states:startExecution.sync:2", child.arn).execute({})
    assert run.output["Output"] == {"Arg1": "argument1"}


def test_a_failed_child_fails_the_task_with_its_description() -> None:
    # Recorded (test_start_execution_sync_delegate_failure): States.TaskFailed, cause = the description.
    child = StateMachine.from_dict(
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "SomeFailure", "Cause": "why"}}}, name="FailingChild"
    )
    run = parent("arn:aws:states:::states:startExecution.sync", child.arn).execute({})
    assert run.error == "States.TaskFailed"
    cause = json.loads(run.cause)
    assert (cause["Status"], cause["Error"], cause["Cause"]) == ("FAILED", "SomeFailure", "why")


def test_request_response_start_and_unknown_machine() -> None:
    child = StateMachine.from_dict(CHILD, name="Child")
    run = parent("arn:aws:states:::states:startExecution", child.arn).execute({})
    assert run.output["ExecutionArn"] == "arn:aws:states:us-east-1:123456789012:execution:Child:TestStartTarget"
    missing = parent("arn:aws:states:::states:startExecution", child.arn + "Gone").execute({})
    assert missing.error == "StepFunctions.StateMachineDoesNotExistException"
