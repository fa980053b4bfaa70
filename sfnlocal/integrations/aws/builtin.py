"""Imports every built-in integration module, so that each registers its handlers."""

from sfnlocal.integrations.aws import (  # noqa: F401
    aws_sdk,
    batch,
    dynamodb,
    ecs,
    events,
    glue,
    sdk_sfn,
    sns,
    sqs,
    states,
)
