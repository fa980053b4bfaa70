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
