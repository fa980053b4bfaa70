"""RedriveExecution: a FAILED, TIMED_OUT or ABORTED Standard execution runs again from its unsuccessful steps, under
AWS's rules (see :mod:`sfnlocal.server.redrives`)."""

from __future__ import annotations

from typing import Any

from sfnlocal.server.engine import Engine
from sfnlocal.server.operations.common import engine_operation, find_execution


@engine_operation("RedriveExecution")
def redrive_execution(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Redrive the execution: ``redriveDate``; InvalidArn, ExecutionDoesNotExist or ExecutionNotRedrivable (with
    AWS's reason)."""
    execution = find_execution(engine, request["executionArn"])
    return {"redriveDate": engine.redrive_execution(execution)}
