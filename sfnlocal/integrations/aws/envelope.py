"""What AWS's Java SDK v1 adds to the result of an optimized integration (SQS, SNS, DynamoDB).

Step Functions returns the SDK's whole result object, so the service's answer comes with
``SdkHttpMetadata`` (the HTTP headers and status) and ``SdkResponseMetadata`` (the request id), as
recorded. Headers are plausible: ``Content-Length`` is the length of the service's response body,
``Date`` the execution's clock, the request id the fixed fake of
:mod:`~sfnlocal.integrations.aws.errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import formatdate
from typing import Any

from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.errors import REQUEST_ID
from sfnlocal.language.jsontext import compact_json

# The clock outside an execution (a handler called directly): 2025-01-01T00:00:00Z, sfnlocal's default start.
_DEFAULT_NOW = 1_735_689_600.0


def http_date(call: ServiceCall) -> str:
    """The ``Date`` header of a response: the execution's clock, in HTTP's format.

    >>> from sfnlocal.language.resources import parse_resource
    >>> http_date(ServiceCall("S", parse_resource("arn:aws:states:::sqs:sendMessage"), {}, "us-east-1", "1", None))
    'Wed, 01 Jan 2025 00:00:00 GMT'
    """
    now = call.request.clock.now if call.request is not None else _DEFAULT_NOW
    return formatdate(now, usegmt=True)


def with_sdk_metadata(result: Mapping[str, Any], headers: Mapping[str, str], body: str) -> dict[str, Any]:
    """``result`` with ``SdkHttpMetadata`` and ``SdkResponseMetadata`` for a 200 response of ``body``.

    ``headers`` are the service's own (their names as it spells them); the request id and
    ``Content-Length`` are added.

    >>> http = with_sdk_metadata({"MessageId": "m-1"}, {"Content-Type": "text/xml"}, "<x/>")["SdkHttpMetadata"]
    >>> http["HttpHeaders"]["Content-Length"], http["AllHttpHeaders"]["Content-Type"]
    ('4', ['text/xml'])
    """
    all_headers = {**headers, "x-amzn-RequestId": REQUEST_ID, "Content-Length": str(len(body.encode()))}
    return {
        **result,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {name: [value] for name, value in all_headers.items()},
            "HttpHeaders": all_headers,
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": {"RequestId": REQUEST_ID},
    }


def sdk_v1_result(
    call: ServiceCall,
    result: Mapping[str, Any],
    content_type: str,
    headers: Mapping[str, str] | None = None,
    body: str | None = None,
) -> dict[str, Any]:
    """An optimized integration's result: ``result`` with the metadata of a 200 response whose headers are
    the service's own ``headers``, then ``Date`` (the execution's clock) and ``Content-Type``, and whose body
    is ``body`` (default: ``result`` as compact JSON, which is what most services answer).

    >>> from sfnlocal.language.resources import parse_resource
    >>> call = ServiceCall("S", parse_resource("arn:aws:states:::sqs:sendMessage"), {}, "us-east-1", "1", None)
    >>> result = sdk_v1_result(call, {"MessageId": "m-1"}, "application/x-amz-json-1.0")
    >>> headers = result["SdkHttpMetadata"]["HttpHeaders"]
    >>> list(headers), headers["Content-Length"]  # the body '{"MessageId":"m-1"}' is 19 bytes
    (['Date', 'Content-Type', 'x-amzn-RequestId', 'Content-Length'], '19')
    """
    all_headers = {**(headers or {}), "Date": http_date(call), "Content-Type": content_type}
    return with_sdk_metadata(result, all_headers, compact_json(result) if body is None else body)
