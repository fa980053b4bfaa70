"""How deep a JSON value an execution holds may be nested, and checking it without recursion.

A payload nested more than :data:`MAX_DEPTH` arrays and objects deep is refused: the execution input at
``execute()``, a state's output or an assigned variable during a run (see ``interpreter/visit.py``). The
bound is sfnlocal's own (AWS documents none): Python's JSON encoder and decoder recurse once per level, so
a value about 1,000 levels deep would exceed the interpreter's recursion limit part way through an
execution (in a copy, a size check, the history). Well below that, every part of sfnlocal handles it.
"""

from __future__ import annotations

from typing import Any

# Arrays and objects nested in one another, the outermost counting as 1 ("[[1]]" is 2 deep).
MAX_DEPTH = 256


def nested_deeper_than(value: Any, depth: int) -> bool:
    """Whether ``value`` nests arrays and objects more than ``depth`` deep, looked at one level at a time (a
    value that holds itself is deeper than any depth).

    >>> nested_deeper_than({"a": [1, {"b": []}]}, 4), nested_deeper_than({"a": [1, {"b": []}]}, 3)
    (False, True)
    """
    level = [value] if isinstance(value, (dict, list, tuple)) else []
    levels = 0
    while level:
        levels += 1
        if levels > depth:
            return True
        inner: list[Any] = []
        for container in level:
            members = container.values() if isinstance(container, dict) else container
            inner.extend([member for member in members if isinstance(member, (dict, list, tuple))])
        level = inner
    return False
