"""The functions Step Functions adds to JSONata, and the built-ins it changes.

Added (AWS's "JSONata functions provided by Step Functions"): ``$partition(array, size)``,
``$range(start, end, step)``, ``$hash(data, algorithm)``, ``$random([seed])``, ``$uuid()`` and
``$parse(json)``. Changed: ``$now()`` and ``$millis()`` read the execution's virtual clock (the
library's own read the wall clock, and a stale one once expressions are cached), and ``$eval`` is
not available: calling it is ``T1006``, as calling any name that is not a function. And
``$string`` writes numbers as JavaScript does, and ``$clone`` copies through that text
(:mod:`sfnlocal.language.jsonata.jsstring`). All of these are bound in a frame of sfnlocal's own,
above the library's built-ins, which stay as they are for any other user of the library.

Behaviour AWS shows beyond its documentation (as recorded by executions on AWS and by other
emulators that measured it): a non-integer argument is truncated toward zero; a chunk size below
1, an empty array, a missing step or a step going away from ``end``, and a missing algorithm give
undefined rather than an error; ``$range`` collapses a single value to that value, as a JSONata
sequence does (the corpus case ``$range(1, 9, 9)`` returned ``1``).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Callable
from typing import Any

from jsonata import Functions, Jsonata, Utils

from sfnlocal.language.intrinsics.hashing import ALGORITHMS
from sfnlocal.language.intrinsics.identifiers import uuid4
from sfnlocal.language.jsonata.bindings import Bindings
from sfnlocal.language.jsonata.failures import FunctionProblem
from sfnlocal.language.jsonata.jsstring import jsonata_clone, jsonata_string
from sfnlocal.language.jsonata.values import to_engine

# The longest $range AWS builds; one more item fails (measured on AWS by the floci project).
MAX_RANGE_ITEMS = 360_145


class Session:
    """The bindings of the evaluation in progress, for the functions that read the clock or the dice.

    Evaluations run one at a time on one thread and never nest (there is no ``$eval``).
    """

    bindings: Bindings


SESSION = Session()


def partition(array: list[Any] | None, size: float | None) -> list[list[Any]] | None:
    """``$partition(array, size)``: consecutive chunks of ``size`` items; the last may be shorter.

    >>> partition([1, 2, 3, 4, 5], 2), partition([1, 2], 2.9), partition([1], 0), partition([], 2)
    ([[1, 2], [3, 4], [5]], [[1, 2]], None, None)
    """
    if not array or size is None or math.trunc(size) < 1:
        return None
    step = math.trunc(size)
    return [array[start : start + step] for start in range(0, len(array), step)]


def range_(start: float | None, end: float | None, step: float | None) -> list[int] | None:
    """``$range(start, end, step)``: ``start``, ``start + step``, ... up to ``end`` inclusive, as a sequence.

    >>> range_(0, 10, 2), range_(0, 10, 3), range_(3, 1, -1), range_(1, 9, 9), range_(0, 5, -1)
    ([0, 2, 4, 6, 8, 10], [0, 3, 6, 9], [3, 2, 1], [1], None)
    """
    if start is None or end is None or step is None:
        return None
    first, last, delta = math.trunc(start), math.trunc(end), math.trunc(step)
    if delta == 0 or (last - first) * delta < 0:
        return None
    count = (last - first) // delta + 1
    if count > MAX_RANGE_ITEMS:
        raise FunctionProblem(f"$range would build {count} items, more than the {MAX_RANGE_ITEMS} AWS allows")
    return Utils.create_sequence_from_iter(range(first, first + count * delta, delta))


def hash_(data: str | None, algorithm: str | None) -> str | None:
    """``$hash(data, algorithm)``: the hex digest of the UTF-8 text, for MD5, SHA-1, SHA-256, SHA-384 or SHA-512.

    >>> hash_("input data", "SHA-1"), hash_("input data", None)
    ('aaff4a450a104cd177d28d18d74485e8cae074b7', None)
    """
    if data is None or algorithm is None:
        return None
    if algorithm not in ALGORITHMS:
        raise FunctionProblem(
            f"The hashing algorithm of $hash must be one of {', '.join(ALGORITHMS)}, not {json.dumps(algorithm)}"
        )
    return hashlib.new(ALGORITHMS[algorithm], data.encode("utf-8", errors="replace")).hexdigest()


def random_(seed: float | None) -> float:
    """``$random([seed])``: a number in [0, 1); the same seed gives the same number.

    Without a seed the number comes from the execution's random source, so a run is reproducible.

    >>> random_(7) == random_(7.9), 0 <= random_(7) < 1
    (True, True)
    >>> SESSION.bindings = Bindings({}, {}, 0.0, random.Random(0))
    >>> random_(None)
    0.8444218515250481
    """
    source = SESSION.bindings.rng if seed is None else random.Random(math.trunc(seed))
    return source.random()


def uuid() -> str:
    """``$uuid()``: a version 4 UUID from the execution's random source.

    >>> SESSION.bindings = Bindings({}, {}, 0.0, random.Random(0))
    >>> uuid()
    'e3e70682-c209-4cac-a29f-6fbed82c07cd'
    """
    return uuid4([], SESSION.bindings.rng)


def parse(text: str | None) -> Any:
    """``$parse(json)``: the value a JSON text stands for (AWS's replacement for ``$eval``).

    >>> parse('{"a": [1, null]}'), parse("-0")
    ({'a': [1, null]}, 0)
    """
    if text is None:
        return None
    try:
        return to_engine(json.loads(text, parse_constant=_reject_constant))
    except ValueError as err:
        raise FunctionProblem(f"The argument of $parse is not valid JSON: {err}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def now(picture: str | None, timezone: str | None) -> str | None:
    """``$now([picture[, timezone]])``: the execution's clock as ISO 8601 text (or as the picture says).

    >>> SESSION.bindings = Bindings({}, {}, 1_700_000_000.5, random.Random(0))
    >>> now(None, None), now("[H01]:[m01]", "-0100")
    ('2023-11-14T22:13:20.500Z', '21:13')
    """
    return Functions.datetime_from_millis(SESSION.bindings.now_millis, picture, timezone)


def millis() -> int:
    """``$millis()``: the execution's clock in milliseconds since the epoch.

    >>> SESSION.bindings = Bindings({}, {}, 1.25, random.Random(0))
    >>> millis()
    1250
    """
    return SESSION.bindings.now_millis


# name: (JSONata signature, implementation)
_FUNCTIONS: dict[str, tuple[str, Callable[..., Any]]] = {
    "partition": ("<an:a>", partition),
    "range": ("<nnn?:a>", range_),
    "hash": ("<ss?:s>", hash_),
    "random": ("<n?:n>", random_),
    "uuid": ("<:s>", uuid),
    "parse": ("<s:x>", parse),
    "now": ("<s?s?:s>", now),
    "millis": ("<:n>", millis),
    "string": ("<x-b?:s>", jsonata_string),
}


class _Native(Jsonata.JFunctionCallable):
    """A Python function as the engine calls it: ``call(context, arguments)``."""

    def __init__(self, implementation: Callable[..., Any]) -> None:
        self._implementation = implementation

    def call(self, input: Any, args: Any) -> Any:
        return self._implementation(*args)


class _LibraryCalled:
    """Implementations called the way the library calls its own built-ins (missing arguments as None).

    ``$clone`` replaces the library's ``$clone``, whose copy goes through the library's ``Functions.string``.
    """

    clone = staticmethod(jsonata_clone)


def aws_frame(parent: Jsonata.Frame) -> Jsonata.Frame:
    """A frame under ``parent`` (the library's built-ins) binding AWS's functions and hiding ``$eval``.

    >>> frame = aws_frame(Jsonata.static_frame)
    >>> frame.lookup("eval") is None, frame.lookup("partition").signature is not None
    (True, True)
    >>> frame.lookup("clone") is not Jsonata.static_frame.lookup("clone")
    True
    """
    frame = Jsonata.Frame(parent)
    for name, (signature, implementation) in _FUNCTIONS.items():
        frame.bind(name, Jsonata.JFunction(_Native(implementation), signature))
    frame.bind("clone", Jsonata.function("clone", "<(oa)-:o>", _LibraryCalled, "clone"))
    frame.bind("eval", None)  # a bound None reads as undefined, so a call is T1006 like any non-function
    return frame
