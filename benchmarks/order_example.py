"""Per-execution cost of a realistic workflow: examples/order, seven states, its tasks served by Python mocks.

The machine is loaded once with ``StateMachine.from_file`` and its mocks from the example's ``mocks.json``, as
``sfnlocal run --mocks`` reads them (a sequence that throttles the card charge once, so the Retry runs, a
``returns`` mock and a Python handler, ``handlers.notify_customer``). The happy path runs a Choice, the charge
and its retry, a Parallel of a Task and a Pass, a day's Wait (virtual time) and the notification's Task. The
first execution is untimed; then the fastest of N batches of 20 executions, per execution, with history
recording on (the default). Every execution must succeed with the customer notified.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from benchmarks.targets import MAX_ORDER_EXECUTION_SECONDS, Check, per_call_check
from benchmarks.workloads import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "order"
NOTIFICATION = "Your order order-42 ships today with ACME"


def order_machine() -> tuple[Any, dict[str, Any], Any]:
    """The example's machine, its mocks (as ``execute(mocks=...)`` takes them) and its input."""
    from sfnlocal import StateMachine
    from sfnlocal.integrations.mocks.spec import mocks_from_spec

    machine = StateMachine.from_file(EXAMPLE / "order.asl.json")
    mocks = mocks_from_spec(json.loads((EXAMPLE / "mocks.json").read_text()), folder=EXAMPLE)
    return machine, mocks, json.loads((EXAMPLE / "input.json").read_text())


def check_order_execution(repeats: int) -> Check:
    """examples/order per execution after the first: the best of ``repeats`` batches of
    :data:`~benchmarks.measurement.BATCH`."""

    def prepare() -> Callable[[], None]:
        machine, mocks, order = order_machine()

        def execution() -> None:
            run = machine.execute(order, mocks=mocks)
            if run.status != "SUCCEEDED" or run.output.get("notification", {}).get("text") != NOTIFICATION:
                raise RuntimeError(f"examples/order ended {run.status}: {run.error}: {run.cause}")

        return execution

    name = "examples/order (7 states): per execution"
    return per_call_check(name, prepare, repeats, MAX_ORDER_EXECUTION_SECONDS, "after an untimed first; history on")
