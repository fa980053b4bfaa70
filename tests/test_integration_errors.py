"""What a Task reports when its mock, handler or integration misbehaves: never a Python traceback, always a
clear error naming the state, and a history that renders.

* A result JSON cannot hold: NaN, Infinity or a lone surrogate (what a real Python Lambda function can return:
  its runtime writes ``NaN``) fails the task with ``States.Runtime``; a Python object no service returns (a
  set) with ``sfnlocal.MockInvalid``. Either way the cause says where in the result the problem is.
* A failure's error and cause are strings of at most 256 and 32,768 characters, the lengths AWS's API
  reference gives TaskFailedEventDetails (and SendTaskFailure, which refuses longer ones).
* A handler's unhandled exception is reported as Lambda reports it, its ``stackTrace`` holding only the
  handler's frames (recorded: the first frame is the handler's, ``File "/var/task/handler.py" ... in handler``).
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import machine

from sfnlocal import StateMachine, mocks
from sfnlocal.integrations.mocks.outcomes import Raises
from sfnlocal.interpreter.callbacks import TaskTokenError
from sfnlocal.interpreter.integration import Failure, Result, TaskRequest

INVOKE = "arn:aws:states:::lambda:invoke"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:work"
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:worker"
PREFIX = "An error occurred while executing the state 'T' (entered at the event id #2). "


def task(resource: str = INVOKE, **fields: Any) -> StateMachine:
    return StateMachine.from_dict(machine({"T": {"Type": "Task", "Resource": resource, "End": True, **fields}}))


def assert_renders(run: Any) -> None:
    """The history and to_dict() render, and to_dict() is JSON text that UTF-8 can encode."""
    assert run.history
    json.dumps(run.to_dict(), allow_nan=False).encode("utf-8")


class Answers:
    """A user's integration answering one outcome for every task."""

    def __init__(self, outcome: Any) -> None:
        self.outcome = outcome

    def invoke(self, request: TaskRequest) -> Any:
        return self.outcome


NOT_JSON = {
    "NaN": (float("nan"), "$.Payload is nan: JSON has no NaN or Infinity"),
    "Infinity": ({"n": float("inf")}, "$.Payload.n is inf: JSON has no NaN or Infinity"),
    "-Infinity": ([1, float("-inf")], "$.Payload[1] is -inf: JSON has no NaN or Infinity"),
    "lone surrogate": ({"s": "a\ud800"}, "$.Payload.s is 'a\\ud800', which holds a lone surrogate (not Unicode text)"),
    "lone surrogate in a key": (
        {"\udc00": 1},
        "the key '\\udc00' of $.Payload is '\\udc00', which holds a lone surrogate (not Unicode text)",
    ),
}


@pytest.mark.parametrize("case", NOT_JSON, ids=list(NOT_JSON))
@pytest.mark.parametrize("how", ["mocks.returns", "handler", "plain value"])
def test_a_result_json_cannot_hold_fails_with_states_runtime(case: str, how: str) -> None:
    value, where = NOT_JSON[case]
    mock = {"mocks.returns": mocks.returns(value), "handler": lambda event, context: value, "plain value": value}[how]
    run = task().execute({}, mocks={"T": mock})
    assert run.status == "FAILED" and run.error == "States.Runtime"
    assert run.cause == f"{PREFIX}The result of the task must be valid JSON, but {where}"
    assert_renders(run)


def test_a_result_of_a_users_integration_is_checked_too() -> None:
    run = task("arn:aws:states:::sqs:sendMessage").execute({}, integration=Answers(Result({"n": math.nan})))
    assert run.error == "States.Runtime"
    assert (
        run.cause == f"{PREFIX}The result of the task must be valid JSON, but $.n is nan: JSON has no NaN or Infinity"
    )
    assert_renders(run)


def test_a_python_object_no_service_returns_is_the_set_ups_mistake() -> None:
    run = task().execute({}, mocks={"T": lambda event, context: {"when": {1, 2}}})
    assert run.error == "sfnlocal.MockInvalid"
    assert run.cause.startswith(
        "State 'T': the result of the task must be a JSON value, but $.Payload.when is {1, 2}, a set"
    )
    assert_renders(run)


def test_a_catcher_does_not_hide_a_result_that_is_not_json() -> None:
    catch = [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]
    definition = machine(
        {
            "T": {"Type": "Task", "Resource": INVOKE, "Catch": catch, "End": True},
            "Caught": {"Type": "Succeed"},
        }
    )
    run = StateMachine.from_dict(definition).execute({}, mocks={"T": mocks.returns(math.inf)})
    assert run.error == "States.Runtime" and "Caught" not in run.path


def test_sendtasksuccess_with_an_output_json_cannot_hold_is_refused_and_the_task_still_waits() -> None:
    sm = task(ACTIVITY)
    run = sm.execute({})
    token = run.get_activity_task(ACTIVITY)["taskToken"]
    with pytest.raises(TypeError, match=r"^the task output must be valid JSON, but \$\.x is nan"):
        run.send_task_success(token, {"x": math.nan})
    assert run.status == "RUNNING"
    assert run.send_task_success(token, {"x": 1}).output == {"x": 1}


# Errors and causes -------------------------------------------------------------------------------------------


class Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("no text for you")


def raise_unprintable(event: Any, context: Any) -> Any:
    raise Unprintable()


def test_a_handler_exception_whose_str_raises_is_reported() -> None:
    run = task().execute({}, mocks={"T": raise_unprintable})
    assert run.error == "Unprintable"
    cause = json.loads(run.cause)
    assert cause["errorType"] == "Unprintable"
    assert cause["errorMessage"] == "<str() of the Unprintable raised RuntimeError>"
    assert_renders(run)


class RaisesUnprintable:
    def invoke(self, request: TaskRequest) -> Any:
        raise Unprintable()


def test_an_integration_exception_whose_str_raises_is_reported() -> None:
    run = task("arn:aws:states:::sqs:sendMessage").execute({}, integration=RaisesUnprintable())
    assert run.error == "sfnlocal.IntegrationFailed"
    assert run.cause == (
        "State 'T': the integration RaisesUnprintable raised Unprintable: "
        "<str() of the Unprintable raised RuntimeError>"
    )


@pytest.mark.parametrize(
    ("error", "cause", "field", "shown"),
    [
        (5, "cause", "error", "5 (int)"),
        ("E", {"why": 1}, "cause", "{'why': 1} (dict)"),
        (["E"], None, "error", "['E'] (list)"),
    ],
)
def test_a_failure_whose_error_or_cause_is_not_a_string_is_reported(
    error: Any, cause: Any, field: str, shown: str
) -> None:
    sm = task("arn:aws:states:::sqs:sendMessage")
    # A mock built without mocks.raises() (which refuses these), and a user's integration.
    for run in (
        sm.execute({}, mocks={"T": Raises(error, cause)}),
        sm.execute({}, integration=Answers(Failure(error, cause))),
    ):
        assert run.error == "sfnlocal.MockInvalid"
        assert run.cause == (
            f"State 'T': the task failed with the {field} {shown}; a failure's error and cause are strings (or None)"
        )
        assert_renders(run)


def test_mocks_raises_refuses_a_cause_that_is_not_a_string() -> None:
    with pytest.raises(TypeError, match=r"mocks.raises\(\) takes a cause that is a string \(or None\), not 5"):
        mocks.raises("E", 5)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(error_length=st.integers(1, 600), cause_length=st.integers(1, 70_000))
def test_a_failure_is_cut_to_the_lengths_aws_records(error_length: int, cause_length: int) -> None:
    error, cause = "E" * error_length, "c" * cause_length
    run = task(FUNCTION).execute({}, mocks={"T": mocks.raises(error, cause)})
    assert run.error == error[:256] and run.cause == cause[:32_768]
    failed = next(event for event in run.history if event["type"] == "LambdaFunctionFailed")
    assert failed["lambdaFunctionFailedEventDetails"] == {"error": error[:256], "cause": cause[:32_768]}


def test_a_handler_error_with_a_long_message_is_cut_to_the_cause_length() -> None:
    def fails(event: Any, context: Any) -> Any:
        raise ValueError("x" * 40_000)

    run = task().execute({}, mocks={"T": fails})
    assert run.error == "ValueError" and len(run.cause) == 32_768
    assert run.cause.startswith('{"errorMessage":"xxx')


@pytest.mark.parametrize(
    ("error", "cause", "field", "constraint"),
    [
        ("E" * 257, None, "error", "Member must have length less than or equal to 256"),
        (None, "c" * 32_769, "cause", "Member must have length less than or equal to 32768"),
        (7, None, "error", "Member must be a string"),
    ],
)
def test_sendtaskfailure_refuses_what_aws_refuses(error: Any, cause: Any, field: str, constraint: str) -> None:
    run = task(ACTIVITY).execute({})
    token = run.get_activity_task(ACTIVITY)["taskToken"]
    with pytest.raises(TaskTokenError) as refused:
        run.send_task_failure(token, error, cause)
    assert refused.value.code == "ValidationException"
    assert refused.value.message == (
        f"1 validation error detected: Value at '{field}' failed to satisfy constraint: {constraint}"
    )
    assert run.status == "RUNNING"
    run.send_task_failure(token, "E" * 256, "c" * 32_768)
    assert run.error == "E" * 256 and run.cause == "c" * 32_768


def test_an_activity_result_over_the_payload_limit_names_the_state() -> None:
    run = task(ACTIVITY).execute({})
    token = run.get_activity_task(ACTIVITY)["taskToken"]
    run.send_task_success(token, {"x": "a" * 300_000})
    assert run.error == "States.DataLimitExceeded"
    assert run.cause == (
        "The state/task 'T' returned a result with a size exceeding the maximum number of bytes service limit."
    )


# The stack trace of a handler's error ------------------------------------------------------------------------


def check_order(order: Any) -> None:
    raise KeyError(order["id"])


def order_handler(event: Any, context: Any) -> Any:
    check_order(event)


@pytest.mark.parametrize("resource", [INVOKE, FUNCTION])
def test_a_handler_stack_trace_shows_the_handler_frames_only(resource: str) -> None:
    parameters = {"Payload": {"id": "42"}} if resource == INVOKE else {"id": "42"}
    run = task(resource, Parameters=parameters).execute({}, mocks={"T": order_handler})
    cause = json.loads(run.cause)
    assert run.error == "KeyError" and cause["errorType"] == "KeyError" and cause["errorMessage"] == "'42'"
    frames = cause["stackTrace"]
    assert len(frames) == 2
    assert frames[0].endswith(", in order_handler\n    check_order(event)\n")
    assert frames[1].endswith(', in check_order\n    raise KeyError(order["id"])\n')
    assert all(frame.startswith(f'  File "{__file__}", line ') for frame in frames)


def test_a_mock_declared_as_data_has_no_python_frames() -> None:
    run = task().execute({}, mocks={"T": mocks.raises("Lambda.Unknown", "The function timed out")})
    assert (run.error, run.cause) == ("Lambda.Unknown", "The function timed out")


# Property: wherever a value JSON cannot hold sits in a result, the cause names that place -------------------

poisons = st.sampled_from([math.nan, math.inf, -math.inf, "\ud800", "ok\udfff"])
steps = st.lists(st.one_of(st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True), st.integers(0, 3)), max_size=5)
fillers = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=2),
    max_leaves=4,
)


@settings(max_examples=80, deadline=None)
@given(poison=poisons, path=steps, filler=fillers)
def test_the_cause_names_where_the_value_json_cannot_hold_is(poison: Any, path: list[Any], filler: Any) -> None:
    value, where = poison, ""
    for step in reversed(path):
        if isinstance(step, int):  # the poisoned item comes after `step` good ones
            value, where = [filler] * step + [value, filler], f"[{step}]{where}"
        else:  # a good member before it and after it
            value, where = {"_before": filler, step: value, "_after": filler}, f".{step}{where}"
    run = task(FUNCTION).execute({}, mocks={"T": mocks.returns(value)})
    assert run.error == "States.Runtime"
    shown = f"is {poison!r}: JSON has no NaN" if isinstance(poison, float) else "which holds a lone surrogate"
    assert run.cause.startswith(f"{PREFIX}The result of the task must be valid JSON, but ${where} ")
    assert shown in run.cause
    assert_renders(run)


def test_a_lone_surrogate_in_an_error_or_cause_is_written_as_its_escape() -> None:
    def fails(event: Any, context: Any) -> Any:
        raise ValueError("bad \ud800 text")

    run = task().execute({}, mocks={"T": fails})
    run.cause.encode("utf-8")  # Unicode text now
    assert json.loads(run.cause)["errorMessage"] == "bad \ud800 text"  # the JSON escape still means the same
    failed = task().execute({}, mocks={"T": mocks.raises("Bad\udc00Name", "why \ud83d")})
    assert (failed.error, failed.cause) == ("Bad\\udc00Name", "why \\ud83d")
    json.dumps(failed.to_dict(), ensure_ascii=False).encode("utf-8")
