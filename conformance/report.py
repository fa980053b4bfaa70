"""Pass rates: the table by feature tag, the JSON record, and reading a ``--min`` rate.

A skipped case counts as not passed. The history rates are over the cases whose recording has a
history (``history`` for event types and links, ``details`` for the events' contents).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from conformance.runner import FAIL, NOT_APPLICABLE, PASS, SKIP, CaseResult

OVERALL = "overall"


@dataclass
class Tally:
    """Counts over a group of cases.

    >>> t = tally([CaseResult("a", PASS, history=PASS, details=FAIL), CaseResult("b", SKIP)])
    >>> t.cases, t.passed, t.rate, t.history_rate, t.details_rate
    (2, 1, 0.5, 1.0, 0.0)
    """

    cases: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    with_history: int = 0
    history_passed: int = 0
    details_passed: int = 0

    def add(self, result: CaseResult) -> None:
        """Count one verdict."""
        self.cases += 1
        self.passed += result.result == PASS
        self.failed += result.result == FAIL
        self.skipped += result.result == SKIP
        if result.history != NOT_APPLICABLE:
            self.with_history += 1
            self.history_passed += result.history == PASS
            self.details_passed += result.details == PASS

    @property
    def rate(self) -> float:
        """Passed cases over all cases (0 when there are none)."""
        return self.passed / self.cases if self.cases else 0.0

    @property
    def history_rate(self) -> float | None:
        """Cases whose history types and links matched, over the cases with a recorded history."""
        return self.history_passed / self.with_history if self.with_history else None

    @property
    def details_rate(self) -> float | None:
        """Cases whose history details matched, over the cases with a recorded history."""
        return self.details_passed / self.with_history if self.with_history else None


def tally(results: Iterable[CaseResult]) -> Tally:
    """The counts over ``results``."""
    total = Tally()
    for result in results:
        total.add(result)
    return total


def by_feature(results: Iterable[CaseResult]) -> dict[str, Tally]:
    """One tally per feature tag (a case counts under each of its tags), most used tags first.

    >>> list(by_feature([CaseResult("a", PASS, features=("x", "y")), CaseResult("b", FAIL, features=("y",))]))
    ['y', 'x']
    """
    tallies: dict[str, Tally] = {}
    for result in results:
        for tag in result.features:
            tallies.setdefault(tag, Tally()).add(result)
    return dict(sorted(tallies.items(), key=lambda item: (-item[1].cases, item[0])))


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.1f}"


def format_table(results: Sequence[CaseResult]) -> str:
    """The pass-rate table by feature tag, with the overall line last.

    >>> print(format_table([CaseResult("a", PASS, features=("type:Pass",))]))
    feature  cases  pass  fail  skip  pass%  hist-n  hist%  details%
    type:Pass    1     1     0     0  100.0       0      -         -
    overall      1     1     0     0  100.0       0      -         -
    """
    rows = [*by_feature(results).items(), (OVERALL, tally(results))]
    width = max(len("feature"), *(len(name) for name, _ in rows))
    header = (
        f"{'feature':<{width}}  {'cases':>5}  {'pass':>4}  {'fail':>4}  {'skip':>4}  {'pass%':>5}  "
        f"{'hist-n':>6}  {'hist%':>5}  {'details%':>8}"
    )
    lines = [header]
    for name, t in rows:
        lines.append(
            f"{name:<{width}}  {t.cases:>5}  {t.passed:>4}  {t.failed:>4}  {t.skipped:>4}  "
            f"{_percent(t.rate):>5}  {t.with_history:>6}  {_percent(t.history_rate):>5}  "
            f"{_percent(t.details_rate):>8}"
        )
    return "\n".join(lines)


def to_json(results: Sequence[CaseResult]) -> dict[str, Any]:
    """One record per case and the totals, as written by ``--json FILE``.

    >>> to_json([CaseResult("a", PASS)])["totals"]["pass_rate"]
    1.0
    """
    total = tally(results)
    return {
        "cases": [
            {
                "id": r.id,
                "result": r.result,
                "reason": r.reason,
                "history": r.history,
                "history_reason": r.history_reason,
                "details": r.details,
            }
            for r in results
        ],
        "totals": {
            "cases": total.cases,
            "pass": total.passed,
            "fail": total.failed,
            "skip": total.skipped,
            "pass_rate": total.rate,
            "with_history": total.with_history,
            "history_pass": total.history_passed,
            "history_rate": total.history_rate,
            "details_pass": total.details_passed,
            "details_rate": total.details_rate,
        },
    }


def parse_rate(text: str) -> float:
    """A pass-rate threshold: a fraction (``0.9``) or a percentage (``90%`` or ``90``).

    >>> parse_rate("0.9"), parse_rate("90%"), parse_rate("90"), parse_rate("1")
    (0.9, 0.9, 0.9, 1.0)
    """
    cleaned = text.strip()
    percent = cleaned.endswith("%")
    try:
        value = float(cleaned.rstrip("%"))
    except ValueError:
        raise ValueError(f"--min takes a fraction like 0.9 or a percentage like 90%, not {text!r}") from None
    if percent or value > 1:
        value /= 100
    if not 0 <= value <= 1:
        raise ValueError(f"--min must lie between 0 and 1 (or 0% and 100%), not {text!r}")
    return value
