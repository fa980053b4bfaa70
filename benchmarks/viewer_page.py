"""The execution page of a large execution (issue 16): under 10 MB, and ready in headless Chromium in under 2 s.

Two executions, each as large as AWS lets one be:

* a Standard execution with a Distributed Map of 10,000 children, then a loop that runs until the history holds
  AWS's 25,000 events and fails (States.Runtime) — a looping workflow's failure;
* an Express execution (no history limit) with an inline Map of 10,000 iterations (40,000 events).

The time is the page's own: from navigation start to ``window.sfnViewer.ready`` (``performance.now()``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from benchmarks.targets import Check
from sfnlocal import StateMachine

MAX_PAGE_SECONDS = 2.0
MAX_PAGE_BYTES = 10_000_000
ITERATIONS = 10_000

LOOPING = {
    "StartAt": "Fan out",
    "States": {
        "Fan out": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Work",
                "States": {"Work": {"Type": "Pass", "End": True}},
            },
            "ResultPath": None,
            "Next": "More?",
        },
        "More?": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericLessThan": 1_000_000, "Next": "Step"}],
            "Default": "Done",
        },
        "Step": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "More?"},
        "Done": {"Type": "Succeed"},
    },
}

INLINE = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemProcessor": {"StartAt": "Double", "States": {"Double": {"Type": "Pass", "End": True}}},
            "End": True,
        }
    },
}


def large_executions(iterations: int = ITERATIONS) -> dict[str, Any]:
    """The two executions' results, by name."""
    looping = StateMachine.from_dict(LOOPING, name="Looping").execute({"items": list(range(iterations)), "n": 0})
    inline = StateMachine.from_dict(INLINE, name="Inline", type="EXPRESS").execute(list(range(iterations)))
    return {"distributed map and 25,000 events": looping, "inline map": inline}


def check_viewer_page(folder: Path, iterations: int = ITERATIONS) -> list[Check]:
    """Write each execution's page into ``folder`` and measure its size and its time to ready in Chromium (Maps of
    ``iterations`` items)."""
    from tests.browser_support import HAVE_CHROMIUM, SKIP_REASON, Browser

    checks = []
    pages = {}
    for name, run in large_executions(iterations).items():
        started = time.perf_counter()
        path = run.to_html(folder / f"viewer-{name.split()[0]}.html")
        written = time.perf_counter() - started
        size = path.stat().st_size
        pages[name] = path
        note = f"{len(run.history):,} events, {run.status}; written in {written:.1f} s"
        checks.append(Check(f"execution page size: {name}", size / 1e6, "MB", MAX_PAGE_BYTES / 1e6, False, note=note))
    if not HAVE_CHROMIUM:
        return [*checks, Check("execution page ready", None, "s", MAX_PAGE_SECONDS, False, not_applicable=SKIP_REASON)]
    with Browser() as browser:
        for name, path in pages.items():
            seconds = page_ready_seconds(browser, path)
            checks.append(Check(f"execution page ready in Chromium: {name}", seconds, "s", MAX_PAGE_SECONDS, False))
    return checks


def page_ready_seconds(browser: Any, path: Path) -> float:
    """From navigation start to ``window.sfnViewer.ready`` in a fresh tab (best of 3: a cold file cache aside)."""
    times = []
    for _ in range(3):
        page = browser.page()
        page.goto(path.resolve().as_uri(), ready="window.sfnViewer && window.sfnViewer.ready", timeout=60)
        times.append(page.evaluate("window.sfnViewer.readyAt") / 1000)
        page.check()
        page.send("Page.close")
    return min(times)
