"""What a built-in AWS service integration receives for one invocation of a Task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.world import AwsWorld
    from sfnlocal.interpreter.integration import TaskRequest
    from sfnlocal.language.resources import TaskResource


@dataclass
class ServiceCall:
    """One invocation: the Task's resource (type, action, pattern), its arguments, and where it runs.

    ``arguments`` are the Task's effective Parameters/Arguments (a copy the integration may keep);
    ``aws`` gives boto3 clients against the moto world serving it; ``task_token`` is set for
    ``.waitForTaskToken`` and ``.sync`` resources; ``request`` is the interpreter's request (the execution's
    clock and its Step Functions), None when a handler is called directly.
    """

    state_name: str
    resource: TaskResource
    arguments: Any
    region: str
    account: str
    aws: AwsWorld
    task_token: str | None = None
    request: TaskRequest | None = None

    @classmethod
    def of(cls, request: TaskRequest, aws: AwsWorld) -> ServiceCall:
        """The call for the interpreter's ``request``, served in ``aws``."""
        return cls(
            request.state_name,
            request.resource,
            request.arguments,
            request.region,
            request.account,
            aws,
            request.task_token,
            request,
        )
