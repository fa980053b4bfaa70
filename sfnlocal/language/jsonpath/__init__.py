"""JSONPath as Jayway JsonPath reads it: the dialect of every path in an AWS Step Functions state machine.

AWS evaluates JSONPath with Jayway JsonPath (Java). This package compiles a path once
(:func:`compile_jsonpath`) into a :class:`JsonPath` and reads it with Jayway's semantics: which texts
are paths at all, definite paths (one value, or an error when nothing is there) against indefinite
ones (a list), filters with Jayway's operators and comparisons, deep scan order, slices, unions of
names, and Jayway's functions. Differences from other JSONPath dialects are Jayway's, kept on purpose
(see :mod:`.compiler`). No I/O, no library: the Step Functions rules (roots ``$$`` and ``$name``,
Reference Paths, the errors each field reports) are in :mod:`sfnlocal.language.paths`.

>>> from sfnlocal.language.jsonpath import compile_jsonpath
>>> doc = {"items": [{"sku": "A", "tags": ["x"]}, {"sku": "B", "tags": []}]}
>>> compile_jsonpath("$.items[?(@.tags.length() > 0)].sku").read(doc)
['A']
>>> compile_jsonpath("$.items[1].sku").read(doc)
'B'
"""

from typing import TYPE_CHECKING, Any

from sfnlocal.language.jsonpath.errors import EvaluationFailure, InvalidPath, PathNotFound, UnreadablePath

if TYPE_CHECKING:
    from sfnlocal.language.jsonpath.compiler import compile_jsonpath
    from sfnlocal.language.jsonpath.path import JsonPath


def __getattr__(name: str) -> Any:
    # The compiler and its modules load when first used, not when sfnlocal is imported (they cost about
    # 15 ms, and `import sfnlocal` is one of the benchmarks); the errors above are light and load at once.
    if name == "compile_jsonpath":
        from sfnlocal.language.jsonpath.compiler import compile_jsonpath

        return compile_jsonpath
    if name == "JsonPath":
        from sfnlocal.language.jsonpath.path import JsonPath

        return JsonPath
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EvaluationFailure",
    "InvalidPath",
    "JsonPath",
    "PathNotFound",
    "UnreadablePath",
    "compile_jsonpath",
]
