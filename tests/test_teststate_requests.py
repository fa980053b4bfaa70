"""TestState requests: how they are read, and the requests AWS refuses, with AWS's codes and messages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sfnlocal import StateMachine, mocks, teststate

PASS = {"Type": "Pass", "End": True}
LAMBDA = {
    "Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke",
    "Parameters": {"FunctionName": "f", "Payload.$": "$"},
    "End": True,
}
MAP = {
    "Type": "Map",
    "ItemsPath": "$.items",
    "End": True,
    "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}},
}
PARALLEL = {
    "Type": "Parallel",
    "End": True,
    "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": True}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": True}}},
    ],
}
ROLE = "arn:aws:iam::123456789012:role/tester"


def refusal(definition: Any, **fields: Any) -> tuple[str, str]:
    with pytest.raises(teststate.TestStateError) as raised:
        teststate.test_state({"definition": definition, **fields})
    return raised.value.code, raised.value.message


def test_the_definition_may_be_json_text_or_an_object() -> None:
    as_text = teststate.test_state({"definition": json.dumps(PASS), "input": '{"a": 1}'})
    assert as_text == teststate.test_state({"definition": PASS, "input": '{"a": 1}'})
    assert as_text == {"status": "SUCCEEDED", "output": '{"a":1}'}


def test_the_input_defaults_to_an_empty_object() -> None:
    assert teststate.test_state({"definition": PASS})["output"] == "{}"


@pytest.mark.parametrize(
    ("definition", "fields", "expected"),
    [
        (
            None,
            {},
            (
                "ValidationException",
                "1 validation error detected: Value null at 'definition' failed to satisfy "
                "constraint: Member must not be null",
            ),
        ),
        (
            PASS,
            {"inspectionLevel": "ALL"},
            (
                "ValidationException",
                "1 validation error detected: Value 'ALL' at 'inspectionLevel' failed to satisfy "
                "constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]",
            ),
        ),
        (
            PASS,
            {"stateConfiguration": {"retrierRetryCount": -1}},
            (
                "ValidationException",
                "1 validation error detected: Value '-1' at 'stateConfiguration.retrierRetryCount' "
                "failed to satisfy constraint: Member must have value greater than or equal to 0",
            ),
        ),
        (
            PASS,
            {"inputs": "{}"},
            (
                "ValidationException",
                'Unknown parameter in input: "inputs", must be one of: '
                "definition, roleArn, input, inspectionLevel, revealSecrets, "
                "variables, stateName, mock, context, stateConfiguration",
            ),
        ),
        (
            PASS,
            {"input": "{oops"},
            (
                "InvalidExecutionInput",
                "Invalid State Machine Execution Input: 'Expecting property "
                "name enclosed in double quotes: line 1 column 2 (char 1)'",
            ),
        ),
        (PASS, {"variables": "[1]"}, ("ValidationException", "Variables must be a JSON object")),
    ],
)
def test_malformed_requests_are_refused(definition: Any, fields: dict[str, Any], expected: tuple[str, str]) -> None:
    assert refusal(definition, **fields) == expected


def test_an_invalid_definition_is_refused_with_the_diagnostic_and_its_location() -> None:
    code, message = refusal({"Type": "Parallel", "Branches": [], "End": True})
    assert code == "InvalidDefinition"
    assert message.startswith("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ")
    assert message.endswith(" at /States/StateName/Branches'")
    assert refusal("{not json")[0] == "InvalidDefinition"


def test_a_definition_given_as_a_value_holding_infinity_is_refused_naming_where() -> None:
    # Found by tests/test_fuzz.py: the encoder's ValueError escaped from inside instead.
    code, message = refusal({"Type": "Pass", "Result": float("inf"), "End": True})
    assert code == "InvalidDefinition"
    assert "which is not a JSON number" in message and message.endswith(" at /States/StateName/Result'")


def test_transitions_of_a_state_tested_on_its_own_need_no_target() -> None:
    choice = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}],
        "Default": "Small",
    }
    assert teststate.test_state({"definition": choice, "input": '{"n": 2}'})["nextState"] == "Big"
    assert teststate.test_state({"definition": choice, "input": '{"n": 0}'})["nextState"] == "Small"


MACHINE = {
    "StartAt": "First",
    "States": {
        "First": {"Type": "Pass", "Result": 1, "Next": "Fan"},
        "Fan": {
            **MAP,
            "ItemProcessor": {
                "StartAt": "Inner",
                "States": {"Inner": {"Type": "Pass", "Parameters": {"item.$": "$"}, "End": True}},
            },
        },
    },
}


def test_state_name_picks_a_state_of_a_machine_even_inside_a_map_or_parallel_state() -> None:
    assert teststate.test_state({"definition": MACHINE, "stateName": "First"})["nextState"] == "Fan"
    assert teststate.test_state({"definition": MACHINE, "stateName": "Inner", "input": "7"})["output"] == '{"item":7}'
    assert refusal(MACHINE, stateName="Missing") == ("ValidationException", "State not found in definition")
    # A whole machine without stateName: sfnlocal's wording (AWS refuses it; no recording shows how).
    assert refusal(MACHINE)[0] == "ValidationException"


@pytest.mark.parametrize(
    "state", [PASS, {"Type": "Succeed"}, {"Type": "Fail", "Error": "E"}, {"Type": "Wait", "Seconds": 1, "End": True}]
)
def test_only_task_map_and_parallel_states_take_a_mock(state: dict[str, Any]) -> None:
    assert refusal(state, mock={"result": "{}"}) == (
        "ValidationException",
        f"State type '{state['Type']}' is not supported when a mock is specified",
    )


@pytest.mark.parametrize(
    ("mock", "message"),
    [
        ({"result": "not JSON"}, "Mocked result must be valid JSON"),
        # Recorded from AWS (LocalStack's test_state_mock_validation.snapshot.json, 2025-12-10).
        (
            {"result": "{}", "errorOutput": {"error": "E"}},
            "A test mock should have only one of the following fields: [result, errorOutput].",
        ),
        # Not recorded: sfnlocal's wording, after AWS's for both.
        (
            {"fieldValidationMode": "NONE"},
            "A test mock should have one of the following fields: [result, errorOutput].",
        ),
        (
            {"errorOutput": {"cause": "c"}},
            "mock.errorOutput.error must be specified when mock.errorOutput is specified",
        ),
    ],
)
def test_a_mock_has_a_result_or_an_error(mock: dict[str, Any], message: str) -> None:
    assert refusal(LAMBDA, mock=mock) == ("ValidationException", message)


def test_what_goes_with_a_mock_and_what_needs_one() -> None:
    assert refusal(LAMBDA, mock={"result": "{}"}, revealSecrets=True) == (
        "ValidationException",
        "TestState does not support RevealSecrets when a mock is specified.",
    )
    # Recorded: before the refusal of a Map state without a mock.
    assert refusal(MAP, roleArn=ROLE, stateConfiguration={"mapIterationFailureCount": 0}) == (
        "ValidationException",
        "TestState does not support MapIterationFailureCount when a mock is not specified.",
    )
    assert refusal(LAMBDA, roleArn=ROLE, context="{}") == (
        "ValidationException",
        "TestState does not support Context when a mock is not specified.",
    )
    assert refusal(LAMBDA) == ("ValidationException", "RoleArn must be specified when testing a Task state")
    for state in (
        {"Type": "Task", "End": True, "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken"},
        {"Type": "Task", "End": True, "Resource": "arn:aws:states:us-east-1:123456789012:activity:work"},
    ):
        assert refusal(state, roleArn=ROLE)[1].endswith("when a mock is not specified.")


@pytest.mark.parametrize("state", [MAP, PARALLEL])
def test_a_map_or_parallel_state_without_a_mock_is_an_invalid_definition(state: dict[str, Any]) -> None:
    # AWS's code and message, the same for both types (LocalStack's test_state_mock_validation.snapshot.json,
    # recorded 2025-12-10 for Map states and 2026-02-25 for a Parallel state), with or without a roleArn.
    expected = (
        "InvalidDefinition",
        "TestState API does not support Map or Parallel states. Supported state types include: "
        "[Task, Wait, Pass, Succeed, Fail, Choice]",
    )
    assert refusal(state) == expected
    assert refusal(state, roleArn=ROLE) == expected


def test_a_task_nothing_serves_offline_fails_naming_the_state_and_how_to_mock_it() -> None:
    response = teststate.test_state({"definition": LAMBDA, "roleArn": ROLE})
    assert response["status"] == "FAILED"
    assert response["error"] == "sfnlocal.MockMissing"
    assert "State 'StateName' calls arn:aws:states:::lambda:invoke" in response["cause"]
    assert "mock" in response["cause"]


def test_state_machine_test_state_takes_python_values() -> None:
    machine = StateMachine.from_dict(
        {
            "StartAt": "Charge",
            "States": {
                "Charge": {
                    **LAMBDA,
                    "ResultSelector": {"paid.$": "$.Payload.paid"},
                    "Retry": [{"ErrorEquals": ["Lambda.ServiceException"]}],
                }
            },
        }
    )
    # Lambda's Invoke gives its Payload as a blob: a JSON object there passes only without validation.
    succeeded = machine.test_state(
        "Charge",
        input={"amount": 3},
        mock={"result": {"Payload": {"paid": True}}, "field_validation_mode": "NONE"},
        inspection_level="DEBUG",
    )
    assert succeeded["output"] == '{"paid":true}'
    assert json.loads(succeeded["inspectionData"]["afterParameters"]) == {"FunctionName": "f", "Payload": {"amount": 3}}
    retried = machine.test_state(
        "Charge",
        mock=mocks.raises("Lambda.ServiceException", "down"),
        state_configuration={"retrier_retry_count": 1},
        inspection_level="TRACE",
    )
    assert retried["status"] == "RETRIABLE"
    assert retried["inspectionData"]["errorDetails"] == {"retryIndex": 0, "retryBackoffIntervalSeconds": 2}
    failed = machine.test_state("Charge", mock={"error_output": {"error": "Other"}})
    assert (failed["status"], failed["error"]) == ("FAILED", "Other")
    with pytest.raises(TypeError, match="unexpected argument 'inputs'"):
        machine.test_state("Charge", inputs={})


def test_request_from_arguments_encodes_the_json_fields() -> None:
    request = teststate.request_from_arguments(
        PASS,
        None,
        {
            "input": {"a": [1]},
            "variables": {"v": 1},
            "context": {"State": {}},
            "reveal_secrets": False,
            "mock": {"result": [1], "field_validation_mode": "NONE"},
            "state_configuration": {"map_item_reader_data": [1, 2], "map_iteration_failure_count": 1},
        },
    )
    assert request == {
        "definition": PASS,
        "input": '{"a":[1]}',
        "variables": '{"v":1}',
        "context": '{"State":{}}',
        "revealSecrets": False,
        "mock": {"result": "[1]", "fieldValidationMode": "NONE"},
        "stateConfiguration": {"mapItemReaderData": "[1,2]", "mapIterationFailureCount": 1},
    }
