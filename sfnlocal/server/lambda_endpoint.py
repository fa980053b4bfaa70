"""Step Functions Local's ``LAMBDA_ENDPOINT``: every Lambda task sent to a Lambda Invoke API.

Step Functions Local sends each Lambda call (a function ARN Resource or ``lambda:invoke``) to the endpoint it is
given, whatever the function, e.g. ``sam local start-lambda``'s ``http://127.0.0.1:3001``. sfnlocal's own
``lambda_endpoint`` sends only the functions a machine knows (from its template); this integration sends the
others too, through the same invocation code (:class:`~sfnlocal.integrations.lambda_functions.LambdaFunctions`
with an endpoint), so results, errors and ``lambda:invoke``'s envelope are the same. Functions named in
``in_process`` (a template's, given with ``--template``) are left to run in-process.

>>> endpoint = LambdaEndpoint("http://127.0.0.1:3001", in_process=["charge"])
>>> endpoint.url
'http://127.0.0.1:3001'
"""

from __future__ import annotations

from collections.abc import Iterable

from sfnlocal.integrations.lambda_ import function_arn, is_lambda_invoke
from sfnlocal.integrations.lambda_functions.endpoint import InvokeEndpoint
from sfnlocal.integrations.lambda_functions.names import parse_function_name
from sfnlocal.integrations.lambda_functions.runtime import LambdaFunctions
from sfnlocal.integrations.lambda_functions.spec import LambdaFunction
from sfnlocal.interpreter.integration import Outcome, TaskRequest
from sfnlocal.language.resources import LAMBDA_FUNCTION

_REMOTE_HANDLER = "(run by the Lambda endpoint)"  # a function known by name only: the endpoint runs it


class LambdaEndpoint:
    """Serves the Tasks that call a Lambda function (but those in ``in_process``) through the Lambda Invoke API
    at ``url``; one botocore client for them all."""

    def __init__(self, url: str, in_process: Iterable[str] = ()) -> None:
        self.url = url
        self.in_process = frozenset(in_process)
        self._endpoint = InvokeEndpoint(url)
        self._served: dict[str, LambdaFunctions] = {}  # function name -> its invocations' integration

    def invoke(self, request: TaskRequest) -> Outcome | None:
        """The endpoint's answer for a Lambda task, or None for another task (or a function run in-process)."""
        resource = request.resource
        if resource.kind != LAMBDA_FUNCTION and not is_lambda_invoke(resource.arn):
            return None
        name = function_arn(resource, request.arguments)
        reference = parse_function_name(name) if name is not None else None
        if reference is None or reference.name in self.in_process:
            return None  # a name Lambda would refuse is reported by the next integration, as without an endpoint
        return self._functions(reference.name).invoke(request)

    def _functions(self, name: str) -> LambdaFunctions:
        served = self._served.get(name)
        if served is None:
            served = LambdaFunctions([LambdaFunction(name, _REMOTE_HANDLER, None)], endpoint=self.url)
            served.endpoint = self._endpoint  # shared: botocore clients are slow to make
            self._served[name] = served
        return served
