"""aws-sdk:sfn:sendTaskSuccess/Failure/Heartbeat answer the running execution's own task tokens."""

from __future__ import annotations

import pytest

from sfnlocal import StateMachine
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.sdk_sfn import answer_task
from sfnlocal.language.resources import parse_resource

SDK = "v2__services__test_aws_sdk_task_service.py--TestTaskServiceAwsSdk--"


@pytest.mark.parametrize("template", ["state_machine_template0", "state_machine_template1"])
def test_an_unknown_token_is_refused_as_aws_refuses_it(replay, template):
    replay(f"{SDK}test_sfn_send_task_outcome_with_no_such_token[{template}].json")


def answering_machine(queue: str, answer: dict) -> StateMachine:
    """Branch 0 sends its token to ``queue`` and waits; branch 1 reads it there and answers with ``answer``."""
    ask = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "End": True,
        "HeartbeatSeconds": 60,
        "TimeoutSeconds": 600,
        "Parameters": {"QueueUrl": queue, "MessageBody": {"TaskToken.$": "$$.Task.Token"}},
    }
    receive = {
        "Type": "Task",
        "Resource": "arn:aws:states:::aws-sdk:sqs:receiveMessage",
        "Next": "Answer",
        "Parameters": {"QueueUrl": queue},
        "ResultSelector": {"Body.$": "States.StringToJson($.Messages[0].Body)"},
    }
    respond = {
        "Type": "Task",
        "Resource": f"arn:aws:states:::aws-sdk:sfn:{answer['action']}",
        "End": True,
        "Parameters": {"TaskToken.$": "$.Body.TaskToken", **answer["parameters"]},
    }
    return StateMachine.from_dict(
        {
            "StartAt": "Both",
            "States": {
                "Both": {
                    "Type": "Parallel",
                    "End": True,
                    "Branches": [
                        {"StartAt": "Ask", "States": {"Ask": ask}},
                        {"StartAt": "Receive", "States": {"Receive": receive, "Answer": respond}},
                    ],
                }
            },
        }
    )


@pytest.fixture
def queue(world) -> str:
    return world.client("sqs").create_queue(QueueName="approvals")["QueueUrl"]


def test_one_branch_answers_the_others_token_with_success(world, queue):
    machine = answering_machine(queue, {"action": "sendTaskSuccess", "parameters": {"Output": {"approved": True}}})
    run = machine.execute({}, aws=world)
    assert (run.status, run.output) == ("SUCCEEDED", [{"approved": True}, {}])


def test_output_given_as_json_text_is_parsed(world, queue):
    machine = answering_machine(queue, {"action": "sendTaskSuccess", "parameters": {"Output": '{"n": 1}'}})
    assert machine.execute({}, aws=world).output == [{"n": 1}, {}]


def test_output_that_is_not_json_is_refused(world, queue):
    run = answering_machine(queue, {"action": "sendTaskSuccess", "parameters": {"Output": "nope"}}).execute(
        {}, aws=world
    )
    assert run.error == "Sfn.InvalidOutputException"


def test_one_branch_fails_the_others_task(world, queue):
    machine = answering_machine(
        queue, {"action": "sendTaskFailure", "parameters": {"Error": "Rejected", "Cause": "no budget"}}
    )
    run = machine.execute({}, aws=world)
    assert (run.status, run.error, run.cause) == ("FAILED", "Rejected", "no budget")


def test_a_heartbeat_keeps_the_task_waiting(world, queue):
    run = answering_machine(queue, {"action": "sendTaskHeartbeat", "parameters": {}}).execute({}, aws=world)
    assert (run.status, run.error) == ("RUNNING", None)
    assert "TaskTimedOut" not in [event["type"] for event in run.history]


def test_a_missing_token_is_a_validation_error(world):
    machine = StateMachine.from_dict(
        {
            "StartAt": "Answer",
            "States": {
                "Answer": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:sfn:sendTaskSuccess",
                    "Parameters": {"Output": "{}"},
                    "End": True,
                }
            },
        }
    )
    run = machine.execute({}, aws=world)
    assert run.error == "Sfn.SfnException"
    assert run.cause.startswith(
        "1 validation error detected: Value null at 'taskToken' failed to satisfy "
        "constraint: Member must not be null (Service: Sfn, Status Code: 400"
    )


def test_outside_an_execution_the_call_goes_to_moto(world):
    call = ServiceCall(
        "Answer",
        parse_resource("arn:aws:states:::aws-sdk:sfn:sendTaskHeartbeat"),
        {"TaskToken": "t"},
        world.region,
        world.account,
        world,
    )
    assert answer_task(call).value == {}  # moto accepts any token
