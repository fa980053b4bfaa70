"""Property: visiting Pass, Choice and Succeed without a generator (``visit.visit_now``) changes nothing anyone sees.

Each generated workflow runs twice through the public API with the same input, seed and limits: once as sfnlocal
runs it, once with the fast path turned off, so that every state is visited by the generator ``visit_state`` as
before the fast path existed. The one internal hook patched is ``sfnlocal.interpreter.visit.may_visit_now``: the
comparison is between the two ways of visiting, and that function is what chooses between them. Everything a caller
can read must be the same: status, output, error, cause, the whole rendered history (ids, previousEventId,
timestamps, details), the path, the timeline, every state's record, the variables, the observations, and what the
children of a Distributed Map did.

The workflows mix the immediate types (Pass with and without data-flow fields, intrinsics, ``$$`` paths and Assign;
Choice with rules, Default, and none matching without a Default; Succeed) with the types that wait or branch (Wait,
mocked Task with Retry/Catch, Parallel, inline and Distributed Map), in JSONPath and JSONata (including an
expression that fails at run time: EvaluationFailed), with loops bounded by a Choice on a counter. They run under
small ``history_limit`` / ``transition_limit`` values and ``stop_after``, so that the fast path's fall-back at each
limit is exercised; a sweep over every limit of one workflow makes sure each boundary is met. A redrive through a
server (where the fast path waits until the journal has replayed the run to its redrive point) ends the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sfnlocal import Failure, Result, StateMachine, mocks
from sfnlocal.interpreter import visit as visit_module
from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server
from sfnlocal.testing.server_fixture import SfnServer

Block = Callable[[str, str], tuple[str, dict[str, Any]]]
LAMBDA = "arn:aws:states:::lambda:invoke"
JSONATA = {"QueryLanguage": "JSONata"}


# Blocks: each builds states named from its prefix, entered at the name it returns, going on to ``after``. ------


def plain_pass(p: str, after: str) -> tuple[str, dict[str, Any]]:
    """A Pass with no data-flow field: it gives its input as its output."""
    return p, {p: {"Type": "Pass", "Next": after}}


def result_pass(p: str, after: str) -> tuple[str, dict[str, Any]]:
    return p, {p: {"Type": "Pass", "Result": {"k": p, "deep": [1, {"x": None}]}, "ResultPath": f"$.{p}", "Next": after}}


def parameters_pass(p: str, after: str) -> tuple[str, dict[str, Any]]:
    """Intrinsics (one drawing from the execution's random source) and the context object."""
    parameters = {
        "sum.$": "States.MathAdd($.n, 3)",
        "id.$": "States.UUID()",
        "text.$": "States.Format('n={} s={}', $.n, $.s)",
        "at.$": "$$.State.EnteredTime",
        "state.$": "$$.State.Name",
        "execution.$": "$$.Execution.Name",
        "count.$": "States.ArrayLength($.items)",
    }
    return p, {p: {"Type": "Pass", "Parameters": parameters, "ResultPath": f"$.{p}", "Next": after}}


def paths_pass(p: str, after: str) -> tuple[str, dict[str, Any]]:
    """InputPath, ResultPath and OutputPath; the InputPath of the second Pass names a field only some inputs have
    (States.Runtime for the others)."""
    second = f"{p}b"
    return p, {
        p: {"Type": "Pass", "InputPath": "$.s", "ResultPath": f"$.{p}", "OutputPath": "$", "Next": second},
        second: {"Type": "Pass", "InputPath": "$.maybe", "ResultPath": f"$.{second}", "OutputPath": "$", "Next": after},
    }


def assign_pass(p: str, after: str) -> tuple[str, dict[str, Any]]:
    return p, {p: {"Type": "Pass", "Assign": {f"{p}n.$": "$.n", f"{p}c": [p], "last.$": "$.s"}, "Next": after}}


def result_path_null_pass(p: str, after: str) -> tuple[str, dict[str, Any]]:
    return p, {p: {"Type": "Pass", "Result": "dropped", "ResultPath": None, "Next": after}}


def choice(p: str, after: str) -> tuple[str, dict[str, Any]]:
    """Rules with an Assign, and a Default."""
    return p, {
        p: {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 2, "Next": f"{p}hi", "Assign": {"picked": "hi"}},
                {
                    "And": [{"Variable": "$.s", "IsPresent": True}, {"Variable": "$.s", "StringMatches": "a*"}],
                    "Next": f"{p}a",
                },
            ],
            "Default": f"{p}lo",
            "OutputPath": "$",
        },
        f"{p}hi": {"Type": "Pass", "Result": "hi", "ResultPath": "$.band", "Next": after},
        f"{p}a": {"Type": "Pass", "Next": after},
        f"{p}lo": {"Type": "Pass", "Result": "lo", "ResultPath": "$.band", "Next": after},
    }


def choice_without_default(p: str, after: str) -> tuple[str, dict[str, Any]]:
    """No rule matches a negative n and there is no Default: States.Runtime."""
    return p, {p: {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 0, "Next": after}]}}


def succeed_early(p: str, after: str) -> tuple[str, dict[str, Any]]:
    return p, {
        p: {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": f"{p}ok"}], "Default": after},
        f"{p}ok": {"Type": "Succeed", "OutputPath": "$.s"},
    }


def fail_sometimes(p: str, after: str) -> tuple[str, dict[str, Any]]:
    return p, {
        p: {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 4, "Next": f"{p}no"}], "Default": after},
        f"{p}no": {"Type": "Fail", "Error": "Four", "Cause": "n was 4"},
    }


def wait(p: str, after: str) -> tuple[str, dict[str, Any]]:
    return p, {p: {"Type": "Wait", "Seconds": 2, "Next": after}}


def task(p: str, after: str) -> tuple[str, dict[str, Any]]:
    """A mocked Lambda task (see MOCKS) with a Retry and a Catch that goes through a Pass."""
    return p, {
        p: {
            "Type": "Task",
            "Resource": LAMBDA,
            "Parameters": {"FunctionName": "work", "Payload.$": "$"},
            "ResultSelector": {"got.$": "$.Payload"},
            "ResultPath": f"$.{p}",
            "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "MaxAttempts": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": f"$.{p}err", "Next": f"{p}caught"}],
            "Next": after,
        },
        f"{p}caught": {"Type": "Pass", "Next": after},
    }


def parallel(p: str, after: str) -> tuple[str, dict[str, Any]]:
    """Branches of immediate states, one waiting first, one that may fail (no Choice rule matches)."""
    return p, {
        p: {
            "Type": "Parallel",
            "ResultPath": f"$.{p}",
            "Next": after,
            "Branches": [
                {
                    "StartAt": f"{p}PA",
                    "States": {
                        f"{p}PA": {"Type": "Pass", "Next": f"{p}PB"},
                        f"{p}PB": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$.n", "NumericLessThan": 3, "Next": f"{p}PC"}],
                            "Default": f"{p}PD",
                        },
                        f"{p}PC": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()"}, "End": True},
                        f"{p}PD": {"Type": "Succeed"},
                    },
                },
                {
                    "StartAt": f"{p}QW",
                    "States": {
                        f"{p}QW": {"Type": "Wait", "Seconds": 1, "Next": f"{p}QA"},
                        f"{p}QA": {"Type": "Pass", "Result": 1, "Next": f"{p}QB"},
                        f"{p}QB": {"Type": "Succeed"},
                    },
                },
                {
                    "StartAt": f"{p}RA",
                    "States": {
                        f"{p}RA": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$.n", "NumericGreaterThan": -2, "Next": f"{p}RB"}],
                        },
                        f"{p}RB": {"Type": "Pass", "End": True},
                    },
                },
            ],
        }
    }


def inline_map(p: str, after: str) -> tuple[str, dict[str, Any]]:
    """Iterations that wait their item's seconds before a Choice and Passes: they exit out of order."""
    return p, {
        p: {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 3,
            "ResultPath": f"$.{p}",
            "Next": after,
            "ItemProcessor": {
                "StartAt": f"{p}MW",
                "States": {
                    f"{p}MW": {"Type": "Wait", "SecondsPath": "$", "Next": f"{p}MC"},
                    f"{p}MC": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$", "NumericGreaterThan": 1, "Next": f"{p}MBig"}],
                        "Default": f"{p}MSmall",
                    },
                    f"{p}MBig": {"Type": "Pass", "Parameters": {"big.$": "$", "id.$": "States.UUID()"}, "End": True},
                    f"{p}MSmall": {"Type": "Pass", "End": True},
                },
            },
        }
    }


def distributed_map(p: str, after: str) -> tuple[str, dict[str, Any]]:
    return p, {
        p: {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ResultPath": f"$.{p}",
            "Next": after,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": f"{p}DC",
                "States": {
                    f"{p}DC": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": f"{p}DZero"}],
                        "Default": f"{p}DOther",
                    },
                    f"{p}DZero": {"Type": "Pass", "Result": "zero", "End": True},
                    f"{p}DOther": {"Type": "Pass", "End": True},
                },
            },
        }
    }


def jsonata_pass(p: str, after: str) -> tuple[str, dict[str, Any]]:
    return p, {
        p: {
            **JSONATA,
            "Type": "Pass",
            "Output": "{% $merge([$states.input, {'" + p + "': $states.input.n * 2}]) %}",
            "Assign": {f"{p}v": "{% $count($states.input.items) + $states.input.n %}"},
            "Next": after,
        }
    }


def jsonata_plain_pass(p: str, after: str) -> tuple[str, dict[str, Any]]:
    return p, {p: {**JSONATA, "Type": "Pass", "Next": after}}


def jsonata_choice(p: str, after: str) -> tuple[str, dict[str, Any]]:
    return p, {
        p: {
            **JSONATA,
            "Type": "Choice",
            "Choices": [
                {
                    "Condition": "{% $states.input.n > 2 %}",
                    "Assign": {"high": "{% $states.input.n %}"},
                    "Output": "{% $merge([$states.input, {'high': true}]) %}",
                    "Next": f"{p}y",
                }
            ],
            "Default": f"{p}n",
            "Output": "{% $states.input %}",
        },
        f"{p}y": {**JSONATA, "Type": "Succeed", "Output": "{% $states.input %}"},
        f"{p}n": {**JSONATA, "Type": "Pass", "Output": "{% $states.input %}", "Next": after},
    }


def jsonata_failure(p: str, after: str) -> tuple[str, dict[str, Any]]:
    """An Output that fails at run time for an odd n (a string plus a number): EvaluationFailed."""
    output = "{% $states.input.n % 2 = 1 ? $states.input.s + 1 : $states.input %}"
    return p, {p: {**JSONATA, "Type": "Pass", "Output": output, "Next": after}}


def jsonpath_loop(p: str, after: str) -> tuple[str, dict[str, Any]]:
    """A counter in the data, counted up by an intrinsic until a Choice lets the loop go."""
    return p, {
        p: {"Type": "Pass", "Result": {"v": 0}, "ResultPath": f"$.{p}", "Next": f"{p}check"},
        f"{p}check": {
            "Type": "Choice",
            "Choices": [{"Variable": f"$.{p}.v", "NumericLessThan": 4, "Next": f"{p}body"}],
            "Default": after,
        },
        f"{p}body": {
            "Type": "Pass",
            "Parameters": {"v.$": f"States.MathAdd($.{p}.v, 1)"},
            "ResultPath": f"$.{p}",
            "Next": f"{p}same",
        },
        f"{p}same": {"Type": "Pass", "Next": f"{p}check"},
    }


def jsonata_loop(p: str, after: str) -> tuple[str, dict[str, Any]]:
    """A counter in a variable, counted up by Assign until a JSONata Condition lets the loop go."""
    return p, {
        p: {**JSONATA, "Type": "Pass", "Assign": {f"{p}i": 0}, "Next": f"{p}check"},
        f"{p}check": {
            **JSONATA,
            "Type": "Choice",
            "Choices": [{"Condition": "{% $" + p + "i < 3 %}", "Next": f"{p}body"}],
            "Default": after,
        },
        f"{p}body": {**JSONATA, "Type": "Pass", "Assign": {f"{p}i": "{% $" + p + "i + 1 %}"}, "Next": f"{p}check"},
    }


BLOCKS: tuple[Block, ...] = (
    plain_pass,
    result_pass,
    parameters_pass,
    paths_pass,
    assign_pass,
    result_path_null_pass,
    choice,
    choice_without_default,
    succeed_early,
    fail_sometimes,
    wait,
    task,
    parallel,
    inline_map,
    distributed_map,
    jsonata_pass,
    jsonata_plain_pass,
    jsonata_choice,
    jsonata_failure,
    jsonpath_loop,
    jsonata_loop,
)


def workflow(blocks: list[Block], end: str = "Succeed") -> dict[str, Any]:
    """The blocks one after the other, then a last state (a Succeed, or a Pass that ends the machine)."""
    states: dict[str, Any] = {"Done": {"Type": "Succeed"} if end == "Succeed" else {"Type": "Pass", "End": True}}
    after = "Done"
    for index in reversed(range(len(blocks))):
        after, built = blocks[index](f"B{index}", after)
        states.update(built)
    return {"StartAt": after, "States": states}


def task_mocks(definition: dict[str, Any], outcome: Any) -> dict[str, Any]:
    return {name: outcome for name, state in definition["States"].items() if state["Type"] == "Task"}


TASK_OUTCOMES = (
    mocks.returns({"ok": True}),
    mocks.returns({"late": True}, after=1.5),
    mocks.raises("Boom", "it broke"),
    mocks.sequence(mocks.raises("Busy", "try again"), mocks.returns({"second": True})),
)

inputs = st.fixed_dictionaries(
    {
        "n": st.integers(-2, 5),
        "s": st.sampled_from(["", "a", "ab", "b"]),
        "items": st.lists(st.integers(0, 3), max_size=4),
    },
    optional={"maybe": st.sampled_from([None, 0, "x", [1]])},
)


# Running a workflow both ways ------------------------------------------------------------------------------


@contextmanager
def without_fast_path() -> Iterator[None]:
    """Every state visited by the generator visit_state, as before visit_now existed."""
    with mock.patch.object(visit_module, "may_visit_now", lambda state, execution: False):
        yield


def seen(run: Any) -> dict[str, Any]:
    """Everything a caller can read of a finished execution."""
    return {
        "status": run.status,
        "output": run.output,
        "error": run.error,
        "cause": run.cause,
        "history": run.history,
        "path": run.path,
        "timeline": run.timeline,
        "states": {name: run.states[name] for name in run.states},
        "state()": {name: run.state(name) for name in run.path},
        "variables": run.variables,
        "observations": sorted(run.observations, key=repr),
        "child_state_counts": run.child_state_counts,
        "child_observation_counts": run.child_observation_counts,
    }


def both_ways(definition: dict[str, Any], execution_input: Any, **options: Any) -> tuple[dict[str, Any], ...]:
    machine = StateMachine.from_dict(definition)
    fast = seen(machine.execute(execution_input, seed=0, **options))
    with without_fast_path():
        slow = seen(machine.execute(execution_input, seed=0, **options))
    return fast, slow


def assert_same(definition: dict[str, Any], execution_input: Any, **options: Any) -> dict[str, Any]:
    fast, slow = both_ways(definition, execution_input, **options)
    for key in slow:
        assert fast[key] == slow[key], f"{key} differs with {options} for input {execution_input}"
    return fast


# The properties --------------------------------------------------------------------------------------------

limits = st.fixed_dictionaries(
    {},
    optional={
        "history_limit": st.integers(5, 40) | st.none(),
        "transition_limit": st.integers(1, 30),
        "stop_after": st.sampled_from([0.5, 1.0, 2.0, 3.5, 10.0]),
    },
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    blocks=st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=6),
    end=st.sampled_from(["Succeed", "Pass"]),
    timeout=st.sampled_from([None, 1, 3]),
    execution_input=inputs,
    outcome=st.sampled_from(TASK_OUTCOMES),
    options=limits,
)
def test_the_fast_path_changes_nothing_a_caller_sees(
    blocks: list[Block],
    end: str,
    timeout: int | None,
    execution_input: dict[str, Any],
    outcome: Any,
    options: dict[str, Any],
) -> None:
    definition = workflow(blocks, end)
    if timeout is not None:  # the machine's TimeoutSeconds, which may end it while it waits
        definition["TimeoutSeconds"] = timeout
    fast = assert_same(definition, execution_input, mocks=task_mocks(definition, outcome) or None, **options)
    event(f"status {fast['status']}: {fast['error']}")


# One workflow with every kind of block, for the sweeps over each limit.
EVERYTHING = workflow(list(BLOCKS))
EVERYTHING_INPUT = {"n": 2, "s": "ab", "items": [2, 0, 1], "maybe": {"m": 1}}
EVERYTHING_MOCKS = task_mocks(EVERYTHING, TASK_OUTCOMES[3])


def test_the_sweeps_workflow_runs_to_its_end_through_every_kind_of_block() -> None:
    """The sweeps below cross every limit of a run that visits every block (a failure would cut it short)."""
    run = StateMachine.from_dict(EVERYTHING).execute(EVERYTHING_INPUT, seed=0, mocks=EVERYTHING_MOCKS)
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert run.path[-1] == "Done"
    types = {event["type"] for event in run.history}
    assert {"PassStateEntered", "ChoiceStateEntered", "WaitStateExited", "TaskSucceeded"} <= types
    assert {"ParallelStateExited", "MapStateExited", "MapRunSucceeded"} <= types
    assert run.child_state_counts == {"B14DC": 3, "B14DZero": 1, "B14DOther": 2}


def test_every_history_limit_falls_back_at_its_boundary() -> None:
    """Each limit from 2 to one past the history's length: the event that reaches it may be an Entered, an Exited,
    or one of the events around them; the fast path must leave each to the slow one exactly there."""
    full = StateMachine.from_dict(EVERYTHING).execute(EVERYTHING_INPUT, seed=0, mocks=EVERYTHING_MOCKS)
    events = len(full.history)
    statuses = set()
    for limit in range(2, events + 2):
        statuses.add(assert_same(EVERYTHING, EVERYTHING_INPUT, mocks=EVERYTHING_MOCKS, history_limit=limit)["status"])
    assert statuses == {"FAILED", "SUCCEEDED"}


@pytest.mark.parametrize(
    ("stop_after", "statuses_seen"),
    [(None, {"FAILED", "SUCCEEDED"}), (1000.0, {"ABORTED", "SUCCEEDED"}), (1.0, {"ABORTED"})],
)
def test_every_transition_limit_falls_back_at_its_boundary(stop_after: float | None, statuses_seen: set[str]) -> None:
    """Each transition limit from 1 to one past the states entered: the limit fails the execution, or stops it
    (ABORTED) when ``stop_after`` is given; with ``stop_after=1.0`` the stop comes first at the larger limits (the
    run waits 2 seconds on its way)."""
    full = StateMachine.from_dict(EVERYTHING).execute(EVERYTHING_INPUT, seed=0, mocks=EVERYTHING_MOCKS)
    entered = len(full.path) + sum(full.child_state_counts.values())
    statuses = set()
    for limit in range(1, entered + 2):
        options = {"transition_limit": limit, "stop_after": stop_after}
        statuses.add(assert_same(EVERYTHING, EVERYTHING_INPUT, mocks=EVERYTHING_MOCKS, **options)["status"])
    assert statuses == statuses_seen


def test_an_endless_loop_is_ended_the_same_way_at_its_limits() -> None:
    """A loop of immediate states that never waits: only a limit ends it."""
    loop = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Choice", "Choices": [{"Variable": "$.go", "BooleanEquals": True, "Next": "A"}]},
        },
    }
    for options in (
        {"history_limit": 21},
        {"history_limit": 22},
        {"transition_limit": 9},
        {"transition_limit": 9, "stop_after": 5.0},
        {"history_limit": None, "transition_limit": 1000},
    ):
        seen_fast = assert_same(loop, {"go": True}, **options)
        assert seen_fast["status"] in ("FAILED", "ABORTED")


@pytest.mark.parametrize(
    "first", [{"Type": "Pass", "Next": "Double"}, {"Type": "Pass", "ResultPath": "$", "Next": "Double"}]
)
def test_an_output_over_the_payload_limit_fails_the_same_way(first: dict[str, Any]) -> None:
    """A Pass whose output would exceed 256 KiB fails with States.DataLimitExceeded (the first state, which gives its
    input as it is, is measured once, as the execution's input was)."""
    definition = {
        "StartAt": "Same",
        "States": {
            "Same": first,
            "Double": {"Type": "Pass", "Parameters": {"a.$": "$.big", "b.$": "$.big"}, "End": True},
        },
    }
    fast = assert_same(definition, {"big": "x" * 200_000})
    assert (fast["status"], fast["error"], fast["path"]) == ("FAILED", "States.DataLimitExceeded", ["Same", "Double"])


# A redrive: the journal replays the first run up to the failed step while the fast path waits ---------------------


def redriven(failing: dict[str, Any]) -> dict[str, Any]:
    """A loop of immediate states, then ``failing`` (a step that fails the first run only), then immediate states."""
    return {
        "StartAt": "Count",
        "States": {
            "Count": {"Type": "Pass", "Result": {"v": 0}, "ResultPath": "$.loop", "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.loop.v", "NumericLessThan": 3, "Next": "Body"}],
                "Default": "Step",
            },
            "Body": {
                "Type": "Pass",
                "Parameters": {"v.$": "States.MathAdd($.loop.v, 1)"},
                "ResultPath": "$.loop",
                "Next": "Check",
            },
            "Step": failing,
            "After": {"Type": "Pass", "Assign": {"done": True}, "Next": "Again"},
            "Again": {"Type": "Choice", "Choices": [{"Variable": "$done", "BooleanEquals": True, "Next": "End"}]},
            "End": {"Type": "Succeed"},
        },
    }


REDRIVEN = {
    # A Task whose first invocation fails: the redrive runs it again.
    "task": redriven(
        {
            "Type": "Task",
            "Resource": LAMBDA,
            "Parameters": {"FunctionName": "charge", "RedriveCount.$": "$$.Execution.RedriveCount"},
            "ResultPath": "$.charged",
            "Next": "After",
        }
    ),
    # A Choice that matches only once the execution was redriven: the redrive picks the run up at its Entered event.
    "choice": redriven(
        {
            **JSONATA,
            "Type": "Choice",
            "Choices": [{"Condition": "{% $states.context.Execution.RedriveCount = 1 %}", "Next": "After"}],
        }
    ),
}


class FailsOnce:
    """A task fails the first time it is invoked, and answers after that."""

    def __init__(self) -> None:
        self.calls = 0

    def invoke(self, request: Any) -> Any:
        self.calls += 1
        return Failure("Card.Declined", "first try") if self.calls == 1 else Result({"paid": request.arguments})


def redriven_history(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """The history of ``definition`` after its failed run and its redrive, through a server (timestamps left out: a
    server's redrive is dated by its wall clock)."""
    with Server(Engine(integration=FailsOnce()), port=0) as server:
        sfn = SfnServer(server).client()
        role = "arn:aws:iam::123456789012:role/run"
        machine = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=role)
        arn = sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input="{}")["executionArn"]
        assert sfn.describe_execution(executionArn=arn)["status"] == "FAILED"
        sfn.redrive_execution(executionArn=arn)
        assert sfn.describe_execution(executionArn=arn)["status"] == "SUCCEEDED"
        events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return [{key: value for key, value in event.items() if key != "timestamp"} for event in events]


@pytest.mark.parametrize("failing", list(REDRIVEN))
def test_a_redrive_records_the_same_history_both_ways(failing: str) -> None:
    fast = redriven_history(REDRIVEN[failing])
    with without_fast_path():
        slow = redriven_history(REDRIVEN[failing])
    assert fast == slow
    types = [event["type"] for event in fast]
    redrive = types.index("ExecutionRedriven")
    assert types[redrive + 1 :][-7:] == [
        "PassStateEntered",
        "PassStateExited",
        "ChoiceStateEntered",
        "ChoiceStateExited",
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded",
    ]
