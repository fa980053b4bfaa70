"""A Parallel state's branches: their input, measured once for all of them, and their variable scopes."""

from __future__ import annotations

from support import machine

from sfnlocal import StateMachine


def _branch(name: str, state: dict) -> dict:
    return {"StartAt": name, "States": {name: {**state, "End": True}}}


def test_a_branch_input_over_the_payload_limit_fails_the_branchs_first_state() -> None:
    # Parameters doubles a 150 KB input: each branch gets 300 KB, over AWS's 256 KiB for a state's output.
    parallel = {
        "Type": "Parallel",
        "Parameters": {"a.$": "$.s", "b.$": "$.s"},
        "Branches": [_branch("A", {"Type": "Pass"}), _branch("B", {"Type": "Pass"})],
        "End": True,
    }
    result = StateMachine.from_dict(machine({"P": parallel})).execute({"s": "x" * 150_000})
    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded")
    assert "The state/task 'A' returned a result" in result.cause


def test_a_branch_input_within_the_limit_passes_through_the_branches() -> None:
    parallel = {
        "Type": "Parallel",
        "Branches": [_branch("A", {"Type": "Pass"}), _branch("B", {"Type": "Pass", "ResultPath": "$.b"})],
        "End": True,
    }
    result = StateMachine.from_dict(machine({"P": parallel})).execute({"n": 1})
    assert result.output == [{"n": 1}, {"n": 1, "b": {"n": 1}}]


def test_branches_read_the_outer_variables_and_their_own_stay_inside() -> None:
    parallel = {
        "Type": "Parallel",
        "Branches": [
            _branch("Reads", {"Type": "Pass", "Parameters": {"x.$": "$x"}}),
            _branch("Sets", {"Type": "Pass", "Assign": {"inner": 2}, "Parameters": {"x.$": "$x"}}),
        ],
        "Next": "After",
    }
    after = {"Type": "Pass", "Assign": {"seen.$": "$x"}, "End": True}
    states = {"Set": {"Type": "Pass", "Assign": {"x": 1}, "Next": "P"}, "P": parallel, "After": after}
    result = StateMachine.from_dict(machine(states, start="Set")).execute({})
    assert result.output == [{"x": 1}, {"x": 1}]
    assert result.variables == {"x": 1, "seen": 1}
