"""Choice rules against executions recorded on real AWS (../shared/conformance, read in place).

Three kinds of evidence, each giving the branch AWS took:

* ``localstack/v2__choice_operators__*``: one Choice state whose branches are Pass states with
  distinct ``Result``s; only the final output was recorded, so the branch taken is the target whose
  ``Result`` equals the recorded output.
* other ``localstack/`` cases with a history: each ``ChoiceStateEntered`` event carries the state's
  input, and the next state entered is the branch taken. Variables come from the
  ``assignedVariables`` of earlier events, ``$$.Execution.Input`` from the case input.
* ``teststate/`` calls on a single Choice state: ``nextState`` is the branch taken.

The cases are skipped when the corpus is absent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sfnlocal.language.choice_rules import compile_rule
from sfnlocal.language.errors import pointer
from sfnlocal.language.paths import Scope

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
LOCALSTACK = CORPUS / "localstack"
TESTSTATE = CORPUS / "teststate"


def _cases(folder: Path, pattern: str, keep: Callable[[dict[str, Any]], bool] = lambda case: True) -> list[Any]:
    """One pytest param per case file that ``keep`` selects; a skipped param when there is none."""
    files = sorted(folder.glob(pattern)) if folder.is_dir() else []
    params = [pytest.param(path, id=path.stem) for path in files if keep(_load(path))]
    return params or [pytest.param(None, marks=pytest.mark.skip(reason=f"no such case in {folder}"))]


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _choose(state_name: str, state: dict[str, Any], scope: Scope) -> str | None:
    """The state a Choice state moves to: the first matching rule's Next, else Default."""
    for i, rule in enumerate(state["Choices"]):
        compiled = compile_rule(rule, pointer("States", state_name, "Choices", i))
        if compiled.evaluate(scope):
            return compiled.next
    return state.get("Default")


def _is_jsonpath(definition: dict[str, Any], state: dict[str, Any]) -> bool:
    language = state.get("QueryLanguage", definition.get("QueryLanguage", "JSONPath"))
    return language == "JSONPath"


def _choice_states(machine: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(name, state, enclosing machine) for every Choice state, nested machines included."""
    for name, state in machine.get("States", {}).items():
        if state.get("Type") == "Choice":
            yield name, state, machine
        for nested in [*state.get("Branches", []), state.get("ItemProcessor"), state.get("Iterator")]:
            if nested:
                yield from _choice_states(nested)


@pytest.mark.parametrize("path", _cases(LOCALSTACK, "v2__choice_operators__*.json"))
def test_choice_operator_case_takes_the_branch_aws_took(path: Path) -> None:
    case = _load(path)
    assert case["expected"]["status"] == "SUCCEEDED"
    [(name, state, machine)] = list(_choice_states(case["definition"]))
    targets = {rule["Next"] for rule in state["Choices"]} | {state["Default"]}
    [expected] = [t for t in targets if machine["States"][t].get("Result") == case["expected"]["output"]]

    chosen = _choose(name, state, Scope(case["input"], {"Execution": {"Input": case["input"]}}, {}))

    assert chosen == expected


def _has_recorded_jsonpath_choice(case: dict[str, Any]) -> bool:
    return bool(case["history"]) and any(
        _is_jsonpath(case["definition"], state) for _, state, _ in _choice_states(case["definition"])
    )


def _is_choice_teststate(case: dict[str, Any]) -> bool:
    return case["request"]["definition"].get("Type") == "Choice" and "nextState" in case["expected"]


def _choice_visits(case: dict[str, Any]) -> Iterator[tuple[str, Any, dict[str, Any], str]]:
    """(state name, state input, variables then visible, state entered next) per Choice visit."""
    events = case["history"]
    variables: dict[str, Any] = {}
    for i, event in enumerate(events):
        exited = event.get("stateExitedEventDetails", {})
        variables.update({k: json.loads(v) for k, v in exited.get("assignedVariables", {}).items()})
        if event["type"] != "ChoiceStateEntered":
            continue
        entered = event["stateEnteredEventDetails"]
        exit_event = next(
            e
            for e in events[i + 1 :]
            if e["type"] == "ChoiceStateExited" and e["stateExitedEventDetails"]["name"] == entered["name"]
        )
        following = next(
            e for e in events if e.get("previousEventId") == exit_event["id"] and e["type"].endswith("StateEntered")
        )
        state_input = entered["input"]
        if isinstance(state_input, str):
            state_input = json.loads(state_input)
        yield entered["name"], state_input, dict(variables), following["stateEnteredEventDetails"]["name"]


@pytest.mark.parametrize("path", _cases(LOCALSTACK, "*.json", _has_recorded_jsonpath_choice))
def test_recorded_choice_visit_takes_the_branch_aws_took(path: Path) -> None:
    case = _load(path)
    states = {name: state for name, state, _ in _choice_states(case["definition"])}
    visits = list(_choice_visits(case))
    assert visits, "the history records no Choice state"
    for name, state_input, variables, expected in visits:
        state = states[name]
        if not _is_jsonpath(case["definition"], state):
            continue
        context = {"Execution": {"Input": case["input"]}}
        assert _choose(name, state, Scope(state_input, context, variables)) == expected, name


@pytest.mark.parametrize("path", _cases(TESTSTATE, "*.json", _is_choice_teststate))
def test_teststate_choice_goes_to_the_next_state_aws_named(path: Path) -> None:
    case = _load(path)
    request = case["request"]
    scope = Scope(request["input"], None, request.get("variables"))
    chosen = _choose("StateName", request["definition"], scope)
    assert chosen == case["expected"]["nextState"]
