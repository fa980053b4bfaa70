"""`sfnlocal serve` in Step Functions Local's place: its configuration (options, variables, Docker env file), the
AWS docs' walkthrough of mocked service integrations through boto3, LAMBDA_ENDPOINT, and --template's handlers
(the other services' endpoints: tests/test_server_service_endpoints.py)."""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server
from sfnlocal.server.step_functions_local import apply, read_env_file, resolve
from sfnlocal.templates import functions_from_template
from sfnlocal.testing.server_fixture import SfnServer

DATA = Path(__file__).parent / "data" / "mock_config"
ROLE = "arn:aws:iam::123456789012:role/DummyRole"


def arguments(**given: Any) -> argparse.Namespace:
    """sfnlocal serve's parsed arguments, as the parser leaves them when nothing is given."""
    defaults: dict[str, Any] = {"account": None, "region": None, "mock_config": None, "env_file": None}
    return argparse.Namespace(**{**defaults, **given})


# Configuration ------------------------------------------------------------------------------------------------


def test_the_command_line_wins_over_an_env_file_which_wins_over_the_environment(tmp_path: Path) -> None:
    env_file = tmp_path / "aws-stepfunctions-local-credentials.txt"
    env_file.write_text(
        "# AWS's template for the Docker image\n"
        "AWS_DEFAULT_REGION=eu-west-1\n"
        "AWS_ACCESS_KEY_ID=AKIAEXAMPLE\n"
        "AWS_SECRET_ACCESS_KEY=secret\n"
        "WAIT_TIME_SCALE=0.5\n"
        "LAMBDA_ENDPOINT=http://127.0.0.1:3001\n"
        "SFN_MOCK_CONFIG=/home/MockConfigFile.json\n"
        "\n"
        "SNS_ENDPOINT=http://localhost:4566\n"
    )
    args = arguments(account="444455556666", env_file=str(env_file))
    environment = {"AWS_ACCOUNT_ID": "111122223333", "AWS_DEFAULT_REGION": "us-west-2", "LAMBDA_ENDPOINT": "http://x:1"}

    notes = apply(args, environment)

    assert (args.account, args.region, args.wait_time_scale) == ("444455556666", "eu-west-1", 0.5)
    assert (args.lambda_endpoint, args.mock_config) == ("http://127.0.0.1:3001", "/home/MockConfigFile.json")
    assert args.service_endpoints == {"sns": "http://localhost:4566"}
    # Step Functions Local signs its calls to the endpoints with the env file's credentials
    assert args.endpoint_credentials == {"aws_access_key_id": "AKIAEXAMPLE", "aws_secret_access_key": "secret"}
    assert notes == [
        "SNS tasks go to http://localhost:4566 (SNS_ENDPOINT)",
        "the calls to the service endpoints are signed with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY",
    ]


def test_an_env_files_credentials_are_not_used_without_a_service_endpoint(tmp_path: Path) -> None:
    env_file = tmp_path / "aws-stepfunctions-local-credentials.txt"
    env_file.write_text("AWS_ACCESS_KEY_ID=AKIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=secret\n")
    args = arguments(env_file=str(env_file))

    assert apply(args, {}) == [
        "not using AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: no service endpoint is set, and sfnlocal serve sends "
        "nothing to AWS"
    ]
    assert (args.service_endpoints, args.endpoint_credentials) == ({}, None)


def test_nothing_set_gives_step_functions_locals_defaults() -> None:
    args = arguments()
    assert apply(args, {}) == []
    # Step Functions Local's defaults (AWS docs): account 123456789012, region us-east-1
    assert (args.account, args.region, args.lambda_endpoint, args.mock_config) == (
        "123456789012",
        "us-east-1",
        None,
        None,
    )
    assert not hasattr(args, "wait_time_scale")


def test_every_service_endpoint_is_applied_and_named_by_the_option_or_variable_that_set_it() -> None:
    variables = {
        "BATCH_ENDPOINT": "http://h:1",
        "DYNAMODB_ENDPOINT": "http://h:2",
        "ECS_ENDPOINT": "http://h:3",
        "GLUE_ENDPOINT": "http://h:4",
        "SAGE_MAKER_ENDPOINT": "http://h:5",  # AWS's spelling
        "SQS_ENDPOINT": "http://h:6",
        "STEP_FUNCTIONS_ENDPOINT": "http://h:8",
    }
    settings = resolve({"sns_endpoint": "http://localhost:4566"}, variables)
    assert settings.notes == [
        "AWS Batch tasks go to http://h:1 (BATCH_ENDPOINT)",
        "DynamoDB tasks go to http://h:2 (DYNAMODB_ENDPOINT)",
        "ECS tasks go to http://h:3 (ECS_ENDPOINT)",
        "Glue tasks go to http://h:4 (GLUE_ENDPOINT)",
        "SageMaker tasks go to http://h:5 (SAGE_MAKER_ENDPOINT)",
        "SQS tasks go to http://h:6 (SQS_ENDPOINT)",
        "SNS tasks go to http://localhost:4566 (--sns-endpoint)",
        "Step Functions tasks go to http://h:8 (STEP_FUNCTIONS_ENDPOINT)",
    ]
    assert settings.values["sagemaker_endpoint"] == "http://h:5"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"WAIT_TIME_SCALE": "-1"}, "WAIT_TIME_SCALE: expected a number of 0 or more"),
        ({"WAIT_TIME_SCALE": "nan"}, "WAIT_TIME_SCALE: expected a number of 0 or more"),
        ({"LAMBDA_ENDPOINT": "localhost:3001"}, "LAMBDA_ENDPOINT: expected the URL of a Lambda Invoke API"),
        ({"SQS_ENDPOINT": "localhost:9324"}, "SQS_ENDPOINT: expected the URL of the SQS API"),
    ],
)
def test_a_value_sfnlocal_cannot_use_is_refused_naming_its_variable(variables: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve({}, variables)


def test_a_line_of_an_env_file_without_a_value_is_refused_with_its_place(tmp_path: Path) -> None:
    env_file = tmp_path / "local.env"
    env_file.write_text("AWS_DEFAULT_REGION=us-east-1\nWAIT_TIME_SCALE\n")
    with pytest.raises(ValueError, match=r"local.env, line 2: expected NAME=VALUE, not 'WAIT_TIME_SCALE'"):
        read_env_file(env_file)


def test_the_cli_accepts_step_functions_locals_option_names() -> None:
    from sfnlocal.cli.main import build_parser

    parsed = build_parser().parse_args(
        ["serve", "-account", "111122223333", "--aws-region", "eu-west-1", "-lambdaEndpoint", "http://h:3001",
         "-sqsEndpoint", "http://h:9324", "--env-file", "f"]
    )  # fmt: skip
    assert (parsed.account, parsed.region, parsed.lambda_endpoint) == ("111122223333", "eu-west-1", "http://h:3001")
    assert (parsed.sqs_endpoint, parsed.env_file) == ("http://h:9324", "f")


# The AWS docs' walkthrough of mocked service integrations, through boto3 --------------------------------------


@pytest.fixture(scope="module")
def walkthrough() -> Iterator[SfnServer]:
    """A server with the walkthrough's mock file (SFN_MOCK_CONFIG in the docs), as its container was started."""
    with Server(Engine(mock_config=str(DATA / "MockConfigFile.json"), seed=7), port=0) as server:
        yield SfnServer(server)


def lambda_sqs_integration(served: SfnServer) -> str:
    """The walkthrough's state machine, created as its `aws stepfunctions create-state-machine` step does."""
    definition = (DATA / "LambdaSQSIntegration.asl.json").read_text()
    response = served.client().create_state_machine(name="LambdaSQSIntegration", definition=definition, roleArn=ROLE)
    return str(response["stateMachineArn"])


def events_of(client: Any, execution_arn: str) -> list[dict[str, Any]]:
    return list(client.get_execution_history(executionArn=execution_arn)["events"])


def test_happy_path_returns_the_mocked_lambda_and_sqs_responses(walkthrough: SfnServer) -> None:
    client = walkthrough.client()
    arn = lambda_sqs_integration(walkthrough)

    execution = client.start_execution(stateMachineArn=arn + "#HappyPath", name="happyPathExecution")["executionArn"]

    # The execution is named under the machine, without the test case (as Step Functions Local names it)
    assert execution == "arn:aws:states:us-east-1:123456789012:execution:LambdaSQSIntegration:happyPathExecution"
    described = client.describe_execution(executionArn=execution)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {
        "MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
        "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51",
    }
    succeeded = [event for event in events_of(client, execution) if event["type"] == "TaskSucceeded"]
    lambda_output = json.loads(succeeded[0]["taskSucceededEventDetails"]["output"])
    assert lambda_output == {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}


def test_retry_path_fails_three_times_then_succeeds(walkthrough: SfnServer) -> None:
    client = walkthrough.client()
    arn = client.list_state_machines()["stateMachines"]
    machine = next(m["stateMachineArn"] for m in arn if m["name"] == "LambdaSQSIntegration")

    execution = client.start_execution(stateMachineArn=machine + "#RetryPath", name="retryPath")["executionArn"]

    assert client.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"
    failures = [
        event["taskFailedEventDetails"]["error"]
        for event in events_of(client, execution)
        if event["type"] == "TaskFailed"
    ]
    # MockedLambdaRetry: invocation 0 throws ResourceNotReady, 1-2 Timeout, 3 returns (Retry MaxAttempts 3)
    assert failures == ["Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException"]


def test_hybrid_path_sends_the_unmocked_sqs_task_to_the_servers_own_aws(walkthrough: SfnServer) -> None:
    client = walkthrough.client()
    machine = next(
        m["stateMachineArn"]
        for m in client.list_state_machines()["stateMachines"]
        if m["name"] == "LambdaSQSIntegration"
    )
    # The queue the definition names, made in the server's in-process AWS (Step Functions Local would call SQS)
    sqs = walkthrough.engine.world.client("sqs")
    queue = sqs.create_queue(QueueName="myQueue")["QueueUrl"]

    execution = client.start_execution(stateMachineArn=machine + "#HybridPath", name="hybridPath")["executionArn"]

    assert client.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"
    message = sqs.receive_message(QueueUrl=queue)["Messages"][0]
    assert json.loads(message["Body"]) == {
        "StatusCode": 200,
        "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"},
    }


# LAMBDA_ENDPOINT and --template -----------------------------------------------------------------------------


class FakeLambda(BaseHTTPRequestHandler):
    """Lambda's Invoke API (POST /2015-03-31/functions/<name>/invocations), as `sam local start-lambda` serves
    it: the function `fails` raises, any other echoes its event and name."""

    def do_POST(self) -> None:
        name = self.path.split("/")[3]
        event = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"null")
        if name == "fails":
            body, headers = (
                {"errorType": "ValueError", "errorMessage": "no stock"},
                {"X-Amz-Function-Error": "Unhandled"},
            )
        else:
            body, headers = {"function": name, "event": event}, {}
        data = json.dumps(body).encode()
        self.send_response(200)
        for key, value in {**headers, "Content-Type": "application/json", "Content-Length": str(len(data))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


@pytest.fixture
def lambda_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLambda)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A SAM template with one Python function, `greeter`."""
    code = tmp_path / "greeter"
    code.mkdir()
    (code / "app.py").write_text(
        "def handler(event, context):\n    return {'hello': event['name'], 'from': 'template'}\n"
    )
    file = tmp_path / "template.yaml"
    file.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Greeter:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      FunctionName: greeter\n"
        "      CodeUri: greeter/\n"
        "      Handler: app.handler\n"
        "      Runtime: python3.12\n"
    )
    return file


def calls(*functions: str) -> str:
    """A definition calling ``functions`` in turn, each result kept under its name."""
    states: dict[str, Any] = {}
    for index, function in enumerate(functions):
        states[function] = {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": function, "Payload": {"name": "Ada"}},
            "ResultSelector": {"payload.$": "$.Payload"},
            "ResultPath": f"$.{function}",
            **({"Next": functions[index + 1]} if index + 1 < len(functions) else {"End": True}),
        }
    return json.dumps({"StartAt": functions[0], "States": states})


def test_template_handlers_run_in_process_and_other_functions_go_to_the_lambda_endpoint(
    template: Path, lambda_endpoint: str
) -> None:
    functions = functions_from_template(template)
    with Server(Engine(functions=functions, lambda_endpoint=lambda_endpoint), port=0) as server:
        client = SfnServer(server).client()
        arn = client.create_state_machine(name="Greet", definition=calls("greeter", "audit"), roleArn=ROLE)[
            "stateMachineArn"
        ]
        execution = client.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
        described = client.describe_execution(executionArn=execution)

    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {
        "greeter": {"payload": {"hello": "Ada", "from": "template"}},
        "audit": {"payload": {"function": "audit", "event": {"name": "Ada"}}},
    }


def test_a_function_error_from_the_lambda_endpoint_fails_the_task_as_lambda_reports_it(lambda_endpoint: str) -> None:
    resource = "arn:aws:lambda:us-east-1:123456789012:function:fails"
    definition = json.dumps(
        {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": resource, "End": True}}}
    )
    with Server(Engine(lambda_endpoint=lambda_endpoint), port=0) as server:
        client = SfnServer(server).client()
        arn = client.create_state_machine(name="Fails", definition=definition, roleArn=ROLE)["stateMachineArn"]
        execution = client.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
        described = client.describe_execution(executionArn=execution)

    # AWS: an unhandled function error fails the task with the function's errorType, its payload as the cause
    assert described["status"] == "FAILED"
    assert described["error"] == "ValueError"
    assert json.loads(described["cause"])["errorMessage"] == "no stock"


def test_serve_refuses_configuration_it_cannot_use_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sfnlocal.cli.main import main

    monkeypatch.setenv("WAIT_TIME_SCALE", "slow")
    assert main(["serve", "--port", "0"]) == 2
    assert "WAIT_TIME_SCALE: expected a number of 0 or more" in capsys.readouterr().err
    monkeypatch.delenv("WAIT_TIME_SCALE")
    assert main(["serve", "--port", "0", "--env-file", str(tmp_path / "missing.env")]) == 2
    assert "missing.env" in capsys.readouterr().err
    assert main(["serve", "--port", "0", "--template", str(tmp_path / "missing.yaml")]) == 2
    assert "--template" in capsys.readouterr().err
