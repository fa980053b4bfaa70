"""The bounds of an execution: AWS's limits (history, maximum execution time, payload and variable sizes, the
input and name StartExecution accepts) and sfnlocal's own (transition_limit, nesting depth, the end of the clock).

Expected values come from AWS: the Step Functions quotas page (limits-overview: 25,000 events, a year
Standard / five minutes Express "will fail with a States.Timeout error", 262,144 bytes for "input data
when ... starting an execution", names of 1-80 characters without white space, brackets, wildcards, special or
control characters), and an execution recorded against AWS in a public report (floci-io/floci#2734): a Choice
loop fails with States.Runtime, "The execution reached the maximum number of history events (25000).", as
event 25,000, after 24,999 events of its own.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfnlocal import StateMachine, mocks

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
SELF_NESTING = {"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$.x", "Next": "A"}}}
CHOICE_LOOP = {
    "StartAt": "Loop",
    "States": {
        "Loop": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
            "Default": "Loop",
        },
        "Done": {"Type": "Succeed"},
    },
}
PASS_LOOP = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}
AWS_HISTORY_CAUSE = "The execution reached the maximum number of history events (25000)."
YEAR = 365 * 86400


def nested_list(depth: int) -> Any:
    """A list ``depth`` arrays deep: ``nested_list(2) == [[]]``."""
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


def wait_machine(name: str, seconds: int, machine_type: str = "STANDARD") -> StateMachine:
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": True}}}
    return StateMachine.from_dict(definition, name=name, type=machine_type)


# --- loops end, fast ----------------------------------------------------------------------------------


def test_a_self_nesting_loop_ends_at_the_nesting_bound_in_linear_time() -> None:
    started = time.perf_counter()
    run = StateMachine.from_dict(SELF_NESTING).execute({})
    assert time.perf_counter() - started < 10  # about 0.05 s: each state checks a payload one level deeper
    assert (run.status, run.error) == ("FAILED", "sfnlocal.NestingLimitExceeded")
    assert run.cause.startswith("The state/task 'A' returned a result nested more than 256 arrays and objects deep")
    # The input had no level; the state's output at the 256th visit is 257 levels deep.
    assert len(run.path) == 256
    assert run.history[-1]["type"] == "ExecutionFailed"  # the history renders


def test_a_choice_loop_fails_at_aws_history_limit_as_aws_reports_it() -> None:
    started = time.perf_counter()
    run = StateMachine.from_dict(CHOICE_LOOP).execute({})
    assert time.perf_counter() - started < 60
    assert (run.status, run.error, run.cause) == ("FAILED", "States.Runtime", AWS_HISTORY_CAUSE)
    events = run.history
    assert len(events) == 25_000
    last, before = events[-1], events[-2]
    assert (last["type"], last["id"], last["previousEventId"]) == ("ExecutionFailed", 25_000, 24_999)
    assert before["type"] == "ChoiceStateExited"
    assert last["executionFailedEventDetails"] == {"error": "States.Runtime", "cause": AWS_HISTORY_CAUSE}


@given(limit=st.integers(min_value=3, max_value=400))
@settings(max_examples=25, deadline=None)
def test_the_failure_is_always_the_last_event_the_limit_allows(limit: int) -> None:
    run = StateMachine.from_dict(PASS_LOOP).execute({}, history_limit=limit)
    assert run.error == "States.Runtime"
    assert run.cause == f"The execution reached the maximum number of history events ({limit})."
    assert [event["id"] for event in run.history] == list(range(1, limit + 1))
    assert run.history[-1]["type"] == "ExecutionFailed"


def test_no_retry_or_catch_hides_the_history_limit() -> None:
    definition = {
        "StartAt": "Loop",
        "States": {
            "Loop": {
                "Type": "Parallel",
                "Branches": [PASS_LOOP],
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Succeed"},
        },
    }
    run = StateMachine.from_dict(definition).execute({}, history_limit=500)
    assert (run.status, run.error) == ("FAILED", "States.Runtime")
    assert "Caught" not in run.path


def test_looping_parallel_branches_and_map_iterations_end_cleanly_at_the_history_limit() -> None:
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    PASS_LOOP,
                    {
                        "StartAt": "Each",
                        "States": {
                            "Each": {
                                "Type": "Map",
                                "ItemsPath": "$.items",
                                "ToleratedFailurePercentage": 100,
                                "ItemProcessor": {
                                    "StartAt": "Turn",
                                    "States": {"Turn": {"Type": "Pass", "Next": "Turn"}},
                                },
                                "End": True,
                            }
                        },
                    },
                ],
            }
        },
    }
    run = StateMachine.from_dict(definition).execute({"items": [1, 2, 3]}, history_limit=1_000)
    assert (run.status, run.error, run.cause) == (
        "FAILED",
        "States.Runtime",
        "The execution reached the maximum number of history events (1000).",
    )
    assert len(run.history) == 1_000 and run.history[-1]["type"] == "ExecutionFailed"


def test_without_a_history_limit_a_loop_that_never_waits_ends_at_the_transition_limit() -> None:
    started = time.perf_counter()
    run = StateMachine.from_dict(PASS_LOOP).execute({}, history_limit=None, transition_limit=5_000)
    assert time.perf_counter() - started < 30
    assert (run.status, run.error) == ("FAILED", "sfnlocal.TransitionLimitExceeded")
    assert run.cause.startswith("The execution entered 5,000 states, the transition_limit sfnlocal sets")
    assert len(run.path) == 5_000


def test_the_default_transition_limit_ends_an_unlimited_loop() -> None:
    started = time.perf_counter()
    run = StateMachine.from_dict(PASS_LOOP).execute({}, history_limit=None)
    assert time.perf_counter() - started < 120  # about 2 s on a laptop
    assert run.error == "sfnlocal.TransitionLimitExceeded"
    assert len(run.path) == 100_000


def test_an_express_history_is_unlimited_as_in_aws_so_the_transition_limit_ends_its_loop() -> None:
    machine = StateMachine.from_dict(PASS_LOOP, name="Spinner", type="EXPRESS")
    run = machine.execute({}, transition_limit=20_000)
    assert run.error == "sfnlocal.TransitionLimitExceeded"
    assert len(run.history) > 25_000


def test_stop_after_stops_a_loop_that_never_waits_at_the_transition_limit() -> None:
    run = StateMachine.from_dict(PASS_LOOP).execute({}, history_limit=None, transition_limit=3_000, stop_after=60)
    assert (run.status, run.error, run.cause) == ("ABORTED", None, None)
    assert len(run.path) == 3_000
    last = run.history[-1]
    # As StopExecution is recorded from AWS: ExecutionAborted links to event 0, with empty details.
    assert (last["type"], last["previousEventId"], last["executionAbortedEventDetails"]) == ("ExecutionAborted", 0, {})
    assert [event["type"] for event in run.history].count("PassStateEntered") == 3_000


def test_stop_after_still_stops_a_loop_that_waits_on_the_virtual_clock() -> None:
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "Next": "W"}}}
    run = StateMachine.from_dict(definition).execute({}, stop_after=95)
    assert run.status == "ABORTED"
    assert (run.stop_date - run.start_date).total_seconds() == 95


# --- AWS's maximum execution time and the end of the clock --------------------------------------------


def test_a_standard_execution_times_out_after_a_year() -> None:
    run = wait_machine("TwoYears", 2 * YEAR).execute({})
    assert (run.status, run.error, run.cause) == ("TIMED_OUT", "States.Timeout", None)
    assert run.stop_date - run.start_date == pytest.approx(timedelta(days=365), abs=timedelta(seconds=1))
    assert run.history[-1]["type"] == "ExecutionTimedOut"


def test_an_execution_that_ends_at_the_year_mark_has_not_run_for_more_than_a_year() -> None:
    assert wait_machine("OneYear", YEAR).execute({}).status == "SUCCEEDED"


def test_an_express_execution_times_out_after_five_minutes() -> None:
    run = wait_machine("Slow", 301, "EXPRESS").execute({})
    assert (run.status, run.error) == ("TIMED_OUT", "States.Timeout")
    assert (run.stop_date - run.start_date).total_seconds() == pytest.approx(300)
    assert wait_machine("InTime", 300, "EXPRESS").execute({}).status == "SUCCEEDED"


def test_a_machine_timeout_shorter_than_a_year_wins_and_keeps_its_recorded_shape() -> None:
    definition = {
        "StartAt": "W",
        "TimeoutSeconds": 60,
        "States": {"W": {"Type": "Wait", "Seconds": 2 * YEAR, "End": True}},
    }
    run = StateMachine.from_dict(definition).execute({})
    assert (run.status, run.error) == ("TIMED_OUT", None)
    assert (run.stop_date - run.start_date).total_seconds() == 60


def test_a_task_that_never_answers_stays_suspended_until_time_is_let_pass() -> None:
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}},
    }
    run = StateMachine.from_dict(definition).execute({}, mocks={"T": mocks.pending()})
    assert run.status == "RUNNING"
    run.advance(2 * YEAR)
    assert (run.status, run.error) == ("TIMED_OUT", "States.Timeout")


def test_retries_far_into_the_future_end_at_the_year() -> None:
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 99_999_999, "MaxAttempts": 99_999_999}],
                "End": True,
            }
        },
    }
    started = time.perf_counter()
    run = StateMachine.from_dict(definition).execute({}, mocks={"T": mocks.raises("Busy")})
    assert time.perf_counter() - started < 10
    assert (run.status, run.error) == ("TIMED_OUT", "States.Timeout")


def test_a_clock_that_reaches_year_10000_fails_the_execution_cleanly() -> None:
    run = wait_machine("Late", 7_200).execute({}, start_time="9999-12-31T23:00:00Z")
    assert (run.status, run.error) == ("FAILED", "sfnlocal.ClockExhausted")
    assert run.cause.startswith("The virtual clock reached 9999-12-31T23:59:59.999Z")
    assert run.history[-1]["timestamp"].year == 9999  # renders


def test_a_wait_timestamp_at_the_end_of_time_is_refused_as_aws_refuses_long_waits() -> None:
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "9999-12-31T23:59:59Z", "End": True}}}
    run = StateMachine.from_dict(definition).execute({})
    assert (run.status, run.error) == ("FAILED", "States.Runtime")
    assert run.cause.endswith("Wait state delay is too long.")


# --- payloads and variables ---------------------------------------------------------------------------


def test_an_assign_over_256_kib_fails_with_the_data_limit() -> None:
    definition = {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Assign": {"a.$": "$.big", "b.$": "$.big"}, "End": True}},
    }
    machine = StateMachine.from_dict(definition)
    # Each variable is under 256 KiB; together they are over it.
    run = machine.execute({"big": "x" * 140_000})
    assert (run.status, run.error) == ("FAILED", "States.DataLimitExceeded")
    assert run.cause == (
        "The state/task 'A' assigned variables with a size exceeding the maximum number of bytes service limit."
    )
    assert machine.execute({"big": "x" * 120_000}).status == "SUCCEEDED"


def test_a_catcher_assign_over_256_kib_fails_the_state() -> None:
    definition = {
        "StartAt": "F",
        "States": {
            "F": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Catch": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Assign": {"a.$": "$.Cause", "b.$": "$.Cause", "c.$": "$.Cause", "d.$": "$.Cause"},
                        "Next": "Done",
                    }
                ],
                "End": True,
            },
            "Done": {"Type": "Succeed"},
        },
    }
    # A cause is cut to 32,768 characters (AWS's length for it): four copies of 65,538 bytes are over 256 KiB.
    run = StateMachine.from_dict(definition).execute({}, mocks={"F": mocks.raises("Boom", "é" * 40_000)})
    assert (run.status, run.error) == ("FAILED", "States.DataLimitExceeded")


def test_a_variable_nested_too_deep_is_refused() -> None:
    definition = {
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Assign": {"deep.$": "States.StringToJson($.text)"}, "End": True}},
    }
    run = StateMachine.from_dict(definition).execute({"text": "[" * 300 + "]" * 300})
    assert (run.status, run.error) == ("FAILED", "sfnlocal.NestingLimitExceeded")
    assert "assigned a variable nested more than 256" in run.cause


@given(depth=st.integers(min_value=1, max_value=1_200))
@settings(max_examples=40, deadline=None)
def test_a_result_of_any_depth_succeeds_or_is_refused_by_name(depth: int) -> None:
    definition = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "States.StringToJson($.t)"}, "End": True}},
    }
    run = StateMachine.from_dict(definition).execute({"t": "[" * depth + "]" * depth})
    if depth + 1 <= 256:
        assert run.status == "SUCCEEDED"
    else:
        assert (run.status, run.error) == ("FAILED", "sfnlocal.NestingLimitExceeded")
    assert run.history[-1]["type"] in ("ExecutionSucceeded", "ExecutionFailed")


# --- what execute() accepts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ({"ratio": float("nan")}, r"\$\.ratio is nan"),
        ({"items": [1, float("inf")]}, r"\$\.items\[1\] is inf"),
        ({"name": "a\ud800"}, r"\$\.name is 'a\\ud800', which holds a lone surrogate"),
        ({"when": {1, 2}}, r"\$\.when is \{1, 2\}, a set"),
    ],
)
def test_an_input_that_is_not_json_is_a_type_error_naming_where(value: Any, where: str) -> None:
    with pytest.raises(TypeError, match=where):
        StateMachine.from_dict(PASS).execute(value)


@pytest.mark.parametrize("depth", [257, 1_000, 5_000])
def test_an_input_nested_too_deep_is_refused_clearly(depth: int) -> None:
    with pytest.raises(TypeError, match="^the execution input is nested more than 256 arrays and objects deep"):
        StateMachine.from_dict(PASS).execute(nested_list(depth))


def test_an_input_256_levels_deep_runs() -> None:
    run = StateMachine.from_dict(PASS).execute(nested_list(256))
    assert run.status == "SUCCEEDED" and run.output == nested_list(256)


def test_an_input_over_256_kib_is_refused_as_start_execution_refuses_it() -> None:
    machine = StateMachine.from_dict(PASS)
    at_limit = "x" * (262_144 - 2)  # the JSON text adds two quotes
    assert machine.execute(input_json=json.dumps(at_limit)).status == "SUCCEEDED"
    with pytest.raises(ValueError, match="the execution input is 262,145 bytes of JSON") as refused:
        machine.execute([at_limit[:-1]])  # as a parsed value: its compact JSON text is measured
    assert "Member must have length less than or equal to 262144" in str(refused.value)
    with pytest.raises(ValueError, match="262,146 bytes"):  # counted in UTF-8 bytes, as AWS counts
        machine.execute(input_json=json.dumps("é" * 131_072, ensure_ascii=False))


_REFUSED_NAME_CHARACTERS = list(' \t\n<>{}[]?*"#%\\^|~`$&,;:/\x00\x1f\x7f\x85')


@pytest.mark.parametrize("character", _REFUSED_NAME_CHARACTERS)
def test_an_execution_name_with_a_character_aws_refuses_is_a_value_error(character: str) -> None:
    with pytest.raises(ValueError, match=r"StartExecution refuses it"):
        StateMachine.from_dict(PASS).execute({}, execution_name=f"run{character}1")


def test_an_execution_name_longer_than_80_characters_is_a_value_error() -> None:
    machine = StateMachine.from_dict(PASS)
    with pytest.raises(ValueError, match="81 characters"):
        machine.execute({}, execution_name="x" * 81)
    with pytest.raises(ValueError):
        machine.execute({}, execution_name="")


_NAME_ALPHABET = st.characters(
    codec="utf-8",
    exclude_characters="".join(_REFUSED_NAME_CHARACTERS),
    exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"),
).filter(lambda char: not char.isspace() and char not in "\ufffe\uffff\U0010ffff")


@given(name=st.text(_NAME_ALPHABET, min_size=1, max_size=80))
@settings(max_examples=60, deadline=None)
def test_any_name_aws_accepts_names_the_execution(name: str) -> None:
    run = StateMachine.from_dict(PASS, name="Named").execute({}, execution_name=name)
    assert run.execution_arn.endswith(f":execution:Named:{name}")


def test_a_task_result_nested_past_what_python_encodes_fails_the_task_cleanly() -> None:
    def deep_answer(event: Any, context: Any) -> Any:
        return nested_list(5_000)

    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": True}},
    }
    run = StateMachine.from_dict(definition).execute({}, mocks={"T": deep_answer})
    assert (run.status, run.error) == ("FAILED", "States.Runtime")
    assert "nested more than 256 arrays and objects deep" in run.cause
    assert run.history[-1]["type"] == "ExecutionFailed"


@pytest.mark.parametrize("offset", ["+24:00", "+99:99", "-01:60"])
def test_a_timestamp_with_an_offset_out_of_range_is_not_a_timestamp(offset: str) -> None:
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "TimestampPath": "$.t", "End": True}}}
    run = StateMachine.from_dict(definition).execute({"t": f"2020-01-01T00:00:00{offset}"})
    assert (run.status, run.error) == ("FAILED", "States.Runtime")
    assert "does not reference a valid ISO-8601 extended offset date-time" in run.cause


@pytest.mark.parametrize("depth", [257, 300])
def test_task_arguments_nested_too_deep_fail_the_task_and_the_history_renders(depth: int) -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"Payload": "{% $parse($states.input.t) %}"},
                "End": True,
            }
        },
    }
    run = StateMachine.from_dict(definition).execute({"t": "[" * depth + "]" * depth}, mocks={"T": mocks.returns(1)})
    assert (run.status, run.error) == ("FAILED", "sfnlocal.NestingLimitExceeded")
    assert run.cause.startswith("The state/task 'T' passed the task arguments nested more than 256")
    assert run.history[-1]["type"] == "ExecutionFailed"


@pytest.mark.parametrize(
    ("field", "what"), [("Items", "iterated over items"), ("ItemSelector", "gave an iteration an input")]
)
def test_map_items_nested_too_deep_fail_the_map_and_the_history_renders(field: str, what: str) -> None:
    deep = "{% $parse($states.input.t) %}"
    fields = {"Items": "{% [" + deep[3:-3] + "] %}"} if field == "Items" else {"Items": [1], "ItemSelector": deep}
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                **fields,
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }
    run = StateMachine.from_dict(definition).execute({"t": "[" * 300 + "]" * 300})
    assert (run.status, run.error) == ("FAILED", "sfnlocal.NestingLimitExceeded")
    assert run.cause.startswith(f"The state/task 'M' {what} nested more than 256")
    assert run.history[-1]["type"] == "ExecutionFailed"


_ANY_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and the infinities included
    | st.text(st.characters(codec=None, max_codepoint=0xDFFF), max_size=5)  # lone surrogates included
    | st.sampled_from([{1, 2}, b"bytes", object()]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=12,
)


@given(value=_ANY_VALUES)
@settings(max_examples=150, deadline=None)
def test_execute_takes_a_json_input_or_refuses_it_with_a_type_error(value: Any) -> None:
    machine = StateMachine.from_dict(PASS)
    try:
        # A JSON string input is given as JSON text: execute() refuses a str input.
        run = machine.execute(input_json=json.dumps(value)) if isinstance(value, str) else machine.execute(value)
    except TypeError as refused:
        assert str(refused).startswith("the execution input ")
        return
    assert (run.status, run.output) == ("SUCCEEDED", value)
    assert run.history[-1]["type"] == "ExecutionSucceeded"


def test_a_loop_stopped_inside_a_parallel_records_only_the_abort() -> None:
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "End": True,
                "Branches": [PASS_LOOP],
            }
        },
    }
    run = StateMachine.from_dict(definition).execute({}, history_limit=None, transition_limit=500, stop_after=10)
    assert run.status == "ABORTED"
    types = [event["type"] for event in run.history]
    assert types[-1] == "ExecutionAborted" and "ParallelStateFailed" not in types


@pytest.mark.parametrize(
    "options",
    [
        {"history_limit": 1},
        {"history_limit": True},
        {"transition_limit": 0},
        {"stop_after": float("nan")},
        {"stop_after": -1},
    ],
)
def test_limits_that_cannot_bound_an_execution_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=f"^{next(iter(options))} must be"):
        StateMachine.from_dict(PASS).execute({}, **options)


@pytest.mark.parametrize("seconds", [float("inf"), float("nan"), -1])
def test_advance_takes_a_finite_number_of_seconds(seconds: float) -> None:
    definition = {
        "StartAt": "T",
        "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}},
    }
    run = StateMachine.from_dict(definition).execute({}, mocks={"T": mocks.pending()})
    with pytest.raises(ValueError, match="^advance"):
        run.advance(seconds)
    assert run.status == "RUNNING"
