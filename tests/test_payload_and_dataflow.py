"""Payload templates (Parameters/ItemSelector/ResultSelector) and InputPath/ResultPath/OutputPath.

Expected values follow the AWS docs' worked examples ("Processing input and output in Step
Functions": InputPath, Parameters, ResultSelector, ResultPath, OutputPath) and recorded executions.
"""

from __future__ import annotations

import copy
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfnlocal.language.dataflow import ResultPath, SelectPath
from sfnlocal.language.errors import DefinitionError, RuntimeFailure, StatesError
from sfnlocal.language.jsontext import compact_json
from sfnlocal.language.paths import Scope
from sfnlocal.language.payload import compile_template

RNG = Random(0)
DOCS_INPUT = {
    "comment": "Example for InputPath.",
    "dataset1": {"val1": 1, "val2": 2, "val3": 3},
    "dataset2": {"val1": "a", "val2": "b", "val3": "c"},
}


def test_input_path_selects_part_of_the_input_docs_example() -> None:
    assert SelectPath("$.dataset2", "/x").apply(Scope(DOCS_INPUT)) == {"val1": "a", "val2": "b", "val3": "c"}


def test_null_input_path_gives_an_empty_object() -> None:
    assert SelectPath(None, "/x").apply(Scope(DOCS_INPUT)) == {}


def test_missing_input_path_is_states_runtime_with_aws_wording() -> None:
    # Recorded: "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
    with pytest.raises(RuntimeFailure) as caught:
        SelectPath("$.NoSuchInputPath", "/x").apply(Scope({"int-literal": 0}))
    assert caught.value.error == "States.Runtime"
    assert caught.value.cause == "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"


def test_parameters_template_docs_example() -> None:
    template = {
        "comment": "Selecting what I care about.",
        "MyDetails": {"size.$": "$.product.details.size", "exists.$": "$.product.availability", "StaticValue": "foo"},
    }
    state_input = {
        "comment": "Example for Parameters.",
        "product": {
            "details": {"color": "blue", "size": "small", "material": "cotton"},
            "availability": "in stock",
            "sku": "2317",
            "cost": "$23",
        },
    }
    result = compile_template(template, "/States/S/Parameters")(Scope(state_input), RNG)
    assert result == {
        "comment": "Selecting what I care about.",
        "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"},
    }


def test_template_reads_context_object_and_arrays() -> None:
    template = {"ids.$": "$.items[*].id", "exec.$": "$$.Execution.Id", "list": [{"v.$": "$.items[0].id"}, 2]}
    scope = Scope({"items": [{"id": 1}, {"id": 2}]}, {"Execution": {"Id": "arn:exec"}})
    assert compile_template(template, "/p")(scope, RNG) == {"ids": [1, 2], "exec": "arn:exec", "list": [{"v": 1}, 2]}


def test_template_missing_path_names_the_field_as_aws_does() -> None:
    # Recorded: "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be
    # found in the input '<input as JSON>'"
    evaluate = compile_template({"value.$": "$.no_such_jsonpath"}, "/States/pass/Parameters")
    with pytest.raises(RuntimeFailure) as caught:
        evaluate(Scope({"int-literal": 0}), RNG)
    assert caught.value.cause == (
        "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not "
        "be found in the input '{\"int-literal\":0}'"
    )


@pytest.mark.parametrize("value", [1, None, "not a path", {"a": 1}])
def test_dynamic_field_that_is_not_a_path_or_intrinsic_is_rejected_at_load(value: object) -> None:
    with pytest.raises(DefinitionError) as caught:
        compile_template({"x.$": value}, "/States/S/Parameters")
    assert caught.value.location == "/States/S/Parameters/x.$"


def test_constant_templates_are_shared_not_rebuilt() -> None:
    template = {"a": {"b": [1, 2]}}
    evaluate = compile_template(template, "/p")
    assert evaluate(Scope({}), RNG) is template


RESULT_PATH_INPUT = {
    "comment": "This is a test of the input and output of a Task state.",
    "details": "Default example",
    "who": "AWS Step Functions",
}


def test_result_path_replaces_by_default_docs_example() -> None:
    assert ResultPath("$", "/x").apply(RESULT_PATH_INPUT, "Hello, AWS Step Functions!") == "Hello, AWS Step Functions!"


def test_result_path_discards_result_with_null_docs_example() -> None:
    assert ResultPath(None, "/x").apply(RESULT_PATH_INPUT, "Hello") == RESULT_PATH_INPUT


def test_result_path_adds_result_beside_input_docs_example() -> None:
    out = ResultPath("$.taskresult", "/x").apply(RESULT_PATH_INPUT, "Hello, AWS Step Functions!")
    assert out == {**RESULT_PATH_INPUT, "taskresult": "Hello, AWS Step Functions!"}


def test_result_path_creates_missing_nested_objects_and_does_not_mutate_input() -> None:
    state_input = {"a": {"keep": 1}}
    before = copy.deepcopy(state_input)
    out = ResultPath("$.a.b.c", "/x").apply(state_input, 5)
    assert out == {"a": {"keep": 1, "b": {"c": 5}}}
    assert state_input == before


def test_result_path_into_a_scalar_is_a_reference_path_conflict() -> None:
    # AWS names it States.ReferencePathConflict (cdklabs/construct-hub#459 quotes real AWS), where the docs
    # name States.ResultPathMatchFailure; the ReferencePath wording is Step Functions Local's (aws/aws-cdk#29473).
    with pytest.raises(StatesError) as caught:
        ResultPath("$.a.b", "/x").apply({"a": 3}, 1)
    assert (caught.value.error, caught.value.cause) == (
        "States.ReferencePathConflict",
        'Unable to apply ReferencePath $.a.b to input {"a":3}',
    )


def test_result_path_must_be_a_reference_path() -> None:
    with pytest.raises(DefinitionError):
        ResultPath("$.a[*]", "/States/S/ResultPath")
    with pytest.raises(DefinitionError):
        ResultPath("$$.Execution", "/States/S/ResultPath")


def test_output_path_selects_from_combined_output() -> None:
    combined = ResultPath("$.r", "/x").apply({"a": 1}, {"b": 2})
    assert SelectPath("$.r.b", "/x").apply(Scope(combined)) == 2


def test_compact_json_matches_aws_payload_text() -> None:
    assert compact_json({"a": [1, 2.5, None, "é"]}) == '{"a":[1,2.5,null,"é"]}'


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=10,
)
template_paths = st.sampled_from(["$", "$.a", "$.a.b", "$.a[0]", "$.a[*]", "$$.Execution.Id", "$.b[-1].c"])


@given(state_input=json_values, path=template_paths)
def test_no_json_input_makes_a_template_raise_anything_but_an_asl_error(state_input: object, path: str) -> None:
    evaluate = compile_template({"x.$": path, "k": [{"y.$": path}]}, "/p")
    try:
        evaluate(Scope(state_input, {"Execution": {"Id": "arn"}}), RNG)
    except StatesError:
        pass


@given(state_input=json_values, result=json_values, path=st.sampled_from(["$", "$.r", "$.a.b", "$.a[0]", "$.x.y.z"]))
def test_result_path_never_mutates_and_only_raises_asl_errors(state_input: object, result: object, path: str) -> None:
    before = copy.deepcopy(state_input)
    try:
        ResultPath(path, "/x").apply(state_input, result)
    except StatesError:
        pass
    assert state_input == before
