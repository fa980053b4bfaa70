"""LambdaFunctions(endpoint=URL) sends invocations to a Lambda Invoke API (as `sam local start-lambda` offers),
here a small Invoke-compatible server on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sfnlocal import StateMachine
from sfnlocal.integrations.lambda_functions import LambdaFunction, LambdaFunctions

INVOKE = "arn:aws:states:::lambda:invoke"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:"


class InvokeApi(BaseHTTPRequestHandler):
    """POST /2015-03-31/functions/{name}/invocations, as Lambda's Invoke API answers it."""

    calls: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        name = self.path.split("/functions/", 1)[1].split("/", 1)[0]
        if "Qualifier=" in self.path:
            name += ":" + self.path.split("Qualifier=", 1)[1]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"null")
        type(self).calls.append(
            {
                "name": name,
                "event": body,
                "type": self.headers.get("X-Amz-Invocation-Type"),
                "auth": self.headers["Authorization"],
            }
        )
        if name == "missing":
            payload = {"Type": "User", "message": "Function not found: missing"}
            self._answer(404, payload, {"x-amzn-ErrorType": "ResourceNotFoundException"})
        elif self.headers.get("X-Amz-Invocation-Type") == "Event":
            self._answer(202, None, {})
        elif body.get("fail"):
            payload = {"errorMessage": "card expired", "errorType": "PaymentDeclined", "stackTrace": []}
            self._answer(200, payload, {"X-Amz-Function-Error": "Unhandled", "X-Amz-Executed-Version": "$LATEST"})
        else:
            self._answer(200, {"echo": body, "function": name}, {"X-Amz-Executed-Version": "$LATEST"})

    def _answer(self, status: int, payload: object, headers: dict[str, str]) -> None:
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        for key, value in {"Content-Type": "application/json", **headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), InvokeApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def functions(endpoint: str, *names: str) -> LambdaFunctions:
    # runtimes sfnlocal cannot run in-process are fine there: the endpoint runs them
    return LambdaFunctions(
        [LambdaFunction(n, "index.handler", None, runtime="nodejs20.x") for n in names], endpoint=endpoint
    )


def invoke(function_name: str, **arguments: object) -> StateMachine:
    task = {
        "Type": "Task",
        "Resource": INVOKE,
        "Parameters": {"FunctionName": function_name, "Payload.$": "$", **arguments},
        "End": True,
    }
    return StateMachine.from_dict({"StartAt": "T", "States": {"T": task}})


def test_an_invocation_goes_to_the_endpoint_with_fake_credentials(endpoint: str) -> None:
    InvokeApi.calls.clear()
    run = invoke("charge:live").execute({"amount": 5}, integration=functions(endpoint, "charge"))
    assert run.status == "SUCCEEDED", run.cause
    assert run.output["Payload"] == {"echo": {"amount": 5}, "function": "charge:live"}
    assert run.output["StatusCode"] == 200
    (call,) = InvokeApi.calls
    assert call["type"] == "RequestResponse" and "Credential=testing/" in call["auth"]


def test_a_plain_function_arn_gets_the_payload(endpoint: str) -> None:
    sm = StateMachine.from_dict(
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": FUNCTION_ARN + "charge", "End": True}}}
    )
    assert sm.execute({"n": 1}, integration=functions(endpoint, "charge")).output == {
        "echo": {"n": 1},
        "function": "charge",
    }


def test_a_function_error_is_the_same_failure_as_in_process(endpoint: str) -> None:
    run = invoke("charge").execute({"fail": True}, integration=functions(endpoint, "charge"))
    assert (run.status, run.error) == ("FAILED", "PaymentDeclined")
    assert run.cause == '{"errorMessage":"card expired","errorType":"PaymentDeclined","stackTrace":[]}'


def test_an_event_invocation_answers_202(endpoint: str) -> None:
    run = invoke("charge", InvocationType="Event").execute({}, integration=functions(endpoint, "charge"))
    assert (run.output["StatusCode"], run.output["Payload"]) == (202, "")


def test_a_function_the_endpoint_does_not_know_is_a_lambda_service_error(endpoint: str) -> None:
    run = invoke("missing").execute({}, integration=functions(endpoint, "missing"))
    assert run.error == "Lambda.ResourceNotFoundException"
    assert json.loads(run.cause)["errorMessage"] == "Function not found: missing"
