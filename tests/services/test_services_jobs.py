"""Run a Job integrations on moto: glue:startJobRun, batch:submitJob, ecs:runTask (request-response and .sync)."""

from __future__ import annotations

import json

import boto3
import pytest
from moto.ec2 import utils as ec2_utils

from sfnlocal import StateMachine
from sfnlocal.integrations.aws.errors import UNSUPPORTED


def task_machine(resource: str, parameters: dict) -> StateMachine:
    return StateMachine.from_dict(
        {
            "StartAt": "Job",
            "States": {"Job": {"Type": "Task", "Resource": resource, "Parameters": parameters, "End": True}},
        }
    )


def types(run) -> list[str]:
    return [event["type"] for event in run.history]


def submitted(run) -> dict:
    event = next(e for e in run.history if e["type"] == "TaskSubmitted")
    return json.loads(event["taskSubmittedEventDetails"]["output"])


# Glue ------------------------------------------------------------------------------------------------


@pytest.fixture
def glue_job(world) -> str:
    world.client("glue").create_job(Name="etl", Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k"})
    return "etl"


def test_glue_start_job_run(world, glue_job):
    run = task_machine("arn:aws:states:::glue:startJobRun", {"JobName": glue_job}).execute({}, aws=world)
    assert run.output["JobRunId"].startswith("jr_")
    assert run.output["SdkHttpMetadata"]["HttpStatusCode"] == 200


def test_glue_start_job_run_sync_returns_the_finished_run(world, glue_job):
    run = task_machine(
        "arn:aws:states:::glue:startJobRun.sync", {"JobName": glue_job, "Arguments": {"--day": "1"}}
    ).execute({}, aws=world)
    assert types(run)[3:6] == ["TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    assert submitted(run)["JobRunId"] == run.output["Id"]
    assert (run.output["JobName"], run.output["JobRunState"], run.output["Arguments"]) == (
        "etl",
        "SUCCEEDED",
        {"--day": "1"},
    )
    assert isinstance(run.output["CompletedOn"], int)


def test_glue_missing_job(world):
    run = task_machine("arn:aws:states:::glue:startJobRun.sync", {"JobName": "none"}).execute({}, aws=world)
    assert run.error == "Glue.EntityNotFoundException"
    assert "(Service: AWSGlue; Status Code: 400; Error Code: EntityNotFoundException;" in run.cause


# Batch -----------------------------------------------------------------------------------------------


@pytest.fixture
def batch_queue(world) -> dict:
    role = world.client("iam").create_role(RoleName="batch", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    batch = world.client("batch")
    compute = batch.create_compute_environment(computeEnvironmentName="compute", type="UNMANAGED", serviceRole=role)
    batch.create_job_queue(
        jobQueueName="queue",
        state="ENABLED",
        priority=1,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": compute["computeEnvironmentArn"]}],
    )
    batch.register_job_definition(
        jobDefinitionName="job", type="container", containerProperties={"image": "busybox", "vcpus": 1, "memory": 128}
    )
    return {"JobName": "nightly", "JobQueue": "queue", "JobDefinition": "job"}


def test_batch_submit_job(world, batch_queue):
    run = task_machine("arn:aws:states:::batch:submitJob", batch_queue).execute({}, aws=world)
    assert sorted(run.output) == ["JobArn", "JobId", "JobName", "SdkHttpMetadata", "SdkResponseMetadata"]


def test_batch_submit_job_sync_returns_the_finished_job(world, batch_queue):
    run = task_machine("arn:aws:states:::batch:submitJob.sync", batch_queue).execute({}, aws=world)
    assert submitted(run)["JobId"] == run.output["JobId"]
    assert (run.output["JobName"], run.output["Status"]) == ("nightly", "SUCCEEDED")


def test_batch_job_that_fails_fails_the_task(world, batch_queue, monkeypatch):
    monkeypatch.setenv("MOTO_SIMPLE_BATCH_FAIL_AFTER", "0")
    run = task_machine("arn:aws:states:::batch:submitJob.sync", batch_queue).execute({}, aws=world)
    assert run.error == "States.TaskFailed"
    assert json.loads(run.cause)["Status"] == "FAILED"


def test_batch_missing_queue(world, batch_queue):
    run = task_machine("arn:aws:states:::batch:submitJob", {**batch_queue, "JobQueue": "none"}).execute({}, aws=world)
    assert run.error == "Batch.ClientException"


# ECS -------------------------------------------------------------------------------------------------


@pytest.fixture
def ecs_cluster(world) -> dict:
    ecs = world.client("ecs")
    ecs.create_cluster(clusterName="jobs")
    instance = boto3.resource("ec2", region_name=world.region).create_instances(
        ImageId="ami-12c6146b", MinCount=1, MaxCount=1
    )[0]
    ecs.register_container_instance(
        cluster="jobs", instanceIdentityDocument=json.dumps(ec2_utils.generate_instance_identity_document(instance))
    )
    ecs.register_task_definition(
        family="report", containerDefinitions=[{"name": "c", "image": "busybox", "memory": 128}]
    )
    return {"Cluster": "jobs", "TaskDefinition": "report"}


def test_ecs_run_task(world, ecs_cluster):
    run = task_machine("arn:aws:states:::ecs:runTask", ecs_cluster).execute({}, aws=world)
    assert run.output["Failures"] == []
    assert run.output["Tasks"][0]["LastStatus"] == "RUNNING"
    assert run.output["SdkHttpMetadata"]["HttpHeaders"]["Content-Type"] == "application/x-amz-json-1.1"


def test_ecs_run_task_sync_returns_the_stopped_task(world, ecs_cluster):
    run = task_machine("arn:aws:states:::ecs:runTask.sync", ecs_cluster).execute({}, aws=world)
    assert submitted(run)["Tasks"][0]["TaskArn"] == run.output["TaskArn"]
    assert run.output["LastStatus"] == "STOPPED"


def test_a_task_moto_cannot_place_is_unsupported_with_motos_reason(world):
    world.client("ecs").create_cluster(clusterName="empty")
    world.client("ecs").register_task_definition(
        family="report", containerDefinitions=[{"name": "c", "image": "busybox", "memory": 128}]
    )
    run = task_machine("arn:aws:states:::ecs:runTask", {"Cluster": "empty", "TaskDefinition": "report"}).execute(
        {}, aws=world
    )
    assert run.error == UNSUPPORTED
    assert "moto does not implement ecs RunTask (Exception: No instances found in cluster empty)" in run.cause


def test_the_aws_sdk_integration_submits_batch_jobs_without_docker_too(world, batch_queue):
    run = task_machine("arn:aws:states:::aws-sdk:batch:submitJob", batch_queue).execute({}, aws=world)
    assert sorted(run.output) == ["JobArn", "JobId", "JobName"]
    job = world.client("batch").describe_jobs(jobs=[run.output["JobId"]])["jobs"][0]
    assert job["status"] == "SUCCEEDED"
