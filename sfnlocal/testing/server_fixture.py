"""The ``sfn_server`` fixture: ``sfnlocal serve`` on a free loopback port for the test session, for code under
test that talks to Step Functions through an endpoint URL.

``sfn_server.endpoint_url`` is the URL to give that code; ``sfn_server.client()`` a boto3 ``stepfunctions``
client of it, with fake credentials and the host prefix that boto3 puts before StartSyncExecution's and
TestState's host (``sync-127.0.0.1`` resolves nowhere) turned off. ``sfn_server.engine`` is the server's
engine, to inspect. Override the fixture for another region or account. See docs/server.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class SfnServer:
    """A running server: its :attr:`endpoint_url`, its :attr:`engine`, and boto3 clients for it."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.engine = server.engine
        self.endpoint_url: str = server.endpoint_url

    def client(self, **options: Any) -> Any:
        """A boto3 ``stepfunctions`` client of the server (``options`` go to ``boto3.client``).

        Fake credentials; the engine's region; no retries (a test sees the first answer); no ``sync-`` host
        prefix (boto3 would send StartSyncExecution and TestState to ``sync-127.0.0.1``, a name that does not
        resolve: the server answers every operation on its plain endpoint).
        """
        import boto3
        from botocore.config import Config

        settings: dict[str, Any] = {
            "endpoint_url": self.endpoint_url,
            "region_name": getattr(self.engine, "region", "us-east-1"),
            # GetActivityTask is held up to 60 s, as AWS holds it: AWS advises a read timeout of 65 s or more.
            "config": Config(inject_host_prefix=False, retries={"total_max_attempts": 1}, read_timeout=65),
            **FAKE_CREDENTIALS,
            **options,
        }
        return boto3.client("stepfunctions", **settings)


@pytest.fixture(scope="session")
def sfn_server() -> Iterator[SfnServer]:
    """``sfnlocal serve`` on a free loopback port for the session (virtual clock, nothing persisted):
    ``.endpoint_url``, ``.client()`` (a boto3 stepfunctions client), ``.engine``."""
    # Imported here: the plugin is loaded by every pytest session, most of which never start a server.
    from sfnlocal.server.engine import Engine
    from sfnlocal.server.http import Server

    with Server(Engine(), port=0) as server:
        yield SfnServer(server)
