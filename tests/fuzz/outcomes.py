"""Random mock outcomes: results, failures with odd error and cause types, outcomes of the integration
interface, and handlers that misbehave (raise, raise an exception whose ``__str__`` raises, return what is
not JSON, return a cycle, mutate their event, take the wrong arguments, sleep briefly).

A mock is drawn as a :class:`MockSpec`, Python source plus the values it names, and built only when the
case runs: building may itself refuse bad arguments (which the harness then checks is a clear refusal),
and the source is the reproduction printed for a failure.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

import sfnlocal
from sfnlocal import mocks
from sfnlocal.language.errors import StatesError

from .values import json_values, texts


@dataclass(frozen=True)
class MockSpec:
    """One mock as source (``v0``, ``v1`` ... name ``values``), e.g. ``mocks.raises(v0, v1)``."""

    source: str
    values: tuple[Any, ...] = ()

    def build(self) -> Any:
        names = {f"v{index}": value for index, value in enumerate(self.values)}
        return eval(self.source, {**NAMESPACE, **names})  # noqa: S307 - our own generated source

    def __repr__(self) -> str:
        shown = ", ".join(f"v{i}={_short(v)}" for i, v in enumerate(self.values))
        return f"{self.source}  [{shown}]" if shown else self.source


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except RecursionError:
        text = "<too deep to repr>"
    return text if len(text) <= 300 else text[:300] + "..."


class BadStr(Exception):
    """An exception whose ``__str__`` (and ``__repr__``) raise."""

    def __str__(self) -> str:
        raise RuntimeError("__str__ raised")

    def __repr__(self) -> str:
        raise RuntimeError("__repr__ raised")


def returning(value: Any) -> Any:
    return lambda event, context: value


def raising(exception: BaseException | Callable[[], BaseException]) -> Any:
    """A handler raising ``exception`` (the same object at every call), or a new one from a factory at each call."""

    def handler(event: Any, context: Any) -> Any:
        raise exception if isinstance(exception, BaseException) else exception()

    return handler


def sleeping(value: Any) -> Any:
    def handler(event: Any, context: Any) -> Any:
        time.sleep(0.002)
        return value

    return handler


def mutating(event: Any, context: Any) -> Any:
    if isinstance(event, dict):
        event["mutated"] = [event.get("mutated")]
    elif isinstance(event, list):
        event.append(event[:])
    return event


def echo(event: Any, context: Any) -> Any:
    return {"event": event, "function": context.function_name, "remaining": context.get_remaining_time_in_millis()}


def no_arguments() -> Any:
    return 1


def cycle() -> Any:
    looped: dict[str, Any] = {"a": 1}
    looped["self"] = looped
    return looped


NAMESPACE: dict[str, Any] = {
    "mocks": mocks,
    "sfnlocal": sfnlocal,
    "StatesError": StatesError,
    "BadStr": BadStr,
    "returning": returning,
    "raising": raising,
    "sleeping": sleeping,
    "mutating": mutating,
    "echo": echo,
    "no_arguments": no_arguments,
    "cycle": cycle,
    "object": object,
    "bytes": bytes,
}

_NOT_JSON = (
    "object()",
    "{1, 2}",
    "b'bytes'",
    "(1, 2)",
    "{1: 'int key'}",
    "{(1,): 'tuple key'}",
    "cycle()",
    "__import__('decimal').Decimal('1.5')",
    "__import__('datetime').datetime(2025, 1, 1)",
    "1j",
    "...",
    "type",
    "[object()]",
    "{'a': {'b': b'x'}}",
)
_RAISED = (
    "ValueError('bad')",
    "KeyError('k')",
    "BadStr()",
    "ValueError(object())",
    "Exception()",
    "TypeError(1, 2)",
    "RecursionError('deep')",
    "MemoryError()",
    "StatesError(None, None)",
    "StatesError(123, ['c'])",
    "StatesError('Custom.Error', 'cause')",
    "ZeroDivisionError()",
    "UnicodeDecodeError('utf-8', b'\\xff', 0, 1, 'bad')",
)


@functools.cache
def odd_errors(excluded: frozenset[str]) -> st.SearchStrategy[Any]:
    """Error names and causes of any type: strings (empty, long, unicode), None, numbers, JSON."""
    return st.one_of(
        st.sampled_from(["Boom", "States.TaskFailed", "Lambda.ServiceException", "", "States.Runtime", "sfnlocal.X"]),
        st.none(),
        texts(excluded, max_size=20),
        st.just("E" * 300),
        st.just("c" * 40000),
        json_values(excluded, max_leaves=2),
    )


@functools.cache
def mock_specs(excluded: frozenset[str], depth: int = 1) -> st.SearchStrategy[MockSpec]:
    """One mock for a Task (or a state name that is not a Task): any of the forms sfnlocal takes, and worse."""
    value = json_values(excluded, max_leaves=6)
    after = st.sampled_from([0, 0, 1, 1.5, 3600, -1, 1e12])
    forms = [
        value.map(lambda v: MockSpec("v0", (v,))),
        st.builds(
            lambda v, raw, a: MockSpec(f"mocks.returns(v0, raw={raw}, after={a!r})", (v,)), value, st.booleans(), after
        ),
        st.builds(
            lambda e, c, a: MockSpec(f"mocks.raises(v0, v1, after={a!r})", (e, c)),
            odd_errors(excluded),
            odd_errors(excluded),
            after,
        ),
        st.just(MockSpec("mocks.pending()")),
        st.builds(lambda v, a: MockSpec(f"sfnlocal.Result(v0, after={a!r})", (v,)), value, after),
        st.builds(
            lambda e, c: MockSpec("sfnlocal.Failure(v0, v1)", (e, c)), odd_errors(excluded), odd_errors(excluded)
        ),
        st.sampled_from(
            [MockSpec("sfnlocal.NeverAnswers()"), MockSpec("sfnlocal.AwaitToken()")]
            + ([] if "await_worker_mock" in excluded else [MockSpec("sfnlocal.AwaitWorker()")])
        ),
        value.map(lambda v: MockSpec("sfnlocal.Submitted(v0, sfnlocal.Result(v0))", (v,))),
        value.map(lambda v: MockSpec("returning(v0)", (v,))),
        value.map(lambda v: MockSpec("sleeping(v0)", (v,))),
        st.sampled_from(_NOT_JSON).map(lambda source: MockSpec(f"returning({source})")),
        st.sampled_from(_RAISED).map(
            # One exception object raised in both runs of a case makes their causes differ (see known_open.py).
            lambda source: MockSpec(
                f"raising(lambda: {source})" if "reraised_exception" in excluded else f"raising({source})"
            )
        ),
        st.sampled_from(
            [MockSpec("mutating"), MockSpec("echo"), MockSpec("no_arguments"), MockSpec("42"), MockSpec("None")]
        ),
        st.builds(
            lambda e, c: MockSpec("returning(mocks.raises(v0, v1))", (e, c)), odd_errors(excluded), odd_errors(excluded)
        ),
    ]
    if depth > 0:
        forms.append(
            st.lists(mock_specs(excluded, depth - 1), min_size=0, max_size=3).map(
                lambda inner: MockSpec(
                    "mocks.sequence(" + ", ".join(_rename(spec, i * 2) for i, spec in enumerate(inner)) + ")",
                    tuple(v for spec in inner for v in (*spec.values, None, None)[:2]),
                )
            )
        )
    return st.one_of(forms)


def _rename(spec: MockSpec, offset: int) -> str:
    """A nested spec's source with its ``v0``/``v1`` renamed to ``v<offset>``/``v<offset+1>``."""
    return spec.source.replace("v1", f"v{offset + 1}").replace("v0", f"v{offset}")
