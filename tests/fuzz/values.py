"""JSON values for inputs, mock results and literal fields: any JSON, deep, unicode, big numbers.

``json_values(excluded)`` leaves out the classes named in ``excluded`` (see ``known_open.py``): NaN,
Infinity and lone surrogates (``non_finite_and_surrogates``), nesting deeper than 60 (``deep_nesting``).
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

# Keys the generated paths and templates also use, so that paths find something often.
KEYS = ("a", "b", "x", "n", "items", "Payload", "name", "list", "0", "")

# Around the limits of doubles and 64-bit integers, where JSON readers disagree.
_EDGE_INTEGERS = (2**31, -(2**31) - 1, 2**53, 2**53 + 1, 2**63 - 1, 2**63, -(2**63), 2**64, 10**30, -(10**400))
_EDGE_FLOATS = (0.0, -0.0, 1e-320, 5e-324, 1.7976931348623157e308, 1e16, 0.1, 1.5, -2.5)

DEEP_LIMIT = 60  # deepest nesting generated while deep_nesting is a known open defect


@functools.cache
def texts(excluded: frozenset[str], max_size: int = 12) -> st.SearchStrategy[str]:
    """Unicode text: any code point, odd ones (quotes, dollars, braces, control and astral characters) often."""
    odd = st.sampled_from(list("$.'\"\\{}[]%@*?,:()\n\t\x00\u200b\u202e😀𝄞ÿ"))
    if "non_finite_and_surrogates" in excluded:
        characters = st.characters(exclude_categories=["Cs"]) | odd  # (st.characters() draws surrogates too)
    else:
        characters = st.characters() | odd | st.characters(categories=["Cs"])
    return st.text(characters, max_size=max_size)


@functools.cache
def numbers(excluded: frozenset[str]) -> st.SearchStrategy[int | float]:
    """Integers small, big and past 64 bits; floats finite, tiny, huge and (unless excluded) non-finite."""
    allow_non_finite = "non_finite_and_surrogates" not in excluded
    return st.one_of(
        st.integers(-3, 10),
        st.integers(),
        st.sampled_from(_EDGE_INTEGERS),
        st.floats(allow_nan=allow_non_finite, allow_infinity=allow_non_finite),
        st.sampled_from(_EDGE_FLOATS),
    )


@functools.cache
def keys(excluded: frozenset[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(KEYS) | texts(excluded, max_size=6)


@functools.cache
def scalars(excluded: frozenset[str]) -> st.SearchStrategy[Any]:
    return st.none() | st.booleans() | numbers(excluded) | texts(excluded)


@functools.cache
def json_values(excluded: frozenset[str], max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value (Python's reading of it), sometimes nested very deep."""
    nested = st.recursive(
        scalars(excluded),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(keys(excluded), children, max_size=4),
        max_leaves=max_leaves,
    )
    deepest = DEEP_LIMIT if "deep_nesting" in excluded else 1200
    deep = st.builds(_deep, st.integers(1, deepest), st.booleans(), nested)
    return sometimes(nested, deep, 20)


def sometimes(common: st.SearchStrategy[Any], rare: st.SearchStrategy[Any], one_in: int) -> st.SearchStrategy[Any]:
    """``rare`` about once in ``one_in`` draws, else ``common`` (``one_of`` would give each half: it drops repeats)."""
    return st.integers(0, one_in - 1).flatmap(lambda drawn: rare if drawn == one_in // 2 else common)


@functools.cache
def objects(excluded: frozenset[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON object (what most states expect as input)."""
    return st.dictionaries(keys(excluded), json_values(excluded, max_leaves=6), max_size=5)


def _deep(depth: int, as_lists: bool, core: Any) -> Any:
    value = core
    for _ in range(depth):
        value = [value] if as_lists else {"a": value}
    return value
