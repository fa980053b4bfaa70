"""Child executions run as children of their parent: on its scheduler and virtual clock, sharing its callbacks.

Expected shapes come from AWS: the `.sync` description (recorded: test_start_execution_sync), the AWS SDK's
StartExecution response (recorded: test_sfn_start_execution, StartDate as ISO text), StateMachineDoesNotExist.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

import sfnlocal
from sfnlocal import AwsWorld, StateMachine, mocks, registry_scope

ASK = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "End": True}


def child_waiting_for_a_token(name: str = "Approver") -> StateMachine:
    """A child whose only Task waits for its token (its mock says so: the task awaits an answer)."""
    return StateMachine.from_dict({"StartAt": "Ask", "States": {"Ask": ASK}}, name=name)


def parent_of(child_ref: str, resource: str = "arn:aws:states:::states:startExecution.sync:2", **task) -> StateMachine:
    return StateMachine.from_dict(
        {
            "StartAt": "Run child",
            "States": {
                "Run child": {
                    "Type": "Task",
                    "Resource": resource,
                    "Parameters": {"StateMachineArn": child_ref, "Input.$": "$", "Name": "kid"},
                    "End": True,
                    **task,
                }
            },
        },
        name="Parent",
    )


AWAIT = {"Ask": sfnlocal.AwaitToken()}


def test_a_sync_child_waiting_for_a_token_suspends_the_parent_with_the_token_listed() -> None:
    child = child_waiting_for_a_token()
    run = parent_of(child.arn).execute({"order": 7}, mocks=AWAIT)
    assert run.status == "RUNNING"
    [kid] = run.children
    assert (kid.status, kid.name, kid.parent.execution_arn) == ("RUNNING", "kid", run.execution_arn)
    [task] = run.waiting_tasks
    assert task["stateName"] == "Ask" and task["executionArn"] == kid.execution_arn
    assert run.task_tokens == [task["taskToken"]]


def test_answering_the_childs_token_through_the_parent_resumes_both() -> None:
    child = child_waiting_for_a_token()
    run = parent_of(child.arn).execute({"order": 7}, mocks=AWAIT)
    run.send_task_success(run.task_tokens[0], {"approved": True})
    assert run.status == "SUCCEEDED"
    [kid] = run.children
    assert (kid.status, kid.output) == ("SUCCEEDED", {"approved": True})
    assert run.output["Output"] == {"approved": True} and run.output["Status"] == "SUCCEEDED"
    assert [event["type"] for event in kid.history] == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert run.waiting_tasks == []


def test_answering_through_the_childs_result_resumes_the_parent_too() -> None:
    child = child_waiting_for_a_token()
    run = parent_of(child.arn).execute({}, mocks=AWAIT)
    [kid] = run.children
    kid.send_task_failure(kid.task_tokens[0], "Rejected", "no budget")
    assert (kid.status, kid.error) == ("FAILED", "Rejected")
    assert (run.status, run.error) == ("FAILED", "States.TaskFailed")
    assert json.loads(run.cause)["Error"] == "Rejected"


def test_stopping_the_child_fails_the_parents_sync_task_at_once() -> None:
    # StopExecution on the child: the .sync task that waits for it learns its end then (it fails, the child's
    # description in its cause), not at the parent's next answer.
    child = child_waiting_for_a_token()
    run = parent_of(child.arn).execute({}, mocks=AWAIT)
    [kid] = run.children
    kid.stop("Cancelled", "by an operator")
    assert (kid.status, run.status, run.error) == ("ABORTED", "FAILED", "States.TaskFailed")
    assert json.loads(run.cause)["Status"] == "ABORTED"


def test_a_heartbeat_timeout_in_the_child_runs_on_the_shared_clock() -> None:
    child = StateMachine.from_dict({"StartAt": "Ask", "States": {"Ask": {**ASK, "HeartbeatSeconds": 30}}}, name="Slow")
    run = parent_of(child.arn).execute({}, mocks=AWAIT)
    assert run.status == "RUNNING"
    run.advance(31)
    [kid] = run.children
    assert (kid.status, kid.error) == ("FAILED", "States.Timeout")
    assert run.status == "FAILED"
    assert (run.stop_date - run.start_date).total_seconds() == 30


def test_the_child_runs_on_the_parents_virtual_clock() -> None:
    child = StateMachine.from_dict(
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}, name="Sleeper"
    )
    parent = StateMachine.from_dict(
        {
            "StartAt": "Before",
            "States": {
                "Before": {"Type": "Wait", "Seconds": 60, "Next": "Run child"},
                "Run child": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync",
                    "Parameters": {"StateMachineArn": child.arn},
                    "End": True,
                },
            },
        }
    )
    run = parent.execute({}, start_time="2025-03-01T00:00:00Z")
    [kid] = run.children
    assert kid.start_date == datetime.fromisoformat("2025-03-01T00:01:00+00:00")
    assert kid.stop_date == run.stop_date == datetime.fromisoformat("2025-03-01T01:01:00+00:00")
    assert run.output["StartDate"] == int(kid.start_date.timestamp() * 1000)


def test_a_parents_task_timeout_while_the_child_runs() -> None:
    child = StateMachine.from_dict(
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}, name="Sleeper"
    )
    run = parent_of(child.arn, TimeoutSeconds=10).execute({})
    assert (run.status, run.error) == ("FAILED", "States.Timeout")
    assert (run.stop_date - run.start_date).total_seconds() == 10
    # The child was started and runs on by itself (the parent's task no longer waits for it).
    [kid] = run.children
    assert kid.status == "SUCCEEDED"


def test_a_request_response_child_runs_on_after_the_parent_ends() -> None:
    child = StateMachine.from_dict(
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}}, name="Background"
    )
    run = parent_of(child.arn, resource="arn:aws:states:::states:startExecution").execute({})
    assert run.status == "SUCCEEDED"
    assert run.stop_date == run.start_date  # the parent did not wait
    [kid] = run.children
    assert kid.status == "SUCCEEDED"
    assert (kid.stop_date - kid.start_date).total_seconds() == 600


def test_a_child_waiting_after_its_parent_ended_is_answered_through_the_parent() -> None:
    child = child_waiting_for_a_token()
    run = parent_of(child.arn, resource="arn:aws:states:::states:startExecution").execute({}, mocks=AWAIT)
    assert run.status == "SUCCEEDED"
    [kid] = run.children
    assert kid.status == "RUNNING"
    run.send_task_success(run.task_tokens[0], "yes")
    assert (kid.status, kid.output) == ("SUCCEEDED", "yes")


def test_the_child_uses_the_parents_mocks_and_its_own_invocation_counts() -> None:
    child = StateMachine.from_dict(
        {
            "StartAt": "Work",
            "States": {"Work": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True}},
        },
        name="Worker",
    )
    parent = StateMachine.from_dict(
        {
            "StartAt": "Work",
            "States": {
                "Work": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage",
                    "ResultPath": "$.mine",
                    "Next": "Run",
                },
                "Run": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {"StateMachineArn": child.arn},
                    "ResultSelector": {"child.$": "$.Output"},
                    "End": True,
                },
            },
        }
    )
    run = parent.execute({}, mocks={"Work": mocks.sequence(mocks.returns("first"), mocks.returns("second"))})
    # The child's first invocation of 'Work' is its own first: it gets the sequence's first outcome.
    assert run.output == {"child": "first"}


def test_aws_sdk_start_execution_starts_a_child() -> None:
    child = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, name="Target")
    parent = parent_of(child.arn, resource="arn:aws:states:::aws-sdk:sfn:startExecution")
    run = parent.execute({"x": 1})
    assert run.status == "SUCCEEDED"
    [kid] = run.children
    # Recorded shape (test_sfn_start_execution): ExecutionArn and StartDate (ISO text), nothing else.
    assert set(run.output) == {"ExecutionArn", "StartDate"}
    assert (
        run.output["ExecutionArn"] == kid.execution_arn == f"{child.arn.replace(':stateMachine:', ':execution:')}:kid"
    )
    assert run.output["StartDate"] == "2025-01-01T00:00:00Z"
    assert (kid.status, kid.input, kid.output) == ("SUCCEEDED", {"x": 1}, {"x": 1})


def test_aws_sdk_start_execution_of_an_unknown_machine_fails_as_aws_does() -> None:
    with AwsWorld() as world:
        run = parent_of(
            "arn:aws:states:us-east-1:123456789012:stateMachine:Nowhere",
            resource="arn:aws:states:::aws-sdk:sfn:startExecution",
        ).execute({}, aws=world)
    assert run.error == "Sfn.StateMachineDoesNotExistException"


@pytest.mark.parametrize(
    "reference",
    [
        "arn:aws:states:us-east-1:123456789012:stateMachine:Versioned",
        "arn:aws:states:us-east-1:123456789012:stateMachine:Versioned:1",
        "arn:aws:states:us-east-1:123456789012:stateMachine:Versioned:prod",
        "Versioned",
        "Versioned:prod",
    ],
)
def test_children_are_found_by_arn_or_name_with_a_version_or_alias(reference: str) -> None:
    with registry_scope():
        held = StateMachine.from_dict(
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, name="Versioned"
        )
        run = parent_of(reference, resource="arn:aws:states:::states:startExecution.sync:2").execute({"n": 1})
    assert run.status == "SUCCEEDED" and run.output["Output"] == {"n": 1}
    assert run.children[0].state_machine is held


def test_scoped_registries_do_not_see_each_others_machines() -> None:
    def child(result: str) -> StateMachine:
        return StateMachine.from_dict(
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result, "End": True}}}, name="Shared"
        )

    outer = child("outer")
    with registry_scope():
        first = child("first")
        first_run = parent_of("Shared").execute({})
    with registry_scope():
        second_run = parent_of("Shared").execute({})  # no machine of that name here: the outer one is seen
        second = child("second")  # registries hold machines weakly: this one lives while the test holds it
        third_run = parent_of("Shared").execute({})
    assert first_run.output["Output"] == "first"
    assert second_run.output["Output"] == "outer"
    assert third_run.output["Output"] == "second"
    assert first.name == outer.name == second.name


def test_an_unknown_child_fails_the_task_as_aws_does() -> None:
    run = parent_of("arn:aws:states:us-east-1:123456789012:stateMachine:Gone").execute({})
    assert run.error == "StepFunctions.StateMachineDoesNotExistException"
    assert run.cause.startswith(
        "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:Gone'"
    )
    assert run.children == []


def test_children_are_deterministic() -> None:
    child = StateMachine.from_dict(
        {"StartAt": "U", "States": {"U": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()"}, "End": True}}},
        name="Ids",
    )
    parent = parent_of(child.arn)
    first, second = parent.execute({}, seed=3), parent.execute({}, seed=3)
    assert first.output == second.output
    assert first.children[0].history == second.children[0].history
