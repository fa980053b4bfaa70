"""``fieldValidationMode``: a mocked Task result checked against the output of the API the Task calls.

The output shape comes from botocore's model of the service (``aws-sdk:<service>:<action>``, or an
optimized integration such as ``lambda:invoke`` or ``states:startExecution``), with members named as
Step Functions names them (``ExecutionArn`` for ``executionArn``). As recorded from AWS:

* ``STRICT`` (the default): every required member is present, and every member present has the
  member's type; ``PRESENT``: only the latter; ``NONE``: no check.
* Fields the API does not define are accepted in both modes (a mock may carry ``SdkHttpMetadata``).
* A timestamp is a string; a blob is a string within the member's length limits; an enum's value is one
  of the enum's; a number member refuses a numeric string.
* The first problem found is reported, naming the innermost field.

Only request-response integrations are checked: a ``.sync`` or ``.waitForTaskToken`` result, an
activity's or a Lambda function ARN's, is not an API's output.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import UnknownServiceError
from botocore.model import ListShape, MapShape, Shape, StructureShape

from sfnlocal.integrations.aws.aws_sdk import boto3_service, operation_name, service_model
from sfnlocal.integrations.aws.casing import sfn_key
from sfnlocal.integrations.aws.registry import action_of
from sfnlocal.language.resources import REQUEST_RESPONSE, SERVICE, TaskResource
from sfnlocal.teststate.errors import refused
from sfnlocal.teststate.request import NONE, STRICT

_AWS_SDK = "aws-sdk:"
# Optimized integrations whose resource type is not the botocore name of their service.
_SERVICES = {"states": "stepfunctions"}
# Members whose value Step Functions changes from the API's type: lambda:invoke decodes the Payload as JSON.
_ANY_JSON = {("lambda", "Invoke"): frozenset({"Payload"})}
_NUMBERS = ("integer", "long", "float", "double")


def check_mock_result(resource: TaskResource, result: Any, mode: str) -> None:
    """Refuse a mocked result that does not fit the API's output as ``mode`` requires.

    >>> from sfnlocal.language.resources import parse_resource
    >>> check_mock_result(parse_resource("arn:aws:states:::lambda:invoke"), {"StatusCode": "200"}, "STRICT")
    Traceback (most recent call last):
    ...
    sfnlocal.teststate.errors.TestStateError: ValidationException: Mock result schema validation error: \
Field 'StatusCode' must be a number
    >>> check_mock_result(parse_resource("arn:aws:states:::lambda:invoke"), {"Payload": {"ok": 1}}, "STRICT")
    """
    if mode == NONE:
        return
    found = _output_shape(resource)
    if found is None:
        return
    shape, any_json = found
    if not isinstance(result, dict):
        raise refused("Mocked result must be a JSON object.")
    problem = _problem(shape, result, "", mode == STRICT, any_json)
    if problem is not None:
        raise refused(f"Mock result schema validation error: {problem}")


def _output_shape(resource: TaskResource) -> tuple[StructureShape, frozenset[str]] | None:
    """The output shape of the operation a request-response integration calls, and its members of any JSON."""
    if resource.kind != SERVICE or resource.pattern != REQUEST_RESPONSE:
        return None
    resource_type = resource.resource_type or ""
    if resource_type.startswith(_AWS_SDK):
        service = boto3_service(resource_type[len(_AWS_SDK) :])
    else:
        service = _SERVICES.get(resource_type, resource_type)
    try:
        model = service_model(service) if service else None
    except UnknownServiceError:
        model = None
    operation = operation_name(model, action_of(resource)) if model is not None else None
    if model is None or operation is None:
        return None
    shape = model.operation_model(operation).output_shape
    if not isinstance(shape, StructureShape):
        return None
    return shape, _ANY_JSON.get((model.service_name, operation), frozenset())


def _problem(shape: Shape, value: Any, name: str, strict: bool, any_json: frozenset[str] = frozenset()) -> str | None:
    """What is wrong with ``value`` (the field ``name``) for ``shape``; None when it fits."""
    kind = shape.type_name
    if value is None or kind == "document":
        return None
    if isinstance(shape, StructureShape):
        return _structure_problem(shape, value, name, strict, any_json)
    if isinstance(shape, ListShape):
        if not isinstance(value, list):
            return f"Field '{name}' must be an array"
        return _first(_problem(shape.member, item, name, strict) for item in value)
    if isinstance(shape, MapShape):
        if not isinstance(value, dict):
            return f"Field '{name}' must be an object"
        return _first(_problem(shape.value, item, name, strict) for item in value.values())
    if kind in ("string", "blob", "timestamp"):
        return _text_problem(shape, value, name)
    if kind == "boolean":
        return None if isinstance(value, bool) else f"Field '{name}' must be a boolean"
    if kind in _NUMBERS:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"Field '{name}' must be a number"
        if kind in ("integer", "long") and value != int(value):
            return f"Field '{name}' must be an integer"
    return None


def _first(problems: Iterable[str | None]) -> str | None:
    return next((problem for problem in problems if problem is not None), None)


def _structure_problem(
    shape: StructureShape, value: Any, name: str, strict: bool, any_json: frozenset[str]
) -> str | None:
    if not isinstance(value, dict):
        return f"Field '{name}' must be an object"
    if strict:
        missing = next((sfn_key(member) for member in shape.required_members if sfn_key(member) not in value), None)
        if missing is not None:
            return f"Required field '{missing}' is missing"
    members = {sfn_key(member): member_shape for member, member_shape in shape.members.items()}
    for key, item in value.items():
        if key in members and key not in any_json:
            problem = _problem(members[key], item, key, strict)
            if problem is not None:
                return problem
    return None


def _text_problem(shape: Shape, value: Any, name: str) -> str | None:
    if not isinstance(value, str):
        return f"Field '{name}' must be a string"
    if shape.type_name == "timestamp":
        return None
    enum = shape.metadata.get("enum")
    if enum and value not in enum:
        return f"Field '{name}' is not an expected value"
    if len(value) < shape.metadata.get("min", 0):
        return f"Field '{name}' is smaller than the minimum length"
    if "max" in shape.metadata and len(value) > shape.metadata["max"]:
        return f"Field '{name}' is larger than the maximum length"
    return None
