"""``arn:aws:states:::glue:startJobRun`` and ``.sync``, served by moto's Glue.

Request-response returns StartJobRun's response (``JobRunId``) with the Java SDK v1 metadata;
``.sync`` follows the run (:mod:`~sfnlocal.integrations.aws.jobs`) and returns GetJobRun's ``JobRun``,
timestamps in epoch milliseconds as Java SDK v1 results give them. Failures are ``Glue.<Exception>``
(``Glue.EntityNotFoundException`` for a job that does not exist).

>>> from sfnlocal.language.resources import parse_resource
>>> from sfnlocal.integrations.aws.world import AwsWorld
>>> with AwsWorld() as world:
...     _ = world.client("glue").create_job(Name="etl", Role="r", Command={"Name": "glueetl"})
...     call = ServiceCall("ETL", parse_resource("arn:aws:states:::glue:startJobRun.sync"), {"JobName": "etl"},
...                        "us-east-1", "123456789012", world)
...     outcome = start_job_run(call)
>>> outcome.then.value["JobRunState"], isinstance(outcome.then.value["StartedOn"], int)
('SUCCEEDED', True)
"""

from __future__ import annotations

from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.errors import SdkV1Client
from sfnlocal.integrations.aws.jobs import JobService, run_job
from sfnlocal.integrations.aws.registry import integration
from sfnlocal.interpreter.integration import Outcome

GLUE = SdkV1Client("Glue", "AWSGlue", "AWSGlueException")
_RUNNING = {"STARTING", "RUNNING", "STOPPING", "WAITING"}
GLUE_JOB_RUNS = JobService(
    "glue",
    "StartJobRun",
    "GetJobRun",
    GLUE,
    "application/x-amz-json-1.1",
    lambda arguments, started: {"JobName": arguments.get("JobName"), "RunId": started["JobRunId"]},
    "JobRun",
    lambda run: None if run["JobRunState"] in _RUNNING else run["JobRunState"] == "SUCCEEDED",
)


@integration("glue", "startJobRun")
def start_job_run(call: ServiceCall) -> Outcome:
    """Start the job run; for ``.sync``, follow it to its end."""
    return run_job(call, GLUE_JOB_RUNS)
