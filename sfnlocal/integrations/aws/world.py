"""The AWS services an execution talks to: moto, in-process, started on first use.

By default every execution gets a world of its own: moto's backends are reset when it starts, and
stopped when the execution ends, so executions do not see each other's data. A test that wants to
seed data first and inspect it after creates an :class:`AwsWorld`, uses it as a context manager
around its own boto3 calls, and passes it to ``execute(aws=world)``; such a world is neither reset
nor stopped by the execution.
"""

from __future__ import annotations

import os
from typing import Any

DEFAULT_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_SECURITY_TOKEN": "testing",
}


class AwsWorld:
    """An in-process AWS (moto) for one or more executions.

    >>> with AwsWorld(region="eu-west-1") as world:
    ...     s3 = world.client("s3")
    ...     _ = s3.create_bucket(Bucket="orders", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    ...     [b["Name"] for b in s3.list_buckets()["Buckets"]]
    ['orders']
    """

    def __init__(self, region: str = "us-east-1", account: str = "123456789012") -> None:
        self.region = region
        self.account = account
        self._mock: Any = None
        self._saved_environment: dict[str, str | None] = {}
        self._clients: dict[str, Any] = {}

    @property
    def started(self) -> bool:
        """Whether moto is running for this world."""
        return self._mock is not None

    def start(self) -> AwsWorld:
        """Start moto (with fresh, empty services) if not started yet; moto and boto3 are imported here."""
        if self._mock is None:
            from moto import mock_aws

            # moto must never reach a real account: pin fake credentials and the account it reports.
            overrides = {**DEFAULT_CREDENTIALS, "MOTO_ACCOUNT_ID": self.account, "AWS_DEFAULT_REGION": self.region}
            self._saved_environment = {key: os.environ.get(key) for key in overrides}
            os.environ.update(overrides)
            self._mock = mock_aws()
            self._mock.start()
        return self

    def stop(self) -> None:
        """Stop moto and restore the environment; the data is gone."""
        if self._mock is None:
            return
        self._mock.stop()
        self._mock = None
        self._clients.clear()
        for key, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` against this world (starting it if needed), cached per service."""
        self.start()
        if service not in self._clients:
            import boto3

            self._clients[service] = boto3.client(service, region_name=self.region)
        return self._clients[service]

    def __enter__(self) -> AwsWorld:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
