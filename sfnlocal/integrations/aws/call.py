"""What a built-in AWS service integration receives for one invocation of a Task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sfnlocal.interpreter.integration import TaskRequest
    from sfnlocal.language.resources import TaskResource


class ServiceClients(Protocol):
    """Where a built-in integration's calls go: boto3 clients by service name. An
    :class:`~sfnlocal.integrations.aws.world.AwsWorld`'s answer in moto; ``sfnlocal serve``'s service endpoints
    (:mod:`sfnlocal.server.service_endpoints`) answer at the URLs they were given. The integrations turn a Task
    into the call and the answer into its outcome the same way whichever serves them."""

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` (its boto3 name: ``sqs``, ``stepfunctions``)."""
        ...


@dataclass
class ServiceCall:
    """One invocation: the Task's resource (type, action, pattern), its arguments, and where it runs.

    ``arguments`` are the Task's effective Parameters/Arguments (a copy the integration may keep);
    ``aws`` gives the boto3 clients serving it (the moto world's, or a service endpoint's); ``task_token`` is set for
    ``.waitForTaskToken`` and ``.sync`` resources; ``request`` is the interpreter's request (the execution's
    clock and its Step Functions), None when a handler is called directly.
    """

    state_name: str
    resource: TaskResource
    arguments: Any
    region: str
    account: str
    aws: ServiceClients
    task_token: str | None = None
    request: TaskRequest | None = None

    @classmethod
    def of(cls, request: TaskRequest, aws: ServiceClients) -> ServiceCall:
        """The call for the interpreter's ``request``, served by ``aws``'s clients."""
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
