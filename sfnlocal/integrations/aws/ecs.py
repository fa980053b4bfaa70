"""``arn:aws:states:::ecs:runTask`` and ``.sync``, served by moto's ECS.

Request-response returns RunTask's response (``Tasks``, ``Failures``) with the Java SDK v1 metadata,
as recorded; ``.sync`` follows the task (:mod:`~sfnlocal.integrations.aws.jobs`) until it is
``STOPPED`` and returns its description, failing with ``States.TaskFailed`` if a container exited
with another code than 0. Timestamps are epoch milliseconds. moto places EC2 tasks only on container
instances registered in the cluster; a call moto fails on is ``sfnlocal.Unsupported``, with moto's reason.
"""

from __future__ import annotations

from typing import Any

from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.casing import epoch_millis
from sfnlocal.integrations.aws.errors import SdkV1Client
from sfnlocal.integrations.aws.jobs import JobService, run_job
from sfnlocal.integrations.aws.registry import integration
from sfnlocal.interpreter.integration import Outcome

ECS = SdkV1Client("ECS", "AmazonECS", "AmazonECSException")


def _verdict(task: dict[str, Any]) -> bool | None:
    """Whether a task ended well (every container exited with 0); None while it has not stopped.

    >>> _verdict({"LastStatus": "RUNNING"}), _verdict({"LastStatus": "STOPPED", "Containers": [{"ExitCode": 1}]})
    (None, False)
    """
    if task.get("LastStatus") != "STOPPED":
        return None
    return all(container.get("ExitCode", 0) == 0 for container in task.get("Containers", []))


def _to_describe(arguments: dict[str, Any], ran: dict[str, Any]) -> dict[str, Any] | None:
    """DescribeTasks' arguments for the task RunTask started; None when it started none (nothing to follow)."""
    if not ran.get("Tasks"):
        return None
    return {"Cluster": arguments.get("Cluster"), "Tasks": [ran["Tasks"][0]["TaskArn"]]}


ECS_TASKS = JobService(
    "ecs",
    "RunTask",
    "DescribeTasks",
    ECS,
    "application/x-amz-json-1.1",
    _to_describe,
    "Tasks",
    _verdict,
    start_timestamps=epoch_millis,
)


@integration("ecs", "runTask")
def run_task(call: ServiceCall) -> Outcome:
    """Run the task; for ``.sync``, follow it until it stops."""
    return run_job(call, ECS_TASKS)
