"""JSONPath as Jayway JsonPath reads it: the dialect of every path in an AWS Step Functions state machine.

AWS evaluates JSONPath with Jayway JsonPath (Java). This package compiles a path once
(:func:`compile_jsonpath`) into a :class:`JsonPath` and reads it with Jayway's semantics: which texts
are paths at all, definite paths (one value, or an error when nothing is there) against indefinite
ones (a list), filters with Jayway's operators and comparisons, deep scan order, slices, unions of
names, and Jayway's functions. Differences from other JSONPath dialects are Jayway's, kept on purpose
(see :mod:`.compiler`). No I/O, no library: the Step Functions rules (roots ``$$`` and ``$name``,
Reference Paths, the errors each field reports) are in :mod:`sfnlocal.language.paths`.

>>> doc = {"items": [{"sku": "A", "tags": ["x"]}, {"sku": "B", "tags": []}]}
>>> compile_jsonpath("$.items[?(@.tags.length() > 0)].sku").read(doc)
['A']
>>> compile_jsonpath("$.items[1].sku").read(doc)
'B'
"""

from sfnlocal.language.jsonpath.compiler import compile_jsonpath
from sfnlocal.language.jsonpath.errors import EvaluationFailure, InvalidPath, PathNotFound, UnreadablePath
from sfnlocal.language.jsonpath.path import JsonPath

__all__ = [
    "EvaluationFailure",
    "InvalidPath",
    "JsonPath",
    "PathNotFound",
    "UnreadablePath",
    "compile_jsonpath",
]
