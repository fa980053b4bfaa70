"""The performance targets, and a measured value judged against one of them."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.measurement import Timing

MIN_RATE_MAP = 10_000  # state transitions per second on the Map workload
MIN_RATE_OTHER = 20_000  # ... on the chain and the Choice loop
MIN_RATE_JSONATA = 5_000  # ... on the JSONata twin of each workflow
MIN_RATIO_TO_MOTO = 50.0
MAX_YEAR_OF_WAITS_SECONDS = 0.050
MAX_IMPORT_SECONDS = 0.3
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
    """The minimum sfnlocal rate for a workload: Map workloads are named ``*map*``, JSONata twins end in
    ``[JSONata]`` (see README.md)."""
    if workload_name.endswith("[JSONata]"):
        return MIN_RATE_JSONATA
    return MIN_RATE_MAP if "map" in workload_name else MIN_RATE_OTHER


def ratio(ours: Timing, moto: Timing | None) -> float | None:
    """How many times moto's rate sfnlocal's rate is; None when either has no rate."""
    if moto is None or ours.rate is None or moto.rate is None:
        return None
    return ours.rate / moto.rate


def throughput_checks(workload_name: str, ours: Timing, moto: Timing | None) -> list[Check]:
    """sfnlocal's rate against its target, and its ratio to moto's rate against the ratio target."""
    if moto is None:
        no_ratio, ratio_note = "moto was skipped (--skip-moto)", ""
    elif moto.problem is not None:
        no_ratio, ratio_note = f"moto failed the workflow: {moto.problem}", ""
    else:
        no_ratio, ratio_note = None, "sfnlocal failed" if ours.problem else f"moto best of {moto.repeats}"
    return [
        Check(
            f"{workload_name}: sfnlocal rate",
            ours.rate,
            "/s",
            rate_target(workload_name),
            True,
            note=ours.problem or f"best of {ours.repeats}, history on",
        ),
        Check(
            f"{workload_name}: sfnlocal/moto",
            ratio(ours, moto),
            "x",
            MIN_RATIO_TO_MOTO,
            True,
            note=ratio_note,
            not_applicable=no_ratio,
        ),
    ]
