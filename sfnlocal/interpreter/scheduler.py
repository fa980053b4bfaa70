"""A cooperative scheduler on one thread, with a virtual clock.

Everything that runs inside an execution (the top-level state machine, each Parallel branch,
each Map iteration) is a *fiber*: a generator that runs until it has to wait, then yields one
of two commands:

* ``Sleep(until)``: resume at that clock time (Wait states, Retry backoff, delayed mocks);
* ``Park(deadline)``: wait until another fiber or the caller wakes it with a value
  (children finishing, a task token being answered), or until ``deadline`` passes, in which case
  it is resumed with :data:`TIMED_OUT`.

Ordering, fixed so runs are reproducible: a fiber runs until it yields; ready fibers run in the
order they became ready (FIFO); timers due at the same instant fire in the order they were set.
The clock only moves when no fiber is ready: it then jumps to the earliest timer. With
``real_time=True`` the scheduler also sleeps for real until that instant (demos, a server).

Waiting on the outside (a task token nobody answered yet, an activity no worker took) is different:
then the clock does not move by itself, because the answer could come at any time. :meth:`run`
returns (the execution is suspended) and the caller answers, or lets time pass with :meth:`advance`.

A *passive* timer (an execution's maximum duration) never moves the clock by itself: it fires when the
clock gets to it anyway (a later timer, :meth:`advance`), so a task that never answers leaves the
execution suspended rather than jumping a year ahead.
"""

from __future__ import annotations

import heapq
import time
from collections import deque
from collections.abc import Callable, Generator
from typing import Any

from sfnlocal.language.errors import StatesError


class Sleep:
    """Resume the yielding fiber at clock time ``until`` (seconds since the epoch)."""

    __slots__ = ("until",)

    def __init__(self, until: float) -> None:
        self.until = until


class Park:
    """Wait to be woken by :meth:`Scheduler.wake`, or until ``deadline`` (then get TIMED_OUT)."""

    __slots__ = ("deadline",)

    def __init__(self, deadline: float | None = None) -> None:
        self.deadline = deadline


UNTIL_WOKEN = Park()  # no deadline: one command every such wait can yield (a Park is never changed)


class Timer:
    """A callback due at clock time ``when``, or the resumption of a fiber (``fiber``, with ``value``), which is
    dead once that fiber moved on (its ``token`` is then not the fiber's); a dead or cancelled timer is dropped
    without moving the clock. (A timer that resumes a fiber holds no function that would refer back to the
    scheduler, so one left in the queue after its fiber ended holds nothing of the execution in a cycle.)"""

    __slots__ = ("when", "callback", "cancelled", "passive", "_fiber", "_token", "_value")

    def __init__(
        self,
        when: float,
        callback: Callable[[], None],
        fiber: Fiber | None = None,
        token: int = 0,
        value: Any = None,
        passive: bool = False,
    ) -> None:
        self.when = when
        self.callback = callback
        self.cancelled = False
        self.passive = passive
        self._fiber = fiber
        self._token = token
        self._value = value

    def cancel(self) -> None:
        """The callback will not run, and the clock will not move for it."""
        self.cancelled = True
        self.callback = _nothing  # let go of what it would have called (often its execution: a cycle otherwise)

    def alive(self) -> bool:
        """Whether the timer is still due: not cancelled, and its fiber (if any) still waits for it."""
        fiber = self._fiber
        return not self.cancelled and (fiber is None or (not fiber.done and fiber.park_token == self._token))


def _nothing() -> None:
    """What a cancelled timer would call."""


_NEVER = float("-inf")
TIMED_OUT: Any = type("TimedOut", (), {"__repr__": lambda self: "TIMED_OUT"})()

FiberBody = Generator[Any, Any, Any]


class Fiber:
    """One generator being scheduled, and its outcome once finished."""

    __slots__ = ("body", "done", "result", "error", "on_done", "park_token", "cancelled", "parked")

    def __init__(self, body: FiberBody, on_done: Callable[[Fiber], None] | None) -> None:
        self.body = body
        self.done = False
        self.cancelled = False
        self.result: Any = None
        self.error: StatesError | None = None
        self.on_done = on_done
        self.park_token = 0
        self.parked = False


class Scheduler:
    """Runs fibers until all are finished or waiting on something outside the execution.

    >>> s = Scheduler(start=0.0)
    >>> def sleeper():
    ...     yield Sleep(s.now + 3600)
    ...     return s.now
    >>> f = s.spawn(sleeper())
    >>> s.run(); f.result
    3600.0
    """

    # (one per execution: slots cost less to set than an instance dict)
    __slots__ = (
        "now",
        "real_time",
        "waiting_on_outside",
        "_horizon",
        "_ready",
        "_timers",
        "_timer_seq",
        "_deferred",
        "current",
    )

    def __init__(
        self, start: float, real_time: bool = False, waiting_on_outside: Callable[[], bool] = lambda: False
    ) -> None:
        self.now = start
        self.real_time = real_time
        self.waiting_on_outside = waiting_on_outside  # (an execution sets it once its callbacks exist)
        self._horizon = _NEVER  # how far advance() lets the clock run while waiting on the outside
        self._ready: deque[tuple[Fiber, Any]] = deque()
        self._timers: list[tuple[float, int, Timer]] = []
        self._timer_seq = 0
        self._deferred: list[tuple[int, Callable[[], Timer | None]]] = []  # see call_at_lazily
        self.current: Fiber | None = None  # the fiber being stepped, so its code can be woken later

    def spawn(self, body: FiberBody, on_done: Callable[[Fiber], None] | None = None) -> Fiber:
        """Start a fiber; it first runs when the scheduler reaches it in the ready queue."""
        fiber = Fiber(body, on_done)
        self._ready.append((fiber, None))
        return fiber

    def wake(self, fiber: Fiber, value: Any = None) -> None:
        """Resume a parked fiber with ``value``; ignored unless it is parked (so waking twice is harmless)."""
        if fiber.parked and not fiber.done:
            fiber.parked = False
            fiber.park_token += 1
            self._ready.append((fiber, value))

    def cancel(self, fiber: Fiber) -> None:
        """Stop a fiber where it waits; its ``finally`` blocks run (they cancel its own children)."""
        if fiber.done:
            return
        fiber.done = fiber.cancelled = True
        fiber.park_token += 1
        fiber.on_done = None  # never called now: let go of it
        fiber.body.close()

    def call_at(self, when: float, callback: Callable[[], None], passive: bool = False) -> Timer:
        """Run ``callback`` when the clock reaches ``when``; the returned timer can be cancelled. A ``passive``
        timer does not move the clock by itself (see the module's docs)."""
        return self._add_timer(Timer(when, callback, passive=passive))

    def call_at_lazily(self, make: Callable[[], Timer | None]) -> None:
        """Set the timer ``make()`` returns (if any), as though it were set now (it fires before any timer set later
        for the same instant), but call ``make`` only when the scheduler next looks at its timers: a timer that what
        runs meanwhile makes needless (an execution's deadline, once it has ended) is then never made."""
        self._timer_seq += 1
        self._deferred.append((self._timer_seq, make))

    def _add_timer(self, timer: Timer) -> Timer:
        self._timer_seq += 1
        heapq.heappush(self._timers, (timer.when, self._timer_seq, timer))
        return timer

    def next_due(self) -> float | None:
        """The clock time of the earliest live timer (None: none is set)."""
        timer = self._next_timer()
        return None if timer is None else timer.when

    def _next_timer(self) -> Timer | None:
        """The earliest timer still due, after dropping cancelled ones (they must not move the clock)."""
        timers = self._timers
        if self._deferred:
            deferred, self._deferred = self._deferred, []
            for seq, make in deferred:
                timer = make()
                if timer is not None:
                    heapq.heappush(timers, (timer.when, seq, timer))
        while timers and not timers[0][2].alive():
            heapq.heappop(timers)
        return timers[0][2] if timers else None

    def run(self) -> None:
        """Run until nothing is ready and no timer is due (or only timers behind a wait on the outside)."""
        ready = self._ready
        while True:
            while ready:
                fiber, value = ready.popleft()
                if not fiber.done:
                    self._step(fiber, value)
            timer = self._next_timer()
            if timer is None:
                return
            if timer.when > self._horizon and (
                self.waiting_on_outside() or (timer.passive and not self._active_timer_waits())
            ):
                return
            heapq.heappop(self._timers)
            self._move_clock(timer.when)
            waiting = timer._fiber
            if waiting is None:
                timer.callback()
            else:  # only a live timer gets here: its fiber still waits for it
                waiting.parked = False
                waiting.park_token += 1
                ready.append((waiting, timer._value))

    def _move_clock(self, when: float) -> None:
        """Move the clock to ``when`` (if later), sleeping for real until then with ``real_time``."""
        if when > self.now:
            if self.real_time:
                time.sleep(when - self.now)
            self.now = when

    def _would_fire_next(self, when: float) -> bool:
        """Whether a timer due at ``when``, set now while nothing is ready, is the next that :meth:`run` fires: no
        live timer is due by then (one set earlier for that very instant fires first), and nothing waits on the
        outside (or :meth:`advance` lets the clock go that far)."""
        timer = self._next_timer()
        return (timer is None or timer.when > when) and (when <= self._horizon or not self.waiting_on_outside())

    def _active_timer_waits(self) -> bool:
        """Whether a live timer that moves the clock by itself is still due (it then takes the clock past any
        passive one before it). (Asked after :meth:`_next_timer`, which made the deferred ones.)"""
        return any(not timer.passive and timer.alive() for _, _, timer in self._timers)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of clock time pass although the execution waits on the outside, running what
        falls due meanwhile; the clock ends ``seconds`` later if something still waits on the outside then."""
        target = self.now + seconds
        self._horizon = target
        try:
            self.run()
        finally:
            self._horizon = _NEVER
        if self.now < target and self.waiting_on_outside():
            self.now = target

    def _step(self, fiber: Fiber, value: Any) -> None:
        self.current = fiber
        try:
            command = fiber.body.send(value)
        except StopIteration as stop:
            self._finish(fiber, stop.value, None)
            return
        except StatesError as error:
            self._finish(fiber, None, error)
            return
        if isinstance(command, Sleep):
            token = fiber.park_token = fiber.park_token + 1
            until = command.until
            if not self._ready and self._would_fire_next(until):
                # What run() would do through a timer, without one: move the clock there and resume the fiber.
                self._move_clock(until)
                self._ready.append((fiber, None))
            else:
                self._add_timer(Timer(until, _nothing, fiber, token))
        elif isinstance(command, Park):
            fiber.parked = True
            token = fiber.park_token = fiber.park_token + 1
            if command.deadline is not None:
                self._add_timer(Timer(command.deadline, _nothing, fiber, token, TIMED_OUT))
        else:  # a bug in the emulator, not in the user's workflow
            raise TypeError(f"a fiber yielded {command!r}; expected Sleep or Park")

    def _finish(self, fiber: Fiber, result: Any, error: StatesError | None) -> None:
        fiber.done = True
        fiber.result = result
        fiber.error = error
        on_done, fiber.on_done = fiber.on_done, None  # called once: let go of it (often its execution's method)
        if on_done is not None:
            on_done(fiber)
