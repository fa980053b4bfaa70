"""Child fibers of a Parallel or Map visit: start them, cap how many run, fail fast.

The parent fiber parks until every child has finished or one has failed in a way the state does
not tolerate; then the children still running are cancelled (their generators closed) and the
failure is raised in the parent. Children start in index order; with ``max_concurrency`` N > 0 at
most N run at a time and the next one starts when one finishes. A child's body is asked for only when it
starts, so a Distributed Map of a million items builds its bodies as concurrency allows, not up front.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, Protocol

from sfnlocal.interpreter.scheduler import Fiber, Park, Scheduler
from sfnlocal.language.errors import StatesError

ChildBody = Callable[[], Generator[Any, Any, Any]]


class ChildBodies(Protocol):
    """The children's bodies by index (a list, or anything that makes body ``i`` when asked for it)."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int, /) -> ChildBody: ...


class ChildFailure(Exception):
    """Raised in the parent when a child failed beyond what the state tolerates."""

    def __init__(self, index: int, error: StatesError) -> None:
        super().__init__(error.error)
        self.index = index
        self.error = error


class _Progress:
    """How far the children of one visit got: the next to start, how many finished and failed, the failure."""

    __slots__ = ("next", "finished", "failed", "failure")

    def __init__(self) -> None:
        self.next = 0
        self.finished = 0
        self.failed = 0
        self.failure: ChildFailure | None = None


def run_children(
    scheduler: Scheduler,
    bodies: ChildBodies,
    max_concurrency: int = 0,
    tolerates: Callable[[int, int], bool] | None = None,
    collect: bool = True,
) -> Generator[Any, Any, list[Any]]:
    """Run the children; return their results in index order (None for tolerated failures), or ``[]`` when
    ``collect`` is False (the caller keeps what it needs of them itself).

    ``tolerates(failed_count, index)``, called when child ``index`` fails, says whether that many failed children
    (this one the latest) are still acceptable.
    """
    parent = scheduler.current
    assert parent is not None
    total = len(bodies)
    results: list[Any] = [None] * total if collect else []
    running: dict[int, Fiber] = {}
    progress = _Progress()

    def start_next() -> None:
        index = progress.next
        progress.next = index + 1
        running[index] = scheduler.spawn(bodies[index](), lambda fiber: on_done(index, fiber))

    def on_done(index: int, fiber: Fiber) -> None:
        running.pop(index, None)
        progress.finished += 1
        if fiber.error is not None:
            progress.failed += 1
            if progress.failure is None and (tolerates is None or not tolerates(progress.failed, index)):
                progress.failure = ChildFailure(index, fiber.error)
                scheduler.wake(parent)
                return
        elif collect:
            results[index] = fiber.result
        if progress.failure is None and progress.next < total:
            start_next()
        if progress.finished == total:
            scheduler.wake(parent)

    initial = total if max_concurrency <= 0 else min(max_concurrency, total)
    for _ in range(initial):
        start_next()
    try:
        while progress.finished < total and progress.failure is None:
            yield Park(None)
    finally:
        # On failure, or when the parent itself is cancelled, stop whatever still runs.
        for fiber in list(running.values()):
            scheduler.cancel(fiber)
    if progress.failure is not None:
        raise progress.failure
    return results
