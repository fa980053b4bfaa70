"""Workflow variables in JSONPath mode: Assign, evaluation order, scopes, history.

Expected values are those of executions recorded against AWS (tests/aws/.../assign in the corpus).
"""

from __future__ import annotations

import json

import pytest
from support import machine

from sfnlocal import DefinitionError, StateMachine, mocks


def run(states: dict, execution_input=None, **options):
    return StateMachine.from_dict(machine(states)).execute(
        {} if execution_input is None else execution_input, **options
    )


def exited(result, name: str) -> dict:
    return next(
        e["stateExitedEventDetails"]
        for e in result.history
        if e["type"].endswith("StateExited") and e["stateExitedEventDetails"]["name"] == name
    )


def test_assign_reads_the_result_and_history_shows_json_text() -> None:
    # Recorded (BASE_ASSIGN_FROM_RESULT): $ in Assign is the Pass state's Result.
    result = run(
        {"State0": {"Type": "Pass", "Result": {"answer": 42}, "Assign": {"theAnswer.$": "$.answer"}, "End": True}}
    )
    assert result.variables == {"theAnswer": 42}
    details = exited(result, "State0")
    assert details["assignedVariables"] == {"theAnswer": "42"}
    assert details["assignedVariablesDetails"] == {"truncated": False}


def test_assign_after_parameters_and_constants_stay_literal() -> None:
    # Recorded (BASE_ASSIGN_FROM_PARAMETERS, BASE_CONSTANT_LITERALS): keys without .$ are constants,
    # even when they look like paths, intrinsics or JSONata.
    result = run(
        {
            "State0": {
                "Type": "Pass",
                "Parameters": {"input": "PENDING"},
                "Assign": {
                    "result.$": "$.input",
                    "literal": "$.no.such.path",
                    "jsonata": "{% $x %}",
                    "nested": {"v.$": "$.input"},
                },
                "End": True,
            }
        }
    )
    assert result.variables == {
        "result": "PENDING",
        "literal": "$.no.such.path",
        "jsonata": "{% $x %}",
        "nested": {"v": "PENDING"},
    }


def test_empty_assign_records_nothing() -> None:
    # Recorded (BASE_EMPTY): no assignedVariables in the event.
    result = run({"State0": {"Type": "Pass", "Assign": {}, "End": True}})
    assert "assignedVariables" not in exited(result, "State0")


def test_a_state_sees_values_from_its_entry_and_the_next_state_sees_the_new_ones() -> None:
    # Recorded (BASE_EVALUATION_ORDER_PASS_STATE): InputPath and OutputPath read the old value.
    result = run(
        {
            "State0": {
                "Type": "Pass",
                "Result": {"q": "?"},
                "Assign": {"question.$": "$.q", "answer": 42},
                "Next": "State1",
            },
            "State1": {
                "Type": "Pass",
                "InputPath": "$answer",
                "ResultPath": "$.theAnswer",
                "OutputPath": "$answer",
                "Assign": {"answer": "<omitted>"},
                "End": True,
            },
        }
    )
    assert result.output == 42
    assert result.variables == {"question": "?", "answer": "<omitted>"}


def test_variables_in_paths_choice_wait_and_fail() -> None:
    # Recorded (BASE_REFERENCE_IN_CHOICE / _IN_WAIT / _IN_FAIL).
    result = run(
        {
            "Setup": {
                "Type": "Pass",
                "Assign": {"guess": "a", "answer": "b", "wait": 5, "err": "Exception"},
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$guess", "StringEqualsPath": "$answer", "Next": "Wait"}],
                "Default": "Fix",
            },
            "Fix": {"Type": "Pass", "Assign": {"guess.$": "$answer"}, "Next": "Check"},
            "Wait": {"Type": "Wait", "SecondsPath": "$wait", "Next": "Fail"},
            "Fail": {"Type": "Fail", "ErrorPath": "$err", "CausePath": "States.Format('guessed {}', $guess)"},
        }
    )
    assert result.path == ["Setup", "Check", "Fix", "Check", "Wait", "Fail"]
    assert (result.error, result.cause) == ("Exception", "guessed b")
    assert (result.stop_date - result.start_date).total_seconds() == 5


def test_choice_rule_assign_replaces_the_state_assign_which_applies_on_default() -> None:
    # Recorded (test_assign_in_choice_state): the state's Assign runs when Default is taken.
    states = {
        "Check": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.v", "NumericEquals": 42, "Assign": {"status": "CORRECT"}, "Next": "Final"},
                {"Variable": "$.v", "NumericEquals": 7, "Next": "Final"},
            ],
            "Assign": {"status": "INCORRECT", "guess.$": "$.v"},
            "Default": "Final",
        },
        "Final": {"Type": "Pass", "Parameters": {"result.$": "$status"}, "End": True},
    }
    assert run(states, {"v": "42"}).output == {"result": "INCORRECT"}
    assert run(states, {"v": 42}).output == {"result": "CORRECT"}
    assert run(states, {"v": 7}).error == "States.Runtime"  # no Assign ran: $status is undefined


def test_catcher_assign_reads_the_error_output_instead_of_the_states_assign() -> None:
    states = {
        "T": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
            "Assign": {"ok": True},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"failure.$": "$.Error"}, "Next": "Done"}],
            "End": True,
        },
        "Done": {"Type": "Succeed"},
    }
    result = run(states, mocks={"T": mocks.raises("Boom", "why")})
    assert result.variables == {"failure": "Boom"}


def test_map_iterations_read_outer_variables_and_their_own_vanish() -> None:
    # Recorded (BASE_SCOPE_MAP).
    result = run(
        {
            "State0": {"Type": "Pass", "Assign": {"x": 42, "items": [1, 2, 3]}, "Next": "State1"},
            "State1": {
                "Type": "Map",
                "ItemsPath": "$items",
                "MaxConcurrency": 1,
                "ItemProcessor": {
                    "StartAt": "Inner",
                    "States": {"Inner": {"Type": "Pass", "Assign": {"innerX.$": "$x"}, "End": True}},
                },
                "Next": "State2",
            },
            "State2": {"Type": "Pass", "Assign": {"final.$": "$x"}, "End": True},
        },
        {"input_value": "v"},
    )
    assert result.output == [1, 2, 3]
    assert result.variables == {"x": 42, "items": [1, 2, 3], "final": 42}


def test_distributed_map_children_see_no_outer_variables() -> None:
    states = {
        "S": {"Type": "Pass", "Assign": {"x": 1}, "Next": "M"},
        "M": {
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "P",
                "States": {"P": {"Type": "Pass", "OutputPath": "$x", "End": True}},
            },
            "End": True,
        },
    }
    assert run(states, [1]).error == "States.Runtime"


def test_assigning_an_outer_variable_inside_a_branch_is_refused_at_load() -> None:
    with pytest.raises(DefinitionError) as caught:
        StateMachine.from_dict(
            machine(
                {
                    "S": {"Type": "Pass", "Assign": {"x": 1}, "Next": "P"},
                    "P": {
                        "Type": "Parallel",
                        "End": True,
                        "Branches": [
                            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"x": 2}, "End": True}}}
                        ],
                    },
                }
            )
        )
    assert caught.value.location == "/States/P/Branches/0/States/B/Assign"


@pytest.mark.parametrize(
    ("assign", "message"),
    [
        ({"1x": 1}, "not a valid variable name"),
        ({"states": 1}, "reserved"),
        ({"a" * 81: 1}, "longer than 80"),
        ({"a": 1, "a.$": "$"}, "twice"),
    ],
)
def test_bad_variable_names_are_refused_at_load(assign: dict, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        StateMachine.from_dict(machine({"S": {"Type": "Pass", "Assign": assign, "End": True}}))


def test_history_values_are_compact_json() -> None:
    result = run({"S": {"Type": "Pass", "Assign": {"list": [1, "a"], "obj": {"k": None}}, "End": True}})
    assert exited(result, "S")["assignedVariables"] == {
        "list": json.dumps([1, "a"], separators=(",", ":")),
        "obj": '{"k":null}',
    }
