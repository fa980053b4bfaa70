"""What a Distributed Map's ``ItemReader`` reads from S3, served by moto's S3:
``arn:aws:states:::s3:getObject`` (the object's text) and ``arn:aws:states:::s3:listObjectsV2`` (the objects).

``getObject`` answers the object's content as text, decompressed when its key ends with ``.gz`` (AWS reads GZIP
and ZSTD files by their extension; ZSTD needs a library Python 3.11 lacks, so sfnlocal refuses it). Content that
is not UTF-8 text (a Parquet file) is answered as a blob, its base64 text (:func:`sfnlocal.language.item_data.blob`),
which the ItemReader decodes for ``InputType: PARQUET`` and refuses for the text formats.
``listObjectsV2`` answers every object under ``Prefix`` (all pages), each shaped as AWS gives it to a child
execution: ``{"Etag", "Key", "LastModified" (epoch seconds), "Size", "StorageClass"}`` (AWS's ItemReader page).

A failure is ``States.ItemReaderFailed`` naming S3's error (AWS's cause for a missing object or bucket was not
recorded: the wording is sfnlocal's).

>>> from sfnlocal.language.resources import parse_resource
>>> from sfnlocal.integrations.aws.world import AwsWorld
>>> with AwsWorld() as world:
...     s3 = world.client("s3")
...     _ = s3.create_bucket(Bucket="data")
...     _ = s3.put_object(Bucket="data", Key="in/a.json", Body=b"[1, 2]")
...     def call(action, arguments):
...         return ServiceCall("Map", parse_resource(f"arn:aws:states:::s3:{action}"), arguments, "us-east-1",
...                            "123456789012", world)
...     text = get_object(call("getObject", {"Bucket": "data", "Key": "in/a.json"})).value
...     listed = list_objects(call("listObjectsV2", {"Bucket": "data", "Prefix": "in/"})).value
...     missing = get_object(call("getObject", {"Bucket": "data", "Key": "nope"}))
...     _ = s3.put_object(Bucket="data", Key="in/b.parquet", Body=b"PAR1\\xff\\x00PAR1")
...     binary = get_object(call("getObject", {"Bucket": "data", "Key": "in/b.parquet"})).value
>>> binary
{'sfnlocal.Blob': 'UEFSMf8AUEFSMQ=='}
>>> text, [(item["Key"], item["Size"], item["StorageClass"]) for item in listed]
('[1, 2]', [('in/a.json', 6, 'STANDARD')])
>>> missing.error, missing.cause
('States.ItemReaderFailed', 'S3 GetObject failed for s3://data/nope: NoSuchKey: The specified key does not exist.')
"""

from __future__ import annotations

import gzip
from typing import Any

from botocore.exceptions import ClientError

from sfnlocal.integrations.aws.aws_sdk import object_arguments
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.registry import integration
from sfnlocal.interpreter.integration import Failure, Outcome, Result
from sfnlocal.language.errors import ITEM_READER_FAILED, UNSUPPORTED
from sfnlocal.language.item_data import blob

# GetObject parameters an ItemReader may pass (AWS: "ExpectedBucketOwner and VersionId" besides Bucket and Key).
_GET_OBJECT_PARAMETERS = ("Bucket", "Key", "VersionId", "ExpectedBucketOwner")
_LIST_PARAMETERS = ("Bucket", "Prefix", "ExpectedBucketOwner", "RequestPayer")


@integration("s3", "getObject")
def get_object(call: ServiceCall) -> Outcome:
    """The object's content as text (gunzipped for a ``.gz`` key), or as a blob when it is not UTF-8 text."""
    arguments = _chosen(object_arguments(call), _GET_OBJECT_PARAMETERS)
    where = f"s3://{arguments.get('Bucket', '')}/{arguments.get('Key', '')}"
    key = str(arguments.get("Key", ""))
    if key.endswith((".zstd", ".zst")):
        return Failure(
            UNSUPPORTED,
            f"State '{call.state_name}' reads {where}: sfnlocal cannot decompress ZSTD; store it uncompressed or "
            "gzipped (.gz), or mock the state's ItemReader",
        )
    try:
        body = call.aws.client("s3").get_object(**arguments)["Body"].read()
    except ClientError as err:
        return _failure("GetObject", where, err)
    except Exception as err:  # botocore refuses a missing or mistyped parameter before asking moto
        return Failure(ITEM_READER_FAILED, f"S3 GetObject failed for {where}: {err}")
    if key.endswith(".gz"):
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError) as err:
            return Failure(ITEM_READER_FAILED, f"S3 object {where} is not GZIP data: {err}")
    try:
        return Result(body.decode("utf-8"))
    except UnicodeDecodeError:
        return Result(blob(body))  # binary content (a Parquet file): the reader says whether it takes it


@integration("s3", "listObjectsV2")
def list_objects(call: ServiceCall) -> Outcome:
    """Every object under the Prefix, as AWS gives each to a child execution."""
    arguments = _chosen(object_arguments(call), _LIST_PARAMETERS)
    where = f"s3://{arguments.get('Bucket', '')}/{arguments.get('Prefix', '')}"
    items: list[dict[str, Any]] = []
    try:
        for page in call.aws.client("s3").get_paginator("list_objects_v2").paginate(**arguments):
            items.extend(
                {
                    "Etag": entry["ETag"],
                    "Key": entry["Key"],
                    "LastModified": int(entry["LastModified"].timestamp()),
                    "Size": entry["Size"],
                    "StorageClass": entry.get("StorageClass", "STANDARD"),
                }
                for entry in page.get("Contents", [])
            )
    except ClientError as err:
        return _failure("ListObjectsV2", where, err)
    except Exception as err:  # botocore refuses a missing or mistyped parameter before asking moto
        return Failure(ITEM_READER_FAILED, f"S3 ListObjectsV2 failed for {where}: {err}")
    return Result(items)


def _chosen(arguments: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: arguments[name] for name in names if name in arguments}


def _failure(operation: str, where: str, err: ClientError) -> Failure:
    error = err.response.get("Error", {})
    return Failure(
        ITEM_READER_FAILED,
        f"S3 {operation} failed for {where}: {error.get('Code', 'Error')}: {error.get('Message', '')}",
    )
