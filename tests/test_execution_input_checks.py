"""execute()'s input checks measure the copy the execution gets: a value whose keys JSON writes alike (1 and "1")
is measured as the copy holds it (one of them), at AWS's 256 KiB limit as below it; the options execute() shares
between executions are the ones asked for."""

from __future__ import annotations

import pytest

from sfnlocal import StateMachine
from sfnlocal.language.jsontext import MAX_PAYLOAD_BYTES, compact_json

PASS = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def _sized(total: int, extra_key: bool) -> dict[object, str]:
    """An input whose copy's compact JSON is ``total`` bytes; with ``extra_key``, the value also holds a key 1
    (written as "1", like the string key that follows it and replaces it in the copy) with a long value."""
    value: dict[object, str] = {1: "x" * 100_000} if extra_key else {}
    value["1"] = ""
    value["1"] = "y" * (total - len(compact_json({"1": ""})))
    return value


@pytest.mark.parametrize("extra_key", [False, True])
def test_an_input_of_exactly_the_limit_runs_one_byte_more_is_refused(extra_key: bool) -> None:
    run = PASS.execute(_sized(MAX_PAYLOAD_BYTES, extra_key))
    assert run.status == "SUCCEEDED"
    assert len(compact_json(run.output).encode()) == MAX_PAYLOAD_BYTES
    with pytest.raises(ValueError, match=f"the execution input is {MAX_PAYLOAD_BYTES + 1:,} bytes of JSON"):
        PASS.execute(_sized(MAX_PAYLOAD_BYTES + 1, extra_key))


def test_keys_json_writes_alike_leave_the_last_value_in_the_copy() -> None:
    assert PASS.execute({1: "a", "1": "b", "k": [True]}).output == {"1": "b", "k": [True]}


def test_nesting_is_measured_on_the_copy() -> None:
    deep: object = 1
    for _ in range(256):
        deep = [deep]
    assert PASS.execute(deep).status == "SUCCEEDED"
    with pytest.raises(TypeError, match="nested more than 256 arrays and objects deep"):
        PASS.execute([deep])


def test_options_shared_between_executions_are_the_ones_asked_for() -> None:
    from sfnlocal.interpreter.execution import ExecutionOptions, plain_options

    for values in [(0.0, None, 0, False, 25_000, None, 100_000, None, None), (1.5, "n", 3, True, 5, 2, 7, "e", "c")]:
        *fields, error, cause = values
        expected = ExecutionOptions(*fields, stop_error=error, stop_cause=cause)
        assert plain_options(*values) == expected == plain_options(*values)
        assert type(plain_options(*values).stop_after) is type(expected.stop_after)
    assert plain_options(0.0, None, b"seed", False, None, None, None, None, None).seed == b"seed"  # type: ignore[arg-type]
