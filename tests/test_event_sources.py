"""The event pump: an application's event sources delivered to their targets in virtual time, as AWS delivers them.

The world is filled by hand and the sources built here (not read from a template), so each delivery rule of
AWS's is tested on its own: SQS event source mappings (batches, batching window, visibility timeout, redrive to
the dead-letter queue, partial batch responses), SNS subscriptions with filter policies, EventBridge rules,
DynamoDB streams, S3 notifications, Lambda's asynchronous retries, and the execution's ``on_suspend`` hook that
lets a handler answer a ``.waitForTaskToken`` step.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from sfnlocal import AwsWorld, StateMachine
from sfnlocal.integrations.aws.event_sources import RELAY_PREFIX, EventPump
from sfnlocal.integrations.aws.services import AwsServices
from sfnlocal.interpreter.execution import MAX_SUSPEND_ROUNDS, ExecutionOptions
from sfnlocal.templates.resources import EventSource


def source(kind: str, source: str, target: str, target_kind: str = "lambda", **options: Any) -> EventSource:
    return EventSource(kind, source, target, target_kind, options, f"{target}.{kind}")


@pytest.fixture
def world() -> Iterator[AwsWorld]:
    with AwsWorld() as world:
        yield world


class Handler:
    """A function's handler: records each event; ``answers`` says what it returns (an exception is raised)."""

    def __init__(self, *answers: Any) -> None:
        self.events: list[tuple[str, Any]] = []
        self.answers = list(answers)

    def __call__(self, name: str, event: Any) -> Any:
        self.events.append((name, event))
        answer = self.answers.pop(0) if self.answers else None
        if isinstance(answer, Exception):
            raise answer
        return answer

    def bodies(self) -> list[list[str]]:
        return [[record["body"] for record in event["Records"]] for _, event in self.events]


def queue(world: AwsWorld, name: str, **attributes: str) -> str:
    return world.client("sqs").create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]


def queue_arn(world: AwsWorld, url: str) -> str:
    return world.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def count(world: AwsWorld, url: str) -> int:
    attributes = world.client("sqs").get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def send(world: AwsWorld, url: str, *bodies: str) -> list[str]:
    sqs = world.client("sqs")
    return [sqs.send_message(QueueUrl=url, MessageBody=body)["MessageId"] for body in bodies]


# SQS ---------------------------------------------------------------------------------------------------------


def test_sqs_messages_reach_the_function_in_batches_of_batch_size_and_are_deleted(world: AwsWorld) -> None:
    url = queue(world, "orders")
    send(world, url, "o-1", "o-2", "o-3", "o-4", "o-5")
    handler = Handler()
    pump = EventPump(world, [source("sqs", url, "consume", BatchSize=2)], handler)

    assert pump.deliver(0.0) is True
    assert handler.bodies() == [["o-1", "o-2"], ["o-3", "o-4"], ["o-5"]]
    assert count(world, url) == 0
    assert pump.deliver(1.0) is False  # nothing left


def test_an_sqs_record_has_lambdas_shape(world: AwsWorld) -> None:
    url = queue(world, "orders")
    world.client("sqs").send_message(
        QueueUrl=url, MessageBody="o-1", MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}}
    )
    handler = Handler()
    EventPump(world, [source("sqs", queue_arn(world, url), "consume")], handler).deliver(0.0)

    ((name, event),) = handler.events
    record = event["Records"][0]
    assert name == "consume"
    # Lambda's docs, "Using Lambda with Amazon SQS": the example event's keys.
    assert {
        "messageId",
        "receiptHandle",
        "body",
        "attributes",
        "messageAttributes",
        "md5OfBody",
        "eventSource",
        "eventSourceARN",
        "awsRegion",
    } <= set(record)
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == "arn:aws:sqs:us-east-1:123456789012:orders"
    assert record["awsRegion"] == "us-east-1"
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert {"SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"} <= set(record["attributes"])
    assert record["messageAttributes"] == {
        "kind": {"stringValue": "order", "stringListValues": [], "binaryListValues": [], "dataType": "String"}
    }
    assert record["md5OfBody"] == hashlib.md5(b"o-1").hexdigest()  # SQS's MD5OfBody: the body's MD5 digest
    json.dumps(event)  # what a handler receives is JSON, as Lambda's event is


def test_a_failed_batch_comes_back_after_the_visibility_timeout_then_goes_to_the_dead_letter_queue(
    world: AwsWorld,
) -> None:
    dlq = queue(world, "orders-dlq")
    redrive = json.dumps({"deadLetterTargetArn": queue_arn(world, dlq), "maxReceiveCount": 2})
    url = queue(world, "orders", VisibilityTimeout="30", RedrivePolicy=redrive)
    send(world, url, "o-1")
    handler = Handler(RuntimeError("boom"), RuntimeError("boom again"))
    pump = EventPump(world, [source("sqs", url, "consume")], handler)

    assert pump.deliver(100.0) is True
    assert pump.deliver(129.0) is False  # still invisible: 30 seconds on the virtual clock
    assert pump.next_due() == 130.0
    assert pump.deliver(130.0) is True
    receive_counts = [event["Records"][0]["attributes"]["ApproximateReceiveCount"] for _, event in handler.events]
    assert receive_counts == ["1", "2"]
    # Received maxReceiveCount times: the next receive moves it to the dead-letter queue, the function sees no more.
    pump.deliver(160.0)
    assert len(handler.events) == 2
    assert count(world, url) == 0
    moved = world.client("sqs").receive_message(QueueUrl=dlq)["Messages"]
    assert [message["Body"] for message in moved] == ["o-1"]
    assert [delivery.outcome for delivery in pump.deliveries] == ["failed", "failed"]
    assert pump.deliveries[0].error == "RuntimeError: boom"


def test_report_batch_item_failures_returns_only_the_failed_messages(world: AwsWorld) -> None:
    url = queue(world, "orders", VisibilityTimeout="10")
    ids = send(world, url, "o-1", "o-2", "o-3")
    handler = Handler({"batchItemFailures": [{"itemIdentifier": ids[1]}]}, None)
    pump = EventPump(world, [source("sqs", url, "consume", FunctionResponseTypes=["ReportBatchItemFailures"])], handler)

    pump.deliver(0.0)
    assert count(world, url) == 1
    pump.deliver(10.0)
    assert handler.bodies() == [["o-1", "o-2", "o-3"], ["o-2"]]
    assert count(world, url) == 0
    assert [delivery.outcome for delivery in pump.deliveries] == ["partial", "succeeded"]


def test_without_report_batch_item_failures_the_response_is_not_read(world: AwsWorld) -> None:
    url = queue(world, "orders")
    ids = send(world, url, "o-1", "o-2")
    handler = Handler({"batchItemFailures": [{"itemIdentifier": ids[1]}]})
    EventPump(world, [source("sqs", url, "consume")], handler).deliver(0.0)
    assert count(world, url) == 0


def test_an_invalid_batch_item_failure_fails_the_whole_batch(world: AwsWorld) -> None:
    url = queue(world, "orders", VisibilityTimeout="10")
    send(world, url, "o-1", "o-2")
    handler = Handler({"batchItemFailures": [{"itemIdentifier": "no such message"}]})
    pump = EventPump(world, [source("sqs", url, "consume", FunctionResponseTypes=["ReportBatchItemFailures"])], handler)
    pump.deliver(0.0)
    pump.deliver(10.0)
    assert handler.bodies() == [["o-1", "o-2"], ["o-1", "o-2"]]


def test_the_batching_window_waits_for_a_full_batch_or_its_end(world: AwsWorld) -> None:
    url = queue(world, "orders")
    send(world, url, "o-1")
    handler = Handler()
    pump = EventPump(world, [source("sqs", url, "consume", BatchSize=3, MaximumBatchingWindowInSeconds=20)], handler)

    assert pump.deliver(0.0) is False
    assert pump.next_due() == 20.0
    send(world, url, "o-2")
    assert pump.deliver(19.0) is False
    assert pump.deliver(20.0) is True
    assert handler.bodies() == [["o-1", "o-2"]]
    send(world, url, "o-3", "o-4", "o-5")  # a full batch goes at once
    assert pump.deliver(21.0) is True
    assert handler.bodies()[-1] == ["o-3", "o-4", "o-5"]


def test_a_disabled_mapping_delivers_nothing(world: AwsWorld) -> None:
    url = queue(world, "orders")
    send(world, url, "o-1")
    handler = Handler()
    assert EventPump(world, [source("sqs", url, "consume", Enabled="false")], handler).deliver(0.0) is False
    assert handler.events == [] and count(world, url) == 1


def test_fifo_messages_keep_their_group_order_and_attributes(world: AwsWorld) -> None:
    url = queue(world, "orders.fifo", FifoQueue="true", ContentBasedDeduplication="true")
    sqs = world.client("sqs")
    for body in ("a-1", "a-2", "a-3"):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="a")
    handler = Handler()
    EventPump(world, [source("sqs", url, "consume")], handler).deliver(0.0)
    assert [body for batch in handler.bodies() for body in batch] == ["a-1", "a-2", "a-3"]
    attributes = handler.events[0][1]["Records"][0]["attributes"]
    # (AWS adds SequenceNumber too; moto keeps none for a FIFO message.)
    assert attributes["MessageGroupId"] == "a" and "MessageDeduplicationId" in attributes


# SNS ---------------------------------------------------------------------------------------------------------


def test_sns_messages_reach_a_subscribed_function_through_its_filter_policy(world: AwsWorld) -> None:
    sns = world.client("sns")
    topic = sns.create_topic(Name="orders")["TopicArn"]
    sns.publish(TopicArn=topic, Message="before the pump")  # published before: not delivered
    handler = Handler()
    policy = {"kind": ["order"]}
    pump = EventPump(world, [source("sns", topic, "notify", FilterPolicy=policy)], handler)
    attributes = {"kind": {"DataType": "String", "StringValue": "order"}}
    message_id = sns.publish(TopicArn=topic, Message="placed", Subject="Order", MessageAttributes=attributes)[
        "MessageId"
    ]
    sns.publish(
        TopicArn=topic, Message="ignored", MessageAttributes={"kind": {"DataType": "String", "StringValue": "refund"}}
    )

    assert pump.deliver(0.0) is True
    ((name, event),) = handler.events
    record = event["Records"][0]
    assert name == "notify"
    # Lambda's docs, "Using Lambda with Amazon SNS": the example event's shape.
    assert record["EventSource"] == "aws:sns" and record["EventVersion"] == "1.0"
    assert record["EventSubscriptionArn"].startswith(topic + ":")
    sns_part = record["Sns"]
    assert sns_part["Type"] == "Notification"
    assert sns_part["MessageId"] == message_id
    assert sns_part["TopicArn"] == topic
    assert (sns_part["Message"], sns_part["Subject"]) == ("placed", "Order")
    assert sns_part["MessageAttributes"] == {"kind": {"Type": "String", "Value": "order"}}
    assert sns_part["Timestamp"] == "1970-01-01T00:00:00.000Z"  # the virtual clock's instant
    assert pump.deliver(1.0) is False


def test_a_failing_asynchronous_invocation_is_tried_twice_more_one_and_two_minutes_later(world: AwsWorld) -> None:
    sns = world.client("sns")
    topic = sns.create_topic(Name="orders")["TopicArn"]
    handler = Handler(RuntimeError("1"), RuntimeError("2"), RuntimeError("3"), None)
    pump = EventPump(world, [source("sns", topic, "notify")], handler)
    sns.publish(TopicArn=topic, Message="placed")

    pump.deliver(0.0)
    assert pump.next_due() == 60.0
    assert pump.deliver(59.0) is False
    pump.deliver(60.0)
    assert pump.next_due() == 180.0
    pump.deliver(180.0)
    assert pump.next_due() is None  # three attempts, then Lambda discards the event
    assert len(handler.events) == 3
    assert [delivery.at for delivery in pump.deliveries] == [0.0, 60.0, 180.0]


# EventBridge -------------------------------------------------------------------------------------------------


def put_event(world: AwsWorld, detail_type: str, detail: dict[str, Any], bus: str = "default") -> str:
    entry = {"Source": "shop", "DetailType": detail_type, "Detail": json.dumps(detail), "EventBusName": bus}
    return world.client("events").put_events(Entries=[entry])["Entries"][0]["EventId"]


def test_a_rule_delivers_matching_events_to_a_function(world: AwsWorld) -> None:
    events = world.client("events")
    events.create_event_bus(Name="orders")
    pattern = {"source": ["shop"], "detail-type": ["OrderPlaced"]}
    events.put_rule(Name="placed", EventBusName="orders", EventPattern=json.dumps(pattern))
    handler = Handler()
    pump = EventPump(world, [source("eventbridge", "orders/placed", "notify", EventPattern=pattern)], handler)
    event_id = put_event(world, "OrderPlaced", {"orderId": "o-1"}, "orders")
    put_event(world, "OrderShipped", {"orderId": "o-1"}, "orders")

    assert pump.deliver(5.0) is True
    ((name, event),) = handler.events
    assert name == "notify"
    # EventBridge's event structure (the "Events" page of its user guide).
    assert event["id"] == event_id
    assert event["detail-type"] == "OrderPlaced" and event["source"] == "shop"
    assert event["detail"] == {"orderId": "o-1"}
    assert event["account"] == "123456789012" and event["region"] == "us-east-1"
    assert event["time"] == "1970-01-01T00:00:05Z"
    # The relay queue is the pump's own.
    queues = world.client("sqs").list_queues().get("QueueUrls", [])
    assert [url.rsplit("/", 1)[-1].startswith(RELAY_PREFIX) for url in queues] == [True]


def test_a_rule_the_world_lacks_is_created_from_its_pattern_and_input_path_applies(world: AwsWorld) -> None:
    handler = Handler()
    pattern = {"detail-type": ["OrderPlaced"]}
    pump = EventPump(
        world, [source("eventbridge", "placed", "notify", EventPattern=pattern, InputPath="$.detail")], handler
    )
    put_event(world, "OrderPlaced", {"orderId": "o-1"})
    pump.deliver(0.0)
    assert handler.events == [("notify", {"orderId": "o-1"})]


def test_a_rule_hands_events_to_a_queue_a_topic_and_a_state_machine(world: AwsWorld) -> None:
    target_queue = queue(world, "audit")
    topic = world.client("sns").create_topic(Name="alerts")["TopicArn"]
    sink = queue(world, "alerts-copy")
    world.client("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn(world, sink))
    machine = "arn:aws:states:us-east-1:123456789012:stateMachine:fulfil"
    started: list[tuple[str, Any]] = []
    pattern = {"detail-type": ["OrderPlaced"]}
    # The template's own rule, with its declared SQS target: moto's would also deliver it; the pump takes it over.
    events = world.client("events")
    events.put_rule(Name="placed", EventPattern=json.dumps(pattern))
    events.put_targets(Rule="placed", Targets=[{"Id": "audit", "Arn": queue_arn(world, target_queue)}])
    pump = EventPump(
        world,
        [
            source("eventbridge", "placed", queue_arn(world, target_queue), "sqs", EventPattern=pattern),
            source("eventbridge", "placed", topic, "sns", EventPattern=pattern),
            source("eventbridge", "placed", machine, "states", EventPattern=pattern, InputPath="$.detail"),
        ],
        Handler(),
        start_execution=lambda arn, payload: started.append((arn, payload)),
    )
    put_event(world, "OrderPlaced", {"orderId": "o-1"})
    pump.deliver(0.0)

    audit = world.client("sqs").receive_message(QueueUrl=target_queue, MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(message["Body"])["detail"] for message in audit] == [{"orderId": "o-1"}]  # once, not twice
    copied = world.client("sqs").receive_message(QueueUrl=sink)["Messages"]
    assert json.loads(json.loads(copied[0]["Body"])["Message"])["detail"] == {"orderId": "o-1"}
    assert started == [(machine, {"orderId": "o-1"})]


# DynamoDB streams --------------------------------------------------------------------------------------------


def stream_table(world: AwsWorld) -> str:
    return world.client("dynamodb").create_table(
        TableName="orders",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]["LatestStreamArn"]


def test_stream_records_reach_the_function_in_order(world: AwsWorld) -> None:
    stream = stream_table(world)
    dynamodb = world.client("dynamodb")
    dynamodb.put_item(TableName="orders", Item={"id": {"S": "before"}})  # LATEST: not delivered
    handler = Handler()
    pump = EventPump(world, [source("dynamodb", stream, "project", StartingPosition="LATEST")], handler)
    dynamodb.put_item(TableName="orders", Item={"id": {"S": "o-1"}, "total": {"N": "5"}})
    dynamodb.put_item(TableName="orders", Item={"id": {"S": "o-1"}, "total": {"N": "7"}})

    assert pump.deliver(0.0) is True
    ((name, event),) = handler.events
    records = event["Records"]
    assert [record["eventName"] for record in records] == ["INSERT", "MODIFY"]
    first = records[0]
    # Lambda's docs, "Using Lambda with DynamoDB": the example record's keys.
    assert first["eventSource"] == "aws:dynamodb" and first["eventSourceARN"] == stream
    assert first["dynamodb"]["Keys"] == {"id": {"S": "o-1"}}
    assert first["dynamodb"]["NewImage"] == {"id": {"S": "o-1"}, "total": {"N": "5"}}
    assert records[1]["dynamodb"]["OldImage"] == {"id": {"S": "o-1"}, "total": {"N": "5"}}
    assert isinstance(first["dynamodb"]["ApproximateCreationDateTime"], float)
    json.dumps(event)
    assert pump.deliver(1.0) is False


def test_a_failing_stream_batch_is_retried_until_it_succeeds_and_blocks_what_follows(world: AwsWorld) -> None:
    stream = stream_table(world)
    handler = Handler(RuntimeError("down"), None, None)
    pump = EventPump(
        world, [source("dynamodb", stream, "project", StartingPosition="TRIM_HORIZON", BatchSize=1)], handler
    )
    dynamodb = world.client("dynamodb")
    dynamodb.put_item(TableName="orders", Item={"id": {"S": "o-1"}})
    dynamodb.put_item(TableName="orders", Item={"id": {"S": "o-2"}})

    pump.deliver(0.0)
    assert len(handler.events) == 1  # o-2 waits behind the failed o-1
    due = pump.next_due()
    assert due is not None and due > 0.0
    pump.deliver(due)
    keys = [event["Records"][0]["dynamodb"]["Keys"]["id"]["S"] for _, event in handler.events]
    assert keys == ["o-1", "o-1", "o-2"]


def test_maximum_retry_attempts_drops_a_batch_that_keeps_failing(world: AwsWorld) -> None:
    stream = stream_table(world)
    handler = Handler(RuntimeError("1"), RuntimeError("2"), None)
    pump = EventPump(
        world,
        [source("dynamodb", stream, "project", StartingPosition="TRIM_HORIZON", BatchSize=1, MaximumRetryAttempts=1)],
        handler,
    )
    dynamodb = world.client("dynamodb")
    dynamodb.put_item(TableName="orders", Item={"id": {"S": "o-1"}})
    dynamodb.put_item(TableName="orders", Item={"id": {"S": "o-2"}})
    for _ in range(3):
        pump.deliver(pump.next_due() or 0.0)
    keys = [event["Records"][0]["dynamodb"]["Keys"]["id"]["S"] for _, event in handler.events]
    assert keys == ["o-1", "o-1", "o-2"]


# S3 ----------------------------------------------------------------------------------------------------------


def test_objects_created_in_a_bucket_notify_the_function_through_the_key_filter(world: AwsWorld) -> None:
    s3 = world.client("s3")
    s3.create_bucket(Bucket="inbox")
    handler = Handler()
    key_filter = {"S3Key": {"Rules": [{"Name": "prefix", "Value": "in/"}, {"Name": "suffix", "Value": ".csv"}]}}
    pump = EventPump(
        world, [source("s3", "inbox", "ingest", Events=["s3:ObjectCreated:*"], Filter=key_filter)], handler
    )
    s3.put_object(Bucket="inbox", Key="in/orders 1.csv", Body=b"a,b")
    s3.put_object(Bucket="inbox", Key="out/orders.csv", Body=b"a,b")
    s3.put_object(Bucket="inbox", Key="in/readme.txt", Body=b"x")

    pump.deliver(0.0)
    ((name, event),) = handler.events
    record = event["Records"][0]
    # S3's "Event message structure".
    assert record["eventSource"] == "aws:s3" and record["eventVersion"] == "2.1"
    assert record["eventName"] == "ObjectCreated:Put"
    assert record["eventTime"] == "1970-01-01T00:00:00.000Z"
    assert record["s3"]["bucket"]["name"] == "inbox" and record["s3"]["bucket"]["arn"] == "arn:aws:s3:::inbox"
    assert record["s3"]["object"]["key"] == "in/orders+1.csv"
    assert record["s3"]["object"]["size"] == 3
    s3.delete_object(Bucket="inbox", Key="in/orders 1.csv")
    assert pump.deliver(1.0) is False  # removals were not asked for


def test_removed_objects_notify_when_asked_for(world: AwsWorld) -> None:
    s3 = world.client("s3")
    s3.create_bucket(Bucket="inbox")
    s3.put_object(Bucket="inbox", Key="a.csv", Body=b"1")
    handler = Handler()
    pump = EventPump(world, [source("s3", "inbox", "ingest", Events="s3:ObjectRemoved:*")], handler)
    s3.delete_object(Bucket="inbox", Key="a.csv")
    pump.deliver(0.0)
    assert [event["Records"][0]["eventName"] for _, event in handler.events] == ["ObjectRemoved:Delete"]


# Errors ------------------------------------------------------------------------------------------------------


def test_an_unknown_kind_is_refused_with_advice(world: AwsWorld) -> None:
    with pytest.raises(ValueError, match="delivers no 'kinesis' event source.*mock the task"):
        EventPump(world, [source("kinesis", "stream", "fn")], Handler())


# The execution's hook ----------------------------------------------------------------------------------------

CALLBACK = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                "MessageBody": {"token.$": "$$.Task.Token", "order.$": "$.order"},
            },
            "End": True,
        }
    },
}


def approver(name: str, event: Any) -> Any:
    """What a SAM function with an SQS event source does: read the token, answer through boto3."""
    stepfunctions = boto3.client("stepfunctions", region_name="us-east-1")
    for record in event["Records"]:
        body = json.loads(record["body"])
        stepfunctions.send_task_success(taskToken=body["token"], output=json.dumps({"approved": body["order"]}))


def test_a_function_mapped_to_the_queue_answers_the_token_and_the_execution_succeeds(world: AwsWorld) -> None:
    url = queue(world, "approvals")

    def invoke(name: str, event: Any) -> Any:
        with world.handler_scope():
            return approver(name, event)

    pump = EventPump(world, [source("sqs", url, "approve")], invoke)
    machine = StateMachine.from_dict(CALLBACK)
    result = machine.start({"order": "o-1"}, AwsServices(world), ExecutionOptions(0.0, on_suspend=pump.on_suspend))

    assert result.status == "SUCCEEDED"
    assert result.output == {"approved": "o-1"}
    assert count(world, url) == 0


def test_a_redelivery_after_the_visibility_timeout_moves_the_virtual_clock(world: AwsWorld) -> None:
    url = queue(world, "approvals", VisibilityTimeout="45")
    attempts: list[str] = []

    def invoke(name: str, event: Any) -> Any:
        attempts.append(name)
        if len(attempts) == 1:
            raise RuntimeError("cold database")
        with world.handler_scope():
            return approver(name, event)

    pump = EventPump(world, [source("sqs", url, "approve")], invoke)
    result = StateMachine.from_dict(CALLBACK).start(
        {"order": "o-1"}, AwsServices(world), ExecutionOptions(1_000.0, on_suspend=pump.on_suspend)
    )
    assert result.status == "SUCCEEDED"
    assert result.clock == 1_045.0
    succeeded = result.history[-1]
    assert succeeded["type"] == "ExecutionSucceeded"
    assert succeeded["timestamp"].timestamp() == 1_045.0


@pytest.mark.parametrize("delayed_by", ["queue", "message"])
def test_a_delayed_message_is_delivered_when_its_delay_ends_on_the_virtual_clock(
    world: AwsWorld, delayed_by: str
) -> None:
    # SQS's DelaySeconds (the queue's, or the message's own): the message is hidden for that long, then delivered.
    url = queue(world, "approvals", **({"DelaySeconds": "300"} if delayed_by == "queue" else {}))
    definition = copy.deepcopy(CALLBACK)
    if delayed_by == "message":
        definition["States"]["Ask"]["Parameters"]["DelaySeconds"] = 300

    def invoke(name: str, event: Any) -> Any:
        with world.handler_scope():
            return approver(name, event)

    pump = EventPump(world, [source("sqs", url, "approve")], invoke)
    result = StateMachine.from_dict(definition).start(
        {"order": "o-1"}, AwsServices(world), ExecutionOptions(1_000.0, on_suspend=pump.on_suspend)
    )
    assert (result.status, result.output, result.clock) == ("SUCCEEDED", {"approved": "o-1"}, 1_300.0)


def test_the_task_timeout_fires_before_a_later_redelivery(world: AwsWorld) -> None:
    url = queue(world, "approvals", VisibilityTimeout="600")
    definition = json.loads(json.dumps(CALLBACK))
    definition["States"]["Ask"]["TimeoutSeconds"] = 60

    def invoke(name: str, event: Any) -> Any:
        raise RuntimeError("always")

    pump = EventPump(world, [source("sqs", url, "approve")], invoke)
    result = StateMachine.from_dict(definition).start(
        {"order": "o-1"}, AwsServices(world), ExecutionOptions(0.0, on_suspend=pump.on_suspend)
    )
    assert result.status == "FAILED" and result.error == "States.Timeout"
    assert result.stop_date is not None and result.stop_date.timestamp() == 60.0


def test_a_hook_that_always_delivers_is_bounded(world: AwsWorld) -> None:
    calls: list[float] = []

    def hook(result: Any) -> bool:
        calls.append(result.clock)
        return True

    machine = StateMachine.from_dict(CALLBACK)
    queue(world, "approvals")
    result = machine.start({"order": "o-1"}, AwsServices(world), ExecutionOptions(0.0, on_suspend=hook))
    assert result.status == "RUNNING"
    assert len(calls) == MAX_SUSPEND_ROUNDS
    result.send_task_success(result.task_tokens[0], {"by": "hand"})
    assert result.status == "SUCCEEDED"
    # Called again once it ended (to deliver what the end set off), bounded the same way.
    assert len(calls) == 2 * MAX_SUSPEND_ROUNDS


def test_the_hook_is_not_called_without_a_wait_on_the_outside(world: AwsWorld) -> None:
    calls: list[str] = []

    def hook(result: Any) -> bool:
        calls.append(result.status)
        return False

    machine = StateMachine.from_dict({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": True}}})
    result = machine.start({}, AwsServices(world), ExecutionOptions(0.0, on_suspend=hook))
    assert result.status == "SUCCEEDED"
    assert calls == ["SUCCEEDED"]  # once, at the end: nothing waited on the outside before


def test_a_delivery_moto_makes_itself_is_not_made_again(world: AwsWorld) -> None:
    sns = world.client("sns")
    topic = sns.create_topic(Name="orders")["TopicArn"]
    copy = queue(world, "orders-copy")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn(world, copy))
    subscription = EventSource("sns", topic, queue_arn(world, copy), "sqs", {}, "OrdersCopy", moto_delivers=True)
    pump = EventPump(world, [subscription], Handler())
    sns.publish(TopicArn=topic, Message="placed")
    assert pump.deliver(0.0) is False
    assert count(world, copy) == 1


def test_a_stream_is_found_by_its_table_when_the_template_names_it(world: AwsWorld) -> None:
    stream_table(world)
    handler = Handler()
    # The template's ARN for the stream carries a label of its own; moto's differs: the table's name decides.
    template_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
    stream = EventSource(
        "dynamodb", template_arn, "project", "lambda", {"TableName": "orders", "StartingPosition": "LATEST"}, "P.S"
    )
    pump = EventPump(world, [stream], handler)
    world.client("dynamodb").put_item(TableName="orders", Item={"id": {"S": "o-1"}})
    pump.deliver(0.0)
    assert [event["Records"][0]["eventName"] for _, event in handler.events] == ["INSERT"]
