"""The built-in AWS service integrations as one integration: each Task with a handler is served in a world.

A Task whose resource has a built-in handler (:mod:`sfnlocal.integrations.aws.registry`) is served against
the :class:`~sfnlocal.integrations.aws.world.AwsWorld` this integration was given (or another source of clients,
:class:`~sfnlocal.integrations.aws.call.ServiceClients`: ``sfnlocal serve``'s service endpoints); others are left
to the next integration. For ``.waitForTaskToken`` resources the service's response is what the task submitted
(recorded as TaskSubmitted); the task then waits for its token.

>>> from sfnlocal import AwsWorld, StateMachine
>>> sm = StateMachine.from_dict({"StartAt": "Put", "States": {"Put": {
...     "Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "ResultPath": None, "End": True,
...     "Parameters": {"TableName": "orders", "Item": {"id": {"S": "42"}}}}}})
>>> with AwsWorld() as world:
...     _ = world.client("dynamodb").create_table(TableName="orders", BillingMode="PAY_PER_REQUEST",
...         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
...         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
...     run = sm.execute({}, integration=AwsServices(world))
...     world.client("dynamodb").scan(TableName="orders")["Count"]
1
"""

from __future__ import annotations

from sfnlocal.integrations.aws.call import ServiceCall, ServiceClients
from sfnlocal.integrations.aws.registry import Handler, find_handler
from sfnlocal.interpreter.integration import AwaitToken, Outcome, Result, Submitted, TaskRequest
from sfnlocal.language.resources import SERVICE, WAIT_FOR_TASK_TOKEN


class AwsServices:
    """Serves the Tasks sfnlocal has a built-in integration for, with ``world``'s clients."""

    def __init__(self, world: ServiceClients) -> None:
        self.world = world

    def invoke(self, request: TaskRequest) -> Outcome | None:
        """The service's outcome, or None when sfnlocal has no built-in integration for the resource."""
        if request.resource.kind != SERVICE:
            return None
        handler = find_handler(request.resource)
        if handler is None:
            return None
        return self.serve(request, handler)

    def serve(self, request: TaskRequest, handler: Handler) -> Outcome:
        """``handler``'s outcome for ``request``, its calls made with this integration's clients; for a
        ``.waitForTaskToken`` resource, the service's response is what the task submitted, then it awaits its token."""
        outcome = handler(ServiceCall.of(request, self.world))
        if request.pattern == WAIT_FOR_TASK_TOKEN and isinstance(outcome, Result):
            return Submitted(outcome.value, AwaitToken())
        return outcome
