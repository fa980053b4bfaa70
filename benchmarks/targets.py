"""The performance targets, and a measured value judged against one of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.measurement import BATCH, Timing, best_batch

MIN_RATE_CHAIN = 150_000  # state transitions per second on the chain workload (issue 18)
MIN_RATE_OTHER = 100_000  # ... on the Map and the Choice loop (issue 18)
MIN_RATE_JSONATA = 30_000  # ... on the JSONata twin of each workflow (issue 18)
MIN_RATIO_TO_MOTO = 50.0
MIN_RATIO_TO_ALS = 3.0  # sfnlocal's rate over aws-local-stepfunctions' in the same run (issue 18)
MAX_YEAR_OF_WAITS_SECONDS = 0.050
MAX_IMPORT_SECONDS = 0.2  # a fresh interpreter, its start-up included (issue 18)
MAX_COMMAND_SECONDS = 0.5  # `sfnlocal validate` of a definition in a fresh interpreter: a CI step's, a hook's start
MAX_ORDER_EXECUTION_SECONDS = 0.000_15  # examples/order with Python mocks: per execution after the first (issue 18)
MAX_TEST_STATE_SECONDS = 0.000_5  # StateMachine.test_state: per call (issue 18)
MAX_LOAD_SECONDS = 0.020  # from_dict / from_file of a 100-state definition (issue 18)
MAX_MAP_MEMORY_MIB = 500.0
MAX_FIRST_MOTO_EXECUTION_SECONDS = 0.5  # a workflow of 3 moto-served tasks: the first execution in a process
MAX_MOTO_EXECUTION_SECONDS = 0.005  # ... each one after the first
MAX_HANDLER_OVERHEAD_SECONDS = 0.001  # a workflow of 3 Python handlers: per execution, the handlers' time left out
MIN_RATE_DISTRIBUTED_MAP = 20_000  # items per second of a Distributed Map over JSONL items in S3 (issue 14)
MAX_DISTRIBUTED_MAP_MEMORY_MIB = 1536.0  # ... its peak RSS at a million items: 1.5 GiB
MIN_SERVER_STARTS_PER_SECOND = (
    500.0  # sfnlocal serve: StartExecution/s of 32 clients starting and describing (issue 15)
)
MAX_SERVER_START_P99_SECONDS = 0.050  # ... StartExecution's p99 latency under that load


@dataclass(frozen=True)
class Check:
    """A measured value and the bound it must meet.

    ``value`` is None when nothing could be measured: a FAIL, unless ``not_applicable`` says why
    the check does not apply (e.g. moto could not run the workflow, so there is no ratio).
    """

    name: str
    value: float | None
    unit: str
    limit: float
    at_least: bool  # True: value >= limit passes; False: value <= limit passes
    note: str = ""
    not_applicable: str | None = None

    @property
    def verdict(self) -> str:
        """PASS, FAIL or N/A."""
        if self.not_applicable is not None:
            return "N/A"
        if self.value is None:
            return "FAIL"
        met = self.value >= self.limit if self.at_least else self.value <= self.limit
        return "PASS" if met else "FAIL"


def rate_target(workload_name: str) -> int:
    """The minimum sfnlocal rate for a workload: chain workloads are named ``*chain*``, JSONata twins end in
    ``[JSONata]`` (see README.md).

    >>> rate_target("bench_chain_1000"), rate_target("bench_map_1000"), rate_target("bench_map_1000 [JSONata]")
    (150000, 100000, 30000)
    """
    if workload_name.endswith("[JSONata]"):
        return MIN_RATE_JSONATA
    return MIN_RATE_CHAIN if "chain" in workload_name else MIN_RATE_OTHER


def ratio(ours: Timing | None, other: Timing | None) -> float | None:
    """How many times the other engine's rate sfnlocal's rate is; None when either has no rate."""
    if ours is None or other is None or ours.rate is None or other.rate is None:
        return None
    return ours.rate / other.rate


def rate_check(workload_name: str, ours: Timing) -> Check:
    """sfnlocal's rate on a workload against its target."""
    return Check(
        f"{workload_name}: sfnlocal rate",
        ours.rate,
        "/s",
        rate_target(workload_name),
        True,
        note=ours.problem or f"best of {ours.repeats}, history on",
    )


def ratio_check(
    workload_name: str, label: str, ours: Timing, other: Timing | None, minimum: float, skipped: str
) -> Check:
    """sfnlocal's rate over another engine's (``label`` names it in the check; ``other`` is None when it was
    skipped, for the reason ``skipped``), against ``minimum``; N/A, with the reason, when the other engine was
    skipped or failed the workload."""
    if other is None:
        no_ratio, note = skipped, ""
    elif other.problem is not None:
        no_ratio, note = f"{other.engine} failed the workflow: {other.problem}", ""
    else:
        no_ratio = None
        note = "sfnlocal failed" if ours.problem else "; ".join(filter(None, [f"best of {other.repeats}", other.note]))
    return Check(
        f"{workload_name}: sfnlocal/{label}", ratio(ours, other), "x", minimum, True, note=note, not_applicable=no_ratio
    )


def throughput_checks(
    workload_name: str, ours: Timing, moto: Timing | None, als: Timing | None, als_skipped: str
) -> list[Check]:
    """sfnlocal's rate against its target, and its ratios to moto's and aws-local-stepfunctions' rates."""
    return [
        rate_check(workload_name, ours),
        ratio_check(workload_name, "moto", ours, moto, MIN_RATIO_TO_MOTO, "moto was skipped (--skip-moto)"),
        ratio_check(workload_name, "als", ours, als, MIN_RATIO_TO_ALS, als_skipped),
    ]


def per_call_check(
    name: str, prepare: Callable[[], Callable[[], None]], repeats: int, limit: float, note: str
) -> Check:
    """Seconds per call of what ``prepare`` returns (it raises when a call goes wrong), after an untimed first call:
    the best of ``repeats`` batches of :data:`~benchmarks.measurement.BATCH`, against ``limit`` (at most). A
    failure while preparing or calling is the check's FAIL, with what was raised."""
    try:
        call = prepare()
        call()  # the first, untimed
        seconds = best_batch(call, repeats)
    except Exception as exc:  # noqa: BLE001 - a failing call is reported as a FAIL, not a crash
        return Check(name, None, "s", limit, False, note=f"raised {exc!r}"[:300])
    return Check(name, seconds, "s", limit, False, note=f"best of {repeats} batches of {BATCH}, {note}")
