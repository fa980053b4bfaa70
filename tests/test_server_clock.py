"""sfnlocal serve's clocks: the real clock (executions follow the wall, scaled by the wait-time scale), the
virtual one, and advancing either (the engine's advance_clock, behind the admin call)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from sfnlocal.server.api import OPERATIONS
from sfnlocal.server.clock import Clock
from sfnlocal.server.engine import Engine
from sfnlocal.server.http import load_operations

ROLE = "arn:aws:iam::123456789012:role/run"
WAIT = {
    "StartAt": "Wait",
    "States": {"Wait": {"Type": "Wait", "Seconds": 2, "Next": "Done"}, "Done": {"Type": "Pass", "End": True}},
}
LONG_WAIT = {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 3600, "End": True}}}
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:Work"
# An activity task (no in-process AWS needed) that times out 60 seconds after it was scheduled.
CALLBACK = {
    "StartAt": "Ask",
    "States": {"Ask": {"Type": "Task", "Resource": ACTIVITY, "TimeoutSeconds": 60, "End": True}},
}


def call(engine: Engine, operation: str, **request: Any) -> dict[str, Any]:
    load_operations()
    return OPERATIONS[operation](engine, request)


@pytest.fixture
def real() -> Iterator[Engine]:
    engine = Engine(clock="real", wait_time_scale=0.02, activity_poll_seconds=0)  # a second lasts 20 ms
    yield engine
    engine.close()


@pytest.fixture
def virtual() -> Iterator[Engine]:
    engine = Engine(activity_poll_seconds=0)
    yield engine
    engine.close()


def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.005)


def start(engine: Engine, definition: dict[str, Any], name: str = "run") -> str:
    if definition is CALLBACK:
        call(engine, "CreateActivity", name="Work")
    arn = call(engine, "CreateStateMachine", name="m", definition=json.dumps(definition), roleArn=ROLE)
    return str(call(engine, "StartExecution", stateMachineArn=arn["stateMachineArn"], name=name)["executionArn"])


def status(engine: Engine, execution: str) -> str:
    return str(call(engine, "DescribeExecution", executionArn=execution)["status"])


def events(engine: Engine, execution: str) -> dict[str, Any]:
    history = call(engine, "GetExecutionHistory", executionArn=execution)["events"]
    return {event["type"]: event["timestamp"] for event in history}


def test_the_real_clock_waits_for_the_wall_scaled() -> None:
    engine = Engine(clock="real", wait_time_scale=0.05)  # 2 seconds of Wait last 100 ms
    try:
        began = time.monotonic()
        execution = start(engine, WAIT)
        assert status(engine, execution) == "RUNNING"  # the Wait has not run out inside StartExecution
        until(lambda: status(engine, execution) == "SUCCEEDED")
        assert 0.09 <= time.monotonic() - began < 2.0
        stamps = events(engine, execution)
        assert stamps["WaitStateExited"] - stamps["WaitStateEntered"] == timedelta(seconds=2)
    finally:
        engine.close()


def test_the_virtual_clock_runs_a_wait_inside_start_execution(virtual: Engine) -> None:
    engine = virtual
    execution = start(engine, WAIT)
    assert status(engine, execution) == "SUCCEEDED"


def test_advancing_the_real_clock_runs_what_falls_due(real: Engine) -> None:
    execution = start(real, LONG_WAIT)
    assert status(real, execution) == "RUNNING"
    described = real.advance_clock(3600)
    assert described["clock"] == "real" and described["advancedSeconds"] == 3600
    assert status(real, execution) == "SUCCEEDED"


def test_advancing_the_virtual_clock_times_a_task_out(virtual: Engine) -> None:
    engine = virtual
    execution = start(engine, CALLBACK)
    assert status(engine, execution) == "RUNNING"
    engine.advance_clock(59)
    assert status(engine, execution) == "RUNNING"
    engine.advance_clock(1)  # nobody took the task within its TimeoutSeconds
    described = call(engine, "DescribeExecution", executionArn=execution)
    assert (described["status"], described["error"]) == ("FAILED", "States.Timeout")  # AWS's name for it (recorded)
    assert engine.time.describe()["advancedSeconds"] == 60


def test_a_real_clock_timeout_runs_out_before_a_late_answer() -> None:
    engine = Engine(clock="real", wait_time_scale=0.005, activity_poll_seconds=0)  # 60 seconds last 300 ms
    try:
        execution = start(engine, CALLBACK)
        token = call(engine, "GetActivityTask", activityArn=ACTIVITY)["taskToken"]
        time.sleep(0.5)
        with pytest.raises(Exception, match="TaskTimedOut"):
            call(engine, "SendTaskSuccess", taskToken=token, output="{}")
        assert status(engine, execution) == "FAILED"
    finally:
        engine.close()


def test_an_answer_on_the_real_clock_is_stamped_with_the_wall_time(real: Engine) -> None:
    execution = start(real, CALLBACK)
    token = call(real, "GetActivityTask", activityArn=ACTIVITY)["taskToken"]
    time.sleep(0.1)  # 5 seconds on a clock 50 times as fast
    call(real, "SendTaskSuccess", taskToken=token, output='{"ok": true}')
    stamps = events(real, execution)
    assert status(real, execution) == "SUCCEEDED"
    assert timedelta(seconds=4) <= stamps["ActivitySucceeded"] - stamps["ActivityStarted"] < timedelta(seconds=29)


def test_stopping_on_the_real_clock(real: Engine) -> None:
    execution = start(real, LONG_WAIT)
    call(real, "StopExecution", executionArn=execution, error="Halt")
    described = call(real, "DescribeExecution", executionArn=execution)
    assert (described["status"], described["error"]) == ("ABORTED", "Halt")


def test_clock_refusals() -> None:
    with pytest.raises(ValueError, match="clock 'sundial' is not one of real, virtual"):
        Clock("sundial")
    with pytest.raises(ValueError, match="greater than 0, not 0"):
        Clock("real", wait_time_scale=0)
    with pytest.raises(ValueError, match="0 or more, not -1"):
        Clock().advance(-1)


def test_the_virtual_clock_follows_the_wall_plus_its_advances() -> None:
    clock = Clock("virtual", now=lambda: 1000.0)
    clock.advance(0.5)
    assert clock.describe() == {
        "clock": "virtual",
        "now": 1000.5,
        "nowIso": "1970-01-01T00:16:40.500Z",
        "advancedSeconds": 0.5,
        "waitTimeScale": 1.0,
    }


def test_closing_a_real_clock_engine_ends_its_thread() -> None:
    engine = Engine(clock="real")
    ticker = engine._ticker
    assert ticker is not None and ticker._thread.is_alive()
    engine.close()
    assert not ticker._thread.is_alive()


def test_the_command_serves_a_wait_time_scale_of_0_with_the_virtual_clock() -> None:
    from argparse import Namespace

    from sfnlocal.cli.serve import _clock

    assert _clock(Namespace(clock="real", wait_time_scale=None)) == ("real", 1.0)
    assert _clock(Namespace(clock="real", wait_time_scale=0.1)) == ("real", 0.1)
    assert _clock(Namespace(clock="real", wait_time_scale=0.0)) == ("virtual", 1.0)
