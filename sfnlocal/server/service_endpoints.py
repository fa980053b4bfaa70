"""Step Functions Local's service endpoints: the tasks calling a service whose endpoint is set go to that endpoint.

Step Functions Local sends the calls of its service integrations to ``SQS_ENDPOINT``, ``DYNAMODB_ENDPOINT``, ...
(AWS's docs, "Setting configuration options for Step Functions Local"), e.g. a user's ElasticMQ, LocalStack or
moto server. :class:`ServiceEndpoints` does the same for ``sfnlocal serve``: a Task calling Batch, DynamoDB,
ECS, Glue, SageMaker, SQS, SNS or Step Functions, through an optimized integration (``sqs:sendMessage``) or an
AWS SDK integration (``aws-sdk:dynamodb:getItem``), is served by the very integration that serves it from the
in-process AWS (:class:`~sfnlocal.integrations.aws.services.AwsServices`), given clients whose ``endpoint_url``
is the endpoint's (:func:`~sfnlocal.integrations.aws.world.endpoint_client`): the same request, the same result
shapes, the same error names (``SQS.QueueDoesNotExistException``), ``.waitForTaskToken`` submitting the
message and then awaiting the token. An endpoint that does not answer fails the task with ``States.TaskFailed``
naming its URL (:func:`~sfnlocal.integrations.aws.errors.unreachable`). The services without an endpoint are
left to the next integration (the in-process AWS).

Step Functions' own integrations with ``STEP_FUNCTIONS_ENDPOINT``: ``states:startExecution`` and the AWS SDK's
``sfn`` actions go to the endpoint, but for the task-token answers (``sendTaskSuccess``, ...), whose tokens are
this server's. A ``.sync`` start would have to follow an execution running elsewhere, which sfnlocal does not:
it fails with ``sfnlocal.Unsupported`` saying so. An endpoint naming the server itself is not one
(:func:`sfnlocal.server.addresses.names_this_server`): the children then run in the server, as without one.

>>> endpoints = ServiceEndpoints({"sqs": "http://127.0.0.1:9324"}, region="us-east-1")
>>> from sfnlocal.language.resources import parse_resource
>>> [target_service(parse_resource(arn)) for arn in ("arn:aws:states:::sqs:sendMessage.waitForTaskToken",
...     "arn:aws:states:::aws-sdk:sfn:startExecution", "arn:aws:states:::lambda:invoke")]
['sqs', 'stepfunctions', None]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sfnlocal.integrations.aws.aws_sdk import aws_sdk, botocore_service
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.errors import UNSUPPORTED
from sfnlocal.integrations.aws.registry import Handler, action_of, find_handler
from sfnlocal.integrations.aws.services import AwsServices
from sfnlocal.integrations.aws.states import start_execution_at_service
from sfnlocal.integrations.aws.world import endpoint_client
from sfnlocal.interpreter.integration import Failure, Outcome, TaskRequest
from sfnlocal.language.resources import SERVICE, SYNC, SYNC2, TaskResource

# The optimized integrations' resource types of the services that have an endpoint setting, by boto3 name.
_OPTIMIZED = {"batch": "batch", "dynamodb": "dynamodb", "ecs": "ecs", "glue": "glue", "sagemaker": "sagemaker",
              "sqs": "sqs", "sns": "sns", "states": "stepfunctions"}  # fmt: skip
# Answered by this server, whatever the endpoint: the tokens are its executions'.
_TOKEN_ANSWERS = {"sendTaskSuccess", "sendTaskFailure", "sendTaskHeartbeat"}


def target_service(resource: TaskResource) -> str | None:
    """The boto3 name of the service a Task's resource calls, among those that have an endpoint setting (None
    for another resource)."""
    resource_type = resource.resource_type or ""
    if resource_type.startswith("aws-sdk:"):
        return botocore_service(resource_type.split(":", 1)[1])
    return _OPTIMIZED.get(resource_type)


class EndpointClients:
    """boto3 clients of the services at their endpoints (``urls`` by boto3 name), made once each, signed for
    ``region`` with ``credentials`` (boto3's ``aws_access_key_id``, ...; None: fake ones)."""

    def __init__(self, urls: Mapping[str, str], region: str, credentials: Mapping[str, str] | None = None) -> None:
        self.urls = dict(urls)
        self.region = region
        self.credentials = dict(credentials) if credentials else None
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        """The client of ``service``'s endpoint; a LookupError for a service without one."""
        client = self._clients.get(service)
        if client is None:
            if service not in self.urls:
                raise LookupError(f"no endpoint is set for {service} (only for {', '.join(sorted(self.urls))})")
            client = endpoint_client(service, self.region, self.urls[service], self.credentials)
            self._clients[service] = client
        return client


class ServiceEndpoints:
    """Serves the Tasks calling a service of ``urls`` (endpoint URLs by boto3 name: ``sqs``, ``stepfunctions``)
    at its endpoint; None for the others.

    >>> ServiceEndpoints({"dynamodb": "http://127.0.0.1:8000"}, region="eu-west-1").urls
    {'dynamodb': 'http://127.0.0.1:8000'}
    """

    def __init__(self, urls: Mapping[str, str], region: str, credentials: Mapping[str, str] | None = None) -> None:
        self.clients = EndpointClients(urls, region, credentials)
        self.urls = self.clients.urls
        self._services = AwsServices(self.clients)

    def invoke(self, request: TaskRequest) -> Outcome | None:
        """The endpoint's outcome for a Task calling one of the services, or None."""
        resource = request.resource
        if resource.kind != SERVICE or target_service(resource) not in self.urls:
            return None
        handler = self._handler(resource)
        return None if handler is None else self._services.serve(request, handler)

    def _handler(self, resource: TaskResource) -> Handler | None:
        """What turns the Task into the endpoint's call: the built-in integration, but for Step Functions' own,
        which sfnlocal otherwise runs itself (child executions)."""
        action = action_of(resource)
        if resource.resource_type == "states":
            if action != "startExecution":
                return None
            return _not_followed if resource.pattern in (SYNC, SYNC2) else start_execution_at_service
        if resource.resource_type == "aws-sdk:sfn":
            return None if action in _TOKEN_ANSWERS else aws_sdk
        return find_handler(resource)


def _not_followed(call: ServiceCall) -> Outcome:
    """A ``.sync`` child execution at STEP_FUNCTIONS_ENDPOINT: sfnlocal cannot follow it without holding its own
    executions up, so it says so rather than answer otherwise than Step Functions Local would."""
    return Failure(
        UNSUPPORTED,
        f"State '{call.state_name}' calls {call.resource.arn}, which waits for an execution of the Step Functions "
        "at STEP_FUNCTIONS_ENDPOINT; sfnlocal serve does not follow executions running elsewhere: leave "
        "STEP_FUNCTIONS_ENDPOINT unset (or name this server) to run the child here",
    )
