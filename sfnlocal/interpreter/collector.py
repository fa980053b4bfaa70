"""Python's cyclic garbage collector, made lazier while executions run.

A run allocates many small containers that stay alive until the execution's result is let go (its events,
records, timeline, the visits in progress), so the collections the default threshold starts every 700
allocations find almost nothing to free, yet each walks the young objects and every tenth the older ones
too: 20-25% of the time of the benchmark workloads. While an execution runs, the youngest generation's
threshold is raised to :data:`YOUNG_THRESHOLD` (the older generations' are kept), and put back as it was
when the last running execution (in any thread) stops. Reference counting frees what a run lets go of as
before; only cycles wait longer, and they are still collected, with memory bounded as before.

>>> import gc
>>> before = gc.get_threshold()
>>> execution_started()
>>> gc.get_threshold()[0] == max(before[0], YOUNG_THRESHOLD) or before[0] == 0
True
>>> execution_stopped()
>>> gc.get_threshold() == before
True
"""

from __future__ import annotations

import gc
import threading

YOUNG_THRESHOLD = 100_000  # allocations of tracked objects between two collections of the youngest generation

_lock = threading.Lock()
_running = 0  # executions running now, in all threads
_saved: tuple[int, ...] | None = None  # the thresholds found when the first of them started


# Functions a run calls in try/finally rather than a context manager: called for every run, they cost less (as do
# acquire and release rather than ``with _lock``).


def execution_started() -> None:
    """Raise the youngest generation's threshold, unless an execution running already did (call
    :func:`execution_stopped` once the execution stops, whatever happens). A threshold of 0 (automatic collection off)
    or above :data:`YOUNG_THRESHOLD` is left as it is."""
    global _running, _saved
    _lock.acquire()
    try:
        if _running == 0:
            _saved = gc.get_threshold()
            if 0 < _saved[0] < YOUNG_THRESHOLD:
                gc.set_threshold(YOUNG_THRESHOLD)  # (the older generations' are left as they are)
        _running += 1
    finally:
        _lock.release()


def execution_stopped() -> None:
    """Put the thresholds back as :func:`execution_started` found them, when the last running execution stops."""
    global _running, _saved
    _lock.acquire()
    try:
        _running -= 1
        if _running == 0 and _saved is not None:
            gc.set_threshold(*_saved)
            _saved = None
    finally:
        _lock.release()
