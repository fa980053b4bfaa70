"""The cyclic collector is lazier while executions run, and put back as it was after (interpreter/collector.py)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from sfnlocal import StateMachine
from sfnlocal.interpreter.collector import YOUNG_THRESHOLD, execution_started, execution_stopped

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


@contextmanager
def lazier_collection() -> Iterator[None]:
    """What an execution does around its run."""
    execution_started()
    try:
        yield
    finally:
        execution_stopped()


@pytest.fixture
def thresholds():
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_an_execution_runs_with_a_lazier_collector_and_puts_it_back(thresholds):
    gc.set_threshold(700, 10, 10)
    seen = []

    class Watching:
        def invoke(self, request):
            from sfnlocal import Result

            seen.append(gc.get_threshold())
            return Result({})

    task = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True}},
    }
    assert StateMachine.from_dict(task).execute({}, integration=Watching()).status == "SUCCEEDED"
    assert seen == [(YOUNG_THRESHOLD, 10, 10)]
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("setting", [(0, 10, 10), (YOUNG_THRESHOLD * 2, 10, 10)])
def test_a_collector_switched_off_or_already_lazier_is_left_alone(thresholds, setting):
    gc.set_threshold(*setting)
    with lazier_collection():
        assert gc.get_threshold() == setting
    assert gc.get_threshold() == setting


def test_the_thresholds_come_back_when_the_last_of_concurrent_executions_ends(thresholds):
    gc.set_threshold(700, 10, 10)
    first_in, second_done, both_done = threading.Event(), threading.Event(), threading.Event()

    def first():
        with lazier_collection():
            first_in.set()
            second_done.wait(5)
            assert gc.get_threshold()[0] == YOUNG_THRESHOLD  # the other one ending did not put it back
        both_done.set()

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with lazier_collection():
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    second_done.set()
    thread.join(5)
    assert both_done.is_set()
    assert gc.get_threshold() == (700, 10, 10)


def test_the_thresholds_come_back_when_an_execution_fails_inside(thresholds):
    gc.set_threshold(700, 10, 10)
    with pytest.raises(RuntimeError), lazier_collection():
        raise RuntimeError("boom")
    assert gc.get_threshold() == (700, 10, 10)
