"""Run a Job (``.sync``) on moto: start the job, then follow it to its end.

moto moves a job on by one state each time it is described (its state manager's default), so
following a job takes a few describe calls and no waiting. The start's response is what the task
submitted (TaskSubmitted); the job's final description is its result, and a job that ended otherwise
than well fails the task with ``States.TaskFailed`` and that description as the cause, as Step
Functions reports a ``.sync`` job that failed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from sfnlocal.integrations.aws.aws_sdk import serve
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.casing import epoch_millis
from sfnlocal.integrations.aws.errors import unsupported
from sfnlocal.interpreter.integration import Failure, Outcome, Result, Submitted
from sfnlocal.language.errors import TASK_FAILED
from sfnlocal.language.jsontext import compact_json

# How many times a job is described before sfnlocal gives up on it (moto needs at most a handful).
DESCRIPTIONS = 10


def described(
    call: ServiceCall,
    service: str,
    operation: str,
    arguments: dict[str, Any],
    failure: Callable[[ClientError], Failure],
    pick: Callable[[dict[str, Any]], dict[str, Any]],
) -> Callable[[], dict[str, Any] | Failure]:
    """A ``describe`` for :func:`follow`: call ``operation`` on moto (timestamps as epoch milliseconds, as the
    optimized integrations give them) and ``pick`` the job's description from the response."""

    def describe() -> dict[str, Any] | Failure:
        found = serve(call, service, operation, arguments, failure, epoch_millis)
        return found if isinstance(found, Failure) else pick(found)

    return describe


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
