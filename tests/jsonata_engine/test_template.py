"""Templates: expressions nested in objects and arrays, named by the field AWS names in its messages."""

from __future__ import annotations

from typing import Any

import pytest

from sfnlocal.language.jsonata import QueryEvaluationFailure, compile_template

from .support import bindings

MISSING = "{% $states.input.missing %}"


@pytest.mark.parametrize(
    ("field", "template", "named"),
    [
        # Recorded on AWS: test_math_operations_jsonata.py::test_math_random_seeded, test_error_output.py.
        ("Output", {"FunctionResult": MISSING}, "Output/FunctionResult"),
        ("Output", {"error": MISSING}, "Output/error"),
        # As AWS names them ('/' before each object key, '[i]' for each array index; also in a cause
        # AWS wrote for a Task's Arguments, 'Arguments/Input/pushLocation').
        ("Output", MISSING, "Output"),
        ("Output", {"v": MISSING}, "Output/v"),
        ("Output", {"a": {"b": MISSING}}, "Output/a/b"),
        ("Output", {"values": [MISSING]}, "Output/values[0]"),
        ("Output", {"a": {"b": [[1], [2, MISSING]]}}, "Output/a/b[1][1]"),
        ("Assign", {"x": {"y": MISSING}}, "Assign/x/y"),
        ("Arguments", {"Input": {"pushLocation": MISSING}}, "Arguments/Input/pushLocation"),
        ("Items", [1, MISSING, 3], "Items[1]"),
    ],
)
def test_an_undefined_nested_value_fails_naming_its_field(field: str, template: Any, named: str) -> None:
    compiled = compile_template(template, field)
    assert not compiled.is_constant
    with pytest.raises(QueryEvaluationFailure) as caught:
        compiled.evaluate(bindings({}))
    assert caught.value.location == named
    assert caught.value.cause == (
        f"The JSONata expression '$states.input.missing' specified for the field '{named}' "
        "returned nothing (undefined)."
    )


def test_an_evaluation_error_names_the_nested_field_too() -> None:
    with pytest.raises(QueryEvaluationFailure) as caught:
        compile_template({"a": [{"b": "{% $sum('x') %}"}]}, "Output").evaluate(bindings())
    assert caught.value.location == "Output/a[0]/b"


def test_expressions_anywhere_are_evaluated_and_the_rest_kept() -> None:
    # AWS docs ("Transforming data with JSONata"), the conversion example: input {"title": "Doctor"},
    # variable customerName "María".
    template = compile_template(
        {
            "static": "Hello",
            "title": "{% $states.input.title %}",
            "name": "{% $customerName %}",
            "not-evaluated": "$customerName",
        },
        "Arguments",
    )
    assert template.evaluate(bindings({"title": "Doctor"}, customerName="María")) == {
        "static": "Hello",
        "title": "Doctor",
        "name": "María",
        "not-evaluated": "$customerName",
    }


def test_the_docs_input_and_output_example() -> None:
    # AWS docs: "Example: Input and Output".
    template = compile_template(
        {
            "lastName": "{% 'Last=>' & $states.input.customer.lastName %}",
            "orderValue": "{% $states.input.order.total %}",
        },
        "Output",
    )
    state_input = {"customer": {"firstName": "Martha", "lastName": "Rivera"}, "order": {"items": 7, "total": 27.91}}
    assert template.evaluate(bindings(state_input)) == {"lastName": "Last=>Rivera", "orderValue": 27.91}


def test_the_docs_filtering_example() -> None:
    # AWS docs: "Example: Filtering with JSONata".
    products = [
        {"calories": 140, "flavour": "Cola", "name": "Product-1"},
        {"calories": 0, "flavour": "Cola", "name": "Product-2"},
        {"calories": 160, "flavour": "Orange", "name": "Product-3"},
        {"calories": 100, "flavour": "Orange", "name": "Product-4"},
        {"calories": 0, "flavour": "Lime", "name": "Product-5"},
    ]
    template = compile_template({"dietProducts": "{% $states.input.products[calories=0] %}"}, "Output")
    assert template.evaluate(bindings({"products": products})) == {"dietProducts": [products[1], products[4]]}


def test_a_null_result_keeps_its_member() -> None:
    template = compile_template({"v": "{% $states.input.bar %}", "w": None}, "Output")
    assert template.evaluate(bindings({"bar": None})) == {"v": None, "w": None}


@pytest.mark.parametrize("value", [None, 0, 0.1, True, "string literal", [], {}, {"a": ["$.x", " {% 1 %}"]}])
def test_templates_without_expressions_are_constants(value: Any) -> None:
    template = compile_template(value, "Output")
    assert template.is_constant
    assert template.evaluate(bindings()) == value


def test_constants_inside_dynamic_templates_are_kept_as_written() -> None:
    template = compile_template({"keep": {"a": [1, "x"]}, "n": "{% 1 %}"}, "Output")
    assert template.evaluate(bindings()) == {"keep": {"a": [1, "x"]}, "n": 1}


def test_object_keys_are_never_evaluated() -> None:
    assert compile_template({"{% 1 %}": 2}, "Output").is_constant
