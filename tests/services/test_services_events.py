"""events:putEvents on moto, against recorded AWS executions."""

from __future__ import annotations

import json

import pytest

SERVICE = "v2__services__test_events_task_service.py--TestTaskServiceEvents--"
LOCAL = "v2__local_mocking__test_base_scenarios.py--TestBaseScenarios--"


@pytest.fixture
def inbox(world) -> str:
    """A queue that receives every event of source some.source on the default bus."""
    events, sqs = world.client("events"), world.client("sqs")
    queue = sqs.create_queue(QueueName="events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="all", EventPattern=json.dumps({"source": ["some.source"]}))
    events.put_targets(Rule="all", Targets=[{"Id": "inbox", "Arn": queue_arn}])
    return queue


def details(world, queue: str) -> list:
    messages = world.client("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    return [json.loads(message["Body"])["detail"] for message in messages]


def test_put_events_with_details_as_text_and_as_json(world, inbox, replay):
    entries = [
        {"Detail": '{"Message": "HelloWorld0"}', "DetailType": "t", "Source": "some.source"},
        {"Detail": {"Message": "HelloWorld1"}, "DetailType": "t", "Source": "some.source"},
        {"Detail": {"Message": "HelloWorld2"}, "DetailType": "t", "Source": "some.source", "Resources": [inbox]},
    ]
    replay(f"{SERVICE}test_put_events_base.json", {"Entries": entries})
    assert sorted(detail["Message"] for detail in details(world, inbox)) == [
        "HelloWorld0",
        "HelloWorld1",
        "HelloWorld2",
    ]


def test_put_events(replay):
    replay(f"{LOCAL}test_events_put_events.json")


def test_a_detail_that_is_not_an_object_fails_the_task(replay):
    replay(f"{SERVICE}test_put_events_malformed_detail.json")


def test_only_the_malformed_entry_fails_the_others_are_put(world, inbox, replay):
    replay(f"{SERVICE}test_put_events_mixed_malformed_detail.json")
    assert [detail["Message"] for detail in details(world, inbox)] == ["HelloWorld0"]
