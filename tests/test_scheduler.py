"""The cooperative scheduler: virtual time, fixed ordering, parking, timeouts, cancellation."""

from __future__ import annotations

import time

import pytest

from sfnlocal.interpreter.scheduler import TIMED_OUT, Park, Scheduler, Sleep, Timer
from sfnlocal.language.errors import StatesError

YEAR = 365 * 86400


def test_a_year_of_sleep_costs_no_wall_time(monkeypatch: pytest.MonkeyPatch) -> None:
    def real_sleep(seconds: float) -> None:
        raise AssertionError(f"the virtual clock slept for real ({seconds} s)")

    monkeypatch.setattr(time, "sleep", real_sleep)
    scheduler = Scheduler(start=0.0)

    def sleeper():
        for _ in range(12):
            yield Sleep(scheduler.now + YEAR / 12)
        return scheduler.now

    fiber = scheduler.spawn(sleeper())
    scheduler.run()
    assert fiber.result == YEAR


def test_ready_fibers_run_in_fifo_order_and_timers_by_due_time() -> None:
    scheduler = Scheduler(start=0.0)
    log: list[str] = []

    def worker(name: str, delay: float):
        log.append(f"{name} start")
        yield Sleep(scheduler.now + delay)
        log.append(f"{name} woke at {scheduler.now:g}")

    for name, delay in (("a", 5), ("b", 1), ("c", 5)):
        scheduler.spawn(worker(name, delay))
    scheduler.run()
    assert log == ["a start", "b start", "c start", "b woke at 1", "a woke at 5", "c woke at 5"]


def test_park_until_woken_with_a_value() -> None:
    scheduler = Scheduler(start=0.0)

    def waiter():
        return (yield Park(None))

    fiber = scheduler.spawn(waiter())
    scheduler.run()
    assert not fiber.done  # suspended, not hung: run() returned
    scheduler.wake(fiber, "answer")
    scheduler.run()
    assert fiber.result == "answer"


def test_park_deadline_resumes_with_timed_out() -> None:
    scheduler = Scheduler(start=100.0)

    def waiter():
        value = yield Park(deadline=160.0)
        return value, scheduler.now

    fiber = scheduler.spawn(waiter())
    scheduler.run()
    assert fiber.result == (TIMED_OUT, 160.0)


def test_waking_twice_resumes_once() -> None:
    scheduler = Scheduler(start=0.0)
    resumed: list[object] = []

    def waiter():
        resumed.append((yield Park(None)))
        resumed.append((yield Park(None)))

    fiber = scheduler.spawn(waiter())
    scheduler.run()
    scheduler.wake(fiber, 1)
    scheduler.wake(fiber, 2)
    scheduler.run()
    assert resumed == [1]


def test_states_error_finishes_the_fiber_with_that_error() -> None:
    scheduler = Scheduler(start=0.0)

    def failing():
        yield Sleep(1.0)
        raise StatesError("Boom", "why")

    fiber = scheduler.spawn(failing())
    scheduler.run()
    assert fiber.done and fiber.error is not None and fiber.error.error == "Boom"


def test_cancel_runs_finally_blocks() -> None:
    scheduler = Scheduler(start=0.0)
    cleaned: list[bool] = []

    def long_task():
        try:
            yield Sleep(1000.0)
        finally:
            cleaned.append(True)

    fiber = scheduler.spawn(long_task())
    scheduler.call_at(10.0, lambda: scheduler.cancel(fiber))
    scheduler.run()
    assert cleaned == [True] and fiber.cancelled


def test_real_time_clock_sleeps_for_real() -> None:
    scheduler = Scheduler(start=0.0, real_time=True)

    def sleeper():
        yield Sleep(0.05)

    scheduler.spawn(sleeper())
    began = time.perf_counter()
    scheduler.run()
    assert time.perf_counter() - began >= 0.04


# A fiber that sleeps while nothing else is ready: the clock goes straight to its instant when no timer is due by
# then; otherwise it waits in the timers as any other. Each case below must order things as timers would.


def test_a_timer_set_earlier_for_the_same_instant_fires_before_the_sleeper_resumes() -> None:
    scheduler = Scheduler(start=0.0)
    log: list[str] = []

    def sleeper():
        yield Sleep(10.0)
        log.append(f"woke at {scheduler.now:g}")

    scheduler.call_at(10.0, lambda: log.append(f"timer at {scheduler.now:g}"))
    scheduler.spawn(sleeper())
    scheduler.run()
    assert log == ["timer at 10", "woke at 10"]


def test_a_passive_timer_before_the_sleepers_instant_fires_at_its_own_time() -> None:
    scheduler = Scheduler(start=0.0)
    log: list[str] = []

    def sleeper():
        yield Sleep(10.0)
        log.append(f"woke at {scheduler.now:g}")
        yield Sleep(30.0)
        log.append(f"woke at {scheduler.now:g}")

    scheduler.call_at(5.0, lambda: log.append(f"passive at {scheduler.now:g}"), passive=True)
    scheduler.call_at(20.0, lambda: log.append(f"timer at {scheduler.now:g}"))
    scheduler.spawn(sleeper())
    scheduler.run()
    assert log == ["passive at 5", "woke at 10", "timer at 20", "woke at 30"]


def test_a_sleeper_waits_while_the_execution_waits_on_the_outside_until_advanced() -> None:
    outside = [True]
    scheduler = Scheduler(start=0.0, waiting_on_outside=lambda: outside[0])

    def sleeper():
        yield Sleep(10.0)
        return scheduler.now

    fiber = scheduler.spawn(sleeper())
    scheduler.run()
    assert (scheduler.now, fiber.done) == (0.0, False)
    scheduler.advance(4.0)
    assert (scheduler.now, fiber.done) == (4.0, False)
    scheduler.advance(6.0)
    assert (fiber.result, scheduler.now) == (10.0, 10.0)


def test_a_sleep_while_another_fiber_is_ready_lets_it_run_first() -> None:
    scheduler = Scheduler(start=0.0)
    log: list[str] = []

    def sleeper():
        yield Sleep(10.0)
        log.append(f"woke at {scheduler.now:g}")

    def other():
        log.append(f"other at {scheduler.now:g}")
        yield Sleep(10.0)
        log.append(f"other woke at {scheduler.now:g}")

    scheduler.spawn(sleeper())
    scheduler.spawn(other())
    scheduler.run()
    assert log == ["other at 0", "woke at 10", "other woke at 10"]


def test_a_sleep_into_the_past_leaves_the_clock_where_it_is() -> None:
    scheduler = Scheduler(start=100.0)

    def sleeper():
        yield Sleep(50.0)
        return scheduler.now

    fiber = scheduler.spawn(sleeper())
    scheduler.run()
    assert fiber.result == 100.0


def test_a_timer_set_lazily_is_ordered_as_when_it_was_set_and_made_only_when_the_timers_are_looked_at() -> None:
    scheduler = Scheduler(start=0.0)
    log: list[str] = []

    def make() -> Timer:
        log.append(f"made at {scheduler.now:g}")
        return Timer(10.0, lambda: log.append(f"lazy timer at {scheduler.now:g}"))

    def sleeper():
        log.append("sleeper runs")
        yield Sleep(10.0)
        log.append(f"woke at {scheduler.now:g}")

    scheduler.call_at_lazily(make)
    scheduler.call_at_lazily(lambda: None)  # (one that turned out needless: nothing is set)
    scheduler.call_at(10.0, lambda: log.append(f"timer at {scheduler.now:g}"))
    scheduler.spawn(sleeper())
    scheduler.run()
    assert log == ["sleeper runs", "made at 0", "lazy timer at 10", "timer at 10", "woke at 10"]
    assert scheduler.next_due() is None
