"""Helpers shared by the JSONata engine tests."""

from __future__ import annotations

import random
from typing import Any

import pytest

from sfnlocal.language.errors import QUERY_EVALUATION_ERROR
from sfnlocal.language.jsonata import Bindings, QueryEvaluationFailure, compile_expression

# 2023-11-14T22:13:20.123Z
NOW = 1_700_000_000.123


def bindings(state_input: Any = None, seed: int = 0, now: float = NOW, **variables: Any) -> Bindings:
    """Bindings with ``state_input`` as ``$states.input``, an empty context, and ``variables``."""
    return Bindings({"input": state_input, "context": {}}, variables, now, random.Random(seed))


def run(text: str, state_input: Any = None, **variables: Any) -> Any:
    """Evaluate the expression ``{% text %}`` (of the field ``Output``); undefined is an error."""
    return compile_expression("{% " + text + " %}", "Output").evaluate(bindings(state_input, **variables))


def failure(text: str, state_input: Any = None, field: str = "Output", **variables: Any) -> str:
    """What follows "The JSONata expression '<text>' specified for the field '<field>' " in the cause."""
    expression = compile_expression("{% " + text + " %}", field)
    with pytest.raises(QueryEvaluationFailure) as caught:
        expression.evaluate(bindings(state_input, **variables))
    assert caught.value.error == QUERY_EVALUATION_ERROR
    assert caught.value.location == field
    prefix = f"The JSONata expression '{text}' specified for the field '{field}' "
    cause = caught.value.cause or ""
    assert cause.startswith(prefix), cause
    return cause[len(prefix) :]
