"""Virtual time: a workflow that waits for a year must finish in milliseconds of wall time.

moto is not run here: its Wait state blocks on a real timer for the whole wait.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from benchmarks.sfnlocal_runner import measure_sfnlocal
from benchmarks.targets import MAX_YEAR_OF_WAITS_SECONDS, Check
from benchmarks.workflows import THIRTY_DAYS, year_of_waits
from benchmarks.workloads import Workload

_START = datetime(2030, 1, 1, tzinfo=UTC)
# Waiting until 185 days after the start, then 6 x 30 days more: AWS's maximum execution time.
_EXPECTED_SPAN_SECONDS = timedelta(days=185).total_seconds() + 6 * THIRTY_DAYS


def check_year_of_waits(repeats: int) -> Check:
    """Best-of-``repeats`` wall time of the year of Waits, after checking that the Waits moved the clock."""
    workload = Workload.from_dict(year_of_waits(_START))
    name = "year of Waits: wall time"
    try:
        span = _virtual_span_seconds(workload)
    except Exception as exc:  # noqa: BLE001 - a failing run is reported as a FAIL, not a crash
        return Check(name, None, "s", MAX_YEAR_OF_WAITS_SECONDS, False, note=f"raised {exc!r}"[:300])
    if span != _EXPECTED_SPAN_SECONDS:
        return Check(
            name,
            None,
            "s",
            MAX_YEAR_OF_WAITS_SECONDS,
            False,
            note=f"the history spans {span / 86400:g} days of virtual time, "
            f"expected {_EXPECTED_SPAN_SECONDS / 86400:g}",
        )
    timing = measure_sfnlocal(workload, repeats, start_time=_START)
    note = timing.problem or f"best of {repeats}; {span / 86400:g} days of virtual time"
    return Check(name, None if timing.problem else timing.seconds, "s", MAX_YEAR_OF_WAITS_SECONDS, False, note=note)


def _virtual_span_seconds(workload: Workload) -> float:
    """Virtual time between the first and the last event of one run of ``workload``."""
    from sfnlocal import StateMachine

    machine = StateMachine.from_dict(workload.definition, name=workload.name)
    events = machine.execute(workload.input, start_time=_START).history
    return (events[-1]["timestamp"] - events[0]["timestamp"]).total_seconds()
