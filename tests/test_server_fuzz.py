"""Whatever a client sends, `sfnlocal serve` answers with a 4xx in AWS's error shape and goes on serving: malformed
JSON, wrong targets, members of the wrong type or out of bounds (through the protocol layer, the operations
stubbed), and raw bytes on the socket."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sfnlocal.server.api import OPERATIONS
from sfnlocal.server.http import Server, load_operations
from sfnlocal.server.protocol import answer
from sfnlocal.server.shapes import service

OPERATION_NAMES = sorted(service().operation_names)
# Members of the API's inputs, so that drawn requests often name real members with values of any JSON type.
MEMBER_NAMES = sorted(
    {name for op in OPERATION_NAMES for name in (service().operation_model(op).input_shape or {"members": {}}).members}
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=300),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
requests = st.dictionaries(st.sampled_from(MEMBER_NAMES) | st.text(max_size=10), json_values, max_size=6)
bodies = (
    requests.map(lambda request: json.dumps(request).encode())
    | json_values.map(lambda value: json.dumps(value).encode())
    | st.binary(max_size=200)
)
targets = (
    st.none() | st.sampled_from(OPERATION_NAMES).map(lambda name: f"AWSStepFunctions.{name}") | st.text(max_size=40)
)


def _stub(engine: Any, request: dict[str, Any]) -> dict[str, Any]:
    return {}


@pytest.fixture(scope="module")
def stubbed() -> Iterator[None]:
    """Every operation a stub: what is fuzzed here is the transport, not the operations."""
    load_operations()  # registered now, so that a server made later does not register them over the stubs
    saved = dict(OPERATIONS)
    OPERATIONS.update(dict.fromkeys(OPERATION_NAMES, _stub))
    yield
    OPERATIONS.clear()
    OPERATIONS.update(saved)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=targets, body=bodies)
def test_every_request_gets_an_answer_and_never_an_internal_failure(stubbed: None, target: Any, body: bytes) -> None:
    reply = answer(None, target, body)
    assert reply.status in (200, 400)
    if reply.status == 400:
        assert set(reply.document) == {"__type", "message"}
        namespace, _, code = reply.document["__type"].partition("#")
        assert namespace in ("com.amazonaws.states", "com.amazon.coral.service") and code
    json.loads(reply.body())


@pytest.fixture(scope="module")
def server(stubbed: None) -> Iterator[Server]:
    with Server(engine=None, port=0) as running:
        yield running


def exchange(server: Server, data: bytes) -> bytes:
    with socket.create_connection((server.host, server.port), timeout=10) as raw:
        raw.sendall(data)
        raw.shutdown(socket.SHUT_WR)
        return raw.makefile("rb").read()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=300)
    | st.builds(
        lambda headers, body: b"POST / HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n" + body,
        st.lists(
            st.sampled_from(
                [
                    b"Content-Length: 5\r\n",
                    b"Content-Length: -1\r\n",
                    b"Content-Length: x\r\n",
                    b"Transfer-Encoding: chunked\r\n",
                    b"X-Amz-Target: AWSStepFunctions.ListActivities\r\n",
                    b"X-Amz-Target: \xff\r\n",
                    b"Content-Length: 99999999999\r\n",
                ]
            ),
            max_size=4,
        ).map(b"".join),
        st.binary(max_size=50),
    )
)
def test_raw_bytes_get_http_answers_in_aws_error_shape(server: Server, data: bytes) -> None:
    reply = exchange(server, data)
    # Each answer in the reply is a status line, headers, and a JSON body; a 4xx one in AWS's error shape.
    while reply:
        head, _, rest = reply.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = int(
            next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")).split(b":")[1]
        )
        body, reply = rest[:length], rest[length:]
        assert status == 200 or 400 <= status < 500, head
        if status != 200:
            assert "__type" in json.loads(body)
    assert exchange(
        server, b"POST / HTTP/1.1\r\nX-Amz-Target: AWSStepFunctions.ListActivities\r\nContent-Length: 2\r\n\r\n{}"
    ).startswith(b"HTTP/1.1 200")
