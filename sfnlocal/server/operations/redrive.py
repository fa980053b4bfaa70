"""RedriveExecution: AWS's rules as far as sfnlocal follows them.

AWS redrives a FAILED, TIMED_OUT or ABORTED Standard execution from the state that failed (within 14 days of its
end, at most 1,000 times). sfnlocal's interpreter cannot restart an execution from a state yet, so every
RedriveExecution is answered ExecutionNotRedrivable: for an execution AWS would not redrive either (RUNNING,
SUCCEEDED) with the reason DescribeExecution gives (``Execution is SUCCEEDED and cannot be redriven``), for one AWS
would redrive with a message saying that sfnlocal does not (sfnlocal's words).
"""

from __future__ import annotations

from typing import Any

from sfnlocal.server.api import ApiError
from sfnlocal.server.engine import Engine
from sfnlocal.server.operations.common import engine_operation, find_execution

# What AWS redrives (DescribeExecution's redriveStatus REDRIVABLE).
_REDRIVABLE = ("FAILED", "TIMED_OUT", "ABORTED")


@engine_operation("RedriveExecution")
def redrive_execution(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Refuse to redrive (see the module's docs): InvalidArn, ExecutionDoesNotExist or ExecutionNotRedrivable."""
    execution = find_execution(engine, request["executionArn"])
    described = execution.describe()
    if described["status"] not in _REDRIVABLE:
        raise ApiError("ExecutionNotRedrivable", str(described.get("redriveStatusReason", described["status"])))
    raise ApiError(
        "ExecutionNotRedrivable",
        f"Execution is {described['status']}: sfnlocal does not redrive executions yet; start it again with "
        "StartExecution",
    )
