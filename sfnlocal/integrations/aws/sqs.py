"""``arn:aws:states:::sqs:sendMessage`` (also ``.waitForTaskToken``), served by moto's SQS.

A ``MessageBody`` given as a JSON value is sent as its JSON text. The result is SendMessage's
(``MD5OfMessageBody``, ``MessageId``, ...) with the Java SDK v1 metadata, as recorded; failures are
``SQS.<Exception>`` (recorded: ``SQS.AmazonSQSException`` for a missing ``MessageBody``).

>>> from sfnlocal.language.resources import parse_resource
>>> from sfnlocal.integrations.aws.world import AwsWorld
>>> with AwsWorld() as world:
...     url = world.client("sqs").create_queue(QueueName="orders")["QueueUrl"]
...     call = ServiceCall("Send", parse_resource("arn:aws:states:::sqs:sendMessage"),
...                        {"QueueUrl": url, "MessageBody": {"id": 42}}, "us-east-1", "123456789012", world)
...     sent = send_message(call).value
...     world.client("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"]
'{"id":42}'
>>> sent["MD5OfMessageBody"], sent["SdkHttpMetadata"]["HttpStatusCode"]
('053d97b35951861fb2a956062b3a95dd', 200)
"""

from __future__ import annotations

from sfnlocal.integrations.aws.aws_sdk import object_arguments, serve
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.envelope import sdk_v1_result
from sfnlocal.integrations.aws.errors import SdkV1Client
from sfnlocal.integrations.aws.registry import integration
from sfnlocal.interpreter.integration import Failure, Outcome, Result

SQS = SdkV1Client("SQS", "AmazonSQS", "AmazonSQSException")


@integration("sqs", "sendMessage")
def send_message(call: ServiceCall) -> Outcome:
    """Send the message to moto's queue."""
    arguments = object_arguments(call)
    result = serve(call, "sqs", "SendMessage", arguments, SQS.failure)
    if isinstance(result, Failure):
        return result
    return Result(sdk_v1_result(call, result, "application/x-amz-json-1.0", {"connection": "keep-alive"}))
