"""Helpers shared by the intrinsic function tests."""

from __future__ import annotations

from random import Random
from typing import Any

import pytest

from sfnlocal.language.errors import RUNTIME, RuntimeFailure
from sfnlocal.language.intrinsics import compile_intrinsic
from sfnlocal.language.paths import Scope


def run(text: str, data: Any = None, context: Any = None, variables: Any = None, seed: int = 0) -> Any:
    """Compile ``text`` and evaluate it with ``data`` as the state input."""
    return compile_intrinsic(text).evaluate(Scope(data, context, variables or {}), Random(seed))


def failure(text: str, data: Any = None, context: Any = None, variables: Any = None) -> str:
    """The cause detail of the States.Runtime failure ``text`` must raise; checks AWS's framing."""
    with pytest.raises(RuntimeFailure) as caught:
        run(text, data, context, variables)
    assert caught.value.error == RUNTIME
    prefix = f"The function '{text}' had the following error: "
    cause = caught.value.cause or ""
    assert cause.startswith(prefix), cause
    return cause[len(prefix) :]
