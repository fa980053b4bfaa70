"""The scopes ``--scope`` selects: ``core``, ``integrations`` and ``no-item-io`` (``all`` selects every case).

The core scope holds the cases sfnlocal's first milestone must pass; its rule lives in
:func:`is_core` alone. A case is in the core scope when every feature it uses is:

* query language JSONPath only: no ``query:JSONata*``, ``query:mixed``, ``jsonata*`` tags, no
  ``field:Assign`` and no ``variables*`` tags;
* no service other than Lambda: ``services`` empty, or only ``lambda:invoke`` and plain Lambda
  function ARNs (``arn:aws:lambda:...:function:...``);
* no distributed Map: no ``map:distributed``, ItemReader or ResultWriter;
* no callback, activity, EXPRESS machine, or ``.sync`` pattern.

The integrations scope holds the cases that exercise what a Task calls, the ones to run with
``--serve``; its rule lives in :func:`is_integration` alone. A case is in it when it uses any of
Lambda, SQS, SNS, DynamoDB, an AWS SDK integration, Step Functions (``states:startExecution``), an
activity or a callback: a feature tag ``integration:<that>`` (``integration:lambda-function-arn`` and
``integration:aws-sdk:s3`` included), ``activity`` or ``callback``, or a service that names one of them
(``arn:aws:states:::sqs:sendMessage``, a Lambda function ARN, an activity ARN).

The no-item-io scope holds every case but those that need a Distributed Map's ItemReader, ItemBatcher or
ResultWriter (a feature tag naming one of them); its rule lives in :func:`needs_no_item_io` alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from conformance.cases import Case

# Tags excluded exactly, and tag prefixes excluded (a prefix covers its refinements, e.g.
# "query:JSONata" covers "query:JSONata-top-level", "pattern:sync" covers "pattern:sync:2").
_EXCLUDED_TAGS = frozenset(
    {
        "query:mixed",
        "field:Assign",
        "map:distributed",
        "map:ItemReader",
        "field:ItemReader",
        "map:ResultWriter",
        "field:ResultWriter",
        "callback",
        "pattern:waitForTaskToken",
    }
)
_EXCLUDED_PREFIXES = (
    "query:JSONata",
    "jsonata",
    "variables",
    "activity",
    "pattern:activity",
    "integration:activity",
    "express",
    "pattern:sync",
)
_LAMBDA_SERVICES = frozenset({"arn:aws:states:::lambda:invoke", "lambda:invoke"})
_LAMBDA_FUNCTION_ARN = re.compile(r"arn:[^:]+:lambda:[^:]*:[^:]*:function:.+")
_INTEGRATIONS = "lambda|sqs|sns|dynamodb|aws-sdk|states"
_INTEGRATION_TAG = re.compile(rf"integration:(?:{_INTEGRATIONS}|activity)\b.*|activity|callback")
_INTEGRATION_SERVICE = re.compile(
    rf"(?:arn:[^:]+:states:::)?(?:{_INTEGRATIONS})\b.*"
    r"|arn:[^:]+:(?:lambda:[^:]*:[^:]*:function|states:[^:]*:[^:]*:activity):.+"
)


def _core_tag(tag: str) -> bool:
    return tag not in _EXCLUDED_TAGS and not tag.startswith(_EXCLUDED_PREFIXES)


def _core_service(service: str) -> bool:
    return service in _LAMBDA_SERVICES or _LAMBDA_FUNCTION_ARN.fullmatch(service) is not None


def is_core(case: Case) -> bool:
    """Whether every feature of ``case`` is in the core scope (the rule in this module's docstring).

    >>> def case(features=(), services=()):
    ...     return Case("c", {}, {}, {"status": "SUCCEEDED"}, features=features, services=services)
    >>> is_core(case(("type:Pass", "query:JSONPath"), ("arn:aws:states:::lambda:invoke", "lambda:invoke")))
    True
    >>> is_core(case(("query:JSONata-top-level",))), is_core(case(services=("arn:aws:states:::sns:publish",)))
    (False, False)
    >>> is_core(case(services=("arn:aws:lambda:us-east-1:111111111111:function:<lambda_function_name>",)))
    True
    """
    return (
        all(_core_tag(tag) for tag in case.features)
        and all(_core_service(service) for service in case.services)
        and case.meta.get("state_machine_type") != "EXPRESS"
    )


def is_integration(case: Case) -> bool:
    """Whether ``case`` uses an integration of the integrations scope (the rule in this module's docstring).

    >>> def case(features=(), services=()):
    ...     return Case("c", {}, {}, {"status": "SUCCEEDED"}, features=features, services=services)
    >>> is_integration(case(("integration:aws-sdk:s3",))), is_integration(case(("callback",)))
    (True, True)
    >>> is_integration(case(services=("arn:aws:states:::sns:publish",))), is_integration(case(("type:Pass",)))
    (True, False)
    >>> is_integration(case(("integration:apigateway",), ("arn:aws:states:::events:putEvents",)))
    False
    """
    return any(_INTEGRATION_TAG.fullmatch(tag) for tag in case.features) or any(
        _INTEGRATION_SERVICE.fullmatch(service) for service in case.services
    )


_ITEM_IO = re.compile(r"(?:field|map):(?:ItemReader|ItemBatcher|ResultWriter)")


def needs_no_item_io(case: Case) -> bool:
    """Whether ``case`` needs none of a Distributed Map's ItemReader, ItemBatcher and ResultWriter.

    >>> def case(features=()):
    ...     return Case("c", {}, {}, {"status": "SUCCEEDED"}, features=features)
    >>> needs_no_item_io(case(("map:distributed", "field:ItemBatcher"))), needs_no_item_io(case(("map:distributed",)))
    (False, True)
    """
    return not any(_ITEM_IO.fullmatch(tag) for tag in case.features)


SCOPES: dict[str, Callable[[Case], bool]] = {
    "core": is_core,
    "integrations": is_integration,
    "no-item-io": needs_no_item_io,
}
