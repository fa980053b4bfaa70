"""sfnlocal serve with Step Functions Local's service endpoints (SQS_ENDPOINT, DYNAMODB_ENDPOINT, SNS_ENDPOINT,
STEP_FUNCTIONS_ENDPOINT): the tasks calling those services go to the user's server, here moto's own server.

moto's server runs in a process of its own: in this one it would share its data with the in-process AWS that
serves the tasks of services without an endpoint, and a task sent to the wrong one would go unnoticed.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server
from sfnlocal.server.service_endpoints import ServiceEndpoints
from sfnlocal.testing.server_fixture import FAKE_CREDENTIALS, SfnServer

pytest.importorskip("flask", reason="moto's server needs moto[server]")

ROLE = "arn:aws:iam::123456789012:role/DummyRole"
REGION = "us-east-1"
_MOTO_SERVER = """
import sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()  # until the test closes it
server.stop()
"""


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """The URL of a moto server (`moto.server.ThreadedMotoServer` on 127.0.0.1), the user's endpoint."""
    process = subprocess.Popen(
        [sys.executable, "-c", _MOTO_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdin is not None
    port = int(process.stdout.readline())
    yield f"http://127.0.0.1:{port}"
    process.stdin.close()
    process.wait(timeout=30)


def client(service: str, url: str) -> Any:
    """A boto3 client of the user's endpoint, as the user's own code would make it."""
    return boto3.client(service, endpoint_url=url, region_name=REGION, **FAKE_CREDENTIALS)


@pytest.fixture
def sfn(endpoint: str) -> Iterator[SfnServer]:
    """sfnlocal serve with SQS, DynamoDB and SNS at the endpoint."""
    urls = {"sqs": endpoint, "dynamodb": endpoint, "sns": endpoint}
    with Server(Engine(integration=ServiceEndpoints(urls, REGION)), port=0) as server:
        yield SfnServer(server)


def run(sfn: SfnServer, states: dict[str, Any], execution_input: Any = None) -> dict[str, Any]:
    """Create a machine of ``states`` (the first starts), start it and describe the execution."""
    client = sfn.client()
    definition = json.dumps({"StartAt": next(iter(states)), "States": states})
    name = f"m{time.monotonic_ns()}"
    arn = client.create_state_machine(name=name, definition=definition, roleArn=ROLE)["stateMachineArn"]
    started = client.start_execution(stateMachineArn=arn, input=json.dumps(execution_input or {}))
    return client.describe_execution(executionArn=started["executionArn"])


def task(resource: str, parameters: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "Parameters": parameters, "End": True, **fields}


def test_sqs_send_message_puts_the_message_in_the_endpoints_queue(sfn: SfnServer, endpoint: str) -> None:
    sqs = client("sqs", endpoint)
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]

    described = run(
        sfn, {"Send": task("arn:aws:states:::sqs:sendMessage", {"QueueUrl": url, "MessageBody": {"id": 42}})}
    )

    assert described["status"] == "SUCCEEDED", described
    output = json.loads(described["output"])
    messages = sqs.receive_message(QueueUrl=url)["Messages"]
    assert [message["Body"] for message in messages] == ['{"id":42}']
    # SendMessage's result with the Java SDK v1 metadata, as the optimized integration returns it
    assert output["MessageId"] == messages[0]["MessageId"]
    assert output["MD5OfMessageBody"] == "053d97b35951861fb2a956062b3a95dd"  # MD5 of {"id":42}
    assert output["SdkHttpMetadata"]["HttpStatusCode"] == 200


def test_dynamodb_put_then_get_round_trips_through_the_endpoint(sfn: SfnServer, endpoint: str) -> None:
    dynamodb = client("dynamodb", endpoint)
    dynamodb.create_table(
        TableName="orders",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    item = {"id": {"S": "42"}, "total": {"N": "9.5"}}
    states = {
        "Put": {**task("arn:aws:states:::dynamodb:putItem", {"TableName": "orders", "Item": item}), "End": False,
                "ResultPath": None, "Next": "Get"},
        "Get": task("arn:aws:states:::aws-sdk:dynamodb:getItem", {"TableName": "orders", "Key": {"id": {"S": "42"}}}),
    }  # fmt: skip

    described = run(sfn, states)

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"Item": item}  # the AWS SDK integration's GetItem response
    assert dynamodb.get_item(TableName="orders", Key={"id": {"S": "42"}})["Item"] == item


def test_sns_publish_reaches_the_endpoints_topic(sfn: SfnServer, endpoint: str) -> None:
    sns, sqs = client("sns", endpoint), client("sqs", endpoint)
    topic = sns.create_topic(Name="shipped")["TopicArn"]
    queue = sqs.create_queue(QueueName="shipped-copies")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})

    described = run(sfn, {"Notify": task("arn:aws:states:::sns:publish", {"TopicArn": topic, "Message": "parcel 7"})})

    assert described["status"] == "SUCCEEDED", described
    assert sorted(json.loads(described["output"])) == ["MessageId", "SdkHttpMetadata", "SdkResponseMetadata"]
    assert [message["Body"] for message in sqs.receive_message(QueueUrl=queue)["Messages"]] == ["parcel 7"]


def test_an_error_of_the_endpoint_fails_the_task_as_aws_names_it(sfn: SfnServer, endpoint: str) -> None:
    missing = f"{endpoint}/123456789012/no-such-queue"

    optimized = run(sfn, {"Send": task("arn:aws:states:::sqs:sendMessage", {"QueueUrl": missing, "MessageBody": "x"})})
    sdk = run(
        sfn, {"Send": task("arn:aws:states:::aws-sdk:sqs:sendMessage", {"QueueUrl": missing, "MessageBody": "x"})}
    )

    # The Java SDK v1 exception of the optimized integration, the v2 one (prefix Sqs) of the AWS SDK integration
    assert (optimized["status"], optimized["error"]) == ("FAILED", "SQS.QueueDoesNotExistException")
    assert optimized["cause"].startswith("The specified queue does not exist. (Service: AmazonSQS; Status Code: 400; ")
    assert "Error Code: AWS.SimpleQueueService.NonExistentQueue;" in optimized["cause"]
    assert (sdk["status"], sdk["error"]) == ("FAILED", "Sqs.QueueDoesNotExistException")
    assert sdk["cause"].startswith("The specified queue does not exist. (Service: Sqs, Status Code: 400, ")


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_endpoint_that_does_not_answer_fails_the_task_naming_it_and_catch_sees_it() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    send = task("arn:aws:states:::sqs:sendMessage", {"QueueUrl": f"{url}/123456789012/q", "MessageBody": "x"})
    caught = {key: value for key, value in send.items() if key != "End"}
    caught.update(Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "Fallback"}], Next="Fallback")
    with Server(Engine(integration=ServiceEndpoints({"sqs": url}, REGION)), port=0) as server:
        sfn = SfnServer(server)
        failed = run(sfn, {"Send": send})
        handled = run(sfn, {"Send": caught, "Fallback": {"Type": "Pass", "End": True}})
        assert sfn.client().list_state_machines()["stateMachines"]  # the server still answers

    assert (failed["status"], failed["error"]) == ("FAILED", "States.TaskFailed")
    assert failed["cause"] == f'Unable to execute HTTP request: Could not connect to the endpoint URL: "{url}/"'
    assert handled["status"] == "SUCCEEDED"
    assert json.loads(handled["output"])["Error"] == "States.TaskFailed"


def test_wait_for_task_token_sends_the_message_to_the_endpoint_then_waits_for_send_task_success(
    sfn: SfnServer, endpoint: str
) -> None:
    sqs = client("sqs", endpoint)
    url = sqs.create_queue(QueueName="approvals")["QueueUrl"]
    body = {"order.$": "$.order", "token.$": "$$.Task.Token"}
    states = {"Ask": task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", {"QueueUrl": url, "MessageBody": body})}

    waiting = run(sfn, states, {"order": 7})
    message = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])
    sfn.client().send_task_success(taskToken=message["token"], output=json.dumps({"approved": True}))
    described = sfn.client().describe_execution(executionArn=waiting["executionArn"])

    assert waiting["status"] == "RUNNING"
    assert message["order"] == 7
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"approved": True}


def test_start_execution_goes_to_the_step_functions_endpoint() -> None:
    with Server(Engine(), port=0) as other:
        child_client = SfnServer(other).client()
        child = child_client.create_state_machine(
            name="Child", definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
            roleArn=ROLE,
        )["stateMachineArn"]  # fmt: skip
        urls = {"stepfunctions": other.endpoint_url}
        with Server(Engine(integration=ServiceEndpoints(urls, REGION)), port=0) as server:
            sfn = SfnServer(server)
            parameters = {"StateMachineArn": child, "Input": {"n": 1}}
            started = run(sfn, {"Start": task("arn:aws:states:::states:startExecution", parameters)})
            synced = run(
                sfn, {"Start": task("arn:aws:states:::states:startExecution.sync:2", {"StateMachineArn": child})}
            )
        executions = child_client.list_executions(stateMachineArn=child)["executions"]

    assert started["status"] == "SUCCEEDED", started
    output = json.loads(started["output"])
    assert [execution["executionArn"] for execution in executions] == [output["ExecutionArn"]]
    assert isinstance(output["StartDate"], int)  # epoch milliseconds, as the optimized integration gives it
    assert (synced["status"], synced["error"]) == ("FAILED", "sfnlocal.Unsupported")
    assert "does not follow executions running elsewhere" in synced["cause"]


def test_the_cli_takes_sqs_endpoint_from_an_env_file_and_says_where_tasks_go(endpoint: str, tmp_path: Path) -> None:
    sqs = client("sqs", endpoint)
    url = sqs.create_queue(QueueName="from-cli")["QueueUrl"]
    env_file = tmp_path / "aws-stepfunctions-local-credentials.txt"
    env_file.write_text(f"AWS_ACCESS_KEY_ID=AKIDEXAMPLE\nAWS_SECRET_ACCESS_KEY=secret\nSQS_ENDPOINT={endpoint}\n")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sfnlocal.cli.main",
            "serve",
            "--port",
            "0",
            "--db",
            ":memory:",
            "--env-file",
            str(env_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        server_url = line.split(" on ", 1)[1].split(" ", 1)[0]
        sfn_client = boto3.client("stepfunctions", endpoint_url=server_url, region_name=REGION, **FAKE_CREDENTIALS)
        send = task("arn:aws:states:::sqs:sendMessage", {"QueueUrl": url, "MessageBody": "from the CLI"})
        definition = json.dumps({"StartAt": "Send", "States": {"Send": send}})
        arn = sfn_client.create_state_machine(name="Cli", definition=definition, roleArn=ROLE)["stateMachineArn"]
        execution = sfn_client.start_execution(stateMachineArn=arn)["executionArn"]
        status = sfn_client.describe_execution(executionArn=execution)["status"]
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)

    assert status == "SUCCEEDED"
    assert [message["Body"] for message in sqs.receive_message(QueueUrl=url)["Messages"]] == ["from the CLI"]
    assert f"sfnlocal serve: SQS tasks go to {endpoint} (SQS_ENDPOINT)" in errors
    assert "sfnlocal serve: the calls to the service endpoints are signed with AWS_ACCESS_KEY_ID, " in errors
    assert "the tasks of the services without an endpoint are served" in errors
