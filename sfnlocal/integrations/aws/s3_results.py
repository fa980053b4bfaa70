"""``arn:aws:states:::s3:putObject``: how a Distributed Map's ``ResultWriter`` writes its manifest and result files,
served by moto's S3.

Each request is one S3 PutObject (``Bucket``, ``Key``, ``Body``: the file's text); the answer is PutObject's
response. A failure (no such bucket, ...) is the S3 error as the AWS SDK integrations word it; the ResultWriter
turns it into ``States.ResultWriterFailed``.

>>> from sfnlocal.language.resources import parse_resource
>>> from sfnlocal.integrations.aws.world import AwsWorld
>>> with AwsWorld() as world:
...     _ = world.client("s3").create_bucket(Bucket="results")
...     call = ServiceCall("Map", parse_resource("arn:aws:states:::s3:putObject"),
...                        {"Bucket": "results", "Key": "run/manifest.json", "Body": "{}"}, "us-east-1",
...                        "123456789012", world)
...     answer = put_object(call).value
...     world.client("s3").get_object(Bucket="results", Key="run/manifest.json")["Body"].read()
b'{}'
>>> sorted(answer)
['ETag']
"""

from __future__ import annotations

from botocore.exceptions import ClientError

from sfnlocal.integrations.aws.aws_sdk import object_arguments
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.errors import sdk_failure
from sfnlocal.integrations.aws.registry import integration
from sfnlocal.interpreter.integration import Outcome, Result


@integration("s3", "putObject")
def put_object(call: ServiceCall) -> Outcome:
    """Put the object in moto's bucket; answer its ETag.

    The body is the file's text as it is (the AWS SDK integration would send a blob as JSON text instead).
    """
    arguments = object_arguments(call)
    body = arguments.get("Body", "")
    try:
        response = call.aws.client("s3").put_object(
            Bucket=str(arguments.get("Bucket", "")),
            Key=str(arguments.get("Key", "")),
            Body=body.encode("utf-8") if isinstance(body, str) else bytes(body),
        )
    except ClientError as err:
        return sdk_failure(err, "S3")
    return Result({"ETag": response.get("ETag", "")})
