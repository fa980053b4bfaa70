"""The same definition, input and seed give byte-identical results, including the identifiers moto makes
(SQS and SNS MessageIds, EventBridge EventIds): the world's random source is seeded from the execution's seed."""

from __future__ import annotations

import json
from typing import Any

from sfnlocal import AwsWorld, StateMachine


def task(resource: str, parameters: dict[str, Any], then: dict[str, Any]) -> dict[str, Any]:
    return {"Type": "Task", "Resource": f"arn:aws:states:::{resource}", "Parameters": parameters, **then}


# Makes its own queue and topic (an execution's own world starts empty), then sends, publishes and puts events.
DEFINITION = {
    "StartAt": "Queue",
    "States": {
        "Queue": task("aws-sdk:sqs:createQueue", {"QueueName": "orders"}, {"ResultPath": "$.queue", "Next": "Topic"}),
        "Topic": task("aws-sdk:sns:createTopic", {"Name": "orders"}, {"ResultPath": "$.topic", "Next": "Send"}),
        "Send": task(
            "sqs:sendMessage",
            {"QueueUrl.$": "$.queue.QueueUrl", "MessageBody": "order 42"},
            {"ResultPath": "$.sent", "Next": "Publish"},
        ),
        "Publish": task(
            "sns:publish",
            {"TopicArn.$": "$.topic.TopicArn", "Message": "order 42"},
            {"ResultPath": "$.published", "Next": "Events"},
        ),
        "Events": task(
            "events:putEvents",
            {"Entries": [{"Source": "shop", "DetailType": "order", "Detail": {"id": 42}}]},
            {"ResultPath": "$.events", "End": True},
        ),
    },
}
MACHINE = StateMachine.from_dict(DEFINITION)


def identifiers(run: Any) -> list[str]:
    output = run.output
    return [output["sent"]["MessageId"], output["published"]["MessageId"], output["events"]["Entries"][0]["EventId"]]


def seeded_run(seed: int) -> Any:
    AwsWorld.seed_identifiers(seed)
    return MACHINE.execute({}, seed=seed)


def test_two_runs_with_the_same_seed_are_byte_identical_identifiers_included() -> None:
    first, second = seeded_run(3), seeded_run(3)
    assert first.status == "SUCCEEDED", first.history[-1]
    assert json.dumps(first.to_dict(), sort_keys=True) == json.dumps(second.to_dict(), sort_keys=True)


def test_another_seed_gives_other_identifiers() -> None:
    ones, others = identifiers(seeded_run(3)), identifiers(seeded_run(4))
    assert all(one != other for one, other in zip(ones, others, strict=True))


def test_identifiers_in_a_users_world_repeat_too() -> None:
    def run_in_a_fresh_world() -> list[str]:
        with AwsWorld() as world:
            AwsWorld.seed_identifiers(9)
            return identifiers(MACHINE.execute({}, aws=world, seed=9))

    assert run_in_a_fresh_world() == run_in_a_fresh_world()


def test_execute_seeds_the_worlds_identifiers_itself() -> None:
    AwsWorld.seed_identifiers(1)
    first = MACHINE.execute({}, seed=5)
    AwsWorld.seed_identifiers(2)
    second = MACHINE.execute({}, seed=5)
    assert first.to_dict() == second.to_dict()


HANDLED = StateMachine.from_dict(
    {
        "StartAt": "Send",
        "States": {
            "Send": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "send", "Payload": {}},
                "OutputPath": "$.Payload",
                "End": True,
            }
        },
    }
)


def send_a_message(event: Any, context: Any) -> dict[str, str]:
    """A handler whose boto3 call is answered by whatever moto mock runs (its queue made beforehand)."""
    import boto3

    sqs = boto3.client("sqs", region_name="us-east-1")
    url = sqs.get_queue_url(QueueName="orders")["QueueUrl"]
    return {"id": sqs.send_message(QueueUrl=url, MessageBody="order 42")["MessageId"]}


def test_a_users_own_mock_aws_draws_the_executions_identifiers_from_its_seed() -> None:
    # The handler's call is made while the user's mock runs: the execution's identifiers still follow its seed.
    from moto import mock_aws

    with mock_aws():
        import boto3

        boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="orders")
        runs = [HANDLED.execute({}, mocks={"send": send_a_message}, seed=seed).output["id"] for seed in (3, 3, 4)]
    assert runs[0] == runs[1] != runs[2]


def test_a_shared_worlds_identifiers_follow_each_executions_seed() -> None:
    # The world runs all along: each execution's seed reaches moto when the execution starts, not at a moto start.
    def ids_in_a_fresh_world() -> list[str]:
        with AwsWorld() as world:
            ids = []
            for seed in (5, 6):
                world.client("sqs").create_queue(QueueName="orders")
                ids.append(HANDLED.execute({}, mocks={"send": send_a_message}, seed=seed, aws=world).output["id"])
            return ids

    first, second = ids_in_a_fresh_world(), ids_in_a_fresh_world()
    assert first == second and first[0] != first[1]
