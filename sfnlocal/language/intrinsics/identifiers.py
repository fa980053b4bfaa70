"""States.UUID(): a version 4 UUID drawn from the execution's random source.

Drawing from the seeded per-execution :class:`random.Random` keeps runs reproducible: the same
seed gives the same UUIDs in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from random import Random
from typing import Any

from sfnlocal.language.identifiers import seeded_uuid4


def uuid4(args: Sequence[Any], rng: Random) -> str:
    """A random (version 4, RFC 4122 variant) UUID as 36 lowercase characters.

    >>> value = uuid4([], Random(0))
    >>> len(value), value[14], value == uuid4([], Random(0))
    (36, '4', True)
    """
    return seeded_uuid4(rng)
