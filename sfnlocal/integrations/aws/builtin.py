"""Imports every built-in integration module, so that each registers its handlers."""

from sfnlocal.integrations.aws import (  # noqa: F401
    aws_sdk,
    batch,
    dynamodb,
    ecs,
    events,
    glue,
    s3_items,
    s3_results,
    sdk_sfn,
    sns,
    sqs,
    states,
)
