"""Reading an :class:`~sfnlocal.templates.resources.Application` out of a template: which resources to create,
with which names and properties, which deliveries the template declares, and what sfnlocal stands in for.

The SAM shorthand (``Events:`` of a function or state machine) becomes what SAM's transform makes of it: an
EventBridge rule named ``RuleName`` or ``<Function><EventName>`` (the logical id SAM gives it), a queue
``<Function><EventName>Queue`` for an SNS event's ``SqsSubscription: true``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sfnlocal.templates.definitions import (
    STATE_MACHINE_TYPES,
    Resolver,
    TemplateError,
    load_template,
    read_template_file,
    shape,
)
from sfnlocal.templates.resources import Application, EventSource, Resource, frozen

QUEUE, TOPIC, SUBSCRIPTION = "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::SNS::Subscription"
TABLE, GLOBAL_TABLE, SIMPLE_TABLE = "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::Serverless::SimpleTable"
BUCKET, BUS, RULE = "AWS::S3::Bucket", "AWS::Events::EventBus", "AWS::Events::Rule"
SECRET, PARAMETER = "AWS::SecretsManager::Secret", "AWS::SSM::Parameter"
SERVERLESS_FUNCTION, EVENT_SOURCE_MAPPING = "AWS::Serverless::Function", "AWS::Lambda::EventSourceMapping"
SERVERLESS_STATE_MACHINE = "AWS::Serverless::StateMachine"
TABLES = (TABLE, GLOBAL_TABLE, SIMPLE_TABLE)

# Resources that need nothing in the world for a workflow to run: permissions, policies, logs, the code itself.
_QUIET = re.compile(
    r"AWS::IAM::.*|AWS::Lambda::(Permission|Function|Version|Alias|LayerVersion|LayerVersionPermission|"
    r"EventInvokeConfig)|AWS::Serverless::(LayerVersion|Function)|AWS::Logs::LogGroup|"
    r"AWS::SQS::Queue(Inline)?Policy|AWS::SNS::Topic(Inline)?Policy|AWS::S3::BucketPolicy|"
    r"AWS::Events::EventBusPolicy|AWS::CDK::Metadata|AWS::CloudFormation::(WaitConditionHandle|Interface)|"
    # An activity needs nothing created: its task waits for a worker (or a test) to answer, as in AWS.
    r"AWS::StepFunctions::Activity"
)
# Subscriptions moto keeps and, for sqs, delivers; a lambda subscription is the pump's (moto would invoke its own
# Lambda, which has no such function, and fail the Publish).
_MOTO_PROTOCOLS = ("sqs", "email", "email-json", "sms")
_LAMBDA_ARN = re.compile(r"(?:arn:[^:]+:lambda:[^:]*:[^:]*:function:|^[0-9]{12}:function:)?([^:]+)(?::[^:]+)?$")
_NO_SCHEDULE = (
    "sfnlocal runs no schedule: start the execution (or call the function) yourself with the event the "
    "schedule would send"
)
_HTTP_EVENTS = ("Api", "HttpApi", "AWS::Lambda::Url")
_HTTP_TYPES = ("AWS::ApiGateway", "AWS::Serverless::Api", "AWS::Serverless::HttpApi")
# SAM event types and event source mapping services sfnlocal has no delivery for.
_STREAM_EVENTS = ("Kinesis", "kinesis", "MSK", "kafka", "MQ", "mq", "SelfManagedKafka", "DocumentDB", "CloudWatchLogs")
_NO_HTTP = "sfnlocal serves no HTTP API: start the execution (or call the function) with the input the API passes"


def read_application(file: Path, given: dict[str, Any], allow_outside_folder: bool, loaded: str | None) -> Application:
    """The application of the template at ``file`` (see :func:`~sfnlocal.templates.application_from_template`)."""
    _, template = read_template_file(file)
    if template is None:
        raise TemplateError(f"{file} is not a SAM or CloudFormation template: it has no Resources section")
    reader = _Reader(file, template, given, allow_outside_folder, loaded)
    reader.read()
    return Application(
        template=file,
        resources=tuple(_in_dependency_order(reader.resources, reader.dependencies)),
        event_sources=tuple(reader.sources),
        unsupported=tuple(reader.unsupported.values()),
        region=reader.region,
        account=reader.account,
    )


def function_name(value: Any) -> str:
    """The function a ``FunctionName`` (a name, a partial or full ARN, with or without a qualifier) names.

    >>> function_name("arn:aws:lambda:us-east-1:123456789012:function:charge:live")
    'charge'
    >>> function_name("123456789012:function:charge"), function_name("charge:live"), function_name("charge")
    ('charge', 'charge', 'charge')
    """
    text = str(value)
    match = _LAMBDA_ARN.search(text)
    return match.group(1) if match else text


def _in_dependency_order(resources: list[Resource], dependencies: dict[str, set[str]]) -> Iterator[Resource]:
    """The resources, each after those it refers to, otherwise in the template's order (a cycle, which
    CloudFormation refuses, is broken at the earliest resource of it)."""
    waiting = {resource.logical_id: resource for resource in resources}
    while waiting:
        ready = next(
            (logical for logical in waiting if not (dependencies.get(logical, set()) & waiting.keys() - {logical})),
            next(iter(waiting)),
        )
        yield waiting.pop(ready)


class _Reader:
    """One pass over the template's resources, collecting what :class:`Application` holds."""

    def __init__(
        self, file: Path, template: dict[str, Any], given: dict[str, Any], allow_outside: bool, loaded: str | None
    ) -> None:
        self.file = file
        self.given = given
        self.allow_outside = allow_outside
        self.loaded = loaded
        self.resolver = Resolver(template, given)
        self.region = str(self.resolver.ref("AWS::Region"))
        self.account = str(self.resolver.ref("AWS::AccountId"))
        self.unvalued = [
            name
            for name, parameter in self.resolver.parameters.items()
            if name not in given and not (isinstance(parameter, dict) and "Default" in parameter)
        ]
        self.resources: list[Resource] = []
        self.dependencies: dict[str, set[str]] = {}
        self.sources: list[EventSource] = []
        self.unsupported: dict[str, tuple[str, str, str]] = {}
        self.readers: dict[str, Callable[[str, dict[str, Any]], None]] = {
            QUEUE: self.queue,
            TOPIC: self.topic,
            SUBSCRIPTION: self.subscription,
            **dict.fromkeys(TABLES, self.table),
            BUCKET: self.bucket,
            BUS: self.bus,
            RULE: self.rule,
            SECRET: self.plain,
            PARAMETER: self.plain,
            EVENT_SOURCE_MAPPING: self.event_source_mapping,
            **dict.fromkeys(STATE_MACHINE_TYPES, self.state_machine),
            SERVERLESS_FUNCTION: self.function,
        }

    # The pass ------------------------------------------------------------------------------------

    def read(self) -> None:
        for logical, resource in self.resolver.resources.items():
            if not isinstance(resource, dict):
                continue
            kind = self.resolver.kind_of(logical)
            self.resolver.where = f"{self.file}#{logical}"
            if "Condition" in resource and not self.resolver.condition(resource["Condition"]):
                continue  # CloudFormation does not create it
            reader = self.readers.get(kind)
            if reader is not None:
                properties = resource.get("Properties")
                reader(logical, properties if isinstance(properties, dict) else {})
            elif not _QUIET.fullmatch(kind):
                self.stand_in(logical, kind, _advice(kind))

    def value(self, node: Any, what: str) -> Any:
        """``node`` resolved; a parameter without a value in it is an error naming the parameter."""
        resolved = self.resolver.value(node)
        text = json.dumps(resolved, default=str)
        missing = [name for name in self.unvalued if f"<{name}>" in text]
        if missing:
            raise TemplateError(
                f"{self.resolver.where}: its {what} needs the parameter {missing[0]}, which has no Default; "
                f"pass substitutions={{{missing[0]!r}: ...}}"
            )
        return resolved

    def add(self, logical: str, kind: str, name: str, arn: str, properties: dict[str, Any], node: Any) -> None:
        """A resource to create, which refers to the resources ``node`` (its template entry) names."""
        self.resources.append(Resource(logical, kind, name, arn, frozen(properties)))
        self.dependencies[logical] = set(_references(node)) & self.resolver.resources.keys() | self._depends_on(logical)

    def _depends_on(self, logical: str) -> set[str]:
        resource = self.resolver.resources.get(logical)
        depends = resource.get("DependsOn") if isinstance(resource, dict) else None
        return {depends} if isinstance(depends, str) else set(depends) if isinstance(depends, list) else set()

    def source(
        self, kind: str, source: Any, target: str, target_kind: str, options: dict[str, Any], logical: str
    ) -> None:
        moto_delivers = target_kind in ("sqs", "sns") and kind in ("sns", "eventbridge", "s3")
        if kind == "eventbridge" and target_kind == "sns":
            moto_delivers = False  # moto's rules deliver to queues (and log groups, buses) only
        self.sources.append(
            EventSource(kind, str(source), target, target_kind, frozen(options), logical, moto_delivers)
        )

    def stand_in(self, logical: str, kind: str, advice: str) -> None:
        self.unsupported.setdefault(logical, (logical, kind, advice))

    def name(self, logical: str, properties: dict[str, Any], fifo_flag: str | None = None) -> str:
        name = self.value(self.resolver.name_of(logical), "name")
        # CloudFormation ends a FIFO queue's or topic's generated name with .fifo, as SQS and SNS require.
        if fifo_flag and _true(self.resolver.value(properties.get(fifo_flag))) and not name.endswith(".fifo"):
            name += ".fifo"
        return str(name)

    def arn(self, logical: str) -> str:
        return str(self.resolver.get_att([logical, "Arn"]))

    # Resources -----------------------------------------------------------------------------------

    def queue(self, logical: str, properties: dict[str, Any]) -> None:
        name = self.name(logical, properties, "FifoQueue")
        arn = f"arn:aws:sqs:{self.region}:{self.account}:{name}"
        self.add(logical, QUEUE, name, arn, self.value(properties, "properties"), properties)

    def topic(self, logical: str, properties: dict[str, Any]) -> None:
        name = self.name(logical, properties, "FifoTopic")
        arn = f"arn:aws:sns:{self.region}:{self.account}:{name}"
        resolved = self.value(properties, "properties")
        subscriptions = resolved.get("Subscription") or []
        if not isinstance(subscriptions, list):
            raise TemplateError(f"{self.resolver.where}: Subscription must be a list, not {shape(subscriptions)}")
        kept = []
        for index, subscription in enumerate(subscriptions):
            if not isinstance(subscription, dict):
                raise TemplateError(f"{self.resolver.where}: Subscription[{index}] must be an object")
            protocol, endpoint = str(subscription.get("Protocol", "")), subscription.get("Endpoint")
            if self.subscribed(f"{logical}.Subscription[{index}]", arn, protocol, endpoint, {}):
                kept.append(subscription)
        self.add(logical, TOPIC, name, arn, {**resolved, "Subscription": kept}, properties)

    def subscription(self, logical: str, properties: dict[str, Any]) -> None:
        resolved = self.value(properties, "properties")
        topic, protocol = resolved.get("TopicArn"), str(resolved.get("Protocol", ""))
        options = {key: value for key, value in resolved.items() if key not in ("TopicArn", "Protocol", "Endpoint")}
        if self.subscribed(logical, topic, protocol, resolved.get("Endpoint"), options):
            self.add(logical, SUBSCRIPTION, logical, "", resolved, properties)

    def subscribed(self, logical: str, topic: Any, protocol: str, endpoint: Any, options: dict[str, Any]) -> bool:
        """Record an SNS subscription's delivery; whether moto keeps the subscription itself."""
        if protocol == "lambda":
            self.source("sns", topic, function_name(endpoint), "lambda", options, logical)
            return False
        if protocol == "sqs":
            self.source("sns", topic, str(endpoint), "sqs", options, logical)
        if protocol not in _MOTO_PROTOCOLS:
            self.stand_in(
                logical,
                f"SNS subscription ({protocol or 'no protocol'})",
                "sfnlocal delivers an SNS topic to queues and functions only: read what was published from a "
                "queue subscribed to the topic instead",
            )
            return False
        return True

    def table(self, logical: str, properties: dict[str, Any]) -> None:
        kind = self.resolver.kind_of(logical)
        name = self.name(logical, properties)
        self.add(logical, kind, name, self.arn(logical), self.value(properties, "properties"), properties)

    def bucket(self, logical: str, properties: dict[str, Any]) -> None:
        name = self.name(logical, properties)
        resolved = self.value(properties, "properties")
        notifications = resolved.get("NotificationConfiguration")
        notifications = notifications if isinstance(notifications, dict) else {}
        for key, target_key, target_kind in (
            ("LambdaConfigurations", "Function", "lambda"),
            ("QueueConfigurations", "Queue", "sqs"),
            ("TopicConfigurations", "Topic", "sns"),
        ):
            for index, configuration in enumerate(notifications.get(key) or []):
                if not isinstance(configuration, dict):
                    continue
                target = configuration.get(target_key)
                target = function_name(target) if target_kind == "lambda" else str(target)
                options = {"Events": [configuration.get("Event")], "Filter": configuration.get("Filter")}
                options = {key: value for key, value in options.items() if value not in (None, [None])}
                self.source("s3", name, target, target_kind, options, f"{logical}.{key}[{index}]")
        self.add(logical, BUCKET, name, f"arn:aws:s3:::{name}", resolved, properties)

    def bus(self, logical: str, properties: dict[str, Any]) -> None:
        name = self.name(logical, properties)
        self.add(logical, BUS, name, self.arn(logical), self.value(properties, "properties"), properties)

    def rule(self, logical: str, properties: dict[str, Any]) -> None:
        resolved = self.value(properties, "properties")
        if "EventPattern" not in resolved:
            self.stand_in(logical, RULE + " (schedule)", _NO_SCHEDULE)
            return
        name = self.name(logical, properties)
        pattern = _pattern(resolved["EventPattern"], self.resolver.where)
        bus = _bus_name(resolved.get("EventBusName"))
        rule_options = {"EventBusName": bus, "EventPattern": pattern}
        if "State" in resolved:
            rule_options["State"] = resolved["State"]
        for index, target in enumerate(resolved.get("Targets") or []):
            if isinstance(target, dict):
                self.rule_target(f"{logical}.Targets[{index}]", name, target, rule_options)
        arn = f"arn:aws:events:{self.region}:{self.account}:rule/{'' if bus == 'default' else bus + '/'}{name}"
        self.add(logical, RULE, name, arn, {**resolved, "EventPattern": pattern, "EventBusName": bus}, properties)

    def rule_target(self, where: str, rule: str, target: dict[str, Any], rule_options: dict[str, Any]) -> None:
        arn = str(target.get("Arn", ""))
        service = arn.split(":")[2] if arn.count(":") >= 5 else ""
        options = {**rule_options, **{key: value for key, value in target.items() if key != "Arn"}}
        if service == "lambda":
            self.source("eventbridge", rule, function_name(arn), "lambda", options, where)
        elif service in ("sqs", "sns", "states"):
            self.source("eventbridge", rule, arn, service, options, where)
        elif service not in ("logs", "events"):  # moto delivers to log groups and buses itself
            self.stand_in(
                where,
                f"EventBridge target ({service or shape(arn)})",
                "sfnlocal delivers rules to functions, queues, topics and state machines only: mock the "
                "tasks that use what this target would do",
            )

    def plain(self, logical: str, properties: dict[str, Any]) -> None:
        """A secret or a parameter: created from its properties alone."""
        kind = self.resolver.kind_of(logical)
        name = self.name(logical, properties)
        service = "secretsmanager" if kind == SECRET else "ssm"
        arn = f"arn:aws:{service}:{self.region}:{self.account}:" + (
            f"secret:{name}" if kind == SECRET else f"parameter/{name.lstrip('/')}"
        )
        self.add(logical, kind, name, arn, self.value(properties, "properties"), properties)

    def state_machine(self, logical: str, properties: dict[str, Any]) -> None:
        kind = self.resolver.kind_of(logical)
        if kind == SERVERLESS_STATE_MACHINE:
            self.sam_events(logical, properties, "states", self.arn(logical))
        if logical == self.loaded:
            return
        definition = load_template(self.file, logical, self.given, allow_outside_folder=self.allow_outside)[logical]
        self.resolver.where = f"{self.file}#{logical}"  # load_template's own resolver named it; keep ours
        machine_type = self.resolver.value(
            properties.get("Type" if kind == SERVERLESS_STATE_MACHINE else "StateMachineType")
        )
        resolved = {"Definition": definition, "Type": machine_type or "STANDARD"}
        self.add(logical, kind, self.name(logical, properties), self.arn(logical), resolved, properties)

    def function(self, logical: str, properties: dict[str, Any]) -> None:
        self.sam_events(logical, properties, "lambda", str(self.value(self.resolver.name_of(logical), "name")))

    def event_source_mapping(self, logical: str, properties: dict[str, Any]) -> None:
        resolved = self.value(properties, "properties")
        source = str(resolved.get("EventSourceArn", ""))
        service = source.split(":")[2] if source.count(":") >= 5 else ""
        options = {key: value for key, value in resolved.items() if key not in ("EventSourceArn", "FunctionName")}
        target = function_name(resolved.get("FunctionName", ""))
        if service == "sqs":
            self.source("sqs", source, target, "lambda", options, logical)
        elif service == "dynamodb":
            self.source("dynamodb", source, target, "lambda", {**options, **_table_of(source)}, logical)
        else:
            self.stand_in(logical, f"{EVENT_SOURCE_MAPPING} ({service or 'no source'})", _advice(service))

    # SAM's Events --------------------------------------------------------------------------------

    def sam_events(self, owner: str, properties: dict[str, Any], target_kind: str, target: str) -> None:
        events = properties.get("Events")
        if not isinstance(events, dict):
            return
        for event_name, event in events.items():
            where = f"{owner}.{event_name}"
            if not isinstance(event, dict):
                raise TemplateError(f"{self.file}#{owner}: the event {event_name} must be an object")
            kind = str(event.get("Type", ""))
            options = self.value(event.get("Properties") or {}, f"event {event_name}")
            if not isinstance(options, dict):
                raise TemplateError(f"{self.file}#{owner}: the event {event_name}'s Properties must be an object")
            if kind in ("EventBridgeRule", "CloudWatchEvent"):
                self.sam_rule(owner, event_name, event, options, target_kind, target)
            elif target_kind == "lambda" and kind == "SQS":
                self.source("sqs", options.get("Queue"), target, "lambda", _without(options, "Queue"), where)
            elif target_kind == "lambda" and kind == "SNS":
                self.sam_sns(owner, event_name, event, options, target)
            elif target_kind == "lambda" and kind == "DynamoDB":
                stream = str(options.get("Stream"))
                self.source(
                    "dynamodb", stream, target, "lambda", {**_without(options, "Stream"), **_table_of(stream)}, where
                )
            elif target_kind == "lambda" and kind == "S3":
                events_ = options.get("Events")
                s3_options = {
                    **_without(options, "Bucket", "Events"),
                    "Events": events_ if isinstance(events_, list) else [events_],
                }
                self.source("s3", options.get("Bucket"), target, "lambda", s3_options, where)
            else:
                self.stand_in(where, f"SAM event {kind or '(no Type)'}", _advice(kind))

    def sam_rule(
        self, owner: str, event_name: str, event: dict[str, Any], options: dict[str, Any], target_kind: str, target: str
    ) -> None:
        where = f"{owner}.{event_name}"
        if "Pattern" not in options:
            self.stand_in(where, "SAM event EventBridgeRule (no Pattern)", "a rule needs a Pattern: add one")
            return
        name = str(options.get("RuleName") or f"{owner}{event_name}")[:64]
        pattern = _pattern(options["Pattern"], where)
        bus = _bus_name(options.get("EventBusName"))
        rule_options = {"EventBusName": bus, "EventPattern": pattern, **_without(options, "Pattern", "EventBusName")}
        self.source("eventbridge", name, target, target_kind, rule_options, where)
        state = options.get("State") or ("DISABLED" if options.get("Enabled") is False else "ENABLED")
        logical = f"{owner}{event_name}"
        properties: dict[str, Any] = {
            "Name": name,
            "EventPattern": pattern,
            "EventBusName": bus,
            "State": state,
            "Targets": [],
        }
        arn = f"arn:aws:events:{self.region}:{self.account}:rule/{'' if bus == 'default' else bus + '/'}{name}"
        self.add(logical, RULE, name, arn, properties, event)

    def sam_sns(self, owner: str, event_name: str, event: dict[str, Any], options: dict[str, Any], target: str) -> None:
        where = f"{owner}.{event_name}"
        topic = str(options.get("Topic"))
        sqs = options.get("SqsSubscription")
        filters: dict[str, Any] = {key: options[key] for key in ("FilterPolicy", "FilterPolicyScope") if key in options}
        if not sqs:
            self.source("sns", topic, target, "lambda", _without(options, "Topic"), where)
            return
        # SAM puts a queue between the topic and the function: the topic delivers to it, the function reads it.
        settings = sqs if isinstance(sqs, dict) else {}
        queue_arn = settings.get("QueueArn")
        if queue_arn is None:
            queue = f"{owner}{event_name}Queue"
            queue_arn = f"arn:aws:sqs:{self.region}:{self.account}:{queue}"
            self.add(queue, QUEUE, queue, queue_arn, {}, None)
        subscription = f"{owner}{event_name}"
        self.add(
            subscription,
            SUBSCRIPTION,
            subscription,
            "",
            {"TopicArn": topic, "Protocol": "sqs", "Endpoint": queue_arn, **filters},
            event,
        )
        self.dependencies[subscription].add(f"{owner}{event_name}Queue")
        self.source("sns", topic, str(queue_arn), "sqs", filters, where)
        queue_options = {key: settings[key] for key in ("BatchSize", "Enabled") if key in settings}
        self.source("sqs", queue_arn, target, "lambda", queue_options, where)


def _references(node: Any) -> Iterator[str]:
    """The logical ids a template value refers to (``Ref``, ``Fn::GetAtt``, ``${...}`` of ``Fn::Sub``)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                yield value
            elif key == "Fn::GetAtt":
                first = (
                    value.split(".", 1)[0]
                    if isinstance(value, str)
                    else value[0]
                    if isinstance(value, list) and value
                    else None
                )
                if isinstance(first, str):
                    yield first
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0] if isinstance(value, list) and value else ""
                if isinstance(text, str):
                    yield from (name.split(".", 1)[0] for name in re.findall(r"\$\{([^!}][^}]*)\}", text))
                yield from _references(value[1:] if isinstance(value, list) else None)
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for item in node:
            yield from _references(item)


def _pattern(value: Any, where: str) -> dict[str, Any]:
    """An EventPattern as an object (CloudFormation takes one or its JSON text)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise TemplateError(f"{where}: EventPattern is not JSON") from None
    if not isinstance(value, dict):
        raise TemplateError(f"{where}: EventPattern must be an object, not {shape(value)}")
    return value


def _bus_name(value: Any) -> str:
    """A bus's name from an ``EventBusName`` (a name or an ARN); ``default`` when none is given.

    >>> _bus_name(None), _bus_name("orders"), _bus_name("arn:aws:events:us-east-1:123456789012:event-bus/orders")
    ('default', 'orders', 'orders')
    """
    text = str(value) if value else "default"
    return text.rsplit("event-bus/", 1)[-1]


def _table_of(stream: str) -> dict[str, str]:
    """``{"TableName": name}`` for a DynamoDB table or stream ARN, else nothing.

    >>> _table_of("arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000")
    {'TableName': 'orders'}
    """
    match = re.search(r":table/([^/]+)", stream)
    return {"TableName": match.group(1)} if match else {}


def _without(options: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in options.items() if key not in keys}


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _advice(kind: str) -> str:
    """How to stand in for a resource or event sfnlocal does not create or deliver.

    >>> _advice("Schedule").split(":")[0], _advice("AWS::Serverless::Api").split(":")[0]
    ('sfnlocal runs no schedule', 'sfnlocal serves no HTTP API')
    """
    if kind in ("Schedule", "ScheduleV2") or kind.startswith("AWS::Scheduler::"):
        return _NO_SCHEDULE
    if kind in _HTTP_EVENTS or kind.startswith(_HTTP_TYPES):
        return _NO_HTTP
    if kind in _STREAM_EVENTS:
        return "sfnlocal does not deliver this event source: call the function with the event yourself"
    return (
        f"sfnlocal does not create {kind} in its in-process AWS world: mock the tasks that use it "
        "(mocks={'State name': ...})"
    )
