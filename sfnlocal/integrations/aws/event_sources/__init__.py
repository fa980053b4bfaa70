"""The application's event sources, delivered in the execution's virtual time as AWS delivers them.

A serverless application's pieces talk through the AWS resources its template declares: a ``.waitForTaskToken``
step sends its token to a queue, a function mapped to that queue calls SendTaskSuccess. :class:`EventPump` plays
the part of the AWS services that carry such events to their targets, in the in-process world
(:class:`~sfnlocal.integrations.aws.world.AwsWorld`):

* ``sqs`` → Lambda: an event source mapping. Batches of at most ``BatchSize`` (10) messages, gathered for up to
  ``MaximumBatchingWindowInSeconds`` (0); a batch that fails comes back after the queue's VisibilityTimeout, and
  moto moves a message received ``maxReceiveCount`` times to the queue's dead-letter queue (RedrivePolicy). With
  ``FunctionResponseTypes: [ReportBatchItemFailures]`` the handler's ``batchItemFailures`` alone come back.
  Messages are received with a long visibility timeout on moto's (wall) clock, and made visible again here when the
  queue's timeout has passed on the virtual one. A message older than the queue's MessageRetentionPeriod is gone.
* ``sns`` → Lambda: each message published to the topic (read from moto's topic, filtered by the subscription's
  ``FilterPolicy``) invokes the function asynchronously. SNS's SQS subscriptions are moto's own: not handled here.
* ``eventbridge`` → Lambda, SQS, SNS or Step Functions: the rule's matching events (moto matches ``EventPattern``
  and applies an ``InputTransformer``) reach a relay queue of the pump's (``sfnlocal-relay-*``), which the rule
  targets instead of the declared target; the pump hands each event on (``Input``, ``InputPath`` applied).
* ``dynamodb`` → Lambda: the table's stream records, in order, in batches (``BatchSize``, 100), from
  ``StartingPosition`` (``LATEST`` when the pump starts, or ``TRIM_HORIZON``); a failing batch is retried (with
  ``ReportBatchItemFailures``, from its first failed record) until ``MaximumRetryAttempts`` (-1: until the
  record is 24 hours old), one virtual second later, doubling to at most a minute (sfnlocal's own pace).
* ``s3`` → Lambda: objects created or removed in the bucket since the last delivery (found by listing it),
  matching ``Events`` and the key ``Filter``, as S3's notification records, invoked asynchronously.

Asynchronous invocations (SNS, EventBridge, S3) that fail are tried twice more, one and then two minutes later,
as Lambda does. Everything is delivered in a fixed order (the sources' order, then the records'), so a run
repeats with its seed.

Between an execution and the pump, :meth:`EventPump.on_suspend` is the hook
:class:`~sfnlocal.interpreter.execution.ExecutionOptions` calls when the execution waits on the outside: it
delivers what is due, or lets virtual time pass to the next delivery (a message that becomes visible again).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sfnlocal.integrations.aws.event_sources.channel import Channel, EventSourceLike, queue_url
from sfnlocal.integrations.aws.event_sources.notifications import BucketNotification, TopicSubscription
from sfnlocal.integrations.aws.event_sources.queues import QueueMapping
from sfnlocal.integrations.aws.event_sources.rules import RELAY_PREFIX, RuleTarget
from sfnlocal.integrations.aws.event_sources.streams import StreamMapping

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.world import AwsWorld
    from sfnlocal.interpreter.result import ExecutionResult

# Lambda's asynchronous invocation: two retries, after one minute and then two (Lambda's docs, "Asynchronous
# invocation": "with a one-minute wait between the first two attempts, and two minutes between the second and third").
ASYNC_RETRY_DELAYS = (60.0, 120.0)


@dataclass(frozen=True)
class Delivery:
    """One invocation or hand-over the pump made: which source, to what, how many records, and how it went
    (``succeeded``, ``failed`` with the error's text, ``partial`` when some records of the batch failed)."""

    source: str
    target: str
    records: int
    at: float
    outcome: str
    error: str | None = None


class EventPump:
    """Delivers the events of ``sources`` in ``world`` to their targets, in virtual time.

    ``invoke(function_name, event)`` runs a function with an event and returns its response (raising on a handler
    error); ``start_execution(state_machine_arn, input)`` starts an execution, for EventBridge rules that target a
    state machine. Create the pump once the world holds the sources' resources and before the execution runs: it
    takes its starting points then (stream positions, the topics' messages so far, the relay queues).

    >>> from sfnlocal.integrations.aws.world import AwsWorld
    >>> class Source:  # what a template's SAM ``Events: {Type: SQS}`` gives
    ...     kind, target, target_kind, options, logical_id = "sqs", "consume", "lambda", {}, "Consume.Queue"
    >>> with AwsWorld() as world:
    ...     sqs = world.client("sqs")
    ...     Source.source = sqs.create_queue(QueueName="orders")["QueueUrl"]
    ...     _ = sqs.send_message(QueueUrl=Source.source, MessageBody="o-1")
    ...     seen = []
    ...     pump = EventPump(world, [Source()], lambda name, event: seen.append((name, event["Records"][0]["body"])))
    ...     pump.deliver(0.0), seen, sqs.get_queue_attributes(QueueUrl=Source.source,
    ...         AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    (True, [('consume', 'o-1')], {'ApproximateNumberOfMessages': '0'})
    """

    def __init__(
        self,
        world: AwsWorld,
        sources: Sequence[EventSourceLike],
        invoke: Callable[[str, Any], Any],
        *,
        start_execution: Callable[[str, Any], Any] | None = None,
    ) -> None:
        self.world = world
        self.invoke = invoke
        self.start_execution = start_execution
        self.deliveries: list[Delivery] = []  # everything delivered, in order, for tests and summaries
        self.now = -math.inf  # the pump's clock: the latest instant it was asked to deliver at
        self._async: list[_AsyncCall] = []
        self._sequence = 0
        # A delivery moto makes itself once the resources are provisioned (an SNS subscription of a queue, a rule's
        # queue target: ``moto_delivers``) is not made twice.
        self._channels: list[Channel] = [
            _channel(self, source, index)
            for index, source in enumerate(sources)
            if not getattr(source, "moto_delivers", False)
        ]

    # The pump's own clock and ledger ----------------------------------------------------------------------

    def deliver(self, clock: float) -> bool:
        """Deliver what is due at ``clock`` (the execution's virtual time, never going back); True if anything was.

        Each source delivers its due batches in the sources' order, then the asynchronous invocations due (those
        just made and the retries of failed ones) run in the order they were made.
        """
        self.now = max(self.now, clock)
        delivered = False
        for channel in self._channels:
            if channel.enabled:
                delivered = channel.deliver(self.now) or delivered
        return self._run_async() or delivered

    def next_due(self) -> float | None:
        """When something next becomes due (a message visible again, a batching window's end, a retry), or None."""
        dues = [
            due for channel in self._channels if channel.enabled for due in (channel.next_due(),) if due is not None
        ]
        dues.extend(call.due for call in self._async)
        return min(dues, default=None)

    def on_suspend(self, result: ExecutionResult) -> bool:
        """The hook for :class:`~sfnlocal.interpreter.execution.ExecutionOptions` ``on_suspend``: deliver what is due
        at the execution's clock; when nothing is, let its virtual time pass to the next delivery and make it. False
        when nothing is left to deliver (the execution then stays waiting, or stays ended)."""
        if self.deliver(result.clock):
            return True
        due = self.next_due()
        if due is None:
            return False
        # While the execution waits, its clock moves to the delivery (its own timers due before it fire first); once
        # it has ended its clock stands still, and the application's time goes on in the pump's alone.
        result.advance(max(0.0, due - result.clock))
        return self.deliver(max(due, result.clock))

    def call_async(self, source: str, function: str, event: Any) -> None:
        """Invoke ``function`` asynchronously (as SNS, EventBridge and S3 invoke Lambda): at the pump's next round,
        then retried as Lambda retries."""
        self._sequence += 1
        self._async.append(_AsyncCall(self.now, self._sequence, source, function, event))

    def call(self, source: str, function: str, event: Any, records: int) -> tuple[bool, Any]:
        """Invoke ``function`` now: ``(True, response)``, or ``(False, None)`` for a handler that failed (noted)."""
        try:
            response = self.invoke(function, event)
        except Exception as error:  # a handler's failure, or a function the application cannot run: noted
            self.note(source, function, records, "failed", f"{type(error).__name__}: {error}")
            return False, None
        return True, response

    def note(self, source: str, target: str, records: int, outcome: str, error: str | None = None) -> None:
        """Record one delivery (see :class:`Delivery`)."""
        self.deliveries.append(Delivery(source, target, records, self.now, outcome, error))

    def _run_async(self) -> bool:
        due = sorted((call for call in self._async if call.due <= self.now), key=lambda call: (call.due, call.order))
        if not due:
            return False
        self._async = [call for call in self._async if call.due > self.now]
        for call in due:
            succeeded, _ = self.call(call.source, call.function, call.event, 1)
            if succeeded:
                self.note(call.source, call.function, 1, "succeeded")
            elif call.attempt < len(ASYNC_RETRY_DELAYS):
                self._sequence += 1
                delay = ASYNC_RETRY_DELAYS[call.attempt]
                retry = _AsyncCall(self.now + delay, self._sequence, call.source, call.function, call.event)
                retry.attempt = call.attempt + 1
                self._async.append(retry)
        return True


@dataclass
class _AsyncCall:
    due: float
    order: int
    source: str
    function: str
    event: Any
    attempt: int = 0


def _channel(pump: EventPump, source: EventSourceLike, index: int) -> Channel:
    kinds: dict[str, type[Channel]] = {
        "sqs": QueueMapping,
        "sns": TopicSubscription,
        "eventbridge": RuleTarget,
        "dynamodb": StreamMapping,
        "s3": BucketNotification,
    }
    channel = kinds.get(source.kind)
    if channel is None:
        raise ValueError(
            f"{source.logical_id}: sfnlocal delivers no '{source.kind}' event source "
            f"(it delivers {', '.join(sorted(kinds))}); mock the task its target would have answered instead"
        )
    if source.kind != "eventbridge" and source.target_kind != "lambda":
        raise ValueError(
            f"{source.logical_id}: a '{source.kind}' event source delivers to a Lambda function here, not to "
            f"'{source.target_kind}' (moto delivers an SNS topic's or a bucket's queues itself: moto_delivers)"
        )
    return channel(pump, source, index)


__all__ = ["ASYNC_RETRY_DELAYS", "RELAY_PREFIX", "Delivery", "EventPump", "EventSourceLike", "queue_url"]
