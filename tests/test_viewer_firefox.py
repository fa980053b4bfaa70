"""The execution page in Firefox (Debian's firefox-esr, headless), as well as in Chromium (test_viewer_browser.py).

Firefox is driven without a driver: the test serves the page on loopback with two probe scripts added, one first in
``<head>`` that collects every error, one last in ``<body>`` that, once the viewer has rendered, selects the failed
state and posts what the page shows back to the test's server (a synchronous request, so it is sent before Firefox
takes its screenshot and exits). Any JavaScript error fails the test; the screenshot is kept in test-artifacts/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS

from sfnlocal import StateMachine, mocks

FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
pytestmark = pytest.mark.skipif(
    FIREFOX is None, reason="Firefox is not installed (Debian: apt-get install firefox-esr)"
)

ERRORS_FIRST = """<script>
window.__errors = [];
window.addEventListener("error", (event) => window.__errors.push(String(event.message)));
window.addEventListener("unhandledrejection", (event) => window.__errors.push(String(event.reason)));
const consoleError = console.error;
console.error = (...parts) => { window.__errors.push(parts.join(" ")); consoleError(...parts); };
</script>"""
PROBE_LAST = """<script>
(() => {
  const seen = { ready: false };
  try {
    seen.ready = !!(window.sfnViewer && window.sfnViewer.ready);
    seen.outcomes = Object.fromEntries([...document.querySelectorAll("#graph g.state")]
      .map((node) => [node.dataset.state, node.dataset.outcome]));
    seen.labels = [...document.querySelectorAll("#graph g.state text.outcome")].map((node) => node.textContent);
    window.sfnViewer.selectState("Charge");
    seen.panel = document.getElementById("state-panel").innerText;
    seen.status = document.querySelector("#status [data-status]").dataset.status;
  } catch (problem) {
    window.__errors.push(String(problem));
  }
  seen.errors = window.__errors;
  const report = new XMLHttpRequest();
  report.open("POST", "/report", false);
  report.send(JSON.stringify(seen));
})();
</script>"""

FAILING = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
            "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "MaxAttempts": 1}],
            "Next": "Pack items",
        },
        "Pack items": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "Pack", "States": {"Pack": {"Type": "Pass", "End": True}}},
            "End": True,
        },
    },
}


class Probe:
    """A loopback server handing out one page and keeping what its probe reports."""

    def __init__(self, page: str) -> None:
        self.page = page.replace("<head>", "<head>" + ERRORS_FIRST, 1).replace("</body>", PROBE_LAST + "</body>", 1)
        self.reports: list[dict[str, Any]] = []
        probe = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                body = probe.page.encode() if self.path == "/page" else b""
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802
                probe.reports.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *arguments: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/page"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def failed_page() -> Iterator[Probe]:
    busy = mocks.raises("Busy", "try again")
    run = StateMachine.from_dict(FAILING, name="Order").execute(
        {"items": [1, 2, 3]}, mocks={"Charge": mocks.sequence(busy, mocks.raises("Declined", "insufficient funds"))}
    )
    assert run.status == "FAILED"
    with tempfile.TemporaryDirectory() as folder:
        probe = Probe(run.to_html(Path(folder) / "failed.html").read_text(encoding="utf-8"))
        yield probe
        probe.close()


def test_firefox_renders_the_page_and_selects_the_failed_state_without_an_error(failed_page: Probe) -> None:
    assert FIREFOX is not None
    shots = ARTIFACTS / "viewer"
    shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sfnlocal-firefox-") as profile:
        finished = subprocess.run(
            [FIREFOX, "--headless", "--no-remote", "--profile", profile, "--window-size", "1400,1000"]
            + ["--screenshot", str(shots / "firefox-failed.png"), failed_page.url],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert finished.returncode == 0, finished.stderr
    [seen] = failed_page.reports
    assert seen["errors"] == []
    assert seen["ready"] is True
    assert seen["status"] == "FAILED"
    assert seen["outcomes"] == {"Charge": "failed", "Pack items": "not-run", "Pack": "not-run"}
    assert "✗ failed" in seen["labels"]  # readable without colour
    assert "Busy — try again" in seen["panel"] and "Declined — insufficient funds" in seen["panel"]
