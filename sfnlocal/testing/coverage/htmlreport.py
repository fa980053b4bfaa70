"""The HTML report: one self-contained page (no script, nothing fetched) with, per state machine, the
numbers per category, its graph drawn as inline SVG with what was not covered in red, and the list of
uncovered items.

>>> from sfnlocal import StateMachine
>>> from sfnlocal.testing.coverage.data import CoverageData
>>> from sfnlocal.testing.coverage.summary import summarize
>>> sm = StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}, name="Tiny")
>>> data = CoverageData()
>>> data.add(sm.execute({}))
>>> page = html_report(summarize(data))
>>> page.startswith("<!DOCTYPE html>"), '<section class="machine" id="machine-1" data-name="Tiny"' in page
(True, True)
"""

from __future__ import annotations

from html import escape

from sfnlocal.testing.coverage.summary import MachineSummary, format_percent, total_percent
from sfnlocal.testing.coverage.svg import render_graph
from sfnlocal.testing.wording import counted

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; color: #1d2330; margin: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; }
h2 small { color: #6b7280; font-weight: normal; font-family: monospace; }
table { border-collapse: collapse; margin: 8px 0; } td, th { padding: 3px 10px; text-align: left; }
th { border-bottom: 1px solid #d1d5db; } td.number { text-align: right; font-variant-numeric: tabular-nums; }
.legend span { display: inline-block; padding: 0 8px; margin-right: 8px; border-radius: 4px; }
.legend .covered { background: #dcfce7; border: 1px solid #16a34a; }
.legend .uncovered { background: #fee2e2; border: 1px solid #dc2626; }
.graph-wrap { overflow-x: auto; border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px; background: #fafafa; }
svg.graph text { font: 13px system-ui, sans-serif; text-anchor: middle; }
svg.graph .state > rect { fill: #dcfce7; stroke: #16a34a; stroke-width: 1.5; }
svg.graph .state.uncovered > rect { fill: #fee2e2; stroke: #dc2626; stroke-width: 2; stroke-dasharray: 5 3; }
svg.graph .state:hover > rect { stroke-width: 3; }
svg.graph .state > text.type { font-size: 11px; fill: #4b5563; }
svg.graph .branch > rect.lane { fill: #ffffff; stroke: #9ca3af; stroke-dasharray: 2 2; }
svg.graph .branch.uncovered > rect.lane { fill: #fff5f5; stroke: #dc2626; }
svg.graph .branch > text.caption { font-size: 11px; text-anchor: start; fill: #4b5563; }
svg.graph .branch.uncovered > text.caption { fill: #b91c1c; }
svg.graph .transition path { fill: none; stroke: #16a34a; stroke-width: 1.5; }
svg.graph .transition .arrow { fill: #16a34a; }
svg.graph .transition.uncovered path { stroke: #dc2626; stroke-width: 2; stroke-dasharray: 6 4; }
svg.graph .transition.uncovered .arrow { fill: #dc2626; }
svg.graph .transition.start path { stroke: #6b7280; } svg.graph .transition.start .arrow { fill: #6b7280; }
svg.graph .transition text.label { font-size: 11px; text-anchor: start; fill: #374151;
  paint-order: stroke; stroke: #fafafa; stroke-width: 3px; }
svg.graph .transition.uncovered text.label { fill: #b91c1c; }
svg.graph circle.terminal { fill: #374151; } svg.graph circle.end { fill: #ffffff; stroke: #374151; stroke-width: 4; }
ul.missing li { color: #b91c1c; } .full { color: #15803d; }
"""


def html_report(summaries: list[MachineSummary]) -> str:
    """The page, as text."""
    covered = sum(s.covered for s in summaries)
    total = sum(s.total for s in summaries)
    index = "".join(
        f'<li><a href="#machine-{number}">{escape(s.model.name)}</a> {format_percent(s.percent)}</li>'
        for number, s in enumerate(summaries, 1)
    )
    sections = "".join(_section(number, summary) for number, summary in enumerate(summaries, 1))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>sfnlocal workflow coverage</title><style>{_STYLE}</style></head><body>"
        f'<h1>Workflow coverage</h1><p class="total">Total: <strong>{format_percent(total_percent(summaries))}'
        f"</strong> ({covered} of {counted(total, 'item')} in {counted(len(summaries), 'state machine')})"
        '</p><p class="legend"><span class="covered">covered</span><span class="uncovered">not covered</span>'
        "hover a state for its items and hit counts</p>"
        f'<ul class="index">{index}</ul>{sections}</body></html>\n'
    )


def _section(number: int, summary: MachineSummary) -> str:
    model = summary.model
    rows = "".join(
        f'<tr data-category="{c.category}"><td>{c.title}</td><td class="number">{c.covered}</td>'
        f'<td class="number">{c.total}</td>'
        f'<td class="number">{format_percent(100 * c.covered / c.total)}</td></tr>'
        for c in summary.categories
    )
    missing = "".join(
        f'<li data-category="{item.category}" data-location="{escape(item.location)}">{escape(model.label(item))}</li>'
        for item in summary.missing
    )
    missing_list = (
        f'<h3>Not covered</h3><ul class="missing">{missing}</ul>'
        if missing
        else '<p class="full">Every item was covered.</p>'
    )
    return (
        f'<section class="machine" id="machine-{number}" data-name="{escape(model.name)}" '
        f'data-digest="{model.digest}" data-percent="{summary.percent:.2f}">'
        f"<h2>{escape(model.name)} <small>{model.digest}</small> {format_percent(summary.percent)}</h2>"
        "<table><tr><th>category</th><th>covered</th><th>total</th><th></th></tr>"
        f'{rows}<tr><th>all</th><th class="number">{summary.covered}</th><th class="number">{summary.total}</th>'
        f'<th class="number">{format_percent(summary.percent)}</th></tr></table>'
        f'<div class="graph-wrap">{render_graph(model, summary.hits)}</div>{missing_list}</section>'
    )
