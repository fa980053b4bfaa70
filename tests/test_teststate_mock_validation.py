"""``fieldValidationMode``: a mocked Task result checked against the output of the API it stands for.

Expected messages are AWS's where a recording has them: ../shared/conformance/teststate (replayed whole by
test_teststate_corpus.py) and LocalStack's test_field_validation_mode.snapshot.json, recorded from AWS on
2025-11-26 (the minimum and maximum value of Lambda's MemorySize). Messages that no recording has are
sfnlocal's own, marked so where they are expected.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from sfnlocal import teststate
from sfnlocal.integrations.aws.aws_sdk import service_model

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


GET_FUNCTION = task("arn:aws:states:::aws-sdk:lambda:getFunction")
GET_OBJECT = task("arn:aws:states:::aws-sdk:s3:getObject")
LAMBDA_INVOKE = task("arn:aws:states:::lambda:invoke")


def check(state: dict[str, Any], result: Any, mode: str | None = None) -> str | None:
    """None when the mock is accepted, else the ValidationException's message."""
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
        # Recorded: STRICT is the default; required members are named as Step Functions names them.
        ({}, None, problem("Required field 'ExecutionArn' is missing")),
        ({"executionArn": "a", "startDate": "d"}, "STRICT", problem("Required field 'ExecutionArn' is missing")),
        # Recorded: PRESENT checks the members present only, unknown ones (other casing) included as unknown.
        ({}, "PRESENT", None),
        ({"executionArn": "a", "startDate": "d"}, "PRESENT", None),
        ({"StartDate": True}, "PRESENT", problem("Field 'StartDate' must be a string")),
        ({"ExecutionArn": 1764103483}, "PRESENT", problem("Field 'ExecutionArn' must be a string")),
        # Recorded: NONE checks nothing but the JSON.
        ({}, "NONE", None),
        ({"ExecutionArn": "a", "StartDate": True}, "NONE", None),
        # Recorded: a timestamp is any string (LocalStack's recording sends Python's isoformat(), no zone).
        ({"ExecutionArn": "a", "StartDate": 1764103483}, "STRICT", problem("Field 'StartDate' must be a string")),
        ({"ExecutionArn": "a", "StartDate": "2025-01-15T10:30:00.123456"}, "STRICT", None),
        # Fields the API does not define pass in every mode (recorded), metadata Step Functions adds too.
        ({"ExecutionArn": "a", "StartDate": "d", "SdkHttpMetadata": {"HttpStatusCode": 200}}, "STRICT", None),
    ],
)
def test_strict_present_and_none(result: Any, mode: str | None, expected: str | None) -> None:
    assert check(START_EXECUTION, result, mode) == expected


def test_strict_requires_the_required_members_of_nested_structures_too() -> None:
    # Lambda's FileSystemConfig requires Arn and LocalMountPath. Not recorded: the API reference's "all
    # required fields must be present" read for every structure of the result, not only the outer one.
    arn = "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0"
    result = {"Configuration": {"FileSystemConfigs": [{"Arn": arn}]}}
    assert check(GET_FUNCTION, result, "STRICT") == problem("Required field 'LocalMountPath' is missing")
    assert check(GET_FUNCTION, result, "PRESENT") is None


@pytest.mark.parametrize(
    ("state", "result", "expected"),
    [
        # Recorded from AWS, in STRICT and PRESENT alike.
        (GET_OBJECT, {"StorageClass": "Papyrus"}, problem("Field 'StorageClass' is not an expected value")),
        (GET_OBJECT, {"ContentLength": "9000"}, problem("Field 'ContentLength' must be a number")),
        (LAMBDA_INVOKE, {"StatusCode": "200"}, problem("Field 'StatusCode' must be a number")),
        (
            task("arn:aws:states:::aws-sdk:kms:encrypt"),
            {"CiphertextBlob": ""},
            problem("Field 'CiphertextBlob' is smaller than the minimum length"),
        ),
        (
            task("arn:aws:states:::aws-sdk:kms:encrypt"),
            {"CiphertextBlob": 123},
            problem("Field 'CiphertextBlob' must be a string"),
        ),
        (
            task("arn:aws:states:::dynamodb:putItem"),
            {"ConsumedCapacity": {"CapacityUnits": "123.45"}},
            problem("Field 'CapacityUnits' must be a number"),
        ),
        (PUT_EVENTS, {"Entries": "none"}, problem("Field 'Entries' must be an array")),
        (PUT_EVENTS, {"Entries": [{"EventId": ["1"]}]}, problem("Field 'EventId' must be a string")),
        (PUT_EVENTS, {"Entries": [{"EventId": "1"}, {"EventId": ["2"]}]}, problem("Field 'EventId' must be a string")),
        (
            GET_FUNCTION,
            {"Configuration": {"MemorySize": 127}},
            problem("Field 'MemorySize' is less than the minimum value"),
        ),
        # Not recorded: sfnlocal's wording for these types.
        (GET_OBJECT, {"DeleteMarker": "true"}, problem("Field 'DeleteMarker' must be a boolean")),
        (PUT_EVENTS, {"FailedEntryCount": 1.5}, problem("Field 'FailedEntryCount' must be an integer")),
        (GET_OBJECT, {"Metadata": ["a"]}, problem("Field 'Metadata' must be an object")),
        (
            task("arn:aws:states:::dynamodb:getItem"),
            {"ConsumedCapacity": "high"},
            problem("Field 'ConsumedCapacity' must be an object"),
        ),
        # A map's values have the map's value shape, named by the map (a DynamoDB item: attribute values).
        (GET_OBJECT, {"Metadata": {"owner": 1}}, problem("Field 'Metadata' must be a string")),
        (
            task("arn:aws:states:::dynamodb:getItem"),
            {"Item": {"id": {"S": 1}}},
            problem("Field 'S' must be a string"),
        ),
        # Lengths: a string's (not recorded above the maximum), a list's (neither recorded).
        (PUT_EVENTS, {"Entries": [{"EventId": "e" * 65}]}, problem("Field 'EventId' exceeds the maximum length")),
        (
            task("arn:aws:states:::aws-sdk:secretsmanager:getSecretValue"),
            {"VersionStages": []},
            problem("Field 'VersionStages' is smaller than the minimum length"),
        ),
        (
            GET_FUNCTION,
            {"Configuration": {"VpcConfig": {"SecurityGroupIds": ["sg"] * 6}}},
            problem("Field 'SecurityGroupIds' exceeds the maximum length"),
        ),
    ],
)
@pytest.mark.parametrize("mode", ["STRICT", "PRESENT"])
def test_each_member_has_its_type_and_keeps_its_constraints(
    state: dict[str, Any], result: Any, expected: str, mode: str
) -> None:
    assert check(state, result, mode) == expected
    assert check(state, result, "NONE") is None


def test_a_string_must_match_its_member_s_pattern() -> None:
    # The API reference: "all present fields must conform to the API's schema"; ExecutedVersion's pattern is
    # "(\$LATEST|[0-9]+)". Not recorded: AWS's wording for a value that does not match.
    assert check(LAMBDA_INVOKE, {"ExecutedVersion": "latest"}, "PRESENT") == problem(
        "Field 'ExecutedVersion' does not match the pattern"
    )
    assert check(LAMBDA_INVOKE, {"ExecutedVersion": "7"}, "PRESENT") is None
    assert check(LAMBDA_INVOKE, {"ExecutedVersion": "latest"}, "NONE") is None


def test_a_number_above_the_member_s_maximum() -> None:
    # Recorded: AWS refused MemorySize 10241, its maximum then being 10240. botocore's model has since raised
    # the maximum (32768 in botocore 1.44); sfnlocal checks the model installed.
    maximum = service_model("lambda").shape_for("MemorySize").metadata["max"]
    assert check(GET_FUNCTION, {"Configuration": {"MemorySize": maximum}}) is None
    result = {"Configuration": {"MemorySize": maximum + 1}}
    assert check(GET_FUNCTION, result) == problem("Field 'MemorySize' exceeds the maximum value")


@pytest.mark.parametrize(
    "result",
    [
        {"ExecutedVersion": "$LATEST", "StatusCode": 200},
        # Not recorded: null for any member.
        {"StatusCode": None, "Payload": None},
        # Recorded: Payload is Lambda's blob, JSON text, given as it is.
        {"Payload": "function output", "SdkHttpMetadata": {"HttpStatusCode": 200}},
    ],
)
def test_what_a_lambda_invoke_mock_may_hold(result: dict[str, Any]) -> None:
    assert check(LAMBDA_INVOKE, result) is None


def test_lambda_invoke_s_payload_is_the_api_s_blob_json_text_given_as_it_is() -> None:
    # LocalStack's tests note, from AWS, that a JSON object as Payload is refused ("Lambda API spec requires
    # response payload to be a string"); boto/boto3#4682 shows AWS giving JSON text back unparsed.
    assert check(LAMBDA_INVOKE, {"Payload": {"paid": True}}) == problem("Field 'Payload' must be a string")
    assert check(LAMBDA_INVOKE, {"Payload": {"paid": True}}, "NONE") is None
    response = teststate.test_state(
        {"definition": LAMBDA_INVOKE, "mock": {"result": json.dumps({"Payload": '{"paid": true}', "StatusCode": 200})}}
    )
    assert json.loads(response["output"]) == {"Payload": '{"paid": true}', "StatusCode": 200}


@pytest.mark.parametrize("pattern", [".sync", ".sync:2"])
def test_a_start_execution_sync_mock_is_a_describe_execution_response(pattern: str) -> None:
    # boto/boto3#4683: AWS refuses a .sync:2 mock as the real result has it (Output an object, StartDate and
    # StopDate epoch numbers) and takes them as strings: DescribeExecution's types.
    state = task(f"arn:aws:states:::states:startExecution{pattern}")
    described = {
        "ExecutionArn": "arn:aws:states:us-east-1:123456789012:execution:Child:run",
        "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Child",
        "Status": "SUCCEEDED",
        "StartDate": "2025-12-17T10:00:00.000Z",
        "StopDate": "2025-12-17T10:00:01.000Z",
        "Output": '{"in_file": "a.h5ad"}',
    }
    assert check(state, described) is None
    assert check(state, {**described, "Output": {"in_file": "a.h5ad"}}) == problem("Field 'Output' must be a string")
    assert check(state, {**described, "StartDate": 1765965600000}) == problem("Field 'StartDate' must be a string")
    assert check(state, {"Output": "{}"}) == problem("Required field 'ExecutionArn' is missing")
    assert check(state, {"Status": "DONE"}, "PRESENT") == problem("Field 'Status' is not an expected value")


def test_a_job_s_sync_mock_is_the_job_s_description() -> None:
    # Not recorded: the rule recorded for startExecution.sync applied to the jobs sfnlocal follows itself
    # (ecs:runTask.sync gives DescribeTasks' task, batch:submitJob.sync DescribeJobs' job).
    run_task = task("arn:aws:states:::ecs:runTask.sync")
    assert check(run_task, {"LastStatus": "STOPPED", "Containers": [{"ExitCode": 0}]}) is None
    assert check(run_task, {"CreatedAt": 1765965600000}) == problem("Field 'CreatedAt' must be a string")
    submit_job = task("arn:aws:states:::batch:submitJob.sync")
    assert check(submit_job, {"Status": "SUCCEEDED"}) == problem("Required field 'JobName' is missing")
    # Request-response: the start call's own output.
    assert check(task("arn:aws:states:::ecs:runTask"), {"Tasks": [{"LastStatus": "PROVISIONING"}]}) is None


@pytest.mark.parametrize(
    ("state", "result"),
    [
        # Recorded: what a callback sends is taken as it is, in STRICT.
        (task("arn:aws:states:::sqs:sendMessage.waitForTaskToken"), {"MD5OfMessageBody": 1}),
        # Not an API's output: a Lambda function ARN's (the function's result), an activity's, HTTP's, a job
        # sfnlocal does not know, an action botocore does not model.
        (task("arn:aws:lambda:us-east-1:123456789012:function:f"), [1]),
        (task("arn:aws:states:us-east-1:123456789012:activity:work"), "done"),
        (task("arn:aws:states:::http:invoke"), {"StatusCode": "200"}),
        (task("arn:aws:states:::athena:startQueryExecution.sync"), {"QueryExecution": 1}),
        (task("arn:aws:states:::apigateway:invoke"), {"StatusCode": "200"}),
    ],
)
def test_results_that_are_not_an_api_s_output_are_not_checked(state: dict[str, Any], result: Any) -> None:
    assert check(state, result) is None


def test_a_result_that_is_not_an_object_where_an_output_is_expected() -> None:
    # AWS's wording for a Map state's mock that must be an object (recorded); for a Task not recorded.
    assert check(PUT_EVENTS, []) == "Mocked result must be a JSON object."
    assert check(PUT_EVENTS, [], "NONE") is None


def test_the_aws_sdk_names_services_as_step_functions_does() -> None:
    # aws-sdk:sfn is botocore's stepfunctions.
    state = task("arn:aws:states:::aws-sdk:sfn:describeExecution")
    assert check(state, {"Status": "DONE"}, "PRESENT") == problem("Field 'Status' is not an expected value")


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
