"""Coverage numbers: covered / total per category and per state machine, and the session's total.

>>> from sfnlocal import StateMachine
>>> from sfnlocal.testing.coverage.data import CoverageData
>>> sm = StateMachine.from_dict({"StartAt": "Ask", "States": {
...     "Ask": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Yes"}],
...             "Default": "No"},
...     "Yes": {"Type": "Succeed"}, "No": {"Type": "Fail", "Error": "Nope"}}}, name="Ask")
>>> data = CoverageData()
>>> data.add(sm.execute({"ok": True}))
>>> [summary] = summarize(data)
>>> summary.covered, summary.total, format_percent(summary.percent)
(5, 8, '62.5%')
>>> [(c.category, c.covered, c.total) for c in summary.categories]
[('states', 2, 3), ('transitions', 2, 3), ('choices', 1, 2)]
>>> [summary.model.label(item) for item in summary.missing]
['No', 'Ask → No', 'Ask: Default → No']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sfnlocal.testing.coverage.data import CoverageData, MachineRecord
from sfnlocal.testing.coverage.model import CATEGORIES, Item, MachineModel


@dataclass(frozen=True)
class CategorySummary:
    """One category of one machine: its items, split into covered and missing."""

    category: str
    covered_items: tuple[Item, ...]
    missing: tuple[Item, ...]

    @property
    def covered(self) -> int:
        """How many items were covered."""
        return len(self.covered_items)

    @property
    def total(self) -> int:
        """How many items there are."""
        return len(self.covered_items) + len(self.missing)

    @property
    def title(self) -> str:
        """The category as reports name it."""
        return CATEGORIES[self.category]


@dataclass(frozen=True)
class MachineSummary:
    """The coverage of one state machine; categories it has no item of are left out."""

    model: MachineModel
    hits: Mapping[Item, int]
    categories: tuple[CategorySummary, ...]
    source: str | None = None  # the file the machine was loaded from, if any

    @property
    def covered(self) -> int:
        """Covered items, all categories together."""
        return sum(category.covered for category in self.categories)

    @property
    def total(self) -> int:
        """All items."""
        return sum(category.total for category in self.categories)

    @property
    def percent(self) -> float:
        """Covered items in percent of all items."""
        return percent(self.covered, self.total)

    @property
    def missing(self) -> list[Item]:
        """The items not covered, in report order."""
        return [item for category in self.categories for item in category.missing]


def summarize_machine(record: MachineRecord) -> MachineSummary:
    """The summary of one machine's record."""
    by_category: dict[str, tuple[list[Item], list[Item]]] = {}
    for item in record.model.items:
        covered, missing = by_category.setdefault(item.category, ([], []))
        (covered if record.hits[item] else missing).append(item)
    categories = tuple(
        CategorySummary(category, tuple(by_category[category][0]), tuple(by_category[category][1]))
        for category in CATEGORIES
        if category in by_category
    )
    return MachineSummary(record.model, record.hits, categories, record.source)


def summarize(data: CoverageData) -> list[MachineSummary]:
    """One summary per machine, by name then digest."""
    return [summarize_machine(data.machines[key]) for key in sorted(data.machines)]


def total_percent(summaries: Iterable[MachineSummary]) -> float:
    """Covered items in percent of all items of all machines (100 when there is no item at all)."""
    summaries = list(summaries)
    return percent(sum(s.covered for s in summaries), sum(s.total for s in summaries))


def percent(covered: int, total: int) -> float:
    """``covered`` in percent of ``total``; nothing to cover counts as fully covered.

    >>> percent(1, 3), percent(0, 0)
    (33.333333333333336, 100.0)
    """
    return 100.0 * covered / total if total else 100.0


def format_percent(value: float) -> str:
    """A percentage with one decimal, rounded down so that only full coverage shows 100%.

    >>> format_percent(99.99), format_percent(100.0), format_percent(2 / 3 * 100)
    ('99.9%', '100.0%', '66.6%')
    """
    return f"{math.floor(value * 10 + 1e-9) / 10:.1f}%"
