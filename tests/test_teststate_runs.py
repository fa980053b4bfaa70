"""Running one state as TestState does: inspection data by level and type, Retry and Catch for one attempt,
Map and Parallel mocks, the context object and variables; and, for generated Tasks, the same decision as an
execution's attempt (both go through sfnlocal.interpreter.visit)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfnlocal import StateMachine, mocks, teststate


def run(definition: dict[str, Any], input: Any = None, level: str = "DEBUG", **fields: Any) -> dict[str, Any]:
    """The response, with the JSON text fields decoded."""
    request = {"definition": definition, "inspectionLevel": level, **fields}
    if input is not None:
        request["input"] = json.dumps(input)
    response = teststate.test_state(request)
    if "output" in response:
        response["output"] = json.loads(response["output"])
    data = response.get("inspectionData", {})
    for key, value in data.items():
        if isinstance(value, str):
            data[key] = json.loads(value)
    return response


def mocked(result: Any) -> dict[str, str]:
    return {"result": json.dumps(result)}


def failing(error: str, cause: str = "cause") -> dict[str, Any]:
    return {"errorOutput": {"error": error, "cause": cause}}


SQS = {
    "Type": "Task",
    "Resource": "arn:aws:states:::sqs:sendMessage",
    "InputPath": "$.message",
    "Parameters": {"QueueUrl": "q", "MessageBody.$": "$"},
    "ResultSelector": {"id.$": "$.MessageId"},
    "ResultPath": "$.sent",
    "OutputPath": "$.sent",
    "Next": "Done",
}


# Inspection levels and what each state type shows -------------------------------------------------------


def test_info_shows_no_inspection_data_and_debug_and_trace_show_the_same() -> None:
    assert "inspectionData" not in run(SQS, {"message": "hi"}, "INFO", mock=mocked({"MessageId": "m"}))
    debug, trace = (run(SQS, {"message": "hi"}, level, mock=mocked({"MessageId": "m"})) for level in ("DEBUG", "TRACE"))
    assert debug == trace


def test_a_jsonpath_task_shows_each_step_of_its_data_flow() -> None:
    response = run(SQS, {"message": "hi"}, mock=mocked({"MessageId": "m"}))
    assert response == {
        "status": "SUCCEEDED",
        "output": {"id": "m"},
        "nextState": "Done",
        "inspectionData": {
            "input": {"message": "hi"},
            "afterInputPath": "hi",
            "afterParameters": {"QueueUrl": "q", "MessageBody": "hi"},
            "result": {"MessageId": "m"},
            "afterResultSelector": {"id": "m"},
            "afterResultPath": {"message": "hi", "sent": {"id": "m"}},
        },
    }


def test_a_jsonata_task_shows_its_arguments_and_result() -> None:
    task = {
        "Type": "Task",
        "QueryLanguage": "JSONata",
        "Resource": "arn:aws:states:::sqs:sendMessage",
        "Arguments": {"QueueUrl": "q", "MessageBody": "{% $states.input.m %}"},
        "Output": "{% $states.result.MessageId %}",
        "End": True,
    }
    response = run(task, {"m": "hi"}, mock=mocked({"MessageId": "m1"}))
    assert response["output"] == "m1"
    assert response["inspectionData"] == {
        "input": {"m": "hi"},
        "afterArguments": {"QueueUrl": "q", "MessageBody": "hi"},
        "result": {"MessageId": "m1"},
    }


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        (
            {"Type": "Pass", "Parameters": {"a.$": "$.x"}, "End": True},
            {"afterInputPath", "afterParameters", "afterResultSelector", "afterResultPath"},
        ),
        ({"Type": "Pass", "Result": {"r": 1}, "End": True}, {"result", "afterResultSelector", "afterResultPath"}),
        ({"Type": "Succeed"}, {"afterInputPath"}),
        ({"Type": "Fail", "Error": "E"}, {"afterInputPath"}),
        ({"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "A"}]}, {"afterInputPath"}),
        ({"Type": "Wait", "Seconds": 86400, "End": True}, {"afterInputPath"}),
        ({"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input.x %}", "End": True}, set()),
    ],
)
def test_what_each_state_type_shows(state: dict[str, Any], shown: set[str]) -> None:
    assert set(run(state, {"x": 1})["inspectionData"]) == {"input"} | shown


def test_a_fail_state_fails_with_its_error_and_cause() -> None:
    assert run({"Type": "Fail", "ErrorPath": "$.e", "Cause": "why"}, {"e": "Mine"}, "INFO") == {
        "status": "FAILED",
        "error": "Mine",
        "cause": "why",
    }


def test_a_runtime_error_names_the_state_and_is_never_caught() -> None:
    task = {**SQS, "InputPath": "$.missing", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}]}
    response = run(task, {}, mock=mocked({"MessageId": "m"}))
    assert (response["status"], response["error"]) == ("FAILED", "States.Runtime")
    assert response["cause"].startswith(
        "An error occurred while executing the state 'StateName' (entered at the event id #2). Invalid path '$.missing'"
    )


# Retry and Catch, for one attempt ------------------------------------------------------------------------

RETRIED = {
    **SQS,
    "Retry": [
        {"ErrorEquals": ["Other"]},
        {
            "ErrorEquals": ["SQS.Throttled"],
            "IntervalSeconds": 2,
            "BackoffRate": 3,
            "MaxAttempts": 3,
            "MaxDelaySeconds": 10,
        },
    ],
    "Catch": [
        {"ErrorEquals": ["Nope"], "Next": "A"},
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"},
    ],
}


@pytest.mark.parametrize(
    ("retries", "expected"),
    [
        (0, {"retryIndex": 1, "retryBackoffIntervalSeconds": 2}),
        (1, {"retryIndex": 1, "retryBackoffIntervalSeconds": 6}),
        (2, {"retryIndex": 1, "retryBackoffIntervalSeconds": 10}),  # 18 s, capped by MaxDelaySeconds
    ],
)
def test_a_retrier_that_still_has_attempts_makes_the_error_retriable(retries: int, expected: dict[str, int]) -> None:
    response = run(
        RETRIED, {"message": "hi"}, mock=failing("SQS.Throttled"), stateConfiguration={"retrierRetryCount": retries}
    )
    assert (response["status"], response["error"], response["cause"]) == ("RETRIABLE", "SQS.Throttled", "cause")
    assert "output" not in response and "nextState" not in response
    assert response["inspectionData"]["errorDetails"] == expected


def test_when_the_retrier_has_used_its_attempts_a_catcher_catches() -> None:
    response = run(
        RETRIED, {"message": "hi"}, mock=failing("SQS.Throttled"), stateConfiguration={"retrierRetryCount": 3}
    )
    assert response["status"] == "CAUGHT_ERROR"
    assert response["nextState"] == "Recover"
    assert response["output"] == {"message": "hi", "error": {"Error": "SQS.Throttled", "Cause": "cause"}}
    assert response["inspectionData"]["errorDetails"] == {"retryIndex": 1, "catchIndex": 1}


def test_without_a_retrier_or_catcher_that_matches_the_state_fails() -> None:
    response = run({**SQS, "Retry": [{"ErrorEquals": ["Other"]}]}, {"message": "hi"}, mock=failing("SQS.Boom"))
    assert response["status"] == "FAILED"
    assert "errorDetails" not in response["inspectionData"]


def test_a_jsonata_catcher_outputs_and_assigns_from_the_error_output() -> None:
    task = {
        "Type": "Task",
        "QueryLanguage": "JSONata",
        "Resource": "arn:aws:states:::sqs:sendMessage",
        "Arguments": {"QueueUrl": "q", "MessageBody": "m"},
        "End": True,
        "Catch": [
            {
                "ErrorEquals": ["States.TaskFailed"],
                "Next": "Handle",
                "Output": {"why": "{% $states.errorOutput.Cause %}"},
                "Assign": {"failures": "{% $failures + 1 %}"},
            }
        ],
    }
    response = run(task, {}, mock=failing("SQS.Boom", "no queue"), variables='{"failures": 1}')
    assert (response["status"], response["output"]) == ("CAUGHT_ERROR", {"why": "no queue"})
    assert response["inspectionData"]["variables"] == {"failures": 2}


# Variables and the context object ------------------------------------------------------------------------


def test_variables_are_read_and_the_state_s_assignments_shown() -> None:
    state = {
        "Type": "Pass",
        "QueryLanguage": "JSONata",
        "Assign": {"total": "{% $base + $states.input.n %}"},
        "Output": {"base": "{% $base %}"},
        "End": True,
    }
    response = run(state, {"n": 2}, variables='{"base": 40}')
    assert response["output"] == {"base": 40}  # Assign takes effect after the state
    assert response["inspectionData"]["variables"] == {"base": 40, "total": 42}
    assert "variables" not in run(state | {"Assign": {}}, {"n": 2})["inspectionData"]


CONTEXT_OUTPUT = {
    "Type": "Task",
    "QueryLanguage": "JSONata",
    "Resource": "arn:aws:states:::sqs:sendMessage",
    "Arguments": {"QueueUrl": "q", "MessageBody": "m"},
    "Output": "{% $states.context %}",
    "End": True,
}


def test_the_made_up_context_is_an_express_execution_with_the_request_s_role() -> None:
    role = "arn:aws:iam::123456789012:role/tester"
    context = run(
        CONTEXT_OUTPUT, {"n": 1}, "INFO", mock=mocked({}), roleArn=role, stateConfiguration={"retrierRetryCount": 2}
    )["output"]
    execution, machine = context["Execution"], context["StateMachine"]
    assert execution["Id"] == f"arn:aws:states:us-east-1:123456789012:express:{machine['Name']}:{execution['Name']}"
    assert (execution["Input"], execution["RoleArn"]) == ({"n": 1}, role)
    assert machine["Id"] == f"arn:aws:states:us-east-1:123456789012:stateMachine:{machine['Name']}"
    assert context["State"] == {"Name": "StateName", "EnteredTime": "2025-01-01T00:00:00.000Z", "RetryCount": 2}
    pass_context = run({"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": True}, {}, "INFO")["output"]["c"]
    assert "RetryCount" not in pass_context["State"] and pass_context["Execution"]["RoleArn"] is None


def test_the_made_up_context_names_the_state_statename_even_in_a_whole_machine() -> None:
    # Recorded (test_state_with_variables[base_expressions]): the state "State0" of a whole machine sees
    # State.Name "StateName", in JSONata and in JSONPath alike; a given context's own name is kept.
    machine = {
        "StartAt": "First",
        "States": {
            "First": {"Type": "Pass", "Next": "State0"},
            "State0": {"Type": "Pass", "Parameters": {"name.$": "$$.State.Name"}, "Next": "Last"},
            "Last": {
                "Type": "Pass",
                "QueryLanguage": "JSONata",
                "Output": "{% $states.context.State.Name %}",
                "End": True,
            },
        },
    }
    assert run(machine, {}, "INFO", stateName="State0")["output"] == {"name": "StateName"}
    assert run(machine, {}, "INFO", stateName="Last")["output"] == "StateName"
    assert run(CONTEXT_OUTPUT, {}, "INFO", mock=mocked({}), context='{"State": {"Name": "Mine"}}')["output"] == {
        "State": {"Name": "Mine"}
    }


def test_a_given_context_replaces_the_whole_context_object() -> None:
    given = {"Execution": {"Id": "my-execution"}, "State": {"RetryCount": 1}}
    assert run(CONTEXT_OUTPUT, {}, "INFO", mock=mocked({}), context=json.dumps(given))["output"] == given
    token_task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "End": True,
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
    }
    response = run(token_task, {}, mock=mocked({"ok": 1}), context='{"Task": {"Token": "abc"}}')
    assert response["inspectionData"]["afterParameters"]["MessageBody"] == {"token": "abc"}


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"Map": {}}, "'Map' field is not supported when mocking a Context object"),
        ({"Pokedex": {}}, "Field 'Pokedex' is not allowed"),
        ({"Execution": {"pokemon": 1}}, "Field 'pokemon' is not allowed"),
        ({"State": {"RetryCount": "1"}}, "State.RetryCount must be an integer"),
        (
            {"Task": {"Token": "t"}},
            "Context object contains 'Task' when state is not a Task state with a '.sync' or "
            "'.waitForTaskToken' service integration pattern",
        ),
    ],
)
def test_a_given_context_is_checked_as_aws_checks_it(context: dict[str, Any], message: str) -> None:
    with pytest.raises(teststate.TestStateError) as raised:
        run(CONTEXT_OUTPUT, {}, mock=mocked({}), context=json.dumps(context))
    assert raised.value.message == f"Invalid Context object provided: {message}"


# Map and Parallel ----------------------------------------------------------------------------------------

MAP = {
    "Type": "Map",
    "InputPath": "$.order",
    "ItemsPath": "$.lines",
    "MaxConcurrency": 2,
    "ItemSelector": {"line.$": "$$.Map.Item.Value", "at.$": "$$.Map.Item.Index"},
    "ItemProcessor": {"StartAt": "Ship", "States": {"Ship": {"Type": "Pass", "End": True}}},
    "ToleratedFailureCount": 1,
    "ResultPath": "$.shipped",
    "End": True,
}


def test_a_mocked_map_state_prepares_its_iterations_and_takes_the_mock_as_their_results() -> None:
    response = run(MAP, {"order": {"lines": ["a", "b"]}}, mock=mocked(["A", "B"]))
    assert response["output"] == {"order": {"lines": ["a", "b"]}, "shipped": ["A", "B"]}
    data = response["inspectionData"]
    assert data["afterItemsPath"] == ["a", "b"]
    assert data["afterItemSelector"] == [{"line": "a", "at": 0}, {"line": "b", "at": 1}]
    assert (data["maxConcurrency"], data["toleratedFailureCount"]) == (2, 1)


@pytest.mark.parametrize(
    ("state", "failed", "status"),
    [
        (MAP, 1, "SUCCEEDED"),
        (MAP, 2, "FAILED"),
        ({**MAP, "ToleratedFailureCount": None}, 2, "SUCCEEDED"),  # no tolerance set: the count changes nothing
        (
            {key: value for key, value in MAP.items() if key != "ToleratedFailureCount"}
            | {"ToleratedFailurePercentage": 50},
            1,
            "SUCCEEDED",
        ),
    ],
)
def test_failed_iterations_beyond_the_tolerance_fail_the_map_state(
    state: dict[str, Any], failed: int, status: str
) -> None:
    state = {key: value for key, value in state.items() if value is not None}
    response = run(
        state,
        {"order": {"lines": ["a", "b"]}},
        mock=mocked([1, 2]),
        stateConfiguration={"mapIterationFailureCount": failed},
    )
    assert response["status"] == status
    if status == "FAILED":
        assert (response["error"], response["cause"]) == (
            "States.ExceedToleratedFailureThreshold",
            "The specified tolerated failure threshold was exceeded",
        )


def test_map_refusals() -> None:
    with pytest.raises(teststate.TestStateError, match="less than or equal to the number of Map iterations"):
        run(MAP, {"order": {"lines": ["a"]}}, mock=mocked([1]), stateConfiguration={"mapIterationFailureCount": 2})
    with pytest.raises(teststate.TestStateError, match="Mocked result must be an array."):
        run(MAP, {"order": {"lines": []}}, mock=mocked({}))
    writer = {**MAP, "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b"}}}
    with pytest.raises(teststate.TestStateError, match="Mocked result must be a JSON object."):
        run(writer, {"order": {"lines": []}}, mock=mocked([]))


def test_an_item_reader_reads_the_map_item_reader_data() -> None:
    reader = {key: value for key, value in MAP.items() if key not in ("ItemsPath", "InputPath")} | {
        "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON"},
            "Parameters": {"Bucket": "b", "Key": "k"},
        }
    }
    response = run(reader, {}, mock=mocked([1, 2, 3]), stateConfiguration={"mapItemReaderData": '["x", "y", "z"]'})
    assert response["inspectionData"]["afterItemSelector"][2] == {"line": "z", "at": 2}


def test_a_mocked_error_of_an_iteration_meets_the_map_state_s_catchers() -> None:
    state = {**MAP, "Catch": [{"ErrorEquals": ["Ship.Failed"], "Next": "Handle", "ResultPath": "$.error"}]}
    response = run(
        state,
        {"order": {"lines": ["a"]}},
        mock=failing("Ship.Failed"),
        stateConfiguration={"errorCausedByState": "Ship"},
    )
    assert (response["status"], response["nextState"]) == ("CAUGHT_ERROR", "Handle")


def test_a_mocked_parallel_state_takes_one_result_per_branch() -> None:
    parallel = {
        "Type": "Parallel",
        "InputPath": "$.x",
        "ResultSelector": {"first.$": "$[0]"},
        "ResultPath": "$.r",
        "End": True,
        "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}},
            {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}},
        ],
    }
    response = run(parallel, {"x": 1}, mock=mocked(["a", "b"]))
    assert response["output"] == {"x": 1, "r": {"first": "a"}}
    assert set(response["inspectionData"]) == {"input", "afterResultSelector", "afterResultPath"}
    with pytest.raises(teststate.TestStateError, match="same number of items as number of Parallel branches"):
        run(parallel, {"x": 1}, mock=mocked(["a"]))


# TestState decides an attempt as an execution does ------------------------------------------------------

# Error names a mock fails with, and what an ErrorEquals names (States.ALL only alone, in the last rule).
_ERRORS = ("Custom.A", "Custom.B", "States.TaskFailed", "States.Timeout", "States.Runtime")
_NAMED = st.lists(st.sampled_from(_ERRORS[:4]), min_size=1, max_size=2, unique=True)


@st.composite
def _error_equals(draw: st.DrawFn) -> list[list[str]]:
    """The ErrorEquals of up to four rules; ``States.ALL`` only alone, in the last rule (as ASL requires)."""
    names = draw(st.lists(_NAMED, max_size=3))
    if draw(st.booleans()):
        names.append(["States.ALL"])
    return names


@st.composite
def _retrier(draw: st.DrawFn, error_equals: list[str]) -> dict[str, Any]:
    retrier: dict[str, Any] = {
        "ErrorEquals": error_equals,
        "IntervalSeconds": draw(st.integers(1, 5)),
        "MaxAttempts": draw(st.integers(0, 3)),
        "BackoffRate": draw(st.sampled_from([1, 1.5, 2, 3])),
        "JitterStrategy": "NONE",
    }
    if draw(st.booleans()):
        retrier["MaxDelaySeconds"] = draw(st.integers(1, 12))
    return retrier


@st.composite
def _catcher(draw: st.DrawFn, error_equals: list[str], index: int) -> dict[str, Any]:
    catcher: dict[str, Any] = {
        "ErrorEquals": error_equals,
        "Next": f"Handle{index}",
        "ResultPath": draw(st.sampled_from(["$", "$.error", None])),
    }
    if draw(st.booleans()):
        catcher["Assign"] = {"caughtBy": index, "why.$": "$.Cause"}  # $ is the error output
    return catcher


@st.composite
def failing_tasks(draw: st.DrawFn) -> tuple[dict[str, Any], str, int]:
    """A machine whose Task ``Try`` has generated Retry and Catch rules, an error its mock fails with, and
    the retries already made (``retrierRetryCount``)."""
    task: dict[str, Any] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl": "q", "MessageBody": "m"},
        "End": True,
    }
    retry = [draw(_retrier(names)) for names in draw(_error_equals())]
    catch = [draw(_catcher(names, index)) for index, names in enumerate(draw(_error_equals()))]
    if retry:
        task["Retry"] = retry
    if catch:
        task["Catch"] = catch
    handlers = {f"Handle{index}": {"Type": "Pass", "End": True} for index in range(len(catch))}
    machine = {"StartAt": "Try", "States": {"Try": task, **handlers}}
    return machine, draw(st.sampled_from(_ERRORS)), draw(st.integers(0, 4))


def _matching_retrier(retriers: list[dict[str, Any]], error: str) -> int | None:
    """AWS's rule, written out: the first retrier whose ErrorEquals names the error, States.ALL, or
    States.TaskFailed (not for States.Timeout); none for States.Runtime."""
    if error == "States.Runtime":
        return None
    for index, retrier in enumerate(retriers):
        named = retrier["ErrorEquals"]
        if error in named or "States.ALL" in named or ("States.TaskFailed" in named and error != "States.Timeout"):
            return index
    return None


def _execution_decision(machine: dict[str, Any], error: str, retries: int) -> dict[str, Any]:
    """What an execution whose Task always fails with ``error`` does on its attempt after ``retries`` retries
    (or on its last attempt, when it stops retrying sooner), as TestState would report it."""
    execution = StateMachine.from_dict(machine).execute({"order": 1}, mocks={"Try": mocks.raises(error, "it broke")})
    observed = execution.observations  # (kind, state, retrier or catcher index), as workflow coverage sees them
    retried = [index for kind, state, index in observed if kind == "retry" and state == "/States/Try"]
    caught = [index for kind, state, index in observed if kind == "catch" and state == "/States/Try"]
    history = execution.history
    failed_at = [event["timestamp"] for event in history if event["type"] == "TaskFailed"]
    scheduled_at = [event["timestamp"] for event in history if event["type"] == "TaskScheduled"]
    details: dict[str, int] = {}
    if retries < len(retried):
        # This attempt was retried: by which retrier, and how long the execution waited before the next one.
        backoff = (scheduled_at[retries + 1] - failed_at[retries]).total_seconds()
        details = {"retryIndex": retried[retries], "retryBackoffIntervalSeconds": int(backoff)}
        return {"status": "RETRIABLE", "error": error, "cause": "it broke", "errorDetails": details}
    retrier = _matching_retrier(machine["States"]["Try"].get("Retry", []), error)
    if retried:
        assert retrier == retried[-1]
    if retrier is not None:
        details["retryIndex"] = retrier
    if caught:
        details["catchIndex"] = caught[0]
        assert execution.status == "SUCCEEDED" and len(execution.path) == 2
        return {
            "status": "CAUGHT_ERROR",
            "output": execution.output,  # the catcher's output, passed through by its Next (a Pass state)
            "nextState": execution.path[1],
            "variables": execution.variables,
            "errorDetails": details,
        }
    assert execution.status == "FAILED"
    return {"status": "FAILED", "error": execution.error, "cause": execution.cause, "errorDetails": details}


def _test_state_decision(machine: dict[str, Any], error: str, retries: int) -> dict[str, Any]:
    """TestState's response for the Task ``Try`` of ``machine`` failing with ``error`` after ``retries`` retries."""
    response = run(
        machine,
        {"order": 1},
        stateName="Try",
        mock=failing(error, "it broke"),
        stateConfiguration={"retrierRetryCount": retries},
    )
    data = response.pop("inspectionData")
    decision = {key: value for key, value in response.items() if key in ("status", "output", "nextState")}
    if response["status"] != "CAUGHT_ERROR":
        decision |= {"error": response["error"], "cause": response["cause"]}
    else:
        decision["variables"] = data.get("variables", {})
    decision["errorDetails"] = data.get("errorDetails", {})
    return decision


@settings(max_examples=120, deadline=None)
@given(failing_tasks())
def test_test_state_decides_an_attempt_as_the_execution_does(case: tuple[dict[str, Any], str, int]) -> None:
    machine, error, retries = case
    assert _test_state_decision(machine, error, retries) == _execution_decision(machine, error, retries)


_ITEMS_NOT_AN_ARRAY = {
    "Type": "Map",
    "Items": "{% $states.input.n %}",
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    "End": True,
}


@pytest.mark.parametrize(
    ("state", "mock"),
    [
        (
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage",
                # A type error (T2002); JSONata gives 1/0 as Infinity, which fails nothing.
                "Arguments": {"QueueUrl": "q", "MessageBody": '{% $states.input.n + "a" %}'},
                "End": True,
            },
            {"MessageId": "m"},
        ),
        (_ITEMS_NOT_AN_ARRAY, []),  # an execution records EvaluationFailed, then MapStateFailed
    ],
)
def test_a_jsonata_failure_is_caught_as_in_an_execution(state: dict[str, Any], mock: Any) -> None:
    # TestState records no EvaluationFailed event; the error, its cause (the state entered at #2 in both) and
    # the catcher's output are the execution's.
    catch = [{"ErrorEquals": ["States.ALL"], "Next": "Handle", "Output": "{% $states.errorOutput %}"}]
    machine = {
        "QueryLanguage": "JSONata",
        "StartAt": "Try",
        "States": {"Try": {**state, "Catch": catch}, "Handle": {"Type": "Pass", "End": True}},
    }
    execution = StateMachine.from_dict(machine).execute({"n": 1}, mocks={"Try": mocks.returns(mock)})
    assert "EvaluationFailed" in [event["type"] for event in execution.history]
    response = run(machine, {"n": 1}, "INFO", stateName="Try", mock=mocked(mock))
    assert (response["status"], response["nextState"]) == ("CAUGHT_ERROR", execution.path[1])
    assert response["output"] == execution.output
    assert (response["error"], response["cause"]) == (execution.output["Error"], execution.output["Cause"])
    assert execution.output["Error"] == "States.QueryEvaluationError"


def test_an_item_batcher_shows_its_batches_and_each_batch_is_an_iteration() -> None:
    # The API reference's InspectionData: afterItemBatcher is "the effective input after the ItemBatcher filter".
    reader = {key: value for key, value in MAP.items() if key not in ("ItemsPath", "InputPath", "ItemSelector")} | {
        "ItemReader": {
            "Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSONL"},
            "Parameters": {"Bucket": "b", "Key": "k"},
        },
        "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"run": 7}},
    }
    data = '{"n": 1}\n{"n": 2}\n{"n": 3}'
    response = run(reader, {}, mock=mocked([1, 2]), stateConfiguration={"mapItemReaderData": data})
    assert response["inspectionData"]["afterItemBatcher"] == [
        {"BatchInput": {"run": 7}, "Items": [{"n": 1}, {"n": 2}]},
        {"BatchInput": {"run": 7}, "Items": [{"n": 3}]},
    ]
    with pytest.raises(teststate.TestStateError, match="less than or equal to the number of Map iterations"):
        run(
            reader,
            {},
            mock=mocked([1, 2]),
            stateConfiguration={"mapItemReaderData": data, "mapIterationFailureCount": 3},
        )
