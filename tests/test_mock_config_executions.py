"""The AWS docs' Step Functions Local sample (LambdaSQSIntegration) run as Step Functions Local runs it.

Expected behaviour from the docs' walkthrough: HappyPath succeeds on the mocked Lambda and SQS answers;
RetryPath fails three times (NotReady, then two timeouts) and succeeds on the fourth attempt, after
the retrier's backoff; HybridPath mocks only the Lambda, and the SQS call goes to the service (here,
moto in-process).
"""

from __future__ import annotations

import pytest
from support import REPO

from sfnlocal import AwsWorld, StateMachine
from sfnlocal.integrations.mock_config import MockConfigError

DATA = REPO / "tests" / "data" / "mock_config"
CONFIG = DATA / "MockConfigFile.json"


@pytest.fixture
def machine() -> StateMachine:
    return StateMachine.from_file(DATA / "LambdaSQSIntegration.asl.json", name="LambdaSQSIntegration")


def types(run) -> list[str]:
    return [event["type"] for event in run.history]


def test_happy_path(machine: StateMachine) -> None:
    run = machine.execute({}, mock_config=CONFIG, test_case="HappyPath")
    assert run.status == "SUCCEEDED"
    assert run.state("LambdaState").output == {
        "StatusCode": 200,
        "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"},
    }
    assert run.output == {
        "MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
        "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51",
    }


def test_retry_path_counts_every_invocation(machine: StateMachine) -> None:
    run = machine.execute({}, mock_config=CONFIG, test_case="RetryPath")
    assert run.status == "SUCCEEDED"
    failures = [e["taskFailedEventDetails"]["error"] for e in run.history if e["type"] == "TaskFailed"]
    assert failures == ["Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException"]
    # Backoff 2 s, 4 s, 8 s on the virtual clock.
    assert (run.stop_date - run.start_date).total_seconds() == 14


def test_hybrid_path_sends_the_unmocked_message_to_the_service(machine: StateMachine) -> None:
    with AwsWorld(account="123456789012") as aws:
        sqs = aws.client("sqs")
        queue_url = sqs.create_queue(QueueName="myQueue")["QueueUrl"]
        run = machine.execute({}, mock_config=CONFIG, test_case="HybridPath", aws=aws)
        assert run.status == "SUCCEEDED", run.cause
        message = sqs.receive_message(QueueUrl=queue_url)["Messages"][0]
    assert "MessageId" in run.output and "MD5OfMessageBody" in run.output
    assert '"Hello from Lambda!"' in message["Body"]


def test_arn_hash_test_case_and_environment_variable(machine: StateMachine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SFN_MOCK_CONFIG", str(CONFIG))
    run = machine.execute({}, test_case=f"{machine.arn}#HappyPath")
    assert run.status == "SUCCEEDED"


def test_an_unknown_test_case_is_refused_naming_the_ones_that_exist(machine: StateMachine) -> None:
    with pytest.raises(MockConfigError, match="HappyPath"):
        machine.execute({}, mock_config=CONFIG, test_case="NoSuchCase")
