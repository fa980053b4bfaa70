"""AWS's own words and events for failures that no case of the shared corpus records.

Each expected value comes from outside sfnlocal, named beside it: LocalStack's snapshot tests (recorded
against AWS; the messages are quoted by its code, which those snapshots check), public threads quoting
AWS output, and AWS's API reference. Where no AWS text exists, the test pins only what is known (the
error name, the event types) and says so.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from support import machine

from sfnlocal import StateMachine, mocks


def run(definition: dict[str, Any], *execution_input: Any, **options: Any) -> Any:
    return StateMachine.from_dict(definition).execute(*execution_input, **options)


def event_types(result: Any) -> list[str]:
    return [event["type"] for event in result.history]


def prefixed(state: str, entered: int, detail: str) -> str:
    return f"An error occurred while executing the state '{state}' (entered at the event id #{entered}). {detail}"


# LocalStack's BaseTemplate.WAIT_SECONDS_PATH, run in test_wait.py::test_base_wait_seconds_path with -1, -1.5,
# 0, 1 and 1.5 (validated against AWS); its SecondsPath quotes the two causes checked here.
WAIT_SECONDS_PATH = machine({"WaitState": {"Type": "Wait", "SecondsPath": "$.input.waitSeconds", "End": True}})


@pytest.mark.parametrize(
    ("seconds", "detail"),
    [
        (-1, "The SecondsPath parameter references a negative value: $.input.waitSeconds == -1"),
        (-1.5, "The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == -1.5"),
        (1.5, "The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5"),
    ],
)
def test_a_seconds_path_value_that_is_no_wait_fails_as_aws_words_it(seconds: float, detail: str) -> None:
    result = run(WAIT_SECONDS_PATH, {"input": {"waitSeconds": seconds}})
    assert (result.status, result.error, result.cause) == ("FAILED", "States.Runtime", prefixed("WaitState", 2, detail))
    assert event_types(result) == ["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"]


@pytest.mark.parametrize("seconds", [0, 1])
def test_a_seconds_path_value_that_is_a_whole_number_waits(seconds: int) -> None:
    result = run(WAIT_SECONDS_PATH, {"input": {"waitSeconds": seconds}})
    assert result.status == "SUCCEEDED"
    assert (result.stop_date - result.start_date).total_seconds() == seconds


def test_an_invalid_jsonata_timestamp_records_evaluation_failed() -> None:
    # No AWS text for the cause was found. Every States.QueryEvaluationError the corpus records (23 executions)
    # comes with an EvaluationFailed event naming the state, between the state's Entered event and the end.
    result = run(
        machine({"W": {"Type": "Wait", "Timestamp": "{% $states.input.at %}", "End": True}}, QueryLanguage="JSONata"),
        {"at": "2026-11-22T22:29:36"},
    )
    assert (result.status, result.error) == ("FAILED", "States.QueryEvaluationError")
    assert event_types(result) == ["ExecutionStarted", "WaitStateEntered", "EvaluationFailed", "ExecutionFailed"]
    details = result.history[2]["evaluationFailedEventDetails"]
    assert (details["error"], details["state"], details["cause"]) == (
        "States.QueryEvaluationError",
        "W",
        result.cause,
    )


@pytest.mark.parametrize(
    ("state", "entered"),
    [
        (
            {
                "Type": "Map",
                "MaxConcurrency": "{% 'two' %}",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            },
            "MapStateEntered",
        ),
        (
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "TimeoutSeconds": "{% 'two' %}",
                "End": True,
            },
            "TaskStateEntered",
        ),
    ],
)
def test_a_jsonata_number_field_of_the_wrong_type_records_evaluation_failed(
    state: dict[str, Any], entered: str
) -> None:
    # As above: no AWS cause text was found, the event is the one every recorded QueryEvaluationError has. The
    # Map fails before MapStateStarted (MaxConcurrency is read first) and records its MapStateFailed, as the
    # recorded JSONata Map whose items are no array does (test_map_state_items_input_types).
    result = run(machine({"S": state}, QueryLanguage="JSONata"), [1], mocks={"S": mocks.returns({})})
    assert (result.status, result.error) == ("FAILED", "States.QueryEvaluationError")
    failed = ["MapStateFailed"] if state["Type"] == "Map" else []
    assert event_types(result) == ["ExecutionStarted", entered, "EvaluationFailed", *failed, "ExecutionFailed"]
    assert result.history[2]["evaluationFailedEventDetails"]["state"] == "S"


def test_a_non_boolean_constant_condition_records_evaluation_failed() -> None:
    # No AWS text was found; the error and its EvaluationFailed event are those of every recorded JSONata failure.
    definition = machine(
        {
            "C": {"Type": "Choice", "Choices": [{"Condition": "yes", "Next": "P"}], "Default": "P"},
            "P": {"Type": "Pass", "End": True},
        },
        QueryLanguage="JSONata",
    )
    result = run(definition, {})
    assert (result.status, result.error) == ("FAILED", "States.QueryEvaluationError")
    assert event_types(result) == ["ExecutionStarted", "ChoiceStateEntered", "EvaluationFailed", "ExecutionFailed"]


@pytest.mark.parametrize("query_language", ["JSONPath", "JSONata"])
def test_no_matching_choice_rule_without_default_fails_to_transition_out_of_the_state(query_language: str) -> None:
    # Not the spec's States.NoChoiceMatched: the AWS Developer Guide's Choice page says the state machine "will
    # throw an error due to a failure to transition out of the state", and emulators checked against AWS quote
    # its cause (floci: "AWS wording, verified against us-east-1"; a public conformance suite: "AWS snapshots
    # report a runtime transition failure when nothing matches and no Default is configured").
    rule = (
        {"Variable": "$.n", "NumericEquals": 1, "Next": "P"}
        if query_language == "JSONPath"
        else {"Condition": "{% $states.input.n = 1 %}", "Next": "P"}
    )
    definition = machine(
        {"C": {"Type": "Choice", "Choices": [rule]}, "P": {"Type": "Pass", "End": True}},
        QueryLanguage=query_language,
    )
    result = run(definition, {"n": 2})
    detail = "Failed to transition out of the state. The state does not point to a next state."
    assert (result.status, result.error, result.cause) == ("FAILED", "States.Runtime", prefixed("C", 2, detail))
    assert event_types(result) == ["ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"]


def test_a_choice_variable_on_a_null_input_fails_as_aws_words_it() -> None:
    # awslabs/states-language#29 quotes AWS (AWS Support called it intended) for {"Variable": "$", "IsString":
    # true} given a null input: "An error occurred while executing the state 'Error?' (entered at the event id
    # #36). Unable to apply Path transformation to null or empty input."
    definition = machine(
        {
            "Error?": {"Type": "Choice", "Choices": [{"Variable": "$", "IsString": True, "Next": "P"}], "Default": "P"},
            "P": {"Type": "Pass", "End": True},
        }
    )
    result = run(definition, None)
    detail = "Unable to apply Path transformation to null or empty input."
    assert (result.error, result.cause) == ("States.Runtime", prefixed("Error?", 2, detail))


CATALOG = machine(
    {
        "Add to catalog.json": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "ResultPath": "$.catalogBuilderOutput",
            "End": True,
        }
    }
)


def test_a_result_path_into_an_array_is_a_reference_path_conflict() -> None:
    # cdklabs/construct-hub#459 quotes AWS failing this task of its state machine (ResultPath
    # $.catalogBuilderOutput) on an input its reporter omitted, with no state prefix in the cause:
    # {"error": "States.ReferencePathConflict", "cause": "Unable to apply step \"catalogBuilderOutput\" to input
    # <omitted>"}. The input here is an array, which that change had made the task's input.
    result = run(CATALOG, [{"lang": "python"}], mocks={"Add to catalog.json": mocks.returns({"ETag": "e"})})
    assert (result.status, result.error, result.cause) == (
        "FAILED",
        "States.ReferencePathConflict",
        'Unable to apply step "catalogBuilderOutput" to input [{"lang":"python"}]',
    )


def test_a_result_path_into_a_string_names_the_reference_path() -> None:
    # aws/aws-cdk#29473 quotes AWS's Step Functions Local for ResultPath $.partitioned applied to a string:
    # Unable to apply ReferencePath $.partitioned to input "{\"min_size\":10000,...}" (the input as JSON).
    definition = machine({"P": {"Type": "Pass", "Result": [], "ResultPath": "$.partitioned", "End": True}})
    result = run(definition, input_json=json.dumps('{"min_size":10000}'))  # the input is a JSON string
    assert (result.error, result.cause) == (
        "States.ReferencePathConflict",
        'Unable to apply ReferencePath $.partitioned to input "{\\"min_size\\":10000}"',
    )


def test_a_reference_path_conflict_can_be_caught() -> None:
    # Unlike States.Runtime it is an ordinary error name to Catch (no recording shows a Catcher receiving it).
    definition = machine(
        {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "ResultPath": "$.r",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Pass", "End": True},
        }
    )
    result = run(definition, input_json='"text"', mocks={"T": mocks.returns({})})
    assert (result.status, result.path) == ("SUCCEEDED", ["T", "Caught"])
    assert result.output["Error"] == "States.ReferencePathConflict"


def test_a_result_path_creates_the_objects_it_is_missing() -> None:
    # Recorded (test_mixed_query_language.py::test_task_dataflow_to_state): ResultPath $.enigma.mystery into an
    # input without "enigma" succeeds.
    definition = machine({"P": {"Type": "Pass", "Result": 1, "ResultPath": "$.enigma.mystery", "End": True}})
    assert run(definition, {"a": 1}).output == {"a": 1, "enigma": {"mystery": 1}}


def test_a_sync_task_has_a_task_token_in_the_context_object() -> None:
    # AWS's API reference for SendTaskSuccess/SendTaskFailure: they are "used by activity workers, Task states
    # using the callback pattern, and optionally Task states using the job run pattern"; the token is "in the
    # context object when a workflow enters a task state".
    definition = machine(
        {
            "Run": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {
                    "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:c",
                    "T.$": "$$.Task",
                },
                "End": True,
            }
        }
    )
    result = run(definition, {}, mocks={"Run": lambda event, context: event})
    assert result.status == "SUCCEEDED"
    assert isinstance(result.output["T"]["Token"], str) and result.output["T"]["Token"]


def test_a_request_response_task_has_no_task_token() -> None:
    # The docs give the token to callback and job-run tasks only; reading it elsewhere is a missing path.
    definition = machine(
        {
            "Send": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage",
                "Parameters": {"T.$": "$$.Task"},
                "End": True,
            }
        }
    )
    result = run(definition, {}, mocks={"Send": mocks.returns({})})
    assert (result.status, result.error) == ("FAILED", "States.Runtime")


def test_an_execution_timed_out_by_the_machine_has_neither_error_nor_cause() -> None:
    # Recorded (test_timeouts.py::test_global_timeout, BASE_WAIT_1_MIN with TimeoutSeconds 1): DescribeExecution
    # shows status TIMED_OUT and no error or cause.
    definition = machine({"State_1": {"Type": "Wait", "Seconds": 60, "End": True}}, TimeoutSeconds=1)
    result = run(definition, {})
    assert (result.status, result.error, result.cause) == ("TIMED_OUT", None, None)
    assert event_types(result)[-1] == "ExecutionTimedOut"
    assert result.history[-1]["executionTimedOutEventDetails"] == {}


# LocalStack's ScenariosTemplate.MAX_CONCURRENCY, run in test_base_scenarios.py::test_max_concurrency_path with
# {}, "NoNumber", 0 and 1 (validated against AWS). Its StateMap reads MaxConcurrency before the items, "as AWS
# StepFunctions evaluates only MaxConcurrency as a state level field", so a bad value fails the execution right
# after MapStateEntered, with no MapStateStarted or MapStateFailed.
MAX_CONCURRENCY_PATH = machine(
    {
        "MapState": {
            "Type": "Map",
            "ItemsPath": "$.Values",
            "MaxConcurrencyPath": "$.MaxConcurrencyValue",
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
            "End": True,
        }
    }
)


@pytest.mark.parametrize(("value", "text"), [({}, "{}"), ("NoNumber", "NoNumber")])
def test_an_invalid_max_concurrency_path_fails_before_the_map_starts(value: Any, text: str) -> None:
    result = run(MAX_CONCURRENCY_PATH, {"MaxConcurrencyValue": value, "Values": ["HelloWorld"]})
    detail = (
        f'The MaxConcurrencyPath field refers to value "{text}" which is not a valid integer: $.MaxConcurrencyValue'
    )
    assert (result.error, result.cause) == ("States.Runtime", prefixed("MapState", 2, detail))
    assert [(event["type"], event["previousEventId"]) for event in result.history] == [
        ("ExecutionStarted", 0),
        ("MapStateEntered", 0),
        ("ExecutionFailed", 2),
    ]


@pytest.mark.parametrize("value", [0, 1])
def test_a_valid_max_concurrency_path_runs_the_map(value: int) -> None:
    result = run(MAX_CONCURRENCY_PATH, {"MaxConcurrencyValue": value, "Values": ["HelloWorld"]})
    assert (result.status, result.output) == ("SUCCEEDED", ["HelloWorld"])
    assert event_types(result)[2:4] == ["MapStateStarted", "MapIterationStarted"]


def test_an_invalid_tolerance_path_still_fails_after_the_map_starts() -> None:
    # Recorded (test_map_state_tolerated_failure_percentage_path[NoNumber], this definition): MapStateStarted first.
    processor = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "HandleItem",
        "States": {"HandleItem": {"Type": "Pass", "End": True}},
    }
    definition = machine(
        {
            "MapState": {
                "Type": "Map",
                "ItemsPath": "$.Items",
                "MaxConcurrency": 1,
                "ItemProcessor": processor,
                "ToleratedFailurePercentagePath": "$.ToleratedFailurePercentage",
                "End": True,
            }
        }
    )
    result = run(definition, {"Items": [0], "ToleratedFailurePercentage": "NoNumber"})
    assert event_types(result) == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "ExecutionFailed"]
