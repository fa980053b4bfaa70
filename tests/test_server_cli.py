"""`sfnlocal serve` as a user starts it (a subprocess), driven by boto3 and by the real AWS CLI; and the
`sfn_server` fixture the pytest plugin provides."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from sfnlocal.cli.main import main
from sfnlocal.testing.server_fixture import SfnServer

DEFINITION = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": {"hello": "world"}, "End": True}}}
ROLE = "arn:aws:iam::123456789012:role/DummyRole"
FAKE_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`sfnlocal serve --port 0` in a subprocess, and the endpoint URL it printed."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from sfnlocal.cli.main import main; sys.exit(main())",
            "serve",
            "--port",
            "0",
            "--db",
            ":memory:",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "the Step Functions API on http://127.0.0.1:" in line, line + process.stderr.read()  # type: ignore[union-attr]
    url = line.split(" on ", 1)[1].split(" ", 1)[0]
    yield process, url
    if process.poll() is None:
        process.kill()
        process.wait()


def sfn(url: str) -> Any:
    return boto3.client(
        "stepfunctions",
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
        config=Config(inject_host_prefix=False, retries={"total_max_attempts": 1}),
    )


def test_boto3_runs_an_execution_through_the_served_api(served: tuple[Any, str]) -> None:
    client = sfn(served[1])
    machine = client.create_state_machine(name="hello", definition=json.dumps(DEFINITION), roleArn=ROLE)
    assert machine["stateMachineArn"] == "arn:aws:states:us-east-1:123456789012:stateMachine:hello"
    started = client.start_execution(stateMachineArn=machine["stateMachineArn"], name="first")
    described = client.describe_execution(executionArn=started["executionArn"])
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"hello": "world"})


@pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI (awscli, in the test extra) is not installed")
def test_the_aws_cli_talks_to_the_server(served: tuple[Any, str]) -> None:
    env = {**os.environ, **FAKE_ENV, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
    env["AWS_DISABLE_HOST_PREFIX_INJECTION"] = "true"  # sync-127.0.0.1 resolves nowhere

    def aws(*args: str) -> Any:
        done = subprocess.run(
            ["aws", "stepfunctions", "--endpoint-url", served[1], *args], env=env, capture_output=True, text=True
        )
        return done.returncode, json.loads(done.stdout) if done.stdout.strip() else done.stderr

    code, created = aws(
        "create-state-machine", "--name", "cli", "--definition", json.dumps(DEFINITION), "--role-arn", ROLE
    )
    assert code == 0, created
    code, listed = aws("list-state-machines")
    assert code == 0
    assert "cli" in [machine["name"] for machine in listed["stateMachines"]]
    code, message = aws("describe-activity", "--activity-arn", "arn:aws:states:us-east-1:123456789012:activity:nope")
    # The AWS CLI exits with 254 (v2) or 255 (v1) on a service error, after printing its code.
    assert code in (254, 255), message
    assert "(ActivityDoesNotExist) when calling the DescribeActivity operation" in message


def test_the_server_stops_on_sigterm(served: tuple[subprocess.Popen[str], str]) -> None:
    process = served[0]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    assert "sfnlocal serve: stopped" in process.stderr.read()  # type: ignore[union-attr]


def test_a_port_in_use_is_a_usage_error(capsys: pytest.CaptureFixture[str], sfn_server: SfnServer) -> None:
    port = str(sfn_server.endpoint_url.rsplit(":", 1)[1])
    assert main(["serve", "--port", port, "--db", ":memory:"]) == 2
    assert f"sfnlocal serve: cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_the_sfn_server_fixture_gives_boto3_clients(sfn_server: SfnServer) -> None:
    assert sfn_server.endpoint_url.startswith("http://127.0.0.1:")
    client = sfn_server.client()
    arn = client.create_activity(name="fixture-work")["activityArn"]
    assert client.describe_activity(activityArn=arn)["name"] == "fixture-work"
    assert sfn_server.engine.region == "us-east-1"
