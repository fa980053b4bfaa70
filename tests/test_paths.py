"""JSONPath as Step Functions reads it: definite vs indefinite, roots, Jayway's missing-path wording."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sfnlocal.language.paths import PathNotFound, PathSyntaxError, Scope, compile_path

DOC = {
    "order": {"id": 7, "items": [{"sku": "A", "price": 5}, {"sku": "B", "price": 15}], "last-name": "Doe"},
    "flags": [True, False],
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$", DOC),
        ("$.order.id", 7),
        ("$.order.items[1].sku", "B"),
        ("$.order.items[-1].price", 15),
        ("$['order']['last-name']", "Doe"),
        ('$["order"]["id"]', 7),
        ("$.order.items.length()", 2),
    ],
)
def test_definite_paths_select_one_value(path: str, expected: object) -> None:
    assert compile_path(path).evaluate(Scope(DOC)) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.order.items[*].sku", ["A", "B"]),
        ("$.order.items[?(@.price > 10)].sku", ["B"]),
        ("$..price", [5, 15]),
        ("$.order.items[0:1].sku", ["A"]),
        # AWS (recorded): an indefinite path that matches nothing gives [] rather than an error.
        ("$.missing[*]", []),
        ("$.item.items[1:5].itemValue", []),
    ],
)
def test_indefinite_paths_return_lists(path: str, expected: list[object]) -> None:
    compiled = compile_path(path)
    assert not compiled.definite
    assert compiled.evaluate(Scope(DOC)) == expected


def test_filter_on_status_equals_zero_as_recorded_from_aws() -> None:
    # v2/base/test_base.py::test_state_pass_regex_json_path_base: "$.users[?(@.status == 0)]"
    users = {"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]}
    assert compile_path("$.users[?(@.status == 0)]").evaluate(Scope(users)) == [{"year": 1997, "status": 0}]


@pytest.mark.parametrize(
    ("path", "document", "message"),
    [
        # Wording recorded from AWS in causes such as "Invalid path '$.NoSuchInputPath' : No results for path: ..."
        ("$.NoSuchInputPath", {"int-literal": 0}, "No results for path: $['NoSuchInputPath']"),
        ("$.no.such.result.path", {}, "Missing property in path $['no']"),
        ("$.order.items[5]", DOC, "No results for path: $['order']['items'][5]"),
    ],
)
def test_missing_definite_path_raises_jayway_wording(path: str, document: object, message: str) -> None:
    with pytest.raises(PathNotFound) as caught:
        compile_path(path).evaluate(Scope(document))
    assert caught.value.message == message


def test_context_and_variable_roots() -> None:
    scope = Scope({"a": 1}, {"Execution": {"Id": "arn:x"}}, {"limit": {"max": 3}})
    assert compile_path("$$.Execution.Id").evaluate(scope) == "arn:x"
    assert compile_path("$limit.max").evaluate(scope) == 3
    assert compile_path("$$.Execution.Id").root == "$$"
    assert compile_path("$limit").root == "limit"


def test_undefined_variable_is_path_not_found() -> None:
    with pytest.raises(PathNotFound):
        compile_path("$nope.x").evaluate(Scope({}, {}, {}))


@pytest.mark.parametrize("path", ["$.a[*]", "$..a", "$.a[?(@.b)]", "$.a[0:2]", "$.a.length()"])
def test_reference_paths_refuse_indefinite_syntax(path: str) -> None:
    with pytest.raises(PathSyntaxError):
        compile_path(path, reference=True)


# Jayway ignores a single character left after the last step, so "$.a[" compiles (as "$.a"): "$.a[]" is
# the unclosed-bracket case it refuses (both checked against Jayway 2.10; see test_jsonpath_jayway_table.py).
@pytest.mark.parametrize("path", ["a.b", "", "$.a[]", "$[?(@.x ==]"])
def test_malformed_paths_are_rejected_at_compile(path: str) -> None:
    with pytest.raises(PathSyntaxError):
        compile_path(path)


def test_exists_follows_definite_and_indefinite_rules() -> None:
    scope = Scope(DOC)
    assert compile_path("$.order.id").exists(scope)
    assert not compile_path("$.order.nope").exists(scope)
    assert not compile_path("$.nope[*]").exists(scope)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=12,
)
segment = st.one_of(
    st.from_regex(r"\.[a-z]{1,3}", fullmatch=True),
    st.from_regex(r"\[-?[0-3]\]", fullmatch=True),
    st.just("[*]"),
    st.just(".length()"),
)


@given(document=json_values, segments=st.lists(segment, max_size=4))
@example(document={"": [math.inf]}, segments=["[0]"])  # found by Hypothesis: the cause quoted Infinity as Java does
def test_no_json_input_makes_evaluation_raise_anything_but_path_not_found(
    document: object, segments: list[str]
) -> None:
    text = "$" + "".join(segments)
    try:
        path = compile_path(text)
    except PathSyntaxError:
        return
    try:
        path.evaluate(Scope(document))
    except PathNotFound:
        pass


@given(text=st.text(max_size=20))
def test_no_text_makes_compilation_raise_anything_but_path_syntax_error(text: str) -> None:
    try:
        compile_path("$" + text)
    except PathSyntaxError:
        pass
