"""Per-call cost of ``StateMachine.test_state``: AWS's TestState API run offline on one state.

The state is examples/order's "Charge card" (a ``lambda:invoke`` Task with Parameters, ResultSelector,
ResultPath, Retry and Catch), its result mocked with ``mocks.returns``, at the DEBUG inspection level (every
step of the data flow rendered). The machine is loaded once; one untimed call, then the fastest of N batches of
20 calls, per call. Every response must be SUCCEEDED with the charge merged into the output.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from benchmarks.targets import MAX_TEST_STATE_SECONDS, Check, per_call_check
from benchmarks.workloads import REPO_ROOT

_STATE = "Charge card"
_INPUT = {"order": {"id": "order-42", "total": 99.5}}
_EXPECTED_OUTPUT = {**_INPUT, "payment": {"chargeId": "ch_001"}}


def check_test_state(repeats: int) -> Check:
    """``test_state`` per call: the best of ``repeats`` batches of :data:`~benchmarks.measurement.BATCH` calls."""

    def prepare() -> Callable[[], None]:
        from sfnlocal import StateMachine, mocks

        machine = StateMachine.from_file(REPO_ROOT / "examples" / "order" / "order.asl.json")
        mock = mocks.returns({"chargeId": "ch_001", "status": "captured"})

        def call() -> None:
            response = machine.test_state(_STATE, input=_INPUT, mock=mock, inspection_level="DEBUG")
            if response["status"] != "SUCCEEDED" or json.loads(response["output"]) != _EXPECTED_OUTPUT:
                raise RuntimeError(f"test_state answered {response}"[:300])

        return call

    note = f"after an untimed first; examples/order's {_STATE!r}"
    return per_call_check("test_state (a Task, DEBUG): per call", prepare, repeats, MAX_TEST_STATE_SECONDS, note)
