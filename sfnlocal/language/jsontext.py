"""JSON text as AWS writes payloads: in history events, in causes, in intrinsic results."""

from __future__ import annotations

import json
import marshal
import math
import re
import reprlib
from typing import Any, NoReturn

# AWS's limit on a state's input, output and a task's result, in UTF-8 bytes of JSON.
MAX_PAYLOAD_BYTES = 262_144
_SURROGATE = re.compile("[\ud800-\udfff]")


def not_a_json_constant(name: str) -> NoReturn:
    """``json.loads``'s ``parse_constant``: Python reads NaN, Infinity and -Infinity; JSON (and AWS) does not.

    >>> json.loads("[NaN]", parse_constant=not_a_json_constant)
    Traceback (most recent call last):
    ...
    ValueError: NaN is not JSON
    """
    raise ValueError(f"{name} is not JSON")


def compact_json(value: Any) -> str:
    """JSON text without spaces, non-ASCII characters kept, as AWS writes it.

    >>> compact_json({"a": [1, "é"], "b": None})
    '{"a":[1,"é"],"b":null}'
    """
    if _C_ENCODE is None:  # a Python without the json module's C speedups
        return _COMPACT.encode(value)
    # The C encoder itself, made once, without JSONEncoder's Python layers around it (this runs for every
    # output of every state). It keeps no markers: a value that holds itself, which no JSON text makes,
    # raises RecursionError rather than ValueError.
    return "".join(_C_ENCODE(value, 0))


# One encoder for every compact_json call: json.dumps would build a new one each time.
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
_MAKE_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)  # (not in the json module's type stubs)
_C_ENCODE = (
    None
    if _MAKE_C_ENCODER is None
    else _MAKE_C_ENCODER(None, _COMPACT.default, json.encoder.encode_basestring, None, ":", ",", False, False, False)
)


class InvalidJsonValue(TypeError):
    """A value of JSON's types that JSON text cannot hold: NaN or Infinity (JSON has no such numbers), or a
    string that is not Unicode text (a lone surrogate such as ``"\\ud800"``, which UTF-8 cannot encode).
    A ``TypeError`` like every value :func:`json_copy` refuses; its own class lets a Task tell such a result
    (which a real Lambda function can produce) from a Python object no AWS service returns."""


def json_copy(value: Any, what: str) -> Any:
    """A deep copy through JSON text: detached from the caller's objects, with JSON's types only (a tuple
    becomes a list). A value JSON cannot hold raises a ``TypeError`` naming ``what`` and where in the value
    the problem is (:class:`InvalidJsonValue` for NaN, Infinity and lone surrogates). With its size:
    :func:`measured_json_copy`.

    >>> json_copy({"pair": (1, "a")}, "the input")
    {'pair': [1, 'a']}
    >>> json_copy({"ids": {1, 2}}, "the input")
    Traceback (most recent call last):
    ...
    TypeError: the input must be a JSON value, but $.ids is {1, 2}, a set
    >>> json_copy({"ratio": [float("nan")]}, "the input")
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsontext.InvalidJsonValue: the input must be valid JSON, but $.ratio[0] is nan: JSON has \
no NaN or Infinity
    """
    return measured_json_copy(value, what)[0]


# A payload's measure, or bounds on it: the UTF-8 bytes of its compact JSON (what AWS's payload limit counts), and a
# bound on its depth: the "[" and "{" characters in that text (at least as many as its arrays and objects), or
# json_checks.MAX_DEPTH once a walk showed it no deeper. An execution carries one along with each payload it knows
# one for, so as not to measure the payload again.
PayloadBound = tuple[int, int]
EMPTY_OBJECT_BOUND: PayloadBound = (2, 1)  # the measure of {}


def text_bound(text: str) -> PayloadBound:
    """The measure of a payload whose compact JSON is ``text``.

    >>> text_bound('{"a":["é"]}')
    (12, 2)
    """
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    return size, text.count("[") + text.count("{")


def measured_json_copy(value: Any, what: str) -> tuple[Any, int]:
    """:func:`json_copy`'s copy, and the size of its compact JSON in UTF-8 bytes (as AWS counts a payload), read
    off the text the copy was made from.

    >>> measured_json_copy({"a": ["é"]}, "the result")
    ({'a': ['é']}, 12)
    """
    copied, bound = bounded_json_copy(value, what)
    return copied, bound[0]


def bounded_json_copy(value: Any, what: str) -> tuple[Any, PayloadBound]:
    """:func:`json_copy`'s copy, and its measure (see :data:`PayloadBound`).

    >>> bounded_json_copy({"a": [[1]]}, "the result")
    ({'a': [[1]]}, (11, 3))
    """
    try:
        try:
            text = compact_json(value)
        except RecursionError:  # compact_json keeps no markers: the encoder that does tells a cycle from depth
            text = _COMPACT.encode(value)
        size = len(text) if text.isascii() else len(text.encode("utf-8"))  # encoding refuses lone surrogates
    except (TypeError, ValueError) as err:  # ValueError: NaN/Infinity, a lone surrogate, a circular reference
        raise json_refusal(value, what, err) from None
    except RecursionError:  # nested deeper than Python's encoder goes: far past what an execution holds
        from sfnlocal.language.json_checks import MAX_DEPTH  # json_checks reads this module's compact_json

        raise InvalidJsonValue(
            f"{what} is nested more than {MAX_DEPTH} arrays and objects deep, deeper than sfnlocal can hold"
        ) from None
    return read_encoded_json(text), (size, text.count("[") + text.count("{"))


# The C scanner json.loads ends in, made once: the text read here is a JSON encoder's own (one value, no white space
# around it), so json.loads's checks around it would find nothing.
_READ_JSON_AT = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # (not in the json module's type stubs)


def read_encoded_json(text: str) -> Any:
    """The value of JSON text that Python's JSON encoder wrote (with any separators): what ``json.loads`` reads.

    >>> read_encoded_json('{"a": [1, "é", null]}')
    {'a': [1, 'é', None]}
    """
    return _READ_JSON_AT(text, 0)[0]


def json_refusal(value: Any, what: str, err: Exception) -> TypeError:
    """The error :func:`json_copy` raises for ``value`` (``err`` is the encoder's), naming the first part of it
    JSON cannot hold.

    >>> str(json_refusal({"a": float("inf")}, "the output", ValueError()))
    'the output must be valid JSON, but $.a is inf: JSON has no NaN or Infinity'
    """
    found = _first_invalid(value)
    if found is None:  # nothing wrong but the shape: a container that holds itself
        return TypeError(f"{what} must be a JSON value, not {reprlib.repr(value)}: {err}")
    where, part = found
    if isinstance(part, float):
        return InvalidJsonValue(f"{what} must be valid JSON, but {where} is {part!r}: JSON has no NaN or Infinity")
    if isinstance(part, str):
        return InvalidJsonValue(
            f"{what} must be valid JSON, but {where} is {reprlib.repr(part)}, which holds a lone surrogate "
            "(not Unicode text)"
        )
    return TypeError(f"{what} must be a JSON value, but {where} is {reprlib.repr(part)}, a {type(part).__name__}")


def _first_invalid(value: Any) -> tuple[str, Any] | None:
    """``(path, part)`` of the first part of ``value`` (a key or a value) JSON text cannot hold, or None."""
    pending: list[tuple[str, Any]] = [("$", value)]
    seen: set[int] = set()
    while pending:
        where, node = pending.pop()
        if isinstance(node, (dict, list, tuple)):
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, dict):
                for key in node:
                    if not _is_json(key, (str, int, float, bool)):
                        return f"the key {reprlib.repr(key)} of {where}", key
                children = [(_step(where, key), child) for key, child in node.items()]
            else:
                children = [(f"{where}[{index}]", child) for index, child in enumerate(node)]
            pending.extend(reversed(children))
        elif not _is_json(node, (str, int, float, bool, type(None))):
            return where, node
    return None


def _is_json(part: Any, types: tuple[type, ...]) -> bool:
    if not isinstance(part, types):
        return False
    if isinstance(part, float):
        return math.isfinite(part)
    return not isinstance(part, str) or lone_surrogate(part) is None


def _step(where: str, key: Any) -> str:
    text = str(key)
    return f"{where}.{text}" if text.isidentifier() else f"{where}[{json.dumps(text, ensure_ascii=False)}]"


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in ``text`` (a code point UTF-8 cannot encode, which JSON text read by Python can
    hold: ``"\\ud800"``), or None.

    >>> lone_surrogate("abc") is None, lone_surrogate("a\\ud800") == "\\ud800"
    (True, True)
    """
    found = None if text.isascii() else _SURROGATE.search(text)
    return None if found is None else found.group()


def escape_lone_surrogates(text: str) -> str:
    """``text`` with each surrogate code point written as its JSON escape, so that it is Unicode text (UTF-8 can
    encode it) and, inside JSON text, still means what it did (Python's json writes them so).

    >>> escape_lone_surrogates("ok"), escape_lone_surrogates("bad \\ud800 end")
    ('ok', 'bad \\\\ud800 end')
    """
    if lone_surrogate(text) is None:
        return text
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def detached_copy(value: Any) -> Any:
    """A deep copy of a payload the execution holds, to hand out: nobody else holds any of its containers.

    Unlike :func:`json_copy` it checks nothing (what an execution holds was checked when it came in). A part the
    value holds twice is copied twice, so no two places of the copy are one object either.

    >>> shared = [1]
    >>> payload = {"a": shared, "b": shared}
    >>> copy = detached_copy(payload)
    >>> copy == payload, copy["a"] is shared, copy["a"] is copy["b"]
    (True, False, False)
    """
    if not isinstance(value, (dict, list)):
        return value
    try:
        # marshal's version 2 writes no back-references (so shared parts come back apart), in C: 2-3 times faster
        # than a copy in Python for payloads of a few kilobytes and more.
        return marshal.loads(marshal.dumps(value, 2))
    except ValueError:  # nested deeper than marshal goes (about 2,000 levels)
        return _copy_iteratively(value)


def _copy_iteratively(value: dict[str, Any] | list[Any]) -> Any:
    """:func:`detached_copy` without recursion, for a value of any depth.

    >>> deep = [[[1]]]
    >>> _copy_iteratively(deep) == deep, _copy_iteratively(deep)[0] is deep[0]
    (True, False)
    """
    top: list[Any] = [None]
    pending: list[tuple[Any, Any, Any]] = [(top, 0, value)]  # (where the copy goes, under which key, the original)
    while pending:
        parent, key, node = pending.pop()
        copy = dict(node) if isinstance(node, dict) else list(node)
        parent[key] = copy
        for part_key, part in copy.items() if isinstance(copy, dict) else enumerate(copy):
            if isinstance(part, (dict, list)):
                pending.append((copy, part_key, part))
    return top[0]


def json_type_name(value: Any) -> str:
    """JSON's name for a value's type, as AWS words type errors; a value JSON cannot hold (a date read from
    YAML, say) is named by its Python type.

    >>> [json_type_name(v) for v in (None, True, 1, 1.5, "s", [], {}, {1})]
    ['null', 'boolean', 'number', 'number', 'string', 'array', 'object', 'set']
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__
