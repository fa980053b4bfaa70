"""Names a module offers without importing them: each is imported from its own module when first asked for.

A package keeps its own import cheap this way when some of its names are costly to import and only some callers
need them (``sfnlocal`` itself, the intrinsic functions).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any


def import_lazily(module_name: str, lazy: Mapping[str, str], namespace: dict[str, Any], name: str) -> Any:
    """What a module's ``__getattr__`` returns for ``name``: ``lazy`` maps each name it offers to the module defining
    it, imported now and kept in ``namespace`` (the module's globals), so that the next look-up finds it there.

    >>> namespace = {}
    >>> import_lazily("tools", {"dumps": "json"}, namespace, "dumps").__name__, "dumps" in namespace
    ('dumps', True)
    >>> import_lazily("tools", {"dumps": "json"}, namespace, "loads")
    Traceback (most recent call last):
    ...
    AttributeError: module 'tools' has no attribute 'loads'
    """
    module = lazy.get(name)
    if module is None:
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
    value = namespace[name] = getattr(importlib.import_module(module), name)
    return value


def names_with_lazy(namespace: dict[str, Any], lazy: Mapping[str, str]) -> list[str]:
    """What a module's ``__dir__`` lists: the names it holds and those it offers lazily, imported or not.

    >>> names_with_lazy({"a": 1}, {"b": "json"})
    ['a', 'b']
    """
    return sorted(set(namespace) | set(lazy))
