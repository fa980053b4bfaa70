"""EventBridge rules' targets, through a relay queue moto sends the matching events to."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sfnlocal.integrations.aws.event_sources.channel import (
    BATCHES_PER_CALL,
    Channel,
    EventSourceLike,
    iso_time,
    queue_url,
)
from sfnlocal.integrations.aws.event_sources.records import eventbridge_input

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.event_sources import EventPump

# What names the pump's relay queues: a summary of the world leaves these out (they are no resource of the template).
RELAY_PREFIX = "sfnlocal-relay-"
# An EventBridge event's fields, in the order AWS writes them (EventBridge user guide, "Events").
_EVENT_FIELDS = ("version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail")


class RuleTarget(Channel):
    """A rule's target: moto matches the rule's pattern and sends the events to a relay queue in its place."""

    def __init__(self, pump: EventPump, source: EventSourceLike, index: int) -> None:
        super().__init__(pump, source, index)
        self.bus, self.rule = _rule_name(source.source, self.options)
        events, sqs = self.client("events"), self.client("sqs")
        try:
            events.describe_rule(Name=self.rule, EventBusName=self.bus)
        except events.exceptions.ResourceNotFoundException:
            pattern = self.options.get("EventPattern")
            if pattern is None:
                raise ValueError(f"{source.logical_id}: the rule '{self.rule}' has no EventPattern to match") from None
            events.put_rule(
                Name=self.rule,
                EventBusName=self.bus,
                EventPattern=pattern if isinstance(pattern, str) else json.dumps(pattern),
            )
        # moto sends only to SQS targets (any other fails its PutEvents): the declared target leaves the rule.
        declared = events.list_targets_by_rule(Rule=self.rule, EventBusName=self.bus).get("Targets", [])
        stale = [target["Id"] for target in declared if target["Arn"] == source.target]
        if stale:
            events.remove_targets(Rule=self.rule, EventBusName=self.bus, Ids=stale)
        name = f"{RELAY_PREFIX}{index}-{self.rule}"[:80]
        self.relay_url = sqs.create_queue(QueueName=name)["QueueUrl"]
        relay_arn = sqs.get_queue_attributes(QueueUrl=self.relay_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        relay: dict[str, Any] = {"Id": name[:64], "Arn": relay_arn}
        if "InputTransformer" in self.options:
            relay["InputTransformer"] = self.options["InputTransformer"]
        events.put_targets(Rule=self.rule, EventBusName=self.bus, Targets=[relay])

    def deliver(self, now: float) -> bool:
        sqs = self.client("sqs")
        delivered = False
        for _ in range(BATCHES_PER_CALL):
            messages = sqs.receive_message(QueueUrl=self.relay_url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                break
            for message in messages:
                sqs.delete_message(QueueUrl=self.relay_url, ReceiptHandle=message["ReceiptHandle"])
                self._hand_on(json.loads(message["Body"]), now)
                delivered = True
        return delivered

    def _hand_on(self, event: Any, now: float) -> None:
        if isinstance(event, dict) and "InputTransformer" not in self.options:
            # moto's event lacks the account (AWS's has it), and its time is the wall's: the event is written again
            # in AWS's order of fields, put at the pump's instant on the virtual clock.
            known = {**event, "account": event.get("account") or self.pump.world.account, "time": iso_time(now, False)}
            event = {key: known.pop(key) for key in _EVENT_FIELDS if key in known} | known
        payload = eventbridge_input(event, self.options)
        source, target, kind = self.source.logical_id, self.source.target, self.source.target_kind
        if kind == "lambda":
            self.pump.call_async(source, target, payload)
            return
        text = payload if isinstance(payload, str) else json.dumps(payload)
        if kind == "sqs":
            sqs = self.client("sqs")
            message: dict[str, Any] = {"QueueUrl": queue_url(sqs, target), "MessageBody": text}
            group = (self.options.get("SqsParameters") or {}).get("MessageGroupId")
            if group is not None:
                message["MessageGroupId"] = group
            sqs.send_message(**message)
        elif kind == "sns":
            self.client("sns").publish(TopicArn=target, Message=text)
        elif kind == "states":
            if self.pump.start_execution is None:
                self.pump.note(source, target, 1, "failed", "no start_execution was given to the event pump")
                return
            self.pump.start_execution(target, payload)
        else:
            raise ValueError(f"{source}: sfnlocal hands EventBridge events to lambda, sqs, sns or states, not {kind}")
        self.pump.note(source, target, 1, "succeeded")


def _rule_name(source: str, options: Mapping[str, Any]) -> tuple[str, str]:
    """``(bus, rule)`` from a rule's ARN (``...:rule/[bus/]name``), ``bus/name``, or a name (the bus in options).

    >>> _rule_name("arn:aws:events:us-east-1:123456789012:rule/orders/placed", {})
    ('orders', 'placed')
    >>> _rule_name("placed", {"EventBusName": "orders"}), _rule_name("placed", {})
    (('orders', 'placed'), ('default', 'placed'))
    """
    if source.startswith("arn:"):
        source = source.split(":", 5)[5].removeprefix("rule/")
    if "/" in source:
        bus, rule = source.rsplit("/", 1)
        return bus, rule
    bus = options.get("EventBusName") or "default"
    return str(bus).rsplit("/", 1)[-1] if str(bus).startswith("arn:") else str(bus), source
