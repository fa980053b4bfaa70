"""Random state machine definitions: all eight state types, both query languages, nesting, Retry/Catch.

Most definitions are well formed, so that executions get somewhere; a few random mutations (a field set
to any JSON, removed, or added) make the rest invalid in every way the loader and validator must catch.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from .expressions import intrinsics, jsonata_expressions, jsonata_strings, jsonata_templates, paths, payload_templates
from .values import json_values, sometimes, texts

STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")
_TERMINAL = ("Succeed", "Fail")
JSONPATH, JSONATA = "JSONPath", "JSONata"

RESOURCES = (
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "arn:aws:lambda:us-east-1:123456789012:function:f",
    "arn:aws:states:us-east-1:123456789012:activity:worker",
    "arn:aws:states:::http:invoke",
    "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:::bedrock:invokeModel",
    "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
    "not an arn",
)
ERROR_NAMES = (
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.Runtime",
    "States.DataLimitExceeded",
    "States.HeartbeatTimeout",
    "States.QueryEvaluationError",
    "States.Permissions",
    "Lambda.ServiceException",
    "Boom",
    "ValueError",
    "sfnlocal.MockMissing",
    "States.ExceedToleratedFailureThreshold",
)
VARIABLES = ("v", "x", "items", "total") * 15 + ("$bad", "1x", "a.b", "")
_ODD_NAMES = ("Ünïcødé", "with space", "x" * 81, "", "a/b", "$", "😀", "tab\there")
DEEP_DEFINITION = 130  # nested Parallels in a "deep" definition (AWS refuses past its nesting limit)
_MUTATIONS = 3


@st.composite
def definitions(draw: st.DrawFn, excluded: frozenset[str], depth: int = 2) -> dict[str, Any]:
    """A whole definition: ``StartAt``, ``States`` and sometimes ``QueryLanguage``/``TimeoutSeconds``."""
    if "deep_nesting" not in excluded and rarely(draw, 60):
        return _nested_parallels(DEEP_DEFINITION)
    language = draw(mostly([None, JSONPATH, JSONATA], ["Nope"]))
    definition = draw(_states_object(excluded, depth, "", language if language != "Nope" else None))
    if language is not None:
        definition["QueryLanguage"] = language
    if rarely(draw, 6):
        definition["TimeoutSeconds"] = draw(mostly([1, 60, 3600, 99999999], [0, -1, 1.5, "10"]))
    if rarely(draw, 5):
        _mutate(draw, definition, excluded)
    return definition


@st.composite
def _states_object(draw: st.DrawFn, excluded: frozenset[str], depth: int, prefix: str, language: str | None) -> Any:
    count = draw(st.integers(1, 4))
    names = [f"{prefix}{letter}" for letter in "ABCD"[:count]]
    if rarely(draw, 30):
        names[-1] = draw(st.sampled_from(_ODD_NAMES))
    states = {}
    for index, name in enumerate(names):
        later = names[index + 1 :]
        states[name] = draw(_state(excluded, depth, name, names, later, language))
    return {"StartAt": "Missing" if rarely(draw, 40) else names[0], "States": states}


@st.composite
def _state(
    draw: st.DrawFn,
    excluded: frozenset[str],
    depth: int,
    name: str,
    names: list[str],
    later: list[str],
    machine_language: str | None,
) -> dict[str, Any]:
    types = STATE_TYPES if depth > 0 else tuple(t for t in STATE_TYPES if t not in ("Parallel", "Map"))
    kind = draw(st.sampled_from(types))
    state: dict[str, Any] = {"Type": kind}
    # A state of a JSONata machine cannot be JSONPath (AWS refuses it), so it names JSONata or nothing.
    languages = [None] if machine_language == JSONATA else [None, None, None, JSONPATH, JSONATA]
    own_language = draw(st.sampled_from(languages + ([JSONPATH] if rarely(draw, 40) else [])))
    if own_language is not None:
        state["QueryLanguage"] = own_language
    jsonata = (own_language or machine_language) == JSONATA
    _common_fields(draw, state, excluded, jsonata)
    _type_fields(draw, state, excluded, depth, name, jsonata, names, machine_language)
    if kind not in _TERMINAL and kind != "Choice":
        # Forward transitions mostly (so most machines end), any state sometimes (loops), a missing one rarely.
        if rarely(draw, 40):
            target = "Nowhere"
        elif rarely(draw, 6):
            target = draw(st.sampled_from(names))
        else:
            target = draw(st.sampled_from(later + ["END"] if later else ["END"]))
        if target == "END":
            state["End"] = True
        else:
            state["Next"] = target
    return state


# The fields each state type takes besides its own (AWS refuses the others): JSONPath, then JSONata.
_PATH_FIELDS = {
    "Pass": ("InputPath", "OutputPath", "ResultPath", "Parameters"),
    "Task": ("InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector"),
    "Parallel": ("InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector"),
    "Map": ("InputPath", "OutputPath", "ResultPath", "ResultSelector"),
    "Choice": ("InputPath", "OutputPath"),
    "Wait": ("InputPath", "OutputPath"),
    "Succeed": ("InputPath", "OutputPath"),
    "Fail": (),
}
_JSONATA_FIELDS = {
    "Pass": ("Output",),
    "Task": ("Output", "Arguments"),
    "Parallel": ("Output", "Arguments"),
    "Map": ("Output",),
    "Choice": ("Output",),
    "Wait": ("Output",),
    "Succeed": ("Output",),
    "Fail": (),
}


def mostly(valid: list[Any], invalid: list[Any]) -> st.SearchStrategy[Any]:
    """The valid values mostly, the invalid ones rarely (mid-list: Hypothesis favours a choice's first and last)."""
    return st.sampled_from(valid * 6 + invalid + valid * 6)


def rarely(draw: st.DrawFn, one_in: int) -> bool:
    """True about once in ``one_in`` draws (a value inside the range: Hypothesis favours its ends)."""
    return draw(st.integers(0, one_in - 1)) == one_in // 2


def _common_fields(draw: st.DrawFn, state: dict[str, Any], excluded: frozenset[str], jsonata: bool) -> None:
    kind = state["Type"]
    fields = _JSONATA_FIELDS[kind] if jsonata else _PATH_FIELDS[kind]
    if rarely(draw, 25):  # a field the type does not take, or one of the other query language
        fields = (*fields, draw(st.sampled_from(["ResultSelector", "Parameters", "Output", "ResultPath", "Arguments"])))
    for field in fields:
        if draw(st.integers(0, 2)) != 1:
            continue
        if field in ("Output", "Arguments"):
            state[field] = draw(jsonata_templates(excluded))
        elif field in ("Parameters", "ResultSelector"):
            state[field] = draw(payload_templates(excluded))
        else:
            state[field] = draw(st.none() | paths(excluded))
    if kind not in ("Fail", "Succeed") and draw(st.integers(0, 3)) == 1:
        state["Assign"] = draw(_assign(excluded, jsonata))
    if rarely(draw, 20):
        state["Comment"] = draw(texts(excluded))


@functools.cache
def _assign(excluded: frozenset[str], jsonata: bool) -> st.SearchStrategy[dict[str, Any]]:
    if jsonata:
        value = jsonata_templates(excluded)
        names = st.sampled_from(VARIABLES)
    else:
        value = payload_templates(excluded)
        names = st.sampled_from(VARIABLES) | st.sampled_from(VARIABLES).map(lambda name: name + ".$")
        value = value | paths(excluded)
    return st.dictionaries(names, value, max_size=3)


def _type_fields(
    draw: st.DrawFn,
    state: dict[str, Any],
    excluded: frozenset[str],
    depth: int,
    name: str,
    jsonata: bool,
    names: list[str],
    machine_language: str | None,
) -> None:
    kind = state["Type"]
    dynamic = jsonata_strings(excluded) if jsonata else paths(excluded)
    numeric = (
        jsonata_strings(excluded) if jsonata else st.nothing()
    )  # JSONata computes numbers; JSONPath has *Path fields
    if kind == "Pass" and not jsonata and draw(st.booleans()):
        state["Result"] = draw(json_values(excluded, max_leaves=4))
    elif kind == "Task":
        state["Resource"] = draw(st.sampled_from(RESOURCES))
        if draw(st.integers(0, 3)) == 1:
            state["TimeoutSeconds"] = draw(mostly([5, 60, 3600], [0, 99999999, 1.5]) | numeric)
        if draw(st.integers(0, 5)) == 1:
            state["HeartbeatSeconds"] = draw(mostly([1, 2], [0, 99999999, 1.5]) | numeric)
        if not jsonata and rarely(draw, 8):
            state["TimeoutSecondsPath"] = draw(paths(excluded))
    elif kind == "Choice":
        state["Choices"] = draw(st.lists(_choice_rule(excluded, jsonata, tuple(names), 2), min_size=1, max_size=3))
        if draw(st.booleans()):
            state["Default"] = draw(st.sampled_from(names))
    elif kind == "Wait":
        field = draw(
            st.sampled_from(
                ["Seconds", "Timestamp"] if jsonata else ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]
            )
        )
        if field == "Seconds":
            state[field] = draw(
                mostly([0, 1, 3600, 31536000], [99999999999, -1, 0.5]) | (dynamic if jsonata else st.nothing())
            )
        elif field == "Timestamp":
            state[field] = draw(
                st.sampled_from(
                    [
                        "2025-01-01T00:01:00Z",
                        "2024-01-01T00:00:00Z",
                        "9999-12-31T23:59:59Z",
                        "2025-01-01T00:01:00Z",
                        "2025-01-01T00:01:00Z",
                        "2025-13-01T00:00:00Z",
                        "bad",
                    ]
                )
                | (dynamic if jsonata else st.nothing())
            )
        else:
            state[field] = draw(paths(excluded))
    elif kind == "Fail":
        for field in ("Error", "Cause"):
            if draw(st.booleans()):
                state[field] = draw(st.sampled_from(ERROR_NAMES) | (dynamic if jsonata else texts(excluded)))
            elif not jsonata and draw(st.integers(0, 3)) == 0:
                state[field + "Path"] = draw(paths(excluded) | intrinsics(excluded))
    elif kind == "Parallel":
        state["Branches"] = [
            draw(_states_object(excluded, depth - 1, f"{name}.{index}.", machine_language))
            for index in range(draw(st.integers(1, 3)))
        ]
    elif kind == "Map":
        _map_fields(draw, state, excluded, depth, name, jsonata, machine_language)
    if kind in ("Task", "Parallel", "Map"):
        if draw(st.integers(0, 2)) == 0:
            state["Retry"] = draw(st.lists(_retrier(), min_size=1, max_size=2))
        if draw(st.integers(0, 2)) == 0:
            state["Catch"] = draw(st.lists(_catcher(excluded, jsonata, tuple(names)), min_size=1, max_size=2))


def _map_fields(
    draw: st.DrawFn,
    state: dict[str, Any],
    excluded: frozenset[str],
    depth: int,
    name: str,
    jsonata: bool,
    machine_language: str | None,
) -> None:
    processor = draw(_states_object(excluded, depth - 1, f"{name}.", machine_language))
    mode = draw(mostly([None, "INLINE", "DISTRIBUTED"], ["Bogus"]))
    if mode is not None:
        processor["ProcessorConfig"] = {"Mode": mode}
        if mode == "DISTRIBUTED":
            processor["ProcessorConfig"]["ExecutionType"] = draw(st.sampled_from(["STANDARD", "EXPRESS"]))
    state["Iterator" if rarely(draw, 6) else "ItemProcessor"] = processor
    if jsonata:
        if draw(st.booleans()):
            if "map_constant_items" in excluded:  # an expression or an array only
                constant = jsonata_expressions(excluded).map(lambda text: "{% " + text + " %}") | st.lists(
                    json_values(excluded, max_leaves=2), max_size=3
                )
            else:
                constant = jsonata_templates(excluded)
            state["Items"] = draw(st.sampled_from(["{% $states.input.items %}", "{% [1, 2, 3] %}"]) | constant)
    elif draw(st.booleans()):
        state["ItemsPath"] = draw(st.sampled_from(["$.items", "$.list", "$"]) | paths(excluded))
    if draw(st.integers(0, 2)) == 0:
        state["ItemSelector"] = draw(jsonata_templates(excluded) if jsonata else payload_templates(excluded))
    if draw(st.integers(0, 2)) == 0:
        state["MaxConcurrency"] = draw(mostly([0, 1, 2, 40], [-1, 1.5]))
    if draw(st.integers(0, 3)) == 0:
        field = draw(st.sampled_from(["ToleratedFailureCount", "ToleratedFailurePercentage"]))
        state[field] = draw(mostly([0, 1, 50, 100], [101, -1, 0.5]))


@functools.cache
def _choice_rule(excluded: frozenset[str], jsonata: bool, names: tuple[str, ...], depth: int) -> st.SearchStrategy[Any]:
    targets = st.sampled_from(names)
    if jsonata:
        return st.fixed_dictionaries(
            {
                "Condition": jsonata_strings(excluded) | st.sampled_from(["{% true %}", "{% false %}", True]),
                "Next": targets,
            },
            optional={"Assign": _assign(excluded, True), "Output": jsonata_templates(excluded)},
        )
    rule = _comparison(excluded, depth)
    return st.builds(lambda body, target: {**body, "Next": target}, rule, targets)


@functools.cache
def _comparison(excluded: frozenset[str], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    operators = st.sampled_from(
        [
            ("StringEquals", "x"),
            ("StringLessThan", "m"),
            ("StringGreaterThanEquals", ""),
            ("StringMatches", "a*b\\*"),
            ("NumericEquals", 1),
            ("NumericLessThan", 2.5),
            ("NumericGreaterThan", -1),
            ("BooleanEquals", True),
            ("TimestampEquals", "2025-01-01T00:00:00Z"),
            ("TimestampLessThan", "bad"),
            ("IsNull", True),
            ("IsPresent", False),
            ("IsNumeric", True),
            ("IsString", True),
            ("IsBoolean", False),
            ("IsTimestamp", True),
            ("StringEqualsPath", "$.b"),
            ("NumericLessThanPath", "$.n"),
        ]
    )
    leaf = st.builds(
        lambda variable, op, odd: {"Variable": variable, op[0]: op[1] if odd is None else odd},
        paths(excluded),
        operators,
        sometimes(st.none(), json_values(excluded, max_leaves=1), 8),
    )
    if depth == 0:
        return leaf
    inner = _comparison(excluded, depth - 1)
    return (
        leaf
        | st.builds(lambda op, rules: {op: rules}, st.sampled_from(["And", "Or"]), st.lists(inner, max_size=3))
        | st.builds(lambda rule: {"Not": rule}, inner)
    )


def _error_lists() -> st.SearchStrategy[list[str]]:
    """ErrorEquals: one to three names; States.ALL last when it is there (an empty list or a misplaced States.ALL
    only sometimes)."""
    names = st.lists(st.sampled_from(ERROR_NAMES[1:]), min_size=1, max_size=3, unique=True)
    invalid = [names.map(lambda found: [*found, "States.ALL"]), st.just([])]
    return sometimes(sometimes(names, st.just(["States.ALL"]), 6), st.one_of(invalid), 25)


@functools.cache
def _retrier() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"ErrorEquals": _error_lists()},
        optional={
            "IntervalSeconds": mostly([1, 3], [0, 99999999]),
            "MaxAttempts": mostly([0, 1, 2, 3], [99999999, -1]),
            "BackoffRate": mostly([1, 2.0], [0.5, 1e308]),
            "MaxDelaySeconds": mostly([1, 10], [0]),
            "JitterStrategy": mostly(["FULL", "NONE"], ["PARTIAL"]),
        },
    )


@functools.cache
def _catcher(excluded: frozenset[str], jsonata: bool, names: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, st.SearchStrategy[Any]] = {"Assign": _assign(excluded, jsonata)}
    if jsonata:
        optional["Output"] = jsonata_templates(excluded)
    else:
        optional["ResultPath"] = st.none() | paths(excluded)
    return st.fixed_dictionaries(
        {
            "ErrorEquals": _error_lists(),
            "Next": st.sampled_from(names),
        },
        optional=optional,
    )


def _mutate(draw: st.DrawFn, definition: dict[str, Any], excluded: frozenset[str]) -> None:
    """Break the definition: a field of a top-level state (or the machine) set to any JSON, removed, or added."""
    for _ in range(draw(st.integers(1, _MUTATIONS))):
        states = definition.get("States")
        targets = (
            [definition] + [s for s in states.values() if isinstance(s, dict)]
            if isinstance(states, dict)
            else [definition]
        )
        target = draw(st.sampled_from(targets))
        field = draw(st.sampled_from(sorted(target) + ["Bogus", "Next", "End", "Type", "Parameters", "Output"]))
        action = draw(st.sampled_from(["set", "set", "delete"]))
        if action == "delete":
            target.pop(field, None)
        else:
            target[field] = draw(json_values(excluded, max_leaves=3))


def _nested_parallels(depth: int) -> dict[str, Any]:
    definition: dict[str, Any] = {"StartAt": "Leaf", "States": {"Leaf": {"Type": "Pass", "End": True}}}
    for level in range(depth):
        name = f"P{level}"
        definition = {"StartAt": name, "States": {name: {"Type": "Parallel", "Branches": [definition], "End": True}}}
    return definition


def walk_states(definition: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every (name, state) of a definition, nested ones included, as far as it is well formed."""
    found: list[tuple[str, dict[str, Any]]] = []
    pending = [definition]
    while pending:
        machine = pending.pop()
        states = machine.get("States") if isinstance(machine, dict) else None
        if not isinstance(states, dict):
            continue
        for name, state in states.items():
            if not isinstance(state, dict):
                continue
            found.append((name, state))
            branches = state.get("Branches")
            if isinstance(branches, list):
                pending.extend(branches)
            pending.extend(state.get(field) for field in ("ItemProcessor", "Iterator"))
    return found


def has_cycle(definition: Any) -> bool:
    """Whether a state can be reached again (a Next/Default/Choice/Catch target at or before itself)."""
    for machine_states in _machines(definition):
        order = list(machine_states)
        for position, (_, state) in enumerate(machine_states.items()):
            if not isinstance(state, dict):
                continue
            for target in _targets(state):
                if target in order and order.index(target) <= position:
                    return True
    return False


def _machines(definition: Any) -> list[dict[str, Any]]:
    machines = []
    pending = [definition]
    while pending:
        machine = pending.pop()
        states = machine.get("States") if isinstance(machine, dict) else None
        if isinstance(states, dict):
            machines.append(states)
            for state in states.values():
                if isinstance(state, dict):
                    branches = state.get("Branches")
                    pending.extend(branches if isinstance(branches, list) else [])
                    pending.extend(state.get(field) for field in ("ItemProcessor", "Iterator"))
    return machines


def _targets(state: dict[str, Any]) -> list[Any]:
    targets = [state.get("Next"), state.get("Default")]
    for listed in ("Choices", "Catch"):
        rules = state.get(listed)
        if isinstance(rules, list):
            targets.extend(rule.get("Next") for rule in rules if isinstance(rule, dict))
    return targets
