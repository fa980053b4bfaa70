"""The HTML report rendered by a real browser: headless Chromium (Debian's package; .ci/run installs it)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from test_coverage_reports import Elements, happy_order, polled

from sfnlocal.testing.coverage.htmlreport import html_report
from sfnlocal.testing.coverage.summary import summarize

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")

# Added to a copy of the page: what the browser made of each state and transition once laid out and styled.
PROBE = """<script>
for (const node of document.querySelectorAll("svg.graph g.state, svg.graph g.transition")) {
  const box = node.getBoundingClientRect();
  const shape = node.querySelector(":scope > rect, :scope > path");
  const style = getComputedStyle(shape);
  node.setAttribute("data-box", [box.width, box.height].map(Math.round).join(","));
  node.setAttribute("data-paint", node.matches(".state") ? style.fill : style.stroke);
}
document.body.setAttribute("data-probed", document.querySelectorAll("svg.graph").length);
</script></body>"""

RED, GREEN = "rgb(220, 38, 38)", "rgb(22, 163, 74)"
PINK, MINT = "rgb(254, 226, 226)", "rgb(220, 252, 231)"


def chromium(tmp_path: Path, *arguments: str) -> str:
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
        *arguments,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.fixture(scope="module")
def page() -> str:
    data = happy_order()
    data.merge(polled())
    return html_report(summarize(data))


def test_chromium_lays_out_and_colours_the_graph(page: str, tmp_path: Path) -> None:
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("</body>", PROBE), encoding="utf-8")
    dom = Elements(chromium(tmp_path, "--dump-dom", probed.as_uri()))
    assert [attrs.get("data-probed") for tag, attrs in dom.tags if tag == "body"] == ["2"]
    states = {a["data-state"]: a for a in dom.with_class("state")}
    assert len(states) == 9 + 9
    for attrs in states.values():
        width, height = map(int, attrs["data-box"].split(","))
        assert width >= 90 and height >= 40
        assert attrs["data-paint"] == (PINK if attrs["class"] == "state uncovered" else MINT)
    assert {name for name, a in states.items() if a["class"] == "state uncovered"} == {
        "Reject order",
        "Payment failed",
        "Bad",
    }
    transitions = {(a["data-from"], a["data-to"]): a for a in dom.with_class("transition")}
    assert transitions[("Charge card", "Payment failed")]["data-paint"] == RED
    assert transitions[("Charge card", "Fulfil")]["data-paint"] == GREEN
    assert all(int(a["data-box"].split(",")[1]) > 0 for a in transitions.values())


def test_chromium_takes_a_screenshot_of_the_page(page: str, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(page, encoding="utf-8")
    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,1400", report.as_uri())
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1000, 1400)
