"""The JSON report: the same numbers as the terminal's, with every item and its hit count, for tools.

>>> from sfnlocal import StateMachine
>>> from sfnlocal.testing.coverage.data import CoverageData
>>> from sfnlocal.testing.coverage.summary import summarize
>>> sm = StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}, name="Tiny")
>>> data = CoverageData()
>>> data.add(sm.execute({}))
>>> report = json_report(summarize(data))
>>> report["totals"]
{'covered': 2, 'total': 2, 'percent': 100.0}
>>> report["machines"][0]["categories"]["transitions"]["items"]
[{'state': 'A', 'location': '/States/A', 'detail': None, 'label': 'A → (end)', 'hits': 1}]
"""

from __future__ import annotations

from typing import Any

from sfnlocal.testing.coverage.summary import CategorySummary, MachineSummary, total_percent

FORMAT = 1


def json_report(summaries: list[MachineSummary]) -> dict[str, Any]:
    """The report as a JSON-ready dict: ``totals`` and one entry per machine (name, digest, numbers,
    and per category its items with their hit counts; ``missing`` lists the labels not covered)."""
    return {
        "format": FORMAT,
        "totals": {
            "covered": sum(s.covered for s in summaries),
            "total": sum(s.total for s in summaries),
            "percent": total_percent(summaries),
        },
        "machines": [_machine(summary) for summary in summaries],
    }


def _machine(summary: MachineSummary) -> dict[str, Any]:
    return {
        "name": summary.model.name,
        "digest": summary.model.digest,
        "covered": summary.covered,
        "total": summary.total,
        "percent": summary.percent,
        "categories": {category.category: _category(summary, category) for category in summary.categories},
    }


def _category(summary: MachineSummary, category: CategorySummary) -> dict[str, Any]:
    model = summary.model
    items = [
        {
            "state": model.states[item.location].name,
            "location": item.location,
            "detail": item.detail,
            "label": model.label(item),
            "hits": summary.hits[item],
        }
        for item in model.items
        if item.category == category.category
    ]
    return {
        "covered": category.covered,
        "total": category.total,
        "items": items,
        "missing": [model.label(item) for item in category.missing],
    }
