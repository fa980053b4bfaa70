"""Invocations sent to a Lambda Invoke API endpoint (``sam local start-lambda``, say) instead of run here.

A real botocore ``lambda`` client is used, with the endpoint's URL and fake credentials (so nothing can
reach real AWS by accident). A response with ``X-Amz-Function-Error`` becomes the same failure as an
in-process handler's error; a request the endpoint refuses (an unknown function, say) is reported as
Step Functions reports a Lambda service error: ``Lambda.<exception name>``.
"""

from __future__ import annotations

import json
from typing import Any

from sfnlocal.integrations.lambda_functions.invocation import FunctionError
from sfnlocal.language.jsontext import compact_json

_FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class InvokeEndpoint:
    """A Lambda Invoke API at ``url``; one client per region, made on first use.

    >>> InvokeEndpoint("http://127.0.0.1:3001").url
    'http://127.0.0.1:3001'
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._clients: dict[str, Any] = {}

    def invoke(self, function_name: str, qualifier: str | None, event: Any, region: str, invocation_type: str) -> Any:
        """The function's payload (parsed JSON; None for an empty body), or :class:`FunctionError`."""
        from botocore.exceptions import ClientError

        options = {"Qualifier": qualifier} if qualifier is not None else {}
        try:
            response = self._client(region).invoke(
                FunctionName=function_name,
                InvocationType=invocation_type,
                Payload=compact_json(event).encode(),
                **options,
            )
        except ClientError as err:
            code = err.response.get("Error", {}).get("Code", "ServiceException")
            message = err.response.get("Error", {}).get("Message", "")
            raise FunctionError({"errorType": f"Lambda.{code}", "errorMessage": message}) from None
        body = response["Payload"].read()
        payload = _parse(body)
        if response.get("FunctionError"):
            raise FunctionError(payload if isinstance(payload, dict) else {"errorMessage": body.decode()})
        return payload

    def _client(self, region: str) -> Any:
        client = self._clients.get(region)
        if client is None:
            import botocore.session
            from botocore.config import Config

            session = botocore.session.Session()
            client = session.create_client(
                "lambda",
                region_name=region,
                endpoint_url=self.url,
                config=Config(retries={"max_attempts": 1}, read_timeout=900),
                **_FAKE_CREDENTIALS,
            )
            self._clients[region] = client
        return client


def _parse(body: bytes) -> Any:
    """The payload's JSON value; None for an empty body (an asynchronous invocation's, say)."""
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return body.decode(errors="replace")
