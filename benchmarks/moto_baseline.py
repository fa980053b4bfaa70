"""The baseline: moto's own Step Functions interpreter, driven through boto3 as a user would.

Findings that shape this module (moto 5.2.1, see README.md):

* moto runs an execution on a worker thread and does not sleep between states, but it re-parses
  every JSONPath with ``jsonpath_ng.parse`` on each evaluation, which builds a new PLY parser
  each time; that is where its time goes.
* ``start_execution`` deep-copies the state machine, which references the whole backend; once one
  execution exists in an account and region, every later one fails with "cannot pickle
  '_thread.RLock' object". Each run therefore gets a fresh ``mock_aws`` context (set up outside
  the timed part).
* The time taken is moto's own, ``stopDate - startDate`` from DescribeExecution, so how often
  we poll does not count against it; wall time is used only when that rounds to zero.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

from benchmarks.measurement import Run, Timing, best_of
from benchmarks.workloads import Workload, count_transitions

_REGION = "us-east-1"
_ROLE_ARN = "arn:aws:iam::123456789012:role/sfnlocal-benchmark"
# Polling is only for noticing the end; the measured time is moto's own (see the module docstring).
_POLL_SECONDS = 0.02
# A run past this is stopped and reported as a failure (the 1000-iteration Choice loop takes 1-2 minutes).
_TIMEOUT_SECONDS = 900.0


def moto_version() -> str:
    """The installed moto's version."""
    from importlib.metadata import version

    return version("moto")


def measure_moto(workload: Workload, repeats: int, timeout: float = _TIMEOUT_SECONDS) -> Timing:
    """Best of ``repeats`` runs of ``workload`` in moto; a run longer than ``timeout`` s is a failure."""
    return best_of("moto", workload, lambda: lambda: _run_once(workload, timeout), repeats)


def _run_once(workload: Workload, timeout: float) -> Run:
    # moto is imported here only: sfnlocal itself never depends on it.
    import boto3
    from moto import mock_aws

    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        client = boto3.client("stepfunctions", region_name=_REGION)
        machine_arn = client.create_state_machine(
            name=workload.name, definition=json.dumps(workload.definition), roleArn=_ROLE_ARN
        )["stateMachineArn"]
        started = time.perf_counter()
        execution_arn = client.start_execution(stateMachineArn=machine_arn, input=json.dumps(workload.input))[
            "executionArn"
        ]
        description = client.describe_execution(executionArn=execution_arn)
        while description["status"] == "RUNNING":
            if time.perf_counter() - started > timeout:
                client.stop_execution(executionArn=execution_arn)
                return Run(timeout, "TIMED OUT (benchmark limit)", None, 0)
            time.sleep(_POLL_SECONDS)
            description = client.describe_execution(executionArn=execution_arn)
        wall = time.perf_counter() - started
        events = _history(client, execution_arn)
    own = _seconds_between(description["startDate"], description.get("stopDate"))
    output = json.loads(description["output"]) if "output" in description else None
    return Run(
        own or wall,
        description["status"],
        output,
        count_transitions(events),
        description.get("error"),
        description.get("cause"),
    )


def _history(client: Any, execution_arn: str) -> list[dict[str, Any]]:
    """Every event of an execution, following GetExecutionHistory's pages."""
    page = client.get_execution_history(executionArn=execution_arn, maxResults=1000)
    events = list(page["events"])
    while page.get("nextToken"):
        page = client.get_execution_history(executionArn=execution_arn, maxResults=1000, nextToken=page["nextToken"])
        events.extend(page["events"])
    return events


def _seconds_between(start: datetime, stop: datetime | None) -> float | None:
    """Seconds from ``start`` to ``stop``; None when unknown or too short to resolve."""
    if stop is None:
        return None
    seconds = (stop - start).total_seconds()
    return seconds if seconds > 0 else None
