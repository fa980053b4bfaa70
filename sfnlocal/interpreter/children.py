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

from sfnlocal.interpreter.scheduler import UNTIL_WOKEN, Fiber, FiberBody, Scheduler
from sfnlocal.language.errors import StatesError
from sfnlocal.language.json_checks import payload_measure, within_limits
from sfnlocal.language.jsontext import PayloadBound


class ChildBodies(Protocol):
    """The children's bodies by index: generators not started yet (a list of them, or anything that makes body ``i``
    when asked for it)."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int, /) -> FiberBody: ...


class ChildFailure(Exception):
    """Raised in the parent when a child failed beyond what the state tolerates."""

    def __init__(self, index: int, error: StatesError) -> None:
        super().__init__(error.error)
        self.index = index
        self.error = error


class _Children:
    """The children of one visit and how far they got: the next to start, how many finished and failed, the failure.

    Methods rather than closures that call each other, which would make a reference cycle only the cyclic collector
    frees."""

    __slots__ = (
        "scheduler",
        "parent",
        "bodies",
        "total",
        "tolerates",
        "results",
        "running",
        "next",
        "finished",
        "failed",
        "failure",
    )

    def __init__(
        self,
        scheduler: Scheduler,
        parent: Fiber,
        bodies: ChildBodies,
        tolerates: Callable[[int, int], bool] | None,
        collect: bool,
    ) -> None:
        self.scheduler = scheduler
        self.parent = parent
        self.bodies = bodies
        self.total = len(bodies)
        self.tolerates = tolerates
        self.results: list[Any] | None = [None] * self.total if collect else None
        self.running: dict[Fiber, int] = {}  # the children running, and their indexes
        self.next = 0
        self.finished = 0
        self.failed = 0
        self.failure: ChildFailure | None = None

    def start_next(self) -> None:
        index = self.next
        self.next = index + 1
        self.running[self.scheduler.spawn(self.bodies[index], self.on_done)] = index

    def on_done(self, fiber: Fiber) -> None:
        index = self.running.pop(fiber)
        self.finished += 1
        error = fiber.error
        if error is None:
            if self.results is not None:
                self.results[index] = fiber.result
        else:
            self.failed += 1
            if self.failure is None and (self.tolerates is None or not self.tolerates(self.failed, index)):
                self.failure = ChildFailure(index, error)
                self.scheduler.wake(self.parent)
                return
        if self.failure is None and self.next < self.total:
            self.start_next()
        if self.finished == self.total:
            self.scheduler.wake(self.parent)


def input_bound(value: Any, state_name: str, known: PayloadBound | None = None) -> PayloadBound | None:
    """A bound on the measure of ``value``, an input the children of state ``state_name`` share, when it passes AWS's
    size check on a state's output and sfnlocal's nesting check, so that a child's first state that passes it on need
    not measure it again (see ``input_bound`` in :func:`~sfnlocal.interpreter.visit.run_branch`); ``known``, a bound
    already known for it, spares measuring it here. None when it fails them: each child then meets the failure
    itself, as it would have.

    >>> input_bound({"a": 1}, "P"), input_bound("x" * 300_000, "P"), input_bound([[]] * 2, "P")
    ((7, 1), None, (7, 3))
    >>> input_bound(1, "P", known=(9, 0))
    (9, 0)
    """
    if within_limits(known):
        return known
    try:
        bound = payload_measure(value, state_name, "gave its children an input")
    except StatesError:  # nested too deep, or not JSON
        return None
    return bound if within_limits(bound) else None


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
    progress = _Children(scheduler, parent, bodies, tolerates, collect)
    total = progress.total
    for _ in range(total if max_concurrency <= 0 else min(max_concurrency, total)):
        progress.start_next()
    try:
        while progress.finished < total and progress.failure is None:
            yield UNTIL_WOKEN
    finally:
        # On failure, or when the parent itself is cancelled, stop whatever still runs.
        for fiber in list(progress.running):
            scheduler.cancel(fiber)
    if progress.failure is not None:
        raise progress.failure
    return progress.results if progress.results is not None else []
