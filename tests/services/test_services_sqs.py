"""sqs:sendMessage on moto, against recorded AWS executions."""

from __future__ import annotations

import pytest
import support

from sfnlocal import StateMachine

SERVICE = "v2__services__test_sqs_task_service.py--TestTaskServiceSqs--"
ERRORS = "v2__error_handling__test_task_service_sqs.py--TestTaskServiceSqs--"
LOCAL = "v2__local_mocking__test_base_scenarios.py--TestBaseScenarios--"


@pytest.fixture
def queue(world) -> str:
    return world.client("sqs").create_queue(QueueName="orders")["QueueUrl"]


def received(world, queue: str) -> dict:
    return world.client("sqs").receive_message(QueueUrl=queue, MessageAttributeNames=["All"])["Messages"][0]


def test_send_message(world, queue, replay, same_sdk_metadata):
    name = f"{LOCAL}test_sqs_send_message.json"
    run = replay(name, {"QueueUrl": queue, "MessageBody": "test_message_body"})
    same_sdk_metadata(support.corpus_case(name)["expected"]["output"], run.output)
    assert received(world, queue)["Body"] == "test_message_body"


def test_send_message_with_attributes(world, queue, replay, same_sdk_metadata):
    name = f"{SERVICE}test_send_message_attributes.json"
    run = replay(
        name,
        {
            "QueueUrl": queue,
            "Message": "test_message_body",
            "MessageAttributeValue1": "Hello",
            "MessageAttributeValue2": "World",
        },
    )
    same_sdk_metadata(support.corpus_case(name)["expected"]["output"], run.output)
    assert received(world, queue)["MessageAttributes"]["my_attribute_no_2"]["StringValue"] == "World"


def test_a_null_body_is_refused_as_sqs_refuses_it(queue, replay):
    replay(f"{ERRORS}test_send_message_empty_body.json", {"QueueUrl": queue, "MessageBody": None})


def test_a_missing_queue_fails_with_its_exception(world):
    definition = {
        "StartAt": "Send",
        "States": {
            "Send": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage",
                "End": True,
                "Parameters": {
                    "QueueUrl": f"https://sqs.us-east-1.amazonaws.com/{world.account}/none",
                    "MessageBody": "x",
                },
            }
        },
    }
    run = StateMachine.from_dict(definition).execute({}, aws=world)
    assert run.error == "SQS.QueueDoesNotExistException"
    assert "(Service: AmazonSQS; Status Code: 400; Error Code: AWS.SimpleQueueService.NonExistentQueue;" in run.cause


def test_wait_for_task_token_sends_the_token_and_waits(world, queue):
    definition = {
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "End": True,
                "Parameters": {"QueueUrl": queue, "MessageBody": {"Message": "txt", "TaskToken.$": "$$.Task.Token"}},
            }
        },
    }
    run = StateMachine.from_dict(definition).execute({}, aws=world)
    assert run.status == "RUNNING"
    body = received(world, queue)["Body"]
    assert body == f'{{"Message":"txt","TaskToken":"{run.task_tokens[0]}"}}'
    run.send_task_success(run.task_tokens[0], {"answer": 42})
    assert (run.status, run.output) == ("SUCCEEDED", {"answer": 42})
    assert [e["type"] for e in run.history][3:6] == ["TaskStarted", "TaskSubmitted", "TaskSucceeded"]
