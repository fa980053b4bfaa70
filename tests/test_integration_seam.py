"""The task-integration interface: custom integrations, the order integrations compose in, every outcome type."""

from __future__ import annotations

from typing import Any

import pytest

from sfnlocal import (
    AwaitToken,
    AwaitWorker,
    AwsWorld,
    Failure,
    NeverAnswers,
    Outcome,
    Result,
    StateMachine,
    Submitted,
    TaskRequest,
    compose,
    mocks,
)
from sfnlocal.integrations.aws.services import AwsServices
from sfnlocal.integrations.aws.world import AwsWorld as WorldClass
from sfnlocal.interpreter.execution import Execution, ExecutionOptions
from sfnlocal.interpreter.machine import DEFAULT_START_TIME

SQS = "arn:aws:states:::sqs:sendMessage"


def one_task(resource: str = SQS, **fields: Any) -> StateMachine:
    return StateMachine.from_dict(
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "End": True, **fields}}}, name="One"
    )


class Recording:
    """Answers every task with ``outcome`` and keeps the requests it got."""

    def __init__(self, outcome: Outcome | None) -> None:
        self.outcome = outcome
        self.requests: list[TaskRequest] = []

    def invoke(self, request: TaskRequest) -> Outcome | None:
        self.requests.append(request)
        return self.outcome


def test_the_request_carries_what_a_task_hands_over() -> None:
    served = Recording(Result({"ok": True}))
    machine = one_task(
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters={"QueueUrl": "q", "Token.$": "$$.Task.Token"}
    )
    run = machine.execute({}, integration=served, execution_name="e1")
    [request] = served.requests
    assert (request.state_name, request.resource.arn, request.pattern) == (
        "T",
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "waitForTaskToken",
    )
    assert request.arguments == {"QueueUrl": "q", "Token": request.task_token} and request.task_token
    assert (request.invocation, request.region, request.account) == (0, "us-east-1", "123456789012")
    assert request.execution_arn == run.execution_arn and request.state_machine_arn == machine.arn
    assert request.clock.now == run.start_date.timestamp()
    assert request.step_functions.waits_for(request.task_token) is False  # a Result ends the task at once


def test_invocations_are_counted_per_state_across_retries() -> None:
    class FailTwice:
        def invoke(self, request: TaskRequest) -> Outcome:
            return Failure("Flaky", str(request.invocation)) if request.invocation < 2 else Result(request.invocation)

    machine = one_task(Retry=[{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "BackoffRate": 1}])
    run = machine.execute({}, integration=FailTwice())
    assert run.output == 2
    assert (run.stop_date - run.start_date).total_seconds() == 2


def test_a_result_after_a_virtual_delay_and_a_timeout() -> None:
    assert one_task().execute({}, integration=Recording(Result(1, after=5))).output == 1
    late = one_task(TimeoutSeconds=3).execute({}, integration=Recording(Result(1, after=5)))
    assert (late.error, (late.stop_date - late.start_date).total_seconds()) == ("States.Timeout", 3)


def test_a_failure_is_the_tasks_error() -> None:
    run = one_task().execute({}, integration=Recording(Failure("Custom.Error", "because")))
    assert (run.status, run.error, run.cause) == ("FAILED", "Custom.Error", "because")
    assert "TaskFailed" in [event["type"] for event in run.history]


def test_never_answers_suspends_or_times_out() -> None:
    assert one_task().execute({}, integration=Recording(NeverAnswers())).status == "RUNNING"
    run = one_task(HeartbeatSeconds=7).execute({}, integration=Recording(NeverAnswers()))
    assert (run.error, (run.stop_date - run.start_date).total_seconds()) == ("States.Timeout", 7)


def test_submitted_then_await_token() -> None:
    machine = one_task("arn:aws:states:::ecs:runTask.waitForTaskToken")
    run = machine.execute({}, integration=Recording(Submitted({"taskArn": "t-1"}, AwaitToken())))
    assert run.status == "RUNNING"
    submitted = [e for e in run.history if e["type"] == "TaskSubmitted"]
    assert submitted[0]["taskSubmittedEventDetails"]["output"] == '{"taskArn":"t-1"}'
    run.send_task_success(run.task_tokens[0], {"done": 1})
    assert (run.status, run.output) == ("SUCCEEDED", {"done": 1})


def test_a_sync_job_submitted_then_ending_later() -> None:
    run = one_task("arn:aws:states:::batch:submitJob.sync").execute(
        {}, integration=Recording(Submitted({"JobId": "j"}, Result({"Status": "SUCCEEDED"}, after=90)))
    )
    assert run.output == {"Status": "SUCCEEDED"}
    assert (run.stop_date - run.start_date).total_seconds() == 90


def test_await_worker_makes_any_task_an_activity_like_task() -> None:
    activity = "arn:aws:states:us-east-1:123456789012:activity:review"
    run = one_task(activity).execute({"doc": 1}, integration=Recording(AwaitWorker()))
    task = run.get_activity_task(activity, "w1")
    assert task is not None and task["input"] == '{"doc":1}'
    run.send_task_success(task["taskToken"], "ok")
    assert run.output == "ok"


def test_await_token_without_a_token_is_refused_clearly() -> None:
    run = one_task().execute({}, integration=Recording(AwaitToken()))
    assert run.error == "sfnlocal.MockInvalid"
    assert "has no task token to wait for" in run.cause


def test_an_integration_that_declines_leaves_the_task_unserved() -> None:
    run = one_task("arn:aws:states:::bedrock:invokeModel").execute({}, integration=Recording(None))
    assert run.error == "sfnlocal.MockMissing"
    assert "State 'T' calls arn:aws:states:::bedrock:invokeModel but no mock is registered" in run.cause


def test_an_unserved_activity_waits_for_a_worker() -> None:
    activity = "arn:aws:states:us-east-1:123456789012:activity:review"
    run = one_task(activity).execute({}, integration=Recording(None))
    assert run.status == "RUNNING" and run.get_activity_task(activity) is not None


def test_an_integration_that_raises_is_reported_as_its_own_failure() -> None:
    class Broken:
        def invoke(self, request: TaskRequest) -> Outcome:
            raise KeyError("region")

    run = one_task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "T"}]).execute({}, integration=Broken())
    assert run.error == "sfnlocal.IntegrationFailed"  # not caught, not reported as a bug in sfnlocal
    assert run.cause == "State 'T': the integration Broken raised KeyError: 'region'"


def test_an_answer_that_is_not_an_outcome_is_refused() -> None:
    class Sloppy:
        def invoke(self, request: TaskRequest) -> Any:
            return {"ok": True}

    run = one_task().execute({}, integration=Sloppy())
    assert run.error == "sfnlocal.MockInvalid" and "answers with an Outcome" in run.cause


def test_mocks_come_before_the_custom_integration_which_comes_before_aws() -> None:
    machine = StateMachine.from_dict(
        {
            "StartAt": "Mocked",
            "States": {
                "Mocked": {"Type": "Task", "Resource": SQS, "ResultPath": "$.a", "Next": "Custom"},
                "Custom": {"Type": "Task", "Resource": SQS, "ResultPath": "$.b", "End": True},
            },
        }
    )
    custom = Recording(Result("custom"))
    run = machine.execute({}, mocks={"Mocked": mocks.returns("mock")}, integration=custom)
    assert run.output == {"a": "mock", "b": "custom"}
    assert [request.state_name for request in custom.requests] == ["Custom"]


def test_the_custom_integration_declining_falls_through_to_the_aws_world() -> None:
    with AwsWorld() as world:
        url = world.client("sqs").create_queue(QueueName="orders")["QueueUrl"]
        run = one_task(Parameters={"QueueUrl": url, "MessageBody": "hi"}).execute(
            {}, integration=Recording(None), aws=world
        )
        assert run.status == "SUCCEEDED" and "MessageId" in run.output
        assert world.client("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"] == "hi"


def test_compose_asks_in_order() -> None:
    first, second = Recording(None), Recording(Result(2))
    run = one_task().execute({}, integration=compose(first, None, second))
    assert run.output == 2 and len(first.requests) == len(second.requests) == 1


def test_a_mock_may_be_an_outcome_of_the_interface() -> None:
    run = one_task("arn:aws:states:::lambda:invoke.waitForTaskToken").execute({}, mocks={"T": AwaitToken()})
    assert run.status == "RUNNING"
    run.send_task_success(run.task_tokens[0], [1])
    assert run.output == [1]


def test_the_execution_stops_the_world_it_opened_and_not_the_callers(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[WorldClass] = []
    original_start = WorldClass.start

    def start(self: WorldClass) -> WorldClass:
        started.append(self)
        return original_start(self)

    monkeypatch.setattr(WorldClass, "start", start)
    machine = one_task(
        Parameters={"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/none", "MessageBody": "x"}
    )
    machine.execute({})  # the execution's own world: started by the SQS call, stopped at the end
    [own] = started
    assert not own.started
    with AwsWorld() as world:
        machine.execute({}, aws=world)
        assert world.started  # the caller's world is the caller's to stop


def test_on_finished_waits_for_the_children() -> None:
    child = StateMachine.from_dict(
        {
            "StartAt": "Ask",
            "States": {
                "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "End": True}
            },
        },
        name="Waiter",
    )
    parent = StateMachine.from_dict(
        {
            "StartAt": "Start",
            "States": {
                "Start": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution",
                    "Parameters": {"StateMachineArn": child.arn},
                    "End": True,
                }
            },
        }
    )
    closed: list[bool] = []

    class Watching:
        def invoke(self, request: TaskRequest) -> Outcome | None:
            return AwaitToken() if request.state_name == "Ask" else None

    execution = Execution(
        parent,
        {},
        ExecutionOptions(DEFAULT_START_TIME.timestamp()),
        compose(Watching(), AwsServices(AwsWorld())),
        on_finished=lambda: closed.append(True),
    )
    run = execution.run()
    assert run.status == "SUCCEEDED" and closed == []  # the child still waits for its token
    run.send_task_success(run.task_tokens[0], "ok")
    assert run.children[0].status == "SUCCEEDED" and closed == [True]


def test_a_task_request_names_the_inline_map_iterations_it_runs_in() -> None:
    # Outermost first, as AWS numbers iterations in MapIterationStarted; a Parallel branch adds no index.
    seen: list[tuple[str, tuple[int, ...]]] = []

    class Recording:
        def invoke(self, request: Any) -> Any:
            seen.append((request.state_name, request.iteration))
            return Result({"ok": True})

    inner_map = {
        "Type": "Map",
        "ItemsPath": "$.ys",
        "End": True,
        "ItemProcessor": {
            "StartAt": "T",
            "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": True}},
        },
    }
    parallel = {"Type": "Parallel", "End": True, "Branches": [{"StartAt": "Inner", "States": {"Inner": inner_map}}]}
    definition = {
        "StartAt": "Top",
        "States": {
            "Top": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "ResultPath": None, "Next": "M"},
            "M": {
                "Type": "Map",
                "ItemsPath": "$.xs",
                "End": True,
                "ItemProcessor": {"StartAt": "P", "States": {"P": parallel}},
            },
        },
    }
    run = StateMachine.from_dict(definition).execute({"xs": [{"ys": [1, 2]}, {"ys": [3]}]}, integration=Recording())
    assert run.status == "SUCCEEDED"
    assert seen == [("Top", ()), ("T", (0, 0)), ("T", (0, 1)), ("T", (1, 0))]
