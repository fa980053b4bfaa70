"""No silent typos: mocks keys, MockConfigFile test case states and str inputs refused before a run."""

from __future__ import annotations

import json

import pytest

from sfnlocal import StateMachine, mocks, registry_scope
from sfnlocal.integrations.mock_config import MockConfigError
from sfnlocal.integrations.mocks.keys import MockKeyError, check_mock_keys

INVOKE = "arn:aws:states:::lambda:invoke"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:notify"


def _task(resource: str, **fields: object) -> dict[str, object]:
    return {"Type": "Task", "Resource": resource, "End": True, **fields}


ORDER = StateMachine.from_dict(
    {
        "StartAt": "Fan out",
        "States": {
            "Fan out": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {
                        "StartAt": "Charge card",
                        "States": {"Charge card": _task(INVOKE, Parameters={"FunctionName": "charge"})},
                    },
                    {
                        "StartAt": "Each item",
                        "States": {
                            "Each item": {
                                "Type": "Map",
                                "End": True,
                                "ItemProcessor": {"StartAt": "Notify", "States": {"Notify": _task(FUNCTION_ARN)}},
                            }
                        },
                    },
                ],
            }
        },
    },
    name="Order",
)


@pytest.mark.parametrize("key", ["Fan out", "Charge card", "Each item", "Notify", INVOKE, FUNCTION_ARN, "charge"])
def test_a_key_naming_a_state_at_any_depth_a_resource_or_a_literal_function_name_is_accepted(key: str) -> None:
    check_mock_keys({key: mocks.returns({})}, ORDER)


def test_a_misspelt_state_name_is_refused_before_the_run_naming_the_nearest() -> None:
    with pytest.raises(MockKeyError) as refused:
        ORDER.execute({}, mocks={"Charge crad": mocks.returns({}), "Notify": mocks.returns({})})
    message = str(refused.value)
    assert message.startswith("mocks key 'Charge crad' names no state, Resource ARN or lambda:invoke FunctionName")
    assert "'Order'" in message and "did you mean 'Charge card'?" in message
    assert "Notify" not in message.split("?")[0]  # only the bad key is reported
    assert isinstance(refused.value, ValueError)


def test_every_bad_key_is_reported_and_far_names_list_the_machines_names() -> None:
    with pytest.raises(MockKeyError) as refused:
        check_mock_keys({"zzz": 1, "Notfy": 2}, ORDER)
    first, second = str(refused.value).split("\n")
    assert "none is close; the names are 'Charge card', 'Each item', 'Fan out', 'Notify'" in first
    assert "did you mean " in second and "'Notify'" in second.split("?")[0]


def test_also_known_names_are_accepted() -> None:
    check_mock_keys({"template-function": 1}, ORDER, also_known=["template-function"])
    with pytest.raises(MockKeyError, match="did you mean 'template-function'"):
        check_mock_keys({"template-functon": 1}, ORDER, also_known=["template-function"])


def test_a_computed_function_name_accepts_keys_shaped_like_function_names_only() -> None:
    jsonpath = StateMachine.from_dict(
        {"StartAt": "Call", "States": {"Call": _task(INVOKE, Parameters={"FunctionName.$": "$.fn"})}}
    )
    jsonata = StateMachine.from_dict(
        {
            "QueryLanguage": "JSONata",
            "StartAt": "Call",
            "States": {"Call": _task(INVOKE, Arguments={"FunctionName": "{% $states.input.fn %}"})},
        }
    )
    whole = StateMachine.from_dict(
        {
            "QueryLanguage": "JSONata",
            "StartAt": "Call",
            "States": {"Call": _task(INVOKE, Arguments="{% $states.input %}")},
        }
    )
    for machine in (jsonpath, jsonata, whole):
        for key in ("any-function", "arn:aws:lambda:us-east-1:123456789012:function:f:prod", "123456789012:function:f"):
            check_mock_keys({key: 1}, machine)
        with pytest.raises(MockKeyError):
            check_mock_keys({"Cal l": 1}, machine)  # a space: no function's name


def test_keys_of_child_machines_found_in_the_registry_are_accepted() -> None:
    with registry_scope():
        child = StateMachine.from_dict(
            {"StartAt": "Ship", "States": {"Ship": _task(INVOKE, Parameters={"FunctionName": "ship"})}}, name="Shipping"
        )
        parent = StateMachine.from_dict(
            {
                "StartAt": "Run child",
                "States": {
                    "Run child": _task(
                        "arn:aws:states:::states:startExecution.sync:2", Parameters={"StateMachineArn": child.arn}
                    )
                },
            }
        )
        run = parent.execute({}, mocks={"Ship": mocks.returns({"shipped": True}), "ship": mocks.returns({})})
        assert run.status == "SUCCEEDED"
        with pytest.raises(MockKeyError, match="did you mean 'Ship'"):
            parent.execute({}, mocks={"Shp": mocks.returns({})})


def test_a_child_machine_unknown_before_the_run_lets_every_key_through() -> None:
    parent = StateMachine.from_dict(
        {
            "StartAt": "Run child",
            "States": {
                "Run child": _task("arn:aws:states:::states:startExecution", Parameters={"StateMachineArn.$": "$.arn"})
            },
        }
    )
    check_mock_keys({"Any state of any child": 1}, parent)


MOCK_CONFIG = {
    "StateMachines": {"Order": {"TestCases": {"Typo": {"Charge crad": "Ok"}, "Right": {"Charge card": "Ok"}}}},
    "MockedResponses": {"Ok": {"0": {"Return": {"StatusCode": 200, "Payload": {"charged": True}}}}},
}


def test_a_test_case_mocking_a_state_the_machine_lacks_is_refused_with_its_location() -> None:
    with pytest.raises(MockConfigError) as refused:
        ORDER.execute({}, mock_config=MOCK_CONFIG, test_case="Typo")
    assert refused.value.location == "/StateMachines/Order/TestCases/Typo/Charge crad"
    assert "has no state 'Charge crad'" in str(refused.value) and "did you mean 'Charge card'?" in str(refused.value)


def test_a_test_case_mocking_a_nested_state_runs() -> None:
    run = ORDER.execute({}, mock_config=MOCK_CONFIG, test_case="Right", mocks={"Notify": mocks.returns(1)})
    assert run.state("Charge card").output["Payload"] == {"charged": True}


# execute() and a str input -------------------------------------------------------------------------------

PASS = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def test_a_str_input_is_refused_saying_what_to_pass() -> None:
    with pytest.raises(TypeError) as refused:
        PASS.execute('{"order": 1}')
    message = str(refused.value)
    assert "execute(json.loads(text))" in message and "input_json=" in message


@pytest.mark.parametrize(("text", "expected"), [('{"order": 1}', {"order": 1}), ('"text"', "text"), ("null", None)])
def test_input_json_is_json_text(text: str, expected: object) -> None:
    run = PASS.execute(input_json=text)
    assert run.output == expected
    assert json.loads(run.history[0]["executionStartedEventDetails"]["input"]) == expected


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"input": {}, "input_json": "{}"}, TypeError, "not both"),
        ({"input_json": {"a": 1}}, TypeError, "input_json must be JSON text"),
        ({"input_json": "{oops"}, ValueError, "^input_json is not valid JSON"),
        ({"input_json": '{"n": NaN}'}, ValueError, "^input_json is not valid JSON: NaN is not JSON"),
        ({"input_json": "[" * 100_000 + "]" * 100_000}, TypeError, "nested more than 256"),
    ],
)
def test_input_json_errors_name_it(arguments: dict[str, object], error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        PASS.execute(**arguments)  # type: ignore[arg-type]


def test_input_json_is_measured_as_sent() -> None:
    spaced = "{" + " " * 262_144 + "}"  # {} as a value, but StartExecution receives all of this text
    with pytest.raises(ValueError, match="262,146 bytes"):
        PASS.execute(input_json=spaced)
