"""A template's resources provisioned in the in-process AWS world, and the event sources it declares.

What each resource becomes follows CloudFormation's and SAM's documentation of its properties (a FIFO queue's
generated name ends with ``.fifo``; a table's StreamSpecification enables its stream; SAM's SimpleTable has the
hash key ``id`` of type String unless its PrimaryKey says otherwise; a SAM ``SQS`` event is an event source
mapping from the queue to the function), and what the services then do follows their API documentation (a
raw SNS delivery is the message itself; an S3 ``ObjectCreated:Put`` notification's record names the bucket and
key; an EventBridge rule sends a matching event to its queue target). The names are those the definitions and
the functions' environment hold (:class:`sfnlocal.templates.definitions.Resolver`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sfnlocal import StateMachine, registry_scope
from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.templates import Application, TemplateError, application_from_template, load_template

REGION, ACCOUNT = "us-east-1", "123456789012"
QUEUE_URL = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{{}}"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{{}}"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:{{}}"
MACHINE_ARN = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{{}}"
INLINE = {"Handler": "index.handler", "Runtime": "python3.12", "InlineCode": "def handler(event, context): pass"}


@pytest.fixture
def world() -> Iterator[AwsWorld]:
    with AwsWorld() as world:
        yield world


def application(folder: Path, resources: dict[str, Any], **template: Any) -> Application:
    """The application of a template made of ``resources`` (and other sections), written to ``folder``."""
    options = template.pop("_options", {})
    path = folder / "template.json"
    path.write_text(json.dumps({"Resources": resources, **template}))
    return application_from_template(path, **options)


def provisioned(folder: Path, world: AwsWorld, resources: dict[str, Any], **template: Any) -> Application:
    app = application(folder, resources, **template)
    app.provision(world)
    return app


def received(world: AwsWorld, queue: str) -> list[str]:
    sqs = world.client("sqs")
    messages = sqs.receive_message(QueueUrl=QUEUE_URL.format(queue), MaxNumberOfMessages=10)
    return [message["Body"] for message in messages.get("Messages", [])]


# --- SQS --------------------------------------------------------------------------------------------


def test_a_queue_comes_after_its_dead_letter_queue_with_its_redrive_policy_and_attributes(
    tmp_path: Path, world: AwsWorld
) -> None:
    app = provisioned(
        tmp_path,
        world,
        {
            "Jobs": {
                "Type": "AWS::SQS::Queue",
                "Properties": {
                    "VisibilityTimeout": 60,
                    "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["Parked", "Arn"]}, "maxReceiveCount": 3},
                },
            },
            "Parked": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 1209600}},
        },
    )
    assert [resource.logical_id for resource in app.resources] == ["Parked", "Jobs"]
    attributes = world.client("sqs").get_queue_attributes(QueueUrl=QUEUE_URL.format("Jobs"), AttributeNames=["All"])
    assert attributes["Attributes"]["VisibilityTimeout"] == "60"
    assert json.loads(attributes["Attributes"]["RedrivePolicy"]) == {
        "deadLetterTargetArn": QUEUE_ARN.format("Parked"),
        "maxReceiveCount": 3,
    }
    parked = world.client("sqs").get_queue_attributes(
        QueueUrl=QUEUE_URL.format("Parked"), AttributeNames=["MessageRetentionPeriod"]
    )
    assert parked["Attributes"]["MessageRetentionPeriod"] == "1209600"


def test_a_fifo_queue_keeps_its_name_and_a_generated_one_ends_with_fifo(tmp_path: Path, world: AwsWorld) -> None:
    app = provisioned(
        tmp_path,
        world,
        {
            "Named": {
                "Type": "AWS::SQS::Queue",
                "Properties": {"QueueName": "orders.fifo", "FifoQueue": True, "ContentBasedDeduplication": True},
            },
            "Unnamed": {"Type": "AWS::SQS::Queue", "Properties": {"FifoQueue": True}},
        },
    )
    assert [resource.name for resource in app.resources] == ["orders.fifo", "Unnamed.fifo"]
    attributes = world.client("sqs").get_queue_attributes(
        QueueUrl=QUEUE_URL.format("orders.fifo"), AttributeNames=["All"]
    )
    assert attributes["Attributes"]["FifoQueue"] == "true"
    assert attributes["Attributes"]["ContentBasedDeduplication"] == "true"
    world.client("sqs").send_message(
        QueueUrl=QUEUE_URL.format("Unnamed.fifo"), MessageBody="x", MessageGroupId="g", MessageDeduplicationId="1"
    )


def test_a_generated_fifo_queue_name_is_the_one_the_definition_holds(tmp_path: Path) -> None:
    resources = {
        "Flow": {
            "Type": "AWS::Serverless::StateMachine",
            "Properties": {
                "Definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "${Url}", "End": True}}},
                "DefinitionSubstitutions": {"Url": {"Ref": "Orders"}},
            },
        },
        "Orders": {"Type": "AWS::SQS::Queue", "Properties": {"FifoQueue": True}},
    }
    app = application(tmp_path, resources, _options={"loaded": "Flow"})
    [queue] = app.resources
    assert load_template(tmp_path / "template.json")["Flow"]["States"]["A"]["Result"] == QUEUE_URL.format(queue.name)


def test_the_names_provisioned_are_those_the_definition_holds(tmp_path: Path, world: AwsWorld) -> None:
    resources = {
        "Flow": {
            "Type": "AWS::Serverless::StateMachine",
            "Properties": {
                "Definition": {
                    "StartAt": "Send",
                    "States": {"Send": {"Type": "Pass", "Result": "${Url}", "End": True}},
                },
                "DefinitionSubstitutions": {"Url": {"Ref": "Requests"}, "Table": {"Ref": "Orders"}},
            },
        },
        "Requests": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Sub": "${Stage}-requests"}}},
        "Orders": {"Type": "AWS::Serverless::SimpleTable"},
    }
    app = provisioned(tmp_path, world, resources, Parameters={"Stage": {"Type": "String", "Default": "test"}})
    url = load_template(tmp_path / "template.json")["Flow"]["States"]["Send"]["Result"]
    assert url == QUEUE_URL.format("test-requests")
    world.client("sqs").send_message(QueueUrl=url, MessageBody="hello")
    assert received(world, "test-requests") == ["hello"]
    assert {resource.name for resource in app.resources} >= {"test-requests", "Orders", "Flow"}


# --- SNS --------------------------------------------------------------------------------------------


def test_topic_subscriptions_deliver_to_queues_and_list_function_subscribers_as_event_sources(
    tmp_path: Path, world: AwsWorld
) -> None:
    app = provisioned(
        tmp_path,
        world,
        {
            "Notices": {
                "Type": "AWS::SNS::Topic",
                "Properties": {
                    "Subscription": [
                        {"Protocol": "sqs", "Endpoint": {"Fn::GetAtt": ["Wrapped", "Arn"]}},
                        {"Protocol": "lambda", "Endpoint": {"Fn::GetAtt": ["Notify", "Arn"]}},
                    ]
                },
            },
            "Wrapped": {"Type": "AWS::SQS::Queue"},
            "Raw": {"Type": "AWS::SQS::Queue"},
            "RawSubscription": {
                "Type": "AWS::SNS::Subscription",
                "Properties": {
                    "TopicArn": {"Ref": "Notices"},
                    "Protocol": "sqs",
                    "Endpoint": {"Fn::GetAtt": ["Raw", "Arn"]},
                    "RawMessageDelivery": True,
                },
            },
            "Notify": {"Type": "AWS::Serverless::Function", "Properties": INLINE},
        },
    )
    sns = world.client("sns")
    subscribed = sns.list_subscriptions_by_topic(TopicArn=TOPIC_ARN.format("Notices"))["Subscriptions"]
    assert sorted((entry["Protocol"], entry["Endpoint"]) for entry in subscribed) == [
        ("sqs", QUEUE_ARN.format("Raw")),
        ("sqs", QUEUE_ARN.format("Wrapped")),
    ]
    sns.publish(TopicArn=TOPIC_ARN.format("Notices"), Message="shipped")  # a lambda subscriber does not fail it
    assert received(world, "Raw") == ["shipped"]
    [envelope] = received(world, "Wrapped")
    assert json.loads(envelope)["Message"] == "shipped"
    function_sources = [source for source in app.event_sources if source.target_kind == "lambda"]
    assert [(source.kind, source.source, source.target, source.moto_delivers) for source in function_sources] == [
        ("sns", TOPIC_ARN.format("Notices"), "Notify", False)
    ]
    queue_sources = [source for source in app.event_sources if source.target_kind == "sqs"]
    assert all(source.moto_delivers for source in queue_sources) and len(queue_sources) == 2


def test_a_sam_sns_event_with_a_filter_policy_and_one_through_a_queue(tmp_path: Path, world: AwsWorld) -> None:
    policy = {"kind": ["order"]}
    app = provisioned(
        tmp_path,
        world,
        {
            "Notices": {"Type": "AWS::SNS::Topic"},
            "Notify": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    **INLINE,
                    "Events": {
                        "Direct": {"Type": "SNS", "Properties": {"Topic": {"Ref": "Notices"}, "FilterPolicy": policy}},
                        "Buffered": {
                            "Type": "SNS",
                            "Properties": {"Topic": {"Ref": "Notices"}, "SqsSubscription": {"BatchSize": 5}},
                        },
                    },
                },
            },
        },
    )
    summary = [(s.kind, s.source, s.target, s.target_kind, dict(s.options), s.logical_id) for s in app.event_sources]
    buffer = QUEUE_ARN.format("NotifyBufferedQueue")  # SAM's queue for the event: <Function><Event>Queue
    assert summary == [
        ("sns", TOPIC_ARN.format("Notices"), "Notify", "lambda", {"FilterPolicy": policy}, "Notify.Direct"),
        ("sns", TOPIC_ARN.format("Notices"), buffer, "sqs", {}, "Notify.Buffered"),
        ("sqs", buffer, "Notify", "lambda", {"BatchSize": 5}, "Notify.Buffered"),
    ]
    world.client("sns").publish(TopicArn=TOPIC_ARN.format("Notices"), Message="m")
    assert [json.loads(body)["Message"] for body in received(world, "NotifyBufferedQueue")] == ["m"]


# --- DynamoDB ---------------------------------------------------------------------------------------


def test_a_table_with_indexes_and_a_stream_and_a_function_reading_the_stream(tmp_path: Path, world: AwsWorld) -> None:
    key = {"AttributeName": "pk", "KeyType": "HASH"}
    app = provisioned(
        tmp_path,
        world,
        {
            "Orders": {
                "Type": "AWS::DynamoDB::Table",
                "Properties": {
                    "TableName": "orders",
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [
                        {"AttributeName": "pk", "AttributeType": "S"},
                        {"AttributeName": "sk", "AttributeType": "S"},
                        {"AttributeName": "status", "AttributeType": "S"},
                    ],
                    "KeySchema": [key, {"AttributeName": "sk", "KeyType": "RANGE"}],
                    "GlobalSecondaryIndexes": [
                        {
                            "IndexName": "by-status",
                            "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                            "Projection": {"ProjectionType": "ALL"},
                        }
                    ],
                    "LocalSecondaryIndexes": [
                        {
                            "IndexName": "by-pk-status",
                            "KeySchema": [key, {"AttributeName": "status", "KeyType": "RANGE"}],
                            "Projection": {"ProjectionType": "KEYS_ONLY"},
                        }
                    ],
                    "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
                },
            },
            "Audit": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    **INLINE,
                    "Events": {
                        "Changes": {
                            "Type": "DynamoDB",
                            "Properties": {
                                "Stream": {"Fn::GetAtt": ["Orders", "StreamArn"]},
                                "StartingPosition": "TRIM_HORIZON",
                                "BatchSize": 10,
                            },
                        }
                    },
                },
            },
        },
    )
    table = world.client("dynamodb").describe_table(TableName="orders")["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert [index["IndexName"] for index in table["GlobalSecondaryIndexes"]] == ["by-status"]
    assert [index["IndexName"] for index in table["LocalSecondaryIndexes"]] == ["by-pk-status"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert table["LatestStreamArn"].startswith(f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders/stream/")
    [source] = app.event_sources
    assert (source.kind, source.target, source.target_kind, source.logical_id) == (
        "dynamodb",
        "Audit",
        "lambda",
        "Audit.Changes",
    )
    assert dict(source.options) == {"StartingPosition": "TRIM_HORIZON", "BatchSize": 10, "TableName": "orders"}


def test_a_simple_table_has_sams_default_key_or_its_primary_key(tmp_path: Path, world: AwsWorld) -> None:
    provisioned(
        tmp_path,
        world,
        {
            "Plain": {"Type": "AWS::Serverless::SimpleTable"},
            "Keyed": {
                "Type": "AWS::Serverless::SimpleTable",
                "Properties": {"TableName": "keyed", "PrimaryKey": {"Name": "orderId", "Type": "Number"}},
            },
        },
    )
    dynamodb = world.client("dynamodb")
    plain = dynamodb.describe_table(TableName="Plain")["Table"]
    assert plain["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert plain["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "S"}]
    keyed = dynamodb.describe_table(TableName="keyed")["Table"]
    assert keyed["AttributeDefinitions"] == [{"AttributeName": "orderId", "AttributeType": "N"}]


# --- S3 ---------------------------------------------------------------------------------------------


def test_a_bucket_notifies_its_queue_and_lists_its_function_notifications(tmp_path: Path, world: AwsWorld) -> None:
    rules = {"Rules": [{"Name": "prefix", "Value": "in-"}]}
    app = provisioned(
        tmp_path,
        world,
        {
            "Uploads": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": "uploads",
                    "NotificationConfiguration": {
                        "QueueConfigurations": [
                            {
                                "Event": "s3:ObjectCreated:*",
                                "Queue": {"Fn::GetAtt": ["Arrivals", "Arn"]},
                                "Filter": {"S3Key": rules},
                            }
                        ],
                        "LambdaConfigurations": [
                            {"Event": "s3:ObjectRemoved:*", "Function": {"Fn::GetAtt": ["Clean", "Arn"]}}
                        ],
                    },
                },
            },
            "Arrivals": {"Type": "AWS::SQS::Queue"},
            "Clean": {"Type": "AWS::Serverless::Function", "Properties": INLINE},
            "Thumbs": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    **INLINE,
                    "Events": {
                        "Upload": {
                            "Type": "S3",
                            "Properties": {"Bucket": {"Ref": "Uploads"}, "Events": "s3:ObjectCreated:*"},
                        }
                    },
                },
            },
        },
    )
    assert [resource.logical_id for resource in app.resources] == ["Arrivals", "Uploads"]
    s3 = world.client("s3")
    s3.put_object(Bucket="uploads", Key="out-a.txt", Body=b"skipped by the filter")
    s3.put_object(Bucket="uploads", Key="in-b.txt", Body=b"b")
    # S3 tests the queue when the notification is configured (s3:TestEvent), then notifies in-b.txt only.
    test_event, body = received(world, "Arrivals")
    assert json.loads(test_event)["Event"] == "s3:TestEvent"
    [record] = json.loads(body)["Records"]
    assert record["eventName"] == "ObjectCreated:Put"
    assert (record["s3"]["bucket"]["name"], record["s3"]["object"]["key"]) == ("uploads", "in-b.txt")
    functions = [
        (s.source, s.target, dict(s.options), s.logical_id) for s in app.event_sources if s.target_kind == "lambda"
    ]
    assert functions == [
        ("uploads", "Clean", {"Events": ["s3:ObjectRemoved:*"]}, "Uploads.LambdaConfigurations[0]"),
        ("uploads", "Thumbs", {"Events": ["s3:ObjectCreated:*"]}, "Thumbs.Upload"),
    ]


# --- EventBridge ------------------------------------------------------------------------------------


def test_a_rule_on_a_bus_sends_matching_events_to_its_queue_and_lists_its_other_targets(
    tmp_path: Path, world: AwsWorld
) -> None:
    pattern = {"source": ["shop.orders"], "detail-type": ["OrderPlaced"]}
    app = provisioned(
        tmp_path,
        world,
        {
            "Bus": {"Type": "AWS::Events::EventBus", "Properties": {"Name": "shop"}},
            "Placed": {
                "Type": "AWS::Events::Rule",
                "Properties": {
                    "EventBusName": {"Ref": "Bus"},
                    "EventPattern": pattern,
                    "Targets": [
                        {"Id": "queue", "Arn": {"Fn::GetAtt": ["Audit", "Arn"]}},
                        {"Id": "fn", "Arn": {"Fn::GetAtt": ["Bill", "Arn"]}, "InputPath": "$.detail"},
                        {"Id": "flow", "Arn": {"Ref": "Flow"}},
                    ],
                },
            },
            "Audit": {"Type": "AWS::SQS::Queue"},
            "Bill": {"Type": "AWS::Serverless::Function", "Properties": INLINE},
            "Flow": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"Definition": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}},
            },
        },
    )
    events = world.client("events")
    detail = json.dumps({"orderId": "o-1"})
    entries = [
        {"EventBusName": "shop", "Source": "shop.orders", "DetailType": "OrderPlaced", "Detail": detail},
        {"EventBusName": "shop", "Source": "shop.other", "DetailType": "OrderPlaced", "Detail": detail},
    ]
    assert events.put_events(Entries=entries)["FailedEntryCount"] == 0  # the function target does not break it
    [body] = received(world, "Audit")
    assert (json.loads(body)["source"], json.loads(body)["detail"]) == ("shop.orders", {"orderId": "o-1"})
    assert [(s.target, s.target_kind, s.moto_delivers) for s in app.event_sources] == [
        (QUEUE_ARN.format("Audit"), "sqs", True),
        ("Bill", "lambda", False),
        (MACHINE_ARN.format("Flow"), "states", False),
    ]
    bill = app.event_sources[1]
    assert (bill.kind, bill.source, bill.logical_id) == ("eventbridge", "Placed", "Placed.Targets[1]")
    assert dict(bill.options) == {"EventBusName": "shop", "EventPattern": pattern, "Id": "fn", "InputPath": "$.detail"}


def test_sam_eventbridge_events_of_a_function_and_of_a_state_machine(tmp_path: Path, world: AwsWorld) -> None:
    pattern = {"source": ["shop.orders"]}
    app = provisioned(
        tmp_path,
        world,
        {
            "Flow": {
                "Type": "AWS::Serverless::StateMachine",
                "Properties": {
                    "Definition": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}},
                    "Events": {
                        "Placed": {"Type": "EventBridgeRule", "Properties": {"Pattern": pattern}},
                        "Nightly": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)"}},
                    },
                },
            },
            "Bill": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    **INLINE,
                    "Events": {
                        "Placed": {"Type": "CloudWatchEvent", "Properties": {"Pattern": pattern, "RuleName": "bill"}}
                    },
                },
            },
        },
        _options={"loaded": "Flow"},
    )
    assert [(s.source, s.target, s.target_kind, s.logical_id) for s in app.event_sources] == [
        ("FlowPlaced", MACHINE_ARN.format("Flow"), "states", "Flow.Placed"),
        ("bill", "Bill", "lambda", "Bill.Placed"),
    ]
    rules = world.client("events").list_rules()["Rules"]
    assert sorted((rule["Name"], json.loads(rule["EventPattern"])) for rule in rules) == [
        ("FlowPlaced", pattern),
        ("bill", pattern),
    ]
    assert [entry[:2] for entry in app.unsupported] == [("Flow.Nightly", "SAM event Schedule")]
    assert "start the execution" in app.unsupported[0][2]


# --- Secrets Manager and SSM ------------------------------------------------------------------------


def test_secrets_and_parameters_hold_their_template_values(tmp_path: Path, world: AwsWorld) -> None:
    resources = {
        "ApiKey": {"Type": "AWS::SecretsManager::Secret", "Properties": {"Name": "api-key", "SecretString": "k-1"}},
        "Db": {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "GenerateSecretString": {
                    "SecretStringTemplate": json.dumps({"username": "admin"}),
                    "GenerateStringKey": "password",
                    "PasswordLength": 20,
                    "ExcludeCharacters": '"@/\\',
                }
            },
        },
        "Threshold": {
            "Type": "AWS::SSM::Parameter",
            "Properties": {"Name": "/shop/threshold", "Type": "String", "Value": "100"},
        },
    }
    provisioned(tmp_path, world, resources)
    secrets = world.client("secretsmanager")
    assert secrets.get_secret_value(SecretId="api-key")["SecretString"] == "k-1"
    db = json.loads(secrets.get_secret_value(SecretId="Db")["SecretString"])
    assert db["username"] == "admin" and len(db["password"]) == 20
    assert not set(db["password"]) & set('"@/\\')
    assert world.client("ssm").get_parameter(Name="/shop/threshold")["Parameter"]["Value"] == "100"
    with AwsWorld(region="us-east-1", account="111111111111") as other:  # another world: the same value again
        application_from_template(tmp_path / "template.json", {"AWS::AccountId": "111111111111"}).provision(other)
        again = json.loads(other.client("secretsmanager").get_secret_value(SecretId="Db")["SecretString"])
    assert again["password"] == db["password"]


# --- state machines ---------------------------------------------------------------------------------


def test_another_state_machine_of_the_template_is_found_by_a_start_execution_task(
    tmp_path: Path, world: AwsWorld
) -> None:
    resources = {
        "Parent": {
            "Type": "AWS::Serverless::StateMachine",
            "Properties": {
                "Definition": {
                    "StartAt": "Run child",
                    "States": {
                        "Run child": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::states:startExecution.sync:2",
                            "Parameters": {"StateMachineArn": "${ChildArn}", "Input": {"n": 2}},
                            "OutputPath": "$.Output",
                            "End": True,
                        }
                    },
                },
                "DefinitionSubstitutions": {"ChildArn": {"Ref": "Child"}},
            },
        },
        "Child": {
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {
                "StateMachineName": "double",
                "Definition": {
                    "StartAt": "D",
                    "States": {"D": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, $.n)"}, "End": True}},
                },
            },
        },
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps({"Resources": resources}))
    with registry_scope():
        app = application_from_template(path, loaded="Parent")
        assert [resource.name for resource in app.resources] == ["double"]
        parent = StateMachine.from_template(path, "Parent")
        app.provision(world)
        run = parent.execute({}, aws=world)
    assert run.status == "SUCCEEDED", run.cause
    assert run.output == {"n": 4}


# --- what is not created ----------------------------------------------------------------------------


def test_what_sfnlocal_cannot_create_is_listed_once_with_advice_and_permissions_quietly_ignored(
    tmp_path: Path,
) -> None:
    app = application(
        tmp_path,
        {
            "Api": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "prod"}},
            "Stream": {"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": 1}},
            "Reader": {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {"EventSourceArn": {"Fn::GetAtt": ["Stream", "Arn"]}, "FunctionName": "reader"},
            },
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
            "Invoke": {"Type": "AWS::Lambda::Permission", "Properties": {"Action": "lambda:InvokeFunction"}},
            "Logs": {"Type": "AWS::Logs::LogGroup"},
            "Approvals": {"Type": "AWS::StepFunctions::Activity", "Properties": {"Name": "approvals"}},
        },
    )
    assert [entry[:2] for entry in app.unsupported] == [
        ("Api", "AWS::Serverless::Api"),
        ("Stream", "AWS::Kinesis::Stream"),
        ("Reader", "AWS::Lambda::EventSourceMapping (kinesis)"),
    ]
    assert "start the execution" in app.unsupported[0][2]
    assert "mock the tasks" in app.unsupported[1][2]
    assert app.resources == () and app.event_sources == ()
    assert app.summary().splitlines()[1:] == [
        f"  not created: {logical} ({kind}): {advice}" for logical, kind, advice in app.unsupported
    ]


def test_an_event_source_mapping_of_a_queue_names_the_function_as_the_functions_are_keyed(tmp_path: Path) -> None:
    app = application(
        tmp_path,
        {
            "Jobs": {"Type": "AWS::SQS::Queue"},
            "Worker": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "worker", "Handler": "a.b"}},
            "Mapping": {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {
                    "EventSourceArn": {"Fn::GetAtt": ["Jobs", "Arn"]},
                    "FunctionName": {"Fn::Sub": "${Worker.Arn}:live"},
                    "BatchSize": 2,
                    "FunctionResponseTypes": ["ReportBatchItemFailures"],
                },
            },
        },
    )
    [source] = app.event_sources
    assert (source.kind, source.source, source.target, source.target_kind, source.logical_id) == (
        "sqs",
        QUEUE_ARN.format("Jobs"),
        "worker",
        "lambda",
        "Mapping",
    )
    assert dict(source.options) == {"BatchSize": 2, "FunctionResponseTypes": ["ReportBatchItemFailures"]}


# --- parameters, conditions, regions, idempotence ---------------------------------------------------


def test_a_parameter_without_a_value_is_named_and_substitutions_give_one(tmp_path: Path) -> None:
    resources = {"Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Fn::Sub": "${Stage}-jobs"}}}}
    with pytest.raises(TemplateError, match=r"#Jobs: its name needs the parameter Stage, .*substitutions=\{'Stage'"):
        application(tmp_path, resources, Parameters={"Stage": {"Type": "String"}})
    app = application(
        tmp_path, resources, Parameters={"Stage": {"Type": "String"}}, _options={"substitutions": {"Stage": "qa"}}
    )
    assert [resource.name for resource in app.resources] == ["qa-jobs"]


def test_a_resource_whose_condition_is_false_is_not_created(tmp_path: Path) -> None:
    app = application(
        tmp_path,
        {
            "Always": {"Type": "AWS::SNS::Topic"},
            "OnlyInProd": {"Type": "AWS::SNS::Topic", "Condition": "IsProd"},
        },
        Parameters={"Stage": {"Type": "String", "Default": "dev"}},
        Conditions={"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
    )
    assert [resource.name for resource in app.resources] == ["Always"]


def test_resources_are_created_in_the_region_the_template_resolves_to(tmp_path: Path, world: AwsWorld) -> None:
    app = application(
        tmp_path, {"Jobs": {"Type": "AWS::SQS::Queue"}}, _options={"substitutions": {"AWS::Region": "eu-west-1"}}
    )
    app.provision(world)  # the world's clients are in us-east-1; the template's ARNs and URLs in eu-west-1
    with AwsWorld(region="eu-west-1") as ireland:
        urls = ireland.client("sqs").list_queues()["QueueUrls"]
    assert urls == [f"https://sqs.eu-west-1.amazonaws.com/{ACCOUNT}/Jobs"]
    assert "QueueUrls" not in world.client("sqs").list_queues()


def test_provisioning_twice_changes_nothing(tmp_path: Path, world: AwsWorld) -> None:
    app = provisioned(
        tmp_path,
        world,
        {
            "Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}},
            "Orders": {"Type": "AWS::Serverless::SimpleTable"},
            "Files": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "files"}},
            "Token": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "token", "Type": "String", "Value": "a"}},
        },
    )
    world.client("sqs").set_queue_attributes(QueueUrl=QUEUE_URL.format("Jobs"), Attributes={"VisibilityTimeout": "90"})
    world.client("dynamodb").put_item(TableName="Orders", Item={"id": {"S": "o-1"}})
    world.client("ssm").put_parameter(Name="token", Value="b", Type="String", Overwrite=True)
    app.provision(world)
    attributes = world.client("sqs").get_queue_attributes(QueueUrl=QUEUE_URL.format("Jobs"), AttributeNames=["All"])
    assert attributes["Attributes"]["VisibilityTimeout"] == "90"
    assert world.client("dynamodb").scan(TableName="Orders")["Count"] == 1
    assert world.client("ssm").get_parameter(Name="token")["Parameter"]["Value"] == "b"


def test_a_file_that_is_no_template_is_refused(tmp_path: Path) -> None:
    lone = tmp_path / "flow.asl.json"
    lone.write_text(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}))
    with pytest.raises(TemplateError, match="not a SAM or CloudFormation template"):
        application_from_template(lone)
