"""A handler's result goes through JSON as Lambda's Python runtime sends it: sfnlocal's encoder, made once, writes
exactly what ``json.dumps`` with the runtime's options writes, and refuses what it refuses with the same message."""

from __future__ import annotations

import decimal
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sfnlocal.integrations.lambda_functions.invocation import FunctionError, _decimal_number, _lambda_json, marshal

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and the infinities too: both refuse them
    st.text(),
    st.decimals(allow_nan=False, allow_infinity=False).map(decimal.Decimal),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(st.text(), st.integers(), st.booleans(), st.none()), inner, max_size=4),
    ),
    max_leaves=12,
)


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_decimal_number, allow_nan=False, ensure_ascii=False)


@given(values)
def test_the_handlers_json_is_what_json_dumps_writes(value: Any) -> None:
    try:
        expected = _dumps(value)
    except ValueError as refused:
        try:
            _lambda_json(value)
        except ValueError as err:
            assert str(err) == str(refused)
        else:
            raise AssertionError("json.dumps refused it, sfnlocal's encoder did not")
        return
    assert _lambda_json(value) == expected


def test_a_result_that_holds_itself_is_a_marshal_error_naming_the_circular_reference() -> None:
    looped: dict[str, Any] = {}
    looped["self"] = looped
    try:
        marshal(looped, "r-1")
    except FunctionError as failure:
        assert failure.payload["errorType"] == "Runtime.MarshalError"
        assert failure.payload["errorMessage"] == "Unable to marshal response: Circular reference detected"
    else:
        raise AssertionError("a circular result was marshalled")


def test_a_set_is_a_marshal_error_as_the_runtime_words_it() -> None:
    try:
        marshal({"ids": {1}}, "r-1")
    except FunctionError as failure:
        assert (
            failure.payload["errorMessage"] == "Unable to marshal response: Object of type set is not JSON serializable"
        )
    else:
        raise AssertionError("a set was marshalled")
