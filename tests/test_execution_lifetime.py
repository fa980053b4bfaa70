"""An ended execution is freed by reference counting alone once its result is let go of (no reference cycle is left
for the cyclic collector, whose collections would cost the next executions' time); one that waits on the outside
is kept while anything holds it, and a result is the same live view for as long as it is held."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from sfnlocal import StateMachine

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
WAIT_AND_TIME_OUT = {
    "StartAt": "W",
    "TimeoutSeconds": 3600,
    "States": {
        "W": {"Type": "Wait", "Seconds": 5, "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 10, "End": True},
    },
}
ACTIVITY = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:approve", "End": True}
    },
}


@pytest.fixture
def no_collector() -> Iterator[None]:
    """Only reference counting frees anything during the test. (Generation 0 only, here and in the tests: with the
    collector off, everything the test makes stays in it, and a full collection of a worker's heap takes a second.)"""
    gc.collect(0)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _freed(execution: weakref.ref[object]) -> bool:
    return execution() is None


@pytest.mark.usefixtures("no_collector")
@pytest.mark.parametrize("machine_type", ["STANDARD", "EXPRESS"])
def test_an_ended_execution_is_freed_by_reference_counting(machine_type: str) -> None:
    run = StateMachine.from_dict(PASS, type=machine_type).execute({"a": 1})
    assert run.status == "SUCCEEDED"
    execution = weakref.ref(run._execution)
    del run
    assert _freed(execution)


@pytest.mark.usefixtures("no_collector")
def test_one_whose_timers_fired_or_were_left_behind_too() -> None:
    run = StateMachine.from_dict(WAIT_AND_TIME_OUT).execute({}, mocks={"T": {"ok": True}})
    assert (run.status, run.output["Payload"]) == ("SUCCEEDED", {"ok": True})
    execution = weakref.ref(run._execution)
    del run
    assert _freed(execution)


@pytest.mark.usefixtures("no_collector")
def test_one_that_waits_on_the_outside_is_kept_and_runs_on_when_answered() -> None:
    run = StateMachine.from_dict(ACTIVITY).execute({})
    assert run.status == "RUNNING"
    execution = weakref.ref(run._execution)
    task = run.get_activity_task("arn:aws:states:us-east-1:123456789012:activity:approve")
    assert task is not None
    token = task["taskToken"]
    del run
    held = execution()
    assert held is not None  # kept as before (by its result, which it holds while it may run)
    result = held.result
    del held
    assert result.send_task_success(token, {"done": True}).output == {"done": True}
    del result
    assert _freed(execution)


def test_a_result_is_the_same_view_while_held_and_a_working_one_after() -> None:
    run = StateMachine.from_dict(PASS).execute({"a": 1})
    execution = run._execution
    assert execution.result is run is execution.result
    history = run.history
    del run
    again = execution.result
    assert again.status == "SUCCEEDED" and again.history == history and again is execution.result


DISTRIBUTED = {
    "StartAt": "M",
    "States": {
        "M": {
            "Type": "Map",
            "End": True,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "C",
                "States": {
                    "C": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "P"}],
                        "Default": "P",
                    },
                    "P": {"Type": "Pass", "End": True},
                },
            },
        }
    },
}
PARALLEL_WITH_RETRY = {
    "StartAt": "Both",
    "States": {
        "Both": {
            "Type": "Parallel",
            "End": True,
            "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
                {
                    "StartAt": "T",
                    "States": {
                        "T": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::lambda:invoke",
                            "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1}],
                            "End": True,
                        }
                    },
                },
            ],
        }
    },
}


@pytest.mark.usefixtures("no_collector")
def test_a_distributed_maps_children_leave_no_cycles() -> None:
    # A million children would otherwise wait for the collector, each with its history and counts.
    machine = StateMachine.from_dict(DISTRIBUTED)
    machine.execute([0])  # what a first execution sets up once (compiled templates, caches) is not its garbage
    gc.collect(0)
    run = machine.execute([0, 1, 2])
    assert run.status == "SUCCEEDED"
    del run
    assert gc.collect(0) == 0


@pytest.mark.usefixtures("no_collector")
def test_children_that_fail_and_retry_leave_no_cycles() -> None:
    from sfnlocal import mocks

    machine = StateMachine.from_dict(PARALLEL_WITH_RETRY)
    answers = {"T": mocks.sequence(mocks.raises("Busy", "later"), mocks.returns(1))}
    machine.execute({}, mocks=answers)  # what a first execution sets up once is not its garbage
    gc.collect(0)
    run = machine.execute({}, mocks=answers)
    assert run.status == "SUCCEEDED"
    del run
    assert gc.collect(0) == 0
