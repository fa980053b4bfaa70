"""The events Lambda receives from its event sources, in AWS's shapes, made from what the in-process world holds.

Each function takes what boto3 read from moto (a received SQS message, a DynamoDB stream record, a listed S3
object) and gives the record AWS's event for it holds (the shapes of Lambda's docs: "Using Lambda with Amazon
SQS", "... with Amazon SNS", "... with DynamoDB", S3's "Event message structure"). :func:`batch_item_failures`
reads a handler's partial batch response as Lambda does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus


def sqs_record(message: Mapping[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """A received SQS message (ReceiveMessage with all attributes) as a record of Lambda's SQS event.

    >>> record = sqs_record({"MessageId": "m-1", "ReceiptHandle": "r", "Body": "hi", "MD5OfBody": "49f6",
    ...     "Attributes": {"ApproximateReceiveCount": "1"},
    ...     "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "order"}},
    ...     "MD5OfMessageAttributes": "5e"},
    ...     "arn:aws:sqs:us-east-1:123456789012:orders", "us-east-1")
    >>> record["messageAttributes"], record["md5OfMessageAttributes"], record["eventSource"]
    ({'kind': {'stringValue': 'order', 'stringListValues': [], 'binaryListValues': [], 'dataType': 'String'}}, '5e', \
'aws:sqs')
    """
    record: dict[str, Any] = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": dict(message.get("Attributes", {})),
        "messageAttributes": {
            name: _message_attribute(value) for name, value in message.get("MessageAttributes", {}).items()
        },
        "md5OfBody": message.get("MD5OfBody"),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }
    if "MD5OfMessageAttributes" in message:
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    return record


def _message_attribute(value: Mapping[str, Any]) -> dict[str, Any]:
    """An SQS message attribute as Lambda writes it: camel-case names, binary values as base64 text."""
    import base64

    attribute: dict[str, Any] = {}
    if "StringValue" in value:
        attribute["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        binary = value["BinaryValue"]
        attribute["binaryValue"] = base64.b64encode(binary).decode() if isinstance(binary, bytes) else binary
    attribute["stringListValues"] = list(value.get("StringListValues", []))
    attribute["binaryListValues"] = list(value.get("BinaryListValues", []))
    attribute["dataType"] = value["DataType"]
    return attribute


def sns_record(
    subscription_arn: str,
    topic_arn: str,
    message_id: str,
    message: str,
    subject: str | None,
    attributes: Mapping[str, Any],
    timestamp: str,
) -> dict[str, Any]:
    """A message published to a topic as the record of Lambda's SNS event (its signature is no real one).

    >>> record = sns_record("arn:aws:sns:us-east-1:123456789012:done:s-1", "arn:aws:sns:us-east-1:123456789012:done",
    ...     "m-1", "Hello", None, {"kind": {"Type": "String", "Value": "x"}}, "2024-01-01T00:00:00.000Z")
    >>> record["EventSource"], record["Sns"]["Message"], record["Sns"]["Subject"], record["Sns"]["MessageAttributes"]
    ('aws:sns', 'Hello', None, {'kind': {'Type': 'String', 'Value': 'x'}})
    """
    region = topic_arn.split(":")[3]
    return {
        "EventVersion": "1.0",
        "EventSubscriptionArn": subscription_arn,
        "EventSource": "aws:sns",
        "Sns": {
            "SignatureVersion": "1",
            "Timestamp": timestamp,
            "Signature": "EXAMPLE",
            "SigningCertUrl": f"https://sns.{region}.amazonaws.com/SimpleNotificationService-sfnlocal.pem",
            "MessageId": message_id,
            "Message": message,
            "MessageAttributes": {
                name: {"Type": value.get("Type", value.get("DataType")), "Value": value.get("Value")}
                for name, value in attributes.items()
            },
            "Type": "Notification",
            "UnsubscribeUrl": f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscription_arn}",
            "TopicArn": topic_arn,
            "Subject": subject,
        },
    }


def dynamodb_record(record: Mapping[str, Any], stream_arn: str) -> dict[str, Any]:
    """A DynamoDB stream record (GetRecords, through boto3) as a record of Lambda's DynamoDB event: with the
    stream's ARN, and ``ApproximateCreationDateTime`` as the epoch seconds Lambda gives.

    >>> from datetime import datetime, timezone
    >>> record = dynamodb_record({"eventID": "e", "eventName": "INSERT", "dynamodb": {"SequenceNumber": "1",
    ...     "ApproximateCreationDateTime": datetime(2024, 1, 1, tzinfo=timezone.utc)}}, "arn:stream")
    >>> record["eventSourceARN"], record["dynamodb"]["ApproximateCreationDateTime"]
    ('arn:stream', 1704067200.0)
    """
    converted = {key: value for key, value in record.items() if key != "dynamodb"}
    change = dict(record.get("dynamodb", {}))
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        change["ApproximateCreationDateTime"] = created.timestamp()
    converted["dynamodb"] = change
    converted["eventSourceARN"] = stream_arn
    return converted


def s3_record(
    event_name: str, bucket: str, item: Mapping[str, Any], region: str, configuration: str, time: str
) -> dict[str, Any]:
    """An object created or removed, as a record of S3's event notification (the key URL-encoded, as S3 sends it).

    >>> record = s3_record("ObjectCreated:Put", "inbox", {"Key": "in/a b.csv", "Size": 3, "ETag": '"abc"'},
    ...     "us-east-1", "Upload", "2024-01-01T00:00:00.000Z")
    >>> record["eventName"], record["s3"]["object"]
    ('ObjectCreated:Put', {'key': 'in/a+b.csv', 'size': 3, 'eTag': 'abc', 'sequencer': '0000000000000001'})
    """
    obj: dict[str, Any] = {"key": quote_plus(str(item["Key"]), safe="/")}
    if event_name.startswith("ObjectCreated"):
        obj["size"] = item.get("Size", 0)
        obj["eTag"] = str(item.get("ETag", "")).strip('"')
    # A sequencer orders events for one key; sfnlocal's is the object's size and time, enough to be increasing.
    modified = item.get("LastModified")
    stamp = int(modified.timestamp() * 1000) if isinstance(modified, datetime) else 1
    obj["sequencer"] = f"{stamp:016X}"
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": region,
        "eventTime": time,
        "eventName": event_name,
        "userIdentity": {"principalId": "AWS:SFNLOCAL"},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {"x-amz-request-id": "SFNLOCAL", "x-amz-id-2": "SFNLOCAL"},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": configuration,
            "bucket": {"name": bucket, "ownerIdentity": {"principalId": "SFNLOCAL"}, "arn": f"arn:aws:s3:::{bucket}"},
            "object": obj,
        },
    }


def eventbridge_input(event: Any, target: Mapping[str, Any]) -> Any:
    """What an EventBridge target receives: the event, the target's constant ``Input`` (JSON text), or the part of
    the event its ``InputPath`` names (``$`` and ``.name`` steps). An ``InputTransformer``'s is moto's, upstream.

    >>> event = {"source": "shop", "detail": {"orderId": "o-1"}}
    >>> eventbridge_input(event, {"InputPath": "$.detail"}), eventbridge_input(event, {"Input": '{"fixed": 1}'})
    ({'orderId': 'o-1'}, {'fixed': 1})
    """
    if "Input" in target:
        constant = target["Input"]
        return json.loads(constant) if isinstance(constant, str) else constant
    path = target.get("InputPath")
    if not path:
        return event
    value = event
    for step in str(path).removeprefix("$").split(".")[1:]:
        value = value.get(step) if isinstance(value, dict) else None
    return value


def batch_item_failures(response: Any, identifiers: set[str]) -> set[str] | None:
    """The records a handler's partial batch response reports as failed (``{"batchItemFailures": [{"itemIdentifier":
    ...}]}``), or None when Lambda takes the response for a failure of the whole batch (an identifier that is empty,
    null, missing or not one of the batch's, or a response that is no such object). No response, or an empty or
    null list, is a success (Lambda's docs, "Reporting batch item failures").

    >>> batch_item_failures({"batchItemFailures": [{"itemIdentifier": "m-2"}]}, {"m-1", "m-2"})
    {'m-2'}
    >>> batch_item_failures(None, {"m-1"}), batch_item_failures({"batchItemFailures": []}, {"m-1"})
    (set(), set())
    >>> batch_item_failures({"batchItemFailures": [{"itemIdentifier": ""}]}, {"m-1"}) is None
    True
    """
    if response is None or response == {} or response == "":
        return set()
    if not isinstance(response, dict):
        return None
    failures = response.get("batchItemFailures")
    if failures is None:
        return set()
    if not isinstance(failures, list):
        return None
    failed = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not isinstance(identifier, str) or identifier not in identifiers:
            return None
        failed.add(identifier)
    return failed
