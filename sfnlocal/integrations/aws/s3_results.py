"""``arn:aws:states:::s3:putObject``: how a Distributed Map's ``ResultWriter`` writes its manifest and result files,
served by moto's S3.

Each request is one S3 PutObject (``Bucket``, ``Key``, ``Body``: the file's text, or for a result file the binary
file the ResultWriter wrote it to); the answer is PutObject's response. A file is put into moto's bucket directly,
read once: through the S3 client, a result file of a million children (hundreds of MB) would be copied several times
on its way (the request's checksum, its body, moto's parsing) at once.

A failure (no such bucket, ...) is the S3 error as the AWS SDK integrations word it; the ResultWriter
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
>>> import io
>>> with AwsWorld() as world:
...     _ = world.client("s3").create_bucket(Bucket="results")
...     call = ServiceCall("Map", parse_resource("arn:aws:states:::s3:putObject"),
...                        {"Bucket": "results", "Key": "run/SUCCEEDED_0.json", "Body": io.BytesIO(b"[1]")},
...                        "us-east-1", "123456789012", world)
...     answer = put_object(call).value
...     world.client("s3").get_object(Bucket="results", Key="run/SUCCEEDED_0.json")["Body"].read(), answer["ETag"][:1]
(b'[1]', '"')
"""

from __future__ import annotations

from typing import IO

from botocore.exceptions import ClientError

from sfnlocal.integrations.aws.aws_sdk import object_arguments
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.errors import sdk_failure
from sfnlocal.integrations.aws.registry import integration
from sfnlocal.interpreter.integration import Outcome, Result


@integration("s3", "putObject")
def put_object(call: ServiceCall) -> Outcome:
    """Put the object in moto's bucket; answer its ETag.

    The body is the file's text as it is (the AWS SDK integration would send a blob as JSON text instead), or a
    binary file, read from where it is.
    """
    arguments = object_arguments(call)
    bucket, key, body = str(arguments.get("Bucket", "")), str(arguments.get("Key", "")), arguments.get("Body", "")
    s3 = call.aws.client("s3")
    try:
        if hasattr(body, "read"):
            s3.head_bucket(Bucket=bucket)  # the missing bucket's error, as the client words it
            return Result({"ETag": _put_file(call, bucket, key, body)})
        response = s3.put_object(
            Bucket=bucket, Key=key, Body=body.encode("utf-8") if isinstance(body, str) else bytes(body)
        )
    except ClientError as err:
        return sdk_failure(err, "S3")
    return Result({"ETag": response.get("ETag", "")})


def _put_file(call: ServiceCall, bucket: str, key: str, body: IO[bytes]) -> str:
    """Store the file as the object in moto's backend of the call's account (what the client's PutObject stores,
    without the copies); return the object's ETag.

    moto keeps an object's bytes in a spooled temporary file of its own (on disk past a few MB): the file is copied
    into it in chunks, so that not even one copy of a result file of hundreds of MB is in memory at once.
    """
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    stored = s3_backends[call.account][get_partition(call.region)].put_object(bucket, key, b"")
    with stored.lock:
        size = 0
        while chunk := body.read(_CHUNK):
            stored._value_buffer.write(chunk)
            size += len(chunk)
        stored.contentsize = size
        stored._etag = None  # moto computes it again, from what is stored now
    return str(stored.etag)


_CHUNK = 8 * 1024 * 1024
