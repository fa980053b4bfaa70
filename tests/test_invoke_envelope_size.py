"""A ``lambda:invoke`` mock's result is measured from its payload: the envelope's measure is worked out, not written
out (``invoke_envelope_bound``), and must be exactly that of the envelope's compact JSON (its size, which the Task
state holds against AWS's 256 KiB limit, and its brackets)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sfnlocal import StateMachine, mocks
from sfnlocal.integrations.lambda_ import invoke_envelope, invoke_envelope_bound
from sfnlocal.language.jsontext import MAX_PAYLOAD_BYTES, compact_json, text_bound

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(), inner, max_size=4)),
    max_leaves=12,
)


def _bytes(value: Any) -> int:
    return text_bound(compact_json(value))[0]


@given(json_values, st.text(), st.sampled_from(["$LATEST", "1", "42", "live"]))
def test_the_envelope_size_is_its_payloads_plus_what_the_envelope_adds(
    payload: Any, request_id: str, version: str
) -> None:
    envelope = invoke_envelope(payload, request_id, version)
    measure = text_bound(compact_json(payload))
    assert invoke_envelope_bound(measure, request_id, version) == text_bound(compact_json(envelope))


INVOKE = {
    "StartAt": "Charge",
    "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}},
}


def test_a_payload_just_under_the_limit_passes_and_one_byte_more_fails_with_aws_error() -> None:
    machine = StateMachine.from_dict(INVOKE)
    envelope_only = invoke_envelope_bound(text_bound('""'), "x" * 36)[0]  # a request id is a UUID: 36 characters
    fits = "a" * (MAX_PAYLOAD_BYTES - envelope_only)
    run = machine.execute({}, mocks={"Charge": mocks.returns(fits)})
    assert run.status == "SUCCEEDED", run.cause
    assert _bytes(run.output) == MAX_PAYLOAD_BYTES
    run = machine.execute({}, mocks={"Charge": mocks.returns(fits + "a")})
    assert (run.status, run.error) == ("FAILED", "States.DataLimitExceeded")


def test_a_payload_json_cannot_hold_is_refused_naming_its_path_in_the_envelope() -> None:
    run = StateMachine.from_dict(INVOKE).execute({}, mocks={"Charge": mocks.returns({"ratio": float("nan")})})
    assert (run.status, run.error) == ("FAILED", "States.Runtime")
    assert "$.Payload.ratio" in run.cause


def test_each_execution_gets_its_own_copy_of_the_payload() -> None:
    payload = {"items": [1, 2]}
    machine = StateMachine.from_dict(INVOKE)
    first, second = (machine.execute({}, mocks={"Charge": mocks.returns(payload)}) for _ in range(2))
    first.output["Payload"]["items"].append(3)
    assert second.output["Payload"] == payload == {"items": [1, 2]}
