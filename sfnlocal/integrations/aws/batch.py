"""``arn:aws:states:::batch:submitJob`` and ``.sync``, served by moto's Batch without Docker.

In moto's Docker-less Batch a job succeeds at once (``MOTO_SIMPLE_BATCH_FAIL_AFTER=0`` makes it fail,
see :func:`~sfnlocal.integrations.aws.aws_sdk.serve`). Request-response
returns SubmitJob's response (``JobArn``, ``JobId``, ``JobName``) with the Java SDK v1 metadata;
``.sync`` follows the job (:mod:`~sfnlocal.integrations.aws.jobs`) and returns DescribeJobs' job. Failures
are ``Batch.<Exception>`` (``Batch.ClientException`` for a queue that does not exist).

>>> from sfnlocal.language.resources import parse_resource
>>> from sfnlocal.integrations.aws.world import AwsWorld
>>> with AwsWorld() as world:
...     call = ServiceCall("Job", parse_resource("arn:aws:states:::batch:submitJob.sync"),
...                        {"JobName": "nightly", "JobQueue": "none", "JobDefinition": "job"},
...                        "us-east-1", "123456789012", world)
...     submit_job(call).error
'Batch.ClientException'
"""

from __future__ import annotations

from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.errors import SdkV1Client
from sfnlocal.integrations.aws.jobs import JobService, run_job
from sfnlocal.integrations.aws.registry import integration
from sfnlocal.interpreter.integration import Outcome

BATCH = SdkV1Client("Batch", "AWSBatch", "AWSBatchException")
_ENDED = {"SUCCEEDED": True, "FAILED": False}
BATCH_JOBS = JobService(
    "batch",
    "SubmitJob",
    "DescribeJobs",
    BATCH,
    "application/json",
    lambda arguments, submitted: {"Jobs": [submitted["JobId"]]},
    "Jobs",
    lambda job: _ENDED.get(job["Status"]),
)


@integration("batch", "submitJob")
def submit_job(call: ServiceCall) -> Outcome:
    """Submit the job; for ``.sync``, follow it to its end."""
    return run_job(call, BATCH_JOBS)
