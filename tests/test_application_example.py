"""The bundled serverless application examples/shipping, run whole and offline (issue 17's round trip).

Its state machine validates an order (a Lambda function), sends a shipment request with its task token to the
template's SQS queue (``sqs:sendMessage.waitForTaskToken``) and waits; the warehouse function, subscribed to
that queue (SAM ``Events: SQS`` with ``ReportBatchItemFailures``), records the shipment in the template's
DynamoDB table (named by an environment variable set with ``!Ref``) and answers with ``SendTaskSuccess`` or
``SendTaskFailure`` through boto3; the workflow then publishes to the template's SNS topic, which a queue
subscribes to (standing in for the customers' email).

Expected values come from the example's definition and handlers (the total is the sum of price x quantity;
the tracking number is the carrier's code, a dash and the order id in capitals; La Poste serves FR), and from
AWS's documented behaviour: Lambda's SQS event (``Records`` with ``messageId``, ``receiptHandle``, ``body``,
``attributes``, ``eventSource: aws:sqs``, ...); with ``ReportBatchItemFailures`` the messages a handler does not
name in ``batchItemFailures`` are deleted and the others come back after the queue's visibility timeout (60 s
here); a message received more than ``maxReceiveCount`` (3) times moves to the dead-letter queue; a task whose
``TimeoutSeconds`` (3600) passes fails with ``States.Timeout`` (an execution waiting on a token nobody answers is
suspended by sfnlocal: ``advance`` lets its virtual time pass); SNS delivers to an SQS subscriber with
``RawMessageDelivery`` the message text itself.

The first tests drive the round trip by hand (the resources created with boto3, the queue's message delivered to
the warehouse function by the test); the others run the application as a user does, with no mocks and nothing by
hand: the template's resources provisioned and its event sources delivered.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import pytest
from support import REPO

from sfnlocal import AwsWorld, StateMachine
from sfnlocal.cli.main import main
from sfnlocal.integrations.aws.inventory import published_messages, world_summary
from sfnlocal.integrations.lambda_functions import LambdaFunctions

TEMPLATE = "examples/shipping/template.yaml"
ORDER = json.loads((REPO / "examples" / "shipping" / "input.json").read_text())
REGION, ACCOUNT = "us-east-1", "123456789012"
QUEUE_URL = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/ShipmentQueue"  # what !Ref gives for a queue
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:NotificationTopic"
SHIPMENT = {"carrier": "La Poste", "trackingNumber": "LP-ORDER-42"}  # FR is La Poste's; LP- + ORDER-42
SHIPPED = {
    "orderId": "order-42",
    "address": {"country": "FR", "postcode": "75011"},
    "total": 17.0,  # 2.5 x 4 + 7 x 1
    "shipment": SHIPMENT,
}
SHIPPED_EMAIL = "Order order-42 has shipped with La Poste: tracking number LP-ORDER-42."
PAGE = REPO / "docs" / "applications.md"
PAGE_EXAMPLES = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository's root, as docs/applications.md does."""
    monkeypatch.chdir(REPO)


@pytest.fixture(scope="module")
def shipping() -> StateMachine:
    return StateMachine.from_template(TEMPLATE)


@pytest.fixture(scope="module")
def by_hand(shipping: StateMachine) -> StateMachine:
    """The same definition and functions, loaded without their template: nothing is provisioned for it and no event
    source delivers, so that the tests below do both by hand."""
    return StateMachine.from_dict(shipping.definition, functions=shipping.functions.values(), name=shipping.name)


def order(**changes: Any) -> dict[str, Any]:
    """The example's order with some fields changed."""
    return {**json.loads(json.dumps(ORDER)), **changes}


# By hand: what provisioning and the SQS event source will do, done by the test -----------------------------


def create_resources(world: AwsWorld) -> dict[str, str]:
    """The template's queues, table, topic and subscription, made with boto3 as the template declares them."""
    sqs = world.client("sqs")
    dlq = sqs.create_queue(QueueName="ShipmentDeadLetterQueue")["QueueUrl"]
    redrive = {"deadLetterTargetArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:ShipmentDeadLetterQueue", "maxReceiveCount": 3}
    queue = sqs.create_queue(
        QueueName="ShipmentQueue", Attributes={"VisibilityTimeout": "60", "RedrivePolicy": json.dumps(redrive)}
    )["QueueUrl"]
    email = sqs.create_queue(QueueName="CustomerEmailQueue")["QueueUrl"]
    world.client("dynamodb").create_table(
        TableName="ShipmentsTable",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "orderId", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "orderId", "KeyType": "HASH"}],
    )
    sns = world.client("sns")
    topic = sns.create_topic(Name="NotificationTopic")["TopicArn"]
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=f"arn:aws:sqs:{REGION}:{ACCOUNT}:CustomerEmailQueue",
        Attributes={"RawMessageDelivery": "true"},
    )
    assert (queue, topic) == (QUEUE_URL, TOPIC_ARN)  # the identifiers the definition was given
    return {"queue": queue, "dlq": dlq, "email": email}


def deliver_shipment_requests(machine: StateMachine, world: AwsWorld) -> dict[str, Any]:
    """One poll of the queue by the warehouse function's event source mapping: receive a batch, invoke the
    function with Lambda's SQS event, delete the messages it did not report as failed. Its response."""
    sqs = world.client("sqs")
    received = sqs.receive_message(
        QueueUrl=QUEUE_URL, MaxNumberOfMessages=10, AttributeNames=["All"], MessageAttributeNames=["All"]
    )["Messages"]
    records = [
        {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message["Attributes"],
            "messageAttributes": {},
            "md5OfBody": message["MD5OfBody"],
            "eventSource": "aws:sqs",
            "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:ShipmentQueue",
            "awsRegion": REGION,
        }
        for message in received
    ]
    functions = LambdaFunctions(machine.functions.values(), world)
    response = functions.call(
        "WarehouseFunction", {"Records": records}, now=0.0, request_id="r-1", region=REGION, account=ACCOUNT
    )
    failed = {failure["itemIdentifier"] for failure in response["batchItemFailures"]}
    for message in received:
        if message["MessageId"] not in failed:
            sqs.delete_message(QueueUrl=QUEUE_URL, ReceiptHandle=message["ReceiptHandle"])
    return response


def emails(world: AwsWorld, queue: str) -> list[str]:
    return [message["Body"] for message in world.client("sqs").receive_message(QueueUrl=queue)["Messages"]]


def test_the_template_wires_the_definition_and_the_functions_to_its_resources(shipping: StateMachine) -> None:
    assert shipping.name == "ShippingStateMachine"
    assert sorted(shipping.functions) == ["ValidateOrderFunction", "WarehouseFunction"]
    assert shipping.functions["WarehouseFunction"].environment == {"SHIPMENTS_TABLE": "ShipmentsTable"}
    states = shipping.definition["States"]
    assert states["Request shipment"]["Parameters"]["QueueUrl"] == QUEUE_URL
    assert states["Notify customer"]["Parameters"]["TopicArn"] == TOPIC_ARN


def test_the_round_trip_by_hand(by_hand: StateMachine) -> None:
    with AwsWorld() as world:
        queues = create_resources(world)
        run = by_hand.execute(ORDER, aws=world)
        assert (run.status, [task["stateName"] for task in run.waiting_tasks]) == ("RUNNING", ["Request shipment"])

        assert deliver_shipment_requests(by_hand, world) == {"batchItemFailures": []}

        assert (run.status, run.output) == ("SUCCEEDED", SHIPPED)
        assert run.path == ["Validate order", "Request shipment", "Notify customer"]
        item = world.client("dynamodb").get_item(TableName="ShipmentsTable", Key={"orderId": {"S": "order-42"}})
        assert item["Item"]["trackingNumber"] == {"S": "LP-ORDER-42"}
        assert emails(world, queues["email"]) == [SHIPPED_EMAIL]
        assert [sent["Subject"] for sent in published_messages(world, "NotificationTopic")] == [
            "Your order has shipped"
        ]
        summary = world_summary(world)
        assert summary["queues"]["ShipmentQueue"] == {
            "messages": 0,
            "in_flight": 0,
            "delayed": 0,
            "dead_letter_queue": "ShipmentDeadLetterQueue",
        }
        assert summary["tables"] == {"ShipmentsTable": {"items": 1}}


def test_a_country_no_carrier_serves_is_answered_with_a_failure_by_hand(by_hand: StateMachine) -> None:
    with AwsWorld() as world:
        queues = create_resources(world)
        run = by_hand.execute(order(address={"country": "AQ", "postcode": "0"}), aws=world)
        deliver_shipment_requests(by_hand, world)
        assert (run.status, run.error) == ("FAILED", "ShipmentFailed")
        assert run.path[-2:] == ["Notify failure", "Not shipped"]
        assert run.state("Notify failure").input["error"] == {
            "Error": "CountryNotServed",
            "Cause": "No carrier delivers to AQ",
        }
        assert emails(world, queues["email"]) == ["Order order-42 could not be shipped (CountryNotServed)."]


def test_a_request_the_warehouse_cannot_read_is_reported_as_a_batch_item_failure_by_hand(
    by_hand: StateMachine,
) -> None:
    with AwsWorld() as world:
        create_resources(world)
        run = by_hand.execute(order(address={"country": "FR"}), aws=world)
        [message_id] = [
            message["MessageId"]
            for message in world.client("sqs").receive_message(QueueUrl=QUEUE_URL, VisibilityTimeout=0)["Messages"]
        ]
        assert deliver_shipment_requests(by_hand, world) == {"batchItemFailures": [{"itemIdentifier": message_id}]}
        assert run.status == "RUNNING"  # nobody answered: the message goes back to the queue


def test_an_order_without_lines_fails_before_any_resource_is_used(shipping: StateMachine) -> None:
    run = shipping.execute(order(lines=[]))
    assert (run.status, run.error, run.path) == ("FAILED", "InvalidOrder", ["Validate order"])
    assert json.loads(run.cause)["errorMessage"] == "order 'order-42' has no lines"


# As a user runs it: no mocks, nothing by hand -------------------------------------------------------------


def test_the_application_runs_offline_with_no_mocks() -> None:
    run = StateMachine.from_template(TEMPLATE).execute(ORDER)
    assert (run.status, run.output) == ("SUCCEEDED", SHIPPED)
    assert run.path == ["Validate order", "Request shipment", "Notify customer"]


def test_what_the_application_did_can_be_read_in_the_world(shipping: StateMachine) -> None:
    with AwsWorld() as world:
        run = shipping.execute(ORDER, aws=world)
        assert run.status == "SUCCEEDED"
        summary = world_summary(world)
        assert summary["queues"] == {
            # the event source mapping deleted the request the warehouse handled
            "CustomerEmailQueue": {"messages": 1, "in_flight": 0, "delayed": 0},
            "ShipmentDeadLetterQueue": {
                "messages": 0,
                "in_flight": 0,
                "delayed": 0,
                "dead_letter_for": ["ShipmentQueue"],
            },
            "ShipmentQueue": {
                "messages": 0,
                "in_flight": 0,
                "delayed": 0,
                "dead_letter_queue": "ShipmentDeadLetterQueue",
            },
        }
        assert summary["tables"] == {"ShipmentsTable": {"items": 1}}
        assert summary["topics"] == {"NotificationTopic": {"published": 1, "subscriptions": 1}}
        email_queue = world.client("sqs").get_queue_url(QueueName="CustomerEmailQueue")["QueueUrl"]
        assert emails(world, email_queue) == [SHIPPED_EMAIL]


def test_a_country_no_carrier_serves_fails_the_order(shipping: StateMachine) -> None:
    run = shipping.execute(order(address={"country": "AQ", "postcode": "0"}))
    assert (run.status, run.error) == ("FAILED", "ShipmentFailed")
    assert run.state("Notify failure").input["error"]["Error"] == "CountryNotServed"


def test_a_request_the_warehouse_cannot_read_ends_in_the_dead_letter_queue(shipping: StateMachine) -> None:
    with AwsWorld() as world:
        run = shipping.execute(order(address={"country": "FR"}), aws=world)
        # Received three times, 60 s apart (the visibility timeout), then moved to the DLQ at the next receive;
        # nobody answered the token, so the execution waits on.
        assert (run.status, [task["stateName"] for task in run.waiting_tasks]) == ("RUNNING", ["Request shipment"])
        summary = world_summary(world)
        assert summary["queues"]["ShipmentDeadLetterQueue"]["messages"] == 1
        assert summary["queues"]["ShipmentQueue"]["messages"] == 0
        assert summary["tables"] == {"ShipmentsTable": {"items": 0}}

        run.advance(3600)  # the task's TimeoutSeconds: States.Timeout, caught, and the customer is told
        assert (run.status, run.error) == ("FAILED", "ShipmentFailed")
        assert run.state("Notify failure").input["error"]["Error"] == "States.Timeout"
        email_queue = world.client("sqs").get_queue_url(QueueName="CustomerEmailQueue")["QueueUrl"]
        assert emails(world, email_queue) == ["Order order-42 could not be shipped (States.Timeout)."]


def test_the_same_seed_gives_the_same_run(shipping: StateMachine) -> None:
    first, second = (shipping.execute(ORDER, seed=7) for _ in range(2))
    assert first.status == "SUCCEEDED"
    assert first.history == second.history


def test_the_command_line_runs_the_application(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["run", "--json", "--template", TEMPLATE, "--input", "@examples/shipping/input.json"])
    printed = json.loads(capsys.readouterr().out)
    assert (code, printed["status"], printed["output"]) == (0, "SUCCEEDED", SHIPPED)


@pytest.mark.parametrize("index", range(len(PAGE_EXAMPLES)))
def test_the_page_examples_run(index: int) -> None:
    exec(compile(PAGE_EXAMPLES[index], f"docs/applications.md[{index}]", "exec"), {})


def test_the_page_command_runs(capsys: pytest.CaptureFixture[str]) -> None:
    [command] = re.findall(r"```bash\n(.*?)```", PAGE.read_text(), re.S)
    assert main(shlex.split(command.strip())[1:]) == 0
    assert "SUCCEEDED" in capsys.readouterr().out
