"""Run a Job (``.sync``) on moto: start the job, then follow it to its end.

moto moves a job on by one state each time it is described (its state manager's default), so
following a job takes a few describe calls and no waiting. The start's response is what the task
submitted (TaskSubmitted); the job's final description is its result, and a job that ended otherwise
than well fails the task with ``States.TaskFailed`` and that description as the cause, as Step
Functions reports a ``.sync`` job that failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sfnlocal.integrations.aws.aws_sdk import object_arguments, serve
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.casing import epoch_millis, instant_text
from sfnlocal.integrations.aws.envelope import sdk_v1_result
from sfnlocal.integrations.aws.errors import SdkV1Client, unsupported
from sfnlocal.interpreter.integration import Failure, Outcome, Result, Submitted
from sfnlocal.language.errors import TASK_FAILED
from sfnlocal.language.jsontext import compact_json
from sfnlocal.language.resources import SYNC

# How many times a job is described before sfnlocal gives up on it (moto needs at most a handful).
DESCRIPTIONS = 10


@dataclass(frozen=True)
class JobService:
    """How an optimized integration starts a job and follows it (``.sync``).

    ``describe_arguments(arguments, started)`` gives the describe call's arguments from the task's
    arguments and the start's response (None: there is nothing to follow); ``job`` names the member of the
    describe response that describes the job (its first item when it is a list; TestState checks a mocked
    ``.sync`` result against that member's shape); ``verdict`` says whether it ended well (None: still running).
    """

    service: str
    start: str
    describe: str
    client: SdkV1Client
    content_type: str
    describe_arguments: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any] | None]
    job: str
    verdict: Callable[[dict[str, Any]], bool | None]
    start_timestamps: Callable[[datetime], Any] = instant_text

    def description(self, described: dict[str, Any]) -> dict[str, Any]:
        """The job's description in the describe call's response.

        >>> from sfnlocal.integrations.aws.ecs import ECS_TASKS
        >>> ECS_TASKS.description({"Tasks": [{"LastStatus": "STOPPED"}], "Failures": []})
        {'LastStatus': 'STOPPED'}
        """
        job = described[self.job]
        return job[0] if isinstance(job, list) else job


def run_job(call: ServiceCall, job: JobService) -> Outcome:
    """Start the job on moto; request-response returns the start's response, ``.sync`` follows the job to its
    end (descriptions with timestamps in epoch milliseconds, as the optimized integrations give them)."""
    arguments = object_arguments(call)
    started = serve(call, job.service, job.start, arguments, job.client.failure, job.start_timestamps)
    if isinstance(started, Failure):
        return started
    response = sdk_v1_result(call, started, job.content_type)
    to_describe = job.describe_arguments(arguments, started) if call.resource.pattern == SYNC else None
    if to_describe is None:
        return Result(response)

    def describe() -> dict[str, Any] | Failure:
        found = serve(call, job.service, job.describe, to_describe, job.client.failure, epoch_millis)
        return found if isinstance(found, Failure) else job.description(found)

    return follow(call, response, describe, job.verdict)


def follow(
    call: ServiceCall,
    started: dict[str, Any],
    describe: Callable[[], dict[str, Any] | Failure],
    verdict: Callable[[dict[str, Any]], bool | None],
) -> Outcome:
    """The outcome of a started job: ``describe`` it until ``verdict`` says it succeeded (True) or not
    (False); None means it still runs.

    >>> from sfnlocal.language.resources import parse_resource
    >>> call = ServiceCall("Job", parse_resource("arn:aws:states:::glue:startJobRun.sync"), {}, "r", "a", None)
    >>> states = iter(["RUNNING", "FAILED"])
    >>> outcome = follow(call, {"JobRunId": "jr_1"}, lambda: {"JobRunState": next(states)},
    ...                  lambda run: {"RUNNING": None}.get(run["JobRunState"], run["JobRunState"] == "SUCCEEDED"))
    >>> outcome.response, outcome.then.error, outcome.then.cause
    ({'JobRunId': 'jr_1'}, 'States.TaskFailed', '{"JobRunState":"FAILED"}')
    """
    for _ in range(DESCRIPTIONS):
        description = describe()
        if isinstance(description, Failure):
            return description
        succeeded = verdict(description)
        if succeeded is not None:
            then = Result(description) if succeeded else Failure(TASK_FAILED, compact_json(description))
            return Submitted(started, then)
    return unsupported(call, f"a job that ends (still running after {DESCRIPTIONS} descriptions)")
