"""Jayway's JSONPath dialect where a state machine uses paths: Paths, Reference Paths, ``.$`` fields, ItemsPath,
Choice ``Variable``; and Step Functions' own rules on top (``$$``, ``$variable``, what a Reference Path may hold)."""

from __future__ import annotations

from typing import Any

import pytest

from sfnlocal import StateMachine
from sfnlocal.language.errors import DefinitionError

ORDER = {
    "items": [
        {"sku": "A", "price": 5, "tags": ["new"]},
        {"sku": "B", "price": 15, "tags": []},
        {"sku": "C", "price": 25},
    ],
    "limit": 10,
    "customer": {"name": "Ada", "tier": "gold", "since": 2019},
    "it's": "apostrophe",
    'say "hi"': "quotes",
}


def pass_state(**fields: Any) -> dict[str, Any]:
    return {"StartAt": "P", "States": {"P": {"Type": "Pass", **fields, "End": True}}}


def output(definition: dict[str, Any], data: Any = ORDER) -> Any:
    run = StateMachine.from_dict(definition).execute(data)
    assert run.status == "SUCCEEDED", run.cause
    return run.output


def test_a_parallel_states_first_result_is_read_with_dot_bracket_zero() -> None:
    # The pattern of AWS's idempotent-workflow sample and of CDK code (`outputPath: "$.[0]"`): Jayway reads
    # "$.[0]" as "$[0]", a definite path, so the state's output is the first branch's result, not [result].
    branch = {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": {"branch": 1}, "End": True}}}
    other = {"StartAt": "C", "States": {"C": {"Type": "Pass", "Result": {"branch": 2}, "End": True}}}
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Parallel", "Branches": [branch, other], "OutputPath": "$.[0]", "End": True}},
    }
    assert output(definition) == {"branch": 1}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.items[?(@.price > $.limit)].sku", ["B", "C"]),  # a reference to the root inside a filter
        ("$.items[?(@.price < 20 && @.tags)].sku", ["A", "B"]),
        ("$.items[?(@.price < 10 || !(@.tags))].sku", ["A", "C"]),
        ("$.items[?(@.sku in ['A', 'C'])].price", [5, 25]),
        ("$.items[?(@.sku =~ /[ab]/i)].sku", ["A", "B"]),
        ("$.items[?(@.tags size 1)].sku", ["A"]),
        ("$.items[?(@.tags empty true)].sku", ["B"]),
        ("$.items[?(@.tags anyof ['new', 'x'])].sku", ["A"]),
        ("$.customer[?(@.tier == 'gold')].name", ["Ada"]),  # a filter on an object tests the object itself
        ("$.customer['name','tier']", {"name": "Ada", "tier": "gold"}),  # a union of names gives an object
        ("$.items.length()", 3),
        ("$..price.sum()", 45.0),
        ("$.items[0:3:2].sku", ["A", "B", "C"][0:3]),  # Jayway ignores a slice's third number
        ("$['it\\'s']", "apostrophe"),
        ('$["say \\"hi\\""]', "quotes"),
    ],
)
def test_a_parameters_path_reads_the_input_as_jayway_does(path: str, expected: Any) -> None:
    assert output(pass_state(Parameters={"v.$": path})) == {"v": expected}


def test_a_variable_can_be_read_inside_a_filter() -> None:
    definition = {
        "StartAt": "Remember",
        "States": {
            "Remember": {"Type": "Pass", "Assign": {"ceiling": 20, "wanted": ["C"]}, "Next": "Pick"},
            "Pick": {
                "Type": "Pass",
                "Parameters": {
                    "cheap.$": "$.items[?(@.price < $ceiling)].sku",
                    "wanted.$": "$.items[?(@.sku in $wanted)]",
                },
                "End": True,
            },
        },
    }
    assert output(definition) == {"cheap": ["A", "B"], "wanted": [{"sku": "C", "price": 25}]}


def test_the_context_object_and_variables_are_roots_of_whole_paths() -> None:
    definition = {
        "StartAt": "Remember",
        "States": {
            "Remember": {"Type": "Pass", "Assign": {"order": {"lines": [1, 2, 3]}}, "Next": "Read"},
            "Read": {
                "Type": "Pass",
                "Parameters": {"big.$": "$order.lines[?(@ > 1)]", "skus.$": "$$.Execution.Input.items[*].sku"},
                "End": True,
            },
        },
    }
    assert output(definition) == {"big": [2, 3], "skus": ["A", "B", "C"]}


def test_a_choice_variable_reads_a_reference_path() -> None:
    choice = {
        "StartAt": "C",
        "States": {
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.items[-1].price", "NumericGreaterThan": 20, "Next": "Big"}],
                "Default": "Small",
            },
            "Big": {"Type": "Succeed"},
            "Small": {"Type": "Succeed"},
        },
    }
    assert StateMachine.from_dict(choice).execute(ORDER).path == ["C", "Big"]


@pytest.mark.parametrize(
    ("state", "field"),
    [
        # AWS docs, Reference Paths: no '@ .. , : ? *' and no functions.
        ({"Type": "Pass", "ResultPath": "$.n.length()"}, "ResultPath"),
        ({"Type": "Pass", "ResultPath": "$.a['x','y']"}, "ResultPath"),
        ({"Type": "Map", "ItemsPath": "$.items[?(@.price)]", "ItemProcessor": pass_state()}, "ItemsPath"),
        ({"Type": "Map", "ItemsPath": "$.items[0:2]", "ItemProcessor": pass_state()}, "ItemsPath"),
    ],
)
def test_a_reference_path_refuses_what_selects_more_than_one_node(state: dict[str, Any], field: str) -> None:
    definition = {"StartAt": "S", "States": {"S": {**state, "End": True}}}
    with pytest.raises(DefinitionError) as caught:
        StateMachine.from_dict(definition)
    assert caught.value.location == f"/States/S/{field}"
    assert "is not a valid Reference Path" in str(caught.value)


def test_a_choice_variable_refuses_a_filter() -> None:
    rule = {"Variable": "$.items[?(@.price > 1)]", "IsPresent": True, "Next": "N"}
    definition = {
        "StartAt": "C",
        "States": {"C": {"Type": "Choice", "Choices": [rule], "Default": "N"}, "N": {"Type": "Succeed"}},
    }
    with pytest.raises(DefinitionError, match="Reference Path"):
        StateMachine.from_dict(definition)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("$.items[::2]", "Failed to parse SliceOperation: ::2"),  # a slice with a step and no bounds (Jayway)
        ("$.items[?(@.id == $$.Execution.Name)]", "context object ($$) cannot be read inside a filter"),
        ("$.items[?(@.price == )]", "Failed to parse filter"),
        ("$.items.", "Path must not end with a '.' or '..'"),
        ("$.x y", "Use bracket notion ['my prop'] if your property contains blank characters"),
    ],
)
def test_a_path_jayway_refuses_is_a_definition_error_naming_field_value_and_reason(path: str, reason: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        StateMachine.from_dict(pass_state(Parameters={"v.$": path}))
    assert caught.value.location == "/States/P/Parameters/v.$"
    assert path in str(caught.value) and reason in str(caught.value)


def test_an_indefinite_path_through_a_missing_property_gives_an_empty_list() -> None:
    # Recorded from AWS (test_json_path_array_wildcard_or_slice_with_no_input): [] where Jayway's default
    # settings would fail with "Missing property in path $['item']".
    assert output(pass_state(Parameters={"v.$": "$.item.items[1:5].itemValue"}), {}) == {"v": []}


def test_a_slice_of_something_that_is_no_array_fails_the_state() -> None:
    run = StateMachine.from_dict(pass_state(Parameters={"v.$": "$[1:]"})).execute({"a": 1})
    assert (run.status, run.error) == ("FAILED", "States.Runtime")
    assert "The JSONPath '$[1:]' specified for the field 'v.$' could not be found in the input" in run.cause


def test_a_function_jayway_does_not_have_fails_when_read_not_when_loaded() -> None:
    machine = StateMachine.from_dict(pass_state(Parameters={"v.$": "$.items.median()"}))
    run = machine.execute(ORDER)
    assert (run.status, run.error) == ("FAILED", "States.Runtime")
