"""Jayway JsonPath's functions, written at the end of a path (``$.items.length()``) or inside a filter
(``@.tags.length()``), and applied to the node the path before them reached.

============  ==========================================================================
``length()``  the size of an array or object (also ``size()``); null for anything else
``min()``     the smallest number of an array, and of the numeric arguments (a double)
``max()``     the largest (Jayway starts from the smallest positive double, so never below it)
``avg()``     the mean; ``stddev()`` the population standard deviation; ``sum()`` the sum
``keys()``    an object's member names; null for anything else
``first()``   an array's first element; ``last()`` its last; ``index(i)`` the i-th (negative from the end)
``concat(x)`` the strings of an array, then the arguments, as one string
``append(x)`` the array with the arguments added at its end
============  ==========================================================================

Arguments are JSON literals (``1``, ``"x"``, ``{...}``; a single-quoted string is ignored, as Jayway
ignores it) or paths read from the root document. A function Jayway does not have fails when the
path is read, not when it is compiled, as in Jayway.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Protocol

from sfnlocal.language.jsonpath.errors import EvaluationFailure, IndexOutOfBounds, UnreadablePath
from sfnlocal.language.jsonpath.javatext import KeySet, java_text
from sfnlocal.language.jsonpath.lenient_json import LenientJsonError, parse_lenient
from sfnlocal.language.jsonpath.steps import Read, Step, Trail


class Argument(Protocol):
    """A function's argument."""

    def value(self, read: Read) -> Any:
        """The argument's value in this read."""

    def source(self) -> str:
        """The argument as written."""


class JsonArgument:
    """A JSON literal argument, read as Jayway's JSON provider reads it when the path is read."""

    __slots__ = ("text", "_value", "_problem")

    def __init__(self, text: str) -> None:
        self.text = text
        self._problem = ""
        try:
            self._value = parse_lenient(text)
        except LenientJsonError as err:
            self._value = None
            self._problem = str(err)

    def value(self, read: Read) -> Any:
        if self._problem:
            raise EvaluationFailure(f"net.minidev.json.parser.ParseException: {self._problem}")
        return self._value

    def source(self) -> str:
        return self.text


class PathArgument:
    """A path argument, read from the root document (Jayway reads it before calling the function)."""

    __slots__ = ("path",)

    def __init__(self, path: Any) -> None:
        self.path = path  # a compiled path (see .path)

    def value(self, read: Read) -> Any:
        return self.path.read_from(self.path.origin(read), read)

    def source(self) -> str:
        return str(self.path.source())


Function = Callable[[Any, list[Any], "Call", Read], Any]


class Call(Step):
    """``.name(...)`` at the end of a path: the function's result is the path's value."""

    __slots__ = ("name", "arguments", "scanned")

    def __init__(self, name: str, arguments: list[Argument], scanned: bool = False) -> None:
        super().__init__()
        self.name = name
        self.arguments = arguments
        self.scanned = scanned  # written '$..a.fn()', compiled as '$.fn($..a)'

    def fragment(self) -> str:
        return f".{self.name}({'...' if self.arguments else ''})"

    def source(self) -> str:
        if self.scanned:
            return f"{self.arguments[0].source()[1:]}.{self.name}()"
        return f".{self.name}({', '.join(argument.source() for argument in self.arguments)})"

    def evaluate(self, trail: Trail, model: Any, read: Read) -> None:
        function = FUNCTIONS.get(self.name)
        if function is None:
            raise UnreadablePath(f"Function with name: {self.name} does not exist.")
        values = [argument.value(read) for argument in self.arguments]
        result = function(model, values, self, read)
        read.results.append(result)
        if self.next is not None:
            self.next.evaluate(trail, result, read)


def _numbers(values: list[Any]) -> list[int | float]:
    """The numbers among the arguments, arrays opened (Jayway's ``Parameter.toList(Number.class)``)."""
    found: list[int | float] = []
    for value in values:
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                found.append(item)
    return found


def _aggregate(combine: Callable[[list[float]], float]) -> Function:
    def function(model: Any, values: list[Any], call: Call, read: Read) -> Any:
        numbers = (
            [item for item in model if isinstance(item, (int, float)) and not isinstance(item, bool)]
            if (isinstance(model, list))
            else []
        )
        numbers += _numbers(values)
        if not numbers:
            raise EvaluationFailure("Aggregation function attempted to calculate value using empty array")
        return combine([float(number) for number in numbers])

    return function


def _sum(numbers: list[float]) -> float:
    total = 0.0
    for number in numbers:
        total += number
    return total


def _stddev(numbers: list[float]) -> float:
    total = squares = 0.0
    for number in numbers:
        total += number
        squares += number * number
    count = len(numbers)
    return math.sqrt(squares / count - total * total / count / count)


def _largest(numbers: list[float]) -> float:
    largest = 5e-324  # Jayway starts from Double.MIN_VALUE, the smallest *positive* double
    for number in numbers:
        largest = max(largest, number)
    return largest


def _length(model: Any, values: list[Any], call: Call, read: Read) -> Any:
    if call.arguments:
        argument = call.arguments[0]
        if not isinstance(argument, PathArgument):
            raise EvaluationFailure(
                'Cannot invoke "com.jayway.jsonpath.internal.Path.isFunctionPath()" because the return value of '
                '"com.jayway.jsonpath.internal.function.Parameter.getPath()" is null'
            )
        if model is None:
            raise EvaluationFailure("root can not be null")
        # Jayway reads a path argument from the node the function applies to, with [*] added unless the
        # argument ends with a function itself.
        path = argument.path
        counted = (path if path.steps and isinstance(path.steps[-1], Call) else path.with_wildcard()).read_from(
            model, read
        )
        if isinstance(counted, list):
            return len(counted)
    return len(model) if isinstance(model, (list, dict)) else None


def _keys(model: Any, values: list[Any], call: Call, read: Read) -> Any:
    return KeySet(model) if isinstance(model, dict) else None


def _concat(model: Any, values: list[Any], call: Call, read: Read) -> Any:
    parts = [item for item in model if isinstance(item, str)] if isinstance(model, list) else []
    for value in values:
        for item in value if isinstance(value, list) else (value,):
            if item is not None:
                parts.append(java_text(item))
    return "".join(parts)


def _append(model: Any, values: list[Any], call: Call, read: Read) -> Any:
    # Jayway appends to the document itself, and what the rest of the read sees changes with it. A path
    # that calls append() is read from a copy of the document (see JsonPath.read), so this is safe.
    if isinstance(model, list):
        if any(_holds(value, model) for value in values):
            # Jayway builds the cycle and then fails to write it out.
            raise EvaluationFailure("Document nesting depth (1001) exceeds the maximum allowed (1000)")
        model.extend(values)
    return model


def _holds(value: Any, container: list[Any]) -> bool:
    """Whether ``value`` is ``container`` or has it inside (by identity)."""
    if value is container:
        return True
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return any(_holds(item, container) for item in items)


def _element(position: Callable[[list[Any]], int]) -> Function:
    def function(model: Any, values: list[Any], call: Call, read: Read) -> Any:
        if not isinstance(model, list):
            raise EvaluationFailure("Aggregation function attempted to calculate value using empty array")
        index = position(values)
        if index >= 0:
            if index >= len(model):
                raise IndexOutOfBounds(f"Index {index} out of bounds for length {len(model)}")
            return model[index]
        if len(model) + index > 0:  # sic: Jayway refuses the element at position 0 counted from the end
            return model[len(model) + index]
        raise EvaluationFailure(f"Target index:{index} larger than object count:{len(model)}")

    return function


def _index_argument(values: list[Any]) -> int:
    numbers = _numbers(values)
    if not numbers:
        raise IndexOutOfBounds("Index 0 out of bounds for length 0")
    return int(numbers[0])


FUNCTIONS: dict[str, Function] = {
    "avg": _aggregate(lambda numbers: _sum(numbers) / len(numbers)),
    "stddev": _aggregate(_stddev),
    "sum": _aggregate(_sum),
    "min": _aggregate(lambda numbers: min([1.7976931348623157e308, *numbers])),
    "max": _aggregate(_largest),
    "concat": _concat,
    "length": _length,
    "size": _length,
    "append": _append,
    "keys": _keys,
    "first": _element(lambda values: 0),
    "last": _element(lambda values: -1),
    "index": _element(_index_argument),
}
