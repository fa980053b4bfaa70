"""``POST /sfnlocal/clock``: reading and advancing the server's clock over HTTP (loopback clients only), with a
boto3 client seeing what the advance ran."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from sfnlocal.server.admin import admin_answer
from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server
from sfnlocal.testing.server_fixture import SfnServer

ROLE = "arn:aws:iam::123456789012:role/run"
HOUR_WAIT = json.dumps({"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 3600, "End": True}}})


@pytest.fixture(params=["virtual", "real"])
def server(request: pytest.FixtureRequest) -> Iterator[SfnServer]:
    engine = Engine(clock=request.param)
    with Server(engine, port=0) as running:
        yield SfnServer(running)
    engine.close()


def post(server: SfnServer, path: str, body: bytes) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(server.endpoint_url + path, data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_advancing_the_clock_runs_a_wait_out(server: SfnServer) -> None:
    sfn = server.client()
    machine = sfn.create_state_machine(name="Hour", definition=HOUR_WAIT, roleArn=ROLE)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    if server.engine.clock == "real":
        assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    status, read = post(server, "/sfnlocal/clock", b"{}")
    assert status == 200 and read["advancedSeconds"] == 0 and read["clock"] == server.engine.clock
    status, advanced = post(server, "/sfnlocal/clock", b'{"advanceSeconds": 3600}')
    assert status == 200 and advanced["advancedSeconds"] == 3600
    assert advanced["now"] - read["now"] >= 3600 and advanced["nowIso"].endswith("Z")
    assert sfn.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/sfnlocal/clock", b'{"advanceSeconds": -1}', 400, "ValidationException"),
        ("/sfnlocal/clock", b'{"advanceSeconds": "60"}', 400, "ValidationException"),
        ("/sfnlocal/clock", b'{"advanceSeconds": true}', 400, "ValidationException"),
        ("/sfnlocal/clock", b"[1]", 400, "SerializationException"),
        ("/sfnlocal/clock", b"{", 400, "SerializationException"),
        ("/sfnlocal/time", b"{}", 404, "UnknownOperationException"),
    ],
)
def test_refusals_have_the_apis_error_shape(server: SfnServer, path: str, body: bytes, status: int, code: str) -> None:
    answered, document = post(server, path, body)
    assert answered == status and document["__type"].endswith("#" + code) and document["message"]


def test_only_loopback_clients_may_call_it() -> None:
    answered = admin_answer(Engine(), "/sfnlocal/clock", b'{"advanceSeconds": 5}', "10.0.0.8")
    assert answered.status == 403 and answered.document["__type"].endswith("#AccessDeniedException")
    assert admin_answer(Engine(), "/sfnlocal/clock", b"{}", "::1").status == 200
