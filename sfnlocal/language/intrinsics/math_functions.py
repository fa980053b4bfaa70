"""The math intrinsics: States.MathRandom and States.MathAdd.

Both take integers and round a number with a fraction to the nearest integer first, halves up,
as AWS documents and records (see :func:`sfnlocal.language.intrinsics.arguments.round_half_up`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from sfnlocal.language.intrinsics.arguments import INT32_MAX, INT32_MIN, ArgumentProblem, integer_arg


def math_random(args: Sequence[Any], rng: random.Random) -> int:
    """States.MathRandom(start, end[, seed]): an integer with start <= n < end.

    Without a seed the number comes from the execution's random source, so a run is
    reproducible; with a seed it depends on the seed alone.

    >>> math_random([1, 999, 7], random.Random(0)) == math_random([1, 999, 7], random.Random(1))
    True
    """
    start = integer_arg(args, 0)
    end = integer_arg(args, 1)
    if end <= start:
        raise ArgumentProblem(
            f"argument 2 (the end, exclusive) must be greater than argument 1 "
            f"(the start), but they are {start} and {end}"
        )
    source = random.Random(integer_arg(args, 2)) if len(args) == 3 else rng
    return source.randrange(start, end)


def math_add(args: Sequence[Any], rng: random.Random) -> int:
    """States.MathAdd(a, b): the sum of two integers in the 32-bit range.

    >>> math_add([111, -1], random.Random(0)), math_add([1.49, 1.5], random.Random(0))
    (110, 3)
    """
    first, second = args
    # The common case (two ints in range) skips the general conversion: this runs in loops.
    if (
        type(first) is int
        and type(second) is int
        and INT32_MIN <= first <= INT32_MAX
        and INT32_MIN <= second <= INT32_MAX
    ):
        return first + second
    return integer_arg(args, 0, INT32_MIN, INT32_MAX) + integer_arg(args, 1, INT32_MIN, INT32_MAX)
