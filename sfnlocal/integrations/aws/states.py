"""``states:startExecution``: a nested execution, run by sfnlocal itself.

The child is found in the session's registry by ``StateMachineArn`` (or name) and runs with the
parent's mocks and AWS world, starting at the parent's clock time. Request-response returns the start
response; ``.sync`` waits (on the virtual clock) for the child and returns DescribeExecution's shape with
``Input``/``Output`` as JSON text, ``.sync:2`` the same with them as JSON; a child that did not succeed
fails the task with ``States.TaskFailed`` and that description as the cause (recorded from AWS).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.envelope import http_date, with_sdk_metadata
from sfnlocal.integrations.aws.errors import REQUEST_ID
from sfnlocal.integrations.aws.registry import integration
from sfnlocal.integrations.mocks.outcomes import Outcome, Pending, Raises, Returns, Submitted
from sfnlocal.interpreter import registry
from sfnlocal.interpreter.states.base import iso_time
from sfnlocal.language.jsontext import compact_json
from sfnlocal.language.resources import SYNC, SYNC2

if TYPE_CHECKING:
    from sfnlocal.interpreter.result import ExecutionResult

TASK_FAILED = "States.TaskFailed"


def _millis(seconds: float) -> int:
    return int(round(seconds * 1000))


def _child_input(value: Any) -> Any:
    # AWS takes Input as JSON text or as a JSON value; absent or null means {}.
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


@integration("states", "startExecution")
def start_execution(call: ServiceCall) -> Outcome:
    """Start the child; see the module docstring for what each pattern returns."""
    arguments = call.arguments if isinstance(call.arguments, dict) else {}
    target = str(arguments.get("StateMachineArn", ""))
    parent = call.execution
    child_machine = registry.find(target)
    if child_machine is None:
        return Raises(
            "StepFunctions.StateMachineDoesNotExistException",
            f"State Machine Does Not Exist: '{target}' (Service: AWSStepFunctions; Status Code: 400; "
            f"Error Code: StateMachineDoesNotExist; Request ID: {REQUEST_ID}; Proxy: null)",
        )
    now = parent.scheduler.now
    child = child_machine.execute(
        _child_input(arguments.get("Input")),
        mocks=parent.options.mocks,
        aws=call.aws,
        execution_name=arguments.get("Name"),
        seed=parent.rng.getrandbits(32),
        start_time=iso_time(now),
    )
    started = {"ExecutionArn": child.execution_arn, "StartDate": _millis(now)}
    started = with_sdk_metadata(
        started, {"Date": http_date(call), "Content-Type": "application/x-amz-json-1.0"}, compact_json(started)
    )
    pattern = call.resource.pattern
    if pattern not in (SYNC, SYNC2):
        return Returns(started, raw=True)
    if child.status == "RUNNING":  # the child waits on the outside: so does the parent's task
        return Submitted(started, Pending())
    description = _describe(child, as_text=pattern == SYNC)
    took = child.stop_date.timestamp() - now if child.stop_date else 0.0
    if child.status == "SUCCEEDED":
        return Submitted(started, Returns(description, raw=True, after=took))
    return Submitted(started, Raises(TASK_FAILED, compact_json(description), after=took))


def _describe(child: ExecutionResult, as_text: bool) -> dict[str, Any]:
    """DescribeExecution's fields as the .sync integrations return them."""
    text = compact_json if as_text else (lambda value: value)
    description: dict[str, Any] = {
        "ExecutionArn": child.execution_arn,
        "Input": text(child.input),
        "InputDetails": {"Included": True},
        "Name": child.name,
        "StartDate": _millis(child.start_date.timestamp()),
        "StateMachineArn": child.state_machine_arn,
        "Status": child.status,
        "StopDate": _millis(child.stop_date.timestamp()) if child.stop_date else None,
    }
    if child.status == "SUCCEEDED":
        description["Output"] = text(child.output)
        description["OutputDetails"] = {"Included": True}
    else:
        if child.error is not None:
            description["Error"] = child.error
        if child.cause is not None:
            description["Cause"] = child.cause
    return description
