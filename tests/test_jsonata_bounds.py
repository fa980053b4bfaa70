"""JSONata in executions, end to end: an expression that never ends fails the execution, a regular
expression cannot stall it, and concurrent executions each read their own clock and random source.

The bounds are sfnlocal's (docs/jsonata-and-variables.md); the error and the EvaluationFailed event are
AWS's for any expression that throws (recorded, tests/test_jsonata_states.py). Timings are generous:
what is tested is that the execution ends, not how fast.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from support import machine

from sfnlocal import StateMachine

GENEROUS = 60.0  # seconds: the bound ends the endless expression in a few seconds on an idle machine


def pass_state(output: Any, **fields: Any) -> StateMachine:
    state = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": output, "End": True, **fields}
    return StateMachine.from_dict(machine({"P": state}))


def test_an_endless_self_recursive_function_fails_the_execution() -> None:
    # The reproduction; TimeoutSeconds cannot help, as the evaluation holds the thread.
    sm = StateMachine.from_dict(
        machine(
            {
                "P": {
                    "Type": "Pass",
                    "QueryLanguage": "JSONata",
                    "Output": "{% ($f := function($x){$f($x)}; $f(1)) %}",
                    "End": True,
                }
            },
            TimeoutSeconds=5,
        )
    )
    started = time.monotonic()
    run = sm.execute({})
    assert time.monotonic() - started < GENEROUS
    assert run.status == "FAILED"
    assert run.error == "States.QueryEvaluationError"
    assert run.cause is not None
    assert "The JSONata expression '($f := function($x){$f($x)}; $f(1))' specified for the field 'Output' " in run.cause
    assert "threw an error during evaluation. D1012: " in run.cause
    assert [event["type"] for event in run.history] == [
        "ExecutionStarted",
        "PassStateEntered",
        "EvaluationFailed",
        "ExecutionFailed",
    ]


def test_deep_recursion_fails_the_execution_and_a_catcher_sees_it() -> None:
    sm = StateMachine.from_dict(
        machine(
            {
                "Work": {
                    "Type": "Task",
                    "QueryLanguage": "JSONata",
                    "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                    "Arguments": {"n": "{% ($f := function($n){$n + $f($n + 1)}; $f(1)) %}"},
                    "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "Caught"}],
                    "End": True,
                },
                "Caught": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}", "End": True},
            }
        )
    )
    run = sm.execute({}, mocks={"Work": lambda event, context: event})
    assert run.status == "SUCCEEDED"
    assert run.output["Error"] == "States.QueryEvaluationError"
    assert "D1011: Stack overflow." in run.output["Cause"]


def test_a_catastrophic_regular_expression_does_not_stall_the_execution() -> None:
    # The reproduction: 40 "a" and a "!" against /^(a|aa)+$/ (minutes for a backtracking engine).
    sm = pass_state({"matched": "{% $contains($states.input.s, /^(a|aa)+$/) %}"})
    started = time.monotonic()
    run = sm.execute({"s": "a" * 40 + "!"})
    assert time.monotonic() - started < 10
    assert run.output == {"matched": False}


CLOCK_AND_DICE = {
    "now": "{% $now() %}",
    "millis": "{% $millis() %}",
    "uuid": "{% $uuid() %}",
    "random": "{% $random() %}",
}
START = datetime(2025, 1, 1, tzinfo=UTC)


def _start(index: int) -> datetime:
    return START + timedelta(days=index, milliseconds=index)


def test_concurrent_executions_each_read_their_own_clock_and_random_source() -> None:
    sm = pass_state(CLOCK_AND_DICE)
    count = 8 * 150
    alone = {index: sm.execute({}, seed=index, start_time=_start(index)).output for index in range(count)}
    # The clock is the execution's virtual clock, which starts at start_time (the state runs at that instant).
    for index, output in alone.items():
        start = _start(index)
        assert output["now"] == start.strftime("%Y-%m-%dT%H:%M:%S.") + f"{start.microsecond // 1000:03d}Z"
        assert output["millis"] == int(start.timestamp() * 1000)
    assert len({output["uuid"] for output in alone.values()}) == count

    together: dict[int, Any] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def execute(worker: int) -> None:
        try:
            barrier.wait()
            for index in range(worker, count, 8):
                together[index] = sm.execute({}, seed=index, start_time=_start(index)).output
        except BaseException as err:  # reported from the test's thread
            errors.append(err)

    threads = [threading.Thread(target=execute, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    differing = [index for index in range(count) if together[index] != alone[index]]
    assert differing == []
