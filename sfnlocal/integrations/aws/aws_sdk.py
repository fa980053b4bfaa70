"""AWS SDK integrations (``arn:aws:states:::aws-sdk:<service>:<action>``), served by moto.

The Task's arguments go to the boto3 operation of the same name (``getObject`` is S3's
``GetObject``) as :mod:`~sfnlocal.integrations.aws.casing` converts them, and its response comes back
without ``ResponseMetadata``, in Step Functions' casing; a failure is reported as
:mod:`~sfnlocal.integrations.aws.errors` words it. For ``.waitForTaskToken`` the response is what the
task submitted; the interpreter then waits for the token.

Step Functions names services after AWS's Java SDK v2 (``sfn``, ``eventbridge``, ``cloudwatchlogs``),
botocore after their endpoints (``stepfunctions``, ``events``, ``logs``); both derive from the
service id (``SFN``, ``EventBridge``, ``CloudWatch Logs``), lower-cased without spaces or a trailing
"Service".

>>> from sfnlocal.language.resources import parse_resource
>>> from sfnlocal.integrations.aws.call import ServiceCall
>>> from sfnlocal.integrations.aws.world import AwsWorld
>>> with AwsWorld() as world:
...     _ = world.client("s3").create_bucket(Bucket="orders")
...     call = ServiceCall("Store", parse_resource("arn:aws:states:::aws-sdk:s3:putObject"),
...                        {"Bucket": "orders", "Key": "42.json", "Body": {"id": 42}}, "us-east-1",
...                        "123456789012", world)
...     stored = aws_sdk(call)
...     world.client("s3").get_object(Bucket="orders", Key="42.json")["Body"].read()
b'{"id":42}'
>>> stored.value["ETag"]
'"053d97b35951861fb2a956062b3a95dd"'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime
from functools import cache
from typing import Any
from unittest.mock import patch

import botocore.session
from botocore import xform_name
from botocore.exceptions import ClientError, HTTPClientError, ParamValidationError
from botocore.exceptions import ConnectionError as BotocoreConnectionError
from botocore.model import ServiceModel
from moto.core.config import default_user_config

from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.casing import from_response, instant_text, to_request
from sfnlocal.integrations.aws.errors import (
    client_error,
    error_prefix,
    missing_parameters,
    moto_lacks,
    sdk_failure,
    unreachable,
    unsupported,
)
from sfnlocal.integrations.aws.moto_gaps import corrected, refusal
from sfnlocal.integrations.aws.registry import action_of, integration
from sfnlocal.interpreter.integration import Failure, Outcome, Result
from sfnlocal.language.errors import RUNTIME

# The most used names that differ, so that they need not wait for the scan of every service model.
_KNOWN_NAMES = {"sfn": "stepfunctions", "eventbridge": "events", "cloudwatchlogs": "logs"}
# Operations moto serves only by running functions in Docker.
_DOCKER_OPERATIONS = {("lambda", "Invoke"), ("lambda", "InvokeWithResponseStream")}
# moto runs Batch jobs in Docker unless configured not to; its Docker-less Batch ends each job at once
# (successfully, or failed with MOTO_SIMPLE_BATCH_FAIL_AFTER=0).
_WITHOUT_DOCKER = {"batch": {"use_docker": False}}
_SERVICE_MODEL = "service-2"


@cache
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


def _loader() -> Any:
    return _session().get_component("data_loader")


@cache
def service_model(service: str) -> ServiceModel:
    """botocore's model of a service (by its boto3 name), without a client.

    >>> service_model("stepfunctions").service_id
    'SFN'
    """
    return _session().get_service_model(service)


def _sfn_service_name(service_id: str) -> str:
    return re.sub(r"[^a-z0-9]", "", re.sub(r" Service$", "", service_id).lower())


@cache
def _names_by_service_id() -> dict[str, str]:
    loader = _loader()
    names: dict[str, str] = {}
    for service in loader.list_available_services(_SERVICE_MODEL):
        metadata = loader.load_service_model(service, _SERVICE_MODEL)["metadata"]
        names.setdefault(_sfn_service_name(metadata["serviceId"]), service)
    return names


def boto3_service(name: str) -> str | None:
    """The boto3 client name of a service as a Step Functions resource names it; None if unknown.

    >>> boto3_service("sfn"), boto3_service("s3"), boto3_service("costexplorer"), boto3_service("nosuch")
    ('stepfunctions', 's3', 'ce', None)
    """
    return botocore_service(name) or _names_by_service_id().get(name)


def botocore_service(name: str) -> str | None:
    """The boto3 client name of a service when the name given is that name (or a known alias); None otherwise.
    Unlike :func:`boto3_service` it never reads every service model to match service ids, so an optimized
    integration's name (``lambda``, ``http``) is looked up at once.

    >>> botocore_service("sqs"), botocore_service("sfn"), botocore_service("http")
    ('sqs', 'stepfunctions', None)
    """
    if name in _KNOWN_NAMES:
        return _KNOWN_NAMES[name]
    return name if name in _loader().list_available_services(_SERVICE_MODEL) else None


def operation_name(model: ServiceModel, action: str) -> str | None:
    """The botocore operation of a camelCase action; None if the service has no such operation.

    >>> operation_name(service_model("s3"), "listObjectsV2"), operation_name(service_model("s3"), "fly")
    ('ListObjectsV2', None)
    """
    wanted = xform_name(action)
    return next((name for name in model.operation_names if xform_name(name) == wanted), None)


def object_arguments(call: ServiceCall) -> dict[str, Any]:
    """A Task's arguments as the object an API takes: ``{}`` when they are not one (the API then names
    the parameters it misses).

    >>> from sfnlocal.language.resources import parse_resource
    >>> object_arguments(ServiceCall("T", parse_resource("arn:aws:states:::sqs:sendMessage"), "text", "r", "a", None))
    {}
    """
    return call.arguments if isinstance(call.arguments, dict) else {}


def _not_recognized(call: ServiceCall) -> Failure:
    # AWS refuses such a definition when it is created, with this message (recorded for dynamodb:query).
    return Failure(
        RUNTIME,
        f"The resource provided {call.resource.arn} is not recognized. The value is not a "
        "valid resource ARN, or the resource is not available in this region.",
    )


def call_operation(
    client: Any, operation: str, arguments: dict[str, Any], timestamp: Callable[[datetime], Any] = instant_text
) -> dict[str, Any]:
    """Call a botocore operation with a Task's arguments; its response as Step Functions returns it.

    Failure the service's ``ClientError`` (also for absent required parameters and arguments botocore
    refuses, as a service would answer them), ``NotImplementedError`` where moto cannot serve the call (an
    operation it has not written, or a failure inside moto), or botocore's ``HTTPClientError`` or
    ``ConnectionError`` where a service endpoint (a client with an ``endpoint_url``) did not answer. Where moto
    answers otherwise than AWS, :mod:`~sfnlocal.integrations.aws.moto_gaps` corrects it.
    """
    model = client.meta.service_model
    shapes = model.operation_model(operation)
    request = to_request(arguments, shapes.input_shape)
    required = shapes.input_shape.required_members if shapes.input_shape is not None else []
    missing = [name for name in required if name not in request]
    refused = missing_parameters(model, operation, missing) if missing else refusal(model, operation, request)
    if refused is not None:
        raise refused
    try:
        response = getattr(client, xform_name(operation))(**request)
    except (ClientError, NotImplementedError, HTTPClientError, BotocoreConnectionError):
        raise  # the service's answer, or no answer from a service endpoint (see unreachable)
    except ParamValidationError as err:
        raise client_error("ValidationException", str(err), operation) from None
    except Exception as err:  # raised inside moto, which runs in-process: it cannot serve this call
        raise NotImplementedError(f"{type(err).__name__}: {err}") from err
    response.pop("ResponseMetadata", None)
    return from_response(corrected(model, operation, request, response), shapes.output_shape, timestamp)


def serve(
    call: ServiceCall,
    service: str,
    operation: str,
    arguments: dict[str, Any],
    failure: Callable[[ClientError], Failure],
    timestamp: Callable[[datetime], Any] = instant_text,
) -> dict[str, Any] | Failure:
    """The response of ``operation`` on ``service`` (moto's, or an endpoint's: ``call.aws`` gives the client),
    or the task's failure: the service's error as ``failure`` words it, ``sfnlocal.Unsupported`` where moto
    cannot serve the call, or :func:`~sfnlocal.integrations.aws.errors.unreachable` where an endpoint did not
    answer."""
    try:
        with patch.dict(default_user_config, _WITHOUT_DOCKER) if service in _WITHOUT_DOCKER else nullcontext():
            return call_operation(call.aws.client(service), operation, arguments, timestamp)
    except ClientError as err:
        return unsupported(call, service) if moto_lacks(err) else failure(err)
    except NotImplementedError as err:
        return unsupported(call, f"{service} {operation} ({err})")
    except (HTTPClientError, BotocoreConnectionError) as err:
        return unreachable(err)


@integration("aws-sdk", "*")
def aws_sdk(call: ServiceCall) -> Outcome:
    """Call the operation on moto; return its response as Step Functions does, or the failure."""
    service = boto3_service((call.resource.resource_type or "").split(":", 1)[-1])
    if service is None:
        return _not_recognized(call)
    model = service_model(service)
    operation = operation_name(model, action_of(call.resource))
    if operation is None:
        return _not_recognized(call)
    if (service, operation) in _DOCKER_OPERATIONS:
        return unsupported(call, f"{service} {operation} without Docker")
    prefix = error_prefix(model)
    result = serve(call, service, operation, object_arguments(call), lambda err: sdk_failure(err, prefix))
    return result if isinstance(result, Failure) else Result(result)
