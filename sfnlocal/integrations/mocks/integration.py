"""Resolving what a Task state calls, and turning a mock into the outcome of one invocation.

One place decides, per invocation, in this order: the mocks given to the execution (by state name,
then by Resource ARN, then, for ``lambda:invoke``, by the ``FunctionName`` argument); the selected
Step Functions Local mock test case; sfnlocal's built-in integrations (AWS services served by moto,
nested executions). An activity with none of these waits for a worker. Otherwise the task fails with
an error saying how to mock it. A mock is one of:

* an outcome (:func:`~sfnlocal.integrations.mocks.returns`, :func:`~sfnlocal.integrations.mocks.raises`,
  :func:`~sfnlocal.integrations.mocks.pending`) or a :func:`~sfnlocal.integrations.mocks.sequence` of them;
* a Python callable ``handler(event, context)``, e.g. a user's real Lambda handler: its return
  value is the result and an exception becomes the error AWS reports for an unhandled Lambda
  error; it may also return an outcome;
* any other value: the task returns it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from random import Random
from typing import Any
from uuid import UUID

from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.registry import find_handler
from sfnlocal.integrations.lambda_ import LambdaContext, invoke_envelope, unhandled_error
from sfnlocal.integrations.mocks.outcomes import Outcome, Raises, Returns, Sequence
from sfnlocal.language.errors import SFNLOCAL_ERROR_PREFIX, StatesError
from sfnlocal.language.resources import ACTIVITY, SERVICE

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
MOCK_MISSING = SFNLOCAL_ERROR_PREFIX + "MockMissing"
MOCK_INVALID = SFNLOCAL_ERROR_PREFIX + "MockInvalid"


def _is_lambda_invoke(resource: str) -> bool:
    return resource == LAMBDA_INVOKE or resource.startswith(LAMBDA_INVOKE + ".")


def json_clone(value: Any, what: str) -> Any:
    """A deep copy through JSON: detaches the value from the caller and checks it is JSON.

    >>> json_clone({"a": (1, 2)}, "x")
    {'a': [1, 2]}
    """
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError) as err:
        raise StatesError(MOCK_INVALID, f"{what} is not a JSON value: {err}") from None


# Where an invocation's outcome came from: the Task treats a service's answer to a .waitForTaskToken
# call as the submission (then waits for the token), a mock's as the task's result.
FROM_MOCK = "mock"
FROM_SERVICE = "service"
AWAITS_WORKER = "activity"


class Integrations:
    """The mocks of one execution, with an invocation counter per state."""

    def __init__(self, mocks: Mapping[str, Any] | None, rng: Random, test_case: Any = None) -> None:
        self.mocks = dict(mocks or {})
        self.rng = rng
        self.test_case = test_case  # a selected MockConfigFile test case, or None
        self.invocations: dict[str, int] = {}

    def request_id(self) -> str:
        """A request id from the execution's seeded source."""
        return str(UUID(int=self.rng.getrandbits(128), version=4))

    def _find(self, state_name: str, resource: str, arguments: Any) -> Any:
        for key in (state_name, resource):
            if key in self.mocks:
                return self.mocks[key]
        if _is_lambda_invoke(resource) and isinstance(arguments, dict):
            function = arguments.get("FunctionName")
            if isinstance(function, str) and function in self.mocks:
                return self.mocks[function]
        return None

    def invoke(self, call: ServiceCall, function_arn: str | None = None) -> tuple[Outcome | None, str]:
        """The outcome of one invocation of a Task, and where it came from (FROM_MOCK, FROM_SERVICE, or
        AWAITS_WORKER with no outcome for an activity nobody mocked).

        ``function_arn`` is the Lambda function for handlers' context (plain function ARNs and
        ``lambda:invoke``'s FunctionName).
        """
        state_name, resource = call.state_name, call.resource
        count = self.invocations.get(state_name, 0)
        self.invocations[state_name] = count + 1
        mock = self._find(state_name, resource.arn, call.arguments)
        if mock is None and self.test_case is not None:
            mock = self.test_case.outcome(state_name, count)
        if mock is not None:
            return self._mock_outcome(mock, count, state_name, resource.arn, call.arguments, function_arn), FROM_MOCK
        handler = find_handler(resource) if resource.kind == SERVICE else None
        if handler is not None:
            return handler(call), FROM_SERVICE
        if resource.kind == ACTIVITY:
            return None, AWAITS_WORKER
        raise StatesError(
            MOCK_MISSING,
            f"State '{state_name}' calls {resource.arn} but no mock is registered for it and sfnlocal cannot "
            f"serve it offline; pass mocks={{'{state_name}': mocks.returns(...)}} (or key the mock by the "
            "resource ARN) to execute()",
        )

    def _mock_outcome(
        self, mock: Any, count: int, state_name: str, resource: str, arguments: Any, function_arn: str | None
    ) -> Outcome:
        if isinstance(mock, Sequence):
            if count >= len(mock.outcomes):
                raise StatesError(
                    MOCK_INVALID,
                    f"State '{state_name}' was invoked {count + 1} times but its mocks.sequence() has only "
                    f"{len(mock.outcomes)} outcomes; add more outcomes",
                )
            mock = mock.outcomes[count]
        return self._outcome(mock, state_name, resource, arguments, function_arn)

    def _outcome(self, mock: Any, state_name: str, resource: str, arguments: Any, function_arn: str | None) -> Outcome:
        lambda_invoke = _is_lambda_invoke(resource)
        if callable(mock) and not isinstance(mock, Outcome):
            event = arguments.get("Payload") if lambda_invoke and isinstance(arguments, dict) else arguments
            request_id = self.request_id()
            context = LambdaContext(function_arn or resource, request_id)
            try:
                produced = mock(json_clone(event, f"the event for state '{state_name}'"), context)
            except StatesError as err:
                return Raises(err.error or "", err.cause)
            except Exception as exc:  # the handler's own failure: reported as Lambda reports it
                err = unhandled_error(exc, request_id, compact=lambda_invoke)
                return Raises(err.error or "", err.cause)
            mock = produced if isinstance(produced, Outcome) else Returns(produced)
        elif not isinstance(mock, Outcome):
            mock = Returns(mock)
        if isinstance(mock, Returns):
            value = json_clone(mock.value, f"the mock result of state '{state_name}'")
            if lambda_invoke and not mock.raw:
                value = invoke_envelope(value, self.request_id())
            return Returns(value, True, mock.after)
        return mock
