"""sfnlocal serve, through real boto3: state machine versions and aliases, RedriveExecution's refusal, and map runs
(ListMapRuns, DescribeMapRun, UpdateMapRun, ListExecutions of a map run). Expected messages are AWS's, as
recorded against AWS (LocalStack's snapshot recordings of its versioning and aliasing tests)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server
from sfnlocal.server.store import SqliteStore

ROLE = "arn:aws:iam::123456789012:role/run"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"v": 1}, "End": True}}})
PASS_2 = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"v": 2}, "End": True}}})
FAIL = json.dumps({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}})
DISTRIBUTED = json.dumps(
    {
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Echo",
                    "States": {"Echo": {"Type": "Pass", "End": True}},
                },
                "MaxConcurrency": 2,
                "End": True,
            }
        },
    }
)


def client_of(server: Server) -> Any:
    return boto3.client(
        "stepfunctions",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(inject_host_prefix=False, retries={"total_max_attempts": 1}),
    )


@pytest.fixture(scope="module")
def sfn() -> Iterator[Any]:
    with Server(Engine(seed=7), port=0) as server:
        yield client_of(server)


def error(call: Any, **request: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(**request)
    return caught.value.response["Error"]["Code"], caught.value.response["Error"]["Message"]


def create(sfn: Any, name: str, definition: str = PASS, **options: Any) -> dict[str, Any]:
    return dict(sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE, **options))


def test_create_with_publish_makes_version_1_and_describes_it(sfn: Any) -> None:
    created = create(sfn, "Published", publish=True, versionDescription="first")
    machine = created["stateMachineArn"]
    assert created["stateMachineVersionArn"] == machine + ":1"
    version = sfn.describe_state_machine(stateMachineArn=machine + ":1")
    assert version["stateMachineArn"] == machine + ":1" and version["description"] == "first"
    assert version["definition"] == PASS and version["name"] == "Published"
    assert "description" not in sfn.describe_state_machine(stateMachineArn=machine)
    assert error(sfn.create_state_machine, name="NoPublish", definition=PASS, roleArn=ROLE, versionDescription="x") == (
        "ValidationException",
        "Version description can only be set when publish is true",
    )


def test_publish_is_idempotent_numbers_are_never_reused_and_revisions_must_match(sfn: Any) -> None:
    machine = create(sfn, "Numbers")["stateMachineArn"]
    first = sfn.publish_state_machine_version(stateMachineArn=machine)["stateMachineVersionArn"]
    again = sfn.publish_state_machine_version(stateMachineArn=machine)["stateMachineVersionArn"]
    assert first == again == machine + ":1"
    revision = sfn.update_state_machine(stateMachineArn=machine, definition=PASS_2)["revisionId"]
    assert sfn.publish_state_machine_version(stateMachineArn=machine, revisionId=revision, description="two")[
        "stateMachineVersionArn"
    ] == (machine + ":2")
    listed = sfn.list_state_machine_versions(stateMachineArn=machine)["stateMachineVersions"]
    assert [item["stateMachineVersionArn"] for item in listed] == [machine + ":2", machine + ":1"]
    sfn.delete_state_machine_version(stateMachineVersionArn=machine + ":2")
    sfn.delete_state_machine_version(stateMachineVersionArn=machine + ":2")  # deleting it again: no error
    assert error(sfn.describe_state_machine, stateMachineArn=machine + ":2") == (
        "StateMachineDoesNotExist",
        f"State Machine Does Not Exist: '{machine}:2'",
    )
    newer = sfn.update_state_machine(stateMachineArn=machine, definition=FAIL, publish=True)
    assert newer["stateMachineVersionArn"] == machine + ":3"
    # An update that changes nothing keeps the revision: publishing it again is the same version (AWS's recording).
    same = sfn.update_state_machine(stateMachineArn=machine, definition=FAIL, publish=True)
    assert same["stateMachineVersionArn"] == machine + ":3" and same["revisionId"] == newer["revisionId"]
    assert error(sfn.publish_state_machine_version, stateMachineArn=machine, revisionId=revision) == (
        "ConflictException",
        f"Failed to publish the State Machine version for revision {revision}. "
        f"The current State Machine revision is {newer['revisionId']}.",
    )


def test_executions_of_a_version_run_its_definition_and_are_listed_by_it(sfn: Any) -> None:
    machine = create(sfn, "Versioned", publish=True)["stateMachineArn"]
    sfn.update_state_machine(stateMachineArn=machine, definition=PASS_2)
    of_version = sfn.start_execution(stateMachineArn=machine + ":1", name="v1")["executionArn"]
    latest = sfn.start_execution(stateMachineArn=machine, name="latest")["executionArn"]
    assert of_version.endswith(":execution:Versioned:v1")
    described = sfn.describe_execution(executionArn=of_version)
    assert json.loads(described["output"]) == {"v": 1}
    assert described["stateMachineArn"] == machine and described["stateMachineVersionArn"] == machine + ":1"
    assert json.loads(sfn.describe_execution(executionArn=latest)["output"]) == {"v": 2}
    for_execution = sfn.describe_state_machine_for_execution(executionArn=of_version)
    assert for_execution["stateMachineArn"] == machine and for_execution["definition"] == PASS
    everything = sfn.list_executions(stateMachineArn=machine)["executions"]
    assert [item["executionArn"] for item in everything] == [latest, of_version]
    assert everything[1]["stateMachineVersionArn"] == machine + ":1" and "stateMachineVersionArn" not in everything[0]
    by_version = sfn.list_executions(stateMachineArn=machine + ":1")["executions"]
    assert [item["executionArn"] for item in by_version] == [of_version]


def test_alias_lifecycle_routing_and_errors(sfn: Any) -> None:
    machine = create(sfn, "Aliased", publish=True)["stateMachineArn"]
    sfn.update_state_machine(stateMachineArn=machine, definition=PASS_2, publish=True)
    one, two = machine + ":1", machine + ":2"
    routing = [{"stateMachineVersionArn": one, "weight": 100}]
    created = sfn.create_state_machine_alias(name="prod", routingConfiguration=routing, description="d")
    alias = created["stateMachineAliasArn"]
    assert alias == machine + ":prod"
    again = sfn.create_state_machine_alias(name="prod", routingConfiguration=routing, description="d")
    assert again["creationDate"] == created["creationDate"]
    assert error(sfn.create_state_machine_alias, name="prod", routingConfiguration=routing) == (
        "ConflictException",
        "Failed to create alias because an alias with the same name and a different routing configuration "
        "already exists.",
    )
    started = sfn.start_execution(stateMachineArn=alias)["executionArn"]
    described = sfn.describe_execution(executionArn=started)
    assert (described["stateMachineAliasArn"], described["stateMachineVersionArn"]) == (alias, one)
    assert [item["executionArn"] for item in sfn.list_executions(stateMachineArn=alias)["executions"]] == [started]

    assert error(sfn.delete_state_machine_version, stateMachineVersionArn=one) == (
        "ConflictException",
        "Version to be deleted must not be referenced by an alias. "
        "Current list of aliases referencing this version: [prod]",
    )
    split = [{"stateMachineVersionArn": one, "weight": 50}, {"stateMachineVersionArn": two, "weight": 50}]
    sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=split, description="new")
    shown = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert shown["routingConfiguration"] == split and shown["description"] == "new" and shown["name"] == "prod"
    picked = {
        sfn.describe_execution(executionArn=sfn.start_execution(stateMachineArn=alias)["executionArn"])[
            "stateMachineVersionArn"
        ]
        for _ in range(40)
    }
    assert picked == {one, two}  # 50/50 over 40 runs: both (the engine's seed makes this run the same each time)
    assert [
        item["stateMachineAliasArn"]
        for item in sfn.list_state_machine_aliases(stateMachineArn=machine)["stateMachineAliases"]
    ] == [alias]
    assert (
        sfn.list_state_machine_aliases(stateMachineArn=two)["stateMachineAliases"][0]["stateMachineAliasArn"] == alias
    )

    assert error(
        sfn.create_state_machine_alias,
        name="bad",
        routingConfiguration=[{"stateMachineVersionArn": machine, "weight": 100}],
    ) == (
        "ValidationException",
        f"Routing configuration must contain state machine version ARNs. Received: [{machine}]",
    )
    assert error(
        sfn.create_state_machine_alias,
        name="bad",
        routingConfiguration=[
            {"stateMachineVersionArn": one, "weight": 70},
            {"stateMachineVersionArn": two, "weight": 29},
        ],
    ) == ("ValidationException", "Sum of routing configuration weights must equal 100. Received: [70, 29]")
    assert error(
        sfn.create_state_machine_alias,
        name="bad",
        routingConfiguration=[
            {"stateMachineVersionArn": one, "weight": 50},
            {"stateMachineVersionArn": one, "weight": 50},
        ],
    ) == (
        "ValidationException",
        f"Routing configuration must contain distinct state machine version ARNs. Received: [{one}, {one}]",
    )
    assert error(sfn.create_state_machine_alias, name="123", routingConfiguration=routing)[0] == "ValidationException"
    assert error(sfn.update_state_machine_alias, stateMachineAliasArn=machine + ":nope", description="x") == (
        "ResourceNotFound",
        "Request references a resource that does not exist.",
    )

    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)  # deleting it again: no error
    assert sfn.list_state_machine_aliases(stateMachineArn=machine)["stateMachineAliases"] == []
    sfn.delete_state_machine_version(stateMachineVersionArn=one)


def test_deleting_a_machine_deletes_its_versions_and_aliases(sfn: Any) -> None:
    machine = create(sfn, "Gone", publish=True)["stateMachineArn"]
    sfn.create_state_machine_alias(
        name="live", routingConfiguration=[{"stateMachineVersionArn": machine + ":1", "weight": 100}]
    )
    sfn.delete_state_machine(stateMachineArn=machine)
    assert sfn.list_state_machine_versions(stateMachineArn=machine)["stateMachineVersions"] == []
    assert error(sfn.describe_state_machine_alias, stateMachineAliasArn=machine + ":live")[0] == "ResourceNotFound"
    again = create(sfn, "Gone", publish=True)
    assert again["stateMachineVersionArn"] == machine + ":1"


def test_versions_and_aliases_survive_a_restart(tmp_path: Any) -> None:
    path = str(tmp_path / "sfn.db")
    with Server(Engine(store=SqliteStore(path)), port=0) as server:
        sfn = client_of(server)
        machine = create(sfn, "Kept", publish=True, versionDescription="v1")["stateMachineArn"]
        sfn.update_state_machine(stateMachineArn=machine, definition=PASS_2, publish=True)
        sfn.delete_state_machine_version(stateMachineVersionArn=machine + ":2")
        sfn.create_state_machine_alias(
            name="live", routingConfiguration=[{"stateMachineVersionArn": machine + ":1", "weight": 100}]
        )
    with Server(Engine(store=SqliteStore(path)), port=0) as server:
        sfn = client_of(server)
        assert sfn.describe_state_machine(stateMachineArn=machine + ":1")["description"] == "v1"
        assert sfn.describe_state_machine_alias(stateMachineAliasArn=machine + ":live")["name"] == "live"
        run = sfn.start_execution(stateMachineArn=machine + ":live")["executionArn"]
        assert json.loads(sfn.describe_execution(executionArn=run)["output"]) == {"v": 1}
        sfn.update_state_machine(stateMachineArn=machine, definition=FAIL)
        assert sfn.publish_state_machine_version(stateMachineArn=machine)["stateMachineVersionArn"] == machine + ":3"


def test_redrive_is_refused_with_the_reason_or_done(sfn: Any) -> None:
    machine = create(sfn, "Redrive")["stateMachineArn"]
    done = sfn.start_execution(stateMachineArn=machine)["executionArn"]
    assert error(sfn.redrive_execution, executionArn=done) == (
        "ExecutionNotRedrivable",
        "Execution is SUCCEEDED and cannot be redriven",
    )
    failing = create(sfn, "RedriveFail", FAIL)["stateMachineArn"]
    failed = sfn.start_execution(stateMachineArn=failing)["executionArn"]
    assert "redriveDate" in sfn.redrive_execution(executionArn=failed)  # its Fail state runs again, and fails
    described = sfn.describe_execution(executionArn=failed)
    assert (described["status"], described["redriveCount"], described["redriveStatus"]) == ("FAILED", 1, "REDRIVABLE")
    types = [event["type"] for event in sfn.get_execution_history(executionArn=failed)["events"]]
    assert types[-3:] == ["ExecutionFailed", "ExecutionRedriven", "ExecutionFailed"]
    assert error(sfn.redrive_execution, executionArn=done + "x")[0] == "ExecutionDoesNotExist"


def test_map_runs_are_listed_described_updated_and_their_children_listed(sfn: Any) -> None:
    machine = create(sfn, "Fanned", DISTRIBUTED)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine, input="[1, 2, 3]")["executionArn"]
    assert sfn.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"
    [listed] = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    run = listed["mapRunArn"]
    assert run.startswith("arn:aws:states:us-east-1:123456789012:mapRun:Fanned/Fan:")
    assert listed["stateMachineArn"] == machine + "/Fan" and listed["executionArn"] == execution
    described = sfn.describe_map_run(mapRunArn=run)
    assert described["status"] == "SUCCEEDED" and described["maxConcurrency"] == 2
    assert described["executionCounts"]["succeeded"] == 3 and described["itemCounts"]["total"] == 3
    sfn.update_map_run(mapRunArn=run, maxConcurrency=5, toleratedFailurePercentage=10)
    updated = sfn.describe_map_run(mapRunArn=run)
    assert (updated["maxConcurrency"], updated["toleratedFailurePercentage"]) == (5, 10.0)
    children = sfn.list_executions(mapRunArn=run)["executions"]
    assert len(children) == 3 and {child["status"] for child in children} == {"SUCCEEDED"}
    assert all(child["mapRunArn"] == run for child in children)
    assert sfn.list_executions(mapRunArn=run, statusFilter="FAILED")["executions"] == []
    missing = run[:-3] + "abc"
    assert error(sfn.describe_map_run, mapRunArn=missing)[0] == "ResourceNotFound"
    assert error(sfn.update_map_run, mapRunArn=run)[0] == "ValidationException"
