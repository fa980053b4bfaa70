"""The application's Lambda functions as an integration: each Task that calls one runs its real handler.

:class:`LambdaFunctions` serves a Task whose Resource is a Lambda function ARN, or
``arn:aws:states:::lambda:invoke[.waitForTaskToken]`` with a ``FunctionName``, when that name resolves as
Lambda resolves it (name, partial or full ARN, any version or alias qualifier) to one of its functions;
any other Task is left to the next integration. Each handler runs in-process as Lambda runs it: imported
once (cold start) from its own code folder in its own module namespace (:mod:`.modules`), with its
Layers on the path, its environment variables and Lambda's own set while it runs, inside the in-process
AWS world's scope so that its boto3 calls reach that world (unless ``real_aws=True``), a context object,
and its result and errors as Lambda returns them (:mod:`.invocation`). With ``endpoint=URL`` the
invocations go to a Lambda Invoke API instead (``sam local start-lambda``; :mod:`.endpoint`).

>>> import pathlib, tempfile
>>> from sfnlocal import StateMachine
>>> code = pathlib.Path(tempfile.mkdtemp())
>>> _ = (code / "app.py").write_text("def lambda_handler(event, context):\\n    return {'charged': event['amount']}\\n")
>>> functions = LambdaFunctions([LambdaFunction("charge", "app.lambda_handler", code)])
>>> sm = StateMachine.from_dict({"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
...     "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "End": True}}})
>>> sm.execute({"amount": 5}, integration=functions).output
{'charged': 5}
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Protocol

from sfnlocal.integrations.lambda_ import (
    LambdaContext,
    accepted_envelope,
    function_arn,
    invoke_envelope,
    is_lambda_invoke,
)
from sfnlocal.integrations.lambda_functions.endpoint import InvokeEndpoint
from sfnlocal.integrations.lambda_functions.invocation import FunctionError, call_handler
from sfnlocal.integrations.lambda_functions.loading import cannot_run, loaded
from sfnlocal.integrations.lambda_functions.names import FunctionReference, parse_function_name
from sfnlocal.integrations.lambda_functions.spec import LambdaFunction
from sfnlocal.interpreter.integration import AwaitToken, Failure, Outcome, Result, Submitted, TaskRequest
from sfnlocal.language.errors import MOCK_MISSING, StatesError
from sfnlocal.language.identifiers import seeded_uuid4
from sfnlocal.language.resources import LAMBDA_FUNCTION, WAIT_FOR_TASK_TOKEN


class HandlerWorld(Protocol):
    """What the runtime needs of an in-process AWS world (:class:`sfnlocal.AwsWorld`)."""

    def handler_scope(self) -> AbstractContextManager[Any]:
        """The block in which a handler's boto3 clients reach this world only."""
        ...


class LambdaFunctions:
    """Serves the Tasks that call one of ``functions``, running its real Python handler in-process.

    ``world`` is the in-process AWS world the handlers' boto3 calls reach (None: the process environment
    as it is, for unit tests); ``real_aws=True`` says the handlers may reach real AWS (no world scope);
    ``endpoint`` sends every invocation to a Lambda Invoke API at that URL instead of running it here.
    """

    def __init__(
        self,
        functions: Iterable[LambdaFunction],
        world: HandlerWorld | None = None,
        *,
        endpoint: str | None = None,
        real_aws: bool = False,
    ) -> None:
        self.functions: dict[str, LambdaFunction] = {}
        for function in functions:
            if not isinstance(function, LambdaFunction):
                raise TypeError(f"LambdaFunctions takes LambdaFunction values, not {type(function).__name__}")
            if function.name in self.functions:
                raise ValueError(f"Two Lambda functions are named '{function.name}'; a function name is unique")
            self.functions[function.name] = function
        self.world = world
        self.real_aws = real_aws
        self.endpoint = InvokeEndpoint(endpoint) if endpoint is not None else None

    def invoke(self, request: TaskRequest) -> Outcome | None:
        """Run the function this Task calls, or None when it calls none of these functions."""
        resource = request.resource
        lambda_invoke = is_lambda_invoke(resource.arn)
        if resource.kind != LAMBDA_FUNCTION and not lambda_invoke:
            return None
        arguments = request.arguments
        options = arguments if lambda_invoke and isinstance(arguments, dict) else {}
        name = function_arn(resource, arguments)
        qualifier = options.get("Qualifier")
        reference = parse_function_name(name, qualifier if isinstance(qualifier, str) else None) if name else None
        function = self.functions.get(reference.name) if reference is not None else None
        if function is None or reference is None or name is None:
            return None
        event = options.get("Payload", {}) if lambda_invoke else arguments  # Lambda's event for no payload: {}
        invocation_type = options.get("InvocationType", "RequestResponse")
        request_id = seeded_uuid4(request.random)
        if invocation_type == "DryRun":  # Lambda checks the request and runs nothing
            return Result(accepted_envelope(request_id, 204))
        invoked_arn = _invoked_arn(name, reference, request.region, request.account)
        asynchronous = invocation_type == "Event"
        try:
            payload = self._run(
                function,
                reference,
                invoked_arn,
                event,
                request.clock.now,
                request_id,
                invocation_type,
                request.state_name,
            )
        except FunctionError as error:
            if not asynchronous:
                failure = error.failure(compact=lambda_invoke)
                return Failure(failure.error, failure.cause)
            payload = None  # an asynchronous invocation's errors never reach its caller
        if not lambda_invoke:
            return Result(payload)
        if asynchronous:
            envelope = accepted_envelope(request_id, 202)
        else:
            envelope = invoke_envelope(payload, request_id, reference.executed_version)
        if request.pattern == WAIT_FOR_TASK_TOKEN:
            # The function ran (with the token in its event); the task waits for SendTaskSuccess/Failure.
            return Submitted(envelope, AwaitToken())
        return Result(envelope)

    def call(self, name: str, event: Any, *, now: float, request_id: str, region: str, account: str) -> Any:
        """Invoke the function ``name`` with ``event`` as an event source invokes it (an SQS queue's mapping, an
        SNS subscription, an EventBridge rule): its handler's response. A handler's error is a
        :class:`~sfnlocal.integrations.lambda_functions.invocation.FunctionError`; a name none of these functions
        has, a KeyError.

        >>> import pathlib, tempfile
        >>> code = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (code / "app.py").write_text("def handler(event, context):\\n    return len(event['Records'])\\n")
        >>> functions = LambdaFunctions([LambdaFunction("consume", "app.handler", code)])
        >>> functions.call("consume", {"Records": [{}, {}]}, now=0.0, request_id="r-1", region="us-east-1",
        ...                account="123456789012")
        2
        """
        reference = parse_function_name(name, None)
        if reference is None or reference.name not in self.functions:
            raise KeyError(f"no Lambda function named {name!r} among {sorted(self.functions)}")
        function = self.functions[reference.name]
        problem = cannot_run(function) if self.endpoint is None else None
        if problem is not None:
            raise StatesError(
                MOCK_MISSING,
                f"An event source invokes the Lambda function '{name}', which sfnlocal cannot run: {problem}",
            )
        invoked_arn = _invoked_arn(name, reference, region, account)
        return self._run(function, reference, invoked_arn, event, now, request_id, "Event", name)

    def _run(
        self,
        function: LambdaFunction,
        reference: FunctionReference,
        invoked_arn: str,
        event: Any,
        now: float,
        request_id: str,
        invocation_type: str,
        caller: str,
    ) -> Any:
        """Run the function's handler with ``event`` at ``now`` on the execution's clock; ``caller`` names what
        invoked it (a state) for a function sfnlocal cannot run."""
        region = invoked_arn.split(":")[3]
        if self.endpoint is not None:
            return self.endpoint.invoke(function.name, reference.qualifier, event, region, invocation_type)
        problem = cannot_run(function)
        if problem is not None:
            raise StatesError(MOCK_MISSING, _not_runnable(function, caller, problem))
        version = reference.executed_version
        stream = _log_stream_name(function, version, now)
        loaded_function = loaded(function)
        variables = {
            **function.environment,  # Lambda's own variables below cannot be overridden (refused at deploy)
            **_lambda_variables(function, version, stream, invoked_arn),
        }
        try:
            with (
                world_scope(self.world, self.real_aws),
                loaded_function.environment.active(variables),
                _working_folder(function),
                loaded_function.modules.active(),
            ):
                handler = loaded_function.handler()
                context = LambdaContext(
                    invoked_arn,
                    request_id,
                    function.memory_mb,
                    function_version=version,
                    timeout=function.timeout,
                    log_stream_name=stream,
                )
                return call_handler(handler, event, context, timeout=function.timeout)
        finally:
            if not loaded_function.started:  # a failed cold start: the next invocation starts a new process
                loaded_function.environment.forget()


def world_scope(world: HandlerWorld | None, real_aws: bool) -> AbstractContextManager[Any]:
    """The block a handler runs in: the world's handler scope, or nothing with ``real_aws`` or no world.

    >>> with world_scope(None, real_aws=False):
    ...     pass
    """
    return nullcontext() if world is None or real_aws else world.handler_scope()


def _invoked_arn(name: str, reference: FunctionReference, region: str, account: str) -> str:
    """The ARN the function was invoked with, qualifier included, as ``context.invoked_function_arn``."""
    if name.startswith("arn:"):
        return name if reference.qualifier is None or name.count(":") == 7 else f"{name}:{reference.qualifier}"
    account = name.split(":", 1)[0] if ":function:" in name else account
    arn = f"arn:aws:lambda:{region}:{account}:function:{reference.name}"
    return arn if reference.qualifier is None else f"{arn}:{reference.qualifier}"


def _lambda_variables(function: LambdaFunction, version: str, stream: str, invoked_arn: str) -> dict[str, str]:
    """Lambda's defined runtime environment variables (AWS Lambda Developer Guide), those a handler reads."""
    region = invoked_arn.split(":")[3]
    runtime = function.runtime or "python3.12"
    return {
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{runtime}",
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_VERSION": version,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": stream,
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "_HANDLER": function.handler,
        # Lambda's /var/task: the code folder, so that a handler finds the files it ships with
        "LAMBDA_TASK_ROOT": str(function.code) if function.code is not None else "",
    }


def _log_stream_name(function: LambdaFunction, version: str, now: float) -> str:
    """A log stream name as Lambda names them (``2024/05/01/[$LATEST]`` and 32 hex digits), one per function,
    derived from its name so that runs are reproducible."""
    import hashlib  # imported here: its import cost (OpenSSL)

    day = time.strftime("%Y/%m/%d", time.gmtime(now))
    return f"{day}/[{version}]{hashlib.md5(function.name.encode()).hexdigest()}"


@contextmanager
def _working_folder(function: LambdaFunction) -> Iterator[None]:
    """Lambda runs a handler in its code folder (``/var/task``): relative paths are read from there."""
    if function.code is None or not os.path.isdir(function.code):  # no folder: its import fails, as in Lambda
        yield
        return
    saved = os.getcwd()
    os.chdir(function.code)
    try:
        yield
    finally:
        os.chdir(saved)


def _not_runnable(function: LambdaFunction, state_name: str, problem: str) -> str:
    """The failure of a task calling a function sfnlocal cannot run in-process: why, and what to do."""
    mock_file = json.dumps({state_name: {"returns": {}}})
    return (
        f"State '{state_name}' calls the Lambda function '{function.name}', which sfnlocal cannot run: {problem}. "
        f"Mock the state, e.g. execute(..., mocks={{'{state_name}': mocks.returns({{...}})}}) (on the command "
        f"line: --mocks FILE holding {mock_file}), or send the invocations to a Lambda endpoint that runs it, e.g. "
        "`sam local start-lambda` with lambda_endpoint='http://127.0.0.1:3001' (--lambda-endpoint URL)"
    )
