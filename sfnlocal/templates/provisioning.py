"""Creating an application's resources in the in-process AWS world (moto), from their CloudFormation properties.

Each resource is created by the API call CloudFormation's own handler makes (CreateQueue, CreateTable, ...),
its properties turned into that call's parameters; a resource that exists already is left as it is, so that
provisioning a world twice changes nothing. What moto delivers itself is configured in it (a topic's queue
subscriptions, a rule's queue targets, a bucket's queue and topic notifications); deliveries to functions and
state machines are the event pump's, so they are not configured in moto, whose Lambda has no such functions
(moto would fail a Publish or PutEvents trying to invoke them).
"""

from __future__ import annotations

import json
import random
import string
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sfnlocal.templates.application_reading import (
    BUCKET,
    BUS,
    GLOBAL_TABLE,
    PARAMETER,
    QUEUE,
    RULE,
    SECRET,
    SIMPLE_TABLE,
    SUBSCRIPTION,
    TABLE,
    TOPIC,
)
from sfnlocal.templates.definitions import STATE_MACHINE_TYPES, TemplateError, as_text
from sfnlocal.templates.resources import Application, Resource

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.world import AwsWorld
    from sfnlocal.interpreter.machine import Machine

Clients = Callable[[str], Any]  # a boto3 client for a service, in the application's region and account

_QUEUE_ATTRIBUTES = (
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "DelaySeconds",
    "FifoQueue",
    "FifoThroughputLimit",
    "KmsDataKeyReusePeriodSeconds",
    "KmsMasterKeyId",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "RedriveAllowPolicy",
    "RedrivePolicy",
    "SqsManagedSseEnabled",
    "VisibilityTimeout",
)
_TOPIC_ATTRIBUTES = (
    "ArchivePolicy",
    "ContentBasedDeduplication",
    "DisplayName",
    "FifoTopic",
    "KmsMasterKeyId",
    "SignatureVersion",
    "TracingConfig",
)
_SUBSCRIPTION_ATTRIBUTES = (
    "DeliveryPolicy",
    "FilterPolicy",
    "FilterPolicyScope",
    "RawMessageDelivery",
    "RedrivePolicy",
    "ReplayPolicy",
    "SubscriptionRoleArn",
)
_TARGET_FIELDS = (
    "Id",
    "Arn",
    "RoleArn",
    "Input",
    "InputPath",
    "InputTransformer",
    "SqsParameters",
    "RetryPolicy",
    "DeadLetterConfig",
)
_INDEX_FIELDS = ("IndexName", "KeySchema", "Projection", "ProvisionedThroughput", "OnDemandThroughput")
_SIMPLE_TYPES = {"String": "S", "Number": "N", "Binary": "B"}
_PUNCTUATION = string.punctuation  # Secrets Manager's punctuation: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
_MISSING = (
    "AWS.SimpleQueueService.NonExistentQueue",
    "QueueDoesNotExist",
    "NotFound",
    "NotFoundException",
    "ResourceNotFoundException",
    "ParameterNotFound",
    "404",
    "NoSuchBucket",
)


class ResourceNotCreated(UserWarning):
    """A resource of the template that the in-process AWS refused to create (the run goes on without it)."""


def provision(application: Application, world: AwsWorld, machines: dict[str, Machine]) -> None:
    """Create ``application``'s resources in ``world``; ``machines`` keeps the state machines made for it, by
    logical id, so that each is made once and stays registered while the application lives."""
    from botocore.exceptions import ClientError

    with _clients(world, application.region, application.account) as clients:
        for resource in application.resources:
            where = f"{application.template}#{resource.logical_id}"
            try:
                if resource.type in STATE_MACHINE_TYPES:
                    _register(resource, application, machines, where)
                else:
                    _CREATORS[resource.type](resource, clients)
            except ClientError as error:
                # A template cut down for tests may declare what AWS would refuse too: the run goes on without it
                # (its tasks fail as AWS fails for a missing resource), said once per resource.
                problem = error.response.get("Error", {})
                warnings.warn(
                    f"{where}: the in-process AWS refused to create the {resource.type} {resource.name!r} "
                    f"({problem.get('Code')}: {problem.get('Message')}); the execution runs without it",
                    ResourceNotCreated,
                    stacklevel=2,
                )


@contextmanager
def _clients(world: AwsWorld, region: str, account: str) -> Iterator[Clients]:
    """Clients for the application's region and account: the world's own when they are the world's, else those of
    a world of that region and account, which shares the running moto (so what it creates stays)."""
    world.start()
    if (world.region, world.account) == (region, account):
        yield world.client
        return
    from sfnlocal.integrations.aws.world import AwsWorld

    other = AwsWorld(region=region, account=account).start()
    try:
        yield other.client
    finally:
        other.stop()


def _exists(check: Callable[[], Any]) -> bool:
    """Whether the describe-like ``check`` finds the resource (a not-found error: it does not)."""
    from botocore.exceptions import ClientError

    try:
        check()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in _MISSING:
            return False
        raise
    return True


def _attributes(properties: Any, names: tuple[str, ...]) -> dict[str, str]:
    """The properties that are attributes of an SQS / SNS API, as the API takes them: text (objects as JSON)."""
    return {
        name: json.dumps(properties[name]) if isinstance(properties[name], (dict, list)) else as_text(properties[name])
        for name in names
        if name in properties and properties[name] is not None
    }


def _tags(value: Any) -> list[dict[str, str]]:
    """CloudFormation's tags (a list of Key/Value, or SAM's and SSM's map) as a list of Key/Value."""
    if isinstance(value, dict):
        return [{"Key": str(key), "Value": as_text(item)} for key, item in value.items()]
    if isinstance(value, list):
        return [{"Key": str(tag["Key"]), "Value": as_text(tag["Value"])} for tag in value if isinstance(tag, dict)]
    return []


# One creator per type ----------------------------------------------------------------------------


def _queue(resource: Resource, clients: Clients) -> None:
    sqs, properties = clients("sqs"), resource.properties
    if _exists(lambda: sqs.get_queue_url(QueueName=resource.name)):
        return
    attributes = _attributes(properties, _QUEUE_ATTRIBUTES)
    if attributes.get("FifoQueue") == "false":
        del attributes["FifoQueue"]  # SQS takes FifoQueue only to make a FIFO queue
    tags = {tag["Key"]: tag["Value"] for tag in _tags(properties.get("Tags"))}
    sqs.create_queue(QueueName=resource.name, Attributes=attributes, **({"tags": tags} if tags else {}))


def _topic(resource: Resource, clients: Clients) -> None:
    sns, properties = clients("sns"), resource.properties
    if _exists(lambda: sns.get_topic_attributes(TopicArn=resource.arn)):
        return
    attributes = _attributes(properties, _TOPIC_ATTRIBUTES)
    if attributes.get("FifoTopic") == "false":
        del attributes["FifoTopic"]
    tags = _tags(properties.get("Tags"))
    sns.create_topic(Name=resource.name, Attributes=attributes, **({"Tags": tags} if tags else {}))
    for subscription in properties.get("Subscription") or []:
        sns.subscribe(TopicArn=resource.arn, Protocol=subscription["Protocol"], Endpoint=subscription["Endpoint"])


def _subscription(resource: Resource, clients: Clients) -> None:
    properties = resource.properties
    # SNS keeps one subscription per topic, protocol and endpoint: subscribing again returns it, unchanged.
    clients("sns").subscribe(
        TopicArn=properties["TopicArn"],
        Protocol=properties["Protocol"],
        Endpoint=properties["Endpoint"],
        Attributes=_attributes(properties, _SUBSCRIPTION_ATTRIBUTES),
    )


def _table(resource: Resource, clients: Clients) -> None:
    dynamodb, properties = clients("dynamodb"), resource.properties
    if _exists(lambda: dynamodb.describe_table(TableName=resource.name)):
        return
    request = _simple_table(properties) if resource.type == SIMPLE_TABLE else _table_request(properties)
    dynamodb.create_table(TableName=resource.name, **request)
    ttl = properties.get("TimeToLiveSpecification")
    if isinstance(ttl, dict) and ttl.get("Enabled") in (True, "true"):
        dynamodb.update_time_to_live(
            TableName=resource.name, TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True}
        )


def _table_request(properties: Any) -> dict[str, Any]:
    """CreateTable's parameters from an ``AWS::DynamoDB::Table`` (or ``GlobalTable``)'s properties."""
    request: dict[str, Any] = {
        "KeySchema": properties.get("KeySchema", []),
        "AttributeDefinitions": properties.get("AttributeDefinitions", []),
    }
    throughput = properties.get("ProvisionedThroughput")
    if properties.get("BillingMode", "PROVISIONED") == "PROVISIONED" and isinstance(throughput, dict):
        request["ProvisionedThroughput"] = _throughput(throughput)
    else:
        # On-demand; also for a PROVISIONED table without throughput, which CloudFormation would refuse: the
        # table's capacity plays no part offline.
        request["BillingMode"] = "PAY_PER_REQUEST"
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        indexes = properties.get(key)
        if indexes:
            request[key] = [_index(index, "ProvisionedThroughput" in request) for index in indexes]
    stream = properties.get("StreamSpecification")
    if isinstance(stream, dict) and stream.get("StreamViewType"):
        # CloudFormation's StreamSpecification has no StreamEnabled: giving one enables the stream.
        request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
    sse = properties.get("SSESpecification")
    if isinstance(sse, dict) and "SSEEnabled" in sse:
        request["SSESpecification"] = {"Enabled": sse["SSEEnabled"] in (True, "true")}
    for key in ("TableClass", "DeletionProtectionEnabled"):
        if key in properties:
            request[key] = properties[key]
    tags = _tags(properties.get("Tags"))
    if tags:
        request["Tags"] = tags
    return request


def _index(index: dict[str, Any], provisioned: bool) -> dict[str, Any]:
    kept = {key: value for key, value in index.items() if key in _INDEX_FIELDS}
    if provisioned and isinstance(kept.get("ProvisionedThroughput"), dict):
        kept["ProvisionedThroughput"] = _throughput(kept["ProvisionedThroughput"])
    elif provisioned:
        kept["ProvisionedThroughput"] = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    else:
        kept.pop("ProvisionedThroughput", None)
    return kept


def _throughput(value: dict[str, Any]) -> dict[str, int]:
    return {key: int(value[key]) for key in ("ReadCapacityUnits", "WriteCapacityUnits") if key in value}


def _simple_table(properties: Any) -> dict[str, Any]:
    """CreateTable's parameters from an ``AWS::Serverless::SimpleTable``: a hash key (SAM's default: ``id``, a
    String), on-demand unless it gives ProvisionedThroughput."""
    key = properties.get("PrimaryKey") or {}
    name, kind = str(key.get("Name", "id")), str(key.get("Type", "String"))
    request: dict[str, Any] = {
        "KeySchema": [{"AttributeName": name, "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": name, "AttributeType": _SIMPLE_TYPES.get(kind, kind)}],
    }
    throughput = properties.get("ProvisionedThroughput")
    if isinstance(throughput, dict):
        request["ProvisionedThroughput"] = _throughput(throughput)
    else:
        request["BillingMode"] = "PAY_PER_REQUEST"
    tags = _tags(properties.get("Tags"))
    if tags:
        request["Tags"] = tags
    return request


def _bucket(resource: Resource, clients: Clients) -> None:
    s3, properties = clients("s3"), resource.properties
    if _exists(lambda: s3.head_bucket(Bucket=resource.name)):
        return
    region = s3.meta.region_name
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=resource.name, **location)
    versioning = properties.get("VersioningConfiguration")
    if isinstance(versioning, dict) and "Status" in versioning:
        s3.put_bucket_versioning(Bucket=resource.name, VersioningConfiguration={"Status": versioning["Status"]})
    notifications = _notifications(properties.get("NotificationConfiguration"))
    if notifications:
        s3.put_bucket_notification_configuration(Bucket=resource.name, NotificationConfiguration=notifications)
    tags = _tags(properties.get("Tags"))
    if tags:
        s3.put_bucket_tagging(Bucket=resource.name, Tagging={"TagSet": tags})


def _notifications(configuration: Any) -> dict[str, Any]:
    """PutBucketNotificationConfiguration's configuration from CloudFormation's: the queue and topic
    notifications and EventBridge (which moto delivers); a function's notifications are the pump's."""
    if not isinstance(configuration, dict):
        return {}
    result: dict[str, Any] = {}
    for key, target, arn_key in (
        ("QueueConfigurations", "Queue", "QueueArn"),
        ("TopicConfigurations", "Topic", "TopicArn"),
    ):
        entries = [
            {arn_key: entry[target], "Events": [entry["Event"]], **_filter(entry.get("Filter"))}
            for entry in configuration.get(key) or []
            if isinstance(entry, dict) and target in entry and "Event" in entry
        ]
        if entries:
            result[key] = entries
    bridge = configuration.get("EventBridgeConfiguration")
    if isinstance(bridge, dict) and bridge.get("EventBridgeEnabled") in (True, "true"):
        result["EventBridgeConfiguration"] = {}
    return result


def _filter(value: Any) -> dict[str, Any]:
    """An S3 notification's Filter: CloudFormation's ``S3Key.Rules`` is the API's ``Key.FilterRules``."""
    rules = value.get("S3Key", {}).get("Rules") if isinstance(value, dict) else None
    return {"Filter": {"Key": {"FilterRules": rules}}} if rules else {}


def _bus(resource: Resource, clients: Clients) -> None:
    events = clients("events")
    if resource.name == "default" or _exists(lambda: events.describe_event_bus(Name=resource.name)):
        return
    events.create_event_bus(Name=resource.name)


def _rule(resource: Resource, clients: Clients) -> None:
    events, properties = clients("events"), resource.properties
    bus = properties.get("EventBusName", "default")
    if _exists(lambda: events.describe_rule(Name=resource.name, EventBusName=bus)):
        return
    extra = {key: properties[key] for key in ("State", "Description", "RoleArn") if key in properties}
    events.put_rule(Name=resource.name, EventBusName=bus, EventPattern=json.dumps(properties["EventPattern"]), **extra)
    # moto delivers to queues, log groups and buses; it fails a PutEvents whose rule targets anything else.
    targets = [
        {key: value for key, value in target.items() if key in _TARGET_FIELDS}
        for target in properties.get("Targets") or []
        if isinstance(target, dict) and str(target.get("Arn", "")).split(":")[2:3] in (["sqs"], ["logs"], ["events"])
    ]
    if targets:
        events.put_targets(Rule=resource.name, EventBusName=bus, Targets=targets)


def _secret(resource: Resource, clients: Clients) -> None:
    secrets, properties = clients("secretsmanager"), resource.properties
    if _exists(lambda: secrets.describe_secret(SecretId=resource.name)):
        return
    generate = properties.get("GenerateSecretString")
    value = (
        generated_secret(generate, resource.logical_id)
        if isinstance(generate, dict)
        else as_text(properties.get("SecretString", ""))
    )
    extra = {key: properties[key] for key in ("Description", "KmsKeyId") if key in properties}
    tags = _tags(properties.get("Tags"))
    secrets.create_secret(Name=resource.name, SecretString=value, **extra, **({"Tags": tags} if tags else {}))


def generated_secret(settings: dict[str, Any], seed: str) -> str:
    """A ``GenerateSecretString``'s value, drawn from a source seeded with ``seed`` (the secret's logical id), so
    the same template gives the same secret: ``PasswordLength`` (32) characters from the classes it does not
    exclude, one of each when ``RequireEachIncludedType`` (the default), put into ``SecretStringTemplate`` under
    ``GenerateStringKey`` when both are given.

    >>> password = generated_secret({"PasswordLength": 12, "ExcludePunctuation": True}, "DbSecret")
    >>> len(password), password.isalnum(), password == generated_secret({"PasswordLength": 12,
    ...     "ExcludePunctuation": True}, "DbSecret")
    (12, True, True)
    >>> json.loads(generated_secret({"SecretStringTemplate": '{"user": "admin"}', "GenerateStringKey": "password"},
    ...     "DbSecret"))["user"]
    'admin'
    """
    excluded = set(str(settings.get("ExcludeCharacters", "")))
    classes = [
        characters
        for characters, flag in (
            (string.ascii_lowercase, "ExcludeLowercase"),
            (string.ascii_uppercase, "ExcludeUppercase"),
            (string.digits, "ExcludeNumbers"),
            (_PUNCTUATION, "ExcludePunctuation"),
        )
        if not _flag(settings.get(flag))
    ]
    if _flag(settings.get("IncludeSpace")):
        classes.append(" ")
    classes = [kept for kept in ("".join(c for c in characters if c not in excluded) for characters in classes) if kept]
    if not classes:
        raise TemplateError("GenerateSecretString excludes every character: it can make no secret")
    length = int(settings.get("PasswordLength", 32))
    source = random.Random(seed)  # noqa: S311 - a stand-in secret for tests, reproducible on purpose
    drawn = (
        [source.choice(characters) for characters in classes]
        if settings.get("RequireEachIncludedType", True) not in (False, "false")
        else []
    )
    alphabet = "".join(classes)
    drawn += [source.choice(alphabet) for _ in range(max(length - len(drawn), 0))]
    source.shuffle(drawn)
    password = "".join(drawn[:length])
    template, key = settings.get("SecretStringTemplate"), settings.get("GenerateStringKey")
    if template is None or key is None:
        return password
    document = json.loads(template) if isinstance(template, str) else dict(template)
    document[str(key)] = password
    return json.dumps(document, separators=(",", ":"))


def _flag(value: Any) -> bool:
    return value is True or value == "true"


def _parameter(resource: Resource, clients: Clients) -> None:
    ssm, properties = clients("ssm"), resource.properties
    if _exists(lambda: ssm.get_parameter(Name=resource.name)):
        return
    value = properties.get("Value", "")
    extra = {key: properties[key] for key in ("Description", "AllowedPattern", "Tier", "DataType") if key in properties}
    tags = _tags(properties.get("Tags"))
    ssm.put_parameter(
        Name=resource.name,
        Value=",".join(map(as_text, value)) if isinstance(value, list) else as_text(value),
        Type=str(properties.get("Type", "String")),
        **extra,
        **({"Tags": tags} if tags else {}),
    )


def _register(resource: Resource, application: Application, machines: dict[str, Machine], where: str) -> None:
    """Make the state machine (once) and register it where executions started now look for their children."""
    from sfnlocal.interpreter import registry
    from sfnlocal.interpreter.machine import Machine
    from sfnlocal.language.errors import DefinitionError

    machine = machines.get(resource.logical_id)
    if machine is None:
        try:
            machine = Machine(
                dict(resource.properties["Definition"]),
                name=resource.name,
                account=application.account,
                region=application.region,
                type=str(resource.properties.get("Type", "STANDARD")),
            )
        except (DefinitionError, ValueError) as error:
            raise TemplateError(f"{where}: the state machine {resource.name!r} cannot be loaded: {error}") from None
        machines[resource.logical_id] = machine
    else:
        registry.current().register(machine)


_CREATORS: dict[str, Callable[[Resource, Clients], None]] = {
    QUEUE: _queue,
    TOPIC: _topic,
    SUBSCRIPTION: _subscription,
    TABLE: _table,
    GLOBAL_TABLE: _table,
    SIMPLE_TABLE: _table,
    BUCKET: _bucket,
    BUS: _bus,
    RULE: _rule,
    SECRET: _secret,
    PARAMETER: _parameter,
}
