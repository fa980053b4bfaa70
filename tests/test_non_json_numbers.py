"""NaN and Infinity, which JSON has no text for, where a definition or a state can make them."""

from __future__ import annotations

import math

import pytest

import sfnlocal


def _pass(**fields: object) -> dict[str, object]:
    return {"StartAt": "A", "States": {"A": {"Type": "Pass", **fields, "End": True}}}


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_a_definition_holding_nan_or_infinity_is_refused_alike_by_validate_and_from_dict(number: float) -> None:
    definition = _pass(Result={"ratio": [1, number]})
    found = sfnlocal.validate(definition)
    assert found["result"] == "FAIL"
    [diagnostic] = found["diagnostics"]
    assert (diagnostic["code"], diagnostic["location"]) == ("INVALID_JSON_DESCRIPTION", "/States/A/Result/ratio/1")
    with pytest.raises(sfnlocal.DefinitionError, match="/States/A/Result/ratio/1: .*JSON has no NaN or Infinity"):
        sfnlocal.StateMachine.from_dict(definition)


def test_json_text_with_a_nan_literal_is_refused() -> None:
    # Python's JSON parser reads NaN; AWS's does not.
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": NaN, "End": true}}}'
    assert sfnlocal.validate(text)["diagnostics"][0]["code"] == "INVALID_JSON_DESCRIPTION"
    with pytest.raises(sfnlocal.DefinitionError):
        sfnlocal.StateMachine.from_json(text)


@pytest.mark.parametrize("text", ["1e400", "[1, -1e400]", '{"a": 1e999}'])
def test_an_intrinsic_that_makes_an_infinity_fails_the_state_with_states_runtime(text: str) -> None:
    machine = sfnlocal.StateMachine.from_dict(_pass(Parameters={"a.$": f"States.StringToJson('{text}')"}))
    run = machine.execute({})
    assert (run.status, run.error) == ("FAILED", "States.Runtime")
    assert "The state/task 'A' returned a result that JSON cannot hold" in (run.cause or "")
    assert "JSON has no NaN or Infinity" in (run.cause or "")
    assert run.to_dict()["status"] == "FAILED" and run.history[-1]["type"] == "ExecutionFailed"
