"""Rendering results: the side-by-side table, the target verdicts, and the ``--json`` document."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from benchmarks.measurement import Timing
from benchmarks.targets import Check, ratio

_ROW = "{:<28} {:>11} {:>13} {:>10} {:>14}"
TABLE_HEADER = _ROW.format("workflow", "transitions", "sfnlocal /s", "moto /s", "sfnlocal/moto")


@dataclass(frozen=True)
class Comparison:
    """One workload timed on both engines (``moto`` is None when it was skipped)."""

    workload: str
    transitions: int
    sfnlocal: Timing
    moto: Timing | None

    def row(self) -> str:
        """The table row, with any failure spelled out on the lines below it."""
        both = ratio(self.sfnlocal, self.moto)
        line = _ROW.format(
            self.workload,
            self.transitions,
            _rate(self.sfnlocal),
            _rate(self.moto),
            "-" if both is None else f"{both:,.0f}x",
        )
        for timing in (self.sfnlocal, self.moto):
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
            "ratio": ratio(self.sfnlocal, self.moto),
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
        return "skipped"
    return "failed" if timing.rate is None else f"{timing.rate:,.0f}"


def _quantity(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:,.1f} ms"
    if unit == "/s":
        return f"{value:,.0f}/s"
    if unit == "x":
        return f"{value:,.0f}x"
    return f"{value:,.0f} {unit}"
