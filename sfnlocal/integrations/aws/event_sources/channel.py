"""What every event source's delivery has: its source, options, the pump it reports to, and shared helpers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.event_sources import EventPump

# How many batches one source may deliver in one call: a bound, not a pace (deliver is called again).
BATCHES_PER_CALL = 100
_DEFAULTS = {"sqs": 10, "dynamodb": 100}


class EventSourceLike(Protocol):
    """One delivery the application declares (:class:`sfnlocal.templates.resources.EventSource` is one).

    ``kind``: sqs, sns, eventbridge, dynamodb or s3; ``source``: the queue's URL or ARN, the topic's ARN, the rule's
    name (``bus/rule``, or with ``options["EventBusName"]``, or its ARN), the table's stream ARN (or the table's
    name), the bucket's name; ``target``: a function name, or for eventbridge an ARN; ``target_kind``: lambda, sqs,
    sns or states; ``options``: as the template gives them (BatchSize, FilterPolicy, EventPattern, ...). A source
    whose ``moto_delivers`` is true (moto makes that delivery itself) is left to moto.
    """

    @property
    def kind(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def target_kind(self) -> str: ...
    @property
    def options(self) -> Mapping[str, Any]: ...
    @property
    def logical_id(self) -> str: ...


class Channel:
    """One source's delivery: prepared when the pump is made, asked to deliver at each round."""

    def __init__(self, pump: EventPump, source: EventSourceLike, index: int) -> None:
        self.pump = pump
        self.source = source
        self.index = index
        self.options = source.options
        self.enabled = flag(self.options.get("Enabled", True))

    def client(self, service: str) -> Any:
        return self.pump.world.client(service)

    def deliver(self, now: float) -> bool:
        raise NotImplementedError

    def next_due(self) -> float | None:
        return None


def flag(value: Any) -> bool:
    """A template's boolean, which may be text ("false")."""
    return value.strip().lower() != "false" if isinstance(value, str) else bool(value)


def batch_size(options: Mapping[str, Any], kind: str) -> int:
    value = options.get("BatchSize", _DEFAULTS[kind])
    return max(1, int(value))


def queue_url(sqs: Any, queue: str) -> str:
    """A queue's URL from its URL or its ARN (``arn:aws:sqs:<region>:<account>:<name>``)."""
    if not queue.startswith("arn:"):
        return queue
    parts = queue.split(":")
    return sqs.get_queue_url(QueueName=parts[5], QueueOwnerAWSAccountId=parts[4])["QueueUrl"]


def iso_time(instant: float, milliseconds: bool = True) -> str:
    """An instant on the virtual clock as AWS writes it in events (``2024-01-01T00:00:00.000Z``).

    >>> iso_time(0.0), iso_time(1.5, milliseconds=False)
    ('1970-01-01T00:00:00.000Z', '1970-01-01T00:00:01Z')
    """
    moment = datetime.fromtimestamp(max(instant, 0.0), UTC)
    if milliseconds:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
