"""How deep a JSON value an execution holds may be nested, and checking it without recursion.

A payload nested more than :data:`MAX_DEPTH` arrays and objects deep is refused: the execution input at
``execute()``, a state's output or an assigned variable during a run (see ``interpreter/visit.py``). The
bound is sfnlocal's own (AWS documents none): Python's JSON encoder and decoder recurse once per level, so
a value about 1,000 levels deep would exceed the interpreter's recursion limit part way through an
execution (in a copy, a size check, the history). Well below that, every part of sfnlocal handles it.
"""

from __future__ import annotations

from typing import Any

from sfnlocal.language.errors import NESTING_LIMIT_EXCEEDED, RUNTIME, StatesError
from sfnlocal.language.jsontext import MAX_PAYLOAD_BYTES, PayloadBound, compact_json, json_refusal, text_bound

# Arrays and objects nested in one another, the outermost counting as 1 ("[[1]]" is 2 deep).
MAX_DEPTH = 256
_CONTAINERS = (dict, list, tuple)


def nested_deeper_than(value: Any, depth: int) -> bool:
    """Whether ``value`` nests arrays and objects more than ``depth`` deep, looked at one level at a time (a
    value that holds itself is deeper than any depth).

    >>> nested_deeper_than({"a": [1, {"b": []}]}, 4), nested_deeper_than({"a": [1, {"b": []}]}, 3)
    (False, True)
    """
    level = [value] if isinstance(value, _CONTAINERS) else []
    levels = 0
    while level:
        levels += 1
        if levels > depth:
            return True
        # One comprehension per level (not one per container): a wide payload has thousands of small ones.
        level = [
            member
            for container in level
            for member in (container.values() if isinstance(container, dict) else container)
            if isinstance(member, _CONTAINERS)
        ]
    return False


def payload_bytes(value: Any, state_name: str, what: str) -> int:
    """The size of a payload as AWS counts it (UTF-8 bytes of its JSON text), after refusing one nested deeper
    than :data:`MAX_DEPTH` with ``sfnlocal.NestingLimitExceeded`` (``what`` the state did with it, for the cause).

    >>> payload_bytes({"a": "é"}, "P", "returned a result")
    10
    >>> payload_bytes([[[]]], "P", "returned a result")
    6
    >>> payload_bytes({"n": float("inf")}, "P", "returned a result")
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.StatesError: States.Runtime: The state/task 'P' returned a result that JSON cannot ...
    """
    return payload_measure(value, state_name, what)[0]


def payload_measure(value: Any, state_name: str, what: str) -> PayloadBound:
    """The payload's measure (:data:`~sfnlocal.language.jsontext.PayloadBound`), refusing it as
    :func:`payload_bytes` does.

    >>> payload_measure({"a": [1, {"b": "é"}]}, "P", "returned a result")
    (20, 3)
    >>> payload_measure([{}] * 300, "P", "returned a result")  # wide, not deep: its depth bound is MAX_DEPTH
    (901, 256)
    """
    try:
        text = compact_json(value)
    except RecursionError:  # deeper than Python's encoder goes, so well past MAX_DEPTH
        text = None
    except ValueError as err:  # NaN or Infinity, e.g. States.StringToJson('1e400'): a number too big for a double
        raise StatesError(
            RUNTIME,
            f"The state/task '{state_name}' {what} that JSON cannot hold: {json_refusal(value, 'the value', err)}",
        ) from None
    bound = None if text is None else within_depth(value, text_bound(text))
    if bound is None:
        raise StatesError(
            NESTING_LIMIT_EXCEEDED,
            f"The state/task '{state_name}' {what} nested more than {MAX_DEPTH} arrays and objects deep, "
            "deeper than sfnlocal can hold (AWS documents no such limit). Look for a state that puts its "
            "input inside itself in a loop, e.g. ResultPath '$.previous' of the whole input",
        )
    return bound


def within_depth(value: Any, measure: PayloadBound) -> PayloadBound | None:
    """The measure of ``value`` (read off its JSON text) if it nests at most :data:`MAX_DEPTH` arrays and objects
    deep, with MAX_DEPTH as its depth bound when a walk had to show it (see PayloadBound); None if it nests deeper.

    >>> within_depth([{}] * 300, (901, 301)), within_depth([[1]], (5, 2))
    ((901, 256), (5, 2))
    """
    # Counting brackets costs little and rules out almost every payload; only one with more brackets than
    # MAX_DEPTH is walked (nesting that deep needs at least as many).
    if measure[1] <= MAX_DEPTH:
        return measure
    return None if nested_deeper_than(value, MAX_DEPTH) else (measure[0], MAX_DEPTH)


def within_limits(bound: PayloadBound | None) -> bool:
    """Whether a payload with this bound (None: not known) is known to pass AWS's size limit and sfnlocal's nesting
    bound, so that it need not be measured.

    >>> within_limits((262_144, 256)), within_limits((262_145, 1)), within_limits(None)
    (True, False, False)
    """
    return bound is not None and bound[0] <= MAX_PAYLOAD_BYTES and bound[1] <= MAX_DEPTH
