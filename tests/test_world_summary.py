"""What an application left in the in-process AWS world, read after a run: ``world_summary``, the SNS messages
published and the EventBridge events put (sfnlocal.integrations.aws.inventory).

Expected values follow AWS's documented behaviour: SQS's ApproximateNumberOfMessages (visible),
ApproximateNumberOfMessagesNotVisible (received, not deleted) and ApproximateNumberOfMessagesDelayed; a message
received more than maxReceiveCount times moves to the queue's dead-letter queue; S3 lists keys in UTF-8 binary
order; every account has a ``default`` event bus; an entry PutEvents refuses is not put on the bus.
"""

from __future__ import annotations

import json

import pytest

from sfnlocal import AwsWorld
from sfnlocal.integrations.aws.event_sources import RELAY_PREFIX
from sfnlocal.integrations.aws.inventory import (
    MAX_KEYS,
    events_put,
    published_messages,
    record_put_events,
    summary_lines,
    world_summary,
)

EMPTY = {"queues": {}, "tables": {}, "buckets": {}, "topics": {}, "event_buses": {}}
ARN = "arn:aws:sqs:us-east-1:123456789012:{}"


@pytest.fixture()
def world():
    with AwsWorld() as started:
        yield started


def test_a_world_never_started_is_empty_and_stays_stopped() -> None:
    world = AwsWorld()
    assert world_summary(world) == EMPTY
    assert events_put(world) == []
    with pytest.raises(KeyError, match="its topics: none"):
        published_messages(world, "alerts")
    assert not world.started


def test_a_fresh_world_has_only_the_default_event_bus(world: AwsWorld) -> None:
    assert world_summary(world) == {**EMPTY, "event_buses": {"default": {"events": 0, "rules": 0}}}
    assert summary_lines(world_summary(world)) == []


def test_queues_count_visible_in_flight_and_delayed_messages(world: AwsWorld) -> None:
    sqs = world.client("sqs")
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    for number in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=str(number))
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=900)
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=600)
    assert world_summary(world)["queues"] == {"orders": {"messages": 2, "in_flight": 1, "delayed": 1}}


def test_a_message_received_too_often_is_counted_in_the_dead_letter_queue(world: AwsWorld) -> None:
    sqs = world.client("sqs")
    sqs.create_queue(QueueName="orders-dlq")
    redrive = {"deadLetterTargetArn": ARN.format("orders-dlq"), "maxReceiveCount": 1}
    url = sqs.create_queue(QueueName="orders", Attributes={"RedrivePolicy": json.dumps(redrive)})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="poison")
    sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)  # received once: maxReceiveCount reached
    sqs.receive_message(QueueUrl=url)  # the next receive moves it to the dead-letter queue
    assert world_summary(world)["queues"] == {
        "orders": {"messages": 0, "in_flight": 0, "delayed": 0, "dead_letter_queue": "orders-dlq"},
        "orders-dlq": {"messages": 1, "in_flight": 0, "delayed": 0, "dead_letter_for": ["orders"]},
    }


def test_the_event_pumps_relay_queues_are_not_the_applications(world: AwsWorld) -> None:
    sqs = world.client("sqs")
    sqs.create_queue(QueueName="orders")
    sqs.create_queue(QueueName=f"{RELAY_PREFIX}0-placed")
    assert list(world_summary(world)["queues"]) == ["orders"]


def test_tables_count_their_items(world: AwsWorld) -> None:
    dynamodb = world.client("dynamodb")
    for name in ("shipments", "audit"):
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    for number in range(3):
        dynamodb.put_item(TableName="shipments", Item={"id": {"S": f"s-{number}"}})
    assert world_summary(world)["tables"] == {"audit": {"items": 0}, "shipments": {"items": 3}}


def test_buckets_list_their_first_keys_and_count_them_all(world: AwsWorld) -> None:
    s3 = world.client("s3")
    s3.create_bucket(Bucket="results")
    s3.create_bucket(Bucket="empty")
    keys = [f"run/{number:02d}.json" for number in range(MAX_KEYS + 5)]
    for key in reversed(keys):
        s3.put_object(Bucket="results", Key=key, Body=b"{}")
    assert world_summary(world)["buckets"] == {
        "empty": {"objects": 0, "keys": []},
        "results": {"objects": MAX_KEYS + 5, "keys": keys[:MAX_KEYS]},
    }


def test_topics_count_what_was_published_and_the_messages_can_be_read(world: AwsWorld) -> None:
    sns = world.client("sns")
    arn = sns.create_topic(Name="alerts")["TopicArn"]
    sns.create_topic(Name="quiet")
    inbox = world.client("sqs").create_queue(QueueName="inbox")["QueueUrl"]
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=ARN.format("inbox"))
    first = sns.publish(TopicArn=arn, Message="disk full", Subject="Alert")["MessageId"]
    attributes = {"level": {"DataType": "String", "StringValue": "high"}}
    second = sns.publish(TopicArn=arn, Message="cpu hot", MessageAttributes=attributes)["MessageId"]

    summary = world_summary(world)
    assert summary["topics"] == {
        "alerts": {"published": 2, "subscriptions": 1},
        "quiet": {"published": 0, "subscriptions": 0},
    }
    assert summary["queues"]["inbox"]["messages"] == 2  # SNS delivered both to its SQS subscriber
    messages = published_messages(world, "alerts")
    assert [(sent["MessageId"], sent["Message"], sent.get("Subject")) for sent in messages] == [
        (first, "disk full", "Alert"),
        (second, "cpu hot", None),
    ]
    assert messages[1]["MessageAttributes"]["level"]["Value"] == "high"
    assert published_messages(world, arn) == messages  # by ARN too
    assert inbox.endswith("/inbox")


def test_an_unknown_topic_names_the_topics_there_are(world: AwsWorld) -> None:
    world.client("sns").create_topic(Name="alerts")
    with pytest.raises(KeyError, match=r"no SNS topic 'alert' in this world \(its topics: alerts\)"):
        published_messages(world, "alert")


def test_events_put_on_buses_are_recorded_by_bus() -> None:
    record_put_events()
    with AwsWorld() as world:
        events = world.client("events")
        bus_arn = events.create_event_bus(Name="orders")["EventBusArn"]
        events.put_rule(Name="placed", EventBusName="orders", EventPattern=json.dumps({"source": ["shop"]}))
        answer = events.put_events(
            Entries=[
                {
                    "Source": "shop",
                    "DetailType": "OrderPlaced",
                    "Detail": '{"orderId": "o-1"}',
                    "EventBusName": "orders",
                },
                {"Source": "shop", "DetailType": "Broken", "Detail": "not json", "EventBusName": "orders"},
                {"Source": "billing", "DetailType": "Invoiced", "Detail": "{}", "Resources": ["arn:aws:s3:::bills"]},
            ]
        )
        assert answer["FailedEntryCount"] == 1  # EventBridge refuses a Detail that is not JSON

        assert world_summary(world)["event_buses"] == {
            "default": {"events": 1, "rules": 0},
            "orders": {"events": 1, "rules": 1},
        }
        assert events_put(world, bus_arn) == [
            {
                "EventBusName": "orders",
                "Source": "shop",
                "DetailType": "OrderPlaced",
                "Detail": {"orderId": "o-1"},
                "Resources": [],
                "EventId": answer["Entries"][0]["EventId"],
            }
        ]
        assert [event["DetailType"] for event in events_put(world)] == ["OrderPlaced", "Invoiced"]
    with AwsWorld() as later:  # the record went with the first world's data
        assert events_put(later) == []


def test_a_world_sees_its_own_region_only() -> None:
    with AwsWorld(region="eu-west-1") as world:
        world.client("sqs").create_queue(QueueName="ireland")
        other = AwsWorld(region="us-east-1").start()
        try:
            assert world_summary(other)["queues"] == {}
            assert list(world_summary(world)["queues"]) == ["ireland"]
        finally:
            other.stop()


def test_the_summary_is_json_and_reads_as_lines(world: AwsWorld) -> None:
    sqs = world.client("sqs")
    sqs.create_queue(QueueName="jobs-dlq")
    redrive = {"deadLetterTargetArn": ARN.format("jobs-dlq"), "maxReceiveCount": 3}
    url = sqs.create_queue(QueueName="jobs", Attributes={"RedrivePolicy": json.dumps(redrive)})["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="one")
    world.client("s3").create_bucket(Bucket="out")
    world.client("s3").put_object(Bucket="out", Key="a.txt", Body=b"a")
    summary = world_summary(world)
    assert json.loads(json.dumps(summary)) == summary
    assert summary_lines(summary) == [
        "queues: jobs 1 message, jobs-dlq (dead-letter queue) 0 messages",
        "buckets: out 1 object",
    ]
