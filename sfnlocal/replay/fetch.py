"""Exporting execution histories from an AWS account: the one part of sfnlocal that talks to AWS.

:func:`fetch_histories` lists a state machine's executions (ListExecutions, newest first) and writes each one's
history (GetExecutionHistory with ``includeExecutionData``, every page) to a file of its own, with what
DescribeExecution says about it beside the events (``"execution"``: its ARN, status, dates). It uses boto3 with
the caller's own AWS configuration (profile, region, credentials), or the ``client`` given; nothing else in
sfnlocal reaches AWS.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

MAX_EXECUTIONS = 1000  # ListExecutions pages are 1,000 at most: a bound on one export, not on the account
_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _executions(client: Any, state_machine_arn: str, limit: int) -> Iterator[dict[str, Any]]:
    pages = client.get_paginator("list_executions").paginate(
        stateMachineArn=state_machine_arn, PaginationConfig={"MaxItems": limit, "PageSize": min(limit, 100)}
    )
    for page in pages:
        yield from page.get("executions", ())


def history_document(client: Any, execution_arn: str) -> dict[str, Any]:
    """``{"execution": DescribeExecution's answer, "events": every event}`` of one execution, with its data."""
    described = {
        k: v for k, v in client.describe_execution(executionArn=execution_arn).items() if k != "ResponseMetadata"
    }
    events: list[dict[str, Any]] = []
    pages = client.get_paginator("get_execution_history").paginate(
        executionArn=execution_arn, includeExecutionData=True
    )
    for page in pages:
        events.extend(page.get("events", ()))
    return {"execution": described, "events": events}


def fetch_histories(state_machine_arn: str, folder: str | Path, limit: int = 20, client: Any = None) -> list[Path]:
    """Write the histories of ``state_machine_arn``'s ``limit`` latest executions to ``folder`` (made if needed),
    one ``<execution name>.json`` each; return the files written. ``client``: a boto3 ``stepfunctions`` client
    (default: one of the caller's AWS configuration). boto3's own errors (no credentials, access denied, an
    unknown state machine) are raised as they are."""
    if not 1 <= limit <= MAX_EXECUTIONS:
        raise ValueError(f"the number of executions to fetch must be 1 to {MAX_EXECUTIONS:,}, not {limit}")
    if client is None:
        import boto3

        client = boto3.client("stepfunctions")
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for execution in _executions(client, state_machine_arn, limit):
        document = history_document(client, execution["executionArn"])
        path = target / f"{_FILE_NAME.sub('_', str(execution.get('name') or 'execution'))}.json"
        path.write_text(json.dumps(document, indent=2, default=_json, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
