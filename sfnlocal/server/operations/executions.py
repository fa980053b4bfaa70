"""StartExecution, StartSyncExecution, StopExecution, DescribeExecution, ListExecutions, GetExecutionHistory,
DescribeStateMachineForExecution."""

from __future__ import annotations

import json
import math
from typing import Any

from sfnlocal.language.jsontext import not_a_json_constant
from sfnlocal.language.state_fields import EXPRESS, STANDARD
from sfnlocal.server.api import ApiError
from sfnlocal.server.engine import RUNNING, Engine, ExecutionRecord, MachineRecord
from sfnlocal.server.operations.common import (
    check_name,
    engine_operation,
    find_execution,
    page,
)
from sfnlocal.server.operations.map_runs import map_run_executions
from sfnlocal.server.operations.versions import ALIAS_ARN, VERSION_ARN, listed_executions, start_target
from sfnlocal.validation.source import jackson_problem

# StartSyncExecution's and ListExecutions' refusal for the other type of machine (sfnlocal's words: AWS's API
# reference names the error, not its message).
TYPE_NOT_SUPPORTED = "This operation is not supported by this type of state machine"
# Express executions are billed in 100 ms steps of 64 MB (AWS's pricing page), as billingDetails shows.
_BILLED_MEMORY_MB = 64
_BILLING_STEP_MS = 100


@engine_operation("StartExecution")
def start_execution(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Start an execution; with the virtual clock it runs at once to its end or to what it waits for.

    ``stateMachineArn#TestCase`` runs the mock file's test case, as Step Functions Local does. AWS's idempotency
    rule for Standard machines: the same name and input as a RUNNING execution answer with that execution; the
    same name otherwise is ExecutionAlreadyExists. Express executions are never idempotent. A version's or an
    alias's ARN runs that version (or one the alias picks by its weights).
    """
    record, name, input_text, test_case, qualifiers = _start_request(engine, request)
    if record.type == STANDARD and name is not None:
        existing = engine.executions.get(
            f"arn:aws:states:{engine.region}:{engine.account}:execution:{record.name}:{name}"
        )
        if existing is not None:
            if existing.status == RUNNING and existing.input == input_text:
                return {"executionArn": existing.arn, "startDate": existing.describe()["startDate"]}
            raise ApiError("ExecutionAlreadyExists", f"Execution Already Exists: '{existing.arn}'")
    execution = _start(engine, record, name, input_text, request.get("traceHeader"), test_case, qualifiers)
    return {"executionArn": execution.arn, "startDate": execution.describe()["startDate"]}


@engine_operation("StartSyncExecution")
def start_sync_execution(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Run an Express execution and answer with its outcome (StateMachineTypeNotSupported for a Standard machine).

    An execution that waits (a task token, an activity, a Wait with the real clock) is waited for, the engine's
    lock released meanwhile, for up to Express's five minutes as AWS holds the call: then it has timed out.
    """
    record, name, input_text, test_case, qualifiers = _start_request(engine, request)
    if record.type != EXPRESS:
        raise ApiError("StateMachineTypeNotSupported", TYPE_NOT_SUPPORTED)
    execution = _start(engine, record, name, input_text, request.get("traceHeader"), test_case, qualifiers)
    engine.wait_for_end(execution)
    described = _included(execution.describe(), request.get("includedData"))
    response = {key: value for key, value in described.items() if not key.startswith("redrive")}
    start, stop = described["startDate"], described.get("stopDate", described["startDate"])
    response["stopDate"] = stop
    milliseconds = (stop - start).total_seconds() * 1000
    response["billingDetails"] = {
        "billedMemoryUsedInMB": _BILLED_MEMORY_MB,
        "billedDurationInMilliseconds": max(1, math.ceil(milliseconds / _BILLING_STEP_MS)) * _BILLING_STEP_MS,
    }
    return response


@engine_operation("StopExecution")
def stop_execution(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Stop a running execution (ABORTED, with the error and cause given). Stopping one that has ended changes
    nothing and answers with its stop date (sfnlocal's choice: AWS documents no error for it)."""
    execution = find_execution(engine, request["executionArn"])
    engine.stop_execution(execution, request.get("error"), request.get("cause"))
    return {"stopDate": execution.describe()["stopDate"]}


@engine_operation("DescribeExecution")
def describe_execution(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Describe a Standard execution (``includedData: METADATA_ONLY`` leaves out its input and output)."""
    return _included(find_execution(engine, request["executionArn"]).describe(), request.get("includedData"))


@engine_operation("ListExecutions")
def list_executions(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The executions of a Standard state machine, the most recent first (AWS's API reference), filtered by
    ``statusFilter``, a page at a time; of a version or an alias ARN, those started through it; of a
    ``mapRunArn``, the map run's child executions."""
    if "mapRunArn" in request:
        return map_run_executions(engine, request)
    if "stateMachineArn" not in request:
        # AWS's message for neither ARN is not documented: sfnlocal's words.
        raise ApiError("ValidationException", "Must provide a StateMachine ARN or MapRun ARN")
    record, qualified = listed_executions(engine, request["stateMachineArn"])
    if record.type != STANDARD:
        raise ApiError("StateMachineTypeNotSupported", TYPE_NOT_SUPPORTED)
    wanted = request.get("statusFilter")
    matching = [
        execution.describe()
        for execution in reversed(engine.executions.values())
        if execution.machine["stateMachineArn"] == record.arn and (wanted is None or execution.status == wanted)
    ]
    if qualified is not None:
        matching = [described for described in matching if described.get(qualified[0]) == qualified[1]]
    redriven = request.get("redriveFilter")  # REDRIVEN: redriven at least once; NOT_REDRIVEN: never
    if redriven is not None:
        matching = [d for d in matching if (d["redriveCount"] > 0) == (redriven == "REDRIVEN")]
    chosen, more = page(matching, request, [request["stateMachineArn"], wanted, redriven])
    # As AWS lists them (recorded in 2025: redriveCount is there too).
    keys = (
        "executionArn",
        "stateMachineArn",
        "name",
        "status",
        "startDate",
        "stopDate",
        "redriveCount",
        "redriveDate",
        VERSION_ARN,
        ALIAS_ARN,
    )
    return {"executions": [{key: d[key] for key in keys if key in d} for d in chosen], **more}


@engine_operation("GetExecutionHistory")
def get_execution_history(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """An execution's events, a page at a time, oldest first unless ``reverseOrder``; ``includeExecutionData:
    false`` leaves out the events' input and output."""
    execution = find_execution(engine, request["executionArn"])
    reverse = bool(request.get("reverseOrder", False))
    include = request.get("includeExecutionData", True)
    events = execution.history()
    if reverse:
        events.reverse()
    chosen, more = page(events, request, [execution.arn, reverse, include])
    if not include:
        chosen = [_without_data(event) for event in chosen]
    return {"events": chosen, **more}


@engine_operation("DescribeStateMachineForExecution")
def describe_state_machine_for_execution(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The state machine as it was when the execution started (a later UpdateStateMachine does not show)."""
    return dict(find_execution(engine, request["executionArn"]).machine)


def _start_request(
    engine: Engine, request: dict[str, Any]
) -> tuple[MachineRecord, str | None, str, str | None, dict[str, str]]:
    """The machine (or version), name, input, mock test case and version/alias qualifiers of a StartExecution or
    StartSyncExecution, checked as AWS checks them."""
    arn, _, test_case = request["stateMachineArn"].partition("#")
    record, qualifiers = start_target(engine, arn)
    name = request.get("name")
    if name is not None:
        check_name(name)
    input_text = request.get("input", "{}")  # StartExecution's default input (AWS's API reference)
    check_input(input_text)
    return record, name, input_text, test_case or None, qualifiers


def check_input(text: str) -> None:
    """InvalidExecutionInput, with the JSON parser's words as AWS's message carries them, for input that is not
    JSON.

    >>> check_input('{"a": 1}')
    >>> check_input('{"a" 1}')
    Traceback (most recent call last):
    ...
    sfnlocal.server.api.ApiError: InvalidExecutionInput: Invalid State Machine Execution Input: 'Unexpected \
character ('1' (code 49)): was expecting a colon to separate field name and value
     at [Source: (String)"{"a" 1}"; line: 1, column: ...]'
    """
    try:
        json.loads(text, parse_constant=not_a_json_constant)
    except json.JSONDecodeError as err:
        message, _ = jackson_problem(text, err)
        raise ApiError("InvalidExecutionInput", f"Invalid State Machine Execution Input: '{message}'") from None
    except (ValueError, RecursionError) as err:
        raise ApiError("InvalidExecutionInput", f"Invalid State Machine Execution Input: '{err}'") from None


def _start(
    engine: Engine,
    record: MachineRecord,
    name: str | None,
    input_text: str,
    trace_header: str | None,
    test_case: str | None,
    qualifiers: dict[str, str],
) -> ExecutionRecord:
    try:
        return engine.start_execution(record, name, input_text, trace_header, test_case, qualifiers)
    except (TypeError, ValueError) as err:
        # What execute() refuses after the checks above: a mock file or test case that does not fit (sfnlocal's
        # choice of error), or an input nested deeper than sfnlocal holds.
        code = "ValidationException" if test_case is not None else "InvalidExecutionInput"
        raise ApiError(code, str(err)) from None


def _included(described: dict[str, Any], included_data: str | None) -> dict[str, Any]:
    """A description without its input and output for ``includedData: METADATA_ONLY``."""
    if included_data != "METADATA_ONLY":
        return described
    trimmed = {key: value for key, value in described.items() if key not in ("input", "output")}
    trimmed["inputDetails"] = {"included": False}
    if "outputDetails" in trimmed:
        trimmed["outputDetails"] = {"included": False}
    return trimmed


def _without_data(event: dict[str, Any]) -> dict[str, Any]:
    """An event without the input and output its details carry."""
    return {
        key: {name: value for name, value in detail.items() if name not in ("input", "output")}
        if isinstance(detail, dict)
        else detail
        for key, detail in event.items()
    }
