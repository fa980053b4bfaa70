"""Which API output a mocked Task result stands for: the shape ``fieldValidationMode`` checks it against.

As botocore models it, with members named as Step Functions names them (``ExecutionArn`` for
``executionArn``):

* a request-response optimized integration or AWS SDK integration: the output of the operation the Task
  calls. ``lambda:invoke`` is Lambda's Invoke, whose ``Payload`` is a blob: a mocked Payload is JSON
  text, kept as text (recorded: ``{"Payload": "function output"}`` is accepted and given as it is;
  LocalStack's TestState tests list, among cases met against AWS, that a JSON object as Payload fails
  the validation; boto/boto3#4682 shows AWS giving a JSON text Payload back unparsed);
* ``.sync`` and ``.sync:2``: the job's description, the output of the call that describes the job
  (boto/boto3#4683: AWS refuses a ``states:startExecution.sync:2`` mock whose ``Output`` is an object or
  whose ``StartDate``/``StopDate`` are epoch numbers, as a real result has them, and accepts them as
  strings: DescribeExecution's types). sfnlocal knows the describe call of the jobs it runs itself
  (``states:startExecution``, ``ecs:runTask``, ``batch:submitJob``, ``glue:startJobRun``); for those, the
  check follows the same rule without a recording of its own;
* nothing for a result that is no API's output, which AWS takes as it is: a ``.waitForTaskToken`` task's
  (what the callback sends; recorded), an activity's, a Lambda function ARN's (the function's own
  result), an HTTP Task's, and an integration botocore does not model (``apigateway:invoke``,
  ``eks:call``, ``bedrock:invokeModel``, other ``.sync`` jobs).
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import UnknownServiceError
from botocore.model import ListShape, Shape, StructureShape

from sfnlocal.integrations.aws.aws_sdk import boto3_service, botocore_service, operation_name, service_model
from sfnlocal.integrations.aws.batch import BATCH_JOBS
from sfnlocal.integrations.aws.casing import sfn_key
from sfnlocal.integrations.aws.ecs import ECS_TASKS
from sfnlocal.integrations.aws.glue import GLUE_JOB_RUNS
from sfnlocal.integrations.aws.registry import action_of
from sfnlocal.language.resources import REQUEST_RESPONSE, SERVICE, SYNC, SYNC2, TaskResource

_AWS_SDK = "aws-sdk:"
# Optimized integrations whose resource type is not botocore's name of the service. (EMR's
# "elasticmapreduce" is not listed: its actions, createCluster & co., are not EMR's operations' names.)
_BOTOCORE_NAMES = {"states": "stepfunctions"}


@dataclass(frozen=True)
class _Description:
    """Where a ``.sync`` job's description comes from: a describe call's output, or one member of it."""

    service: str
    operation: str
    member: str | None = None


def _camel(operation: str) -> str:
    return operation[:1].lower() + operation[1:]


_DESCRIPTIONS = {
    ("states", "startExecution"): _Description("stepfunctions", "DescribeExecution"),
    **{
        (job.service, _camel(job.start)): _Description(job.service, job.describe, job.job)
        for job in (ECS_TASKS, BATCH_JOBS, GLUE_JOB_RUNS)
    },
}


def result_shape(resource: TaskResource) -> StructureShape | None:
    """The shape of the API output a Task's mocked result stands for; None when there is none to check.

    >>> from sfnlocal.language.resources import parse_resource
    >>> result_shape(parse_resource("arn:aws:states:::lambda:invoke")).name
    'InvocationResponse'
    >>> result_shape(parse_resource("arn:aws:states:::ecs:runTask.sync")).name
    'Task'
    >>> result_shape(parse_resource("arn:aws:states:::sqs:sendMessage.waitForTaskToken")) is None
    True
    """
    if resource.kind != SERVICE:
        return None
    resource_type, action = resource.resource_type or "", action_of(resource)
    if resource.pattern == REQUEST_RESPONSE:
        if resource_type.startswith(_AWS_SDK):
            return _output(boto3_service(resource_type[len(_AWS_SDK) :]), action)
        # An optimized integration is named as botocore names the service (but for states): no id to match.
        return _output(_BOTOCORE_NAMES.get(resource_type) or botocore_service(resource_type), action)
    described = _DESCRIPTIONS.get((resource_type, action)) if resource.pattern in (SYNC, SYNC2) else None
    if described is None:
        return None
    output = _output(described.service, _camel(described.operation))
    return output if output is None or described.member is None else _member(output, described.member)


def _output(service: str | None, action: str) -> StructureShape | None:
    """The output shape of ``service``'s operation for the camelCase ``action``; None if botocore has none."""
    if service is None:
        return None
    try:
        model = service_model(service)
    except UnknownServiceError:
        return None
    operation = operation_name(model, action)
    shape = model.operation_model(operation).output_shape if operation is not None else None
    return shape if isinstance(shape, StructureShape) else None


def _member(output: StructureShape, member: str) -> StructureShape | None:
    """The structure ``output``'s member ``member`` (Step Functions casing) holds: a list's item, or itself."""
    found: Shape | None = next((shape for name, shape in output.members.items() if sfn_key(name) == member), None)
    if isinstance(found, ListShape):
        found = found.member
    return found if isinstance(found, StructureShape) else None
