"""The array intrinsics: States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem,
ArrayLength and ArrayUnique.

Each takes the evaluated argument values and the execution's random source (unused here) and
returns a new value; the arrays passed in are never changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from random import Random
from typing import Any

from sfnlocal.language.intrinsics.arguments import ArgumentProblem, array_arg, integer_arg
from sfnlocal.language.intrinsics.identity import json_identity

# AWS: "The new array can contain up to 1000 elements."
MAX_RANGE_ITEMS = 1000


def array(args: Sequence[Any], rng: Random) -> list[Any]:
    """States.Array: the arguments as an array.

    >>> array([1, "a", None], Random(0))
    [1, 'a', None]
    """
    return list(args)


def array_partition(args: Sequence[Any], rng: Random) -> list[list[Any]]:
    """States.ArrayPartition(array, size): consecutive chunks of ``size`` items; the last may be shorter.

    >>> array_partition([[1, 2, 3, 4, 5], 2], Random(0))
    [[1, 2], [3, 4], [5]]
    """
    items = array_arg(args, 0)
    size = integer_arg(args, 1, minimum=1)
    return [items[start : start + size] for start in range(0, len(items), size)]


def array_contains(args: Sequence[Any], rng: Random) -> bool:
    """States.ArrayContains(array, value): whether an item equals ``value`` as JSON.

    >>> array_contains([[[1, 2], True], [1, 2]], Random(0)), array_contains([[1], True], Random(0))
    (True, False)
    """
    items = array_arg(args, 0)
    wanted = json_identity(args[1])
    return any(json_identity(item) == wanted for item in items)


def array_range(args: Sequence[Any], rng: Random) -> list[int]:
    """States.ArrayRange(first, last, step): first, first+step, ... up to and including ``last``.

    >>> array_range([1, 9, 2], Random(0)), array_range([0, 10, 3], Random(0))
    ([1, 3, 5, 7, 9], [0, 3, 6, 9])
    >>> array_range([3, 1, -1], Random(0))
    [3, 2, 1]
    """
    first = integer_arg(args, 0)
    last = integer_arg(args, 1)
    step = integer_arg(args, 2)
    if step == 0:
        raise ArgumentProblem("argument 3 (the step) must not be 0")
    count = max(0, (last - first) // step + 1)
    if count > MAX_RANGE_ITEMS:
        raise ArgumentProblem(f"the range would have {count} items, but at most {MAX_RANGE_ITEMS} are allowed")
    return [first + step * index for index in range(count)]


def array_get_item(args: Sequence[Any], rng: Random) -> Any:
    """States.ArrayGetItem(array, index): the item at a 0-based index.

    >>> array_get_item([[1, 2, 3, 4, 5, 6, 7, 8, 9], 5], Random(0))
    6
    """
    items = array_arg(args, 0)
    index = integer_arg(args, 1, minimum=0)
    if index >= len(items):
        raise ArgumentProblem(f"the index {index} is out of bounds for an array of {len(items)} items")
    return items[index]


def array_length(args: Sequence[Any], rng: Random) -> int:
    """States.ArrayLength(array): the number of items.

    >>> array_length([[1, 2, 3]], Random(0))
    3
    """
    return len(array_arg(args, 0))


def array_unique(args: Sequence[Any], rng: Random) -> list[Any]:
    """States.ArrayUnique(array): the items without repeats, first occurrences in order.

    >>> array_unique([[1, 2, 3, 3, 3, 3, 3, 3, 4]], Random(0))
    [1, 2, 3, 4]
    """
    seen: set[Any] = set()
    unique = []
    for item in array_arg(args, 0):
        key = json_identity(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
