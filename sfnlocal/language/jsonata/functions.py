"""The functions Step Functions adds to JSONata, and the built-ins it changes.

Added (AWS's "JSONata functions provided by Step Functions"): ``$partition(array, size)``,
``$range(start, end, step)``, ``$hash(data, algorithm)``, ``$random([seed])``, ``$uuid()`` and
``$parse(json)``. Changed: ``$now()`` and ``$millis()`` read the execution's virtual clock (the
library's own read the wall clock, and a stale one once expressions are cached), and ``$eval`` is
not available: calling it is ``T1006``, as calling any name that is not a function. And
``$string`` writes numbers as JavaScript does, and ``$clone`` copies through that text
(:mod:`sfnlocal.language.jsonata.jsstring`). All of these are bound in a frame of sfnlocal's own,
above the library's built-ins, which stay as they are for any other user of the library.

Built-ins fixed where jsonata-python answers otherwise than JSONata (jsonata-js 2.0.6, which AWS
documents): an argument that is JSON ``null`` is ``null`` to a function's signature, not undefined
(``$count(null)`` is 1; ``$abs(null)`` fails T0410), so every built-in is bound again with
:class:`_AwsSignature`; ``$power`` fails D3061 where its result is no finite number, ``$number``
fails D3030 and ``$toMillis`` D3110 on text they cannot read (the library raises bare Python errors).
``$pad``, ``$replace`` and ``$join`` refuse beforehand a text longer than an evaluation may make
(:mod:`sfnlocal.language.jsonata.bounds`), which the library would make in full first; ``$distinct``
takes linear time where the library's takes quadratic time (and reads ``true`` as ``1``).

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
import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, NoReturn

from sfnlocal.language.intrinsics.hashing import ALGORITHMS
from sfnlocal.language.intrinsics.identifiers import uuid4
from sfnlocal.language.jsonata.bindings import Bindings
from sfnlocal.language.jsonata.bounds import ITEMS_PER_UNIT, MAX_LENGTH, spend, too_long
from sfnlocal.language.jsonata.failures import FunctionProblem
from sfnlocal.language.jsonata.jsstring import jsonata_clone, jsonata_string
from sfnlocal.language.jsonata.library import Functions, JException, Jsonata, Signature, Utils
from sfnlocal.language.jsonata.values import to_engine
from sfnlocal.language.jsontext import not_a_json_constant

# The longest $range AWS builds; one more item fails (measured on AWS by the floci project).
MAX_RANGE_ITEMS = 360_145


# The Bindings of the evaluation in progress, for the functions that read the clock or the dice. A
# context variable, not a global: each thread (and each asyncio task) sees its own evaluation's.
EVALUATING: ContextVar[Bindings] = ContextVar("sfnlocal_jsonata_evaluating")


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

    With a seed, the number is the first ``nextDouble()`` of Java's ``java.util.Random`` seeded with
    it (truncated toward zero), as on AWS: ``$random(42)`` is 0.7275636800328681 there (quoted from
    AWS in floci-io/floci#2662). Without one, it comes from the execution's random source, so a run
    is reproducible.

    >>> import random
    >>> random_(42), random_(42.9), random_(-1)
    (0.7275636800328681, 0.7275636800328681, 0.26894263088050496)
    >>> _ = EVALUATING.set(Bindings({}, {}, 0.0, random.Random(0)))
    >>> random_(None)
    0.8444218515250481
    """
    if seed is None:
        return EVALUATING.get().rng.random()
    return _JavaRandom(math.trunc(seed)).next_double()


class _JavaRandom:
    """``java.util.Random``: a 48-bit linear congruential generator (its algorithm is specified in its Javadoc)."""

    _MULTIPLIER, _INCREMENT, _MASK = 0x5DEECE66D, 0xB, (1 << 48) - 1

    def __init__(self, seed: int) -> None:
        self._seed = (seed ^ self._MULTIPLIER) & self._MASK

    def _next(self, bits: int) -> int:
        self._seed = (self._seed * self._MULTIPLIER + self._INCREMENT) & self._MASK
        return self._seed >> (48 - bits)

    def next_double(self) -> float:
        return ((self._next(26) << 27) + self._next(27)) * 2.0**-53


def uuid() -> str:
    """``$uuid()``: a version 4 UUID from the execution's random source.

    >>> import random
    >>> _ = EVALUATING.set(Bindings({}, {}, 0.0, random.Random(0)))
    >>> uuid()
    'e3e70682-c209-4cac-a29f-6fbed82c07cd'
    """
    return uuid4([], EVALUATING.get().rng)


def shuffle(values: list[Any] | None) -> list[Any] | None:
    """``$shuffle(array)``: the array's items in a random order from the execution's random source, so that
    a run is reproducible (the library's shuffles with the process's random generator).

    >>> import random
    >>> _ = EVALUATING.set(Bindings({}, {}, 0.0, random.Random(0)))
    >>> shuffle([1, 2, 3, 4, 5]), shuffle(None), shuffle([7])
    ([3, 2, 1, 5, 4], None, [7])
    """
    if values is None or len(values) <= 1:
        return values
    shuffled = list(values)
    EVALUATING.get().rng.shuffle(shuffled)
    return shuffled


def parse(text: str | None) -> Any:
    """``$parse(json)``: the value a JSON text stands for (AWS's replacement for ``$eval``).

    >>> parse('{"a": [1, null]}'), parse("-0")
    ({'a': [1, null]}, 0)
    """
    if text is None:
        return None
    try:
        return to_engine(json.loads(text, parse_constant=not_a_json_constant))
    except ValueError as err:
        raise FunctionProblem(f"The argument of $parse is not valid JSON: {err}") from None


def now(picture: str | None, timezone: str | None) -> str | None:
    """``$now([picture[, timezone]])``: the execution's clock as ISO 8601 text (or as the picture says).

    >>> import random
    >>> _ = EVALUATING.set(Bindings({}, {}, 1_700_000_000.5, random.Random(0)))
    >>> now(None, None), now("[H01]:[m01]", "-0100")
    ('2023-11-14T22:13:20.500Z', '21:13')
    """
    return Functions.datetime_from_millis(EVALUATING.get().now_millis, picture, timezone)


def millis() -> int:
    """``$millis()``: the execution's clock in milliseconds since the epoch.

    >>> import random
    >>> _ = EVALUATING.set(Bindings({}, {}, 1.25, random.Random(0)))
    >>> millis()
    1250
    """
    return EVALUATING.get().now_millis


def power(base: float | None, exponent: float) -> float | None:
    """``$power(base, exponent)``; D3061 where the result is no finite number, as in JSONata.

    >>> power(2, 10), power(None, 2)
    (1024.0, None)
    >>> power(-8, 1 / 3)
    Traceback (most recent call last):
    ...
    jsonata.jexception.JException: The power Object has resulted in a value that cannot be represented ...
    """
    if base is None:
        return None
    try:
        result = math.pow(base, exponent)
    except (OverflowError, ValueError):  # too large, or no real number (a negative base, a fractional exponent)
        result = math.nan
    if not math.isfinite(result):
        raise JException("D3061", -1, base, exponent)
    return result


def pad(text: str | None, width: float | None, char: str | None) -> str | None:
    """``$pad(string, width[, char])``: the library's, refusing a width beyond the bound on a value's length.

    >>> pad("ab", 4, None), pad("ab", -4, "#")
    ('ab  ', '##ab')
    >>> pad("", 1e9, None)
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonata.bounds.BoundExceeded: D1012: The evaluation made a string of 1000000000 items ...
    """
    if width is not None and abs(width) > MAX_LENGTH:
        raise too_long("a string", math.trunc(abs(width)))
    return Functions.pad(text, width, char)


def replace(text: str | None, pattern: Any, replacement: Any, limit: float | None) -> str | None:
    """``$replace(str, pattern, replacement[, limit])``: the library's, refusing beforehand a result beyond the bound.

    A regular expression's replacements are counted as they are made (:mod:`sfnlocal.language.jsonata.regex`);
    a string pattern's result is measured here, before the library makes it.

    >>> replace("abcb", "b", "X", None), replace("abcb", "b", "X", 1)
    ('aXcX', 'aXcb')
    >>> replace("b" * 10, "b", "x" * 2_000_000, None)
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonata.bounds.BoundExceeded: D1012: The evaluation made a string of 20000000 items ...
    """
    if isinstance(text, str) and isinstance(pattern, str) and pattern and isinstance(replacement, str):
        matches = text.count(pattern)
        if limit is not None:
            matches = min(matches, max(0, math.trunc(limit)))
        length = len(text) + matches * (len(replacement) - len(pattern))
        if length > MAX_LENGTH:
            raise too_long("a string", length)
    return Functions.replace(text, pattern, replacement, limit)


def join(strings: list[str] | str | None, separator: str | None) -> str | None:
    """``$join(array[, separator])``: the library's, refusing beforehand a result beyond the bound.

    >>> join(["a", "b"], "-"), join(["a", "b"], None)
    ('a-b', 'ab')
    >>> join(["x" * 6_000_000] * 2, None)
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonata.bounds.BoundExceeded: D1012: The evaluation made a string of 12000000 items ...
    """
    if isinstance(strings, list):
        length = sum(map(len, strings)) + max(len(strings) - 1, 0) * len(separator or "")
        if length > MAX_LENGTH:
            raise too_long("a string", length)
    return Functions.join(strings, separator)


def distinct(values: Any) -> Any:
    """``$distinct(array)``: the array without its repeated values, the first of each kept, in order.

    Values compare as JSONata's ``=`` compares them (deeply; ``true`` is not ``1``), in time linear in
    the values' size, counted against the evaluation's work; the library compares each value with
    every one kept, in quadratic time, and takes ``true`` for ``1``.

    >>> distinct([1, True, 1.0, "1", {"a": [1]}, {"a": [1.0]}, None, Utils.NULL_VALUE])
    [1, True, '1', {'a': [1]}, None]
    """
    if not isinstance(values, list) or len(values) <= 1:
        return values
    kept = Utils.create_sequence() if Utils.is_sequence(values) else []  # as it came: a sequence or an array
    seen: set[Any] = set()
    for value in values:
        key = _equality_key(value)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def _equality_key(value: Any) -> Any:
    """A hashable key that two values share exactly when JSONata's ``=`` finds them equal."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", float(value))
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, list):
        spend(1 + len(value) // ITEMS_PER_UNIT)
        return ("a", tuple(_equality_key(item) for item in value))
    if isinstance(value, dict):
        spend(1 + len(value) // ITEMS_PER_UNIT)
        return ("o", frozenset((key, _equality_key(member)) for key, member in value.items()))
    return ("l",) if value is None or value is Utils.NULL_VALUE else ("f", id(value))  # null, or a function


# The text JSONata's $number reads as a decimal number (a JSON number, leading zeros allowed), and as an
# integer in hexadecimal, octal or binary.
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?")
_BASED = re.compile(r"0([xX][0-9A-Fa-f]+|[oO][0-7]+|[bB][01]+)")


def number(value: Any) -> int | float | None:
    """``$number(value)``: a number, its boolean as 1 or 0, or the number its text stands for; D3030 otherwise.

    >>> number("-1.5e2"), number("0x1F"), number(True), number(None)
    (-150.0, 31, 1, None)
    >>> number(" 1")
    Traceback (most recent call last):
    ...
    jsonata.jexception.JException: Unable to cast value to a number:  1
    """
    if value is None or isinstance(value, int | float):
        return int(value) if isinstance(value, bool) else value
    if isinstance(value, str):
        if _DECIMAL.fullmatch(value) and math.isfinite(float(value)):
            return float(value)
        if _BASED.fullmatch(value):
            return int(value, 0)
    raise JException("D3030", -1, value)


def to_millis(timestamp: str | None, picture: str | None) -> int | None:
    """``$toMillis(timestamp[, picture])``: the library's, with D3110 for text that is no ISO 8601 timestamp.

    >>> to_millis("1970-01-01T00:00:01.5Z", None)
    1500
    >>> to_millis("foo", None)
    Traceback (most recent call last):
    ...
    jsonata.jexception.JException: The argument of the toMillis Object must be an ISO 8601 formatted timestamp. ...
    """
    try:
        return Functions.datetime_to_millis(timestamp, picture)
    except ValueError:
        raise JException("D3110", -1, timestamp) from None


# name: (JSONata signature, implementation)
_FUNCTIONS: dict[str, tuple[str, Callable[..., Any]]] = {
    "partition": ("<an:a>", partition),
    "range": ("<nnn?:a>", range_),
    "hash": ("<ss?:s>", hash_),
    "random": ("<n?:n>", random_),
    "uuid": ("<:s>", uuid),
    "shuffle": ("<a:a>", shuffle),
    "parse": ("<s:x>", parse),
    "now": ("<s?s?:s>", now),
    "millis": ("<:n>", millis),
    "string": ("<x-b?:s>", jsonata_string),
    "power": ("<n-n:n>", power),
    "number": ("<(nsb)-:n>", number),
    "toMillis": ("<s-s?:n>", to_millis),
    "pad": ("<s-ns?:s>", pad),
    "replace": ("<s-(sf)(sf)n?:s>", replace),
    "join": ("<a<s>s?:s>", join),
    "distinct": ("<x:x>", distinct),
}


# A signature's letter for each plain JSON type (subclasses, such as the engine's sequences, are the library's).
_SYMBOLS = {str: "s", bool: "b", int: "n", float: "n", list: "a", dict: "o"}


class _AwsSignature(Signature):
    """A function signature that sees JSON ``null`` as null (``l``), as JSONata does, not as undefined.

    The library's own signatures read the engine's null as undefined, so ``$count(null)`` is 0 there
    and 1 in JSONata, and ``$abs(null)`` runs into a Python error where JSONata fails T0410.
    """

    def get_symbol(self, value: Any) -> str:
        symbol = _SYMBOLS.get(type(value))  # the plain JSON types first: this runs for every item of an array
        if symbol is not None:
            return symbol
        return "l" if value is Utils.NULL_VALUE else super().get_symbol(value)

    def throw_validation_error(self, bad_args: Any, bad_sig: str, function_name: str | None) -> NoReturn:
        """T0410 naming the first argument the signature refuses.

        JSONata matches each longer prefix of the signature at the start of the arguments' types; the
        library matches it against all of them, so it names argument 1 of ``$count([1], 2)``, not 2.
        """
        good_to = 0
        pattern = ""
        for param in self._params:
            pattern += param.regex
            match = re.match(pattern, bad_sig)
            if match is None:
                break
            good_to = match.end()
        raise JException("T0410", -1, good_to + 1, function_name)

    def validate(self, args: Any, context: Any) -> Any:
        try:
            return super().validate(args, context)
        except JException as err:
            if err.error == "T0411":  # the library leaves the function's name out; JSONata's message has it
                raise JException("T0411", -1, err.current, err.expected, self.function_name) from None
            raise


def _with_aws_signature(function: Jsonata.JFunction) -> Jsonata.JFunction:
    """A copy of a bound function whose signature is an :class:`_AwsSignature` (the library's object unchanged).

    Copied attribute by attribute: ``copy.copy`` would leave a ``__slotnames__`` cache on the library's classes.
    """
    signature = object.__new__(_AwsSignature)
    signature.__dict__.update(vars(function.signature))
    copied = object.__new__(type(function))
    copied.__dict__.update(vars(function), signature=signature)
    return copied


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
    >>> type(frame.lookup("count").signature).__name__, type(Jsonata.static_frame.lookup("count").signature).__name__
    ('_AwsSignature', 'Signature')
    """
    frame = Jsonata.Frame(parent)
    for name, builtin in parent.bindings.items():
        if getattr(builtin, "signature", None) is not None:
            frame.bind(name, _with_aws_signature(builtin))
    for name, (signature, implementation) in _FUNCTIONS.items():
        frame.bind(name, _with_aws_signature(Jsonata.JFunction(_Native(implementation), signature)))
    frame.bind("clone", _with_aws_signature(Jsonata.function("clone", "<(oa)-:o>", _LibraryCalled, "clone")))
    frame.bind("eval", None)  # a bound None reads as undefined, so a call is T1006 like any non-function
    return frame
