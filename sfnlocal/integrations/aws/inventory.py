"""What an application left in an in-process AWS world, for a test to read after a run.

* :func:`world_summary`: a short, JSON-ready account of the world: each queue's messages (dead-letter queues
  marked), each table's item count, each bucket's object keys, each topic's published messages, each event bus's
  events. Read through the world's own boto3 clients where AWS has an API for it (SQS, DynamoDB, S3) and from
  moto's records where it has none: SNS keeps no readable log of what was published, EventBridge none of what
  was put on a bus.
* :func:`published_messages` and :func:`events_put`: those two records in full, since no boto3 call returns them.
* :func:`summary_lines`: the summary as a few lines of text, for a command's output.

Events put on a bus are only known from the moment :func:`record_put_events` was called (it wraps moto's
PutEvents once per process; calling it again does nothing); the world calls it when it starts.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.world import AwsWorld

# A bucket's keys beyond this many are counted, not listed: the summary stays short after a Distributed Map.
MAX_KEYS = 20
# Where the wrapped PutEvents keeps its record, on moto's EventsBackend of one account and region; moto's reset
# of a backend (the last world stopping) empties its __dict__, so the record goes with the world's data.
_EVENTS_PUT = "_sfnlocal_events_put"


def world_summary(world: AwsWorld) -> dict[str, Any]:
    """What is in ``world`` now, by resource name (sorted), in five sections:

    * ``queues``: ``{name: {"messages", "in_flight", "delayed"}}`` (SQS's approximate counts: visible, received
      and not yet deleted, delayed), plus ``"dead_letter_queue": name`` for a queue with a redrive policy and
      ``"dead_letter_for": [names]`` for a queue that is one (the event pump's relay queues left out);
    * ``tables``: ``{name: {"items": count}}``;
    * ``buckets``: ``{name: {"objects": count, "keys": [the first 20 keys]}}``;
    * ``topics``: ``{name: {"published": count, "subscriptions": count}}``;
    * ``event_buses``: ``{name: {"events": count put on it, "rules": count}}``.

    A world that has not started is empty (and is not started by this).

    >>> from sfnlocal.integrations.aws.world import AwsWorld
    >>> with AwsWorld() as world:
    ...     sqs = world.client("sqs")
    ...     dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    ...     redrive = {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:orders-dlq", "maxReceiveCount": 3}
    ...     orders = sqs.create_queue(QueueName="orders", Attributes={"RedrivePolicy": json.dumps(redrive)})
    ...     _ = sqs.send_message(QueueUrl=orders["QueueUrl"], MessageBody="{}")
    ...     world_summary(world)["queues"]  # doctest: +NORMALIZE_WHITESPACE
    {'orders': {'messages': 1, 'in_flight': 0, 'delayed': 0, 'dead_letter_queue': 'orders-dlq'},
     'orders-dlq': {'messages': 0, 'in_flight': 0, 'delayed': 0, 'dead_letter_for': ['orders']}}
    """
    if not world.started:
        return {"queues": {}, "tables": {}, "buckets": {}, "topics": {}, "event_buses": {}}
    return {
        "queues": _queues(world),
        "tables": _tables(world),
        "buckets": _buckets(world),
        "topics": _topics(world),
        "event_buses": _event_buses(world),
    }


def published_messages(world: AwsWorld, topic: str) -> list[dict[str, Any]]:
    """The messages published to ``topic`` (its name or ARN), oldest first: ``MessageId``, ``Message``, and
    ``Subject``, ``MessageAttributes`` and ``MessageGroupId`` where the publisher gave them; the attributes are
    in the shape SNS delivers them to subscribers (``{"level": {"Type": "String", "Value": "high"}}``). An
    unknown topic is a KeyError naming the topics there are.

    >>> from sfnlocal.integrations.aws.world import AwsWorld
    >>> with AwsWorld() as world:
    ...     sns = world.client("sns")
    ...     arn = sns.create_topic(Name="alerts")["TopicArn"]
    ...     _ = sns.publish(TopicArn=arn, Message="disk full", Subject="Alert")
    ...     [(sent["Subject"], sent["Message"]) for sent in published_messages(world, "alerts")]
    [('Alert', 'disk full')]
    """
    topics = _sns_backend(world).topics if world.started else {}
    found = next((value for arn, value in topics.items() if topic in (arn, _last(arn, ":"))), None)
    if found is None:
        known = ", ".join(sorted(_last(arn, ":") for arn in topics)) or "none"
        raise KeyError(f"no SNS topic {topic!r} in this world (its topics: {known})")
    messages = []
    for message_id, message, subject, attributes, group_id in found.sent_notifications:
        sent: dict[str, Any] = {"MessageId": message_id, "Message": message}
        optional = {"Subject": subject, "MessageAttributes": attributes, "MessageGroupId": group_id}
        sent.update((key, value) for key, value in optional.items() if value)
        messages.append(sent)
    return messages


def events_put(world: AwsWorld, bus: str | None = None) -> list[dict[str, Any]]:
    """The events put on the world's buses (on ``bus`` only, by name or ARN, when given), oldest first, as the
    PutEvents entries that were accepted: ``EventBusName`` (the bus's name), ``Source``, ``DetailType``,
    ``Detail`` (parsed: a JSON object), ``Resources``, and the ``EventId`` EventBridge answered with. Only those
    put after :func:`record_put_events` was called are known.

    >>> from sfnlocal.integrations.aws.world import AwsWorld
    >>> record_put_events()
    >>> with AwsWorld() as world:
    ...     entry = {"Source": "shop", "DetailType": "OrderPlaced", "Detail": '{"orderId": "o-1"}'}
    ...     _ = world.client("events").put_events(Entries=[entry])
    ...     [(event["EventBusName"], event["DetailType"], event["Detail"]) for event in events_put(world)]
    [('default', 'OrderPlaced', {'orderId': 'o-1'})]
    """
    if not world.started:
        return []
    recorded: list[dict[str, Any]] = _events_backend(world).__dict__.get(_EVENTS_PUT, [])
    name = None if bus is None else _last(bus, "/")
    return [dict(event) for event in recorded if name is None or event["EventBusName"] == name]


def record_put_events() -> None:
    """Keep, on each of moto's EventBridge backends, the events PutEvents accepts (for :func:`events_put`); once
    per process, before the events are put. moto delivers an event to the targets of the rules it matches and
    keeps nothing else of it.

    >>> record_put_events(); record_put_events()  # the second call finds it done
    """
    from moto.events.models import EventsBackend

    original = EventsBackend.put_events
    if getattr(original, "records_events", False):
        return

    def put_events(self: EventsBackend, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        entries = original(self, events)
        record = self.__dict__.setdefault(_EVENTS_PUT, [])
        # moto answers one entry per event, in order; an accepted one carries its EventId.
        for event, entry in zip(events, entries, strict=False):
            if "EventId" in entry:
                record.append(
                    {
                        "EventBusName": _last(event.get("EventBusName") or "default", "/"),
                        "Source": event.get("Source"),
                        "DetailType": event.get("DetailType"),
                        "Detail": json.loads(event["Detail"]),
                        "Resources": list(event.get("Resources") or []),
                        "EventId": entry["EventId"],
                    }
                )
        return entries

    put_events.records_events = True  # type: ignore[attr-defined]
    EventsBackend.put_events = put_events  # type: ignore[method-assign]


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """``summary`` (from :func:`world_summary`) as one line per section that has something, for a command's
    output.

    >>> summary_lines({"queues": {"orders": {"messages": 1, "in_flight": 0, "delayed": 0, "dead_letter_queue":
    ...     "orders-dlq"}, "orders-dlq": {"messages": 2, "in_flight": 0, "delayed": 0, "dead_letter_for": ["orders"]}},
    ...     "tables": {"shipments": {"items": 1}}, "buckets": {}, "topics": {"alerts": {"published": 3,
    ...     "subscriptions": 1}}, "event_buses": {}})
    ['queues: orders 1 message, orders-dlq (dead-letter queue) 2 messages', 'tables: shipments 1 item', \
'topics: alerts 3 published']
    """
    described = {
        "queues": lambda name, queue: (
            f"{name}{' (dead-letter queue)' if 'dead_letter_for' in queue else ''} "
            + _count(queue["messages"] + queue["in_flight"] + queue["delayed"], "message")
        ),
        "tables": lambda name, table: f"{name} {_count(table['items'], 'item')}",
        "buckets": lambda name, bucket: f"{name} {_count(bucket['objects'], 'object')}",
        "topics": lambda name, topic: f"{name} {topic['published']} published",
        "event_buses": lambda name, bus: f"{name} {_count(bus['events'], 'event')}",
    }
    lines = []
    for section, describe in described.items():
        entries = summary.get(section) or {}
        if section == "event_buses":  # every world has a default bus: named only once something used it
            entries = {name: bus for name, bus in entries.items() if bus["events"] or bus["rules"] or name != "default"}
        if entries:
            label = section.replace("_", " ")
            lines.append(f"{label}: " + ", ".join(describe(name, entry) for name, entry in entries.items()))
    return lines


def _queues(world: AwsWorld) -> dict[str, Any]:
    # The queues the event pump makes to relay a rule's matched events to its target are sfnlocal's plumbing, not
    # the application's: left out. (Imported here: the pump's package is not loaded for a summary otherwise.)
    from sfnlocal.integrations.aws.event_sources.rules import RELAY_PREFIX

    sqs = world.client("sqs")
    urls = [
        url
        for page in sqs.get_paginator("list_queues").paginate()
        for url in page.get("QueueUrls", [])
        if not _last(url, "/").startswith(RELAY_PREFIX)
    ]
    queues: dict[str, Any] = {}
    for url in sorted(urls, key=lambda url: _last(url, "/")):
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        queue: dict[str, Any] = {
            "messages": int(attributes.get("ApproximateNumberOfMessages", 0)),
            "in_flight": int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0)),
            "delayed": int(attributes.get("ApproximateNumberOfMessagesDelayed", 0)),
        }
        if "RedrivePolicy" in attributes:
            queue["dead_letter_queue"] = _last(json.loads(attributes["RedrivePolicy"])["deadLetterTargetArn"], ":")
        queues[_last(url, "/")] = queue
    for name, queue in queues.items():
        target = queues.get(queue.get("dead_letter_queue", ""))
        if target is not None:
            target.setdefault("dead_letter_for", []).append(name)
    return queues


def _tables(world: AwsWorld) -> dict[str, Any]:
    dynamodb = world.client("dynamodb")
    names = [name for page in dynamodb.get_paginator("list_tables").paginate() for name in page["TableNames"]]
    tables = {}
    for name in sorted(names):
        # DescribeTable's ItemCount is refreshed every six hours in AWS; a scan counts what is there now.
        pages = dynamodb.get_paginator("scan").paginate(TableName=name, Select="COUNT")
        tables[name] = {"items": sum(page["Count"] for page in pages)}
    return tables


def _buckets(world: AwsWorld) -> dict[str, Any]:
    s3 = world.client("s3")
    buckets = {}
    for name in sorted(bucket["Name"] for bucket in s3.list_buckets()["Buckets"]):
        keys = [
            item["Key"]
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name)
            for item in page.get("Contents", [])
        ]
        buckets[name] = {"objects": len(keys), "keys": keys[:MAX_KEYS]}
    return buckets


def _topics(world: AwsWorld) -> dict[str, Any]:
    sns = world.client("sns")
    arns = [topic["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for topic in page["Topics"]]
    topics = _sns_backend(world).topics
    summary = {}
    for arn in sorted(arns, key=lambda arn: _last(arn, ":")):
        pages = sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=arn)
        subscriptions = sum(len(page["Subscriptions"]) for page in pages)
        published = len(topics[arn].sent_notifications) if arn in topics else 0
        summary[_last(arn, ":")] = {"published": published, "subscriptions": subscriptions}
    return summary


def _event_buses(world: AwsWorld) -> dict[str, Any]:
    events = world.client("events")
    recorded = _events_backend(world).__dict__.get(_EVENTS_PUT, [])
    buses = {}
    for name in sorted(bus["Name"] for bus in events.list_event_buses()["EventBuses"]):
        rules = events.get_paginator("list_rules").paginate(EventBusName=name)
        buses[name] = {
            "events": sum(1 for event in recorded if event["EventBusName"] == name),
            "rules": sum(len(page["Rules"]) for page in rules),
        }
    return buses


def _sns_backend(world: AwsWorld) -> Any:
    from moto.sns.models import sns_backends

    return sns_backends[world.account][world.region]


def _events_backend(world: AwsWorld) -> Any:
    from moto.events.models import events_backends

    return events_backends[world.account][world.region]


def _last(identifier: str, separator: str) -> str:
    """The last part of a URL or ARN: a queue's, topic's or bus's name."""
    return identifier.rsplit(separator, 1)[-1]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
