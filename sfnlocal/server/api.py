"""The contract between the HTTP transport and the operations: a registry of operation handlers, and the error
an operation raises to answer as AWS answers (its error code, message and HTTP status).

An operation is a function ``handler(engine, request) -> response``: ``request`` is the request's JSON object
as the client sent it (already checked against botocore's model of the operation's input), ``response`` the
JSON-ready object of its output (timestamps as ``datetime``, the transport encodes them).

>>> @operation("ExampleOperation")
... def example(engine, request):
...     if "name" not in request:
...         raise ApiError("ValidationException", "name is required")
...     return {"greeting": "hello " + request["name"]}
>>> OPERATIONS["ExampleOperation"](None, {"name": "Ada"})
{'greeting': 'hello Ada'}
>>> del OPERATIONS["ExampleOperation"]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[[Any, dict[str, Any]], dict[str, Any]]
OPERATIONS: dict[str, Handler] = {}


class ApiError(Exception):
    """An error answered as AWS answers it: ``code`` (e.g. ``StateMachineDoesNotExist``, the shape name in
    botocore's model), ``message``, and the HTTP status (400 for client errors)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def operation(name: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` for the API operation ``name`` (as in ``X-Amz-Target: AWSStepFunctions.<name>``)."""

    def register(handler: Handler) -> Handler:
        OPERATIONS[name] = handler
        return handler

    return register
