"""The execution page: one self-contained HTML file (its script and style inlined from the package's assets)."""

from __future__ import annotations

import json
from functools import cache
from html import escape
from importlib import resources
from typing import Any


@cache
def _asset(name: str) -> str:
    return (resources.files("sfnlocal.viewer") / "assets" / name).read_text(encoding="utf-8")


def _script_json(value: Any) -> str:
    """JSON to sit inside a ``<script>`` element: ``</`` and ``<!--`` cannot end or confuse it when escaped."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_page(document: dict[str, Any], *, live_url: str | None = None, title: str | None = None) -> str:
    """The whole HTML page of an execution's ``document`` (:func:`sfnlocal.viewer.execution_document`).

    With ``live_url``, the page fetches the document again from that URL every second while the execution is
    RUNNING, and offers a form to answer each waiting task (SendTaskSuccess / SendTaskFailure, posted to the
    page's own origin as the Step Functions API).

    >>> from sfnlocal.viewer import execution_document
    >>> doc = execution_document({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, [],
    ...     name="n", execution_arn="arn:e", state_machine_arn="arn:sm", status="RUNNING")
    >>> page = render_page(doc, title="My <run>")
    >>> "<title>My &lt;run&gt;</title>" in page, '<svg id="graph"' in page, "http" in page.split("<body")[0]
    (True, True, False)
    """
    heading = title if title is not None else f"Execution {document.get('name', '')}"
    settings = {"liveUrl": live_url}
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{escape(heading)}</title>
<style>{_asset("viewer.css")}</style>
</head>
<body>
<header>
<h1>{escape(heading)}</h1>
<p id="status" role="status" aria-live="polite"></p>
<nav id="breadcrumbs" aria-label="Executions"></nav>
</header>
<main>
<section id="graph-section" aria-labelledby="graph-heading">
<h2 id="graph-heading">State graph</h2>
<p class="hint">Tab to a state and press Enter to select it; <kbd>j</kbd>/<kbd>k</kbd> move to the next or previous
state run, <kbd>/</kbd> filters the events.</p>
<div class="graph-scroll"><svg id="graph" xmlns="http://www.w3.org/2000/svg" role="group"
aria-label="State graph"></svg></div>
<ul id="legend" class="legend"></ul>
</section>
<section id="iterations" aria-labelledby="iterations-heading">
<h2 id="iterations-heading">Branches and iterations</h2>
<div class="content"></div>
</section>
<section id="state-panel" aria-labelledby="state-heading" tabindex="-1">
<h2 id="state-heading">State</h2>
<div class="content"><p>Select a state in the graph.</p></div>
</section>
<section id="waiting-section" aria-labelledby="waiting-heading" hidden>
<h2 id="waiting-heading">Waiting for an answer</h2>
<div id="waiting"></div>
</section>
<section id="timeline-section" aria-labelledby="timeline-heading">
<h2 id="timeline-heading">Timeline</h2>
<div id="timeline"></div>
</section>
<section id="events-section" aria-labelledby="events-heading">
<h2 id="events-heading">Events</h2>
<form id="event-filter" role="search"></form>
<div id="events"></div>
</section>
<section id="children-section" aria-labelledby="children-heading">
<h2 id="children-heading">Child executions</h2>
<div id="children"></div>
</section>
</main>
<script type="application/json" id="sfn-settings">{_script_json(settings)}</script>
<script type="application/json" id="sfn-document">{_script_json(document)}</script>
<script>{_asset("viewer.js")}</script>
</body>
</html>
"""
