"""sns:publish on moto, against recorded AWS executions."""

from __future__ import annotations

import json

import pytest
import support

from sfnlocal import StateMachine

SERVICE = "v2__services__test_sns_task_service.py--TestTaskServiceSns--"
LOCAL = "v2__local_mocking__test_base_scenarios.py--TestBaseScenarios--"


@pytest.fixture
def subscribed(world):
    """A topic with a queue subscribed (raw delivery), to see what was published."""

    def make(name: str = "topic") -> tuple[str, str]:
        sns, sqs = world.client("sns"), world.client("sqs")
        fifo = name.endswith(".fifo")
        topic = sns.create_topic(Name=name, Attributes={"FifoTopic": "true"} if fifo else {})["TopicArn"]
        queue = sqs.create_queue(
            QueueName="inbox.fifo" if fifo else "inbox", Attributes={"FifoQueue": "true"} if fifo else {}
        )["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
        return topic, queue

    return make


def delivered(world, queue: str) -> str:
    return world.client("sqs").receive_message(QueueUrl=queue)["Messages"][0]["Body"]


@pytest.mark.parametrize("variant", ["1", "HelloWorld", "None", "True", "", "message1"])
def test_publish_a_json_message(world, subscribed, replay, same_sdk_metadata, variant):
    topic, queue = subscribed()
    name = f"{SERVICE}test_publish_base[{variant}].json"
    run = replay(name, {"TopicArn": topic, "Message": {"Message": "HelloWorld!"}})
    same_sdk_metadata(support.corpus_case(name)["expected"]["output"], run.output)
    assert delivered(world, queue) == '{"Message":"HelloWorld!"}'


@pytest.mark.parametrize(
    ("variant", "message"),
    [("HelloWorld", "HelloWorld"), ("_HelloWorld_", '"HelloWorld"'), ("__", "{}"), ("message_value3", {})],
)
def test_publish_with_message_attributes(world, subscribed, replay, variant, message):
    topic, queue = subscribed()
    replay(
        f"{SERVICE}test_publish_message_attributes[{variant}].json",
        {"TopicArn": topic, "Message": message, "MessageAttributeValue1": "Hello", "MessageAttributeValue2": "World!"},
    )
    assert delivered(world, queue) == (message if isinstance(message, str) else json.dumps(message))


def test_publish_base(world, subscribed, replay):
    topic, _ = subscribed()
    replay(f"{LOCAL}test_sns_publish_base.json", {"TopicArn": topic, "Message": {"message": "string-literal"}})


def test_a_fifo_topic_needs_a_message_group(subscribed, replay):
    topic, _ = subscribed("topic.fifo")
    replay(
        f"{SERVICE}test_fifo_message_attribute[input_params0-True].json",
        {"Message": {"Message": "HelloWorld!"}, "TopicArn": topic},
    )


def test_a_fifo_publish_with_a_group(subscribed, replay, same_sdk_metadata):
    topic, _ = subscribed("topic.fifo")
    name = f"{SERVICE}test_fifo_message_attribute[input_params1-False].json"
    run = replay(
        name,
        {
            "Message": {"Message": "HelloWorld!"},
            "MessageGroupId": "a-group",
            "MessageDeduplicationId": "dedup-1",
            "TopicArn": topic,
        },
    )
    same_sdk_metadata(support.corpus_case(name)["expected"]["output"], run.output)
    assert len(run.output["SequenceNumber"]) == 20


def test_a_missing_topic_fails_with_its_exception(world):
    definition = {
        "StartAt": "Publish",
        "States": {
            "Publish": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sns:publish",
                "End": True,
                "Parameters": {"TopicArn": f"arn:aws:sns:us-east-1:{world.account}:none", "Message": "x"},
            }
        },
    }
    run = StateMachine.from_dict(definition).execute({}, aws=world)
    assert run.error == "SNS.NotFoundException"
    assert "(Service: AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: " in run.cause
