"""boto3's SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat answer the sfnlocal execution that issued the
token: from a handler during the run, or from the test after ``execute()`` returned a RUNNING result.

The handlers here are plain functions run in the world's handler scope by a small integration of the test's
own (the Lambda runtime does the same for template functions and callable mocks), so the round trip is the
one a user's application makes: the ``.waitForTaskToken`` task's handler sends its token to SQS, and later
code reads the queue and answers with boto3. Errors are AWS's (botocore's stepfunctions model: InvalidToken,
TaskTimedOut; words recorded from AWS, see sfnlocal/integrations/aws/sdk_sfn.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from sfnlocal import AwsWorld, StateMachine
from sfnlocal.interpreter.integration import AwaitToken, Outcome, Result, Submitted, TaskRequest
from sfnlocal.language.resources import WAIT_FOR_TASK_TOKEN

Handler = Callable[[Any], Any]


class Handlers:
    """Serves ``lambda:invoke`` tasks by FunctionName with Python handlers run in ``world.handler_scope()``."""

    def __init__(self, world: AwsWorld, handlers: dict[str, Handler]) -> None:
        self.world = world
        self.handlers = handlers

    def invoke(self, request: TaskRequest) -> Outcome | None:
        handler = self.handlers.get(request.arguments.get("FunctionName"))
        if handler is None:
            return None
        with self.world.handler_scope():
            payload = handler(request.arguments.get("Payload"))
        response = {"StatusCode": 200, "Payload": payload}
        if request.pattern == WAIT_FOR_TASK_TOKEN:
            return Submitted(response, AwaitToken())
        return Result(response)


def invoke(function: str, then: dict[str, Any], payload: dict[str, Any], wait: bool = False) -> dict[str, Any]:
    resource = "arn:aws:states:::lambda:invoke" + (".waitForTaskToken" if wait else "")
    return {"Type": "Task", "Resource": resource, "Parameters": {"FunctionName": function, "Payload": payload}, **then}


ASK = invoke("ask", {"End": True}, {"token.$": "$$.Task.Token", "queue.$": "$.queue"}, wait=True)


def send_token(event: Any) -> None:
    """The ``.waitForTaskToken`` handler: sends its token to the queue, as an approval request."""
    boto3.client("sqs").send_message(QueueUrl=event["queue"], MessageBody=json.dumps({"token": event["token"]}))


@pytest.fixture
def world() -> Iterator[AwsWorld]:
    with AwsWorld() as aws:
        yield aws


@pytest.fixture
def queue(world: AwsWorld) -> str:
    return str(boto3.client("sqs").create_queue(QueueName="approvals")["QueueUrl"])


def token_in(queue: str) -> str:
    messages = boto3.client("sqs").receive_message(QueueUrl=queue)["Messages"]
    return str(json.loads(messages[0]["Body"])["token"])


def waiting_run(world: AwsWorld, queue: str, seed: int) -> Any:
    """A RUNNING execution whose token is in the queue. Each test uses seeds of its own: executions with the
    same seed issue the same tokens, and one a previous test left waiting would take the answer."""
    machine = StateMachine.from_dict({"StartAt": "Ask", "States": {"Ask": ASK}})
    run = machine.execute({"queue": queue}, aws=world, integration=Handlers(world, {"ask": send_token}), seed=seed)
    assert run.status == "RUNNING"
    return run


def test_the_test_answers_a_token_a_handler_sent_through_sqs(world: AwsWorld, queue: str) -> None:
    run = waiting_run(world, queue, 1)
    response = boto3.client("stepfunctions").send_task_success(taskToken=token_in(queue), output='{"approved": true}')
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert set(response) == {"ResponseMetadata"}  # SendTaskSuccess's response has no fields
    assert (run.status, run.output) == ("SUCCEEDED", {"approved": True})


def test_send_task_failure_fails_the_task_with_its_error_and_cause(world: AwsWorld, queue: str) -> None:
    run = waiting_run(world, queue, 2)
    boto3.client("stepfunctions").send_task_failure(taskToken=token_in(queue), error="Rejected", cause="no budget")
    assert (run.status, run.error, run.cause) == ("FAILED", "Rejected", "no budget")


def test_a_heartbeat_is_accepted_and_the_task_waits_on(world: AwsWorld, queue: str) -> None:
    run = waiting_run(world, queue, 3)
    token = token_in(queue)
    boto3.client("stepfunctions").send_task_heartbeat(taskToken=token)
    assert run.status == "RUNNING" and run.task_tokens == [token]


def test_an_unknown_token_is_refused_as_aws_refuses_it(world: AwsWorld) -> None:
    sfn = boto3.client("stepfunctions")
    with pytest.raises(sfn.exceptions.InvalidToken, match="Invalid Token: 'Invalid token'"):
        sfn.send_task_success(taskToken="nobody issued this", output="{}")


def test_a_token_whose_task_ended_is_refused_as_timed_out(world: AwsWorld, queue: str) -> None:
    run = waiting_run(world, queue, 4)  # kept: a token is known for as long as its execution is
    token = token_in(queue)
    sfn = boto3.client("stepfunctions")
    sfn.send_task_success(taskToken=token, output="{}")
    with pytest.raises(sfn.exceptions.TaskTimedOut, match="Provided task does not exist anymore"):
        sfn.send_task_success(taskToken=token, output="{}")
    assert run.status == "SUCCEEDED"


def test_output_that_is_not_json_is_refused_and_the_task_waits_on(world: AwsWorld, queue: str) -> None:
    run = waiting_run(world, queue, 5)
    sfn = boto3.client("stepfunctions")
    with pytest.raises(sfn.exceptions.InvalidOutput):
        sfn.send_task_success(taskToken=token_in(queue), output="not json")
    assert run.status == "RUNNING"


def test_a_handler_of_another_branch_answers_the_first_tasks_token(world: AwsWorld, queue: str) -> None:
    answered: list[str] = []

    def approve(event: Any) -> dict[str, Any]:
        token = token_in(event["queue"])
        boto3.client("stepfunctions").send_task_success(taskToken=token, output=json.dumps({"by": "approver"}))
        answered.append(token)
        return {"approved": True}

    machine = StateMachine.from_dict(
        {
            "StartAt": "Both",
            "States": {
                "Both": {
                    "Type": "Parallel",
                    "End": True,
                    "Branches": [
                        {"StartAt": "Ask", "States": {"Ask": ASK}},
                        {
                            "StartAt": "Approve",
                            "States": {
                                "Approve": invoke(
                                    "approve", {"End": True, "OutputPath": "$.Payload"}, {"queue.$": "$.queue"}
                                )
                            },
                        },
                    ],
                }
            },
        }
    )
    handlers = Handlers(world, {"ask": send_token, "approve": approve})
    run = machine.execute({"queue": queue}, aws=world, integration=handlers, seed=8)
    assert run.status == "SUCCEEDED", run.history[-1]
    assert run.output == [{"by": "approver"}, {"approved": True}]
    assert len(answered) == 1


def test_the_waiting_execution_wins_over_an_ended_one_with_the_same_token(world: AwsWorld, queue: str) -> None:
    # Same machine, input and seed: the two executions issue the same token; the first one's task has ended.
    first = waiting_run(world, queue, 6)
    sfn = boto3.client("stepfunctions")
    sfn.send_task_success(taskToken=token_in(queue), output='"first"')
    second = waiting_run(world, queue, 6)
    sfn.send_task_success(taskToken=token_in(queue), output='"second"')
    assert (first.output, second.output) == ("first", "second")


def test_with_real_aws_opted_in_a_token_of_this_process_is_still_answered_here(world: AwsWorld, queue: str) -> None:
    from sfnlocal.integrations.aws import guard

    run = waiting_run(world, queue, 9)
    with guard.allowing_real_aws():
        boto3.client("stepfunctions").send_task_success(taskToken=token_in(queue), output="{}")
    assert run.status == "SUCCEEDED"


def test_a_token_of_an_execution_in_its_own_world_is_answered_from_a_plain_client() -> None:
    from sfnlocal.integrations.aws.world import any_world_started

    machine = StateMachine.from_dict(
        {
            "StartAt": "Queue",
            "States": {
                "Queue": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:sqs:createQueue",
                    "Parameters": {"QueueName": "requests"},
                    "Next": "Send",
                },
                "Send": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl.$": "$.QueueUrl", "MessageBody": {"token.$": "$$.Task.Token"}},
                    "End": True,
                },
            },
        }
    )
    run = machine.execute({}, seed=10)
    assert run.status == "RUNNING" and any_world_started()  # the execution's own world waits with it
    sfn = boto3.client("stepfunctions", region_name="us-east-1")
    sfn.send_task_success(taskToken=run.task_tokens[0], output='"done"')
    assert (run.status, run.output) == ("SUCCEEDED", "done")
