"""Task ``Resource`` ARNs as CreateStateMachine checks them: recognised, and allowed in the machine's type.

Recognised: a Lambda function ARN, an activity ARN, an AWS SDK integration
(``arn:aws:states:::aws-sdk:<service>:<action>``, with ``.waitForTaskToken`` but never ``.sync``), and the
optimized integrations of AWS's "Integrating optimized services" page, each with the actions and
integration patterns that page lists. A service that page does not list is let through (AWS adds
integrations; refusing a definition AWS accepts would be worse than missing a typo). The region and
account may be filled in (``arn:aws:states:us-east-2:123456789012:aws-sdk:...``). AWS's wording is
recorded for an action it does not know (``dynamodb:query``) and for ``.sync`` and ``.waitForTaskToken``
in an EXPRESS state machine (Express workflows run Request Response integrations only).
"""

from __future__ import annotations

import re
from typing import Any

from sfnlocal.language.errors import pointer
from sfnlocal.language.state_fields import EXPRESS, STANDARD
from sfnlocal.language.state_graph import Path, StateGraph
from sfnlocal.validation.diagnostics import SCHEMA_VALIDATION_FAILED, Diagnostic, error

REQUEST_RESPONSE, SYNC, WAIT = "", ".sync", ".waitForTaskToken"
_SYNC2 = ".sync:2"

# Optimized integrations: service -> (its actions, the integration patterns it supports).
_OPTIMIZED: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "apigateway": (frozenset({"invoke"}), (REQUEST_RESPONSE, WAIT)),
    "athena": (
        frozenset({"startQueryExecution", "stopQueryExecution", "getQueryExecution", "getQueryResults"}),
        (REQUEST_RESPONSE, SYNC),
    ),
    "batch": (frozenset({"submitJob"}), (REQUEST_RESPONSE, SYNC)),
    "bedrock": (frozenset({"invokeModel", "createModelCustomizationJob"}), (REQUEST_RESPONSE, SYNC, WAIT)),
    "codebuild": (
        frozenset(
            {
                "startBuild",
                "stopBuild",
                "batchDeleteBuilds",
                "batchGetReports",
                "startBuildBatch",
                "retryBuild",
                "retryBuildBatch",
                "stopBuildBatch",
                "deleteBuildBatch",
            }
        ),
        (REQUEST_RESPONSE, SYNC),
    ),
    "databrew": (frozenset({"startJobRun"}), (REQUEST_RESPONSE, SYNC)),
    "dynamodb": (frozenset({"getItem", "putItem", "updateItem", "deleteItem"}), (REQUEST_RESPONSE,)),
    "ecs": (frozenset({"runTask"}), (REQUEST_RESPONSE, SYNC, WAIT)),
    "eks": (
        frozenset(
            {
                "createCluster",
                "deleteCluster",
                "createFargateProfile",
                "deleteFargateProfile",
                "createNodegroup",
                "deleteNodegroup",
                "runJob",
                "call",
            }
        ),
        (REQUEST_RESPONSE, SYNC, WAIT),
    ),
    "elasticmapreduce": (
        frozenset(
            {
                "createCluster",
                "terminateCluster",
                "addStep",
                "cancelStep",
                "setClusterTerminationProtection",
                "modifyInstanceFleetByName",
                "modifyInstanceGroupByName",
            }
        ),
        (REQUEST_RESPONSE, SYNC),
    ),
    "emr-containers": (
        frozenset({"startJobRun", "createVirtualCluster", "deleteVirtualCluster"}),
        (REQUEST_RESPONSE, SYNC),
    ),
    "emr-serverless": (
        frozenset(
            {
                "createApplication",
                "startApplication",
                "stopApplication",
                "deleteApplication",
                "startJobRun",
                "cancelJobRun",
            }
        ),
        (REQUEST_RESPONSE, SYNC),
    ),
    "events": (frozenset({"putEvents"}), (REQUEST_RESPONSE, WAIT)),
    "glue": (frozenset({"startJobRun"}), (REQUEST_RESPONSE, SYNC)),
    "http": (frozenset({"invoke"}), (REQUEST_RESPONSE, WAIT)),
    "lambda": (frozenset({"invoke"}), (REQUEST_RESPONSE, WAIT)),
    "mediaconvert": (frozenset({"createJob"}), (REQUEST_RESPONSE, SYNC)),
    "sagemaker": (
        frozenset(
            {
                "createEndpoint",
                "createEndpointConfig",
                "createHyperParameterTuningJob",
                "createLabelingJob",
                "createModel",
                "createProcessingJob",
                "createTrainingJob",
                "createTransformJob",
                "updateEndpoint",
            }
        ),
        (REQUEST_RESPONSE, SYNC),
    ),
    "sns": (frozenset({"publish"}), (REQUEST_RESPONSE, WAIT)),
    "sqs": (frozenset({"sendMessage"}), (REQUEST_RESPONSE, WAIT)),
    "states": (frozenset({"startExecution"}), (REQUEST_RESPONSE, SYNC, _SYNC2, WAIT)),
}
# What a Distributed Map reads its items with and writes its results with.
_MAP_RESOURCES = {
    "ItemReader": frozenset({"s3:getObject", "s3:listObjectsV2"}),
    "ResultWriter": frozenset({"s3:putObject"}),
}

_PARTITION = r"arn:aws[a-z-]*"
_LAMBDA = re.compile(_PARTITION + r":lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]{1,128})?\Z")
_ACTIVITY = re.compile(_PARTITION + r":states:[a-z0-9-]+:\d{12}:activity:[^\s:]{1,80}\Z")
_INTEGRATION = re.compile(
    _PARTITION + r":states:(?:[a-z0-9-]+:\d{12}|:):(?P<service>[a-z0-9-]+):"
    r"(?P<rest>[^:]+(?::[^:]+)?)\Z"
)
_SDK_ACTION = re.compile(r"(?P<service>[a-z0-9.-]+):(?P<action>[a-zA-Z][a-zA-Z0-9]*)(?P<pattern>\.waitForTaskToken)?\Z")
_ACTION = re.compile(r"(?P<action>[a-zA-Z][a-zA-Z0-9]*)(?P<pattern>\.sync(?::2)?|\.waitForTaskToken)?\Z")


def integration_pattern(arn: str) -> str:
    """The integration pattern a Resource names: ``''`` (Request Response), ``.sync`` or ``.waitForTaskToken``.

    >>> integration_pattern("arn:aws:states:::states:startExecution.sync:2")
    '.sync'
    >>> integration_pattern("arn:aws:states:::sqs:sendMessage.waitForTaskToken")
    '.waitForTaskToken'
    """
    match = _INTEGRATION.match(arn)
    if match is None:
        return REQUEST_RESPONSE
    rest = match.group("rest")
    if rest.endswith(WAIT):
        return WAIT
    return SYNC if rest.endswith((SYNC, _SYNC2)) else REQUEST_RESPONSE


def is_recognized(arn: str) -> bool:
    """Whether AWS knows what a Task's Resource names.

    >>> is_recognized("arn:aws:states:::dynamodb:putItem"), is_recognized("arn:aws:states:::dynamodb:query")
    (True, False)
    >>> is_recognized("arn:aws:lambda:us-east-1:123456789012::function:f")
    False
    >>> is_recognized("arn:aws:states:us-east-2:123456789012:aws-sdk:transcribe:startTranscriptionJob")
    True
    """
    if _LAMBDA.match(arn) or _ACTIVITY.match(arn):
        return True
    match = _INTEGRATION.match(arn)
    if match is None:
        return False
    service, rest = match.group("service"), match.group("rest")
    if service == "aws-sdk":
        return _SDK_ACTION.match(rest) is not None
    action = _ACTION.match(rest)
    if action is None:
        return False
    known = _OPTIMIZED.get(service)
    if known is None:
        return True  # a service this catalogue does not list: see the module docstring
    actions, patterns = known
    pattern = action.group("pattern") or REQUEST_RESPONSE
    return action.group("action") in actions and pattern in patterns


def not_recognized(arn: str) -> str:
    """AWS's message for a Resource it does not recognise (recorded)."""
    return (
        f"The resource provided {arn} is not recognized. The value is not a valid resource ARN, or the "
        "resource is not available in this region."
    )


def resource_problems(graph: StateGraph, machine_type: str = STANDARD) -> list[Diagnostic]:
    """Task (and Distributed Map reader/writer) resources AWS refuses, for a machine of ``machine_type``.

    >>> task = {"Type": "Task", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken", "End": True}
    >>> [d.message for d in resource_problems(StateGraph({"StartAt": "T", "States": {"T": task}}), EXPRESS)]
    ["Express state machine does not support '.waitForTaskToken' service integration "]
    """
    found = []
    for node in graph.state_objects():
        state = node.spec
        resource = state.get("Resource")
        if state.get("Type") == "Task" and isinstance(resource, str):
            where = pointer(*node.path, "Resource")
            if not is_recognized(resource):
                found.append(error(SCHEMA_VALIDATION_FAILED, not_recognized(resource), where))
            pattern = integration_pattern(resource)
            if machine_type == EXPRESS and pattern:
                # AWS's wording, trailing space included for .waitForTaskToken (both recorded).
                tail = " " if pattern == WAIT else ""
                found.append(
                    error(
                        SCHEMA_VALIDATION_FAILED,
                        f"Express state machine does not support '{pattern}' service integration{tail}",
                        where,
                    )
                )
        if state.get("Type") == "Map":
            found += _map_resource_problems(state, node.path)
    return found


def _map_resource_problems(state: dict[str, Any], path: Path) -> list[Diagnostic]:
    found = []
    for part, allowed in _MAP_RESOURCES.items():
        resource = state[part].get("Resource") if isinstance(state.get(part), dict) else None
        if not isinstance(resource, str):
            continue
        match = _INTEGRATION.match(resource)
        if match is None or f"{match.group('service')}:{match.group('rest')}" not in allowed:
            found.append(error(SCHEMA_VALIDATION_FAILED, not_recognized(resource), pointer(*path, part, "Resource")))
    return found
