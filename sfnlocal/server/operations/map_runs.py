"""ListMapRuns, DescribeMapRun, UpdateMapRun, and ListExecutions of a map run's child executions: the
Distributed Map runs of the executions this engine ran, as their results describe them
(:attr:`~sfnlocal.interpreter.result.ExecutionResult.map_runs`,
:meth:`~sfnlocal.interpreter.result.ExecutionResult.map_run_children`).

A map run's ARN is ``arn:aws:states:<region>:<account>:mapRun:<machine>/<Map label>:<id>``; its children run as
the state machine ``<machine>/<Map label>``.

>>> run_machine_arn("arn:aws:states:us-east-1:123456789012:mapRun:Orders/Fan:5f0c2e0a")
'arn:aws:states:us-east-1:123456789012:stateMachine:Orders/Fan'
"""

from __future__ import annotations

from typing import Any

from sfnlocal.language.state_fields import EXPRESS
from sfnlocal.server.api import ApiError
from sfnlocal.server.engine import Engine, ExecutionRecord
from sfnlocal.server.operations.common import engine_operation, find_execution, page, resource_type

# UpdateMapRun's members and the DescribeMapRun members they change.
_UPDATABLE = ("maxConcurrency", "toleratedFailurePercentage", "toleratedFailureCount")
# AWS's words for a map run ARN that names none are not documented: sfnlocal's.
_NOT_FOUND = "Map Run Does Not Exist: '{}'"
_LISTED_CHILD = ("executionArn", "stateMachineArn", "name", "status", "startDate", "stopDate", "mapRunArn")


def run_machine_arn(map_run_arn: str) -> str:
    """The ARN of the state machine a map run's children run as (ListMapRuns' ``stateMachineArn``)."""
    prefix, _, _ = map_run_arn.rpartition(":")
    return prefix.replace(":mapRun:", ":stateMachine:", 1)


def find_map_run(engine: Engine, arn: str) -> tuple[ExecutionRecord, dict[str, Any]]:
    """The execution that ran the map run ``arn`` and the run's description (DescribeMapRun-shaped): InvalidArn,
    or ResourceNotFound."""
    resource_type(arn, "mapRun")
    for execution in engine.executions.values():
        for run in execution.map_runs:
            if run["mapRunArn"] == arn:
                return execution, run
    raise ApiError("ResourceNotFound", _NOT_FOUND.format(arn))


@engine_operation("ListMapRuns")
def list_map_runs(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The map runs an execution started, in the order they started, a page at a time."""
    execution = find_execution(engine, request["executionArn"])
    runs = execution.map_runs
    chosen, more = page(runs, request, [execution.arn])
    listed = [
        {
            "executionArn": run["executionArn"],
            "mapRunArn": run["mapRunArn"],
            "stateMachineArn": run_machine_arn(run["mapRunArn"]),
            "startDate": run["startDate"],
            **({"stopDate": run["stopDate"]} if "stopDate" in run else {}),
        }
        for run in chosen
    ]
    return {"mapRuns": listed, **more}


@engine_operation("DescribeMapRun")
def describe_map_run(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Describe a map run: its status, dates, concurrency and tolerance (as UpdateMapRun last set them), item and
    child execution counts."""
    arn = request["mapRunArn"]
    _, run = find_map_run(engine, arn)
    described = {key: value for key, value in run.items() if key != "executionType"}
    described.update(engine.map_run_updates.get(arn, {}))
    return described


@engine_operation("UpdateMapRun")
def update_map_run(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Change a map run's maximum concurrency or failure tolerance, as DescribeMapRun shows them.

    sfnlocal's limits: the change is recorded and described; children already run are not judged again (with the
    virtual clock a map run has mostly ended by the time a client can update it).
    """
    arn = request["mapRunArn"]
    find_map_run(engine, arn)
    changes = {key: request[key] for key in _UPDATABLE if key in request}
    if not changes:
        # AWS's words are not documented: sfnlocal's.
        raise ApiError(
            "ValidationException",
            "Either the maxConcurrency, the toleratedFailurePercentage or the toleratedFailureCount must be specified",
        )
    if "toleratedFailurePercentage" in changes:
        changes["toleratedFailurePercentage"] = float(changes["toleratedFailurePercentage"])
    engine.update_map_run(arn, changes)
    return {}


def map_run_executions(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """ListExecutions with ``mapRunArn``: the run's child executions that started, the most recent first,
    filtered by ``statusFilter``, a page at a time (StateMachineTypeNotSupported for EXPRESS children: AWS lists
    no Express execution)."""
    arn = request["mapRunArn"]
    execution, run = find_map_run(engine, arn)
    if run.get("executionType") == EXPRESS:
        # AWS names the error, not its message: sfnlocal's words.
        raise ApiError(
            "StateMachineTypeNotSupported", f"The map run '{arn}' runs EXPRESS children, which are not listed"
        )
    wanted = request.get("statusFilter")
    children = [
        {key: child[key] for key in _LISTED_CHILD if key in child}
        for child in reversed(execution.map_run_children(arn))
        if wanted is None or child["status"] == wanted
    ]
    chosen, more = page(children, request, [arn, wanted])
    return {"executions": chosen, **more}
