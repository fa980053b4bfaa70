"""What a built-in service integration receives for one invocation of a Task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.world import AwsWorld
    from sfnlocal.language.resources import TaskResource


@dataclass
class ServiceCall:
    """One invocation: the Task's resource (type, action, pattern), its arguments, and where it runs.

    ``arguments`` are the Task's effective Parameters/Arguments (a copy the integration may keep);
    ``aws`` gives boto3 clients against the execution's moto world; ``task_token`` is set for
    ``.waitForTaskToken`` resources.
    """

    state_name: str
    resource: TaskResource
    arguments: Any
    region: str
    account: str
    aws: AwsWorld
    task_token: str | None = None
    execution: Any = None  # the running Execution, for integrations that start nested executions
