"""SQS event source mappings: batches of a queue's messages, retried in virtual time (see the package's docs)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sfnlocal.integrations.aws.event_sources.channel import (
    BATCHES_PER_CALL,
    Channel,
    EventSourceLike,
    batch_size,
    queue_url,
)
from sfnlocal.integrations.aws.event_sources.records import batch_item_failures, sqs_record

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.event_sources import EventPump

# How long a received message stays invisible on moto's wall clock: the longest SQS allows (12 hours), so that
# only the pump, on the virtual clock, makes it visible again.
_HELD_SECONDS = 43_200


@dataclass
class InFlight:
    receipt: str
    visible_at: float


class QueueMapping(Channel):
    """An SQS event source mapping (see the module's docs)."""

    def __init__(self, pump: EventPump, source: EventSourceLike, index: int) -> None:
        super().__init__(pump, source, index)
        self.sqs = self.client("sqs")
        self.url = queue_url(self.sqs, source.source)
        self.arn = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self.batch_size = batch_size(self.options, "sqs")
        self.window = float(self.options.get("MaximumBatchingWindowInSeconds", 0))
        self.partial = "ReportBatchItemFailures" in (self.options.get("FunctionResponseTypes") or ())
        self.in_flight: dict[str, InFlight] = {}  # message id -> its latest receipt, until it is visible again
        self.first_seen: dict[str, float] = {}  # message id -> when the pump first received it (retention)
        self.delayed: dict[str, float] = {}  # message id -> when its DelaySeconds end on the virtual clock
        self.window_opened: float | None = None

    def deliver(self, now: float) -> bool:
        self._release(now)
        self._end_delays(now)
        delivered = False
        for _ in range(BATCHES_PER_CALL):
            waiting = self._visible()
            if waiting == 0:
                self.window_opened = None
                break
            if self.window > 0 and waiting < self.batch_size:
                if self.window_opened is None:
                    self.window_opened = now
                if now < self.window_opened + self.window:
                    break
            self.window_opened = None
            if not self._deliver_batch(now):
                break
            delivered = True
        return delivered

    def next_due(self) -> float | None:
        dues = [flight.visible_at for flight in self.in_flight.values()]
        dues.extend(self.delayed.values())
        if self.window_opened is not None:
            dues.append(self.window_opened + self.window)
        return min(dues, default=None)

    def _attributes(self) -> dict[str, str]:
        names = ["ApproximateNumberOfMessages", "VisibilityTimeout", "MessageRetentionPeriod"]
        return self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=names)["Attributes"]

    def _visible(self) -> int:
        return int(self._attributes()["ApproximateNumberOfMessages"])

    def _release(self, now: float) -> None:
        """Make the messages whose visibility timeout passed on the virtual clock visible again (moto moves one
        received maxReceiveCount times to the dead-letter queue at its next receive)."""
        for message_id, flight in sorted(self.in_flight.items(), key=lambda item: item[1].visible_at):
            if flight.visible_at <= now:
                del self.in_flight[message_id]
                self.sqs.change_message_visibility(QueueUrl=self.url, ReceiptHandle=flight.receipt, VisibilityTimeout=0)

    def _end_delays(self, now: float) -> None:
        """Run the queue's message delays (DelaySeconds, the queue's or the message's) on the virtual clock: moto
        counts them in wall time, so a delayed message would stay hidden for real minutes. A delayed message is
        found when the pump first looks after it was sent, its delay counted from then (a message is sent by a
        state or a handler that runs at that virtual instant), and is made visible when its delay has passed."""
        from moto.sqs.models import sqs_backends

        queue = sqs_backends[self.pump.world.account][self.pump.world.region].queues.get(self.url.rsplit("/", 1)[1])
        if queue is None:
            return
        wall = time.time() * 1000  # moto's delays end at this wall clock, in milliseconds
        for message in queue._messages:  # (moto keeps no public list of the delayed ones)
            if message.delayed_until <= wall:
                continue
            # Its whole delay, in the whole seconds SQS takes (moto set both instants from one wall clock).
            delay = round((message.delayed_until - (message.sent_timestamp or wall)) / 1000)
            due = self.delayed.setdefault(message.id, now + delay)
            if due <= now:
                message.delayed_until = 0.0
                del self.delayed[message.id]

    def _deliver_batch(self, now: float) -> bool:
        attributes = self._attributes()
        messages: list[dict[str, Any]] = []
        while len(messages) < self.batch_size:
            received = self.sqs.receive_message(
                QueueUrl=self.url,
                MaxNumberOfMessages=min(10, self.batch_size - len(messages)),
                VisibilityTimeout=_HELD_SECONDS,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            if not received:
                break
            messages.extend(received)
        retention = float(attributes["MessageRetentionPeriod"])
        live = []
        for message in messages:
            first = self.first_seen.setdefault(message["MessageId"], now)
            if now - first >= retention:  # kept no longer than the queue keeps a message
                self._forget(message)
            else:
                live.append(message)
        if not live:
            return bool(messages)
        source, function = self.source.logical_id, self.source.target
        event = {"Records": [sqs_record(message, self.arn, self.pump.world.region) for message in live]}
        succeeded, response = self.pump.call(source, function, event, len(live))
        failed_ids: set[str] = {message["MessageId"] for message in live}
        if succeeded:
            failed = batch_item_failures(response, failed_ids) if self.partial else set()
            failed_ids = failed if failed is not None else failed_ids
            if failed is None:
                self.pump.note(source, function, len(live), "failed", "invalid batchItemFailures response")
            else:
                self.pump.note(source, function, len(live), "partial" if failed_ids else "succeeded")
        visible_at = now + float(attributes["VisibilityTimeout"])
        for message in live:
            if message["MessageId"] in failed_ids:
                self.in_flight[message["MessageId"]] = InFlight(message["ReceiptHandle"], visible_at)
            else:
                self._forget(message)
        return True

    def _forget(self, message: dict[str, Any]) -> None:
        self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
        self.first_seen.pop(message["MessageId"], None)
