"""A task token answered through the API reaches the server that issued it, even though the server's executions
run in this process (where sfnlocal's own boto3 hook answers tokens of in-process executions)."""

from __future__ import annotations

import json

import pytest

from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server
from sfnlocal.testing.server_fixture import SfnServer

QUEUE_TASK = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl.$": "$.queue", "MessageBody": {"token.$": "$$.Task.Token"}},
            "End": True,
        }
    },
}


@pytest.mark.parametrize("round_", [1, 2])  # a second server in the same process, after the first's SQS task
def test_send_task_success_through_the_api_resumes_the_servers_execution(round_: int) -> None:
    with Server(Engine(region="us-east-1", account="123456789012"), port=0) as server:
        served = SfnServer(server)
        client = served.client()
        sqs = served.engine.world.client("sqs")
        queue = sqs.create_queue(QueueName=f"asks-{round_}")["QueueUrl"]
        machine = client.create_state_machine(
            name="asks", definition=json.dumps(QUEUE_TASK), roleArn="arn:aws:iam::123456789012:role/r"
        )["stateMachineArn"]
        execution = client.start_execution(stateMachineArn=machine, input=json.dumps({"queue": queue}))
        [message] = sqs.receive_message(QueueUrl=queue)["Messages"]
        token = json.loads(message["Body"])["token"]
        answered = client.send_task_success(taskToken=token, output='{"ok": true}')
        # The server answered (its own request id), not sfnlocal's in-process hook
        assert answered["ResponseMetadata"]["RequestId"] != "00000000-0000-0000-0000-000000000000"
        described = client.describe_execution(executionArn=execution["executionArn"])
        assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"ok": True})
