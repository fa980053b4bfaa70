"""LambdaFunctions(endpoint=URL) sends invocations to a Lambda Invoke API (as `sam local start-lambda` offers),
here a small Invoke-compatible server on loopback (support.InvokeApi)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from support import InvokeApi, invoke_api

from sfnlocal import StateMachine
from sfnlocal.integrations.lambda_functions import LambdaFunction, LambdaFunctions

INVOKE = "arn:aws:states:::lambda:invoke"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with invoke_api() as url:
        yield url


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
