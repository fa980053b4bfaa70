"""`sfnlocal serve`'s transport driven by real boto3 over loopback HTTP: AWS JSON 1.0, requests checked against
botocore's model with AWS's ValidationException wording, AWS's error shape, timestamps, the `sync-` host prefix.

The operations here are stand-ins registered for the test (the operations themselves are tested in
test_server_operations.py); expected messages are AWS's wording (docs: "1 validation error detected: Value 'x'
at 'name' failed to satisfy constraint: Member must ..."; the conformance recordings carry the same form)."""

from __future__ import annotations

import http.client
import json
import socket
import struct
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from sfnlocal.server.api import OPERATIONS, ApiError
from sfnlocal.server.http import MAX_BODY, Server

ARN = "arn:aws:states:us-east-1:123456789012:activity:work"
CREATED = datetime(2024, 5, 1, 12, 30, 15, 250000, tzinfo=UTC)
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with Server(engine="the engine", port=0) as running:
        yield running


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, dict[str, Any]]]:
    """Stand-in operations recording (operation, engine, request)."""
    seen: list[tuple[str, Any, dict[str, Any]]] = []

    def describe(engine: Any, request: dict[str, Any]) -> dict[str, Any]:
        seen.append(("DescribeActivity", engine, request))
        if request["activityArn"].endswith(":missing"):
            raise ApiError("ActivityDoesNotExist", f"Activity Does Not Exist: '{request['activityArn']}'")
        if request["activityArn"].endswith(":bug"):
            raise RuntimeError("a bug")
        return {"activityArn": request["activityArn"], "name": "work", "creationDate": CREATED}

    def sync(engine: Any, request: dict[str, Any]) -> dict[str, Any]:
        seen.append(("StartSyncExecution", engine, request))
        return {"executionArn": "arn:x", "startDate": CREATED, "stopDate": CREATED, "status": "SUCCEEDED"}

    monkeypatch.setitem(OPERATIONS, "DescribeActivity", describe)
    monkeypatch.setitem(OPERATIONS, "StartSyncExecution", sync)
    monkeypatch.delitem(OPERATIONS, "ListMapRuns", raising=False)
    return seen


def client(server: Server, **config: Any) -> Any:
    settings = {"inject_host_prefix": False, "retries": {"total_max_attempts": 1}, **config}
    return boto3.client("stepfunctions", endpoint_url=server.endpoint_url, config=Config(**settings), **CREDENTIALS)


def error_of(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    return {
        "code": caught.value.response["Error"]["Code"],
        "message": caught.value.response["Error"]["Message"],
        "status": caught.value.response["ResponseMetadata"]["HTTPStatusCode"],
    }


def post(server: Server, body: bytes, target: str | None = "AWSStepFunctions.DescribeActivity") -> tuple[int, Any]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    headers = {"Content-Type": "application/x-amz-json-1.0"}
    if target is not None:
        headers["X-Amz-Target"] = target
    connection.request("POST", "/", body=body, headers=headers)
    response = connection.getresponse()
    try:
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_a_request_reaches_its_operation_and_the_response_reaches_boto3(server: Server, calls: list[Any]) -> None:
    described = client(server).describe_activity(activityArn=ARN)
    assert calls == [("DescribeActivity", "the engine", {"activityArn": ARN})]
    assert described["creationDate"] == CREATED  # sent as epoch seconds, read back by boto3
    assert (described["name"], described["ResponseMetadata"]["HTTPStatusCode"]) == ("work", 200)
    assert described["ResponseMetadata"]["RequestId"]


def test_an_operation_error_is_the_modelled_exception(server: Server, calls: list[Any]) -> None:
    sfn = client(server)
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist) as caught:
        sfn.describe_activity(activityArn=ARN.replace("work", "missing"))
    assert caught.value.response["Error"]["Message"] == f"Activity Does Not Exist: '{ARN.replace('work', 'missing')}'"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_failing_operation_is_an_internal_failure_and_the_server_goes_on(server: Server, calls: list[Any]) -> None:
    error = error_of(lambda: client(server).describe_activity(activityArn=ARN.replace("work", "bug")))
    assert (error["code"], error["status"]) == ("InternalFailure", 500)
    assert client(server).describe_activity(activityArn=ARN)["name"] == "work"


@pytest.mark.parametrize(
    ("operation", "request_", "message"),
    [
        (
            "describe_activity",
            {"activityArn": ""},
            "1 validation error detected: Value '' at 'activityArn' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1",
        ),
        (
            "describe_activity",
            {"activityArn": "a" * 257},
            f"1 validation error detected: Value '{'a' * 257}' at 'activityArn' failed to satisfy constraint: "
            "Member must have length less than or equal to 256",
        ),
        (
            "create_state_machine",
            {"name": "m", "definition": "", "roleArn": "arn:role", "type": "BATCH"},
            # The definition is sensitive: AWS does not repeat it.
            "2 validation errors detected: Value at 'definition' failed to satisfy constraint: Member must have "
            "length greater than or equal to 1; Value 'BATCH' at 'type' failed to satisfy constraint: Member must "
            "satisfy enum value set: [STANDARD, EXPRESS]",
        ),
        (
            "list_activities",
            {"maxResults": 1001},
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must "
            "have value less than or equal to 1000",
        ),
        (
            "start_execution",
            {"stateMachineArn": "arn:m", "traceHeader": "é"},
            "1 validation error detected: Value 'é' at 'traceHeader' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: \\p{ASCII}*",
        ),
        (
            "create_state_machine",
            {"name": "m", "definition": "{}", "roleArn": "arn:role", "tags": [{"key": "k" * 129}]},
            f"1 validation error detected: Value '{'k' * 129}' at 'tags.1.member.key' failed to satisfy constraint: "
            "Member must have length less than or equal to 128",
        ),
        (
            "send_task_success",
            {"output": "{}"},
            "1 validation error detected: Value null at 'taskToken' failed to satisfy constraint: Member must not "
            "be null",
        ),
    ],
)
def test_requests_are_checked_against_the_model_in_aws_words(
    server: Server, calls: list[Any], operation: str, request_: dict[str, Any], message: str
) -> None:
    # boto3 checks requests itself; turned off here, as other SDKs and hand-made requests do not.
    sfn = client(server, parameter_validation=False)
    error = error_of(lambda: getattr(sfn, operation)(**request_))
    assert error == {"code": "ValidationException", "message": message, "status": 400}


def test_a_string_counts_utf16_code_units_as_aws_does(server: Server, calls: list[Any]) -> None:
    # 128 emoji are 256 UTF-16 code units: the longest ARN there may be; one more character is too long.
    assert client(server).describe_activity(activityArn="😀" * 128)["name"] == "work"
    error = error_of(lambda: client(server, parameter_validation=False).describe_activity(activityArn="😀" * 128 + "a"))
    assert error["code"] == "ValidationException"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"activityArn": 42}', "Expected a string at 'activityArn', not a number"),
        (b'{"activityArn": true}', "Expected a string at 'activityArn', not a boolean"),
        (b"[]", "The request body must be a JSON object"),
        (b"\xff\xfe", "The request body is not UTF-8 text"),
    ],
)
def test_an_unreadable_body_is_a_serialization_exception(
    server: Server, calls: list[Any], body: bytes, message: str
) -> None:
    assert post(server, body) == (
        400,
        {"__type": "com.amazon.coral.service#SerializationException", "message": message},
    )
    assert calls == []


def test_bad_json_is_a_serialization_exception(server: Server, calls: list[Any]) -> None:
    for body in (b"{", b'{"activityArn": NaN}', b"[" * 100_000):
        status, document = post(server, body)
        assert (status, document["__type"]) == (400, "com.amazon.coral.service#SerializationException")


@pytest.mark.parametrize(
    "target",
    [None, "AWSStepFunctions.Nope", "AmazonSQS.SendMessage", "AWSStepFunctions.", "AWSStepFunctions.ListMapRuns"],
)
def test_a_target_that_is_not_an_operation_served_is_an_unknown_operation(
    server: Server, calls: list[Any], target: str | None
) -> None:
    status, document = post(server, b'{"executionArn": "arn:x"}', target)  # ListMapRuns's required member
    assert (status, document["__type"]) == (400, "com.amazon.coral.service#UnknownOperationException")


def test_a_body_over_the_limit_is_refused_before_it_is_read(server: Server) -> None:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    connection.putrequest("POST", "/")
    connection.putheader("X-Amz-Target", "AWSStepFunctions.DescribeActivity")
    connection.putheader("Content-Length", str(MAX_BODY + 1))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413
    assert json.loads(response.read())["__type"].endswith("#RequestEntityTooLargeException")
    connection.close()


def test_other_methods_and_unreadable_request_lines_get_aws_error_shapes(server: Server) -> None:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    connection.request("GET", "/")
    response = connection.getresponse()
    assert (response.status, json.loads(response.read())["__type"]) == (
        405,
        "com.amazon.coral.service#UnknownOperationException",
    )
    connection.close()
    with socket.create_connection((server.host, server.port), timeout=10) as raw:
        raw.sendall(b"NONSENSE\r\n\r\n")
        reply = raw.makefile("rb").read()
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert json.loads(body)["__type"] == "com.amazon.coral.service#SerializationException"


def test_connections_are_kept_alive(server: Server, calls: list[Any]) -> None:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    headers = {"X-Amz-Target": "AWSStepFunctions.DescribeActivity"}
    for _ in range(3):
        connection.request("POST", "/", body=json.dumps({"activityArn": ARN}), headers=headers)
        response = connection.getresponse()
        assert (response.status, json.loads(response.read())["name"]) == (200, "work")
    connection.close()
    assert len(calls) == 3


def test_boto3_s_sync_host_prefix_reaches_the_server(
    server: Server, calls: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """boto3 sends StartSyncExecution to ``sync-<host>`` (its model's hostPrefix), even with an endpoint_url:
    where that name resolves to the server (here: the resolver is told so), the server answers it."""
    resolve = socket.getaddrinfo

    def resolving_sync_localhost(host: Any, *args: Any, **kwargs: Any) -> Any:
        return resolve("127.0.0.1" if host == "sync-localhost" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolving_sync_localhost)
    sfn = boto3.client("stepfunctions", endpoint_url=f"http://localhost:{server.port}", **CREDENTIALS)
    urls: list[str] = []
    sfn.meta.events.register("before-send", lambda request, **_: urls.append(request.url))
    started = sfn.start_sync_execution(stateMachineArn="arn:aws:states:us-east-1:123456789012:stateMachine:m")
    assert urls == [f"http://sync-localhost:{server.port}/"]
    assert (started["status"], started["stopDate"]) == ("SUCCEEDED", CREATED)
    # The same operation on the plain endpoint (host prefix injection off) is served too.
    assert client(server).start_sync_execution(stateMachineArn="arn:m")["status"] == "SUCCEEDED"


def test_a_client_that_leaves_during_a_long_poll_leaves_no_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    # The AWS CLI's read timeout can run out during GetActivityTask's long poll: the server then writes its answer
    # to a closed connection, which is nobody's error.
    from sfnlocal.server.engine import Engine

    with Server(Engine(activity_poll_seconds=0.3), port=0) as running:
        boto = client(running)
        arn = boto.create_activity(name="Slow")["activityArn"]
        body = json.dumps({"activityArn": arn}).encode()
        with socket.create_connection((running.host, running.port)) as leaving:
            # Closed with a reset (linger on, 0 seconds), as a client process that gives up and exits.
            leaving.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            leaving.sendall(
                b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
                b"X-Amz-Target: AWSStepFunctions.GetActivityTask\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
        assert boto.describe_activity(activityArn=arn)["name"] == "Slow"  # still serving
        time.sleep(0.5)  # the poll ends and its answer meets the closed connection
        assert boto.describe_activity(activityArn=arn)["name"] == "Slow"
    assert "Traceback" not in capfd.readouterr().err
