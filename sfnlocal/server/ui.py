"""The live view of ``sfnlocal serve``: web pages on the server's own address, for loopback clients only.

``GET /sfnlocal/ui/`` lists the state machines and the executions (newest first; ``?status=RUNNING`` and the
other statuses filter them, ``?machine=<arn>`` keeps one machine's), each execution linking to its page.
``GET /sfnlocal/ui/execution?arn=<execution arn>`` is the execution's page (:func:`sfnlocal.viewer.render_page`),
which fetches ``GET /sfnlocal/ui/execution.json?arn=...`` (its document) every second while the execution runs
and offers a form for each task waiting for a token or an activity worker (answered through the API itself).

>>> from sfnlocal.server.engine import Engine
>>> engine = Engine()
>>> machine = engine.create_machine("Hello", '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}',
...                                 "arn:aws:iam::123456789012:role/run", "STANDARD")
>>> _ = engine.start_execution(machine, "first", "{}")
>>> page = ui_page(engine, "/sfnlocal/ui/?status=SUCCEEDED", "127.0.0.1")
>>> page.status, page.content_type, b"first" in page.body
(200, 'text/html; charset=utf-8', True)
>>> ui_page(engine, "/sfnlocal/ui/", "192.0.2.7").status
403
"""

from __future__ import annotations

import html
import ipaddress
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from sfnlocal.server.addresses import loopback

UI_PREFIX = "/sfnlocal/ui"
LIST_PATH = UI_PREFIX + "/"
PAGE_PATH = UI_PREFIX + "/execution"
DOCUMENT_PATH = UI_PREFIX + "/execution.json"
FAVICON = "/favicon.ico"  # asked by browsers of every server whose pages they show
HTML = "text/html; charset=utf-8"
JSON = "application/json"
# ListExecutions' statuses (botocore's model), in the order the filter shows them.
STATUSES = ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE")
log = logging.getLogger("sfnlocal.server")
SHOWN_EXECUTIONS = 500  # the newest executions the list shows (a page of thousands of rows helps nobody)


@dataclass(frozen=True)
class Page:
    """An answer of the live view: the HTTP status, the content type and the body."""

    status: int
    content_type: str
    body: bytes


class NotFound(Exception):
    """What a request names does not exist (answered 404 with this message)."""


def ui_page(engine: Any, path: str, client_host: str, host_header: str | None = None) -> Page:
    """The answer to ``GET <path>`` (under :data:`UI_PREFIX`, with its query) from ``client_host``, asked for
    the ``Host`` ``host_header``."""
    if not loopback(client_host):
        return _text(403, f"{UI_PREFIX}/ answers clients on this machine only")
    if host_header is not None and not _local_name(host_header):
        # A web page of another site whose name was made to resolve to 127.0.0.1 (DNS rebinding) would be of the
        # same origin as these pages and could read executions' data: only an address or localhost is served.
        return _text(403, f"{UI_PREFIX}/ answers requests for localhost or an IP address only, not {host_header!r}")
    parts = urlsplit(path)
    if parts.path == FAVICON:  # none: an error would be a console error on every page
        return Page(204, "image/x-icon", b"")
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    try:
        if parts.path in (UI_PREFIX, LIST_PATH):
            return Page(200, HTML, list_page(engine, query.get("status"), query.get("machine")).encode())
        if parts.path == DOCUMENT_PATH:
            document = execution_view(engine, _arn(query))
            return Page(200, JSON, json.dumps(document, ensure_ascii=False, default=_iso).encode())
        if parts.path == PAGE_PATH:
            return Page(200, HTML, execution_page(engine, _arn(query)).encode())
    except NotFound as missing:
        return _text(404, str(missing))
    except Exception:  # a bug of sfnlocal: logged, and the browser gets an answer rather than a closed connection
        log.exception("sfnlocal serve: the page %s failed", path)
        return _text(500, f"sfnlocal failed to make the page {parts.path} (see its log)")
    return _text(404, f"sfnlocal has no page {parts.path}: see {LIST_PATH}")


def _local_name(host_header: str) -> bool:
    """Whether a ``Host`` header names this machine by an address or as localhost (port aside).

    >>> [_local_name(host) for host in ("127.0.0.1:8083", "[::1]:8083", "localhost", "evil.example:8083")]
    [True, True, True, False]
    """
    name = urlsplit(f"//{host_header}").hostname or ""
    if name == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _arn(query: dict[str, str]) -> str:
    arn = query.get("arn")
    if not arn:
        raise NotFound("name the execution: ?arn=<execution ARN>")
    return arn


def _text(status: int, message: str) -> Page:
    return Page(status, "text/plain; charset=utf-8", (message + "\n").encode())


def _iso(value: Any) -> str:
    """Dates in a document as ISO 8601 text (the viewer's documents are JSON)."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


# An execution's page and document -------------------------------------------------------------------------


def execution_page(engine: Any, arn: str) -> str:
    """The live page of the execution ``arn`` (NotFound when the server has none of that ARN)."""
    from sfnlocal.viewer import render_page  # imported when a page is asked: the API's start-up does not need it

    document = execution_view(engine, arn)
    return render_page(
        document, live_url=f"{DOCUMENT_PATH}?arn={quote(arn, safe='')}", title=f"{document.get('name', arn)}"
    )


def execution_view(engine: Any, arn: str) -> dict[str, Any]:
    """The document of the execution ``arn`` as the viewer draws it, with the tasks it waits for.

    A running execution's comes from its live result (children and map runs included); a finished one's from what
    the server keeps of it (its description, history, definition and map runs: the same after a restart).
    """
    from sfnlocal.viewer import execution_document

    with engine.lock:  # executions move in other threads (the API's operations, the real clock's)
        record = engine.executions.get(arn)
        if record is None:
            raise NotFound(f"the server has no execution {arn}")
        result = record.result
        if result is not None and record.redrives is None:
            document = dict(result.to_view())
            document["waiting"] = [*result.waiting_tasks, *result.waiting_activities]
            document["children"] = _child_links(engine, record.child_arns)
            return document
        # Finished, or redriven (its history is the one before the redrive and this run's: the description's).
        saved = record.stored() if result is not None else record.saved
        described = saved["description"]
        definition = json.loads(saved["machine"]["definition"])
        history = saved["history"]
        # Each map run with its children as map_run_children gives them (their histories where the run kept them).
        kept_children = saved.get("map_run_children", {})
        runs = [{**run, "children": kept_children.get(run["mapRunArn"], [])} for run in saved.get("map_runs", [])]
        waiting = [*result.waiting_tasks, *result.waiting_activities] if result is not None else []
        document = execution_document(
            definition,
            history,
            name=described["name"],
            execution_arn=arn,
            state_machine_arn=described["stateMachineArn"],
            status=described["status"],
            map_runs=runs,
            waiting=waiting,
        )
        document["children"] = _child_links(engine, record.child_arns)
        return document


def _child_links(engine: Any, arns: list[str]) -> list[dict[str, Any]]:
    """The executions an execution started, as links to their own live pages (each is an execution of the server's:
    a Standard one; an Express child, which the server does not keep, is left out)."""
    links = []
    for arn in arns:
        child = engine.executions.get(arn)
        if child is not None:
            described = child.describe()
            links.append(
                {
                    "name": described["name"],
                    "executionArn": arn,
                    "status": described["status"],
                    "href": f"{PAGE_PATH}?arn={quote(arn, safe='')}",
                }
            )
    return links


# The list of state machines and executions --------------------------------------------------------------


def list_page(engine: Any, status: str | None = None, machine: str | None = None) -> str:
    """The page listing the state machines and the newest executions (of one ``status``, of one ``machine``)."""
    with engine.lock:
        machines = [(record.name, record.arn, record.type) for record in engine.machines.values()]
        described = [record.describe() for record in reversed(list(engine.executions.values()))]
    counts = {name: sum(1 for entry in described if entry["status"] == name) for name in STATUSES}
    chosen = [
        entry
        for entry in described
        if (status is None or entry["status"] == status) and (machine is None or entry["stateMachineArn"] == machine)
    ]
    rows = "".join(_execution_row(entry) for entry in chosen[:SHOWN_EXECUTIONS])
    more = len(chosen) - SHOWN_EXECUTIONS
    note = f"<p>The newest {SHOWN_EXECUTIONS:,} of {len(chosen):,} are shown.</p>" if more > 0 else ""
    filters = [_filter_link("All", None, status, len(described), machine)]
    filters += [_filter_link(name, name, status, counts[name], machine) for name in STATUSES]
    machine_rows = "".join(
        f'<tr data-arn="{_e(arn)}"><td><a href="{LIST_PATH}?machine={quote(arn, safe="")}">{_e(name)}</a></td>'
        f"<td>{_e(kind)}</td><td><code>{_e(arn)}</code></td></tr>"
        for name, arn, kind in machines
    )
    shown_status = f" ({_e(status)})" if status else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>sfnlocal: executions</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>{_STYLE}</style></head>
<body><h1>sfnlocal serve</h1>
<h2>State machines</h2>
<table id="machines"><thead><tr><th>Name</th><th>Type</th><th>ARN</th></tr></thead><tbody>{machine_rows}</tbody></table>
<h2>Executions{shown_status}</h2>
<nav id="status-filter" aria-label="Filter the executions by status">{" ".join(filters)}</nav>
{note}<table id="executions"><thead><tr><th>Status</th><th>Name</th><th>State machine</th><th>Started</th>
<th>Stopped</th></tr></thead><tbody>{rows}</tbody></table>
{"" if chosen else '<p id="no-executions">No execution.</p>'}
</body></html>
"""


def _filter_link(label: str, value: str | None, current: str | None, count: int, machine: str | None) -> str:
    query = "&".join(
        f"{name}={quote(given, safe='')}" for name, given in (("status", value), ("machine", machine)) if given
    )
    chosen = ' aria-current="page"' if value == current else ""
    return (
        f'<a href="{LIST_PATH}{"?" + query if query else ""}" data-status="{value or ""}"{chosen}>{label} ({count})</a>'
    )


def _execution_row(described: dict[str, Any]) -> str:
    arn = described["executionArn"]
    machine = described["stateMachineArn"].split(":")[-1]
    stopped = described.get("stopDate")
    return (
        f'<tr data-status="{_e(described["status"])}" data-arn="{_e(arn)}">'
        f'<td class="status">{_e(described["status"])}</td>'
        f'<td><a href="{PAGE_PATH}?arn={quote(arn, safe="")}">{_e(described["name"])}</a></td>'
        f"<td>{_e(machine)}</td><td>{_date(described['startDate'])}</td>"
        f"<td>{_date(stopped) if stopped else ''}</td></tr>"
    )


def _date(value: datetime) -> str:
    return _e(value.isoformat(sep=" ", timespec="seconds"))


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1b1b1b; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { text-align: left; padding: 0.25em 0.75em; border-bottom: 1px solid #ddd; }
nav a { margin-right: 0.75em; }
nav a[aria-current] { font-weight: bold; text-decoration: none; color: inherit; }
code { font-size: 12px; }
"""
