"""Defects the fuzzer (tests/fuzz) found, each now a clean failure or refusal: kept as plain regression tests."""

from __future__ import annotations

import json

import pytest

import sfnlocal
from sfnlocal import AwaitWorker, StateMachine

PROCESSOR = {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"


@pytest.mark.parametrize("items", [{}, 5, "abc", "x {% 1 %}", None])
def test_a_jsonata_map_whose_constant_items_is_no_array_is_refused_at_load(items: object) -> None:
    definition = {
        "StartAt": "A",
        "QueryLanguage": "JSONata",
        "States": {"A": {"Type": "Map", "Items": items, "ItemProcessor": PROCESSOR, "End": True}},
    }
    with pytest.raises(sfnlocal.DefinitionError, match="/States/A/Items: Items must be an array or a JSONata"):
        StateMachine.from_dict(definition)
    assert sfnlocal.validate(definition)["diagnostics"][0]["location"] == "/States/A/Items"


def test_await_worker_for_a_task_that_is_no_activity_is_an_invalid_mock() -> None:
    machine = StateMachine.from_dict(
        {
            "StartAt": "A",
            "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel", "End": True}},
        }
    )
    run = machine.execute({}, mocks={"A": AwaitWorker()})
    assert (run.status, run.error) == ("FAILED", "sfnlocal.MockInvalid")
    assert "only an activity's task can wait for" in (run.cause or "")


def test_a_handler_raising_the_same_exception_object_again_reports_the_same_failure() -> None:
    kept = ValueError("boom")

    def handler(event: object, context: object) -> None:
        raise kept

    machine = StateMachine.from_dict(
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": LAMBDA, "End": True}}}
    )
    first, second = (machine.execute({}, mocks={"T": handler}) for _ in range(2))
    assert first.cause == second.cause
    [frame] = json.loads(first.cause or "")["stackTrace"]  # the handler's frame only
    assert ", in handler\n    raise kept" in frame


def test_an_error_output_fed_back_through_a_catcher_ends_at_the_payload_limit() -> None:
    # The Map fails quoting its input; the catcher makes that the next input, so the input doubles each round.
    machine = StateMachine.from_dict(
        {
            "StartAt": "A",
            "QueryLanguage": "JSONata",
            "States": {
                "A": {
                    "Type": "Map",
                    "ItemProcessor": PROCESSOR,
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "A"}],
                    "End": True,
                }
            },
        }
    )
    run = machine.execute({})
    assert (run.status, run.error) == ("FAILED", "States.DataLimitExceeded")
    assert len(run.history) < 200


@pytest.mark.parametrize("argument", ["input", "variables", "context"])
def test_test_state_refuses_values_json_cannot_hold_as_execute_does(argument: str) -> None:
    machine = StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
    with pytest.raises(TypeError, match=rf"test_state\(\)'s {argument} must be valid JSON, but \$.a is nan"):
        machine.test_state("A", **{argument: {"a": float("nan")}})
