"""The state graph (sfnlocal.language.state_graph): the one walk over a definition's States objects, states
and transitions, that the drawing, coverage, validation's flow checks, variable scoping and TestState read."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from support import machine

from sfnlocal import StateMachine
from sfnlocal.language.state_graph import CATCH, DEFAULT, END, NEXT, RULE, StateGraph, Transition, state_transitions

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work"


def nested_machine() -> dict[str, Any]:
    return machine(
        {
            "Ask": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.go", "BooleanEquals": True, "Next": "Fan out"}],
                "Default": "Done",
            },
            "Fan out": {
                "Type": "Parallel",
                "Next": "Done",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
                "Branches": [
                    {
                        "StartAt": "Each",
                        "States": {
                            "Each": {
                                "Type": "Map",
                                "End": True,
                                "ItemProcessor": {
                                    "StartAt": "Work",
                                    "States": {"Work": {"Type": "Task", "Resource": LAMBDA, "End": True}},
                                },
                            }
                        },
                    },
                    {"StartAt": "Rest", "States": {"Rest": {"Type": "Wait", "Seconds": 1, "End": True}}},
                ],
            },
            "Done": {"Type": "Succeed"},
        }
    )


def test_states_come_depth_first_and_branches_each_after_the_state_holding_it() -> None:
    graph = StateGraph(nested_machine())
    assert [state.name for state in graph.states] == ["Ask", "Fan out", "Each", "Work", "Rest", "Done"]
    assert [branch.location for branch in graph.branches] == [
        "/",
        "/States/Fan out/Branches/0",
        "/States/Fan out/Branches/0/States/Each/ItemProcessor",
        "/States/Fan out/Branches/1",
    ]
    assert graph.root is graph.branches[0] and graph.root.owner is None
    # Validation reads the states branch by branch.
    assert [state.name for state in graph.state_objects()] == ["Ask", "Fan out", "Done", "Each", "Work", "Rest"]


def test_each_state_knows_its_branch_the_states_around_it_and_those_inside_it() -> None:
    graph = StateGraph(nested_machine())
    work, fan_out, each = graph.state_named("Work"), graph.state_named("Fan out"), graph.state_named("Each")
    assert work is not None and fan_out is not None and each is not None
    assert work.location == "/States/Fan out/Branches/0/States/Each/ItemProcessor/States/Work"
    assert work.path == ("States", "Fan out", "Branches", 0, "States", "Each", "ItemProcessor", "States", "Work")
    assert work.enclosing == (fan_out, each)
    assert [inner.name for inner in fan_out.inner_states] == ["Each", "Work", "Rest"]
    assert [(branch.field, branch.index, branch.start_at) for branch in fan_out.branches] == [
        ("Branches", 0, "Each"),
        ("Branches", 1, "Rest"),
    ]
    assert [(branch.field, branch.index, branch.owner) for branch in each.branches] == [("ItemProcessor", None, each)]
    assert work.branch.owner is each and work.type == "Task"


def test_transitions_are_labelled_by_kind_in_one_order() -> None:
    graph = StateGraph(nested_machine())
    assert [(state.name, state.transitions) for state in graph.states] == [
        ("Ask", (Transition(RULE, "Fan out", 0), Transition(DEFAULT, "Done"))),
        ("Fan out", (Transition(NEXT, "Done"), Transition(CATCH, "Done", 0))),
        ("Each", (Transition(END, None),)),
        ("Work", (Transition(END, None),)),
        ("Rest", (Transition(END, None),)),
        ("Done", (Transition(END, None),)),  # a Succeed state ends its branch
    ]


def test_terminal_states_are_end_succeed_and_fail() -> None:
    graph = StateGraph(
        machine(
            {
                "A": {"Type": "Pass", "Next": "B"},
                "B": {"Type": "Pass", "End": True},
                "C": {"Type": "Succeed"},
                "D": {"Type": "Fail"},
                "E": {"Type": "Pass", "End": False, "Next": "A"},
            }
        )
    )
    by_name = {state.name: state for state in graph.states}
    assert {name: state.terminal for name, state in by_name.items()} == {
        "A": False,
        "B": True,
        "C": True,
        "D": True,
        "E": False,
    }
    # A Fail state ends the execution with an error: it has no way out, not even to the end of its branch.
    assert by_name["D"].transitions == ()


def test_a_malformed_definition_gives_what_can_be_read_and_never_raises() -> None:
    graph = StateGraph(
        {
            "StartAt": 3,
            "States": {
                "Not an object": [1, 2],
                "No type": {"Next": "X", "End": "yes"},
                "Odd targets": {
                    "Type": "Choice",
                    "Choices": ["rule?", {"Next": 5}, {"Next": "A"}],
                    "Default": None,
                    "Catch": {"Next": "B"},
                },
                "Bad branches": {"Type": "Parallel", "Branches": [7, {"StartAt": "Q"}, {"States": {"Q": {}}}]},
                "Two processors": {"Type": "Map", "ItemProcessor": {"States": {}}, "Iterator": {"States": {}}},
                "Branches of a Pass": {"Type": "Pass", "Branches": [{"States": {"Z": {}}}]},
            },
        }
    )
    assert graph.root.start_at == 3
    by_name = {state.name: state for state in graph.states}
    assert by_name["Not an object"].type == "" and by_name["Not an object"].transitions == ()
    assert by_name["No type"].transitions == (Transition(NEXT, "X"),)
    assert by_name["Odd targets"].transitions == (Transition(RULE, "A", 2),)
    # Only the branch that is an object with States is a branch; its state Q has no type.
    assert [branch.location for branch in by_name["Bad branches"].branches] == ["/States/Bad branches/Branches/2"]
    assert by_name["Q"].enclosing == (by_name["Bad branches"],)
    assert by_name["Two processors"].branches == () and by_name["Branches of a Pass"].branches == ()
    assert "Z" not in by_name


def test_a_definition_without_states_has_no_branches() -> None:
    values: list[Any] = [None, "text", [1], {"StartAt": "A"}, {"States": []}]
    for value in values:
        graph = StateGraph(value)
        assert graph.branches == () and graph.states == () and graph.state_named("A") is None
    assert list(StateGraph({"States": {}}).branches[0].states) == []


def test_state_transitions_of_one_state_object() -> None:
    assert state_transitions({"Type": "Task", "End": True, "Catch": [{"Next": "A"}, "x", {"Next": "B"}]}) == (
        Transition(END, None),
        Transition(CATCH, "A", 0),
        Transition(CATCH, "B", 2),
    )
    assert state_transitions({"Type": "Pass", "End": 1}) == ()  # End must be true itself


def test_the_compiled_definition_holds_its_graph_and_finds_each_compiled_state_by_location() -> None:
    sm = StateMachine.from_dict(nested_machine())
    assert [node.location for node in sm.model.graph.states] == [
        state.location for state in (sm.model.states[node.location] for node in sm.model.graph.states)
    ]
    assert sorted(sm.model.states) == sorted(node.location for node in sm.model.graph.states)
    assert {node.name: sm.model.states[node.location].type_name for node in sm.model.graph.states} == {
        node.name: node.type for node in sm.model.graph.states
    }
    assert sm.model.state_named("Work") is sm.model.states[sm.model.graph.states[3].location]
    assert sm.model.state_named("Nowhere") is None


# A property: on generated definitions, the walk visits every state once, at its JSON pointer, with the
# transitions its object holds. ---------------------------------------------------------------------------

# Names with the characters a JSON pointer escapes.
NAMES = st.text(alphabet="ab/~ 1", min_size=1, max_size=4)


@st.composite
def branches(draw: st.DrawFn, depth: int = 2) -> dict[str, Any]:
    """A States object of any states, with transitions to its own states (or to a missing one) and, while
    ``depth`` lasts, Parallel branches and Map processors of their own."""
    names = draw(st.lists(NAMES, min_size=1, max_size=5, unique=True))
    target = st.sampled_from([*names, "Missing"])
    kinds = ["Pass", "Task", "Choice", "Succeed", "Fail"] + (["Parallel", "Map"] if depth else [])
    states: dict[str, Any] = {}
    for name in names:
        kind = draw(st.sampled_from(kinds))
        state: dict[str, Any] = {"Type": kind}
        if kind == "Choice":
            state["Choices"] = [{"Next": rule} for rule in draw(st.lists(target, min_size=1, max_size=3))]
            if draw(st.booleans()):
                state["Default"] = draw(target)
        elif kind not in ("Succeed", "Fail"):
            if draw(st.booleans()):
                state["Next"] = draw(target)
            else:
                state["End"] = True
            state["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": to} for to in draw(st.lists(target, max_size=2))]
        if kind == "Parallel":
            state["Branches"] = draw(st.lists(branches(depth - 1), min_size=1, max_size=2))
        elif kind == "Map":
            state[draw(st.sampled_from(["ItemProcessor", "Iterator"]))] = draw(branches(depth - 1))
        states[name] = state
    return {"StartAt": names[0], "States": states}


def escape(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def expected_states(branch: dict[str, Any], location: str = "") -> list[tuple[str, dict[str, Any]]]:
    """(JSON pointer, state object) of every state, read from the dict, depth first."""
    found = []
    for name, state in branch["States"].items():
        here = f"{location}/States/{escape(name)}"
        found.append((here, state))
        for index, inner in enumerate(state.get("Branches", [])):
            found += expected_states(inner, f"{here}/Branches/{index}")
        for field in ("ItemProcessor", "Iterator"):
            if field in state:
                found += expected_states(state[field], f"{here}/{field}")
    return found


def expected_transitions(state: dict[str, Any]) -> list[tuple[str, str | None, int | None]]:
    """The ways out of a state object, read from the dict in the documented order."""
    found: list[tuple[str, str | None, int | None]] = [
        (RULE, rule["Next"], index) for index, rule in enumerate(state.get("Choices", []))
    ]
    if "Default" in state:
        found.append((DEFAULT, state["Default"], None))
    if "Next" in state:
        found.append((NEXT, state["Next"], None))
    if state.get("End") or state["Type"] == "Succeed":
        found.append((END, None, None))
    found += [(CATCH, catcher["Next"], index) for index, catcher in enumerate(state.get("Catch", []))]
    return found


def resolve(document: Any, location: str) -> Any:
    for part in location.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        document = document[int(key)] if isinstance(document, list) else document[key]
    return document


@settings(max_examples=200, deadline=None)
@given(branches())
def test_every_state_is_visited_once_at_its_pointer_with_the_transitions_of_its_object(
    definition: dict[str, Any],
) -> None:
    graph = StateGraph(definition)
    expected = expected_states(definition)
    assert [(state.location, id(state.spec)) for state in graph.states] == [
        (location, id(state)) for location, state in expected
    ]
    for state in graph.states:
        assert resolve(definition, state.location) is state.spec
        assert state.branch.spec["States"][state.name] is state.spec
        assert state.type == state.spec["Type"]
        assert list(state.transitions) == expected_transitions(state.spec)
    # Each branch holds its own states, and is one of the nested branches of the state that owns it.
    assert sum(len(branch.states) for branch in graph.branches) == len(graph.states)
    for branch in graph.branches:
        if branch.owner is None:
            assert branch is graph.root and branch.spec is definition
        else:
            assert resolve(definition, branch.location) is branch.spec and branch in branch.owner.branches
        assert all(state.branch is branch for state in branch.states.values())
