"""Mocks: how a Task's mock is found and what each kind of mock makes the task do."""

from __future__ import annotations

import json

import pytest
from support import machine

from sfnlocal import StateMachine, mocks
from sfnlocal.integrations.mocks.spec import MockSpecError, mocks_from_spec

INVOKE = "arn:aws:states:::lambda:invoke"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:charge"


def invoke_state(**extra) -> dict:
    return machine(
        {
            "T": {
                "Type": "Task",
                "Resource": INVOKE,
                "Parameters": {"FunctionName": FUNCTION, "Payload.$": "$"},
                "End": True,
                **extra,
            }
        }
    )


def test_state_name_wins_over_resource_and_function_name() -> None:
    sm = StateMachine.from_dict(invoke_state())
    run = sm.execute(
        {},
        mocks={
            "T": mocks.returns("by name"),
            INVOKE: mocks.returns("by resource"),
            FUNCTION: mocks.returns("by function"),
        },
    )
    assert run.output["Payload"] == "by name"
    assert sm.execute({}, mocks={FUNCTION: mocks.returns("by function")}).output["Payload"] == "by function"


def test_raw_returns_are_not_wrapped() -> None:
    run = StateMachine.from_dict(invoke_state()).execute({}, mocks={"T": mocks.returns({"Payload": 1}, raw=True)})
    assert run.output == {"Payload": 1}


def test_plain_values_are_returned_as_results() -> None:
    run = StateMachine.from_dict(machine({"T": {"Type": "Task", "Resource": FUNCTION, "End": True}})).execute(
        {}, mocks={"T": [1, 2]}
    )
    assert run.output == [1, 2]


def test_sequence_past_its_end_fails_naming_the_state_and_count() -> None:
    definition = invoke_state(Retry=[{"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}])
    run = StateMachine.from_dict(definition).execute({}, mocks={"T": mocks.sequence(mocks.raises("E"))})
    assert run.error == "sfnlocal.MockInvalid"
    assert "State 'T' was invoked 2 times" in run.cause and "has only 1 outcome;" in run.cause


def test_handler_gets_the_payload_and_a_lambda_context() -> None:
    seen = {}

    def handler(event, context):
        seen.update(
            event=event,
            name=context.function_name,
            arn=context.invoked_function_arn,
            remaining=context.get_remaining_time_in_millis(),
        )
        return "ok"

    StateMachine.from_dict(invoke_state()).execute({"x": 1}, mocks={"T": handler})
    assert seen == {"event": {"x": 1}, "name": "charge", "arn": FUNCTION, "remaining": 3000}


def test_a_handlers_request_id_is_the_one_lambdas_envelope_names() -> None:
    # One invocation, one request id: the handler's context.aws_request_id and the Invoke response's RequestId
    # (the SdkResponseMetadata and the x-amzn-RequestId header Step Functions records around the payload).
    seen = []

    def handler(event, context):
        seen.append(context.aws_request_id)
        return "ok"

    run = StateMachine.from_dict(invoke_state()).execute({"x": 1}, mocks={"T": handler})
    assert run.output["SdkResponseMetadata"]["RequestId"] == seen[0]
    assert run.output["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"] == seen[0]


def test_handler_cannot_mutate_the_state_input() -> None:
    def handler(event, context):
        event["x"] = "changed"
        return event

    run = StateMachine.from_dict(invoke_state(ResultPath="$.r")).execute({"x": 1}, mocks={"T": handler})
    assert run.output["x"] == 1 and run.output["r"]["Payload"] == {"x": "changed"}


@pytest.mark.parametrize(
    ("resource", "expected_text"),
    [
        (INVOKE, '{"errorMessage":"boom","errorType":"RuntimeError",'),
        (FUNCTION, '{"errorMessage": "boom", "errorType": "RuntimeError", '),
    ],
)
def test_unhandled_error_cause_is_written_as_aws_writes_it(resource: str, expected_text: str) -> None:
    # Recorded: lambda:invoke causes are compact JSON, plain function ARNs' use ", " separators.
    def handler(event, context):
        raise RuntimeError("boom")

    definition = machine({"T": {"Type": "Task", "Resource": resource, "End": True}})
    run = StateMachine.from_dict(definition).execute({}, mocks={"T": handler})
    assert run.error == "RuntimeError"
    assert run.cause.startswith(expected_text)
    assert set(json.loads(run.cause)) == {"errorMessage", "errorType", "requestId", "stackTrace"}


def test_a_value_that_is_not_json_fails_clearly() -> None:
    run = StateMachine.from_dict(invoke_state()).execute({}, mocks={"T": mocks.returns({1, 2})})
    assert run.error == "sfnlocal.MockInvalid" and "must be a JSON value, but $.Payload is {1, 2}, a set" in run.cause


def test_raises_needs_an_error_name() -> None:
    with pytest.raises(TypeError, match="error name"):
        mocks.raises("")


def test_mocks_file_entries() -> None:
    built = mocks_from_spec(
        {
            "A": {"returns": {"ok": True}, "after": 5},
            "B": {"raises": {"error": "E", "cause": "c"}},
            "C": {"pending": True},
            "D": {"sequence": [{"raises": "E"}, {"returns": 1, "raw": True}]},
            "F": {"handler": "json:dumps"},
        }
    )
    assert built["A"] == mocks.returns({"ok": True}, after=5)
    assert built["B"] == mocks.raises("E", "c")
    assert built["C"] == mocks.pending()
    assert built["D"] == mocks.sequence(mocks.raises("E"), mocks.returns(1, raw=True))
    assert built["F"] is json.dumps


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ([], "must hold an object"),
        ({"A": 1}, "to return a value write"),
        ({"A": {"returns": 1, "raises": "E"}}, "exactly one of"),
        ({"A": {"raises": {"cause": "c"}}}, "raises needs"),
        ({"A": {"sequence": []}}, "non-empty list"),
        ({"A": {"handler": "nope"}}, "package.module:function"),
        ({"A": {"handler": "no_such_module_xyz:f"}}, "cannot import"),
        ({"A": {"handler": "json:missing"}}, "is not a callable"),
    ],
)
def test_mocks_file_errors_say_what_to_write(spec: object, message: str) -> None:
    with pytest.raises(MockSpecError, match=message):
        mocks_from_spec(spec)
