"""Values in and out: null is a value, undefined is not, variables, and results that never alias the input."""

from __future__ import annotations

from collections import ChainMap

import pytest

from sfnlocal.language.jsonata import UNDEFINED, compile_expression, compile_template

from .support import bindings, failure, run


def test_an_undefined_result_is_an_error_and_optional_evaluation_returns_undefined() -> None:
    # AWS docs: "JSON cannot represent an undefined value expression, so the expression
    # {% $data.thisFieldDoesNotExist %} would result in an error."
    assert failure("$states.input.thisFieldDoesNotExist", {}) == "returned nothing (undefined)."
    expression = compile_expression("{% $states.input.thisFieldDoesNotExist %}", "Output")
    assert expression.evaluate_optional(bindings({})) is UNDEFINED


def test_null_is_a_value() -> None:
    assert run("$states.input.bar", {"bar": None}) is None
    assert run("[$exists($states.input.bar), $type($states.input.bar)]", {"bar": None}) == [True, "null"]
    assert run("{'v': $states.input.bar}", {"bar": None}) == {"v": None}
    assert compile_expression("{% null %}", "Output").evaluate_optional(bindings()) is None


def test_a_null_input_is_null() -> None:
    assert run("$states.input", None) is None
    assert run("$type($states.input)", None) == "null"


def test_nulls_inside_input_arrays_stay_values() -> None:
    # JavaScript JSONata keeps null items; jsonata-python would drop a None item in $map or a path step.
    state_input = {"a": [1, None, 3]}
    assert run("$map($states.input.a, function($v){$v})", state_input) == [1, None, 3]
    assert run("$states.input.a.($)", state_input) == [1, None, 3]
    assert run("$exists($states.input.a[$ = null])", state_input) is True


def test_variables_are_bound_by_name_including_null_ones() -> None:
    assert run("$x", x=None) is None
    assert run("$type($x)", x=None) == "null"
    assert run("$x.y", x={"y": None}) is None
    assert run("$count($xs)", xs=[None, None]) == 2
    assert run("$a & '-' & $b", a="one", b="two") == "one-two"
    assert failure("$unknown") == "returned nothing (undefined)."


def test_variables_may_be_any_mapping() -> None:
    from sfnlocal.language.jsonata import Bindings

    scopes = ChainMap({"inner": 1}, {"outer": 2, "inner": 0})
    b = Bindings({"input": {}, "context": {}}, scopes, 0.0, bindings().rng)
    assert compile_expression("{% [$inner, $outer] %}", "Output").evaluate(b) == [1, 2]


def test_states_members_are_read_as_given() -> None:
    b = bindings({"n": 1})
    b.states["result"] = {"r": 2}
    b.states["context"] = {"Execution": {"Id": "arn:x"}}
    expression = compile_expression("{% [$states.result.r, $states.context.Execution.Id] %}", "Output")
    assert expression.evaluate(b) == [2, "arn:x"]


def test_the_context_value_and_the_root_are_undefined() -> None:
    # AWS refuses "$" and "$$" at the top level of an expression; here they simply hold nothing.
    assert failure("$", {"a": 1}) == "returned nothing (undefined)."
    assert failure("$$", {"a": 1}) == "returned nothing (undefined)."


def test_results_never_alias_the_input() -> None:
    state_input = {"order": {"items": [{"sku": "A"}]}, "tags": ["x"]}
    result = run("$states.input", state_input)
    assert result == state_input
    assert result is not state_input
    assert result["order"] is not state_input["order"]
    assert result["order"]["items"][0] is not state_input["order"]["items"][0]
    result["order"]["items"].append("changed")
    assert state_input == {"order": {"items": [{"sku": "A"}]}, "tags": ["x"]}


def test_variables_are_not_aliased_either() -> None:
    variables = {"v": {"list": [1]}}
    result = run("$v", **variables)
    result["list"].append(2)
    assert variables == {"v": {"list": [1]}}


def test_template_results_are_new_containers() -> None:
    template = compile_template({"copy": "{% $states.input.a %}", "constant": 1}, "Output")
    state_input = {"a": [1, 2]}
    result = template.evaluate(bindings(state_input))
    assert result == {"copy": [1, 2], "constant": 1}
    assert result["copy"] is not state_input["a"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.0", 2),
        ("$states.input.f", 3),  # JSON has one number type: 3.0 is 3, as AWS writes it
        ("$sum([0.1, 0.2])", 0.30000000000000004),
        ("$average([1, 2])", 1.5),
        ("1e300 * 10", 1e301),  # jsonata-python makes this a 302-digit int; JSON numbers are doubles
        ("$states.input.big", 2**63 - 1),  # AWS keeps an integer exact while it fits in a long
        ("$states.input.bigger", float(2**63)),
    ],
)
def test_numbers_come_back_as_json_numbers(text: str, expected: float) -> None:
    result = run(text, {"f": 3.0, "big": 2**63 - 1, "bigger": 2**63})
    assert result == expected
    assert type(result) is type(expected)


def test_strings_and_booleans_pass_through() -> None:
    assert run("[$states.input.s, true, false, 'é']", {"s": "x"}) == ["x", True, False, "é"]


def test_a_function_in_the_result_is_an_unsupported_result_type() -> None:
    # Recorded on AWS (test_base_scenarios.py::test_map_state_items_eval_jsonata_fail[function]).
    assert failure("$fn := function($x){$x}", field="Items") == "returned an unsupported result type."
    assert failure("{'f': $sum}") == "returned an unsupported result type."
    assert failure("[1, /regex/]") == "returned an unsupported result type."
