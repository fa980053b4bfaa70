"""JSONata Pass states replayed against executions recorded on AWS (../shared/conformance, read in place).

For every recorded case with a JSONata Pass state that has ``Output`` or ``Assign``, each visit of
that state is replayed from the history: its ``PassStateEntered`` event gives ``$states.input``,
the ``assignedVariables`` recorded before it give the variables. ``Output`` must give the
``PassStateExited`` output and ``Assign`` its ``assignedVariables``; where the visit ended in an
``EvaluationFailed`` event, the failure must carry the same cause (after AWS's state prefix) and
location. A case whose whole definition is one Pass state is also checked against its final
recorded output, error and cause.

Templates that read the context object or the clock, or draw random numbers, are left out: the
replay does not know those values. The cases are skipped when the corpus is absent.
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest
from support import CORPUS, decode_payload

from sfnlocal.language.errors import StatesError
from sfnlocal.language.jsonata import Bindings, QueryEvaluationFailure, compile_template

_STATE_PREFIX = re.compile(r"^An error occurred while executing the state '.*?' \(entered at the event id #\d+\)\. ")
_UNKNOWABLE = re.compile(r"\$states\.context|\$(now|millis|random|uuid)\(")


def _cases() -> list[Any]:
    params = []
    for path in sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []:
        case = json.loads(path.read_text())
        if "query:JSONata" in case.get("features", []) and _jsonata_pass_states(case["definition"]):
            params.append(pytest.param(case, id=path.stem))
    return params or [pytest.param(None, marks=pytest.mark.skip(reason=f"no JSONata cases in {CORPUS}"))]


def _jsonata_pass_states(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """JSONata Pass states with Output or Assign, at any depth, by name (names used twice left out)."""
    machine_language = definition.get("QueryLanguage", "JSONPath")
    found: dict[str, dict[str, Any]] = {}
    twice: set[str] = set()

    def visit(states: dict[str, Any]) -> None:
        for name, state in states.items():
            if name in found:
                twice.add(name)
            if (
                state["Type"] == "Pass"
                and state.get("QueryLanguage", machine_language) == "JSONata"
                and ("Output" in state or "Assign" in state)
            ):
                found[name] = state
            for child in [state.get("ItemProcessor"), state.get("Iterator"), *state.get("Branches", [])]:
                if child:
                    visit(child["States"])

    visit(definition["States"])
    return {name: state for name, state in found.items() if name not in twice}


def _replayable(template: Any) -> bool:
    return not _UNKNOWABLE.search(json.dumps(template))


def _same(actual: Any, expected: Any) -> bool:
    """Equality as JSON, where 3 is not 3.0 and true is not 1."""
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(_same(actual[key], expected[key]) for key in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_same(a, e) for a, e in zip(actual, expected))
        )
    return type(actual) is type(expected) and actual == expected


def _outcome(template: Any, field: str, state_input: Any, variables: dict[str, Any]) -> Any:
    """The template's value, or ("failed", location, cause) for a QueryEvaluationError."""
    bindings = Bindings({"input": state_input, "context": {}}, dict(variables), 0.0, random.Random(0))
    try:
        return compile_template(template, field).evaluate(bindings)
    except QueryEvaluationFailure as failure:
        return ("failed", failure.location, failure.cause)


def _checks(case: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(what, actual, expected) for each replayable template of each recorded visit."""
    states = _jsonata_pass_states(case["definition"])
    inputs: dict[str, Any] = {}  # the last input each state was entered with
    variables: dict[str, Any] = {}
    checks: list[tuple[str, Any, Any]] = []
    for event in case.get("history", []):
        entered = event.get("stateEnteredEventDetails")
        exited = event.get("stateExitedEventDetails")
        failed = event.get("evaluationFailedEventDetails")
        if entered:
            inputs[entered["name"]] = decode_payload(entered.get("input"))
        name = exited["name"] if exited else failed["state"] if failed else None
        if name in states and name in inputs:
            if exited and event["type"] == "PassStateExited":
                checks.extend(_visit_checks(states[name], name, inputs[name], variables, exited))
            elif failed:
                checks.extend(_failure_checks(states[name], name, inputs[name], variables, failed))
        if exited and "assignedVariables" in exited:
            variables.update({key: decode_payload(value) for key, value in exited["assignedVariables"].items()})
    checks.extend(_final_checks(case))
    return checks


def _visit_checks(
    state: dict[str, Any], name: str, state_input: Any, variables: dict[str, Any], exited: dict[str, Any]
) -> list[tuple[str, Any, Any]]:
    checks = []
    if "Output" in state and _replayable(state["Output"]):
        checks.append(
            (
                f"{name}/Output",
                _outcome(state["Output"], "Output", state_input, variables),
                decode_payload(exited["output"]),
            )
        )
    if "Assign" in state and _replayable(state["Assign"]):
        recorded = {key: decode_payload(value) for key, value in exited.get("assignedVariables", {}).items()}
        checks.append((f"{name}/Assign", _outcome(state["Assign"], "Assign", state_input, variables), recorded))
    return checks


def _failure_checks(
    state: dict[str, Any], name: str, state_input: Any, variables: dict[str, Any], failed: dict[str, Any]
) -> list[tuple[str, Any, Any]]:
    field = failed["location"].split("/")[0]
    if field not in state or not _replayable(state[field]):
        return []
    expected = ("failed", failed["location"], _STATE_PREFIX.sub("", failed["cause"]))
    return [(f"{name}/{field}", _outcome(state[field], field, state_input, variables), expected)]


def _final_checks(case: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """A one-Pass-state definition: the Output against the execution's recorded result."""
    definition, expected = case["definition"], case["expected"]
    if len(definition["States"]) != 1:
        return []
    name, state = next(iter(definition["States"].items()))
    if name not in _jsonata_pass_states(definition) or "Output" not in state or not _replayable(state["Output"]):
        return []
    actual = _outcome(state["Output"], "Output", case["input"], {})
    if expected["status"] == "SUCCEEDED":
        return [("execution output", actual, expected["output"])]
    if expected.get("error") == "States.QueryEvaluationError":
        return [("execution cause", actual[::2], ("failed", _STATE_PREFIX.sub("", expected["cause"])))]
    return []


@pytest.mark.parametrize("case", _cases())
def test_jsonata_pass_states_give_what_aws_recorded(case: dict[str, Any]) -> None:
    try:
        checks = _checks(case)
    except StatesError as err:  # anything but QueryEvaluationError is a bug here
        raise AssertionError(f"unexpected {err.error}: {err.cause}") from err
    if not checks:
        pytest.skip("no JSONata Pass state that the recording lets us replay")
    mismatches = [(what, actual, expected) for what, actual, expected in checks if not _same(actual, expected)]
    assert not mismatches, mismatches


def test_the_corpus_has_jsonata_cases_to_replay() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    replayed = [case.values[0] for case in _cases() if case.values[0] and _checks(case.values[0])]
    assert len(replayed) >= 40
