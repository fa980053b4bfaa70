"""``arn:aws:states:::dynamodb:getItem`` / ``putItem`` / ``updateItem`` / ``deleteItem``, served by moto.

The arguments are DynamoDB's own (``TableName``, ``Item``, ``Key``, ``UpdateExpression``, ...); the
result is DynamoDB's response with the Java SDK v1 metadata (see
:mod:`~sfnlocal.integrations.aws.envelope`), as recorded. Failures are named
``DynamoDB.<Exception>`` (recorded: ``DynamoDB.ResourceNotFoundException``, and
``DynamoDB.AmazonDynamoDBException`` for a ``ValidationException``).

>>> from sfnlocal.language.resources import parse_resource
>>> from sfnlocal.integrations.aws.world import AwsWorld
>>> with AwsWorld() as world:
...     call = ServiceCall("Get", parse_resource("arn:aws:states:::dynamodb:getItem"),
...                        {"TableName": "orders", "Key": {"id": {"S": "42"}}}, "us-east-1", "123456789012", world)
...     item_operation(call).error
'DynamoDB.ResourceNotFoundException'
"""

from __future__ import annotations

import zlib

from sfnlocal.integrations.aws.aws_sdk import object_arguments, operation_name, serve, service_model
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.envelope import sdk_v1_result
from sfnlocal.integrations.aws.errors import SdkV1Client
from sfnlocal.integrations.aws.registry import action_of, integration
from sfnlocal.interpreter.integration import Failure, Outcome, Result
from sfnlocal.language.jsontext import compact_json

DYNAMODB = SdkV1Client("DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException")


@integration("dynamodb", "getItem")
@integration("dynamodb", "putItem")
@integration("dynamodb", "updateItem")
@integration("dynamodb", "deleteItem")
def item_operation(call: ServiceCall) -> Outcome:
    """Run the item operation on moto's DynamoDB."""
    operation = operation_name(service_model("dynamodb"), action_of(call.resource)) or ""
    result = serve(call, "dynamodb", operation, object_arguments(call), DYNAMODB.failure)
    if isinstance(result, Failure):
        return result
    body = compact_json(result)
    headers = {"Server": "Server", "Connection": "keep-alive", "x-amz-crc32": str(zlib.crc32(body.encode()))}
    return Result(sdk_v1_result(call, result, "application/x-amz-json-1.0", headers, body))
