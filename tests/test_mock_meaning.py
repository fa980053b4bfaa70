"""One meaning for each mock: ``returns(v)`` gives a Task the same result in ``execute(mocks=...)``,
``test_state(mock=...)`` and the CLI's mocks file; ``raw=True``, TestState's own ``{"result": ...}`` and a
MockConfigFile's ``Return`` are the service's response as is (docs/mocking.md's table).

Expected values come from AWS: the recorded lambda:invoke result (LocalStack's snapshot recorded against AWS,
test_cross_account_service_lambda_invoke, in ../shared/conformance: its top-level fields and constants are
written here; the recording itself is read when present), the recorded TestState lambda mock, and the
Step Functions Local docs' MockConfigFile example.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sfnlocal import StateMachine, TestStateError, mocks
from sfnlocal.integrations.mocks.spec import mocks_from_spec

INVOKE = "arn:aws:states:::lambda:invoke"
# Recorded (lambda:invoke through AWS): the result's fields around the function's Payload.
ENVELOPE_FIELDS = ["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"]
RECORDING = (
    Path(__file__).resolve().parents[2]
    / "shared/conformance/localstack"
    / ("v2__credentials__test_credentials_base.py--TestCredentialsBase--test_cross_account_service_lambda_invoke.json")
)


def _machine(resource: str, **fields: Any) -> StateMachine:
    parameters = {"FunctionName": "charge", "Payload.$": "$"} if "lambda:invoke" in resource else {}
    state = {"Type": "Task", "Resource": resource, "Parameters": parameters, "End": True, **fields}
    return StateMachine.from_dict({"StartAt": "Task", "States": {"Task": state}})


def _test_state_output(machine: StateMachine, mock: Any) -> Any:
    response = machine.test_state("Task", mock=mock)
    assert response["status"] == "SUCCEEDED", response
    return json.loads(response["output"])


def _without_request_ids(envelope: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(envelope)
    request_id = envelope["SdkResponseMetadata"]["RequestId"]
    return json.loads(text.replace(request_id, "<request id>"))


def test_a_lambda_invoke_result_is_the_value_in_the_envelope_aws_records() -> None:
    machine = _machine(INVOKE)
    value = {"charged": 5}
    executed = machine.execute({}, mocks={"Task": mocks.returns(value)}).output
    tested = _test_state_output(machine, mocks.returns(value))
    from_file = machine.execute({}, mocks=mocks_from_spec({"Task": {"returns": value}})).output
    for output in (executed, tested, from_file):
        assert sorted(output) == ENVELOPE_FIELDS
        assert (output["Payload"], output["StatusCode"], output["ExecutedVersion"]) == (value, 200, "$LATEST")
        assert output["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert _without_request_ids(tested) == _without_request_ids(executed) == _without_request_ids(from_file)


@pytest.mark.skipif(not RECORDING.exists(), reason="needs ../shared/conformance")
def test_the_envelope_has_the_recorded_fields_and_constants() -> None:
    recorded = json.loads(RECORDING.read_text())["expected"]["output"]
    executed = _machine(INVOKE).execute({}, mocks={"Task": mocks.returns("PayloadFromTrustedAccount")}).output
    assert sorted(recorded) == sorted(executed) == ENVELOPE_FIELDS
    for field in ("ExecutedVersion", "Payload", "StatusCode"):
        assert executed[field] == recorded[field]
    assert executed["SdkHttpMetadata"]["HttpStatusCode"] == recorded["SdkHttpMetadata"]["HttpStatusCode"]


def test_a_wait_for_task_token_result_is_what_send_task_success_sends_as_is() -> None:
    # AWS: the task's result is the output the callback sends with SendTaskSuccess (no Invoke envelope).
    machine = _machine(INVOKE + ".waitForTaskToken")
    value = {"approved": True}
    assert machine.execute({}, mocks={"Task": mocks.returns(value)}).output == value
    assert _test_state_output(machine, mocks.returns(value)) == value
    assert machine.execute({}, mocks=mocks_from_spec({"Task": {"returns": value}})).output == value


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:lambda:us-east-1:123456789012:function:charge",  # recorded: the function's own result
        "arn:aws:states:::sqs:sendMessage",
        "arn:aws:states:::aws-sdk:dynamodb:getItem",
        "arn:aws:states:::states:startExecution.sync:2",
    ],
)
def test_other_tasks_get_the_value_as_is(resource: str) -> None:
    machine = _machine(resource)
    value = {"MessageId": "m-1", "Output": {"ok": 1}}
    assert machine.execute({}, mocks={"Task": mocks.returns(value)}).output == value
    assert machine.execute({}, mocks=mocks_from_spec({"Task": {"returns": value}})).output == value


def test_a_lambda_function_arn_result_is_as_is_in_test_state() -> None:
    # A function ARN's result is the function's own (recorded), with no API output to check it against.
    machine = _machine("arn:aws:lambda:us-east-1:123456789012:function:charge")
    assert _test_state_output(machine, mocks.returns({"ok": 1})) == {"ok": 1}


def test_raw_is_the_service_response_as_is_everywhere() -> None:
    machine = _machine(INVOKE)
    response = {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}
    assert machine.execute({}, mocks={"Task": mocks.returns(response, raw=True)}).output == response
    from_file = mocks_from_spec({"Task": {"returns": response, "raw": True}})
    assert machine.execute({}, mocks=from_file).output == response
    # In TestState the raw response is also checked as AWS checks a mock (Lambda's Payload is JSON text).
    recorded = {"Payload": "function output", "SdkHttpMetadata": {"HttpStatusCode": 200}}
    assert _test_state_output(machine, mocks.returns(recorded, raw=True)) == recorded
    with pytest.raises(TestStateError, match="Field 'Payload' must be a string"):
        machine.test_state("Task", mock=mocks.returns(response, raw=True))


def test_test_states_own_result_is_the_raw_response_as_aws_records() -> None:
    # Recorded (TestState, test_base_lambda_service_task_mock_success): the mock result is the state's output.
    result = {"Payload": "function output", "SdkHttpMetadata": {"HttpStatusCode": 200}}
    assert _test_state_output(_machine(INVOKE), {"result": result}) == result


def test_a_mock_config_return_is_the_raw_response() -> None:
    # The Step Functions Local docs' example MockedLambdaSuccess: Return is the Invoke API's response.
    response = {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}
    config = {
        "StateMachines": {"Orders": {"TestCases": {"HappyPath": {"Task": "MockedLambdaSuccess"}}}},
        "MockedResponses": {"MockedLambdaSuccess": {"0": {"Return": response}}},
    }
    state = {"Type": "Task", "Resource": INVOKE, "Parameters": {"FunctionName": "f"}, "End": True}
    machine = StateMachine.from_dict({"StartAt": "Task", "States": {"Task": state}}, name="Orders")
    assert machine.execute({}, mock_config=config, test_case="HappyPath").output == response


def test_output_path_payload_gives_the_value_in_execute_and_test_state() -> None:
    machine = _machine(INVOKE, OutputPath="$.Payload")
    assert machine.execute({}, mocks={"Task": mocks.returns([1, 2])}).output == [1, 2]
    assert _test_state_output(machine, mocks.returns([1, 2])) == [1, 2]
