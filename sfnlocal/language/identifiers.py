"""Identifiers drawn from an execution's seeded random source, so that runs are reproducible.

Execution names, task tokens, request ids, Map Run ids, ``States.UUID()`` and JSONata's ``$uuid()`` all
come from here: the same seed gives the same identifiers in the same order.
"""

from __future__ import annotations

import uuid
from random import Random


def seeded_uuid4(rng: Random) -> str:
    """A version 4 (RFC 4122 variant) UUID as 36 lowercase characters, drawn from ``rng``.

    >>> value = seeded_uuid4(Random(0))
    >>> len(value), value[14], value == seeded_uuid4(Random(0))
    (36, '4', True)
    """
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
