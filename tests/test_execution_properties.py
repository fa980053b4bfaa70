"""Property: whatever JSON comes in and whatever the tasks do, an execution ends with an ASL outcome.

No input may make the interpreter raise a Python exception or report sfnlocal's internal-error;
failures are ASL errors with a name, and the caller's input is never mutated.
"""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from sfnlocal import StateMachine, mocks

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "items", "n"]), children, max_size=3)
    ),
    max_leaves=10,
)

DEFINITION = {
    "StartAt": "Select",
    "States": {
        "Select": {
            "Type": "Pass",
            "Parameters": {
                "a.$": "$.a",
                "items.$": "$.items",
                "both.$": "States.Array($.a, $.n)",
                "exec.$": "$$.Execution.Name",
            },
            "ResultPath": "$.sel",
            "Next": "Branch",
        },
        "Branch": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Work"},
                {
                    "And": [{"Variable": "$.a", "IsPresent": True}, {"Variable": "$.a", "IsString": True}],
                    "Next": "Each",
                },
            ],
            "Default": "Both",
        },
        "Work": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "InputPath": "$.sel",
            "ResultSelector": {"p.$": "$.Payload"},
            "ResultPath": "$.work",
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "JitterStrategy": "FULL"}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Wait"}],
            "Next": "Wait",
        },
        "Wait": {"Type": "Wait", "SecondsPath": "$.n", "Next": "Done"},
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 2,
            "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"},
            "ItemProcessor": {
                "StartAt": "Item",
                "States": {"Item": {"Type": "Pass", "OutputPath": "$.v", "End": True}},
            },
            "Next": "Done",
        },
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "L", "States": {"L": {"Type": "Pass", "InputPath": "$.items", "End": True}}},
                {"StartAt": "R", "States": {"R": {"Type": "Fail", "ErrorPath": "$.a", "Cause": "c"}}},
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
            "Next": "Done",
        },
        "Done": {"Type": "Succeed", "OutputPath": "$"},
    },
}
MACHINE = StateMachine.from_dict(DEFINITION)
task_outcomes = st.lists(
    st.one_of(
        json_values.map(mocks.returns),
        st.sampled_from(["Lambda.ServiceException", "States.Timeout", "Custom"]).map(mocks.raises),
    ),
    min_size=3,
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(execution_input=json_values, outcomes=task_outcomes)
def test_any_input_ends_in_an_asl_outcome(execution_input: object, outcomes: list) -> None:
    before = copy.deepcopy(execution_input)
    # A JSON string input is given as JSON text: execute() refuses a str input.
    given = (
        {"input_json": json.dumps(execution_input)} if isinstance(execution_input, str) else {"input": execution_input}
    )
    run = MACHINE.execute(**given, mocks={"Work": mocks.sequence(*outcomes)})
    assert run.status in ("SUCCEEDED", "FAILED")
    assert run.error != "sfnlocal.InternalError", run.cause
    assert run.error is None or isinstance(run.error, str)
    assert run.cause is None or isinstance(run.cause, str)
    if run.status == "FAILED":
        assert run.history[-1]["type"] == "ExecutionFailed"
    assert execution_input == before
    assert [event["id"] for event in run.history] == list(range(1, len(run.history) + 1))
