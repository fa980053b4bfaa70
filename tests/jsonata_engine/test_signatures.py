"""A JSON null passed to a built-in is null, as in JSONata, not undefined as jsonata-python's signatures read it.

Expected values: jsonata-js 2.0.6 (the version AWS documents) run on the same expressions. For
``$count``, AWS as well: ``$count`` of a JSON null answers 1 on AWS (measured, floci-io/floci#2684).
"""

from __future__ import annotations

import pytest

from .support import failure, run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$count(null)", 1),
        ("$count($states.input.n)", 1),
        ("$count($states.input.missing)", 0),
        ("$count([null, 1])", 2),
        ("$reverse(null)", [None]),
        ("$sort(null)", [None]),
        ("$zip(null)", [[None]]),
        ("$single(null)", None),
        ("$string(null)", "null"),
        ("$exists(null)", True),
        ("$append(null, 1)", [None, 1]),
    ],
)
def test_null_is_a_value(text: str, expected: object) -> None:
    assert run(text, {"n": None}) == expected


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("$max(null)", 'T0412: Argument 1 of function "max" must be an array of "numbers"'),
        ("$join(null)", 'T0412: Argument 1 of function "join" must be an array of "strings"'),
        ("$merge(null)", 'T0412: Argument 1 of function "merge" must be an array of "objects"'),
        ("$floor(null)", 'T0410: Argument 1 of function "floor" does not match function signature'),
        ("$contains(null, 'a')", 'T0410: Argument 1 of function "contains" does not match function signature'),
        ("$lookup(null)", 'T0410: Argument 2 of function "lookup" does not match function signature'),
        ("$formatNumber(null, '#')", 'T0410: Argument 1 of function "formatNumber" does not match function signature'),
        ("$fromMillis(null)", 'T0410: Argument 1 of function "fromMillis" does not match function signature'),
        ("$hash(null, 'MD5')", 'T0410: Argument 1 of function "hash" does not match function signature'),
    ],
)
def test_null_where_a_function_wants_another_type_fails_its_signature(text: str, detail: str) -> None:
    assert failure(text) == f"threw an error during evaluation. {detail}"
