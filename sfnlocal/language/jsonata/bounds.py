"""The bounds of one JSONata evaluation: how deep it may nest, how much work it may do, how long a value may be.

Evaluation is synchronous, so an execution's ``TimeoutSeconds`` cannot stop an expression that never
ends; these bounds do, deterministically (they count, they do not time), so an expression fails the
same way on every run and every machine. They are sfnlocal's: AWS's quotas pages
(docs.aws.amazon.com/step-functions/latest/dg/limits-overview.html) list none for an expression. The
codes are those JSONata's implementations raise when given runtime bounds (jsonata-python's Timebox,
jsonata-java's ``Frame.setRuntimeBounds``): ``D1011`` for depth, ``D1012`` for an evaluation too long.

* depth: at most :data:`MAX_DEPTH` nested evaluations of the expression's parts (a level of a
  recursive function takes about three). Beyond, JSONata's ``D1011`` (stack overflow).
* work: at most :data:`MAX_WORK` units, one for each part evaluated, one for each
  :data:`ITEMS_PER_UNIT` items or characters of the values the parts produce, and one for each array
  or object visited by a walk over a value (``=``, ``**``, ``$string``, making the result plain JSON),
  so that a value which shares its parts many times over cannot make a walk endless. Beyond,
  ``D1012`` (JSONata's code for an evaluation that runs too long), worded as sfnlocal's step bound.
* length: no array or string a part produces holds more than :data:`MAX_LENGTH` items or characters,
  JSONata's own bound on the range operator (``[1..10000001]`` fails ``D2014`` in JSONata too).

While an evaluation nests deeper than :data:`SHALLOW_DEPTH`, the interpreter's recursion limit is at
least :data:`STACK_FRAMES` (the limit jsonata-python sets for its own use); it is put back when the
last such evaluation in the process is done with its deep part: sfnlocal never leaves the process's
recursion limit changed, and the shallow evaluations, nearly all of them, never touch it.
"""

from __future__ import annotations

import sys
import threading
from contextvars import ContextVar
from types import TracebackType

from sfnlocal.language.jsonata.library import JException

MAX_DEPTH = 1_000
MAX_WORK = 1_000_000
ITEMS_PER_UNIT = 16
MAX_LENGTH = 10_000_000
# Python frames an evaluation may use: MAX_DEPTH nested parts take about five each, and the caller some more.
STACK_FRAMES = 10_000
# The nesting from which an evaluation raises the recursion limit: about 200 frames, which the default
# limit of 1,000 allows above a caller's own.
SHALLOW_DEPTH = 40


class Meter:
    """The work done and the nesting reached by one evaluation so far.

    >>> meter = Meter()
    >>> meter.spend(MAX_WORK)
    >>> meter.spend(1)
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonata.bounds.BoundExceeded: D1012: The evaluation did not end within ...
    """

    __slots__ = ("work", "depth")

    def __init__(self) -> None:
        self.work = 0
        self.depth = 0

    def spend(self, units: int) -> None:
        """Count ``units`` of work; fail when the evaluation has used up :data:`MAX_WORK`."""
        self.work += units
        if self.work > MAX_WORK:
            raise too_much_work()


# The meter of the evaluation in progress in this thread (or asyncio task), for the walks over values
# that run outside the engine's own steps: writing a value as text, making the result plain JSON.
METER: ContextVar[Meter | None] = ContextVar("sfnlocal_jsonata_meter", default=None)


def spend(units: int) -> None:
    """Count ``units`` of work against the evaluation in progress, if there is one.

    >>> token = METER.set(Meter())
    >>> spend(MAX_WORK + 1)
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonata.bounds.BoundExceeded: D1012: The evaluation did not end within ...
    >>> METER.reset(token)
    >>> spend(MAX_WORK + 1)  # no evaluation in progress: nothing to count against
    """
    meter = METER.get()
    if meter is not None:
        meter.spend(units)


class BoundExceeded(JException):
    """An evaluation went beyond one of sfnlocal's bounds; ``str()`` is the ``<CODE>: <message>`` text.

    A ``JException``, so that the engine passes it on as it passes on its own errors.

    >>> str(too_much_work())
    "D1012: The evaluation did not end within sfnlocal's bound of 1000000 steps. Check for infinite loop"
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, -1)
        self.text = f"{code}: {message}"

    def __str__(self) -> str:
        return self.text


def too_much_work() -> BoundExceeded:
    """The failure of an evaluation that used up :data:`MAX_WORK`."""
    return BoundExceeded(
        "D1012", f"The evaluation did not end within sfnlocal's bound of {MAX_WORK} steps. Check for infinite loop"
    )


def too_long(kind: str, length: int) -> BoundExceeded:
    """The failure of an evaluation that made an array or a string longer than :data:`MAX_LENGTH`.

    >>> str(too_long("a string", 10**8))
    "D1012: The evaluation made a string of 100000000 items or characters, beyond sfnlocal's bound of 10000000"
    """
    return BoundExceeded(
        "D1012",
        f"The evaluation made {kind} of {length} items or characters, beyond sfnlocal's bound of {MAX_LENGTH}",
    )


class _StackAllowance:
    """Raises the recursion limit to :data:`STACK_FRAMES` while at least one deep evaluation runs, in any thread.

    The limit is the process's, so the threads count together: the first evaluation to start raises it,
    the last to end puts back what it was (unless someone changed it meanwhile, which then stands).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._previous: int | None = None  # the limit to put back, or None when it was high enough

    def __enter__(self) -> None:
        with self._lock:
            if self._running == 0:
                limit = sys.getrecursionlimit()
                self._previous = limit if limit < STACK_FRAMES else None
                if self._previous is not None:
                    sys.setrecursionlimit(STACK_FRAMES)
            self._running += 1

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0 and self._previous is not None and sys.getrecursionlimit() == STACK_FRAMES:
                sys.setrecursionlimit(self._previous)


STACK_ALLOWANCE = _StackAllowance()
