"""Structural checks of a definition (sfnlocal.language.structure).

Expected behaviour comes from the ASL spec, the AWS page of each state type, and AWS's own answers
recorded in ../shared/conformance (read in place; those tests are skipped when it is absent).
"""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import SEEDS, SHARED

from sfnlocal.language.errors import DefinitionError
from sfnlocal.language.structure import check_structure, structure_problems

CONFORMANCE = SHARED / "conformance"

SCHEMA = "SCHEMA_VALIDATION_FAILED"
MISSING = "MISSING_TRANSITION_TARGET"
END = {"Type": "Succeed"}
TASK = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done"}
BRANCH = {"StartAt": "X", "States": {"X": END}}


def machine(start: str = "S", /, **states: Any) -> dict[str, Any]:
    """A definition with the given states, starting at ``start``."""
    return {"StartAt": start, "States": states}


def with_state(state: dict[str, Any], **others: Any) -> dict[str, Any]:
    """A definition whose start state ``S`` is ``state``; ``Done`` is a Succeed state to go to."""
    return machine(S=state, Done=END, **others)


def map_state(**fields: Any) -> dict[str, Any]:
    """A sound Map state going to ``Done``, with ``fields`` added."""
    return {"Type": "Map", "ItemProcessor": BRANCH, "Next": "Done", **fields}


def only_problem(definition: Any) -> DefinitionError:
    """The one problem of ``definition`` (fails the test when there are none or several)."""
    problems = structure_problems(definition)
    assert len(problems) == 1, [str(problem) for problem in problems]
    return problems[0]


def assert_problem(definition: Any, location: str, *fragments: str, code: str = SCHEMA) -> None:
    problem = only_problem(definition)
    assert (problem.location, problem.code) == (location, code), str(problem)
    for fragment in fragments:
        assert fragment in problem.message, str(problem)


def assert_fine(definition: Any) -> None:
    assert [str(problem) for problem in structure_problems(definition)] == []


# --- the top level --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "definition, shown",
    [
        ([], "[] (an array)"),
        ("x", "'x' (a string)"),
        (None, "null"),
    ],
)
def test_definition_must_be_an_object(definition: Any, shown: str) -> None:
    assert_problem(definition, "/", "must be a JSON object", shown)


def test_start_at_is_required() -> None:
    assert_problem({"States": {"S": END}}, "/", "'StartAt'")


def test_states_is_required() -> None:
    assert_problem({"StartAt": "S"}, "/", "'States'")


def test_both_missing_are_both_reported_at_the_root() -> None:
    # AWS: "These fields are required: [States, StartAt]" at "/" (validation corpus, EMPTY_DICT).
    problems = structure_problems({})
    assert [problem.location for problem in problems] == ["/", "/"]
    assert "'States'" in problems[0].message and "'StartAt'" in problems[1].message


@pytest.mark.parametrize("states", [{}, [], "S"])
def test_states_must_be_a_non_empty_object(states: Any) -> None:
    assert_problem({"StartAt": "S", "States": states}, "/States", "at least one state")


def test_start_at_must_be_a_string() -> None:
    assert_problem({"StartAt": 1, "States": {"S": END}}, "/StartAt", "must be the name of a state", "1 (a number)")


def test_start_at_must_name_a_state() -> None:
    assert_problem(
        machine("Strat", Start=END),
        "/StartAt",
        "StartAt names 'Strat'",
        "states here: 'Start'",
        "did you mean 'Start'?",
        code=MISSING,
    )


def test_unknown_top_level_field() -> None:
    assert_problem(
        {**machine(S=END), "Coment": "x"}, "/Coment", "not supported in the state machine", "did you mean 'Comment'?"
    )


def test_top_level_fields_of_the_spec_are_accepted() -> None:
    assert_fine({**machine(S=END), "Comment": "c", "Version": "1.0", "TimeoutSeconds": 60, "QueryLanguage": "JSONPath"})


@pytest.mark.parametrize("seconds", [0, -5, 1.5, "60", True, 100_000_000])
def test_top_level_timeout_seconds_is_a_positive_integer(seconds: Any) -> None:
    assert_problem(
        {**machine(S=END), "TimeoutSeconds": seconds},
        "/TimeoutSeconds",
        "TimeoutSeconds must be a whole number from 1 to 99999999",
    )


# --- state names ----------------------------------------------------------------------------------


def test_state_name_of_80_characters_is_fine() -> None:
    name = "n" * 80
    assert_fine(machine(name, **{name: END}))


def test_state_name_longer_than_80_characters() -> None:
    name = "é" * 81  # the spec counts Unicode characters, not bytes
    assert_problem(
        machine(name, **{name: END}), f"/States/{name}", "81 characters long", "at most 80", code="INVALID_STATE_NAME"
    )


def test_state_name_that_is_not_a_string() -> None:
    # YAML reads an unquoted `1:` as the number 1.
    assert_problem(
        {"StartAt": "S", "States": {"S": END, 1: END}},
        "/States/1",
        "State name 1 must be a string",
        code="INVALID_STATE_NAME",
    )


def test_state_names_are_unique_across_branches() -> None:
    branch = {"StartAt": "Work", "States": {"Work": END}}
    definition = with_state({"Type": "Parallel", "Branches": [branch, copy.deepcopy(branch)], "Next": "Done"})
    assert_problem(
        definition,
        "/States/S/Branches/1/States/Work",
        "'Work' is already used at /States/S/Branches/0/States/Work",
        code="DUPLICATE_STATE_NAME",
    )


# --- every state ----------------------------------------------------------------------------------


def test_state_must_be_an_object() -> None:
    assert_problem(machine(S="Pass"), "/States/S", "State 'S' must be an object", "'Pass' (a string)")


def test_type_is_required() -> None:
    assert_problem(machine(S={"End": True}), "/States/S", "'Type'", "Task, Wait, Pass")


def test_type_must_be_known() -> None:
    # AWS: "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice,
    # Parallel, Map]" at the Type field.
    assert_problem(
        machine(S={"Type": "Lambda", "End": True}),
        "/States/S/Type",
        "Type 'Lambda' is not a state type",
        "Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map",
    )


def test_type_typo_gets_a_suggestion() -> None:
    assert_problem(machine(S={"Type": "Tusk", "End": True}), "/States/S/Type", "did you mean 'Task'?")


def test_type_that_is_not_a_string() -> None:
    assert_problem(machine(S={"Type": ["Pass"], "End": True}), "/States/S/Type", '["Pass"] (an array)')


# --- Next and End ---------------------------------------------------------------------------------


def test_next_and_end_together() -> None:
    assert_problem(with_state({"Type": "Pass", "Next": "Done", "End": True}), "/States/S", 'both Next and "End": true')


@pytest.mark.parametrize("state", [{"Type": "Pass"}, {"Type": "Pass", "End": False}])
def test_neither_next_nor_end(state: dict[str, Any]) -> None:
    assert_problem(machine(S=state), "/States/S", "A Pass state needs Next", '"End": true')


def test_end_false_with_next_is_a_transition() -> None:
    assert_fine(with_state({"Type": "Pass", "Next": "Done", "End": False}))


def test_end_must_be_a_boolean() -> None:
    assert_problem(
        machine(S={"Type": "Pass", "End": "true"}), "/States/S/End", "End must be true or false", "'true' (a string)"
    )


def test_next_must_be_a_string() -> None:
    assert_problem(with_state({"Type": "Pass", "Next": ["Done"]}), "/States/S/Next", "must be the name of a state")


def test_next_must_name_a_state() -> None:
    # AWS: "MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next".
    definition = machine("Charge card", **{"Charge card": {"Type": "Pass", "Next": "Ship"}, "A": END, "B": END})
    assert_problem(
        definition,
        "/States/Charge card/Next",
        "Next names 'Ship', but no state is named 'Ship' (states here: 'Charge card', 'A', 'B')",
        code=MISSING,
    )


def test_long_state_lists_are_cut_short() -> None:
    states = {f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(20)}
    states["S19"] = {"Type": "Pass", "Next": "Nowhere"}
    assert_problem(machine("S0", **states), "/States/S19/Next", "'S7' and 12 more)", code=MISSING)


@pytest.mark.parametrize("state_type", ["Choice", "Succeed", "Fail"])
@pytest.mark.parametrize("field", ["Next", "End"])
def test_choice_succeed_and_fail_take_neither_next_nor_end(state_type: str, field: str) -> None:
    state: dict[str, Any] = {"Type": state_type, field: "Done" if field == "Next" else True}
    if state_type == "Choice":
        state["Choices"] = [{"Variable": "$.x", "IsPresent": True, "Next": "Done"}]
    assert_problem(
        with_state(state),
        f"/States/S/{field}",
        f"Field '{field}' is not supported in a {state_type} state: a {state_type} state",
    )


# --- fields a state type supports -----------------------------------------------------------------


@pytest.mark.parametrize(
    "state, field",
    [
        ({"Type": "Succeed", "Parameters": {}}, "Parameters"),
        ({"Type": "Succeed", "ResultPath": "$.x"}, "ResultPath"),
        ({"Type": "Fail", "InputPath": "$.x"}, "InputPath"),
        ({"Type": "Fail", "OutputPath": "$.x"}, "OutputPath"),
        ({"Type": "Fail", "Assign": {"x": 1}}, "Assign"),
        ({"Type": "Pass", "End": True, "ResultSelector": {}}, "ResultSelector"),
        ({"Type": "Pass", "End": True, "Catch": []}, "Catch"),
        ({"Type": "Pass", "End": True, "Resource": "arn:aws:states:::lambda:invoke"}, "Resource"),
        ({"Type": "Wait", "Seconds": 1, "End": True, "ResultPath": None}, "ResultPath"),
        ({"Type": "Wait", "Seconds": 1, "End": True, "Retry": []}, "Retry"),
        ({"Type": "Map", "ItemProcessor": BRANCH, "End": True, "TimeoutSeconds": 5}, "TimeoutSeconds"),
        ({"Type": "Parallel", "Branches": [BRANCH], "End": True, "TimeoutSeconds": 5}, "TimeoutSeconds"),
        ({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True, "Items": []}, "Items"),
    ],
)
def test_fields_a_state_type_does_not_support(state: dict[str, Any], field: str) -> None:
    # AWS: "Field 'TimeoutSeconds' is not supported" for a Map or Parallel state (and alike).
    assert_problem(
        machine(S=state),
        f"/States/S/{field}",
        f"Field '{field}' is not supported in a {state['Type']} state",
        "remove it",
    )


def test_unknown_field_gets_a_suggestion() -> None:
    definition = with_state({"Type": "Task", "Resouce": "arn:aws:states:::lambda:invoke", "Next": "Done"})
    assert [str(problem) for problem in structure_problems(definition)] == [
        "/States/S: A Task state needs Resource: the ARN (a string) of the work it runs",
        "/States/S/Resouce: Field 'Resouce' is not supported in a Task state (did you mean 'Resource'?); remove it",
    ]


def test_succeed_allows_input_and_output_paths() -> None:
    assert_fine(machine(S={"Type": "Succeed", "Comment": "ok", "InputPath": "$.a", "OutputPath": "$.b"}))


def test_fail_allows_only_its_own_fields() -> None:
    assert_fine(machine(S={"Type": "Fail", "Comment": "c", "Error": "E", "Cause": "C"}))


def test_fields_of_later_features_are_accepted_where_aws_supports_them() -> None:
    # QueryLanguage, Arguments, Output, Assign, Credentials, ItemReader, ... are validated elsewhere.
    task = {
        **TASK,
        "QueryLanguage": "JSONata",
        "Arguments": {"a": 1},
        "Output": "{% $states.result %}",
        "Assign": {"x": 1},
        "Credentials": {"RoleArn": "arn:aws:iam::111111111111:role/r"},
        "Next": "M",
    }
    distributed = map_state(
        Label="m",
        ItemReader={"Resource": "arn:aws:states:::s3:getObject"},
        ItemBatcher={"MaxItemsPerBatch": 2},
        ResultWriter={"Resource": "arn:aws:states:::s3:putObject"},
        ItemProcessor={**BRANCH, "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}},
    )
    assert_fine(with_state(task, M=distributed))


# --- Choice ---------------------------------------------------------------------------------------


def test_choice_needs_choices() -> None:
    assert_problem(with_state({"Type": "Choice", "Default": "Done"}), "/States/S", "needs Choices")


@pytest.mark.parametrize("choices", [[], {}, None])
def test_choices_is_a_non_empty_array(choices: Any) -> None:
    assert_problem(
        with_state({"Type": "Choice", "Choices": choices, "Default": "Done"}),
        "/States/S/Choices",
        "non-empty array of Choice Rules",
    )


def test_choice_rule_is_an_object() -> None:
    assert_problem(with_state({"Type": "Choice", "Choices": ["Done"]}), "/States/S/Choices/0", "must be an object")


def test_choice_rule_needs_next() -> None:
    rule = {"Variable": "$.x", "IsPresent": True, "End": True}  # the as-published genomics seed does this
    assert_problem(
        with_state({"Type": "Choice", "Choices": [rule], "Default": "Done"}), "/States/S/Choices/0", "no Next"
    )


def test_choice_rule_next_names_a_state() -> None:
    rule = {"Variable": "$.x", "IsPresent": True, "Next": "Dome"}
    assert_problem(
        with_state({"Type": "Choice", "Choices": [rule]}),
        "/States/S/Choices/0/Next",
        "Next names 'Dome'",
        "did you mean 'Done'?",
        code=MISSING,
    )


def test_choice_default_names_a_state() -> None:
    rule = {"Variable": "$.x", "IsPresent": True, "Next": "Done"}
    assert_problem(
        with_state({"Type": "Choice", "Choices": [rule], "Default": "Other"}),
        "/States/S/Default",
        "Default names 'Other'",
        code=MISSING,
    )


# --- Wait -----------------------------------------------------------------------------------------


def test_wait_needs_a_time() -> None:
    assert_problem(
        with_state({"Type": "Wait", "Next": "Done"}),
        "/States/S",
        "needs one of [Seconds, SecondsPath, Timestamp, TimestampPath]",
    )


def test_wait_takes_only_one_time() -> None:
    state = {"Type": "Wait", "Seconds": 5, "TimestampPath": "$.t", "Next": "Done"}
    assert_problem(
        with_state(state),
        "/States/S",
        "only one of [Seconds, SecondsPath, Timestamp, TimestampPath]",
        "has [Seconds, TimestampPath]",
    )


@pytest.mark.parametrize("seconds", [-1, 2.5, "5", False, 100_000_000])
def test_wait_seconds_is_a_non_negative_integer(seconds: Any) -> None:
    assert_problem(
        with_state({"Type": "Wait", "Seconds": seconds, "Next": "Done"}),
        "/States/S/Seconds",
        "Seconds must be a whole number from 0 to 99999999",
    )


@pytest.mark.parametrize("seconds", [0, 99_999_999])
def test_wait_seconds_range(seconds: int) -> None:
    # AWS: "You must specify time as an integer value from 0 to 99999999."
    assert_fine(with_state({"Type": "Wait", "Seconds": seconds, "Next": "Done"}))


def test_wait_timestamp_is_a_string() -> None:
    assert_problem(
        with_state({"Type": "Wait", "Timestamp": 1700000000, "Next": "Done"}),
        "/States/S/Timestamp",
        "Timestamp must be a string",
    )


# --- Fail -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["Error", "Cause"])
def test_fail_takes_a_value_or_a_path_not_both(field: str) -> None:
    assert_problem(
        machine(S={"Type": "Fail", field: "x", f"{field}Path": "$.x"}),
        "/States/S",
        f"only one of [{field}, {field}Path]",
    )


@pytest.mark.parametrize("field", ["Error", "Cause"])
def test_fail_error_and_cause_are_strings(field: str) -> None:
    assert_problem(machine(S={"Type": "Fail", field: 42}), f"/States/S/{field}", f"{field} must be a string")


# --- Task -----------------------------------------------------------------------------------------


def test_task_needs_a_resource() -> None:
    assert_problem(with_state({"Type": "Task", "Next": "Done"}), "/States/S", "needs Resource")


def test_task_resource_is_a_string() -> None:
    assert_problem(
        with_state({**TASK, "Resource": {"Fn::GetAtt": "F.Arn"}}),
        "/States/S/Resource",
        "Resource must be an ARN (a string)",
        "(an object)",
    )


@pytest.mark.parametrize("field", ["TimeoutSeconds", "HeartbeatSeconds"])
@pytest.mark.parametrize("seconds", [0, -1, 1.5, "10", True, 100_000_000])
def test_task_timeouts_are_positive_integers(field: str, seconds: Any) -> None:
    assert_problem(
        with_state({**TASK, field: seconds}), f"/States/S/{field}", f"{field} must be a whole number from 1 to 99999999"
    )


@pytest.mark.parametrize("field", ["TimeoutSeconds", "HeartbeatSeconds"])
def test_task_timeout_and_its_path_are_exclusive(field: str) -> None:
    assert_problem(
        with_state({**TASK, field: 10, f"{field}Path": "$.t"}), "/States/S", f"only one of [{field}, {field}Path]"
    )


@pytest.mark.parametrize("heartbeat", [30, 31])
def test_task_heartbeat_is_smaller_than_timeout(heartbeat: int) -> None:
    assert_problem(
        with_state({**TASK, "TimeoutSeconds": 30, "HeartbeatSeconds": heartbeat}),
        "/States/S/HeartbeatSeconds",
        f"HeartbeatSeconds ({heartbeat}) must be smaller than TimeoutSeconds (30)",
    )


def test_task_with_valid_timeouts() -> None:
    assert_fine(with_state({**TASK, "TimeoutSeconds": 99_999_999, "HeartbeatSeconds": 29}))


# --- Parallel -------------------------------------------------------------------------------------


def parallel(*branches: Any) -> dict[str, Any]:
    return with_state({"Type": "Parallel", "Branches": list(branches), "Next": "Done"})


def test_parallel_needs_branches() -> None:
    assert_problem(with_state({"Type": "Parallel", "Next": "Done"}), "/States/S", "needs Branches")


@pytest.mark.parametrize("branches", [[], {}, BRANCH])
def test_branches_is_a_non_empty_array(branches: Any) -> None:
    # AWS: "Value cannot be empty at /States/StateName/Branches" (teststate corpus).
    assert_problem(
        with_state({"Type": "Parallel", "Branches": branches, "Next": "Done"}),
        "/States/S/Branches",
        "non-empty array of branches",
    )


def test_branch_is_an_object() -> None:
    assert_problem(parallel("X"), "/States/S/Branches/0", "Branch 0 must be an object with StartAt and States")


def test_branch_is_a_complete_machine() -> None:
    assert_problem(
        parallel({"States": {"X": END}}), "/States/S/Branches/0", "Branch 0 is missing the required field 'StartAt'"
    )


def test_branch_states_are_checked_recursively() -> None:
    assert_problem(
        parallel(BRANCH, {"StartAt": "Y", "States": {"Y": {"Type": "Lambda"}}}),
        "/States/S/Branches/1/States/Y/Type",
        "Type 'Lambda' is not a state type",
    )


def test_branch_start_at_names_a_state_of_the_branch() -> None:
    assert_problem(
        parallel({"StartAt": "Done", "States": {"X": END}}),
        "/States/S/Branches/0/StartAt",
        "StartAt names 'Done'",
        "belongs to the top-level States",
        "cannot enter or leave",
        code=MISSING,
    )


def test_next_cannot_leave_a_branch() -> None:
    assert_problem(
        parallel({"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Done"}}}),
        "/States/S/Branches/0/States/X/Next",
        "Next names 'Done', which belongs to the top-level States",
        "(states here: 'X')",
        code=MISSING,
    )


def test_next_cannot_enter_a_branch() -> None:
    definition = machine(
        "A", A={"Type": "Pass", "Next": "X"}, P={"Type": "Parallel", "Branches": [BRANCH], "End": True}
    )
    assert_problem(
        definition,
        "/States/A/Next",
        "Next names 'X', which belongs to the States of /States/P/Branches/0",
        code=MISSING,
    )


def test_branch_fields() -> None:
    assert_problem(
        parallel({**BRANCH, "ProcessorConfig": {}}), "/States/S/Branches/0/ProcessorConfig", "not supported in branch 0"
    )


# --- Map ------------------------------------------------------------------------------------------


def test_map_needs_an_item_processor() -> None:
    assert_problem(with_state({"Type": "Map", "Next": "Done"}), "/States/S", "needs one of [ItemProcessor, Iterator]")


def test_map_takes_item_processor_or_iterator_not_both() -> None:
    assert_problem(with_state(map_state(Iterator=BRANCH)), "/States/S", "only one of [ItemProcessor, Iterator]")


def test_map_with_the_deprecated_iterator() -> None:
    assert_fine(with_state({"Type": "Map", "Iterator": BRANCH, "Next": "Done"}))


def test_item_processor_is_checked_recursively() -> None:
    processor = {"StartAt": "Y", "States": {"Y": {"Type": "Pass", "End": "yes"}}}
    assert_problem(
        with_state(map_state(ItemProcessor=processor)),
        "/States/S/ItemProcessor/States/Y/End",
        "End must be true or false",
    )


def test_item_processor_is_an_object() -> None:
    assert_problem(
        with_state(map_state(ItemProcessor=[BRANCH])),
        "/States/S/ItemProcessor",
        "The ItemProcessor must be an object with StartAt and States",
    )


def test_next_cannot_leave_an_item_processor() -> None:
    processor = {"StartAt": "Y", "States": {"Y": {"Type": "Pass", "Next": "Done"}}}
    assert_problem(
        with_state(map_state(ItemProcessor=processor)),
        "/States/S/ItemProcessor/States/Y/Next",
        "cannot enter or leave a Parallel branch or a Map item processor",
        code=MISSING,
    )


@pytest.mark.parametrize("value", [-1, 1.5, "2"])
def test_max_concurrency_is_a_non_negative_integer(value: Any) -> None:
    assert_problem(
        with_state(map_state(MaxConcurrency=value)),
        "/States/S/MaxConcurrency",
        "MaxConcurrency must be a whole number of at least 0",
    )


@pytest.mark.parametrize("field", ["MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount"])
def test_map_number_and_its_path_are_exclusive(field: str) -> None:
    # AWS: "There should only be one of the following fields: [MaxItems, MaxItemsPath]" and alike.
    assert_problem(
        with_state(map_state(**{field: 1, f"{field}Path": "$.n"})), "/States/S", f"only one of [{field}, {field}Path]"
    )


@pytest.mark.parametrize("value", [-1, 100.5, 101, "50"])
def test_tolerated_failure_percentage_is_between_0_and_100(value: Any) -> None:
    assert_problem(
        with_state(map_state(ToleratedFailurePercentage=value)),
        "/States/S/ToleratedFailurePercentage",
        "must be a number from 0 to 100",
    )


@pytest.mark.parametrize("value", [0, 12.5, 100])
def test_tolerated_failure_percentage_range(value: float) -> None:
    assert_fine(with_state(map_state(ToleratedFailurePercentage=value, MaxConcurrency=0)))


def test_tolerated_failure_count_is_a_non_negative_integer() -> None:
    assert_problem(
        with_state(map_state(ToleratedFailureCount=-1)),
        "/States/S/ToleratedFailureCount",
        "must be a whole number of at least 0",
    )


# --- Retry and Catch ------------------------------------------------------------------------------


def with_handlers(field: str, handlers: Any) -> dict[str, Any]:
    return with_state({**TASK, field: handlers})


def retrier(**fields: Any) -> dict[str, Any]:
    return {"ErrorEquals": ["States.Timeout"], **fields}


def catcher(**fields: Any) -> dict[str, Any]:
    return {"ErrorEquals": ["States.Timeout"], "Next": "Done", **fields}


@pytest.mark.parametrize("field", ["Retry", "Catch"])
def test_handlers_are_an_array(field: str) -> None:
    assert_problem(
        with_handlers(field, {"ErrorEquals": ["States.ALL"]}), f"/States/S/{field}", f"{field} must be an array"
    )


@pytest.mark.parametrize("field", ["Retry", "Catch"])
def test_handler_is_an_object(field: str) -> None:
    assert_problem(with_handlers(field, ["States.ALL"]), f"/States/S/{field}/0", "must be an object with ErrorEquals")


@pytest.mark.parametrize("field, handler", [("Retry", {}), ("Catch", {"Next": "Done"})])
def test_error_equals_is_required(field: str, handler: dict[str, Any]) -> None:
    assert_problem(with_handlers(field, [handler]), f"/States/S/{field}/0", "needs ErrorEquals")


@pytest.mark.parametrize("names", [[], "States.ALL", None])
def test_error_equals_is_a_non_empty_array(names: Any) -> None:
    assert_problem(
        with_handlers("Retry", [{"ErrorEquals": names}]),
        "/States/S/Retry/0/ErrorEquals",
        "non-empty array of error names",
    )


def test_error_names_are_strings() -> None:
    assert_problem(
        with_handlers("Catch", [catcher(ErrorEquals=["E", 7])]),
        "/States/S/Catch/0/ErrorEquals/1",
        "error name must be a string",
    )


@pytest.mark.parametrize("field, make", [("Retry", retrier), ("Catch", catcher)])
def test_states_all_appears_alone(field: str, make: Any) -> None:
    assert_problem(
        with_handlers(field, [make(ErrorEquals=["States.ALL", "E"])]),
        f"/States/S/{field}/0/ErrorEquals",
        "'States.ALL' must be the only name in its ErrorEquals",
        "listed with 'E'",
    )


@pytest.mark.parametrize("field, make", [("Retry", retrier), ("Catch", catcher)])
def test_states_all_is_in_the_last_handler(field: str, make: Any) -> None:
    handlers = [make(ErrorEquals=["States.ALL"]), make(), make()]
    noun = "retrier" if field == "Retry" else "catcher"
    assert_problem(
        with_handlers(field, handlers),
        f"/States/S/{field}/0/ErrorEquals",
        f"must be in the last {noun}, but 2 more {noun}s follow this one",
    )


@pytest.mark.parametrize("field, make", [("Retry", retrier), ("Catch", catcher)])
def test_states_all_last_is_fine(field: str, make: Any) -> None:
    assert_fine(with_handlers(field, [make(), make(ErrorEquals=["States.ALL"])]))


def test_catcher_needs_next() -> None:
    assert_problem(with_handlers("Catch", [{"ErrorEquals": ["States.ALL"]}]), "/States/S/Catch/0", "needs Next")


def test_catcher_next_names_a_state() -> None:
    assert_problem(
        with_handlers("Catch", [catcher(Next="Recover")]),
        "/States/S/Catch/0/Next",
        "Next names 'Recover'",
        code=MISSING,
    )


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("IntervalSeconds", 0, "a whole number from 1 to 99999999"),
        ("IntervalSeconds", 1.5, "a whole number from 1 to 99999999"),
        ("MaxAttempts", -1, "a whole number from 0 to 99999999"),
        ("MaxAttempts", 100_000_000, "a whole number from 0 to 99999999"),
        ("MaxDelaySeconds", 0, "a whole number from 1 to 31622400"),
        ("MaxDelaySeconds", 31_622_401, "a whole number from 1 to 31622400"),
        ("BackoffRate", 0.5, "a number of at least 1.0"),
        ("BackoffRate", "2", "a number of at least 1.0"),
    ],
)
def test_retrier_numbers(field: str, value: Any, expected: str) -> None:
    assert_problem(
        with_handlers("Retry", [retrier(**{field: value})]), f"/States/S/Retry/0/{field}", f"{field} must be {expected}"
    )


def test_retrier_numbers_at_their_limits() -> None:
    # AWS: IntervalSeconds and MaxAttempts at most 99999999; MaxDelaySeconds "greater than 0 and less
    # than 31622401"; MaxAttempts 0 means never retry; a BackoffRate of 1 keeps the interval.
    low = retrier(IntervalSeconds=1, MaxAttempts=0, MaxDelaySeconds=1, BackoffRate=1, JitterStrategy="FULL")
    high = retrier(
        IntervalSeconds=99_999_999,
        MaxAttempts=99_999_999,
        MaxDelaySeconds=31_622_400,
        BackoffRate=2.5,
        JitterStrategy="NONE",
        Comment="c",
    )
    assert_fine(with_handlers("Retry", [low, high]))


def test_jitter_strategy_is_full_or_none() -> None:
    assert_problem(
        with_handlers("Retry", [retrier(JitterStrategy="HALF")]),
        "/States/S/Retry/0/JitterStrategy",
        "'FULL' or 'NONE'",
        "'HALF'",
    )


@pytest.mark.parametrize(
    "field, handler, bad",
    [
        ("Retry", retrier(Next="Done"), "Next"),
        ("Catch", catcher(MaxAttempts=1), "MaxAttempts"),
    ],
)
def test_handler_fields(field: str, handler: dict[str, Any], bad: str) -> None:
    assert_problem(with_handlers(field, [handler]), f"/States/S/{field}/0/{bad}", f"Field '{bad}' is not supported")


def test_catcher_fields_of_other_query_languages_are_accepted() -> None:
    assert_fine(
        with_handlers(
            "Catch", [catcher(ResultPath="$.error", Comment="c", Assign={"x": 1}, Output="{% $states.errorOutput %}")]
        )
    )


# --- query languages ------------------------------------------------------------------------------


def test_jsonata_state_numbers_may_be_expressions() -> None:
    jsonata = {"QueryLanguage": "JSONata"}
    task = {**TASK, **jsonata, "TimeoutSeconds": "{% $t %}", "HeartbeatSeconds": "{% $h %}", "Next": "W"}
    wait = {"Type": "Wait", **jsonata, "Seconds": "{% $s %}", "Next": "M"}
    mapper = map_state(
        **jsonata, MaxConcurrency="{% $m %}", ToleratedFailurePercentage="{% $p %}", ToleratedFailureCount="{% $c %}"
    )
    assert_fine(with_state(task, W=wait, M=mapper))


def test_jsonpath_state_numbers_may_not_be_strings() -> None:
    assert_problem(
        with_state({**TASK, "TimeoutSeconds": "{% $t %}"}), "/States/S/TimeoutSeconds", "must be a whole number"
    )


def test_machine_query_language_applies_inside_map_and_parallel() -> None:
    task = {"Type": "Task", "Resource": TASK["Resource"], "TimeoutSeconds": "{% $t %}", "End": True}
    processor = {"StartAt": "T", "States": {"T": task}}
    assert_fine({**with_state(map_state(ItemProcessor=processor)), "QueryLanguage": "JSONata"})


def test_jsonata_states_follow_the_graph_rules() -> None:
    state = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% 1 %}", "Next": "Nowhere"}
    assert_problem(with_state(state), "/States/S/Next", "Next names 'Nowhere'", code=MISSING)


# --- reporting ------------------------------------------------------------------------------------


def test_problems_come_in_document_order() -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Task", "Next": "Z", "Resource": 5, "Retry": [{"ErrorEquals": []}]},
            "B": {"Type": "Wait", "End": True},
        },
        "TimeoutSeconds": 0,
    }
    assert [problem.location for problem in structure_problems(definition)] == [
        "/States/A/Next",
        "/States/A/Resource",
        "/States/A/Retry/0/ErrorEquals",
        "/States/B",
        "/TimeoutSeconds",
    ]


def test_check_structure_raises_the_first_problem() -> None:
    definition = machine(S={"Type": "Pass", "Next": "X"}, T={"Type": "Nope"})
    with pytest.raises(DefinitionError) as raised:
        check_structure(definition)
    assert raised.value.location == "/States/S/Next"


def test_check_structure_accepts_a_sound_definition() -> None:
    assert check_structure(with_state({**TASK, "Retry": [retrier()], "Catch": [catcher()]})) is None


def test_a_1000_state_definition_is_checked_without_problems() -> None:
    # How fast belongs to benchmarks/, not to tests (machines are shared and noisy).
    step = {**TASK, "Retry": [retrier()], "Catch": [catcher(Next="Failed")]}
    states: dict[str, Any] = {f"Step {i}": {**step, "Next": f"Step {i + 1}"} for i in range(999)}
    states["Step 999"] = {"Type": "Succeed"}
    states["Failed"] = {"Type": "Fail", "Error": "E"}
    assert_fine(machine("Step 0", **states))


def test_a_broken_1000_state_definition_reports_every_problem() -> None:
    definition = machine("S0", **{f"S{i}": {"Type": "Pass", "Next": f"T{i}"} for i in range(1000)})
    assert len(structure_problems(definition)) == 1000


# --- properties -----------------------------------------------------------------------------------

KEYS = st.sampled_from(
    [
        "StartAt",
        "States",
        "S",
        "Type",
        "Next",
        "End",
        "Branches",
        "ItemProcessor",
        "Choices",
        "Retry",
        "Catch",
        "ErrorEquals",
        "Default",
        "Seconds",
        "QueryLanguage",
        "x",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=5)
    | st.sampled_from(["Pass", "Task", "Map", "Parallel", "Choice", "States.ALL", "S", "JSONata"])
)
JSON_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=5), max_leaves=25
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_any_json_value_gets_problems_not_a_traceback(definition: Any) -> None:
    before = copy.deepcopy(definition)
    problems = structure_problems(definition)
    assert all(isinstance(problem, DefinitionError) for problem in problems)
    assert all(problem.location.startswith("/") for problem in problems)
    assert definition == before  # nothing the user passed in is mutated


STATE_NAMES = st.lists(st.text(min_size=1, max_size=80), min_size=2, max_size=12, unique=True)


@settings(max_examples=100, deadline=None)
@given(STATE_NAMES, st.data())
def test_a_chain_is_sound_until_one_transition_is_broken(names: list[str], data: st.DataObject) -> None:
    states: dict[str, Any] = {name: {"Type": "Pass", "Next": after} for name, after in itertools.pairwise(names)}
    states[names[-1]] = {"Type": "Pass", "End": True}
    definition = machine(names[0], **states)
    assert_fine(definition)
    broken = data.draw(st.sampled_from(names[:-1]))
    missing = broken + "?"
    while missing in states:
        missing += "?"
    states[broken]["Next"] = missing
    problem = only_problem(definition)
    escaped = broken.replace("~", "~0").replace("/", "~1")  # RFC 6901
    assert (problem.location, problem.code) == (f"/States/{escaped}/Next", MISSING)


# --- recorded and real-world definitions ----------------------------------------------------------


def _files(folder: Path, pattern: str) -> list[Any]:
    files = sorted(folder.glob(pattern)) if folder.is_dir() else []
    return [pytest.param(path, id=path.name) for path in files] or [
        pytest.param(None, marks=pytest.mark.skip(reason=f"{folder} is absent"))
    ]


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _is_valid_seed(param: Any) -> bool:
    path = param.values[0]
    if path is None:
        return True
    return not (path.name.startswith("negative-") or path.name.endswith("-as-published.asl.json"))


@pytest.mark.parametrize("path", [param for param in _files(SEEDS, "**/*.asl.json") if _is_valid_seed(param)])
def test_real_world_workflows_have_no_structural_problem(path: Path) -> None:
    assert_fine(_load(path))


def test_the_as_published_genomics_workflow_is_rejected() -> None:
    path = SEEDS / "b-genomics-batch-job-poller-as-published.asl.json"
    # A Choice rule with "End": true instead of a Next.
    assert_problem(_load(path), "/States/CheckJobStatus/Choices/0", "no Next")


@pytest.mark.parametrize("path", _files(CONFORMANCE / "localstack", "*.json"))
def test_every_definition_aws_ran_passes(path: Path) -> None:
    assert_fine(_load(path)["definition"])


def _validation_case(name: str) -> dict[str, Any]:
    matches = sorted((CONFORMANCE / "validation").glob(f"*{name}*.json"))
    if not matches:
        pytest.skip(f"no validation case {name} in {CONFORMANCE}")
    return _load(matches[0])


@pytest.mark.parametrize("name", ["VALID_BASE_PASS", "VALID_QUERY_LANGUAGE_PASS", "create_delete_valid_sm"])
def test_definitions_aws_accepted(name: str) -> None:
    assert_fine(_validation_case(name)["definition"])


@pytest.mark.parametrize("name", ["EMPTY_DICT", "INVALID_BASE_NO_STARTAT"])
def test_missing_top_level_fields_as_aws_reports_them(name: str) -> None:
    case = _validation_case(name)
    [diagnostic] = case["expected"]["diagnostics"]  # e.g. "These fields are required: [StartAt]" at "/"
    required = diagnostic["message"].split("[")[1].rstrip("]").split(", ")
    problems = structure_problems(case["definition"])
    assert [(problem.location, problem.code) for problem in problems] == [
        (diagnostic["location"], diagnostic["code"])
    ] * len(required)
    for field in required:
        assert any(f"'{field}'" in problem.message for problem in problems), field


def test_unknown_type_as_aws_reports_it() -> None:
    matches = sorted((CONFORMANCE / "teststate").glob("*test_state_name_invalid_state_definition*.json"))
    if not matches:
        pytest.skip(f"no such TestState case in {CONFORMANCE}")
    case = _load(matches[0])
    # "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of
    # these values: [...] at /States/ExistingButInvalidState/Type'"
    aws_code, aws_detail = case["expected"]["exception"]["message"].split("'", 1)[1].split(": ", 1)
    problem = only_problem(case["request"]["definition"])
    assert (problem.code, problem.location) == (aws_code, aws_detail.rsplit(" at ", 1)[1].rstrip("'"))
