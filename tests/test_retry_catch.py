"""Retry and Catch matching and backoff, as the AWS "Handling errors" page specifies them."""

from __future__ import annotations

from random import Random

import pytest

from sfnlocal.interpreter.retry_catch import Catcher, Retrier, RetryCounters, error_matches, find_catcher
from sfnlocal.language.errors import StatesError


@pytest.mark.parametrize(
    ("error_equals", "error", "expected"),
    [
        (("States.ALL",), "MyError", True),
        (("States.ALL",), "States.Timeout", True),
        # Docs: States.ALL "cannot catch States.DataLimitExceeded or States.Runtime"; AWS does catch
        # DataLimitExceeded (recorded: test_task_lambda_catch_state_all_data_limit_exceeded...).
        (("States.ALL",), "States.DataLimitExceeded", True),
        (("States.ALL",), "States.Runtime", False),
        (("States.DataLimitExceeded",), "States.DataLimitExceeded", True),
        # Recorded from AWS: a Catch naming States.Runtime does not catch it either.
        (("States.Runtime",), "States.Runtime", False),
        # Docs: States.TaskFailed matches any known error except States.Timeout.
        (("States.TaskFailed",), "Lambda.ServiceException", True),
        (("States.TaskFailed",), "States.Timeout", False),
        (("HandledError",), "OtherError", False),
        (("A", "B"), "B", True),
        # sfnlocal's own set-up errors (a missing mock) are never hidden by a catcher.
        (("States.ALL",), "sfnlocal.MockMissing", False),
    ],
)
def test_error_equals_matching(error_equals: tuple[str, ...], error: str, expected: bool) -> None:
    assert error_matches(error_equals, error) is expected


def test_backoff_docs_example() -> None:
    # Docs: IntervalSeconds 3, MaxAttempts 2, BackoffRate 1.5 -> retries after 3 and 4.5 seconds.
    retrier = Retrier.from_spec(
        {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3, "MaxAttempts": 2, "BackoffRate": 1.5}
    )
    counters = RetryCounters((retrier,))
    error = StatesError("States.TaskFailed")
    rng = Random(0)
    assert [counters.next_retry(error, rng), counters.next_retry(error, rng), counters.next_retry(error, rng)] == [
        (0, 3),
        (0, 4.5),
        (0, None),  # the retrier still decides, and has no attempts left
    ]


def test_defaults_are_one_second_three_attempts_rate_two() -> None:
    counters = RetryCounters((Retrier.from_spec({"ErrorEquals": ["E"]}),))
    error = StatesError("E")
    assert [counters.next_retry(error, Random(0)) for _ in range(4)] == [(0, 1), (0, 2), (0, 4), (0, None)]


def test_max_attempts_zero_never_retries() -> None:
    counters = RetryCounters((Retrier.from_spec({"ErrorEquals": ["E"], "MaxAttempts": 0}),))
    assert counters.next_retry(StatesError("E"), Random(0)) == (0, None)
    assert counters.next_retry(StatesError("Other"), Random(0)) is None  # no retrier matches


def test_max_delay_caps_the_backoff() -> None:
    retrier = Retrier.from_spec(
        {"ErrorEquals": ["E"], "IntervalSeconds": 10, "BackoffRate": 10, "MaxAttempts": 5, "MaxDelaySeconds": 50}
    )
    assert [retrier.delay(n, Random(0)) for n in range(3)] == [10, 50, 50]


def test_full_jitter_is_within_bounds_and_reproducible_for_a_seed() -> None:
    retrier = Retrier.from_spec({"ErrorEquals": ["E"], "IntervalSeconds": 8, "JitterStrategy": "FULL"})
    first = [retrier.delay(n, Random(42)) for n in range(3)]
    again = [retrier.delay(n, Random(42)) for n in range(3)]
    assert first == again
    assert all(0 <= delay <= 8 * 2**n for n, delay in enumerate(first))


def test_each_retrier_counts_its_own_attempts_and_first_match_decides() -> None:
    retriers = (
        Retrier.from_spec({"ErrorEquals": ["A"], "MaxAttempts": 1}),
        Retrier.from_spec({"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}),
    )
    counters = RetryCounters(retriers)
    rng = Random(0)
    assert counters.next_retry(StatesError("A"), rng) == (0, 1)
    assert counters.next_retry(StatesError("B"), rng) == (1, 1)
    # "A" has used its retrier's single attempt; later retriers are not consulted for it.
    assert counters.next_retry(StatesError("A"), rng) == (0, None)
    assert counters.next_retry(StatesError("B"), rng) == (1, 2)


def test_catchers_are_tried_in_order() -> None:
    catchers = (
        Catcher.from_spec({"ErrorEquals": ["A"], "Next": "X"}, "/c/0"),
        Catcher.from_spec({"ErrorEquals": ["States.ALL"], "Next": "Y"}, "/c/1"),
    )
    assert find_catcher(catchers, StatesError("A")) == (0, catchers[0])
    assert find_catcher(catchers, StatesError("B")) == (1, catchers[1])
    assert find_catcher(catchers, StatesError("States.Runtime")) is None
