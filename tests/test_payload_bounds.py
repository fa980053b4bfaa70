"""An execution skips measuring a state's output when a bound worked out from its input and result shows it within
AWS's limits (``PayloadBound``): each bound must be at least the measure of the value it stands for, or an output
over the limit would go through unrefused. These properties check the bounds against the values themselves."""

from __future__ import annotations

from random import Random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sfnlocal import StateMachine, mocks
from sfnlocal.language.dataflow import ResultPath, SelectPath
from sfnlocal.language.errors import StatesError
from sfnlocal.language.jsontext import MAX_PAYLOAD_BYTES, PayloadBound, compact_json, text_bound
from sfnlocal.language.paths import PathNotFound, Scope
from sfnlocal.language.payload import bounded, compile_template, template_bound

keys = st.sampled_from(["a", "b", "é", 'q"', "[x]", "{"])  # (no "'": the paths below quote keys with it)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)),
    max_leaves=10,
)
documents = st.dictionaries(keys, json_values, max_size=4)
paths = st.lists(st.one_of(keys, st.integers(-2, 2)), min_size=1, max_size=3)
selections = st.lists(st.one_of(keys, st.integers(-2, 2)), max_size=3)  # "$" too: a template may repeat the whole


def _measure(value: Any) -> PayloadBound:
    return text_bound(compact_json(value))


def _path_text(steps: list[str | int]) -> str:
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f"['{step}']" for step in steps)


def _covers(bound: PayloadBound | None, value: Any) -> bool:
    measure = _measure(value)
    return bound is not None and bound[0] >= measure[0] and bound[1] >= measure[1]


@given(documents, json_values, paths)
def test_a_result_path_bound_covers_the_output(
    state_input: dict[str, Any], result: Any, steps: list[str | int]
) -> None:
    text = _path_text(steps)
    result_path = ResultPath(text, "/States/S/ResultPath")
    try:
        output = result_path.apply(state_input, result)
    except StatesError:
        return  # AWS fails the state: there is no output to bound
    assert _covers(result_path.bound(_measure(state_input), _measure(result)), output)


@given(documents, paths)
def test_a_definite_select_path_bound_covers_what_it_selects(document: dict[str, Any], steps: list[str | int]) -> None:
    text = _path_text(steps)
    select = SelectPath(text, "/States/S/InputPath")
    try:
        selected = select.apply(Scope(document))
    except StatesError:
        return
    assert _covers(select.bound(_measure(document)), selected)


@given(documents, st.lists(st.tuples(keys, selections), min_size=1, max_size=3), json_values)
def test_a_template_bound_covers_its_value(
    document: dict[str, Any], entries: list[tuple[str, list[str | int]]], constant: Any
) -> None:
    template: dict[str, Any] = {"constant": constant}
    for key, steps in entries:
        template[f"{key}.$"] = _path_text(steps)
    bound = template_bound(template)
    assert bound is not None  # only constants and definite paths into $
    try:
        value = compile_template(template, "/States/S/Parameters")(Scope(document), Random(0))
    except (StatesError, PathNotFound):
        return
    assert _covers(bounded(bound, _measure(document)), value)


def test_an_indefinite_path_has_no_bound_since_it_can_select_more_than_the_whole() -> None:
    document = {"a": {"a": {"a": [1, 2, 3]}}}
    select = SelectPath("$..a", "/States/S/OutputPath")
    assert _measure(select.apply(Scope(document)))[0] > _measure(document)[0]
    assert select.bound(_measure(document)) is None


def test_a_template_reading_anything_but_the_input_has_no_bound() -> None:
    for reads in ("$$.Execution.Id", "$counter", "States.UUID()", "$..a"):
        assert template_bound({"x.$": reads}) is None


def test_an_output_over_the_limit_built_from_bounded_parts_is_still_refused() -> None:
    # The input and the result are each within the limit, and known to be: their merge is not, and must fail.
    machine = StateMachine.from_dict(
        {
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"Payload.$": "$.half"},
                    "ResultSelector": {"echo.$": "$.Payload"},
                    "ResultPath": "$.copy",
                    "End": True,
                }
            },
        }
    )
    half = "a" * (MAX_PAYLOAD_BYTES // 2)
    run = machine.execute({"half": half}, mocks={"Call": mocks.returns(half)})
    assert (run.status, run.error) == ("FAILED", "States.DataLimitExceeded")
    small = machine.execute({"half": "a"}, mocks={"Call": mocks.returns("b")})
    assert small.status == "SUCCEEDED" and small.output == {"half": "a", "copy": {"echo": "b"}}


@given(st.lists(json_values, max_size=4))
def test_a_parallel_results_bound_covers_the_array_of_its_branches_outputs(outputs: list[Any]) -> None:
    from sfnlocal.interpreter.states.parallel import _list_bound

    assert _covers(_list_bound([_measure(output) for output in outputs]), outputs)


def test_a_wide_input_is_measured_once_not_by_every_map_iteration(monkeypatch: Any) -> None:
    # 300 objects are more brackets than MAX_DEPTH, but no deeper than 2: once walked, the input's bound says so,
    # and each iteration's Pass passes its item on without measuring it again.
    import sfnlocal.interpreter.visit as visit

    measured: list[str] = []
    check_output = visit._check_output

    def counted(state: Any, output: Any) -> PayloadBound:
        measured.append(state.name)
        return check_output(state, output)

    monkeypatch.setattr(visit, "_check_output", counted)
    machine = StateMachine.from_dict(
        {
            "StartAt": "M",
            "States": {
                "M": {
                    "Type": "Map",
                    "ItemsPath": "$.items",
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                    "End": True,
                }
            },
        }
    )
    run = machine.execute({"items": [{"id": index} for index in range(300)]})
    assert run.status == "SUCCEEDED" and len(run.output) == 300
    assert "P" not in measured
