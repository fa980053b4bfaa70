"""The AWS services an execution talks to: moto, in-process, started on first use.

By default every execution gets a world of its own, started by its first AWS call and stopped when it
ends. A test that wants to seed data first and inspect it after creates an :class:`AwsWorld`, uses it
as a context manager around its own boto3 calls, and passes it to ``execute(aws=world)``; such a world
is neither reset nor stopped by the execution.

All started worlds share one moto (its backends are process-wide): the first to start gets fresh,
empty services, the last to stop drops the data, and a world started while another (or the user's own
``mock_aws()``) runs sees that one's data, so executions that do not overlap do not see each other's.

A world leaves ``os.environ`` alone, so that an execution, even one suspended for hours, does not
change the process's environment: its clients carry fake credentials, its region and its account (in
the ``x-moto-account-id`` header moto reads), and moto is started with ``core.mock_credentials`` off.
Only the ``with`` block, the user's own scope for plain boto3 calls, sets variables
(:meth:`AwsWorld.environment`), and it puts them back on the way out.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

# What the world's own clients sign with: never real credentials, so nothing can reach a real account.
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "aws_session_token": "testing"}
# The same, as the environment variables a ``with`` block sets for the user's plain boto3 clients.
DEFAULT_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_SECURITY_TOKEN": "testing",
}
# The request header moto attributes a request's account by (after MOTO_ACCOUNT_ID, which wins).
ACCOUNT_HEADER = "x-moto-account-id"


@contextmanager
def _moto_credentials_off() -> Iterator[None]:
    """Pin moto's ``core.mock_credentials`` off for one start or stop of ours, then put it back.

    moto writes (and on stop removes) fake credentials in ``os.environ`` when that setting is on at the
    time; leaving it off after our start would also keep a user's own ``mock_aws()``, stopped later,
    from removing the ones it wrote.
    """
    from moto.core.config import default_user_config

    config = cast(dict[str, Any], default_user_config)
    had_core = "core" in config
    core = config.get("core")
    config["core"] = {**(core or {}), "mock_credentials": False}
    try:
        yield
    finally:
        if had_core:
            config["core"] = core
        else:
            config.pop("core", None)


class _SharedMoto:
    """One ``mock_aws`` for all the started worlds, counted here so that it is started and stopped once.

    moto counts its starts too, but each start of a ``mock_aws`` patches its configuration in a way only
    the last stop undoes; one mock keeps those patches balanced however worlds interleave.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._mock: Any = None

    def acquire(self) -> None:
        """Start moto (with fresh services, unless another mock runs) for the first user."""
        with self._lock:
            if self._users == 0:
                from moto import mock_aws
                from moto.core.config import default_user_config

                # moto merges this over its configuration key by key: "core" is replaced whole.
                config: Any = {"core": {**default_user_config.get("core", {}), "mock_credentials": False}}
                mock = mock_aws(config=config)
                with _moto_credentials_off():
                    mock.start()
                self._mock = mock
            self._users += 1

    def release(self) -> None:
        """Stop moto (its data is gone) when the last user leaves."""
        with self._lock:
            if self._users == 0:
                return
            self._users -= 1
            if self._users == 0:
                mock, self._mock = self._mock, None
                with _moto_credentials_off():
                    mock.stop()


_MOTO = _SharedMoto()


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
        self._started = False
        self._saved_environments: list[dict[str, str | None]] = []
        self._clients: dict[str, Any] = {}

    @property
    def started(self) -> bool:
        """Whether moto is running for this world."""
        return self._started

    def environment(self) -> dict[str, str]:
        """The variables a ``with`` block sets, so that plain boto3 clients in it reach this world:
        fake credentials, the region, and the account (``MOTO_ACCOUNT_ID``, which moto puts before any
        other way of naming one, so an execution making its own world inside the block uses it too)."""
        return {**DEFAULT_CREDENTIALS, "AWS_DEFAULT_REGION": self.region, "MOTO_ACCOUNT_ID": self.account}

    def start(self) -> AwsWorld:
        """Start moto if not started yet (fresh, empty services unless another world runs); the
        environment is not touched. moto and boto3 are imported here."""
        if not self._started:
            _MOTO.acquire()
            self._started = True
        return self

    def stop(self) -> None:
        """Leave moto: the data is gone when no other world (or user's mock) still runs."""
        if not self._started:
            return
        self._started = False
        self._clients.clear()
        _MOTO.release()

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` against this world (starting it if needed), cached per service.

        Its credentials, region and account are its own, not the environment's; endpoints configured in
        the environment or ``~/.aws/config`` are ignored, so its requests always go where moto answers.
        """
        self.start()
        if service not in self._clients:
            import boto3
            from botocore.config import Config

            client = boto3.client(
                service,
                region_name=self.region,
                config=Config(ignore_configured_endpoint_urls=True),
                **FAKE_CREDENTIALS,
            )
            client.meta.events.register("before-sign", self._name_account)
            self._clients[service] = client
        return self._clients[service]

    @contextmanager
    def handler_scope(self) -> Iterator[None]:
        """The environment a handler runs in, so that its boto3/botocore calls reach this world and nothing
        else: the world started, and the variables of :meth:`environment` set while the block runs (put back
        after)."""
        self.start()
        overrides = self.environment()
        saved = {key: os.environ.get(key) for key in overrides}
        os.environ.update(overrides)
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    def _name_account(self, request: Any, **_: Any) -> None:
        """Tell moto which account the request is for (botocore's before-sign event)."""
        request.headers[ACCOUNT_HEADER] = self.account

    def __enter__(self) -> AwsWorld:
        """Start, with the variables of :meth:`environment` set for the block's own boto3 calls."""
        overrides = self.environment()
        self._saved_environments.append({key: os.environ.get(key) for key in overrides})
        os.environ.update(overrides)
        try:
            return self.start()
        except BaseException:
            self._restore_environment()
            raise

    def __exit__(self, *exc_info: object) -> None:
        """Stop (when the outermost block ends) and put the variables back as the block found them."""
        try:
            if len(self._saved_environments) == 1:
                self.stop()
        finally:
            self._restore_environment()

    def _restore_environment(self) -> None:
        """Put back the variables the innermost ``with`` block found, removing those that were absent."""
        for key, value in self._saved_environments.pop().items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
