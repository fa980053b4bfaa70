"""`sfnlocal serve` driven by the real AWS CLI (``awscli`` v1 from PyPI, the test extra): every operation of
botocore's ``stepfunctions`` model at least once, the CLI's parsed JSON output, its pagination, its error output
and exit codes.

Most commands run in this process through the CLI's own entry point (``awscli.clidriver``: argument parsing,
shorthand and ``file://`` parameters, paginators, the JSON formatter, error printing), which is the code the
``aws`` command runs, at ~10 ms a command instead of ~0.7 s for a process; a few run the real ``aws`` command
in a subprocess to show the console script works. In this process the CLI runs on the botocore already imported
(the one boto3 and sfnlocal use), the ``aws`` command on the botocore copy awscli ships with itself.

Each scenario declares the operations it exercises; the CLI's own ``after-call`` event records the operations
the server answered, and each test checks the two are the same. ``test_every_operation_of_the_model_is_exercised``
checks the scenarios' operations together are botocore's: a new operation in botocore fails it until a scenario
runs it.

Expected values are AWS's: the API reference's response members and error codes (with messages recorded from
AWS, as in tests/test_server_versions.py), the CLI's documented exit codes (v1: 255 when the service answers an
error, 2 when the command line cannot be parsed, 0 otherwise) and output (JSON, timestamps as the service sent
them: ``cli_timestamp_format`` ``none`` is v1's default).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server

ROLE = "arn:aws:iam::123456789012:role/DummyRole"
PREFIX = "arn:aws:states:us-east-1:123456789012:"
HELLO = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": {"hello": "world"}, "End": True}}}
FAIL = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Broken", "Cause": "on purpose"}}}
ECHO = {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}}
DISTRIBUTED = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Double",
                "States": {"Double": {"Type": "Pass", "Parameters": {"twice.$": "States.MathAdd($, $)"}, "End": True}},
            },
            "MaxConcurrency": 2,
            "End": True,
        }
    },
}

# Every environment variable the CLI (or botocore under it) reads that could point it elsewhere than the server, or
# at the user's files: the tests set their own or remove them.
CLI_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_OUTPUT",
    "AWS_CA_BUNDLE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SFN",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_RETRY_MODE",
    "AWS_DISABLE_HOST_PREFIX_INJECTION",
    "AWS_PAGER",
    "AWS_CLI_AUTO_PROMPT",
)

# The operations each scenario below runs, registered for the test that checks they cover the model.
SCENARIOS: dict[str, frozenset[str]] = {}


def scenario(name: str, *operations: str) -> frozenset[str]:
    """Registers ``operations`` as the ones scenario ``name`` exercises, and returns them."""
    SCENARIOS[name] = frozenset(operations)
    return SCENARIOS[name]


@dataclass
class Answer:
    """What one ``aws`` command gave: its exit code, its standard output and its standard error."""

    code: int
    stdout: str
    error: str

    @property
    def output(self) -> Any:
        """The standard output parsed as JSON (the CLI's default output), None when the CLI printed nothing."""
        return json.loads(self.stdout) if self.stdout.strip() else None


class AwsCli:
    """The AWS CLI's driver, in this process, pointed at the server; it records the operations the server answered.

    Example: ``cli("list-activities")`` runs ``aws stepfunctions --endpoint-url <server> list-activities`` and gives
    ``Answer(code=0, output={"activities": [...]}, error="")``.
    """

    def __init__(self, driver: Any, endpoint_url: str) -> None:
        self.driver = driver
        self.endpoint_url = endpoint_url
        self.answered: list[tuple[str, int]] = []
        # botocore emits after-call once a response (a success or an error the service answered) is parsed.
        driver.session.register("after-call.sfn", self._record)

    def _record(self, http_response: Any, model: Any, **_: Any) -> None:
        self.answered.append((model.name, http_response.status_code))

    def __call__(self, *args: str) -> Answer:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = self.driver.main(["stepfunctions", "--endpoint-url", self.endpoint_url, *args])
            except SystemExit as exit:  # argparse ends a command line it cannot parse: the aws command's exit code
                code = exit.code if isinstance(exit.code, int) else 1
        return Answer(code, out.getvalue(), err.getvalue())

    def ok(self, *args: str) -> Any:
        """The JSON output of a command that must succeed (exit code 0, nothing on stderr)."""
        answer = self(*args)
        assert (answer.code, answer.error) == (0, ""), answer
        return answer.output

    def refused(self, *args: str) -> str:
        """The stderr of a command the service must refuse (the CLI v1's exit code 255 and no output)."""
        answer = self(*args)
        assert (answer.code, answer.stdout) == (255, ""), answer
        return answer.error

    def operations(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.answered)


def service_error(code: str, operation: str, message: str) -> str:
    """The CLI's stderr for an error the service answered (awscli's ClientError wording)."""
    return f"\nAn error occurred ({code}) when calling the {operation} operation: {message}\n"


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    # GetActivityTask answers at once when no task waits, instead of AWS's 60-second long poll.
    with Server(Engine(seed=11, activity_poll_seconds=0), port=0) as running:
        yield running


@pytest.fixture(scope="module")
def aws_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Dummy credentials and region, empty config and credentials files of the test's own (never the user's),
    no instance metadata lookups; every change undone after the module."""
    home = tmp_path_factory.mktemp("aws")
    config, credentials = home / "config", home / "credentials"
    config.write_text("")
    credentials.write_text("")
    with pytest.MonkeyPatch.context() as patch:
        for name in CLI_VARIABLES:
            patch.delenv(name, raising=False)
        values = {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(config),
            "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
            "AWS_EC2_METADATA_DISABLED": "true",
            # StartSyncExecution and TestState would go to sync-127.0.0.1 (docs/server.md): the documented fix.
            "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
        }
        for name, value in values.items():
            patch.setenv(name, value)
        # Importing awscli adds its data directory to AWS_DATA_PATH, and puts a finder in sys.meta_path that would
        # make a later first "import botocore" (or s3transfer) load the copies awscli ships. AWS_DATA_PATH is set to
        # that directory first (so this context restores it), botocore and s3transfer are imported first, and the
        # finder is taken out again.
        spec = importlib.util.find_spec("awscli")
        if spec is None or not spec.submodule_search_locations:
            pytest.skip("the AWS CLI (awscli, in the test extra) is not installed")
        patch.setenv("AWS_DATA_PATH", str(Path(list(spec.submodule_search_locations)[0]) / "data"))
        import botocore.session  # noqa: F401
        import s3transfer  # noqa: F401

        importlib.import_module("awscli.clidriver")  # after botocore and s3transfer, on purpose (see above)
        sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__module__ != "awscli"]
        yield values


@pytest.fixture(scope="module")
def driver(aws_env: dict[str, str]) -> Any:
    """One driver for the module (as a shell session's commands share one configuration): ~20 ms to make."""
    from awscli.clidriver import create_clidriver

    return create_clidriver()


@pytest.fixture
def cli(driver: Any, server: Server) -> Iterator[AwsCli]:
    running = AwsCli(driver, server.endpoint_url)
    yield running
    driver.session.unregister("after-call.sfn", running._record)


def create_machine(cli: AwsCli, name: str, definition: Any, *more: str) -> str:
    created = cli.ok(
        "create-state-machine", "--name", name, "--definition", dumps(definition), "--role-arn", ROLE, *more
    )
    return str(created["stateMachineArn"])


# State machines and tags ----------------------------------------------------------------------------------

STATE_MACHINES = scenario(
    "state machines and tags",
    "CreateStateMachine",
    "DescribeStateMachine",
    "UpdateStateMachine",
    "ListStateMachines",
    "DeleteStateMachine",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
)


def test_state_machines_and_tags(cli: AwsCli, tmp_path: Path) -> None:
    definition = tmp_path / "hello.asl.json"
    definition.write_text(json.dumps(HELLO, indent=2))
    created = cli.ok(
        "create-state-machine",
        "--name",
        "cli-hello",
        "--definition",
        f"file://{definition}",  # the CLI reads the file: the form docs/server.md shows
        "--role-arn",
        ROLE,
        "--tags",
        "key=team,value=orders",  # the CLI's shorthand syntax for a list of structures
    )
    arn = PREFIX + "stateMachine:cli-hello"
    assert set(created) == {"stateMachineArn", "creationDate"} and created["stateMachineArn"] == arn
    assert isinstance(created["creationDate"], float)  # epoch seconds, as the service sent them

    described = cli.ok("describe-state-machine", "--state-machine-arn", arn)
    assert {key: described[key] for key in ("stateMachineArn", "name", "status", "roleArn", "type")} == {
        "stateMachineArn": arn,
        "name": "cli-hello",
        "status": "ACTIVE",
        "roleArn": ROLE,
        "type": "STANDARD",
    }
    assert described["definition"] == definition.read_text()  # the text as sent, not re-serialised
    assert described["creationDate"] == created["creationDate"]
    # The model: "If called with includedData = METADATA_ONLY, the returned definition will be {}".
    metadata = cli.ok("describe-state-machine", "--state-machine-arn", arn, "--included-data", "METADATA_ONLY")
    assert (metadata["definition"], metadata["name"], metadata["roleArn"]) == ("{}", "cli-hello", ROLE)

    updated = cli.ok("update-state-machine", "--state-machine-arn", arn, "--definition", dumps(ECHO))
    assert set(updated) >= {"updateDate", "revisionId"}
    assert cli.ok("describe-state-machine", "--state-machine-arn", arn)["definition"] == dumps(ECHO)

    listed = cli.ok("list-state-machines")["stateMachines"]
    assert {"stateMachineArn": arn, "name": "cli-hello", "type": "STANDARD"}.items() <= next(
        item for item in listed if item["name"] == "cli-hello"
    ).items()

    assert cli.ok("list-tags-for-resource", "--resource-arn", arn) == {"tags": [{"key": "team", "value": "orders"}]}
    # TagResource and UntagResource answer an empty body: the CLI prints nothing and exits 0.
    assert cli("tag-resource", "--resource-arn", arn, "--tags", "key=team,value=billing", "key=env,value=dev") == (
        Answer(0, "", "")
    )
    assert cli("untag-resource", "--resource-arn", arn, "--tag-keys", "env", "absent") == Answer(0, "", "")
    assert cli.ok("list-tags-for-resource", "--resource-arn", arn) == {"tags": [{"key": "team", "value": "billing"}]}

    assert cli("delete-state-machine", "--state-machine-arn", arn) == Answer(0, "", "")
    assert cli.refused("describe-state-machine", "--state-machine-arn", arn) == service_error(
        "StateMachineDoesNotExist", "DescribeStateMachine", f"State Machine Does Not Exist: '{arn}'"
    )
    assert cli.operations() == STATE_MACHINES


def test_the_service_validates_what_the_cli_does_not(cli: AwsCli) -> None:
    # botocore checks required members and minimum lengths before sending; maximum lengths and patterns are the
    # service's to check, with AWS's wording.
    long_name = "a" * 81
    assert cli.refused("create-activity", "--name", long_name) == service_error(
        "ValidationException",
        "CreateActivity",
        f"1 validation error detected: Value '{long_name}' at 'name' failed to satisfy constraint: "
        "Member must have length less than or equal to 80",
    )
    # A command line the CLI cannot parse never reaches the service: v1 exits with argparse's 2, usage on stderr.
    missing = cli("describe-execution")
    assert (missing.code, missing.stdout) == (2, "")
    assert "the following arguments are required: --execution-arn" in missing.error
    assert cli.answered == [("CreateActivity", 400)]


# Executions -----------------------------------------------------------------------------------------------

EXECUTIONS = scenario(
    "executions",
    "CreateStateMachine",
    "StartExecution",
    "DescribeExecution",
    "DescribeStateMachineForExecution",
    "ListExecutions",
    "GetExecutionHistory",
    "RedriveExecution",
)


def test_executions_history_and_pages(cli: AwsCli) -> None:
    machine = create_machine(cli, "cli-orders", HELLO)
    started = cli.ok("start-execution", "--state-machine-arn", machine, "--name", "order-1", "--input", '{"order": 1}')
    execution = PREFIX + "execution:cli-orders:order-1"
    assert set(started) == {"executionArn", "startDate"} and started["executionArn"] == execution
    # The way scripts read one value: --query and --output text print it bare.
    status = cli("describe-execution", "--execution-arn", execution, "--query", "status", "--output", "text")
    assert status == Answer(0, "SUCCEEDED\n", "")

    described = cli.ok("describe-execution", "--execution-arn", execution)
    # DescribeExecution's members for a SUCCEEDED execution (API reference), redrive fields included.
    assert described == {
        "executionArn": execution,
        "stateMachineArn": machine,
        "name": "order-1",
        "status": "SUCCEEDED",
        "startDate": started["startDate"],
        "stopDate": described["stopDate"],
        "input": '{"order": 1}',
        "inputDetails": {"included": True},
        "output": '{"hello":"world"}',
        "outputDetails": {"included": True},
        "redriveCount": 0,
        "redriveStatus": "NOT_REDRIVABLE",
        "redriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
    }
    assert described["stopDate"] >= described["startDate"]
    missing = execution + "-nope"
    assert cli.refused("describe-execution", "--execution-arn", missing) == service_error(
        "ExecutionDoesNotExist", "DescribeExecution", f"Execution Does Not Exist: '{missing}'"
    )
    # AWS refuses to redrive an execution that succeeded (RedriveExecution, ExecutionNotRedrivable).
    assert cli.refused("redrive-execution", "--execution-arn", execution) == service_error(
        "ExecutionNotRedrivable", "RedriveExecution", "Execution is SUCCEEDED and cannot be redriven"
    )
    for_execution = cli.ok("describe-state-machine-for-execution", "--execution-arn", execution)
    assert (for_execution["stateMachineArn"], for_execution["name"]) == (machine, "cli-orders")
    assert json.loads(for_execution["definition"]) == HELLO

    for index in range(2, 6):
        cli.ok("start-execution", "--state-machine-arn", machine, "--name", f"order-{index}")
    newest_first = [f"order-{index}" for index in range(5, 0, -1)]
    # Without --max-items the CLI's paginator follows every nextToken: --page-size 2 makes three requests.
    before = len(cli.answered)
    everything = cli.ok("list-executions", "--state-machine-arn", machine, "--page-size", "2")
    assert [item["name"] for item in everything["executions"]] == newest_first
    assert cli.answered[before:] == [("ListExecutions", 200)] * 3
    assert set(everything["executions"][0]) == {
        "executionArn",
        "stateMachineArn",
        "name",
        "status",
        "startDate",
        "stopDate",
        "redriveCount",
    }
    # --max-items ends the output with the CLI's own NextToken; --starting-token goes on from it.
    first = cli.ok("list-executions", "--state-machine-arn", machine, "--max-items", "3", "--page-size", "2")
    assert [item["name"] for item in first["executions"]] == newest_first[:3] and "NextToken" in first
    rest = cli.ok(
        "list-executions", "--state-machine-arn", machine, "--max-items", "3", "--starting-token", first["NextToken"]
    )
    assert [item["name"] for item in rest["executions"]] == newest_first[3:] and "NextToken" not in rest
    assert cli.ok("list-executions", "--state-machine-arn", machine, "--status-filter", "FAILED") == {"executions": []}

    events = cli.ok("get-execution-history", "--execution-arn", execution)["events"]
    assert [event["type"] for event in events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    # AWS's chain: the first state's entry points at no event (0), as in GetExecutionHistory's documented example.
    assert [(event["id"], event["previousEventId"]) for event in events] == [(1, 0), (2, 0), (3, 2), (4, 3)]
    assert events[0]["executionStartedEventDetails"]["input"] == '{"order":1}'
    reversed_bare = cli.ok(
        "get-execution-history", "--execution-arn", execution, "--reverse-order", "--no-include-execution-data"
    )["events"]
    assert [event["id"] for event in reversed_bare] == [4, 3, 2, 1]
    # Without execution data (includeExecutionData false) the events carry no input or output.
    assert "output" not in reversed_bare[0]["executionSucceededEventDetails"]
    started_bare = reversed_bare[-1]["executionStartedEventDetails"]
    assert "input" not in started_bare and started_bare["roleArn"] == ROLE
    paged = cli.ok("get-execution-history", "--execution-arn", execution, "--reverse-order", "--max-items", "3")
    assert [event["id"] for event in paged["events"]] == [4, 3, 2]
    last = cli.ok(
        "get-execution-history", "--execution-arn", execution, "--reverse-order", "--starting-token", paged["NextToken"]
    )
    assert [event["id"] for event in last["events"]] == [1]
    assert cli.operations() == EXECUTIONS


# Activities and task tokens -------------------------------------------------------------------------------

ACTIVITIES = scenario(
    "activities",
    "CreateActivity",
    "DescribeActivity",
    "ListActivities",
    "CreateStateMachine",
    "StartExecution",
    "GetActivityTask",
    "SendTaskHeartbeat",
    "SendTaskSuccess",
    "SendTaskFailure",
    "StopExecution",
    "DescribeExecution",
    "DeleteActivity",
)


def test_an_activity_worker_on_the_command_line(cli: AwsCli) -> None:
    created = cli.ok("create-activity", "--name", "cli-approve")
    activity = PREFIX + "activity:cli-approve"
    assert set(created) == {"activityArn", "creationDate"} and created["activityArn"] == activity
    assert cli.ok("describe-activity", "--activity-arn", activity) == {
        "activityArn": activity,
        "name": "cli-approve",
        "creationDate": created["creationDate"],
    }
    assert {"activityArn": activity, "name": "cli-approve", "creationDate": created["creationDate"]} in cli.ok(
        "list-activities"
    )["activities"]
    # No task waits: AWS answers an object without a taskToken, and the CLI v1 prints nothing for an empty one.
    assert cli("get-activity-task", "--activity-arn", activity) == Answer(0, "", "")

    task = {"Type": "Task", "Resource": activity, "HeartbeatSeconds": 300, "End": True}
    machine = create_machine(cli, "cli-approval", {"StartAt": "Approve", "States": {"Approve": task}})
    approved, rejected, stopped = (
        cli.ok("start-execution", "--state-machine-arn", machine, "--name", name, "--input", dumps({"n": name}))[
            "executionArn"
        ]
        for name in ("approved", "rejected", "stopped")
    )
    assert cli.ok("describe-execution", "--execution-arn", approved)["status"] == "RUNNING"

    first = cli.ok("get-activity-task", "--activity-arn", activity, "--worker-name", "cli-worker")
    assert set(first) == {"taskToken", "input"} and json.loads(first["input"]) == {"n": "approved"}
    assert cli("send-task-heartbeat", "--task-token", first["taskToken"]) == Answer(0, "", "")
    assert cli("send-task-success", "--task-token", first["taskToken"], "--task-output", '{"ok": true}') == (
        Answer(0, "", "")
    )
    done = cli.ok("describe-execution", "--execution-arn", approved)
    assert (done["status"], json.loads(done["output"])) == ("SUCCEEDED", {"ok": True})
    # The task has ended: AWS refuses another answer.
    assert cli.refused("send-task-success", "--task-token", first["taskToken"], "--task-output", "{}") == (
        service_error("TaskTimedOut", "SendTaskSuccess", "Task Timed Out: 'Provided task does not exist anymore'")
    )

    second = cli.ok("get-activity-task", "--activity-arn", activity)
    assert json.loads(second["input"]) == {"n": "rejected"}
    answer = ("--error", "Rejected", "--cause", "not approved")
    assert cli("send-task-failure", "--task-token", second["taskToken"], *answer) == Answer(0, "", "")
    failed = cli.ok("describe-execution", "--execution-arn", rejected)
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "Rejected", "not approved")

    halted = cli.ok("stop-execution", "--execution-arn", stopped, "--error", "Halt", "--cause", "by hand")
    assert set(halted) == {"stopDate"}
    aborted = cli.ok("describe-execution", "--execution-arn", stopped)
    assert (aborted["status"], aborted["error"], aborted["stopDate"]) == ("ABORTED", "Halt", halted["stopDate"])

    assert cli("delete-activity", "--activity-arn", activity) == Answer(0, "", "")
    assert cli.refused("describe-activity", "--activity-arn", activity) == service_error(
        "ActivityDoesNotExist", "DescribeActivity", f"Activity Does Not Exist: '{activity}'"
    )
    assert cli.operations() == ACTIVITIES


# Express: StartSyncExecution and the sync- host prefix ----------------------------------------------------

EXPRESS = scenario("express", "CreateStateMachine", "StartSyncExecution")


def test_start_sync_execution_and_the_sync_host_prefix(
    cli: AwsCli, server: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    machine = create_machine(cli, "cli-quick", ECHO, "--type", "EXPRESS")
    synced = cli.ok("start-sync-execution", "--state-machine-arn", machine, "--name", "q1", "--input", '{"n": 2}')
    assert synced["executionArn"].startswith(PREFIX + "express:cli-quick:q1:")
    assert (synced["status"], json.loads(synced["output"]), synced["stateMachineArn"]) == (
        "SUCCEEDED",
        {"n": 2},
        machine,
    )
    assert synced["billingDetails"]["billedMemoryUsedInMB"] == 64 and synced["stopDate"] >= synced["startDate"]

    # awscli v1 puts botocore's "sync-" host prefix before a custom --endpoint-url's host too: the request goes to
    # sync-127.0.0.1, which resolves nowhere.
    monkeypatch.delenv("AWS_DISABLE_HOST_PREFIX_INJECTION")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")  # one name lookup that fails, not the retries' five
    port = server.endpoint_url.rsplit(":", 1)[1]
    unprefixed = cli("start-sync-execution", "--state-machine-arn", machine)
    assert (unprefixed.code, unprefixed.stdout) == (255, "")
    assert unprefixed.error == f'\nCould not connect to the endpoint URL: "http://sync-127.0.0.1:{port}/"\n'
    # The config file's setting works as the variable does (read when a driver starts, as the aws command does).
    config = tmp_path / "config"
    config.write_text("[default]\ndisable_host_prefix_injection = true\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    from awscli.clidriver import create_clidriver

    configured = AwsCli(create_clidriver(), server.endpoint_url)
    assert configured.ok("start-sync-execution", "--state-machine-arn", machine, "--input", "[1]")["output"] == "[1]"
    assert configured.answered == [("StartSyncExecution", 200)]
    assert cli.operations() == EXPRESS


# Versions and aliases -------------------------------------------------------------------------------------

VERSIONS = scenario(
    "versions and aliases",
    "CreateStateMachine",
    "UpdateStateMachine",
    "PublishStateMachineVersion",
    "ListStateMachineVersions",
    "DeleteStateMachineVersion",
    "CreateStateMachineAlias",
    "DescribeStateMachineAlias",
    "UpdateStateMachineAlias",
    "ListStateMachineAliases",
    "DeleteStateMachineAlias",
    "StartExecution",
    "DescribeExecution",
)


def test_versions_and_aliases(cli: AwsCli) -> None:
    created = cli.ok(
        "create-state-machine",
        "--name",
        "cli-versioned",
        "--definition",
        dumps(HELLO),
        "--role-arn",
        ROLE,
        "--publish",
        "--version-description",
        "first",
    )
    machine = PREFIX + "stateMachine:cli-versioned"
    one, two = machine + ":1", machine + ":2"
    assert created["stateMachineVersionArn"] == one
    revision = cli.ok("update-state-machine", "--state-machine-arn", machine, "--definition", dumps(ECHO))["revisionId"]
    published = cli.ok(
        "publish-state-machine-version",
        "--state-machine-arn",
        machine,
        "--revision-id",
        revision,
        "--description",
        "second",
    )
    assert set(published) == {"creationDate", "stateMachineVersionArn"} and published["stateMachineVersionArn"] == two
    versions = cli.ok("list-state-machine-versions", "--state-machine-arn", machine)["stateMachineVersions"]
    assert [(item["stateMachineVersionArn"], set(item)) for item in versions] == [
        (two, {"stateMachineVersionArn", "creationDate"}),
        (one, {"stateMachineVersionArn", "creationDate"}),
    ]

    alias = cli.ok(
        "create-state-machine-alias",
        "--name",
        "live",
        "--description",
        "to version 1",
        "--routing-configuration",
        f"stateMachineVersionArn={one},weight=100",
    )
    alias_arn = machine + ":live"
    assert set(alias) == {"stateMachineAliasArn", "creationDate"} and alias["stateMachineAliasArn"] == alias_arn
    run = cli.ok("start-execution", "--state-machine-arn", alias_arn, "--name", "through-alias")["executionArn"]
    assert run == PREFIX + "execution:cli-versioned:through-alias"
    described = cli.ok("describe-execution", "--execution-arn", run)
    assert (described["stateMachineAliasArn"], described["stateMachineVersionArn"]) == (alias_arn, one)
    assert json.loads(described["output"]) == {"hello": "world"}  # version 1's definition, not the latest

    routing = json.dumps([{"stateMachineVersionArn": two, "weight": 100}])  # the JSON form of the same parameter
    updated = cli.ok(
        "update-state-machine-alias", "--state-machine-alias-arn", alias_arn, "--routing-configuration", routing
    )
    assert set(updated) == {"updateDate"}
    shown = cli.ok("describe-state-machine-alias", "--state-machine-alias-arn", alias_arn)
    assert {key: shown[key] for key in ("stateMachineAliasArn", "name", "description", "routingConfiguration")} == {
        "stateMachineAliasArn": alias_arn,
        "name": "live",
        "description": "to version 1",
        "routingConfiguration": [{"stateMachineVersionArn": two, "weight": 100}],
    }
    listed = cli.ok("list-state-machine-aliases", "--state-machine-arn", machine)["stateMachineAliases"]
    assert [item["stateMachineAliasArn"] for item in listed] == [alias_arn]
    assert cli.refused("delete-state-machine-version", "--state-machine-version-arn", two) == service_error(
        "ConflictException",
        "DeleteStateMachineVersion",
        "Version to be deleted must not be referenced by an alias. "
        "Current list of aliases referencing this version: [live]",
    )
    assert cli("delete-state-machine-alias", "--state-machine-alias-arn", alias_arn) == Answer(0, "", "")
    assert cli("delete-state-machine-version", "--state-machine-version-arn", two) == Answer(0, "", "")
    assert cli.ok("list-state-machine-aliases", "--state-machine-arn", machine) == {"stateMachineAliases": []}
    assert cli.refused("describe-state-machine-alias", "--state-machine-alias-arn", alias_arn) == service_error(
        "ResourceNotFound", "DescribeStateMachineAlias", "Request references a resource that does not exist."
    )
    assert cli.operations() == VERSIONS


# Map runs -------------------------------------------------------------------------------------------------

MAP_RUNS = scenario(
    "map runs",
    "CreateStateMachine",
    "StartExecution",
    "DescribeExecution",
    "ListMapRuns",
    "DescribeMapRun",
    "UpdateMapRun",
    "ListExecutions",
)


def test_the_map_runs_of_a_distributed_map(cli: AwsCli) -> None:
    machine = create_machine(cli, "cli-fanned", DISTRIBUTED)
    execution = cli.ok("start-execution", "--state-machine-arn", machine, "--input", "[1, 2, 3]")["executionArn"]
    done = cli.ok("describe-execution", "--execution-arn", execution)
    assert (done["status"], json.loads(done["output"])) == ("SUCCEEDED", [{"twice": 2}, {"twice": 4}, {"twice": 6}])

    [listed] = cli.ok("list-map-runs", "--execution-arn", execution)["mapRuns"]
    run = listed["mapRunArn"]
    assert run.startswith(PREFIX + "mapRun:cli-fanned/Fan:")
    assert (listed["executionArn"], listed["stateMachineArn"]) == (execution, machine + "/Fan")
    described = cli.ok("describe-map-run", "--map-run-arn", run)
    assert (described["status"], described["maxConcurrency"], described["executionArn"]) == (
        "SUCCEEDED",
        2,
        execution,
    )
    assert (described["itemCounts"]["total"], described["executionCounts"]["succeeded"]) == (3, 3)
    assert cli("update-map-run", "--map-run-arn", run, "--max-concurrency", "5", "--tolerated-failure-count", "1") == (
        Answer(0, "", "")
    )
    updated = cli.ok("describe-map-run", "--map-run-arn", run)
    assert (updated["maxConcurrency"], updated["toleratedFailureCount"]) == (5, 1)
    children = cli.ok("list-executions", "--map-run-arn", run)["executions"]
    assert len(children) == 3 and {(child["status"], child["mapRunArn"]) for child in children} == {("SUCCEEDED", run)}
    missing = run[:-3] + "abc"
    assert cli.refused("describe-map-run", "--map-run-arn", missing).startswith(
        "\nAn error occurred (ResourceNotFound) when calling the DescribeMapRun operation: "
    )
    assert cli.operations() == MAP_RUNS


# Definitions: ValidateStateMachineDefinition and TestState -------------------------------------------------

DEFINITIONS = scenario("definitions", "ValidateStateMachineDefinition", "TestState")


def test_validate_a_definition_and_test_a_state(cli: AwsCli) -> None:
    assert cli.ok("validate-state-machine-definition", "--definition", dumps(HELLO)) == {
        "result": "OK",
        "diagnostics": [],
        "truncated": False,
    }
    broken = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}
    answered = cli.ok("validate-state-machine-definition", "--definition", dumps(broken), "--type", "STANDARD")
    assert answered["result"] == "FAIL" and answered["truncated"] is False
    diagnostic = answered["diagnostics"][0]
    assert (diagnostic["severity"], diagnostic["code"], diagnostic["location"]) == (
        "ERROR",
        "MISSING_TRANSITION_TARGET",
        "/States/A/Next",
    )

    state = {"Type": "Pass", "Parameters": {"id.$": "$.order"}, "Next": "Ship"}
    tested = cli.ok(
        "test-state",
        "--definition",
        dumps(state),
        "--role-arn",
        ROLE,
        "--input",
        '{"order": 42}',
        "--inspection-level",
        "DEBUG",
    )
    assert (tested["status"], tested["output"], tested["nextState"]) == ("SUCCEEDED", '{"id":42}', "Ship")
    inspected = tested["inspectionData"]
    assert (json.loads(inspected["input"]), json.loads(inspected["afterParameters"])) == ({"order": 42}, {"id": 42})
    # A state of a whole machine (--state-name) with its task's failure mocked (--mock, in the parameter's JSON form).
    machine = {
        "QueryLanguage": "JSONata",
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Next": "Charge"},
            "Charge": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Arguments": {"FunctionName": "charge", "Payload": "{% $states.input %}"},
                "Output": "{% $states.result.Payload %}",
                "End": True,
            },
        },
    }
    mocked = cli.ok(
        "test-state",
        "--definition",
        dumps(machine),
        "--role-arn",
        ROLE,
        "--state-name",
        "Charge",
        "--input",
        "{}",
        "--mock",
        dumps({"errorOutput": {"error": "Lambda.ServiceException", "cause": "down"}}),
    )
    assert {key: mocked[key] for key in ("status", "error", "cause")} == {
        "status": "FAILED",
        "error": "Lambda.ServiceException",
        "cause": "down",
    }
    assert cli.operations() == DEFINITIONS


# The aws command itself -----------------------------------------------------------------------------------


def aws_command() -> str | None:
    """The ``aws`` script installed beside this Python (the test extra's awscli), else the one on PATH."""
    beside = Path(sys.executable).with_name("aws")
    return str(beside) if beside.exists() else shutil.which("aws")


@pytest.mark.skipif(aws_command() is None, reason="the AWS CLI (awscli, in the test extra) is not installed")
def test_the_aws_command_in_a_subprocess(server: Server, aws_env: dict[str, str], tmp_path: Path) -> None:
    command = aws_command()
    assert command is not None
    env = {**os.environ, **aws_env}

    def aws(*args: str) -> Answer:
        done = subprocess.run(
            [command, "stepfunctions", "--endpoint-url", server.endpoint_url, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return Answer(done.returncode, done.stdout, done.stderr)

    definition = tmp_path / "quick.asl.json"
    definition.write_text(json.dumps(ECHO))
    created = aws(
        "create-state-machine",
        "--name",
        "cli-process",
        "--type",
        "EXPRESS",
        "--definition",
        f"file://{definition}",
        "--role-arn",
        ROLE,
    )
    assert (created.code, created.error) == (0, ""), created
    synced = aws("start-sync-execution", "--state-machine-arn", created.output["stateMachineArn"], "--input", "{}")
    assert (synced.code, synced.output["status"], synced.output["output"]) == (0, "SUCCEEDED", "{}"), synced
    missing = PREFIX + "execution:cli-process:nope"
    refused = aws("describe-execution", "--execution-arn", missing)
    assert (refused.code, refused.stdout) == (255, "")
    assert refused.error == service_error(
        "ExecutionDoesNotExist", "DescribeExecution", f"Execution Does Not Exist: '{missing}'"
    )


# Coverage of the model ------------------------------------------------------------------------------------


def test_every_operation_of_the_model_is_exercised(driver: Any) -> None:
    import botocore.session

    exercised = frozenset().union(*SCENARIOS.values())
    assert exercised == frozenset(botocore.session.get_session().get_service_model("stepfunctions").operation_names)
    # The CLI's own model (the same botocore in this process) has no other operation either.
    assert exercised == frozenset(driver.session.get_service_model("stepfunctions").operation_names)
