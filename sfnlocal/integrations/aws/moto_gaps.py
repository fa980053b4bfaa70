"""Where moto answers otherwise than AWS, corrected as the recordings show AWS answering.

Requests and responses here are in botocore's form (its member names), before Step Functions' casing.
Each correction names the recording or behaviour of AWS it follows:

* DynamoDB refuses a table name outside its pattern (recorded: ``/<table>``); moto looks it up.
* DynamoDB reports ``ConsumedCapacity`` only when asked to; moto's UpdateItem always does.
* SNS refuses a FIFO publish without ``MessageGroupId`` as ``InvalidParameter`` (recorded), moto as
  ``MissingParameter``; and answers a FIFO publish with a ``SequenceNumber`` (recorded), moto without.
* S3 encrypts every new object (SSE-S3, since 2023) and says so (recorded: ``ServerSideEncryption:
  AES256`` from GetObject and PutObject); moto reports no encryption. PutObject's checksum comes with
  its ``ChecksumType`` (recorded: ``FULL_OBJECT``). Step Functions does not ask GetObject for
  checksums (recorded: none), boto3 does, so they are left out unless the Task asked (``ChecksumMode``).
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from botocore.exceptions import ClientError
from botocore.model import ServiceModel

from sfnlocal.integrations.aws.errors import client_error

_TABLE_NAME = re.compile(r"[a-zA-Z0-9_.-]+")
_S3_ENCRYPTED = {"PutObject", "GetObject", "HeadObject", "CopyObject"}
_S3_CHECKSUMS = ("ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumSHA1", "ChecksumSHA256")


def refusal(model: ServiceModel, operation: str, request: dict[str, Any]) -> ClientError | None:
    """The error AWS answers to ``request`` where moto would accept it; None where they agree.

    >>> import botocore.session
    >>> dynamodb = botocore.session.get_session().get_service_model("dynamodb")
    >>> refusal(dynamodb, "PutItem", {"TableName": "/orders"}).response["Error"]["Message"]
    "1 validation error detected: Value '/orders' at 'tableName' failed to satisfy constraint: Member must \
satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
    """
    service = model.service_name
    if service == "dynamodb":
        name = request.get("TableName")
        if isinstance(name, str) and not name.startswith("arn:") and not _TABLE_NAME.fullmatch(name):
            return client_error(
                "ValidationException",
                f"1 validation error detected: Value '{name}' at "
                "'tableName' failed to satisfy constraint: Member must satisfy regular expression "
                f"pattern: {_TABLE_NAME.pattern}",
                operation,
            )
    if service == "sns" and operation == "Publish" and _fifo_topic(request) and "MessageGroupId" not in request:
        return client_error(
            "InvalidParameter",
            "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
            operation,
            model,
        )
    return None


def corrected(model: ServiceModel, operation: str, request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """moto's ``response`` as AWS would have answered it (a new dict).

    >>> import botocore.session
    >>> s3 = botocore.session.get_session().get_service_model("s3")
    >>> corrected(s3, "GetObject", {}, {"ChecksumCRC32": "AAAAAA==", "ContentLength": 0})
    {'ContentLength': 0, 'ServerSideEncryption': 'AES256'}
    """
    service = model.service_name
    response = dict(response)
    if service == "dynamodb" and request.get("ReturnConsumedCapacity", "NONE") == "NONE":
        response.pop("ConsumedCapacity", None)
    elif service == "sns" and operation == "Publish" and _fifo_topic(request) and "MessageId" in response:
        # A 20-digit number, as AWS's are; derived from the message id so that it is stable.
        response.setdefault("SequenceNumber", str(UUID(response["MessageId"]).int)[:20])
    elif service == "s3":
        _correct_s3_object(operation, request, response)
    return response


def _fifo_topic(request: dict[str, Any]) -> bool:
    topic = request.get("TopicArn")
    return isinstance(topic, str) and topic.endswith(".fifo")


def _correct_s3_object(operation: str, request: dict[str, Any], response: dict[str, Any]) -> None:
    if operation in _S3_ENCRYPTED:
        response.setdefault("ServerSideEncryption", "AES256")
    if operation == "PutObject" and any(name in response for name in _S3_CHECKSUMS):
        response.setdefault("ChecksumType", "FULL_OBJECT")
    if operation in ("GetObject", "HeadObject") and request.get("ChecksumMode") != "ENABLED":
        for name in (*_S3_CHECKSUMS, "ChecksumType"):
            response.pop(name, None)
