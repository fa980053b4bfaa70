"""Results share no mutable objects: not with the definition, not with each other, not between their own fields.

A user who changes what a result hands out (``run.output["a"].append(2)``) changes nothing else: not the next
execution, not ``run.input``, the state records, the variables or the history, and not what the same accessor
hands out next time. AWS hands out JSON text, so nothing a caller holds can reach back into an execution.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import machine

from sfnlocal import StateMachine, mocks
from sfnlocal.interpreter.integration import Result, TaskRequest

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work"
INVOKE = "arn:aws:states:::lambda:invoke"


def jsonata(states: dict[str, Any]) -> dict[str, Any]:
    return machine(states, QueryLanguage="JSONata")


def pass_state(**fields: Any) -> dict[str, Any]:
    return machine({"P": {"Type": "Pass", "End": True, **fields}})


# Each definition holds the constant [1] somewhere a result can show it; ``reach`` finds that list in a result.
CONSTANTS = {
    "Pass Result": (pass_state(Result={"a": [1]}), lambda run: run.output["a"]),
    "Pass Result under ResultPath": (pass_state(Result=[1], ResultPath="$.a"), lambda run: run.output["a"]),
    "Parameters constant": (pass_state(Parameters={"a": [1]}), lambda run: run.output["a"]),
    "constant inside dynamic Parameters": (
        pass_state(Parameters={"a": [1], "b.$": "$"}),
        lambda run: run.output["a"],
    ),
    "JSONata Output constant": (
        jsonata({"P": {"Type": "Pass", "Output": {"a": [1]}, "End": True}}),
        lambda run: run.output["a"],
    ),
    "JSONata Output expression": (
        jsonata({"P": {"Type": "Pass", "Output": "{% {'a': [1]} %}", "End": True}}),
        lambda run: run.output["a"],
    ),
    "JSONPath Assign constant": (pass_state(Assign={"v": {"a": [1]}}), lambda run: run.variables["v"]["a"]),
    "JSONata Assign constant": (
        jsonata({"P": {"Type": "Pass", "Assign": {"v": {"a": [1]}}, "End": True}}),
        lambda run: run.variables["v"]["a"],
    ),
    "Map ItemSelector constant": (
        machine(
            {
                "M": {
                    "Type": "Map",
                    "ItemsPath": "$.items",
                    "ItemSelector": {"a": [1]},
                    "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
                    "End": True,
                }
            }
        ),
        lambda run: run.output[0]["a"],
    ),
    "state record of a Pass Result": (pass_state(Result={"a": [1]}), lambda run: run.state("P").output["a"]),
}


@pytest.mark.parametrize("case", CONSTANTS, ids=list(CONSTANTS))
def test_changing_a_result_changes_neither_the_next_execution_nor_the_definition(case: str) -> None:
    definition, reach = CONSTANTS[case]
    sm = StateMachine.from_dict(definition)
    first = sm.execute({"items": [0]})
    reach(first).append(2)
    assert reach(first) == [1]  # the accessor hands out a fresh copy each time
    assert reach(sm.execute({"items": [0]})) == [1]


def test_a_task_result_constant_does_not_leak_through_a_mock_value() -> None:
    value = {"a": [1]}
    sm = StateMachine.from_dict(machine({"T": {"Type": "Task", "Resource": LAMBDA, "End": True}}))
    run = sm.execute({}, mocks={"T": mocks.returns(value)})
    run.output["a"].append(2)
    value["a"].append(3)  # the user changes their mock value after the run
    assert run.output == {"a": [1]} and run.state("T").output == {"a": [1]}
    assert sm.execute({}, mocks={"T": mocks.returns({"a": [1]})}).output == {"a": [1]}


def test_changing_the_output_changes_no_other_field() -> None:
    sm = StateMachine.from_dict(pass_state(Assign={"seen.$": "$"}))
    run = sm.execute({"a": [1], "b": {"c": 1}})
    output = run.output
    output["a"].append(2)
    output["b"]["c"] = 99
    assert run.input == {"a": [1], "b": {"c": 1}}
    assert run.state("P").input == {"a": [1], "b": {"c": 1}}
    assert run.state("P").output == {"a": [1], "b": {"c": 1}}
    assert run.variables == {"seen": {"a": [1], "b": {"c": 1}}}
    assert json.loads(run.history[0]["executionStartedEventDetails"]["input"]) == {"a": [1], "b": {"c": 1}}
    assert json.loads(run.history[-1]["executionSucceededEventDetails"]["output"]) == {"a": [1], "b": {"c": 1}}


def test_the_callers_input_is_not_held_by_the_execution() -> None:
    given_input = {"a": [1]}
    run = StateMachine.from_dict(pass_state()).execute(given_input)
    given_input["a"].append(2)
    assert run.input == {"a": [1]} and run.output == {"a": [1]}


def test_lists_of_the_result_are_its_own() -> None:
    run = StateMachine.from_dict(pass_state()).execute({})
    run.path.append("X")
    run.timeline.clear()
    run.observations.clear()
    run.history.clear()
    run.states["P"].output["a"] = 2
    assert run.path == ["P"] and len(run.timeline) == 1 and run.observations and run.history
    assert run.states["P"].output == {} and dict(run.states) == {"P": run.state("P")}


def test_history_events_handed_out_are_copies() -> None:
    run = StateMachine.from_dict(pass_state()).execute({"a": 1})
    events = run.history
    events[1]["stateEnteredEventDetails"]["input"] = "changed"
    events[1]["stateEnteredEventDetails"]["inputDetails"]["truncated"] = True
    assert run.history[1]["stateEnteredEventDetails"]["input"] == '{"a":1}'
    assert run.history[1]["stateEnteredEventDetails"]["inputDetails"] == {"truncated": False}
    assert run.to_dict()["history"][1]["stateEnteredEventDetails"]["input"] == '{"a":1}'


def test_a_handler_that_changes_its_event_changes_neither_history_nor_definition() -> None:
    definition = machine(
        {"T": {"Type": "Task", "Resource": INVOKE, "Parameters": {"Payload": {"items": [1]}}, "End": True}}
    )

    def handler(event: Any, context: Any) -> Any:
        event["items"].append(len(event["items"]) + 1)
        return event

    sm = StateMachine.from_dict(definition)
    run = sm.execute({}, mocks={"T": handler})
    assert run.output["Payload"] == {"items": [1, 2]}
    scheduled = next(event for event in run.history if event["type"] == "TaskScheduled")
    assert json.loads(scheduled["taskScheduledEventDetails"]["parameters"]) == {"Payload": {"items": [1]}}
    assert sm.execute({}, mocks={"T": handler}).output["Payload"] == {"items": [1, 2]}


class KeepsWhatItGets:
    """A user's integration that keeps the arguments it was given and the result it answered, and changes both."""

    def __init__(self) -> None:
        self.answer: dict[str, Any] = {"items": [1]}
        self.kept: list[Any] = []

    def invoke(self, request: TaskRequest) -> Result:
        self.kept.append(request.arguments)
        request.arguments["items"].append("changed by the integration")
        return Result(self.answer)


def test_an_integration_holds_nothing_the_execution_holds() -> None:
    definition = machine(
        {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage",
                "Parameters": {"items": [0]},
                "ResultPath": "$.r",
                "End": True,
            }
        }
    )
    integration = KeepsWhatItGets()
    sm = StateMachine.from_dict(definition)
    run = sm.execute({}, integration=integration)
    integration.answer["items"].append(2)
    assert run.output == {"r": {"items": [1]}}
    scheduled = next(event for event in run.history if event["type"] == "TaskScheduled")
    assert json.loads(scheduled["taskScheduledEventDetails"]["parameters"]) == {"items": [0]}
    assert sm.execute({}, integration=KeepsWhatItGets()).output == {"r": {"items": [1]}}


# Property: whatever a result hands out can be changed everywhere without any effect -------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=12,
)

# Every kind of state that passes values on: Pass (ResultPath, Assign), a mocked Task echoing its input, a Map
# over copies of the input, a Parallel, a JSONata Pass with a constant and the input.
FLOW = machine(
    {
        "Keep": {"Type": "Pass", "ResultPath": "$.kept", "Assign": {"seen.$": "$.value"}, "Next": "Echo"},
        "Echo": {"Type": "Task", "Resource": LAMBDA, "ResultPath": "$.echo", "Next": "Each"},
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.list",
            "ItemSelector": {"item.$": "$$.Map.Item.Value", "fixed": [1, {"k": []}]},
            "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
            "ResultPath": "$.each",
            "Next": "Both",
        },
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Result": {"r": [1]}, "End": True}}},
                {
                    "StartAt": "B2",
                    "States": {
                        "B2": {
                            "Type": "Pass",
                            "QueryLanguage": "JSONata",
                            "Output": {"c": [2], "in": "{% $states.input %}"},
                            "End": True,
                        }
                    },
                },
            ],
            "ResultPath": "$.both",
            "End": True,
        },
    }
)


def echo(event: Any, context: Any) -> Any:
    return event


def vandalize(value: Any) -> None:
    """Change every container reachable from ``value``: add to each object and list, after visiting its parts."""
    if isinstance(value, dict):
        for part in list(value.values()):
            vandalize(part)
        value["vandal"] = ["was here"]
    elif isinstance(value, list):
        for part in list(value):
            vandalize(part)
        value.append({"vandal": []})


def snapshot(run: Any) -> dict[str, Any]:
    return {
        "output": run.output,
        "input": run.input,
        "states": {name: (record.input, record.output) for name, record in run.states.items()},
        "variables": run.variables,
        "history": json.dumps(run.to_dict()["history"]),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values, items=st.lists(json_values, max_size=3))
def test_changing_everything_a_result_hands_out_changes_nothing(value: Any, items: list[Any]) -> None:
    sm = StateMachine.from_dict(FLOW)
    execution_input = {"value": value, "list": items}
    run = sm.execute(copy.deepcopy(execution_input), mocks={"Echo": echo})
    assert run.status == "SUCCEEDED", run.cause
    before = snapshot(run)

    vandalize(run.output)
    vandalize(run.input)
    vandalize(run.variables)
    for record in run.states.values():
        vandalize(record.input)
        vandalize(record.output)
    for event in run.history:
        for details in event.values():
            vandalize(details)

    assert snapshot(run) == before
    again = snapshot(sm.execute(copy.deepcopy(execution_input), mocks={"Echo": echo}))
    assert {key: again[key] for key in ("output", "input", "states", "variables")} == {
        key: before[key] for key in ("output", "input", "states", "variables")
    }
    assert again["output"]["kept"] == execution_input and again["variables"] == {"seen": value}
