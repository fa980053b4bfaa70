"""Serve mode (``python -m conformance --serve``): integrations served by sfnlocal, not replayed.

Only the Tasks sfnlocal cannot serve offline are replayed from the recording (:func:`replays`):
Lambda functions and ``lambda:invoke`` (their code is not in the recording), ``apigateway:invoke``,
``http:invoke``, ``bedrock:*``, and any resource sfnlocal has no built-in integration for. The others
(DynamoDB, SQS, SNS, EventBridge, AWS SDK integrations, nested executions, activities) run through
sfnlocal's own integration layer against moto:

1. an :class:`sfnlocal.AwsWorld` is started for the case (account 111111111111, us-east-1);
2. the recording's setup calls are made in it; a CreateStateMachine call also makes an sfnlocal state
   machine (registered, so ``states:startExecution`` finds it by ARN), kept for the run;
3. the input's placeholders for the resources created are bound to them (:mod:`conformance.bindings`);
4. the execution runs with ``aws=world``, and what it waits for is answered as the recording shows
   (:mod:`conformance.answers`).

A nested execution can only be served when its child's definition is known, that is when the setup
calls create state machines; otherwise a Task starting one (``states:startExecution``, the AWS SDK's
``sfn:startExecution`` and ``sfn:startSyncExecution``) is replayed too.
"""

from __future__ import annotations

import json
from typing import Any

import sfnlocal
from conformance.answers import answer
from conformance.bindings import bind, created
from conformance.cases import Case
from conformance.normalise import ACCOUNT, EXECUTION_NAME, REGION
from conformance.replay import (
    Replayed,
    Setup,
    SetupCall,
    build_mocks,
    input_arguments,
    machine_for,
    preparing_calls,
    run_setup_calls,
    start_time,
    stop_after,
)
from sfnlocal.integrations.aws.registry import action_of, find_handler
from sfnlocal.language.resources import ACTIVITY, LAMBDA_FUNCTION, parse_resource

# Resource types whose work happens where sfnlocal cannot reach offline (code, HTTP endpoints, models).
OFFLINE_UNSERVABLE = ("lambda", "apigateway", "http", "bedrock")
# (resource type, action) of the Tasks that start a nested execution.
NESTED_EXECUTIONS = frozenset(
    {("states", "startExecution"), ("aws-sdk:sfn", "startExecution"), ("aws-sdk:sfn", "startSyncExecution")}
)


def replays(resource_arn: str, child_machines: bool = False) -> bool:
    """Whether a Task with this Resource is replayed from the recording in serve mode.

    ``child_machines``: whether the case created state machines a nested execution can start.

    >>> replays("arn:aws:lambda:us-east-1:111111111111:function:f"), replays("arn:aws:states:::lambda:invoke")
    (True, True)
    >>> replays("arn:aws:states:us-east-1:111111111111:activity:a"), replays("arn:aws:states:::bedrock:invokeModel")
    (False, True)
    >>> replays("arn:aws:states:::states:startExecution.sync"), replays("arn:aws:states:::states:startExecution", True)
    (True, False)
    """
    resource = parse_resource(resource_arn)
    if resource.kind in (ACTIVITY, LAMBDA_FUNCTION):
        return resource.kind == LAMBDA_FUNCTION
    resource_type = resource.resource_type or ""
    if resource_type.split(":")[0] in OFFLINE_UNSERVABLE:
        return True
    if (resource_type, action_of(resource)) in NESTED_EXECUTIONS and not child_machines:
        return True
    return find_handler(resource) is None


def state_machine(call: SetupCall) -> sfnlocal.StateMachine:
    """The sfnlocal state machine a recorded CreateStateMachine call creates (account 111111111111).

    >>> state_machine(SetupCall("stepfunctions", "create_state_machine", {
    ...     "name": "child", "definition": '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}',
    ...     "roleArn": "arn:aws:iam::111111111111:role/r"})).arn
    'arn:aws:states:us-east-1:111111111111:stateMachine:child'
    """
    definition = call.arguments.get("definition")
    return sfnlocal.StateMachine.from_dict(
        json.loads(definition) if isinstance(definition, str) else definition,
        name=str(call.arguments["name"]),
        account=ACCOUNT,
        region=REGION,
        role_arn=call.arguments.get("roleArn"),
    )


def set_up(calls: list[SetupCall], world: sfnlocal.AwsWorld) -> tuple[Setup, list[sfnlocal.StateMachine]]:
    """Make the setup ``calls`` in ``world``; each CreateStateMachine call also makes an sfnlocal state
    machine (for ``states:startExecution``; the AWS SDK integrations find moto's)."""
    setup = run_setup_calls(calls, world.client)
    machines: list[sfnlocal.StateMachine] = []
    for call in calls:
        if call.service == "stepfunctions" and call.operation == "create_state_machine":
            try:
                machines.append(state_machine(call))
            except Exception as err:  # a failed fixture is reported with the case, not raised
                setup.failures.append(f"{call}: {type(err).__name__}: {err}")
    return setup, machines


def execute(case: Case) -> Replayed:
    """Run ``case`` with sfnlocal serving its integrations (see the module docstring)."""
    unrecorded: list[str] = []
    with sfnlocal.AwsWorld(region=REGION, account=ACCOUNT) as world:
        # The registry holds state machines weakly: `machines` keeps the setup's alive for the run.
        setup, machines = set_up(preparing_calls(list(case.meta.get("setup_calls") or ())), world)
        mocks = build_mocks(case, unrecorded, lambda resource: replays(resource, bool(machines)))
        execution_input, replacements = bind(case.input, created(setup.made))
        machine = machine_for(case)
        run = machine.execute(
            **input_arguments(execution_input),
            mocks=mocks,
            execution_name=EXECUTION_NAME,
            seed=0,
            stop_after=stop_after(case),
            start_time=start_time(case),
            aws=world,
        )
        answer(run, case)
        result: dict[str, Any] = {"status": run.status, "error": run.error, "cause": run.cause, "output": run.output}
        history = list(run.history)
    return Replayed(result, history, unrecorded, setup.failures, replacements)
