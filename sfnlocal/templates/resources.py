"""A template's resources, to create in the in-process AWS world, and the deliveries its event sources declare.

:func:`application_from_template` reads a SAM, CloudFormation or CDK (``cdk.out``) template and returns an
:class:`Application`:

* ``resources``: what :meth:`Application.provision` creates in an
  :class:`~sfnlocal.integrations.aws.world.AwsWorld`, named exactly as the template's ``!Ref``, ``!GetAtt``
  and ``!Sub`` name them in the definitions and the functions' environment (the names
  :class:`~sfnlocal.templates.definitions.Resolver` gives), in an order where a resource comes after those it
  refers to (a queue after its dead-letter queue): SQS queues, SNS topics and subscriptions, DynamoDB tables
  (``AWS::Serverless::SimpleTable`` too), S3 buckets, EventBridge buses and rules, Secrets Manager secrets,
  SSM parameters, and the template's other state machines (registered, so that a ``states:startExecution``
  task finds them);
* ``event_sources``: each delivery the application declares (:class:`EventSource`), from SAM's ``Events:``
  of functions and state machines and from the long-hand resources (``AWS::Lambda::EventSourceMapping``, an
  ``AWS::SNS::Subscription`` or a topic's ``Subscription``, an ``AWS::Events::Rule``'s ``Targets``, a bucket's
  ``NotificationConfiguration``), for the event pump to deliver;
* ``unsupported``: the resources and events sfnlocal cannot create or deliver, each listed once with how to
  stand in for it. Roles, policies, permissions, log groups, layers and the functions themselves need nothing
  in the world and are left out quietly.

A resource whose ``Condition`` is false is not created. Parameters take their ``Default`` or the value
given in ``substitutions`` (as for :func:`~sfnlocal.templates.load_template`); a resource that needs a
parameter without either is a :class:`~sfnlocal.templates.TemplateError` naming the parameter.

>>> from pathlib import Path
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "template.yaml").write_text('''
... Resources:
...   Requests:
...     Type: AWS::SQS::Queue
...     Properties:
...       RedrivePolicy: {deadLetterTargetArn: !GetAtt Parked.Arn, maxReceiveCount: 3}
...   Parked:
...     Type: AWS::SQS::Queue
...   Worker:
...     Type: AWS::Serverless::Function
...     Properties:
...       Handler: app.handler
...       InlineCode: "def handler(event, context): return None"
...       Events:
...         Work: {Type: SQS, Properties: {Queue: !GetAtt Requests.Arn, BatchSize: 5}}
... ''')
>>> application = application_from_template(folder / "template.yaml")
>>> [resource.name for resource in application.resources]
['Parked', 'Requests']
>>> source = application.event_sources[0]
>>> source.kind, source.source, source.target, dict(source.options)
('sqs', 'arn:aws:sqs:us-east-1:123456789012:Requests', 'Worker', {'BatchSize': 5})
>>> from sfnlocal.integrations.aws.world import AwsWorld
>>> with AwsWorld() as world:
...     application.provision(world)
...     sorted(world.client("sqs").list_queues()["QueueUrls"])
['https://sqs.us-east-1.amazonaws.com/123456789012/Parked', 'https://sqs.us-east-1.amazonaws.com/123456789012/Requests']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.world import AwsWorld
    from sfnlocal.interpreter.machine import Machine

EVENT_SOURCE_KINDS = ("sqs", "sns", "eventbridge", "dynamodb", "s3")
TARGET_KINDS = ("lambda", "sqs", "sns", "states")


@dataclass(frozen=True)
class EventSource:
    """One delivery the application declares, for the event pump.

    * ``kind``: ``"sqs"`` (``source`` is the queue's ARN), ``"sns"`` (the topic's ARN), ``"eventbridge"``
      (the rule's name; ``options["EventBusName"]`` is its bus, ``"default"`` unless the template names one,
      and ``options["EventPattern"]`` its pattern as an object), ``"dynamodb"`` (the stream's ARN as the
      template gives it; ``options["TableName"]`` names the table when it is one of the template's, whose
      stream moto labels with a time of its own) or ``"s3"`` (the bucket's name);
    * ``target``: a Lambda function's name, as ``StateMachine.functions`` keys it, for ``target_kind``
      ``"lambda"``; otherwise the ARN of an SQS queue (``"sqs"``), an SNS topic (``"sns"``) or a state machine
      (``"states"``);
    * ``options``: the source's settings as the template gives them, resolved (``BatchSize``,
      ``MaximumBatchingWindowInSeconds``, ``FunctionResponseTypes``, ``FilterPolicy``, ``StartingPosition``,
      ``Enabled``, a target's ``Input``/``InputPath``/``InputTransformer``, an S3 notification's ``Events`` and
      ``Filter``, ...); AWS's defaults are the pump's to apply;
    * ``logical_id``: where it is declared: ``"Function.EventName"`` for SAM's ``Events:``, else the resource;
    * ``moto_delivers``: moto itself delivers it once the resources are provisioned (an SNS subscription of a
      queue, an EventBridge rule's queue target, a bucket's queue or topic notification): the pump must not
      deliver it again. It is listed so that the application's wiring reads in one place.

    >>> EventSource("sqs", "arn:aws:sqs:us-east-1:123456789012:jobs", "Worker", "lambda", {}, "Worker.Jobs")
    ... # doctest: +ELLIPSIS
    EventSource(kind='sqs', source='arn:aws:sqs:us-east-1:123456789012:jobs', target='Worker', ...)
    """

    kind: str
    source: str
    target: str
    target_kind: str
    options: Mapping[str, Any]
    logical_id: str
    moto_delivers: bool = False


@dataclass(frozen=True)
class Resource:
    """One resource :meth:`Application.provision` creates: its CloudFormation ``type``, its ``name`` (the
    physical name the template's ``Ref``/``GetAtt`` give), its ``arn`` and its ``properties`` with every
    intrinsic function resolved (for a state machine, ``Definition`` is the definition as loaded).

    >>> Resource("Orders", "AWS::SNS::Topic", "Orders", "arn:aws:sns:us-east-1:123456789012:Orders", {}).name
    'Orders'
    """

    logical_id: str
    type: str
    name: str
    arn: str
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class Application:
    """A template's resources, event sources and what sfnlocal stands in for (see the module docstring).

    ``region`` and ``account`` are the ones the template resolves to (its ``AWS::Region`` and
    ``AWS::AccountId``, ``us-east-1`` and ``123456789012`` unless given as substitutions): the resources are
    created there, whatever region the world's own clients use, so that their ARNs and URLs are the ones the
    definitions hold.
    """

    template: Path
    resources: tuple[Resource, ...]
    event_sources: tuple[EventSource, ...]
    unsupported: tuple[tuple[str, str, str], ...]
    region: str = "us-east-1"
    account: str = "123456789012"
    # The state machines registered for this application, made once (see provision); not part of its value.
    _machines: dict[str, Machine] = field(default_factory=dict, compare=False, repr=False)

    def provision(self, world: AwsWorld) -> None:
        """Create every resource in ``world`` (starting it if needed) and register the other state machines.

        Idempotent for one world: a resource that exists already is left as it is (with what a test put in
        it), so a second call changes nothing. A request moto refuses is a
        :class:`~sfnlocal.templates.TemplateError` naming the resource.

        >>> from sfnlocal.integrations.aws.world import AwsWorld
        >>> empty = Application(Path("template.yaml"), (), (), ())
        >>> with AwsWorld() as world:
        ...     empty.provision(world)
        """
        from sfnlocal.templates.provisioning import provision

        provision(self, world, self._machines)

    def summary(self) -> str:
        """What the application holds, one line per resource, event source and stand-in, for a message or a log.

        >>> print(Application(Path("t.yaml"), (), (), (("Api", "AWS::Serverless::Api", "mock it"),)).summary())
        t.yaml: 0 resources, 0 event sources
          not created: Api (AWS::Serverless::Api): mock it
        """
        lines = [f"{self.template}: {len(self.resources)} resources, {len(self.event_sources)} event sources"]
        lines += [f"  {resource.type} {resource.name}" for resource in self.resources]
        lines += [
            f"  {source.kind} {source.source} -> {source.target_kind} {source.target} ({source.logical_id}"
            + (", moto delivers)" if source.moto_delivers else ")")
            for source in self.event_sources
        ]
        lines += [f"  not created: {logical} ({kind}): {advice}" for logical, kind, advice in self.unsupported]
        return "\n".join(lines)


def application_from_template(
    path: str | Path,
    substitutions: Mapping[str, Any] | None = None,
    *,
    allow_outside_folder: bool = False,
    loaded: str | None = None,
) -> Application:
    """The application a template declares (see the module docstring).

    ``loaded`` is the logical id of the state machine the caller loads itself
    (``StateMachine.from_template``): it is not registered again, but its ``Events:`` are read. A
    ``DefinitionUri`` of another state machine is read only from the template's folder tree, unless
    ``allow_outside_folder=True``. Raises :class:`~sfnlocal.templates.TemplateError` for a file that is no
    template, an intrinsic function that cannot be resolved, or a resource that needs a parameter without a
    value.
    """
    from sfnlocal.templates.application_reading import read_application

    return read_application(Path(path), dict(substitutions or {}), allow_outside_folder, loaded)


def frozen(value: Any) -> Mapping[str, Any]:
    """A read-only view of a mapping of options or properties.

    >>> frozen({"BatchSize": 5})["BatchSize"]
    5
    """
    return MappingProxyType(dict(value))
