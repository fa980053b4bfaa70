"""SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat: answering a task that waits for its token, which runs its
execution on (with the virtual clock, to its end or to what it waits for next)."""

from __future__ import annotations

from typing import Any

from sfnlocal.integrations.aws.sdk_sfn import TOKEN_MESSAGES, task_output
from sfnlocal.interpreter.callbacks import TaskTokenError
from sfnlocal.server.api import ApiError
from sfnlocal.server.engine import Engine
from sfnlocal.server.operations.common import engine_operation


@engine_operation("SendTaskSuccess")
def send_task_success(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The task's result is ``output`` (JSON text; InvalidOutput otherwise)."""
    result = engine.waiting(request["taskToken"])
    try:
        output = task_output(request["output"], True)
    except ValueError as err:
        raise ApiError("InvalidOutput", f"Invalid Output: '{err}'") from None
    return _answered(engine, lambda: result.send_task_success(request["taskToken"], output))


@engine_operation("SendTaskFailure")
def send_task_failure(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The task fails with ``error`` and ``cause`` (either may be left out)."""
    result = engine.waiting(request["taskToken"])
    return _answered(
        engine, lambda: result.send_task_failure(request["taskToken"], request.get("error"), request.get("cause"))
    )


@engine_operation("SendTaskHeartbeat")
def send_task_heartbeat(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The task's HeartbeatSeconds start again."""
    result = engine.waiting(request["taskToken"])
    return _answered(engine, lambda: result.send_task_heartbeat(request["taskToken"]))


def _answered(engine: Engine, answer: Any) -> dict[str, Any]:
    try:
        answer()
    except TaskTokenError as err:
        raise ApiError(err.code, TOKEN_MESSAGES.get(err.code, err.message)) from None
    engine.settle()
    return {}
