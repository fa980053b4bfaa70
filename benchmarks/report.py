"""Rendering results: the side-by-side table, the target verdicts, and the ``--json`` document."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from benchmarks.measurement import Timing
from benchmarks.targets import Check, ratio

_ROW = "{:<32} {:>11} {:>11} {:>8} {:>9} {:>13} {:>12} {:>9} {:>14}"
TABLE_HEADER = _ROW.format(
    "workload",
    "transitions",
    "sfnlocal /s",
    "moto /s",
    "als /s",
    "sfnlocal/moto",
    "sfnlocal/als",
    "floor /s",
    "sfnlocal/floor",
)
TABLE_LEGEND = (
    "rates are state transitions per second, best of N; als = aws-local-stepfunctions (Node); floor = plain Python "
    "doing the same data movement (benchmarks/floor.py)"
)


@dataclass(frozen=True)
class Comparison:
    """One workload timed on every engine: ``moto`` and ``als`` are None when skipped (``als_absent`` says why),
    ``floor`` when the workload has no plain-Python floor."""

    workload: str
    transitions: int
    sfnlocal: Timing
    moto: Timing | None
    als: Timing | None
    floor: Timing | None
    als_absent: str = ""

    def row(self) -> str:
        """The table row, with any failure spelled out on the lines below it."""
        line = _ROW.format(
            self.workload,
            self.transitions,
            _rate(self.sfnlocal),
            _rate(self.moto),
            _rate(self.als),
            _times(ratio(self.sfnlocal, self.moto)),
            _times(ratio(self.sfnlocal, self.als)),
            _rate(self.floor),
            _times(ratio(self.sfnlocal, self.floor)),
        )
        for timing in (self.sfnlocal, self.moto, self.als, self.floor):
            if timing is not None and timing.problem is not None:
                line += f"\n    {timing.engine} failed: {timing.problem}"
        return line

    def as_json(self) -> dict[str, Any]:
        """This comparison as plain JSON values."""
        return {
            "workload": self.workload,
            "transitions": self.transitions,
            "sfnlocal": _timing_json(self.sfnlocal),
            "moto": _timing_json(self.moto),
            "als": _timing_json(self.als),
            "als_absent": self.als_absent or None,
            "floor": _timing_json(self.floor),
            "ratio": ratio(self.sfnlocal, self.moto),
            "ratio_to_als": ratio(self.sfnlocal, self.als),
            "ratio_to_floor": ratio(self.sfnlocal, self.floor),
        }


def check_line(check: Check) -> str:
    """``PASS  name  value  (target)  note``."""
    comparison = ">=" if check.at_least else "<="
    value = "-" if check.value is None else _quantity(check.value, check.unit)
    detail = check.not_applicable or check.note
    target = f"({comparison} {_quantity(check.limit, check.unit)})"
    return f"  {check.verdict:<4}  {check.name:<44} {value:>12}  {target}" + (f"  {detail}" if detail else "")


def check_json(check: Check) -> dict[str, Any]:
    """A check as plain JSON values, its verdict included."""
    return {**asdict(check), "verdict": check.verdict}


def _timing_json(timing: Timing | None) -> dict[str, Any] | None:
    return None if timing is None else {**asdict(timing), "rate": timing.rate}


def _rate(timing: Timing | None) -> str:
    if timing is None:
        return "-"
    return "failed" if timing.rate is None else f"{timing.rate:,.0f}"


def _times(value: float | None) -> str:
    """A ratio: two decimals below 10, whole numbers above.

    >>> _times(0.314), _times(479.2), _times(None)
    ('0.31x', '479x', '-')
    """
    if value is None:
        return "-"
    return f"{value:,.2f}x" if value < 10 else f"{value:,.0f}x"


def _quantity(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:,.3f} ms" if value < 0.001 else f"{value * 1000:,.1f} ms"
    if unit == "/s":
        return f"{value:,.0f}/s"
    if unit == "x":
        return _times(value)
    return f"{value:,.0f} {unit}"
