"""The JSONata fast path (language/jsonata/fast.py) answers exactly as the engine does, or leaves it to the engine.

The engine (jsonata-python with sfnlocal's AWS overrides) is the reference here: for any expression of
the fast path's kinds and any input, the fast closure either gives the engine's result or declines.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfnlocal.language.jsonata.bindings import Bindings
from sfnlocal.language.jsonata.engine import CompiledQuery
from sfnlocal.language.jsonata.fast import NotFast
from sfnlocal.language.jsonata.outcome import EvaluationProblem
from sfnlocal.language.jsonata.values import to_json

KEYS = ("a", "b", "c")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=4),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)),
    max_leaves=8,
)
documents = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=3)

atoms = st.one_of(
    st.builds(lambda key: f"$states.input.{key}", st.sampled_from(KEYS)),
    st.builds(lambda key, sub: f"$states.input.{key}.{sub}", st.sampled_from(KEYS), st.sampled_from(KEYS)),
    st.builds(lambda key: f"$v.{key}", st.sampled_from(KEYS)),
    st.just("$v"),
    st.just("$w"),
    st.just("$states.input"),
    st.integers(-5, 5).map(str),
    st.sampled_from(["1.5", "0", "2e3", "'x'", '""', "true", "false", "9007199254740993"]),
)
OPERATORS = ["+", "-", "*", "/", "%", "<", "<=", ">", ">=", "=", "!=", "and", "or", "&"]


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda lhs, op, rhs: f"({lhs} {op} {rhs})", inner, st.sampled_from(OPERATORS), inner),
        st.builds(lambda c, t, e: f"({c} ? {t} : {e})", inner, inner, inner),
        st.builds(lambda x, y: f'{{"k": {x}, "m": {y}}}', inner, inner),
    )


expressions = st.recursive(atoms, _combine, max_leaves=6)


def _engine_only(source: str) -> CompiledQuery:
    query = CompiledQuery(source)
    query._fast = None  # noqa: SLF001  (the reference: the engine alone)
    return query


def _outcome(query: CompiledQuery, bindings: Bindings) -> tuple[str, object]:
    try:
        return "value", query.evaluate(bindings)
    except EvaluationProblem as problem:
        return "error", str(problem)


@settings(max_examples=600, deadline=None)
@given(expressions, documents, json_values, json_values)
def test_the_fast_path_gives_the_engines_result_or_declines(source, document, v, w):
    bindings = Bindings({"input": document}, {"v": v, "w": w}, 0.0, random.Random(0))
    query = CompiledQuery(source)
    fast = query._fast  # noqa: SLF001
    if fast is None:
        return
    try:
        fast_result = to_json(fast(bindings))
    except NotFast:
        return
    kind, expected = _outcome(_engine_only(source), bindings)
    assert kind == "value", (
        f"{source} on {document}, v={v!r}, w={w!r}: the engine failed ({expected}), fast gave {fast_result!r}"
    )
    assert fast_result == expected and type(fast_result) is type(expected), (source, document, v, w)


@pytest.mark.parametrize(
    ("source", "document", "expected"),
    [
        ("$states.input.i + 1", {"i": 41}, 42),
        ("$states.input.i / 2", {"i": 3}, 1.5),
        ("$states.input.i / 2", {"i": 4}, 2),
        ("$states.input.i < $states.input.n", {"i": 1, "n": 2}, True),
        ("$states.input.s & '!'", {"s": "hi"}, "hi!"),
        ('{"i": $states.input.i, "n": $states.input.n}', {"i": 1, "n": None}, {"i": 1, "n": None}),
        ("$states.input.i = 1 ? 'one' : 'other'", {"i": 1.0}, "one"),
        ("$states.input.o", {"o": {"x": [1, None]}}, {"x": [1, None]}),
    ],
)
def test_common_expressions_take_the_fast_path(source, document, expected):
    query = CompiledQuery(source)
    bindings = Bindings({"input": document}, {}, 0.0, random.Random(0))
    assert query._fast is not None  # noqa: SLF001
    assert to_json(query._fast(bindings)) == expected  # noqa: SLF001
    assert query.evaluate(bindings) == expected == _engine_only(source).evaluate(bindings)


@pytest.mark.parametrize(
    ("source", "document"),
    [
        ("$states.input.missing", {}),  # undefined
        ("$states.input.items", {"items": [1]}),  # arrays: sequences
        ("$states.input.n + 1", {"n": "1"}),  # T2001
        ("$states.input.n < 'a'", {"n": 1}),  # T2009
        ("$states.input.n & ''", {"n": 1}),  # numbers as JavaScript writes them
        ("$states.input.n ? 1 : 2", {"n": 1}),  # a cast to boolean
        ("$states.input.n / 0", {"n": 1}),  # Infinity
    ],
)
def test_what_the_fast_path_leaves_to_the_engine(source, document):
    query = CompiledQuery(source)
    bindings = Bindings({"input": document}, {}, 0.0, random.Random(0))
    with pytest.raises(NotFast):
        query._fast(bindings)  # noqa: SLF001
    assert _outcome(query, bindings) == _outcome(_engine_only(source), bindings)


def test_expressions_of_other_kinds_have_no_fast_path():
    for source in ("$sum($states.input.n)", "$states.input.items[0]", "$states.input.a.b[x > 1]", "[1, 2]", "null"):
        assert CompiledQuery(source)._fast is None, source  # noqa: SLF001
