"""The context object (``$$``, ``$states.context``) of the state under test.

A caller's ``context`` replaces the whole object, after the checks AWS applies to it. Without one, the
state sees the context of an execution AWS makes up for the test: an Express execution of a machine of
its own, whose role is the request's ``roleArn`` (null without one), with ``State.Name`` ``StateName``
and, for the types that take a Retry field, ``State.RetryCount`` from ``retrierRetryCount``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sfnlocal.interpreter.states.base import State, iso_time
from sfnlocal.interpreter.states.task import TaskState
from sfnlocal.language.resources import SYNC, SYNC2, WAIT_FOR_TASK_TOKEN
from sfnlocal.teststate.errors import refused
from sfnlocal.teststate.request import TEST_STATE_NAME

_INVALID = "Invalid Context object provided: "
_ANY: Any = object()
# The fields a caller's context may hold, and the type of each ("Task" only for a state that has a token).
_FIELDS: dict[str, dict[str, Any]] = {
    "Execution": {
        "Id": str,
        "Input": _ANY,
        "Name": str,
        "RoleArn": str,
        "StartTime": str,
        "RedriveCount": int,
        "RedriveTime": str,
    },
    "State": {"EnteredTime": str, "Name": str, "RetryCount": int},
    "StateMachine": {"Id": str, "Name": str},
    "Task": {"Token": str},
}
_RETRYING_TYPES = ("Task", "Map", "Parallel")


def check_context(context: dict[str, Any], state: State) -> None:
    """Refuse a caller's context as AWS does: unknown fields, wrong types, ``Map``, and ``Task`` for a state
    that gets no task token.

    >>> from sfnlocal.interpreter.model import Definition
    >>> succeed = Definition({"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}).root.states["S"]
    >>> check_context({"Execution": {"Id": 1}}, succeed)
    Traceback (most recent call last):
    ...
    sfnlocal.teststate.errors.TestStateError: ValidationException: Invalid Context object provided: \
Execution.Id must be a string
    """
    for key, value in context.items():
        if key == "Map":
            raise refused(_INVALID + "'Map' field is not supported when mocking a Context object")
        fields = _FIELDS.get(key)
        if fields is None:
            raise refused(_INVALID + f"Field '{key}' is not allowed")
        if not isinstance(value, dict):
            raise refused(_INVALID + f"{key} must be an object")
        for name, item in value.items():
            kind = fields.get(name)
            if kind is None:
                raise refused(_INVALID + f"Field '{name}' is not allowed")
            if kind is not _ANY and (isinstance(item, bool) or not isinstance(item, kind)):
                raise refused(_INVALID + f"{key}.{name} must be {'a string' if kind is str else 'an integer'}")
    if "Task" in context and not (
        isinstance(state, TaskState) and state.resource.pattern in (SYNC, SYNC2, WAIT_FOR_TASK_TOKEN)
    ):
        raise refused(
            _INVALID + "Context object contains 'Task' when state is not a Task state with a '.sync' or "
            "'.waitForTaskToken' service integration pattern"
        )


@dataclass(frozen=True)
class TestRun:
    """Where a test runs: the made-up execution and machine names, the account, region and clock time."""

    __test__ = False  # not a pytest test class, despite its name

    execution_name: str
    machine_name: str
    account: str
    region: str
    started: float


def made_up_context(
    run: TestRun, state: State, state_input: Any, role_arn: str | None, retry_count: int
) -> dict[str, Any]:
    """The context of the execution AWS makes up for a test.

    >>> from sfnlocal.interpreter.model import Definition
    >>> task = Definition({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource":
    ...     "arn:aws:states:::sqs:sendMessage", "End": True}}}).root.states["T"]
    >>> context = made_up_context(TestRun("run", "machine", "123456789012", "us-east-1", 0.0), task, {}, None, 2)
    >>> context["Execution"]["Id"], context["State"]
    ('arn:aws:states:us-east-1:123456789012:express:machine:run', \
{'Name': 'StateName', 'EnteredTime': '1970-01-01T00:00:00.000Z', 'RetryCount': 2})
    """
    time = iso_time(run.started)
    state_context: dict[str, Any] = {"Name": TEST_STATE_NAME, "EnteredTime": time}
    if state.type_name in _RETRYING_TYPES:
        state_context["RetryCount"] = retry_count
    prefix = f"arn:aws:states:{run.region}:{run.account}"
    return {
        "Execution": {
            "Id": f"{prefix}:express:{run.machine_name}:{run.execution_name}",
            "Input": state_input,
            "Name": run.execution_name,
            "RoleArn": role_arn,
            "StartTime": time,
        },
        "StateMachine": {"Id": f"{prefix}:stateMachine:{run.machine_name}", "Name": run.machine_name},
        "State": state_context,
    }
