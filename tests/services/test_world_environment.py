"""An execution leaves ``os.environ`` alone; only the user's ``with AwsWorld()`` block sets variables.

An execution's own world names its credentials, region and account on its clients, so the process's
environment is the same before, during (seen from a mock handler, and while the execution is suspended)
and after; moto still attributes every request to the world's account.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from sfnlocal import AwsWorld, StateMachine
from sfnlocal.interpreter.result import ExecutionResult

ACCOUNT = "111111111111"  # not moto's default, so a request attributed by default would show
REGION = "eu-west-1"
VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_DEFAULT_REGION",
    "MOTO_ACCOUNT_ID",
)
LOOK = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:look"

# Makes a queue and a table, uses both through the optimized integrations, runs a Python handler, and
# waits for a callback sent through SQS (suspended, its world still running).
DEFINITION: dict[str, Any] = {
    "StartAt": "Make queue",
    "States": {
        "Make queue": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:sqs:createQueue",
            "Parameters": {"QueueName.$": "$.name"},
            "ResultSelector": {"url.$": "$.QueueUrl"},
            "ResultPath": "$.queue",
            "Next": "Make table",
        },
        "Make table": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:dynamodb:createTable",
            "Parameters": {
                "TableName.$": "$.name",
                "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
            },
            "ResultSelector": {"arn.$": "$.TableDescription.TableArn"},
            "ResultPath": "$.table",
            "Next": "Both",
        },
        "Both": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Send",
                    "States": {
                        "Send": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::sqs:sendMessage",
                            "Parameters": {"QueueUrl.$": "$.queue.url", "MessageBody": "order 42"},
                            "ResultPath": None,
                            "Next": "Save",
                        },
                        "Save": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::dynamodb:putItem",
                            "Parameters": {"TableName.$": "$.name", "Item": {"id": {"S": "42"}}},
                            "End": True,
                        },
                    },
                },
                {
                    "StartAt": "Later",
                    "States": {
                        "Later": {"Type": "Wait", "Seconds": 5, "Next": "Look"},
                        "Look": {"Type": "Task", "Resource": LOOK, "End": True},
                    },
                },
            ],
            "ResultPath": None,
            "Next": "Ask",
        },
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl.$": "$.queue.url", "MessageBody": {"token.$": "$$.Task.Token"}},
            "ResultPath": "$.answer",
            "End": True,
        },
    },
}


RUNS: list[ExecutionResult] = []


@pytest.fixture(autouse=True)
def user_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Of the variables a world could touch, some set (to values of the user's) and some absent.

    An execution a failed test left suspended is failed afterwards, so that its world stops.
    """
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "the user's")
    yield
    while RUNS:
        run = RUNS.pop()
        for token in run.task_tokens if run.status == "RUNNING" else ():
            run.send_task_failure(token, "Abandoned")


def snapshot_into(seen: list[dict[str, str]]) -> Any:
    """A Lambda handler that records the environment it runs in."""

    def handler(event: Any, context: Any) -> dict[str, Any]:
        seen.append(dict(os.environ))
        return {}

    return handler


def start(name: str, world: AwsWorld | None = None, look: Any = None) -> ExecutionResult:
    """An execution of DEFINITION making queue and table ``name``, suspended at its callback."""
    machine = StateMachine.from_dict(DEFINITION, account=ACCOUNT, region=REGION)
    run = machine.execute({"name": name}, mocks={LOOK: look or {}}, aws=world)
    RUNS.append(run)
    assert run.status == "RUNNING", (run.error, run.cause)
    return run


def finish(run: ExecutionResult) -> ExecutionResult:
    run.send_task_success(run.task_tokens[0], {"ok": True})
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    return run


def test_an_execution_with_its_own_world_leaves_the_environment_alone() -> None:
    before = dict(os.environ)
    seen: list[dict[str, str]] = []
    run = start("orders", look=snapshot_into(seen))  # suspended, its world still started
    # A handler runs in the world's scope (its boto3 calls reach the world only), the process's environment after
    assert (seen[0]["AWS_REGION"], seen[0]["MOTO_ACCOUNT_ID"]) == (REGION, ACCOUNT)
    assert dict(os.environ) == before
    finish(run)
    assert dict(os.environ) == before


def test_an_execution_s_own_world_is_of_the_machine_s_account_and_region() -> None:
    output = finish(start("orders")).output
    assert output["queue"]["url"] == f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/orders"
    assert output["table"]["arn"] == f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders"


def test_a_started_world_names_its_account_on_every_request_without_the_environment() -> None:
    before = dict(os.environ)
    world = AwsWorld(region=REGION, account=ACCOUNT).start()
    try:
        queue = world.client("sqs").create_queue(QueueName="orders")["QueueUrl"]
        assert queue == f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/orders"
        assert world.client("sns").create_topic(Name="t")["TopicArn"] == f"arn:aws:sns:{REGION}:{ACCOUNT}:t"
        rule = world.client("events").put_rule(Name="r", ScheduleExpression="rate(1 hour)")["RuleArn"]
        assert rule == f"arn:aws:events:{REGION}:{ACCOUNT}:rule/r"
        cluster = world.client("ecs").create_cluster(clusterName="c")["cluster"]["clusterArn"]
        assert cluster == f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/c"
        activity = world.client("stepfunctions").create_activity(name="a")["activityArn"]
        assert activity == f"arn:aws:states:{REGION}:{ACCOUNT}:activity:a"
        assert world.client("sts").get_caller_identity()["Account"] == ACCOUNT
        assert dict(os.environ) == before
    finally:
        world.stop()
    assert dict(os.environ) == before


def test_a_with_block_lets_plain_boto3_clients_reach_it_and_restores_the_environment() -> None:
    before = dict(os.environ)
    with AwsWorld(region=REGION, account=ACCOUNT) as world:
        assert (os.environ["AWS_DEFAULT_REGION"], os.environ["MOTO_ACCOUNT_ID"]) == (REGION, ACCOUNT)
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="orders", CreateBucketConfiguration={"LocationConstraint": REGION})
        assert [b["Name"] for b in world.client("s3").list_buckets()["Buckets"]] == ["orders"]
        queue = boto3.client("sqs").create_queue(QueueName="plain")["QueueUrl"]  # the block's region and account
        assert world.client("sqs").list_queues()["QueueUrls"] == [queue]
        assert queue == f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/plain"
    assert dict(os.environ) == before


def test_executions_inside_and_outside_a_with_block_all_keep_working() -> None:
    before = dict(os.environ)
    outside = start("outside")  # suspended: its world outlives the block below
    with AwsWorld(region=REGION, account=ACCOUNT) as world:
        block = dict(os.environ)
        world.client("sqs").create_queue(QueueName="seeded")
        inside = start("inside")  # a world of its own, inside the block
        assert dict(os.environ) == block
        finish(inside)
        assert dict(os.environ) == block
        queues = world.client("sqs").list_queues()["QueueUrls"]  # moto still runs for the block
        assert f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/seeded" in queues
        finish(start("shared", world))
        assert world.client("dynamodb").get_item(TableName="shared", Key={"id": {"S": "42"}})["Item"]
    assert dict(os.environ) == before
    finish(outside)  # its world still answers
    assert dict(os.environ) == before


def test_an_execution_inside_the_user_s_own_mock_aws_leaves_its_credentials_to_it() -> None:
    before = dict(os.environ)
    with mock_aws():
        mocked = dict(os.environ)  # moto's own fake credentials
        assert mocked["AWS_ACCESS_KEY_ID"] != before.get("AWS_ACCESS_KEY_ID")
        finish(start("orders"))
        assert dict(os.environ) == mocked
    assert dict(os.environ) == before  # moto removed what it wrote
    with mock_aws():  # and writes it again: its configuration was left as it was
        assert os.environ["AWS_ACCESS_KEY_ID"] == mocked["AWS_ACCESS_KEY_ID"]
    assert dict(os.environ) == before
