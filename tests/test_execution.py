"""Whole executions: every state type, errors, time, concurrency and history, end to end.

Expected values come from the AWS docs' examples and from executions recorded against AWS
(../shared/conformance), cited beside each test.
"""

from __future__ import annotations

import copy
import json

import pytest
from support import corpus_case, machine

from sfnlocal import StateMachine, mocks

LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:work"


def run(states: dict, execution_input=None, **options):
    top = {key: options.pop(key) for key in ("TimeoutSeconds",) if key in options}
    return StateMachine.from_dict(machine(states, **top)).execute(
        {} if execution_input is None else execution_input, **options
    )


def types(result) -> list[str]:
    return [event["type"] for event in result.history]


def links(result) -> list[tuple[int, int]]:
    return [(event["id"], event["previousEventId"]) for event in result.history]


# --- recorded AWS executions, replayed ------------------------------------------------------------


@pytest.mark.parametrize(
    "case_file",
    [
        "v2__base__test_base.py--TestSnfBase--test_state_fail_path.json",
        "v2__base__test_base.py--TestSnfBase--test_state_fail_empty.json",
        "v2__scenarios__test_base_scenarios.py--TestBaseScenarios--test_parallel_state[PARALLEL_STATE].json",
        "v2__scenarios__test_base_scenarios.py--TestBaseScenarios--test_map_state_break_condition.json",
        "v2__scenarios__test_base_scenarios.py--TestBaseScenarios--test_map_state_catch.json",
        "v2__scenarios__test_base_scenarios.py--TestBaseScenarios--test_catch_states_runtime.json",
        "v2__error_handling__test_states_errors.py--TestStatesErrors--test_start_large_input.json",
    ],
)
def test_recorded_executions_match_status_output_error_cause_and_event_types(case_file: str) -> None:
    case = corpus_case(case_file)
    replay = {
        state: mocks.sequence(*(mocks.returns(i.get("output"), raw=True) for i in items))
        for state, items in case["mocks"].items()
    }
    given = {"input_json": json.dumps(case["input"])} if isinstance(case["input"], str) else {"input": case["input"]}
    result = StateMachine.from_dict(case["definition"]).execute(**given, mocks=replay)
    expected = case["expected"]
    assert result.status == expected["status"]
    assert result.error == expected.get("error")
    assert (result.cause or "") == (expected.get("cause") or "")
    if expected["status"] == "SUCCEEDED":
        assert result.output == expected["output"]
    # Parallel branch events were re-sorted by the recorder (their ids are lists): skip those.
    if all(isinstance(event["id"], int) for event in case["history"]):
        assert types(result) == [event["type"] for event in case["history"]]
        assert links(result) == [(e["id"], e["previousEventId"]) for e in case["history"]]


# --- Pass, Succeed, Fail --------------------------------------------------------------------------


def test_pass_result_and_result_path_docs_example() -> None:
    result = run(
        {
            "Store": {
                "Type": "Pass",
                "Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
                "ResultPath": "$.coords",
                "End": True,
            }
        },
        {"georefOf": "Home"},
    )
    assert result.output == {"georefOf": "Home", "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355}}
    assert types(result) == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
    assert links(result) == [(1, 0), (2, 0), (3, 2), (4, 3)]


def test_history_payloads_are_compact_json_strings() -> None:
    result = run({"P": {"Type": "Pass", "End": True}}, {"a": [1, "é"]})
    entered = result.history[1]["stateEnteredEventDetails"]
    assert entered == {"name": "P", "input": '{"a":[1,"é"]}', "inputDetails": {"truncated": False}}


def test_succeed_applies_input_and_output_path() -> None:
    result = run({"Done": {"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"}}, {"a": {"b": 1}})
    assert result.output == 1
    assert types(result)[-2:] == ["SucceedStateExited", "ExecutionSucceeded"]


def test_fail_state_error_and_cause() -> None:
    # Recorded (test_state_fail): error and cause are reported as written.
    result = run(
        {"F": {"Type": "Fail", "Error": "SomeFailure", "Cause": "This state machines raises a 'SomeFailure' failure."}}
    )
    assert (result.status, result.error, result.cause) == (
        "FAILED",
        "SomeFailure",
        "This state machines raises a 'SomeFailure' failure.",
    )
    assert result.history[-1]["executionFailedEventDetails"] == {
        "error": "SomeFailure",
        "cause": "This state machines raises a 'SomeFailure' failure.",
    }


def test_missing_error_path_is_states_runtime_with_the_entered_event_id() -> None:
    # Recorded (test_invalid_jsonpath[INVALID_JSONPATH_IN_ERRORPATH]).
    result = run(
        {
            "pass": {"Type": "Pass", "Next": "fail", "Parameters": {"Error": "error-value"}},
            "fail": {"Type": "Fail", "ErrorPath": "$.ErrorX"},
        },
        {"int-literal": 0},
    )
    assert result.error == "States.Runtime"
    assert result.cause == (
        "An error occurred while executing the state 'fail' (entered at the event id #4). "
        "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in "
        'the input \'{"Error":"error-value"}\''
    )


# --- Choice ---------------------------------------------------------------------------------------


def test_choice_picks_first_matching_rule_else_default() -> None:
    states = {
        "Check": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
                {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Small"},
            ],
            "Default": "Zero",
        },
        "Big": {"Type": "Pass", "Result": "big", "End": True},
        "Small": {"Type": "Pass", "Result": "small", "End": True},
        "Zero": {"Type": "Pass", "Result": "zero", "End": True},
    }
    assert [run(states, {"n": n}).output for n in (20, 5, 0)] == ["big", "small", "zero"]


def test_choice_without_match_or_default_fails_to_transition() -> None:
    # AWS fails it with States.Runtime, not the spec's States.NoChoiceMatched (sources in states/choice.py).
    result = run(
        {
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}]},
            "One": {"Type": "Succeed"},
        },
        {"n": 2},
    )
    assert (result.status, result.error) == ("FAILED", "States.Runtime")


# --- Wait and the virtual clock -------------------------------------------------------------------


def test_waits_move_the_virtual_clock_not_the_wall_clock() -> None:
    result = run(
        {
            "W1": {"Type": "Wait", "Seconds": 86400 * 200, "Next": "W2"},
            "W2": {"Type": "Wait", "SecondsPath": "$.s", "Next": "W3"},
            "W3": {"Type": "Wait", "TimestampPath": "$.t", "End": True},
        },
        {"s": 86400 * 165, "t": "2020-01-01T00:00:00Z"},
    )
    assert result.status == "SUCCEEDED"
    # A timestamp in the past continues at once.
    assert (result.stop_date - result.start_date).total_seconds() == 86400 * 365


def test_wait_timestamp_must_have_an_offset() -> None:
    # Recorded (test_wait_timestamppath[]): a timestamp without Z/offset is refused.
    result = run(
        {"State_1": {"Type": "Wait", "TimestampPath": "$.start_at", "End": True}}, {"start_at": "2026-11-22T22:29:36"}
    )
    assert result.error == "States.Runtime"
    assert result.cause.endswith(
        "The TimestampPath parameter does not reference a valid ISO-8601 extended "
        "offset date-time format string: $.start_at == 2026-11-22T22:29:36"
    )


def test_context_object_shows_virtual_times_and_names() -> None:
    states = {
        "W": {"Type": "Wait", "Seconds": 90, "Next": "P"},
        "P": {
            "Type": "Pass",
            "Parameters": {
                "entered.$": "$$.State.EnteredTime",
                "name.$": "$$.State.Name",
                "start.$": "$$.Execution.StartTime",
                "input.$": "$$.Execution.Input",
                "sm.$": "$$.StateMachine.Name",
                "redrive.$": "$$.Execution.RedriveCount",
            },
            "End": True,
        },
    }
    sm = StateMachine.from_dict(machine(states), name="Orders")
    result = sm.execute({"k": 1}, start_time="2030-05-01T10:00:00Z", execution_name="run-1")
    assert result.output == {
        "entered": "2030-05-01T10:01:30.000Z",
        "name": "P",
        "start": "2030-05-01T10:00:00.000Z",
        "input": {"k": 1},
        "sm": "Orders",
        "redrive": 0,
    }
    assert result.execution_arn == "arn:aws:states:us-east-1:123456789012:execution:Orders:run-1"


# --- Task, mocks, errors --------------------------------------------------------------------------


def test_lambda_invoke_wraps_payload_in_aws_envelope() -> None:
    result = run(
        {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": LAMBDA_ARN, "Payload.$": "$"},
                "End": True,
            }
        },
        {"x": 1},
        mocks={"T": lambda event, context: {"echo": event}},
    )
    assert result.output["Payload"] == {"echo": {"x": 1}}
    assert result.output["StatusCode"] == 200
    assert set(result.output) == {"ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"}
    scheduled = result.history[2]
    assert scheduled["type"] == "TaskScheduled"
    assert scheduled["taskScheduledEventDetails"]["resourceType"] == "lambda"
    assert scheduled["taskScheduledEventDetails"]["resource"] == "invoke"
    assert json.loads(scheduled["taskScheduledEventDetails"]["parameters"]) == {
        "FunctionName": LAMBDA_ARN,
        "Payload": {"x": 1},
    }


def test_plain_lambda_arn_gets_bare_payload_and_lambda_function_events() -> None:
    result = run(
        {"T": {"Type": "Task", "Resource": LAMBDA_ARN, "End": True}},
        {"x": 1},
        mocks={LAMBDA_ARN: mocks.returns({"done": True})},
    )
    assert result.output == {"done": True}
    assert types(result) == [
        "ExecutionStarted",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]


def test_handler_exception_is_reported_as_unhandled_lambda_error() -> None:
    def handler(event, context):
        raise ValueError("card declined")

    result = run({"T": {"Type": "Task", "Resource": LAMBDA_ARN, "End": True}}, mocks={"T": handler})
    assert result.error == "ValueError"
    cause = json.loads(result.cause)
    assert cause["errorMessage"] == "card declined" and cause["errorType"] == "ValueError"
    assert set(cause) == {"errorMessage", "errorType", "requestId", "stackTrace"}


def test_retry_then_success_counts_retries_and_waits_on_the_clock() -> None:
    states = {
        "T": {
            "Type": "Task",
            "Resource": LAMBDA_ARN,
            "Parameters": {"attempt.$": "$$.State.RetryCount"},
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2}],
            "End": True,
        }
    }
    seen: list[int] = []

    def flaky(event, context):
        seen.append(event["attempt"])
        if len(seen) < 3:
            return mocks.raises("Lambda.TooManyRequestsException", "slow down")
        return {"ok": True}

    result = run(states, mocks={"T": flaky})
    assert result.output == {"ok": True}
    assert seen == [0, 1, 2]
    assert (result.stop_date - result.start_date).total_seconds() == 2 + 4
    assert types(result).count("LambdaFunctionFailed") == 2


def test_catch_puts_error_output_at_result_path() -> None:
    states = {
        "T": {
            "Type": "Task",
            "Resource": LAMBDA_ARN,
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handle"}],
            "End": True,
        },
        "Handle": {"Type": "Pass", "End": True},
    }
    result = run(states, {"id": 1}, mocks={"T": mocks.raises("Boom", "it broke")})
    assert result.output == {"id": 1, "error": {"Error": "Boom", "Cause": "it broke"}}
    assert result.path == ["T", "Handle"]


def test_missing_mock_names_state_and_resource_and_cannot_be_caught() -> None:
    states = {
        "Charge card": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
            "End": True,
        },
        "Caught": {"Type": "Succeed"},
    }
    result = run(states)
    assert result.status == "FAILED"
    assert result.error == "sfnlocal.MockMissing"
    assert "Charge card" in result.cause and "arn:aws:states:::lambda:invoke" in result.cause
    assert "mocks={'Charge card'" in result.cause


def test_task_timeout_on_a_task_that_never_answers() -> None:
    # Recorded (test_fixed_timeout_lambda): LambdaFunctionTimedOut with error States.Timeout.
    result = run(
        {"Start": {"Type": "Task", "TimeoutSeconds": 5, "Resource": LAMBDA_ARN, "End": True}},
        mocks={"Start": mocks.pending()},
    )
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert types(result)[-2:] == ["LambdaFunctionTimedOut", "ExecutionFailed"]
    assert (result.stop_date - result.start_date).total_seconds() == 5


def test_heartbeat_runs_out_as_aws_reports_it() -> None:
    result = run(
        {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "TimeoutSeconds": 600,
                "HeartbeatSeconds": 5,
                "Parameters": {"QueueUrl": "q", "MessageBody": {"TaskToken.$": "$$.Task.Token"}},
                "End": True,
            }
        },
        mocks={"T": mocks.pending()},
    )
    assert result.error == "States.Timeout"
    assert (result.stop_date - result.start_date).total_seconds() == 5


def test_delayed_mock_within_timeout_succeeds() -> None:
    result = run(
        {"T": {"Type": "Task", "TimeoutSeconds": 60, "Resource": LAMBDA_ARN, "End": True}},
        mocks={"T": mocks.returns("late", after=59)},
    )
    assert result.output == "late"


def test_task_that_never_answers_without_timeout_leaves_the_execution_running() -> None:
    result = run({"T": {"Type": "Task", "Resource": LAMBDA_ARN, "End": True}}, mocks={"T": mocks.pending()})
    assert result.status == "RUNNING"


def test_state_machine_timeout_times_the_execution_out() -> None:
    result = run({"W": {"Type": "Wait", "Seconds": 100, "End": True}}, TimeoutSeconds=10)
    assert result.status == "TIMED_OUT"
    assert types(result)[-1] == "ExecutionTimedOut"
    assert (result.stop_date - result.start_date).total_seconds() == 10


def test_the_machine_s_timeout_ends_the_execution_before_a_wait_ending_at_that_instant() -> None:
    # The deadline is set when the execution starts (its timer made only once the scheduler looks at its timers):
    # it comes before any timer a state sets later for the same instant.
    result = run(
        {"W": {"Type": "Wait", "Seconds": 10, "Next": "P"}, "P": {"Type": "Pass", "End": True}}, TimeoutSeconds=10
    )
    assert (result.status, types(result)) == (
        "TIMED_OUT",
        ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"],
    )
    assert (result.stop_date - result.start_date).total_seconds() == 10


def test_stop_after_aborts_a_running_execution_as_stop_execution_does() -> None:
    # Recorded (test_stop_execution): WaitStateEntered, then ExecutionAborted linked to 0, no details.
    result = run(
        {"State_1": {"Type": "Wait", "Seconds": 60, "Next": "State_2"}, "State_2": {"Type": "Pass", "End": True}},
        stop_after=30,
    )
    assert result.status == "ABORTED"
    assert types(result) == ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"]
    assert links(result)[-1] == (3, 0)
    assert result.history[-1]["executionAbortedEventDetails"] == {}
    assert (result.stop_date - result.start_date).total_seconds() == 30


def test_stop_after_with_stop_executions_error_and_cause() -> None:
    # StopExecution's error and cause go in ExecutionAborted's details (its API reference), and the result's.
    result = run({"W": {"Type": "Wait", "Seconds": 60, "End": True}}, stop_after=5, stop_error="Ops", stop_cause="why")
    assert result.history[-1]["executionAbortedEventDetails"] == {"error": "Ops", "cause": "why"}
    assert (result.status, result.error, result.cause) == ("ABORTED", "Ops", "why")
    with pytest.raises(ValueError, match="stop_error must be a string of at most 256 characters"):
        run({"W": {"Type": "Wait", "Seconds": 60, "End": True}}, stop_after=5, stop_error="E" * 257)


# --- Parallel and Map -----------------------------------------------------------------------------


def test_parallel_fails_fast_and_stops_other_branches() -> None:
    states = {
        "P": {
            "Type": "Parallel",
            "End": True,
            "Branches": [
                {
                    "StartAt": "Slow",
                    "States": {
                        "Slow": {"Type": "Wait", "Seconds": 3600, "Next": "After"},
                        "After": {"Type": "Pass", "End": True},
                    },
                },
                {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Broken", "Cause": "b"}}},
            ],
        }
    }
    result = run(states)
    assert (result.status, result.error) == ("FAILED", "Broken")
    assert "After" not in result.path
    assert result.stop_date == result.start_date
    assert "ParallelStateFailed" in types(result)


def test_map_results_in_input_order_with_item_selector_context() -> None:
    states = {
        "M": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 2,
            "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "tag.$": "$.tag"},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "W",
                "States": {"W": {"Type": "Wait", "SecondsPath": "$.value", "End": True}},
            },
            "End": True,
        }
    }
    result = run(states, {"items": [3, 1, 2], "tag": "t"})
    assert result.output == [
        {"index": 0, "value": 3, "tag": "t"},
        {"index": 1, "value": 1, "tag": "t"},
        {"index": 2, "value": 2, "tag": "t"},
    ]
    # Two at a time: item 1 ends at 1s, item 2 starts then and ends at 3s, item 0 ends at 3s.
    assert (result.stop_date - result.start_date).total_seconds() == 3


def test_map_max_concurrency_one_runs_items_one_after_another() -> None:
    states = {
        "M": {
            "Type": "Map",
            "MaxConcurrency": 1,
            "Iterator": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}}},
            "End": True,
        }
    }
    result = run(states, [1, 2, 3])
    assert (result.stop_date - result.start_date).total_seconds() == 30


def test_map_tolerated_failures() -> None:
    processor = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Bad"}],
                "Default": "Good",
            },
            "Bad": {"Type": "Fail", "Error": "Zero"},
            "Good": {"Type": "Pass", "End": True},
        },
    }
    tolerant = {"M": {"Type": "Map", "ToleratedFailureCount": 1, "ItemProcessor": processor, "End": True}}
    assert run(tolerant, [1, 0, 2]).output == [1, None, 2]
    strict = {"M": {"Type": "Map", "ToleratedFailureCount": 1, "ItemProcessor": processor, "End": True}}
    assert run(strict, [0, 0, 2]).error == "States.ExceedToleratedFailureThreshold"


def test_map_over_a_non_array_fails() -> None:
    result = run(
        {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.x",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
        {"x": 5},
    )
    assert result.error == "States.Runtime"


# --- guarantees -----------------------------------------------------------------------------------


def test_inputs_and_mock_values_are_never_mutated() -> None:
    execution_input = {"a": {"b": [1]}}
    mock_value = {"r": {"s": 1}}
    before_input, before_mock = copy.deepcopy(execution_input), copy.deepcopy(mock_value)
    states = {
        "T": {"Type": "Task", "Resource": LAMBDA_ARN, "ResultPath": "$.a.result", "Next": "P"},
        "P": {"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": True},
    }
    result = run(states, execution_input, mocks={"T": mocks.returns(mock_value)})
    result.output["a"]["result"]["r"]["s"] = 99
    assert execution_input == before_input and mock_value == before_mock


def test_an_input_that_is_not_json_is_refused_naming_it() -> None:
    with pytest.raises(TypeError, match=r"^the execution input must be a JSON value, but \$\.ids is \{1\}, a set"):
        run({"P": {"Type": "Pass", "End": True}}, {"ids": {1}})


def test_same_definition_input_and_mocks_give_identical_history() -> None:
    states = {
        "T": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["States.ALL"], "JitterStrategy": "FULL", "IntervalSeconds": 5}],
            "End": True,
        }
    }
    outcome = lambda: {"T": mocks.sequence(mocks.raises("E"), mocks.returns(1))}  # noqa: E731
    first, second = run(states, mocks=outcome()), run(states, mocks=outcome())
    assert first.history == second.history
    assert first.name == second.name


def test_data_limit_exceeded_for_a_large_task_result() -> None:
    result = run(
        {"T": {"Type": "Task", "Resource": LAMBDA_ARN, "End": True}}, mocks={"T": mocks.returns("x" * 300_000)}
    )
    assert result.error == "States.DataLimitExceeded"
    assert result.cause == (
        f"The state/task '{LAMBDA_ARN}' returned a result with a size exceeding the maximum "
        "number of bytes service limit."
    )


def test_state_records_and_timeline() -> None:
    result = run({"A": {"Type": "Pass", "Result": 1, "Next": "B"}, "B": {"Type": "Wait", "Seconds": 5, "End": True}})
    assert result.state("A").output == 1 and result.state("B").input == 1
    assert [(t.name, t.exited_at - t.entered_at) for t in result.timeline] == [("A", 0), ("B", 5)]
    with pytest.raises(KeyError, match="was not entered"):
        result.state("C")


def test_express_executions_have_their_arn_form_and_no_redrive_count() -> None:
    # Recorded (express test_query_runtime_memory): arn:...:express:<machine>:<name>:<id>, no RedriveCount.
    sm = StateMachine.from_dict(
        machine({"P": {"Type": "Pass", "Parameters": {"e.$": "$$.Execution"}, "End": True}}),
        name="Fast",
        type="EXPRESS",
    )
    run = sm.execute({}, execution_name="run-1")
    assert run.execution_arn.startswith("arn:aws:states:us-east-1:123456789012:express:Fast:run-1:")
    assert "RedriveCount" not in run.output["e"]
    with pytest.raises(ValueError, match="STANDARD"):
        StateMachine.from_dict(machine({"P": {"Type": "Pass", "End": True}}), type="express")
