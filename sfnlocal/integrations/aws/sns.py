"""``arn:aws:states:::sns:publish`` (also ``.waitForTaskToken``), served by moto's SNS.

A ``Message`` given as a JSON value is published as its JSON text. The result is Publish's
(``MessageId``, and ``SequenceNumber`` for FIFO topics) with the Java SDK v1 metadata of SNS's XML
answer, as recorded; failures are ``SNS.<Exception>`` (recorded: ``SNS.InvalidParameterException``
for a FIFO topic without ``MessageGroupId``).

>>> from sfnlocal.language.resources import parse_resource
>>> from sfnlocal.integrations.aws.world import AwsWorld
>>> with AwsWorld() as world:
...     topic = world.client("sns").create_topic(Name="orders")["TopicArn"]
...     call = ServiceCall("Notify", parse_resource("arn:aws:states:::sns:publish"),
...                        {"TopicArn": topic, "Message": {"id": 42}}, "us-east-1", "123456789012", world)
...     published = publish(call).value
>>> sorted(published), published["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"]
(['MessageId', 'SdkHttpMetadata', 'SdkResponseMetadata'], '294')
"""

from __future__ import annotations

from typing import Any

from sfnlocal.integrations.aws.aws_sdk import object_arguments, serve
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.envelope import sdk_v1_result
from sfnlocal.integrations.aws.errors import REQUEST_ID, SdkV1Client
from sfnlocal.integrations.aws.registry import integration
from sfnlocal.interpreter.integration import Failure, Outcome, Result

SNS = SdkV1Client("SNS", "AmazonSNS", "AmazonSNSException")


def _xml_answer(result: dict[str, Any]) -> str:
    """SNS's XML response body, whose length AWS reports (294 bytes recorded for a plain publish)."""
    fields = "".join(f"    <{name}>{value}</{name}>\n" for name, value in result.items())
    return (
        f'<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">\n  <PublishResult>\n{fields}'
        f"  </PublishResult>\n  <ResponseMetadata>\n    <RequestId>{REQUEST_ID}</RequestId>\n"
        "  </ResponseMetadata>\n</PublishResponse>\n"
    )


@integration("sns", "publish")
def publish(call: ServiceCall) -> Outcome:
    """Publish the message to moto's topic."""
    arguments = object_arguments(call)
    result = serve(call, "sns", "Publish", arguments, SNS.failure)
    if isinstance(result, Failure):
        return result
    return Result(sdk_v1_result(call, result, "text/xml", {"connection": "keep-alive"}, _xml_answer(result)))
