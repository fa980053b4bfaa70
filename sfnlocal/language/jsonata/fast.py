"""A fast path for the simplest JSONata expressions, which most state fields are.

``$states.input.count + 1``, ``$states.input.i < $states.input.n``, ``{"id": $order.id, "n": 2}``: paths of
names from ``$states`` or a variable, literals, arithmetic, comparisons, ``and``/``or``, ``&`` on strings,
``? :``, object constructors with literal keys. :func:`compile_fast` turns such a parsed tree into Python
closures once, at load; any other tree gets None and always runs on the engine.

A closure only answers where its answer is certainly the engine's: whenever a value is not the plain
kind it expects (an array on a path, a missing member, a null operand, a number beside a string, a
non-boolean condition), it raises :class:`NotFast` and the caller evaluates the expression on the
engine instead, which then gives the result, or the error, exactly as before. Nothing here has a
side effect, so giving up part way costs only the time spent. Values are the engine's: a JSON null read
from the input is the engine's ``NULL``; the caller turns the result into plain JSON as it does the
engine's (:func:`~sfnlocal.language.jsonata.values.to_json`).

>>> import random
>>> from sfnlocal.language.jsonata.bindings import Bindings
>>> from sfnlocal.language.jsonata.library import Jsonata
>>> fast = compile_fast(Jsonata('{"i": $states.input.i + 1, "more": $states.input.i < $limit}').ast)
>>> fast(Bindings({"input": {"i": 41}}, {"limit": 50}, 0.0, random.Random(0)))
{'i': 42, 'more': True}
>>> fast(Bindings({"input": {"i": "41"}}, {"limit": 50}, 0.0, random.Random(0)))
Traceback (most recent call last):
...
sfnlocal.language.jsonata.fast.NotFast
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

from sfnlocal.language.jsonata.bindings import Bindings
from sfnlocal.language.jsonata.library import Utils

NULL = Utils.NULL_VALUE
Evaluator = Callable[[Bindings], Any]


class NotFast(Exception):
    """The fast path cannot tell this evaluation's result: evaluate it on the engine."""


_NOT_FAST = NotFast()  # one instance: raising it costs no allocation
_MAX_EXACT = 2**53  # integers the fast path turns into doubles; larger ones (even beyond a double) are the engine's


def divide(dividend: float, divisor: float) -> float:
    """JavaScript's ``/``: dividing by zero gives an infinity, or NaN for ``0/0``.

    >>> divide(7.0, 2.0), divide(-1.0, 0.0), math.isnan(divide(0.0, 0.0))
    (3.5, -inf, True)
    """
    if divisor:
        return dividend / divisor
    if not dividend:
        return math.nan
    return math.copysign(math.inf, dividend) * math.copysign(1.0, divisor)


def remainder(dividend: float, divisor: float) -> float:
    """JavaScript's ``%``: the remainder keeps its fraction and the dividend's sign; by zero it is NaN.

    >>> remainder(5.5, 2.0), remainder(-5.5, 2.0)
    (1.5, -1.5)
    """
    return math.fmod(dividend, divisor) if divisor else math.nan


# JSONata's arithmetic on JavaScript's numbers (doubles), shared with the engine's evaluator.
ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": divide,
    "%": remainder,
}
_COMPARISON: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

# Node attributes that carry no meaning for evaluation; every other one must be empty unless the node's
# kind reads it (a step with a predicate, a path that keeps singleton arrays, ... is not for the fast path).
_INERT = frozenset({"type", "value", "position", "id", "_outer_instance", "bp", "lbp", "level", "token", "errors"})


def compile_fast(node: Any) -> Evaluator | None:
    """The closure evaluating a parsed expression on the fast path, or None when it holds anything else.

    >>> from sfnlocal.language.jsonata.library import Jsonata
    >>> compile_fast(Jsonata("$states.input.a & '!'").ast) is not None, compile_fast(Jsonata("$sum([1])").ast)
    (True, None)
    """
    try:
        return _compile(node)
    except NotFast:
        return None


def _plain(node: Any, *used: str) -> None:
    """Refuse a node whose attributes other than ``used`` say anything (a predicate, a group, ...)."""
    for name, value in vars(node).items():
        if value and name not in _INERT and name not in used:
            raise _NOT_FAST


def _compile(node: Any) -> Evaluator:
    kind = getattr(node, "type", None)
    if kind == "number" or kind == "string" or (kind == "value" and isinstance(node.value, bool)):
        _plain(node)
        constant = node.value
        if kind == "number" and (isinstance(constant, bool) or not isinstance(constant, int | float)):
            raise _NOT_FAST
        return lambda bindings: constant
    if kind == "variable":
        _plain(node)
        return _root(node.value)
    if kind == "path":
        return _path(node)
    if kind == "block":
        _plain(node, "expressions")
        if len(node.expressions) != 1:
            raise _NOT_FAST
        return _compile(node.expressions[0])
    if kind == "binary":
        _plain(node, "lhs", "rhs")
        return _binary(node.value, _compile(node.lhs), _compile(node.rhs))
    if kind == "condition":
        _plain(node, "condition", "then", "_else")
        if node._else is None:
            raise _NOT_FAST
        return _choice(_compile(node.condition), _compile(node.then), _compile(node._else))
    if kind == "unary" and node.value == "{":
        _plain(node, "lhs_object")
        return _object(node.lhs_object)
    raise _NOT_FAST


def _root(name: str) -> Evaluator:
    """``$states`` or the variable ``$name``: as the engine's scope resolves them (a name no variable has,
    e.g. a function's, is the engine's to resolve)."""
    if name == "states":
        return lambda bindings: bindings.states
    if not name or name == "$":
        raise _NOT_FAST

    def variable(bindings: Bindings) -> Any:
        variables = bindings.variables
        if name not in variables:
            raise _NOT_FAST
        value = variables[name]
        if type(value) is list:
            raise _NOT_FAST
        return NULL if value is None else value

    return variable


def _path(node: Any) -> Evaluator:
    """``$root.name.name...``: each step reads a member of an object; anything else is the engine's."""
    _plain(node, "steps")
    steps = node.steps
    if not steps or getattr(steps[0], "type", None) != "variable":
        raise _NOT_FAST
    _plain(steps[0])
    names = []
    for step in steps[1:]:
        if getattr(step, "type", None) != "name":
            raise _NOT_FAST
        _plain(step)
        names.append(step.value)
    root = _root(steps[0].value)
    path = tuple(names)

    def read(bindings: Bindings) -> Any:
        value = root(bindings)
        for name in path:
            if type(value) is not dict or name not in value:  # arrays map over their items; missing: undefined
                raise _NOT_FAST
            value = value[name]
        if value is None:
            return NULL
        if type(value) is list:  # a sequence of one item is unwrapped, arrays flattened: the engine's rules
            raise _NOT_FAST
        return value

    return read


def _number(value: Any) -> float:
    """An operand of arithmetic or a comparison as a double; anything but a finite number is the engine's."""
    kind = type(value)
    if kind is int and -_MAX_EXACT <= value <= _MAX_EXACT:
        return float(value)
    if kind is float and math.isfinite(value):
        return value
    raise _NOT_FAST


def _binary(operator_text: str, lhs: Evaluator, rhs: Evaluator) -> Evaluator:
    arithmetic = ARITHMETIC.get(operator_text)
    if arithmetic is not None:

        def calculate(bindings: Bindings) -> Any:
            result = arithmetic(_number(lhs(bindings)), _number(rhs(bindings)))
            if not math.isfinite(result):
                raise _NOT_FAST
            return Utils.convert_number(result)

        return calculate
    comparison = _COMPARISON.get(operator_text)
    if comparison is not None:

        def compare(bindings: Bindings) -> bool:
            left, right = lhs(bindings), rhs(bindings)
            if type(left) is str and type(right) is str:
                return comparison(left, right)
            if type(left) is type(right) and type(left) is int:
                return comparison(left, right)  # as the engine compares two integers: exactly
            return comparison(_number(left), _number(right))

        return compare
    if operator_text in ("=", "!="):
        negate = operator_text == "!="

        def equal(bindings: Bindings) -> bool:
            left, right = _scalar(lhs(bindings)), _scalar(rhs(bindings))
            same = left == right and isinstance(left, bool) == isinstance(right, bool)
            return same is not negate

        return equal
    if operator_text in ("and", "or"):
        conjunction = operator_text == "and"

        def logic(bindings: Bindings) -> bool:
            left = lhs(bindings)
            if type(left) is not bool:
                raise _NOT_FAST
            if left is not conjunction:  # false and ..., true or ...: the right side is not evaluated
                return left
            right = rhs(bindings)
            if type(right) is not bool:
                raise _NOT_FAST
            return right

        return logic
    if operator_text == "&":

        def concatenate(bindings: Bindings) -> str:
            left, right = lhs(bindings), rhs(bindings)
            if type(left) is not str or type(right) is not str:
                raise _NOT_FAST  # numbers and the rest are written as JavaScript writes them: the engine's
            return left + right

        return concatenate
    raise _NOT_FAST


def _scalar(value: Any) -> Any:
    """An operand of ``=``/``!=`` as the engine compares it (numbers as doubles); containers are the engine's."""
    kind = type(value)
    if kind is str or kind is bool or value is NULL:
        return value
    return _number(value)


def _choice(condition: Evaluator, then: Evaluator, otherwise: Evaluator) -> Evaluator:
    def choose(bindings: Bindings) -> Any:
        chosen = condition(bindings)
        if type(chosen) is not bool:  # JSONata casts other values to a boolean: the engine's
            raise _NOT_FAST
        return then(bindings) if chosen else otherwise(bindings)

    return choose


def _object(pairs: Any) -> Evaluator:
    """``{"key": value, ...}`` with literal keys, each once (a repeated key is the engine's error D1009)."""
    members: list[tuple[str, Evaluator]] = []
    for pair in pairs:
        if len(pair) != 2 or getattr(pair[0], "type", None) != "string":
            raise _NOT_FAST
        _plain(pair[0])
        members.append((pair[0].value, _compile(pair[1])))
    if len({key for key, _ in members}) != len(members):
        raise _NOT_FAST
    built = tuple(members)

    def construct(bindings: Bindings) -> dict[str, Any]:
        return {key: value(bindings) for key, value in built}

    return construct
