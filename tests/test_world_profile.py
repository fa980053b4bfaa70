"""The in-process AWS world works whatever AWS configuration the user's environment names (integrations/aws/world.py).

moto makes boto3 sessions of its own while it answers, and a session reads ``AWS_PROFILE``: a profile that does
not exist (a CI runner's, a colleague's) must not fail sfnlocal's requests, nor plain boto3 calls made inside
``with AwsWorld()``. Run in a fresh interpreter, since moto caches the first session it makes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import json
    import boto3
    from sfnlocal import AwsWorld, StateMachine

    send = {"StartAt": "Send", "States": {"Send": {"Type": "Task", "End": True,
        "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl.$": "$.queue", "MessageBody": "hello"}}}}
    with AwsWorld() as world:
        queue = boto3.client("sqs").create_queue(QueueName="orders")["QueueUrl"]  # plain boto3 in the block
        run = StateMachine.from_dict(send).execute({"queue": queue}, aws=world)
        missing = StateMachine.from_dict(send).execute({"queue": queue + "-missing"}, aws=world)
        received = world.client("sqs").receive_message(QueueUrl=queue)["Messages"][0]["Body"]
    print(json.dumps([run.status, received, missing.error]))
    """
)


def test_a_profile_that_does_not_exist_changes_nothing(tmp_path):
    env = {**os.environ, "AWS_PROFILE": "nonexistent", "AWS_DEFAULT_PROFILE": "nonexistent"}
    env.pop("AWS_CONFIG_FILE", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # The missing queue's failure is moto's answer (its error path makes a session of its own too).
    assert json.loads(done.stdout) == ["SUCCEEDED", "hello", "SQS.QueueDoesNotExistException"]
