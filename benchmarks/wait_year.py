"""Virtual time: a workflow whose Waits add up to over a year must finish in milliseconds of wall time.

moto is not run here: its Wait state blocks on a real timer for the whole wait.
"""

from __future__ import annotations

from datetime import UTC, datetime

from benchmarks.sfnlocal_runner import measure_sfnlocal
from benchmarks.targets import MAX_YEAR_OF_WAITS_SECONDS, Check
from benchmarks.workflows import year_of_waits
from benchmarks.workloads import Workload

_YEAR_SECONDS = 365 * 24 * 3600


def check_year_of_waits(repeats: int) -> Check:
    """Best-of-``repeats`` wall time of the year of Waits, after checking that the Waits moved the clock."""
    workload = Workload.from_dict(year_of_waits(datetime.now(UTC)))
    name = "year of Waits: wall time"
    try:
        # The Timestamp Wait alone is a year ahead of now, however the virtual clock starts.
        span = _virtual_span_seconds(workload)
    except Exception as exc:  # noqa: BLE001 - a failing run is reported as a FAIL, not a crash
        return Check(name, None, "s", MAX_YEAR_OF_WAITS_SECONDS, False, note=f"raised {exc!r}"[:300])
    if span < _YEAR_SECONDS:
        return Check(name, None, "s", MAX_YEAR_OF_WAITS_SECONDS, False,
                     note=f"the history spans only {span / 86400:.1f} days of virtual time")
    timing = measure_sfnlocal(workload, repeats)
    note = timing.problem or f"best of {repeats}; {span / 86400:.0f} days of virtual time"
    return Check(name, None if timing.problem else timing.seconds, "s", MAX_YEAR_OF_WAITS_SECONDS, False,
                 note=note)


def _virtual_span_seconds(workload: Workload) -> float:
    """Virtual time between the first and the last event of one run of ``workload``."""
    from sfnlocal import StateMachine

    events = StateMachine.from_dict(workload.definition, name=workload.name).execute(workload.input).history
    return (events[-1]["timestamp"] - events[0]["timestamp"]).total_seconds()
