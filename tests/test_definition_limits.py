"""A definition's bounds: its size (AWS's 1 MB), how deep it is nested (sfnlocal's 200 levels and 40 nested
Parallel/Map states), and the names AWS refuses, enforced alike by ``validate`` and ``StateMachine.from_dict``.

AWS's numbers come from its documentation: the Step Functions quotas page ("Maximum size of state machine
definition: 1 MB", a hard quota; names of state machines "must not exceed 80 characters" and must not contain
white space, brackets, wildcards, special characters or control characters) and the API reference
(CreateStateMachine's definition: length at most 1,048,576; its name: length 1 to 80 and the same characters;
ValidateStateMachineDefinitionDiagnostic's codes TOO_DEEPLY_NESTED and STATE_MACHINE_NAME_*).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfnlocal import DefinitionError, StateMachine, validate
from sfnlocal.language.definition_limits import MAX_DEFINITION_BYTES, MAX_NESTING_DEPTH, MAX_STATE_NESTING
from sfnlocal.validation import InvalidDefinition, create_state_machine_check


def _pass(**fields: Any) -> dict[str, Any]:
    return {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True, **fields}}}


def _nested_list(depth: int) -> Any:
    """A list ``depth`` arrays deep (``[[0]]`` is 2 deep)."""
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


def _nested_states(levels: int, kind: str = "Parallel") -> dict[str, Any]:
    """A Pass state inside ``levels`` Parallel (or Map) states nested in one another."""
    machine: dict[str, Any] = {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}}
    for level in range(levels):
        holder: dict[str, Any] = {"Branches": [machine]}
        if kind == "Map":  # each iteration gets {"items": [1]}, for the Map inside it
            holder = {"ItemProcessor": machine, "ItemsPath": "$.items", "ItemSelector": {"items": [1]}}
        machine = {"StartAt": f"L{level}", "States": {f"L{level}": {"Type": kind, "End": True, **holder}}}
    return machine


def _depth(value: Any) -> int:
    """Objects and arrays nested in one another, counted without recursion (the definition itself is 1)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, depth)
            pending += [(child, depth + 1) for child in (node.values() if isinstance(node, dict) else node)]
    return deepest


def _refusals(definition: Any) -> tuple[list[tuple[str, str | None, str]], DefinitionError | None]:
    """What validate reports and what from_dict raises, for the same definition."""
    reported = [
        (found["code"], found.get("location"), found["message"])
        for found in validate(definition, severity="WARNING")["diagnostics"]
        if found["severity"] == "ERROR"
    ]
    try:
        StateMachine.from_dict(definition)
    except DefinitionError as refused:
        return reported, refused
    return reported, None


def _cyclic() -> dict[str, Any]:
    loop: list[Any] = []
    loop.append(loop)
    return _pass(Result=loop)


BEYOND = {
    "a 1,000-deep list in a Pass Result": _pass(Result=_nested_list(1000)),
    "a 100,000-deep list in a Pass Result": _pass(Result=_nested_list(100_000)),
    "a deep object in Parameters": _pass(Parameters={"a.$": "$", "b": json.loads('{"c": ' * 500 + "1" + "}" * 500)}),
    "a list that holds itself": _cyclic(),
    "124 nested Parallel states": _nested_states(124),
    "124 nested Map states": _nested_states(124, "Map"),
}


@pytest.mark.parametrize("definition", BEYOND.values(), ids=BEYOND.keys())
def test_validate_and_from_dict_refuse_a_definition_past_a_bound_alike(definition: dict[str, Any]) -> None:
    reported, raised = _refusals(definition)
    assert raised is not None
    assert reported == [(raised.code, raised.location, raised.message)]
    nested_states = "States" in raised.location.split("/")[3:]
    assert raised.code == ("TOO_DEEPLY_NESTED" if nested_states else "SCHEMA_VALIDATION_FAILED")
    with pytest.raises(InvalidDefinition, match=raised.code):
        create_state_machine_check(definition)


def test_the_location_is_the_first_value_past_the_bound() -> None:
    _, raised = _refusals(_pass(Result=_nested_list(1000)))
    assert raised is not None
    # /States/A/Result is 4 deep (the definition, States, A, Result): the array at /0 repeated 197 times is 201.
    assert raised.location == "/States/A/Result" + "/0" * (MAX_NESTING_DEPTH - 4 + 1)
    assert f"sfnlocal reads at most {MAX_NESTING_DEPTH}" in raised.message


def _at_stack_depth(frames: int, call: Any) -> Any:
    """``call()`` made ``frames`` Python frames deeper than here (a caller deep in a test framework)."""
    return _at_stack_depth(frames - 1, call) if frames else call()


def test_a_value_at_the_bound_loads_runs_and_renders_from_a_deep_caller() -> None:
    # /States/A/Result is 4 deep (the definition, States, A, Result): 196 more arrays inside it reach 200.
    definition = _pass(Result=_nested_list(MAX_NESTING_DEPTH - 3), ResultPath="$.deep")
    assert _depth(definition) == MAX_NESTING_DEPTH

    def run() -> Any:
        assert validate(definition, severity="WARNING")["result"] == "OK"
        result = StateMachine.from_dict(definition).execute({"x": 1})
        return (
            result.status,
            len(result.history),
            result.output["deep"] == definition["States"]["A"]["Result"],
        )

    status, _, same = _at_stack_depth(200, run)
    assert (status, same) == ("SUCCEEDED", True)
    one_more = _pass(Result=_nested_list(MAX_NESTING_DEPTH - 2))
    assert _refusals(one_more)[1] is not None


@pytest.mark.parametrize("kind", ["Parallel", "Map"])
def test_states_nested_to_the_bound_run_and_one_more_level_is_too_deeply_nested(kind: str) -> None:
    at_bound = _nested_states(MAX_STATE_NESTING, kind)
    assert _at_stack_depth(200, lambda: StateMachine.from_dict(at_bound).execute({"items": [1]}).status) == "SUCCEEDED"
    assert validate(at_bound)["result"] == "OK"
    reported, raised = _refusals(_nested_states(MAX_STATE_NESTING + 1, kind))
    assert raised is not None and raised.code == "TOO_DEEPLY_NESTED"
    assert raised.location.count("/States/") == MAX_STATE_NESTING + 1  # the innermost holder of states
    assert reported == [(raised.code, raised.location, raised.message)]


_values = st.recursive(
    st.integers(0, 3) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text("abc", max_size=2), inner, max_size=2),
    max_leaves=8,
)


@given(depth=st.integers(1, 2 * MAX_NESTING_DEPTH), leaf=_values, field=st.sampled_from(["Result", "Parameters"]))
@settings(max_examples=60, deadline=None)
def test_a_definition_loads_exactly_when_it_is_within_the_bound(depth: int, leaf: Any, field: str) -> None:
    value: Any = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    definition = _pass(**{field: value})
    reported, raised = _refusals(definition)
    within = _depth(definition) <= MAX_NESTING_DEPTH
    assert (raised is None) == within
    assert ([] if within else [(raised.code, raised.location, raised.message)]) == reported  # type: ignore[union-attr]


def test_the_size_is_counted_in_utf8_bytes_of_the_shortest_json_text() -> None:
    empty = json.dumps(_pass(Result=""), separators=(",", ":"))
    room = MAX_DEFINITION_BYTES - len(empty.encode())
    assert _refusals(_pass(Result="x" * room)) == ([], None)
    assert _refusals(_pass(Result="é" * (room // 2))) == ([], None)  # two bytes each in UTF-8
    for too_large in (_pass(Result="x" * (room + 1)), _pass(Result="é" * (room // 2 + 1))):
        reported, raised = _refusals(too_large)
        assert raised is not None and raised.location == "/" and "over 1 MB (1,048,576 bytes)" in raised.message
        assert reported == [(raised.code, raised.location, raised.message)]


def test_a_definition_that_shares_its_parts_is_counted_as_written_out() -> None:
    shared: Any = ["lol"] * 9
    for _ in range(9):
        shared = [shared] * 9  # 9**10 values once written out, from a few hundred objects
    reported, raised = _refusals(_pass(Result=shared))
    assert raised is not None and "holds more than 1,048,576 values" in raised.message
    assert reported == [(raised.code, raised.location, raised.message)]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "STATE_MACHINE_NAME_EMPTY"),
        ("x" * 81, "STATE_MACHINE_NAME_TOO_LONG"),
        *[(f"a{char}b", "STATE_MACHINE_NAME_INVALID") for char in ' \t<>{}[]?*"#%\\^|~`$&,;:/\x00\x1f\x7f\x9f\ufffe'],
    ],
)
def test_state_machine_names_aws_refuses(name: str, code: str) -> None:
    definition = _pass()
    found = validate(definition, name=name)["diagnostics"]
    assert [(problem["code"], "location" in problem) for problem in found] == [(code, False)]
    with pytest.raises(InvalidDefinition, match=code):
        create_state_machine_check(definition, name=name)
    with pytest.raises(ValueError, match=code):
        StateMachine.from_dict(definition, name=name)


@pytest.mark.parametrize("name", ["x" * 80, "Orders-2024_v1", "注文", "a.b+c=d@e'f!g(h)"])
def test_state_machine_names_aws_accepts(name: str) -> None:
    assert validate(_pass(), name=name)["diagnostics"] == []
    assert StateMachine.from_dict(_pass(), name=name).name == name


def test_a_file_name_aws_would_refuse_becomes_a_name_it_accepts(tmp_path: Any) -> None:
    path = tmp_path / "order flow [v2].asl.json"
    path.write_text(json.dumps(_pass()))
    assert StateMachine.from_file(path).name == "order_flow__v2_"
    assert StateMachine.from_file(path, name="Orders").name == "Orders"


@pytest.mark.parametrize(
    ("name", "refused"), [("", True), ("x" * 80, False), ("x" * 81, True), ("Lambda Invoke", False)]
)
def test_state_names_are_1_to_80_characters(name: str, refused: bool) -> None:
    definition = _pass()
    definition["States"] = {name: definition["States"]["A"]}
    definition["StartAt"] = name
    reported, raised = _refusals(definition)
    assert (raised is not None) == refused
    if raised is not None:
        assert (raised.code, raised.location) == ("INVALID_STATE_NAME", f"/States/{name}")
        assert reported == [(raised.code, raised.location, raised.message)]


def test_a_jsonpath_filter_nested_too_deeply_is_refused_not_a_recursion_error() -> None:
    # Jayway's filter grammar recurses per '(' (its Java stack is deeper than Python's); a definition holding one
    # that Python cannot read is refused with AWS's wording for a path it cannot compile.
    definition = _pass(InputPath="$[?(" + "(" * 3000 + "@.a" + ")" * 3000 + ")]")
    reported, raised = _refusals(definition)
    assert raised is not None and raised.message.startswith("Value must be a valid JSONPath")
    assert reported == [(raised.code, raised.location, raised.message)]
