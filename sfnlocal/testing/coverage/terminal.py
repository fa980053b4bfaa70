"""The terminal report: per state machine, covered/total per category and what was not covered.

Machines are known by name and, in brackets, the digest of their definition.

>>> from sfnlocal import StateMachine
>>> from sfnlocal.testing.coverage.data import CoverageData
>>> from sfnlocal.testing.coverage.summary import summarize
>>> sm = StateMachine.from_dict({"StartAt": "Ask", "States": {
...     "Ask": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Yes"}],
...             "Default": "No"},
...     "Yes": {"Type": "Succeed"}, "No": {"Type": "Fail", "Error": "Nope"}}}, name="Ask")
>>> data = CoverageData()
>>> data.add(sm.execute({"ok": True}))
>>> print("\\n".join(term_lines(summarize(data))))
Ask [...]  62.5%  (5/8)
  states         2/3  missing: No
  transitions    2/3  missing: Ask → No
  Choice rules   1/2  missing: Ask: Default → No
TOTAL  62.5%  (5/8 in 1 state machine)
"""

from __future__ import annotations

from sfnlocal.testing.coverage.model import CATEGORIES
from sfnlocal.testing.coverage.summary import MachineSummary, format_percent, total_percent
from sfnlocal.testing.wording import counted

_TITLE_WIDTH = max(len(title) for title in CATEGORIES.values())


def term_lines(summaries: list[MachineSummary]) -> list[str]:
    """The report's lines: a machine's items not covered are listed one a line after their category."""
    lines: list[str] = []
    for summary in summaries:
        lines.append(
            f"{summary.model.name} [{summary.model.digest}]  {format_percent(summary.percent)}  "
            f"({summary.covered}/{summary.total})"
        )
        for category in summary.categories:
            head = f"  {category.title:<{_TITLE_WIDTH}} {category.covered:>3}/{category.total:<3}"
            labels = [summary.model.label(item) for item in category.missing]
            if not labels:
                lines.append(head.rstrip())
                continue
            lines.append(f"{head} missing: {labels[0]}")
            lines.extend(" " * (len(head) + len(" missing: ")) + label for label in labels[1:])
    covered = sum(s.covered for s in summaries)
    total = sum(s.total for s in summaries)
    lines.append(
        f"TOTAL  {format_percent(total_percent(summaries))}  ({covered}/{total} in "
        f"{counted(len(summaries), 'state machine')})"
    )
    return lines
