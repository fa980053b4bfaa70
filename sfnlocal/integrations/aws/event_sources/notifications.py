"""SNS subscriptions and S3 event notifications of Lambda functions, invoked asynchronously."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, uuid5

from sfnlocal.integrations.aws.event_sources.channel import (
    Channel,
    EventSourceLike,
    iso_time,
)
from sfnlocal.integrations.aws.event_sources.records import s3_record, sns_record

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.event_sources import EventPump


class TopicSubscription(Channel):
    """An SNS subscription of a Lambda function: each message moto's topic published since the pump started."""

    def __init__(self, pump: EventPump, source: EventSourceLike, index: int) -> None:
        super().__init__(pump, source, index)
        self.topic_arn = source.source
        self.client("sns").get_topic_attributes(TopicArn=self.topic_arn)  # the topic exists (or a clear NotFound)
        self.seen = len(self._published())
        self.subscription_arn = f"{self.topic_arn}:{uuid5(NAMESPACE_URL, f'{self.topic_arn}|{source.target}')}"
        policy = self.options.get("FilterPolicy")
        self.matcher = _filter_policy(policy, self.options.get("FilterPolicyScope")) if policy else None

    def _published(self) -> list[tuple[str, str, str | None, dict[str, Any] | None, str | None]]:
        # moto keeps what a topic published (message id, message, subject, attributes, group id) on the topic, the
        # one place a publish through any client is seen: AWS's ``sent_notifications``-free equivalent is delivery.
        from moto.sns import sns_backends

        parts = self.topic_arn.split(":")
        return list(sns_backends[parts[4]][parts[3]].topics[self.topic_arn].sent_notifications)

    def deliver(self, now: float) -> bool:
        published = self._published()
        fresh, self.seen = published[self.seen :], len(published)
        delivered = False
        for message_id, message, subject, attributes, _group in fresh:
            if self.matcher is not None and not self.matcher.matches(attributes, message):
                continue
            record = sns_record(
                self.subscription_arn, self.topic_arn, message_id, message, subject, attributes or {}, iso_time(now)
            )
            self.pump.call_async(self.source.logical_id, self.source.target, {"Records": [record]})
            delivered = True
        return delivered


def _filter_policy(policy: Any, scope: Any) -> Any:
    """moto's own matcher of SNS filter policies (the one its SQS subscriptions use)."""
    from moto.sns.utils import FilterPolicyMatcher

    return FilterPolicyMatcher(json.loads(policy) if isinstance(policy, str) else dict(policy), scope)


class BucketNotification(Channel):
    """A bucket's notification to a Lambda function: what changed in the bucket since the last round."""

    def __init__(self, pump: EventPump, source: EventSourceLike, index: int) -> None:
        super().__init__(pump, source, index)
        self.bucket = source.source.removeprefix("arn:aws:s3:::")
        events = self.options.get("Events", self.options.get("Event", "s3:ObjectCreated:*"))
        self.events = [events] if isinstance(events, str) else list(events)
        rules = ((self.options.get("Filter") or {}).get("S3Key") or {}).get("Rules") or []
        self.prefix = "".join(str(rule["Value"]) for rule in rules if str(rule["Name"]).lower() == "prefix")
        self.suffix = "".join(str(rule["Value"]) for rule in rules if str(rule["Name"]).lower() == "suffix")
        self.objects = self._objects()

    def _objects(self) -> dict[str, dict[str, Any]]:
        s3 = self.client("s3")
        objects: dict[str, dict[str, Any]] = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for item in page.get("Contents", []):
                objects[item["Key"]] = item
        return objects

    def deliver(self, now: float) -> bool:
        current = self._objects()
        changes: list[tuple[str, str, dict[str, Any]]] = []
        for key in sorted(current):
            before = self.objects.get(key)
            if before is None or (before["ETag"], before["LastModified"]) != (
                current[key]["ETag"],
                current[key]["LastModified"],
            ):
                changes.append(("ObjectCreated:Put", key, current[key]))
        for key in sorted(set(self.objects) - set(current)):
            changes.append(("ObjectRemoved:Delete", key, self.objects[key]))
        self.objects = current
        delivered = False
        for name, key, item in changes:
            if not (key.startswith(self.prefix) and key.endswith(self.suffix) and self._wanted(name)):
                continue
            record = s3_record(name, self.bucket, item, self.pump.world.region, self.source.logical_id, iso_time(now))
            self.pump.call_async(self.source.logical_id, self.source.target, {"Records": [record]})
            delivered = True
        return delivered

    def _wanted(self, name: str) -> bool:
        return any(
            wanted.removeprefix("s3:") == name or wanted.removeprefix("s3:") == name.split(":")[0] + ":*"
            for wanted in self.events
        )
