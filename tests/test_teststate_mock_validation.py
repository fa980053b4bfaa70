"""``fieldValidationMode``: a mocked Task result checked against the API's output shape (botocore's model)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sfnlocal import teststate

START_EXECUTION = {
    "Type": "Task",
    "Resource": "arn:aws:states:::states:startExecution",
    "Parameters": {"StateMachineArn": "arn"},
    "End": True,
}
PUT_EVENTS = {
    "Type": "Task",
    "Resource": "arn:aws:states:::events:putEvents",
    "Parameters": {"Entries": []},
    "End": True,
}


def task(resource: str) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "End": True}


def check(state: dict[str, Any], result: Any, mode: str | None = None) -> str | None:
    """None when the mock is accepted, else AWS's message."""
    mock: dict[str, Any] = {"result": json.dumps(result)}
    if mode is not None:
        mock["fieldValidationMode"] = mode
    try:
        teststate.test_state({"definition": state, "mock": mock})
    except teststate.TestStateError as err:
        assert err.code == "ValidationException"
        return err.message
    return None


def problem(text: str) -> str:
    return f"Mock result schema validation error: {text}"


@pytest.mark.parametrize(
    ("result", "mode", "expected"),
    [
        ({}, None, problem("Required field 'ExecutionArn' is missing")),  # STRICT by default
        ({"executionArn": "a", "startDate": "d"}, "STRICT", problem("Required field 'ExecutionArn' is missing")),
        ({}, "PRESENT", None),
        ({"ExecutionArn": "a", "StartDate": 1764103483}, "STRICT", problem("Field 'StartDate' must be a string")),
        ({"StartDate": True}, "PRESENT", problem("Field 'StartDate' must be a string")),
        ({"StartDate": True}, "NONE", None),
        ({"ExecutionArn": "a", "StartDate": "d", "SdkHttpMetadata": {"HttpStatusCode": 200}}, "STRICT", None),
    ],
)
def test_required_fields_and_types(result: Any, mode: str | None, expected: str | None) -> None:
    assert check(START_EXECUTION, result, mode) == expected


@pytest.mark.parametrize(
    ("state", "result", "expected"),
    [
        (
            task("arn:aws:states:::aws-sdk:s3:getObject"),
            {"StorageClass": "Papyrus"},
            problem("Field 'StorageClass' is not an expected value"),
        ),
        (
            task("arn:aws:states:::aws-sdk:s3:getObject"),
            {"ContentLength": "9000"},
            problem("Field 'ContentLength' must be a number"),
        ),
        (
            task("arn:aws:states:::aws-sdk:kms:encrypt"),
            {"CiphertextBlob": ""},
            problem("Field 'CiphertextBlob' is smaller than the minimum length"),
        ),
        (
            task("arn:aws:states:::dynamodb:putItem"),
            {"ConsumedCapacity": {"CapacityUnits": "1.5"}},
            problem("Field 'CapacityUnits' must be a number"),
        ),
        (PUT_EVENTS, {"Entries": "none"}, problem("Field 'Entries' must be an array")),
        (PUT_EVENTS, {"Entries": [{"EventId": "1"}, {"EventId": ["2"]}]}, problem("Field 'EventId' must be a string")),
        (PUT_EVENTS, {"FailedEntryCount": 1.5}, problem("Field 'FailedEntryCount' must be an integer")),
        (PUT_EVENTS, [], "Mocked result must be a JSON object."),
    ],
)
def test_values_are_checked_against_the_member_s_shape(state: dict[str, Any], result: Any, expected: str) -> None:
    assert check(state, result, "PRESENT") == expected


@pytest.mark.parametrize(
    ("state", "result"),
    [
        # lambda:invoke gives the function's JSON as Payload, not the API's blob.
        (task("arn:aws:states:::lambda:invoke"), {"Payload": {"any": ["json"]}, "StatusCode": 200}),
        # Not an API's output: a Lambda function ARN, a callback's answer, a .sync job's description, HTTP.
        (task("arn:aws:lambda:us-east-1:123456789012:function:f"), [1]),
        (task("arn:aws:states:::sqs:sendMessage.waitForTaskToken"), {"MD5OfMessageBody": 1}),
        (task("arn:aws:states:::states:startExecution.sync:2"), {}),
        (task("arn:aws:states:::http:invoke"), {"StatusCode": "200"}),
    ],
)
def test_results_that_are_not_the_api_s_output_are_not_checked(state: dict[str, Any], result: Any) -> None:
    assert check(state, result) is None


def test_a_mock_of_a_map_or_parallel_state_is_not_checked_against_an_api() -> None:
    parallel = {
        "Type": "Parallel",
        "End": True,
        "Branches": [
            {
                "StartAt": "A",
                "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}},
            }
        ],
    }
    assert check(parallel, [{"StatusCode": "not checked"}]) is None
