"""What a Task's ``Resource`` ARN names: a Lambda function, an activity, or a service integration.

Service integrations are ``arn:aws:states:::<service>:<action>[.<pattern>]``; history events name
them by ``resourceType`` (``lambda``, ``aws-sdk:s3``) and ``resource`` (``invoke``,
``sendMessage.waitForTaskToken``), which are split here once, at load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LAMBDA_FUNCTION = "lambda-function"
ACTIVITY = "activity"
SERVICE = "service"

REQUEST_RESPONSE = "request-response"
SYNC = "sync"
SYNC2 = "sync:2"
WAIT_FOR_TASK_TOKEN = "waitForTaskToken"

_LAMBDA_ARN = re.compile(r"arn:[\w-]+:lambda:[\w-]+:\d{12}:function:[^:]+(:[^:]+)?\Z")
_ACTIVITY_ARN = re.compile(r"arn:[\w-]+:states:[\w-]+:\d{12}:activity:.+\Z")
# The resource part may end in ".sync:2", the one place a colon appears inside it.
_SERVICE_ARN = re.compile(r"arn:[\w-]+:states:::(?P<type>.+?):(?P<resource>[^:]+(?::2)?)\Z")


@dataclass(frozen=True, slots=True)
class TaskResource:
    """A parsed Resource ARN.

    >>> r = parse_resource("arn:aws:states:::sqs:sendMessage.waitForTaskToken")
    >>> r.kind, r.resource_type, r.resource, r.pattern
    ('service', 'sqs', 'sendMessage.waitForTaskToken', 'waitForTaskToken')
    >>> parse_resource("arn:aws:lambda:us-east-1:123456789012:function:charge").kind
    'lambda-function'
    """

    arn: str
    kind: str
    resource_type: str | None = None
    resource: str | None = None
    pattern: str = REQUEST_RESPONSE

    @property
    def region(self) -> str | None:
        """The region named in the ARN (None for service integrations, which run in the machine's)."""
        parts = self.arn.split(":")
        return parts[3] or None if len(parts) > 3 else None


def parse_resource(arn: str) -> TaskResource:
    """Classify a Resource ARN; unknown shapes are treated as service integrations named as written."""
    if _LAMBDA_ARN.match(arn):
        return TaskResource(arn, LAMBDA_FUNCTION)
    if _ACTIVITY_ARN.match(arn):
        return TaskResource(arn, ACTIVITY)
    match = _SERVICE_ARN.match(arn)
    if match:
        resource = match.group("resource")
        pattern = REQUEST_RESPONSE
        for suffix in (SYNC2, SYNC, WAIT_FOR_TASK_TOKEN):
            if resource.endswith("." + suffix):
                pattern = suffix
                break
        return TaskResource(arn, SERVICE, match.group("type"), resource, pattern)
    return TaskResource(arn, SERVICE, arn, arn)
