"""What a function's own code does to ``os.environ`` stays that function's, as in its own Lambda process.

In Lambda each function runs in a process of its own: a variable its code sets or removes (at its cold start,
or in a handler) is seen by its later invocations, and never by another function or by the code that invoked
it. In-process, :class:`OwnEnvironment` keeps those changes for one function: put in place while the function
runs, taken out after, so the process environment (the test's) is as it was once the handler returns.

>>> import os
>>> own = OwnEnvironment()
>>> with own.active({"STAGE": "test"}):
...     os.environ["TOKEN_CACHE"] = "warm"  # e.g. set once by module-level code
...     os.environ["STAGE"]
'test'
>>> "TOKEN_CACHE" in os.environ, "STAGE" in os.environ
(False, False)
>>> with own.active({"STAGE": "test"}):
...     os.environ["TOKEN_CACHE"]
'warm'
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sfnlocal.integrations.environment import apply, snapshot


class OwnEnvironment:
    """The changes one function's code made to its process environment (None: a variable it removed)."""

    def __init__(self) -> None:
        self.changes: dict[str, str | None] = {}

    @contextmanager
    def active(self, variables: Mapping[str, str]) -> Iterator[None]:
        """``variables`` (the function's configuration) and then the function's own earlier changes set while the
        block runs; what the block changes is kept for the next time, and everything is put back after it."""
        before = snapshot()
        apply({**variables, **self.changes})
        inside = snapshot()
        try:
            yield
        finally:
            now = snapshot()
            if now != inside:
                self.changes.update(_differences(inside, now))
            apply(_differences(now, before))

    def forget(self) -> None:
        """Drop the kept changes (the function's process is gone: a failed cold start)."""
        self.changes.clear()


def _differences(current: dict[Any, Any], wanted: dict[Any, Any]) -> dict[str, str | None]:
    """What to set (None: remove) to turn the ``current`` snapshot into the ``wanted`` one.

    >>> _differences({"A": "1", "B": "2"}, {"A": "1", "C": "3"}) == {"B": None, "C": "3"}
    True
    """
    changes: dict[str, str | None] = {_text(name): None for name in current.keys() - wanted.keys()}
    for name, value in wanted.items():
        if current.get(name) != value:
            changes[_text(name)] = _text(value)
    return changes


def _text(value: str | bytes) -> str:
    return os.fsdecode(value) if isinstance(value, bytes) else value
