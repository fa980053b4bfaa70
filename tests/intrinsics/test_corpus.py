"""Intrinsic functions against executions recorded on real AWS (../shared/conformance, read in place).

For every corpus case tagged ``intrinsic:``, each top-level Pass state with ``Parameters`` or
``Assign`` is re-evaluated from its recorded history: the ``PassStateEntered`` event gives the
state input, earlier ``assignedVariables`` give the variables, and the template is rendered with
the intrinsics under test (plain ``.$`` paths with :func:`compile_path`). The result must equal
the recorded ``PassStateExited`` output (``Parameters``) or ``assignedVariables`` (``Assign``).
Fail states with an intrinsic ``ErrorPath``/``CausePath`` are checked against the recorded error
and cause. Values the recorder masked (``<uuid:N>``, ``RandomNumberGenerated``) are checked by shape.

The cases are skipped when the corpus is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from random import Random
from typing import Any

import pytest
from support import decode_payload

from sfnlocal.language.intrinsics import compile_intrinsic, is_intrinsic
from sfnlocal.language.paths import PathNotFound, Scope, compile_path

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "localstack"
_UUID_PLACEHOLDER = re.compile(r"^<uuid:\d+>$")
_RANDOM_PLACEHOLDER = "RandomNumberGenerated"
# Stands for the value of a plain path the replay cannot know (e.g. $$.Execution.Id): not under test.
_UNKNOWN = object()


def _intrinsic_cases() -> list[Any]:
    files = sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []
    params = []
    for path in files:
        case = json.loads(path.read_text())
        if any(feature.startswith("intrinsic:") for feature in case.get("features", [])):
            params.append(pytest.param(case, id=path.stem))
    return params or [pytest.param(None, marks=pytest.mark.skip(reason=f"no intrinsic cases in {CORPUS}"))]


def _plain_path(text: str, scope: Scope) -> Any:
    path = compile_path(text)
    if path.root == "$$":  # the replay knows only a part of the context object
        return _UNKNOWN
    try:
        return path.evaluate(scope)
    except PathNotFound:
        return _UNKNOWN


def _render(template: Any, scope: Scope, rng: Random) -> Any:
    """A payload template with its ``.$`` fields evaluated: intrinsics, or plain paths."""
    if isinstance(template, dict):
        out = {}
        for key, value in template.items():
            if key.endswith(".$"):
                out[key[:-2]] = (
                    compile_intrinsic(value).evaluate(scope, rng) if is_intrinsic(value) else _plain_path(value, scope)
                )
            else:
                out[key] = _render(value, scope, rng)
        return out
    if isinstance(template, list):
        return [_render(item, scope, rng) for item in template]
    return template


def _has_intrinsic(template: Any) -> bool:
    if isinstance(template, dict):
        return any(
            (key.endswith(".$") and is_intrinsic(value)) or _has_intrinsic(value) for key, value in template.items()
        )
    return isinstance(template, list) and any(_has_intrinsic(item) for item in template)


def _matches(actual: Any, expected: Any) -> bool:
    """Equality as JSON, with the recorder's masks standing for any value of the masked shape."""
    if actual is _UNKNOWN:
        return True
    if isinstance(expected, str) and _UUID_PLACEHOLDER.match(expected):
        return (
            isinstance(actual, str)
            and re.fullmatch(
                r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                r"[0-9a-f]{12}",
                actual,
            )
            is not None
        )
    if expected == _RANDOM_PLACEHOLDER:
        return type(actual) is int
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(_matches(actual[key], expected[key]) for key in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_matches(a, e) for a, e in zip(actual, expected))
        )
    return type(actual) is type(expected) and actual == expected  # 3 is not 3.0, True is not 1


def _pass_output(state: dict[str, Any], state_input: Any, result: Any) -> Any:
    """The Pass state's output from its result: ResultPath (a top-level field here), OutputPath."""
    output = result
    if "ResultPath" in state:
        output = {**state_input, compile_path(state["ResultPath"]).segments[0]: result}
    if "OutputPath" in state:
        output = compile_path(state["OutputPath"]).evaluate(Scope(output))
    return output


def _checks(case: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(what, actual, expected) for each intrinsic-bearing template the history lets us replay."""
    states = case["definition"]["States"]
    context = {
        "Execution": {"Input": case["input"]},
        "StateMachine": {"Name": case["meta"]["placeholders"].get("stateMachineName")},
    }
    variables: dict[str, Any] = {}
    inputs: dict[str, Any] = {}
    checks: list[tuple[str, Any, Any]] = []
    for event in case.get("history", []):
        entered, exited = event.get("stateEnteredEventDetails"), event.get("stateExitedEventDetails")
        if entered:
            inputs[entered["name"]] = decode_payload(entered.get("input"))
        if event["type"] == "PassStateExited" and exited["name"] in states:
            state = states[exited["name"]]
            if "InputPath" not in state:
                checks.extend(_pass_checks(state, inputs[exited["name"]], exited, context, variables))
        if exited and "assignedVariables" in exited:
            variables.update({key: decode_payload(value) for key, value in exited["assignedVariables"].items()})
    for name, state in states.items():
        if state["Type"] == "Fail" and case["expected"]["status"] == "FAILED":
            checks.extend(_fail_checks(name, state, case, context))
    return checks


def _pass_checks(
    state: dict[str, Any], state_input: Any, exited: dict[str, Any], context: Any, variables: dict[str, Any]
) -> list[tuple[str, Any, Any]]:
    scope = Scope(state_input, context, dict(variables))
    checks = []
    result = state_input
    if "Parameters" in state:
        result = _render(state["Parameters"], scope, Random(0))
        if _has_intrinsic(state["Parameters"]):
            checks.append(
                (
                    f"{exited['name']}/Parameters",
                    _pass_output(state, state_input, result),
                    decode_payload(exited["output"]),
                )
            )
    if "Result" in state:
        result = state["Result"]
    if "Assign" in state and _has_intrinsic(state["Assign"]):
        assigned = _render(state["Assign"], Scope(result, context, dict(variables)), Random(0))
        recorded = {key: decode_payload(value) for key, value in exited["assignedVariables"].items()}
        checks.append((f"{exited['name']}/Assign", assigned, recorded))
    return checks


def _fail_checks(name: str, state: dict[str, Any], case: dict[str, Any], context: Any) -> list[tuple[str, Any, Any]]:
    checks = []
    for field, expected in (("ErrorPath", "error"), ("CausePath", "cause")):
        if is_intrinsic(state.get(field)):
            value = compile_intrinsic(state[field]).evaluate(Scope(case["input"], context, {}), Random(0))
            checks.append((f"{name}/{field}", value, case["expected"][expected]))
    return checks


@pytest.mark.parametrize("case", _intrinsic_cases())
def test_intrinsics_give_what_aws_recorded(case: dict[str, Any]) -> None:
    checks = _checks(case)
    if not checks:
        pytest.skip("no top-level Pass or Fail state with an intrinsic that the history lets us replay")
    mismatches = [(what, actual, expected) for what, actual, expected in checks if not _matches(actual, expected)]
    assert not mismatches, mismatches


def test_the_corpus_covers_every_function() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    texts = " ".join(json.dumps(case.values[0]["definition"]) for case in _intrinsic_cases() if case.values[0])
    missing = {
        name
        for name in (
            "Format",
            "StringToJson",
            "JsonToString",
            "Array(",
            "ArrayPartition",
            "ArrayContains",
            "ArrayRange",
            "ArrayGetItem",
            "ArrayLength",
            "ArrayUnique",
            "Base64Encode",
            "Base64Decode",
            "Hash",
            "JsonMerge",
            "MathRandom",
            "MathAdd",
            "StringSplit",
            "UUID",
        )
        if f"States.{name}" not in texts
    }
    assert not missing
