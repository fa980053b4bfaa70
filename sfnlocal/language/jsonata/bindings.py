"""What a JSONata expression sees when it is evaluated: ``$states``, the variables, the clock, the dice."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Bindings:
    """The values one evaluation binds.

    * ``states``: the ``$states`` object, ``{"input": ..., "context": {...}}`` plus ``"result"`` or
      ``"errorOutput"`` where the field may read them;
    * ``variables``: the workflow variables in scope, by name (``$name``);
    * ``now``: the execution's virtual clock in seconds since the epoch, for ``$now()`` and ``$millis()``;
    * ``rng``: the execution's seeded random source, for ``$random()`` and ``$uuid()``.

    >>> b = Bindings({"input": {"a": 1}, "context": {}}, {"x": None}, 0.0, random.Random(7))
    >>> b.states["input"], b.variables["x"]
    ({'a': 1}, None)
    """

    states: dict[str, Any]
    variables: Mapping[str, Any]
    now: float
    rng: random.Random

    @property
    def now_millis(self) -> int:
        """The clock in whole milliseconds (truncated, as the context object's timestamps are), for ``$millis()``.

        >>> Bindings({}, {}, 1.0019, random.Random(0)).now_millis
        1001
        """
        return math.floor(self.now * 1000)
