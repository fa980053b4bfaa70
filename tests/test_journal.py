"""The Journal (sfnlocal/interpreter/journal.py): an execution run again through what an earlier run recorded
stands where that run stood (the same history, the same waiting tokens) without invoking its tasks again.

Each test runs an execution with a fresh :class:`sfnlocal.Journal`, then runs it again with ``Journal(entries)``
and a new counting integration serving the same answers: the histories are compared whole, and the second
integration must not have been asked anything (a child execution's start is the exception: it cannot be written
down, so the Step Functions integration starts the child again, and the child's own tasks come from the journal).
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable
from typing import Any, TypeAlias

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sfnlocal import (
    AwaitToken,
    AwaitWorker,
    ExecutionResult,
    Failure,
    Journal,
    Result,
    StateMachine,
    StatesError,
    TaskRequest,
)
from sfnlocal.interpreter.callbacks import TaskTokenError
from sfnlocal.server.clock import RealTimeMachine

ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:Work"
LAMBDA = "arn:aws:states:::lambda:invoke"
TOKEN_TASK = "arn:aws:states:::lambda:invoke.waitForTaskToken"

# An outcome, or a function of the request giving one.
Answer: TypeAlias = Any


class Counting:
    """An integration answering by state name (an outcome, or a function of the request), counting what it serves.
    A state it has no answer for is left to the next integration (the built-in ones)."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, str]] = []

    def invoke(self, request: TaskRequest) -> Any:
        answer = self.answers.get(request.state_name)
        if answer is None:
            return None
        self.calls.append((request.state_name, request.part))
        return answer(request) if callable(answer) else answer


def run_and_replay(
    machine: StateMachine, answers: dict[str, Answer], drive: Callable[[ExecutionResult], Any] = lambda run: None
) -> tuple[ExecutionResult, ExecutionResult, Journal, Counting]:
    """Run ``machine`` with a journal, ``drive`` it (answer tokens, advance, ...), then run it again through the
    journal's entries: (the first run, the replayed one, the first journal, the replay's integration)."""
    journal = Journal()
    run = machine.execute({"order": 7}, integration=Counting(answers), journal=journal)
    drive(run)
    served = Counting(answers)
    again = machine.execute({"order": 7}, integration=served, journal=Journal(json_copy(journal.entries)))
    return run, again, journal, served


def json_copy(value: Any) -> Any:
    """``value`` through JSON text, as the server's store keeps a journal (and a proof that it is JSON)."""
    return json.loads(json.dumps(value))


def assert_same(run: ExecutionResult, again: ExecutionResult) -> None:
    assert again.history == run.history
    assert (again.status, again.output, again.error, again.cause) == (run.status, run.output, run.error, run.cause)
    assert again.task_tokens == run.task_tokens and again.waiting_tasks == run.waiting_tasks
    assert again.clock == run.clock and again.next_timer == run.next_timer


def token_machine(**task: Any) -> StateMachine:
    return StateMachine.from_dict(
        {
            "StartAt": "Price",
            "States": {
                "Price": {"Type": "Task", "Resource": LAMBDA, "Next": "Approve"},
                "Approve": {
                    "Type": "Task",
                    "Resource": TOKEN_TASK,
                    "Parameters": {"token.$": "$$.Task.Token"},
                    "Catch": [{"ErrorEquals": ["Rejected"], "ResultPath": "$.why", "Next": "Refund"}],
                    "Next": "Ship",
                    **task,
                },
                "Ship": {"Type": "Task", "Resource": LAMBDA, "End": True},
                "Refund": {"Type": "Task", "Resource": LAMBDA, "End": True},
            },
        }
    )


TOKEN_ANSWERS = {
    "Price": Result({"price": 42}),
    "Approve": AwaitToken(),
    "Ship": lambda request: Result({"shipped": request.arguments}),
    "Refund": Result({"refunded": True}, after=3.0),
}


@pytest.mark.parametrize(
    ("answer", "status", "last_task"),
    [
        (lambda run, token: run.send_task_success(token, {"approved": True}), "SUCCEEDED", "Ship"),
        (lambda run, token: run.send_task_failure(token, "Rejected", "too dear"), "SUCCEEDED", "Refund"),
        (lambda run, token: run.send_task_heartbeat(token), "RUNNING", "Approve"),
    ],
    ids=["success", "failure", "heartbeat"],
)
def test_a_token_answered_is_answered_again_and_no_task_is_invoked_again(
    answer: Callable[[ExecutionResult, str], Any], status: str, last_task: str
) -> None:
    machine = token_machine(HeartbeatSeconds=60)
    run, again, journal, served = run_and_replay(machine, TOKEN_ANSWERS, lambda run: answer(run, run.task_tokens[0]))
    assert run.status == status and run.path[-1] == last_task
    assert_same(run, again)
    assert served.calls == []


def test_a_replayed_run_goes_on_live_and_records_what_comes_next() -> None:
    machine = token_machine()
    journal = Journal()
    run = machine.execute({"order": 7}, integration=Counting(TOKEN_ANSWERS), journal=journal)
    halfway = json_copy(journal.entries)
    recorded: list[dict[str, Any]] = []
    served = Counting(TOKEN_ANSWERS)
    again = machine.execute({"order": 7}, integration=served, journal=Journal(halfway, on_entry=recorded.append))
    assert served.calls == [] and recorded == []  # nothing replayed is recorded again
    token = run.task_tokens[0]
    run.send_task_success(token, {"approved": True})
    again.send_task_success(token, {"approved": True})
    assert served.calls == [("Ship", "Task")]  # after the journal's end the tasks are invoked live
    assert_same(run, again)
    assert [entry["call"]["call"] if "call" in entry else entry["answer"]["state"] for entry in recorded] == [
        "success",
        "Ship",
    ]


def test_an_activity_task_taken_and_answered_is_replayed() -> None:
    machine = StateMachine.from_dict(
        {
            "StartAt": "Work",
            "States": {
                "Work": {"Type": "Task", "Resource": ACTIVITY, "HeartbeatSeconds": 30, "Next": "Again"},
                "Again": {"Type": "Task", "Resource": ACTIVITY, "End": True},
            },
        }
    )
    taken: list[dict[str, Any] | None] = []

    def drive(run: ExecutionResult) -> None:
        first = run.get_activity_task(ACTIVITY, "worker-1")
        assert first is not None and json.loads(first["input"]) == {"order": 7}
        run.send_task_heartbeat(first["taskToken"])
        run.send_task_success(first["taskToken"], {"done": 1})
        taken.append(run.get_activity_task(ACTIVITY, "worker-2"))  # taken, not answered yet

    # No integration serves an activity: it waits for a worker (AwaitWorker by default).
    run, again, _, served = run_and_replay(machine, {}, drive)
    assert run.status == "RUNNING" and taken[0] is not None and run.task_tokens == [taken[0]["taskToken"]]
    assert_same(run, again)
    assert again.get_activity_task(ACTIVITY, "worker-3") is None  # the second task was taken before
    again.send_task_success(taken[0]["taskToken"], {"done": 2})
    assert (again.status, again.output) == ("SUCCEEDED", {"done": 2})
    started = [
        event["activityStartedEventDetails"]["workerName"]
        for event in run.history
        if "activityStartedEventDetails" in event
    ]
    assert started == ["worker-1", "worker-2"]


def test_an_activity_answered_by_an_integration_as_awaiting_a_worker_is_replayed() -> None:
    machine = StateMachine.from_dict(
        {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": ACTIVITY, "End": True}}}
    )
    run, again, _, served = run_and_replay(machine, {"Work": AwaitWorker()})
    assert run.status == "RUNNING" and run.task_tokens == []  # nobody took it yet
    assert_same(run, again)
    assert served.calls == []
    task = again.get_activity_task(ACTIVITY, "late")
    assert task is not None
    again.send_task_failure(task["taskToken"], "Broke", "worker")
    assert (again.status, again.error, again.cause) == ("FAILED", "Broke", "worker")


def test_a_retry_with_backoff_after_a_failure_is_replayed_without_invoking_again() -> None:
    machine = StateMachine.from_dict(
        {
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": LAMBDA,
                    "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3}],
                    "End": True,
                }
            },
        }
    )

    def flaky(request: TaskRequest) -> Any:
        return Failure("Flaky", f"attempt {request.invocation}") if request.invocation < 2 else Result({"ok": 2})

    run, again, _, served = run_and_replay(machine, {"Call": flaky})
    assert run.status == "SUCCEEDED" and run.output == {"ok": 2} and run.stop_date is not None
    assert (run.stop_date - run.start_date).total_seconds() == 2 + 6  # the backoffs: 2 s, then 2 * 3
    assert_same(run, again)
    assert served.calls == []


def test_an_integration_raising_states_error_is_replayed_as_raising() -> None:
    machine = StateMachine.from_dict(
        {
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": LAMBDA,
                    "Retry": [{"ErrorEquals": ["Custom.Down"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                    "End": True,
                }
            },
        }
    )

    def down(request: TaskRequest) -> Any:
        if request.invocation == 0:
            raise StatesError("Custom.Down", "first")
        raise RuntimeError("a bug in the integration")  # reported as sfnlocal.IntegrationFailed

    run, again, _, served = run_and_replay(machine, {"Call": down})
    assert run.status == "FAILED" and run.error == "sfnlocal.IntegrationFailed"
    assert "RuntimeError: a bug in the integration" in (run.cause or "")
    assert_same(run, again)
    assert served.calls == []


def test_parallel_and_inline_map_branches_are_replayed() -> None:
    machine = StateMachine.from_dict(
        {
            "StartAt": "Both",
            "States": {
                "Both": {
                    "Type": "Parallel",
                    "Branches": [
                        {"StartAt": "Left", "States": {"Left": {"Type": "Task", "Resource": TOKEN_TASK, "End": True}}},
                        {
                            "StartAt": "Each",
                            "States": {
                                "Each": {
                                    "Type": "Map",
                                    "ItemsPath": "$.items",
                                    "ItemProcessor": {
                                        "StartAt": "Square",
                                        "States": {
                                            "Square": {"Type": "Task", "Resource": LAMBDA, "Next": "Confirm"},
                                            "Confirm": {"Type": "Task", "Resource": TOKEN_TASK, "End": True},
                                        },
                                    },
                                    "End": True,
                                }
                            },
                        },
                    ],
                    "End": True,
                }
            },
        }
    )
    answers = {
        "Left": AwaitToken(),
        "Square": lambda request: Result(request.arguments * request.arguments, after=request.arguments),
        "Confirm": AwaitToken(),
    }
    journal = Journal()
    run = machine.execute({"items": [1, 2, 3]}, integration=Counting(answers), journal=journal)
    # While a task waits for its token the clock moves only when told: the squares take 1, 2 and 3 seconds.
    assert len(run.task_tokens) == 1
    snapshots = [(json_copy(journal.entries), run.history, run.task_tokens)]
    run.advance(3)
    assert len(run.task_tokens) == 4  # Left, and Confirm in each of the three iterations
    snapshots.append((json_copy(journal.entries), run.history, run.task_tokens))
    for index, token in enumerate(reversed(run.task_tokens)):  # answered out of order
        run.send_task_success(token, {"answer": index})
        snapshots.append((json_copy(journal.entries), run.history, run.task_tokens))
    assert run.status == "SUCCEEDED"
    for entries, history, tokens in snapshots:
        served = Counting(answers)
        again = machine.execute({"items": [1, 2, 3]}, integration=served, journal=Journal(entries))
        assert (again.history, again.task_tokens, served.calls) == (history, tokens, [])
    assert again.output == run.output


def test_a_child_execution_is_started_again_and_its_tasks_come_from_the_journal() -> None:
    child = StateMachine.from_dict(
        {
            "StartAt": "Ask",
            "States": {
                "Ask": {"Type": "Task", "Resource": TOKEN_TASK, "Next": "Calc"},
                "Calc": {"Type": "Task", "Resource": LAMBDA, "End": True},
            },
        },
        name="Child",
    )
    parent = StateMachine.from_dict(
        {
            "StartAt": "Pre",
            "States": {
                "Pre": {"Type": "Task", "Resource": LAMBDA, "Next": "Run child"},
                "Run child": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {"StateMachineArn": child.arn, "Input.$": "$", "Name": "kid"},
                    "Next": "Post",
                },
                "Post": {"Type": "Task", "Resource": LAMBDA, "End": True},
            },
        },
        name="Parent",
    )
    answers = {"Pre": Result({"pre": 1}), "Ask": AwaitToken(), "Calc": Result({"calc": 2}), "Post": Result({"post": 3})}
    journal = Journal()
    run = parent.execute({}, integration=Counting(answers), journal=journal)
    waiting = (json_copy(journal.entries), run.history, run.children[0].history, run.task_tokens)
    run.send_task_success(run.task_tokens[0], {"ok": True})
    assert run.status == "SUCCEEDED" and run.children[0].output == {"calc": 2}
    entries, history, child_history, tokens = waiting
    served = Counting(answers)
    halfway = parent.execute({}, integration=served, journal=Journal(entries))
    assert (halfway.history, halfway.children[0].history, halfway.task_tokens) == (history, child_history, tokens)
    served = Counting(answers)
    again = parent.execute({}, integration=served, journal=Journal(json_copy(journal.entries)))
    assert_same(run, again)
    assert again.children[0].history == run.children[0].history
    assert served.calls == []


def test_a_distributed_map_reading_its_items_from_a_mock_is_replayed() -> None:
    machine = StateMachine.from_dict(
        {
            "StartAt": "Read",
            "States": {
                "Read": {
                    "Type": "Map",
                    "ItemReader": {
                        "Resource": "arn:aws:states:::s3:getObject",
                        "ReaderConfig": {"InputType": "JSONL"},
                        "Parameters": {"Bucket": "events", "Key": "today.jsonl"},
                    },
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "Double",
                        "States": {
                            "Double": {"Type": "Task", "Resource": LAMBDA, "Next": "Ask"},
                            "Ask": {"Type": "Task", "Resource": TOKEN_TASK, "End": True},
                        },
                    },
                    "End": True,
                }
            },
        }
    )
    answers = {
        # A mock keyed by the Map state stands for what its ItemReader reads (docs/distributed-map.md).
        "Read": lambda request: Result('{"n": 1}\n{"n": 2}\n') if request.part == "ItemReader" else None,
        "Double": lambda request: Result({"double": request.arguments["n"] * 2}),
        "Ask": AwaitToken(),
    }
    journal = Journal()
    first = Counting(answers)
    run = machine.execute({}, integration=first, journal=journal)
    assert first.calls[0] == ("Read", "ItemReader") and len(run.task_tokens) == 2
    waiting = (json_copy(journal.entries), run.history, run.map_runs, run.task_tokens)
    for token in run.task_tokens:
        run.send_task_success(token, {"token": token})
    assert run.status == "SUCCEEDED"
    entries, history, map_runs, tokens = waiting
    served = Counting(answers)
    halfway = machine.execute({}, integration=served, journal=Journal(entries))
    assert (halfway.history, halfway.map_runs, halfway.task_tokens, served.calls) == (history, map_runs, tokens, [])
    served = Counting(answers)
    again = machine.execute({}, integration=served, journal=Journal(json_copy(journal.entries)))
    assert_same(run, again)
    arn = run.map_runs[0]["mapRunArn"]
    assert again.map_runs == run.map_runs and again.map_run_children(arn) == run.map_run_children(arn)
    assert served.calls == []


def test_a_stop_is_replayed() -> None:
    machine = token_machine()
    run, again, _, served = run_and_replay(machine, TOKEN_ANSWERS, lambda run: run.stop("Cancelled", "by the test"))
    assert run.status == "ABORTED"
    assert_same(run, again)
    assert again.history[-1]["executionAbortedEventDetails"] == {"error": "Cancelled", "cause": "by the test"}
    assert served.calls == []


@pytest.mark.parametrize(
    ("task", "seconds", "lasted"),
    [({"TimeoutSeconds": 30}, [10, 25], 30), ({"HeartbeatSeconds": 20, "TimeoutSeconds": 300}, [15, 15], 20)],
    ids=["TimeoutSeconds", "HeartbeatSeconds"],
)
def test_time_passing_is_replayed_and_timeouts_run_out_again(
    task: dict[str, Any], seconds: list[int], lasted: int
) -> None:
    machine = StateMachine.from_dict(
        {"StartAt": "Approve", "States": {"Approve": {"Type": "Task", "Resource": TOKEN_TASK, "End": True, **task}}}
    )

    def drive(run: ExecutionResult) -> None:
        for step in seconds:
            run.advance(step)

    run, again, _, served = run_and_replay(machine, {"Approve": AwaitToken()}, drive)
    # AWS reports a heartbeat that ran out as States.Timeout too (recorded; see states/task.py).
    assert (run.status, run.error) == ("FAILED", "States.Timeout")
    assert run.stop_date is not None and (run.stop_date - run.start_date).total_seconds() == lasted
    assert_same(run, again)
    assert served.calls == []


def test_wait_states_on_a_clock_moved_from_outside_are_replayed() -> None:
    # sfnlocal serve's executions: their clock moves only when the server's clock moves it (advance).
    machine = RealTimeMachine(
        {
            "StartAt": "Nap",
            "States": {
                "Nap": {"Type": "Wait", "Seconds": 60, "Next": "Price"},
                "Price": {"Type": "Task", "Resource": LAMBDA, "Next": "Doze"},
                "Doze": {"Type": "Wait", "Seconds": 30, "Next": "Ship"},
                "Ship": {"Type": "Task", "Resource": LAMBDA, "End": True},
            },
        }
    )
    answers = {"Price": Result({"price": 42}), "Ship": Result({"shipped": True})}
    journal = Journal()
    run = machine.execute({}, integration=Counting(answers), journal=journal)
    assert run.status == "RUNNING" and run.next_timer == run.clock + 60
    snapshots = []
    for step in (45, 20, 10):  # into the first Wait, past it, into the second
        run.advance(step)
        snapshots.append((json_copy(journal.entries), run.history, run.clock, run.next_timer))
    assert run.status == "RUNNING" and run.path == ["Nap", "Price", "Doze"]
    for entries, history, clock, next_timer in snapshots:
        served = Counting(answers)
        again = machine.execute({}, integration=served, journal=Journal(entries))
        assert (again.history, again.clock, again.next_timer, served.calls) == (history, clock, next_timer, [])
    again.advance(15)
    run.advance(15)
    assert run.status == "SUCCEEDED"
    assert_same(run, again)


def test_a_changed_definition_stops_replaying_answers_where_the_run_diverges(caplog: pytest.LogCaptureFixture) -> None:
    before: dict[str, Any] = {
        "StartAt": "Price",
        "States": {
            "Price": {"Type": "Task", "Resource": LAMBDA, "Next": "Ship"},
            "Ship": {"Type": "Task", "Resource": LAMBDA, "End": True},
        },
    }
    answers = {"Price": Result({"price": 42}), "Check": Result({"checked": True}), "Ship": Result({"shipped": 1})}
    journal = Journal()
    StateMachine.from_dict(before).execute({}, integration=Counting(answers), journal=journal)
    changed = copy.deepcopy(before)
    changed["States"]["Price"]["Next"] = "Check"
    changed["States"]["Check"] = {"Type": "Task", "Resource": LAMBDA, "Next": "Ship"}
    served = Counting(answers)
    with caplog.at_level(logging.WARNING, logger="sfnlocal.journal"):
        again = StateMachine.from_dict(changed).execute({}, integration=served, journal=Journal(journal.entries))
    assert again.status == "SUCCEEDED" and again.path == ["Price", "Check", "Ship"]
    # Price's answer is replayed; from Check on (not the recorded Ship) every task is invoked live, Ship too.
    assert served.calls == [("Check", "Task"), ("Ship", "Task")]
    [warning] = [record for record in caplog.records if record.name == "sfnlocal.journal"]
    assert warning.levelno == logging.WARNING
    assert "'Check'" in warning.getMessage() and "'Ship'" in warning.getMessage()


def test_entries_are_json_and_nothing_is_shared_with_the_caller_or_the_integration() -> None:
    shared = {"items": [1, 2]}
    machine = token_machine()
    answers = {**TOKEN_ANSWERS, "Price": Result(shared)}
    journal = Journal()
    run = machine.execute({"order": 7}, integration=Counting(answers), journal=journal)
    answer = {"approved": [True]}
    run.send_task_success(run.task_tokens[0], answer)
    assert json_copy(journal.entries) == journal.entries  # JSON: what a store can keep
    recorded = json_copy(journal.entries)
    # What the integration answered and what the caller sent, changed afterwards, is not what was recorded.
    shared["items"].append(3)
    answer["approved"].append(False)
    assert journal.entries == recorded
    entries = json_copy(journal.entries)
    again = machine.execute({"order": 7}, integration=Counting(answers), journal=Journal(entries))
    assert_same(run, again)
    # The replayed execution's payloads are its own: changing them changes neither the journal nor the entries.
    again.output["shipped"]["approved"].append("changed")
    assert entries == recorded and journal.entries == recorded
    assert again.output == run.output


# The property: any sequence of calls, replayed at any point, stands where the original stood -------------------

BRANCHES = {
    "Type": "Parallel",
    "Branches": [
        {
            "StartAt": "Ask1",
            "States": {
                "Ask1": {
                    "Type": "Task",
                    "Resource": TOKEN_TASK,
                    "HeartbeatSeconds": 20,
                    "TimeoutSeconds": 90,
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught", "Next": "Recover"}],
                    "Next": "Nap",
                },
                "Recover": {"Type": "Pass", "Next": "Nap"},
                "Nap": {"Type": "Wait", "Seconds": 15, "Next": "Ask2"},
                "Ask2": {"Type": "Task", "Resource": TOKEN_TASK, "TimeoutSeconds": 60, "End": True},
            },
        },
        {
            "StartAt": "Act",
            "States": {
                "Act": {
                    "Type": "Task",
                    "Resource": ACTIVITY,
                    "HeartbeatSeconds": 25,
                    "TimeoutSeconds": 70,
                    "Retry": [
                        {
                            "ErrorEquals": ["States.Timeout", "States.HeartbeatTimeout"],
                            "IntervalSeconds": 5,
                            "MaxAttempts": 1,
                        }
                    ],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Gave up"}],
                    "Next": "Price",
                },
                "Price": {"Type": "Task", "Resource": LAMBDA, "End": True},
                "Gave up": {"Type": "Pass", "End": True},
            },
        },
        {
            "StartAt": "Doze",
            "States": {
                "Doze": {"Type": "Wait", "Seconds": 30, "Next": "Ask3"},
                "Ask3": {
                    "Type": "Task",
                    "Resource": TOKEN_TASK,
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Skip"}],
                    "End": True,
                },
                "Skip": {"Type": "Pass", "End": True},
            },
        },
    ],
    "End": True,
}
PROPERTY_ANSWERS = {
    "Ask1": AwaitToken(),
    "Ask2": AwaitToken(),
    "Ask3": AwaitToken(),
    "Price": lambda request: Result({"price": request.invocation}, after=4.0),
}

answers = st.tuples(st.just("answer"), st.integers(0, 5), st.sampled_from(["success", "failure", "heartbeat"]))
advances = st.tuples(st.just("advance"), st.integers(0, 40))
# Answers and time passing drawn more often than a stop, which ends the run and so the script.
operations = st.one_of(
    answers,
    answers,
    advances,
    advances,
    st.tuples(st.just("activity"), st.sampled_from(["w1", "w2"])),
    st.just(("stop",)),
)


def operate(run: ExecutionResult, operation: tuple[Any, ...]) -> None:
    """One call on a running execution, as a client might make it (a call AWS refuses changes nothing)."""
    kind = operation[0]
    if kind == "answer":
        tokens = run.task_tokens
        if not tokens:
            return
        token = tokens[operation[1] % len(tokens)]
        if operation[2] == "success":
            run.send_task_success(token, {"by": token[:8]})
        elif operation[2] == "failure":
            run.send_task_failure(token, "Refused", f"no to {token[:8]}")
        else:
            run.send_task_heartbeat(token)
    elif kind == "advance":
        run.advance(operation[1])
    elif kind == "activity":
        run.get_activity_task(ACTIVITY, operation[1])
    else:
        run.stop("Stopped", "by the property")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    clock_outside=st.booleans(),
    script=st.lists(operations, min_size=1, max_size=10),
)
def test_replaying_any_prefix_of_the_journal_stands_where_the_run_stood(
    clock_outside: bool, script: list[tuple[Any, ...]]
) -> None:
    kind = RealTimeMachine if clock_outside else StateMachine
    machine = kind({"StartAt": "All", "States": {"All": BRANCHES}})
    journal = Journal()
    run = machine.execute({}, integration=Counting(PROPERTY_ANSWERS), journal=journal)
    points = [(json_copy(journal.entries), run.status, run.history, run.task_tokens, run.waiting_tasks)]
    for operation in script:
        if run.status != "RUNNING":
            break
        count = len(journal.entries)
        try:
            operate(run, operation)
        except TaskTokenError:
            assert len(journal.entries) == count  # a refused call is not recorded
        points.append((json_copy(journal.entries), run.status, run.history, run.task_tokens, run.waiting_tasks))
    for entries, status, history, tokens, waiting in points:
        served = Counting(PROPERTY_ANSWERS)
        again = machine.execute({}, integration=served, journal=Journal(entries))
        assert (again.status, again.history, again.task_tokens, again.waiting_tasks) == (
            status,
            history,
            tokens,
            waiting,
        )
        assert served.calls == []


def test_what_an_integration_drew_from_the_executions_random_source_is_drawn_again() -> None:
    # The Lambda envelope of a mocked lambda:invoke (and a template function's run) takes its request id from the
    # execution's seeded source, as task tokens do: a replay that did not draw it too would hand out other tokens.
    machine = token_machine()
    journal = Journal()
    mocks = {"Price": {"price": 42}, "Ship": {"shipped": True}, "Refund": {"refunded": True}}
    run = machine.execute({"order": 7}, mocks=mocks, integration=Counting({"Approve": AwaitToken()}), journal=journal)
    assert run.state("Price").output["SdkHttpMetadata"]["HttpStatusCode"] == 200  # the Invoke envelope
    served = Counting({"Approve": AwaitToken()})
    replay = Journal(json_copy(journal.entries))
    again = machine.execute({"order": 7}, mocks=mocks, integration=served, journal=replay)
    assert again.task_tokens == run.task_tokens
    assert_same(run, again)
    again.send_task_success(run.task_tokens[0], {"approved": True})
    run.send_task_success(run.task_tokens[0], {"approved": True})
    assert served.calls == [] and again.status == "SUCCEEDED"
    assert_same(run, again)
