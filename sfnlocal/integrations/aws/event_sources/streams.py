"""DynamoDB stream event source mappings: a table's change records in order, a failing batch retried."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.integrations.aws.event_sources.channel import (
    BATCHES_PER_CALL,
    Channel,
    EventSourceLike,
    batch_size,
)
from sfnlocal.integrations.aws.event_sources.records import batch_item_failures, dynamodb_record

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.event_sources import EventPump

# A DynamoDB stream keeps a record for 24 hours.
STREAM_RECORD_AGE = 86_400.0


class StreamMapping(Channel):
    """A DynamoDB stream's event source mapping: records in order, a failing batch retried (see the module's docs)."""

    def __init__(self, pump: EventPump, source: EventSourceLike, index: int) -> None:
        super().__init__(pump, source, index)
        self.streams = self.client("dynamodbstreams")
        self.stream_arn = self._stream_arn(source.source)
        self.shard = self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]["Shards"][0][
            "ShardId"
        ]
        self.batch_size = batch_size(self.options, "dynamodb")
        self.partial = "ReportBatchItemFailures" in (self.options.get("FunctionResponseTypes") or ())
        self.max_attempts = int(self.options.get("MaximumRetryAttempts", -1))
        self.after: str | None = None  # the last sequence number handled
        self.pending: list[dict[str, Any]] = []  # records read, not yet handled
        self.first_read: dict[str, float] = {}
        self.retry_at: float | None = None
        self.failures = 0
        if str(self.options.get("StartingPosition", "LATEST")).upper() == "LATEST":
            self.pending, self.after = [], self._latest()

    def _stream_arn(self, source: str) -> str:
        """The stream's ARN in the world: the table's latest stream when ``options["TableName"]`` names it (moto
        labels a stream with a time of its own, so a template's ARN for it may not be moto's), else ``source``."""
        table = self.options.get("TableName")
        if table is None:
            if ":table/" in source and "/stream/" in source:
                return source
            table = source.rsplit("/", 1)[-1]
        description = self.client("dynamodb").describe_table(TableName=table)["Table"]
        arn = description.get("LatestStreamArn")
        if arn is None:
            raise ValueError(f"{self.source.logical_id}: the table '{table}' has no stream (StreamSpecification)")
        return str(arn)

    def _read(self) -> list[dict[str, Any]]:
        if self.after is None:
            iterator = self.streams.get_shard_iterator(
                StreamArn=self.stream_arn, ShardId=self.shard, ShardIteratorType="TRIM_HORIZON"
            )
        else:
            iterator = self.streams.get_shard_iterator(
                StreamArn=self.stream_arn,
                ShardId=self.shard,
                ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                SequenceNumber=self.after,
            )
        return list(self.streams.get_records(ShardIterator=iterator["ShardIterator"]).get("Records", []))

    def _latest(self) -> str | None:
        records = self._read()
        return records[-1]["dynamodb"]["SequenceNumber"] if records else None

    def next_due(self) -> float | None:
        return self.retry_at

    def deliver(self, now: float) -> bool:
        if self.retry_at is not None and now < self.retry_at:
            return False
        delivered = False
        for _ in range(BATCHES_PER_CALL):
            if not self.pending:
                self.pending = self._read()
            for record in self.pending:
                self.first_read.setdefault(record["eventID"], now)
            # A record older than the stream keeps one is gone (MaximumRetryAttempts -1 retries until then).
            while self.pending and now - self.first_read[self.pending[0]["eventID"]] >= STREAM_RECORD_AGE:
                self._handled(self.pending.pop(0))
            if not self.pending:
                break
            batch = self.pending[: self.batch_size]
            delivered = True
            if not self._deliver_batch(batch, now):
                break
        return delivered

    def _deliver_batch(self, batch: list[dict[str, Any]], now: float) -> bool:
        """Deliver one batch; True when the stream moved on past it."""
        source, function = self.source.logical_id, self.source.target
        event = {"Records": [dynamodb_record(record, self.stream_arn) for record in batch]}
        succeeded, response = self.pump.call(source, function, event, len(batch))
        numbers = [record["dynamodb"]["SequenceNumber"] for record in batch]
        first_failed: int | None = 0
        if succeeded:
            failed = batch_item_failures(response, set(numbers)) if self.partial else set()
            if failed is None:
                self.pump.note(source, function, len(batch), "failed", "invalid batchItemFailures response")
            else:
                # The stream resumes from the earliest failed record (AWS's checkpoint for a stream).
                first_failed = min((numbers.index(number) for number in failed), default=None)
                self.pump.note(source, function, len(batch), "partial" if failed else "succeeded")
        done = batch if first_failed is None else batch[:first_failed]
        for _ in done:
            self._handled(self.pending.pop(0))
        if first_failed is None:
            self.failures, self.retry_at = 0, None
            return True
        self.failures += 1
        if 0 <= self.max_attempts < self.failures:  # retried as often as allowed: the batch is dropped
            for _ in batch[first_failed:]:
                self._handled(self.pending.pop(0))
            self.failures, self.retry_at = 0, None
            return True
        self.retry_at = now + min(60.0, 2.0 ** (self.failures - 1))
        return False

    def _handled(self, record: dict[str, Any]) -> None:
        self.after = record["dynamodb"]["SequenceNumber"]
        self.first_read.pop(record["eventID"], None)
