"""The execution page in a real browser (headless Chromium): the graph, the panels, clicks, keys, screenshots.

Any JavaScript error or console error fails the test (browser_support's Page.check at teardown). Screenshots are
saved in test-artifacts/viewer/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, HAVE_CHROMIUM, SKIP_REASON, Browser, Page

from benchmarks.viewer_page import MAX_PAGE_BYTES, MAX_PAGE_SECONDS, large_executions, page_ready_seconds
from sfnlocal import StateMachine, mocks

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=SKIP_REASON)
SHOTS = ARTIFACTS / "viewer"
READY = "window.sfnViewer && window.sfnViewer.ready"

ORDER = {
    "StartAt": "Validate",
    "States": {
        "Validate": {"Type": "Pass", "Next": "Charge"},
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
            "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "MaxAttempts": 1}],
            "Catch": [{"ErrorEquals": ["Declined"], "ResultPath": "$.error", "Next": "Refuse"}],
            "ResultPath": "$.charge",
            "Next": "Pack items",
        },
        "Refuse": {"Type": "Fail", "Error": "OrderRefused", "Cause": "the card was declined"},
        "Pack items": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "StartAt": "Pack",
                "States": {
                    "Pack": {
                        "Type": "Task",
                        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:pack",
                        "End": True,
                    }
                },
            },
            "Next": "Ship",
        },
        "Ship": {"Type": "Wait", "Seconds": 30, "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}


def pack(event: dict, context: object) -> dict:
    if event == 3:
        raise RuntimeError("item 3 is out of stock")
    return {"packed": event}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as started:
        yield started


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    opened = browser.page()
    yield opened
    opened.check()  # no JavaScript error, ever
    opened.send("Page.close")


def open_run(page: Page, run, path: Path) -> None:
    run.to_html(path)
    page.goto(path.resolve().as_uri(), ready=READY)


def states(page: Page) -> dict[str, str]:
    return page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('#graph g.state')]"
        ".map(n => [n.dataset.state, n.dataset.outcome]))"
    )


def text(page: Page, selector: str) -> str:
    return page.evaluate(f"document.querySelector({json.dumps(selector)}).innerText")


def test_a_failed_execution_its_graph_and_the_failed_state(page: Page, tmp_path: Path) -> None:
    busy = mocks.raises("Busy", "try again")
    run = StateMachine.from_dict(ORDER, name="Order").execute(
        {"items": [1, 2]}, mocks={"Charge": mocks.sequence(busy, mocks.raises("Declined", "insufficient funds"))}
    )
    assert run.status == "FAILED"
    open_run(page, run, tmp_path / "failed.html")
    assert states(page) == {
        "Validate": "succeeded",
        "Charge": "caught",  # retried once, then caught
        "Refuse": "failed",
        "Pack items": "not-run",
        "Pack": "not-run",
        "Ship": "not-run",
        "Done": "not-run",
    }
    # Readable without colour: each state says its outcome in words.
    assert (
        page.evaluate("document.querySelector('#graph g.state[data-state=\"Charge\"] text.outcome').textContent")
        == "⚠ caught"
    )
    assert page.evaluate("document.querySelector('#status [data-status]').dataset.status") == "FAILED"
    assert "OrderRefused" in text(page, "#status")
    page.click('#graph g.state[data-state="Charge"]')
    panel = text(page, "#state-panel")
    assert "Busy — try again" in panel and "retried after 2 s" in panel
    assert "Declined — insufficient funds" in panel and "caught by a Catcher" in panel
    assert page.evaluate("document.querySelector('#state-panel [data-field=\"caught-next\"]').innerText") == "Refuse"
    page.click('#graph g.state[data-state="Refuse"]')
    assert page.evaluate("document.querySelector('#state-panel .run').dataset.outcome") == "failed"
    # The taken path is drawn: Charge -> Refuse, not Charge -> Pack items.
    taken = page.evaluate(
        "[...document.querySelectorAll('#graph g.transition.taken')].map(g => g.dataset.from + '>' + g.dataset.to)"
    )
    assert "Charge>Refuse" in taken and "Charge>Pack items" not in taken
    page.screenshot(SHOTS / "failed-state.png")


def test_a_map_iteration_clicked_shows_its_own_runs(page: Page, tmp_path: Path) -> None:
    run = StateMachine.from_dict(ORDER, name="Order").execute(
        {"items": [1, 2, 3, 4]},
        mocks={
            "Charge": mocks.returns({"ok": True}),
            "Pack": mocks.sequence(
                mocks.returns({"packed": 1}),
                mocks.returns({"packed": 2}),
                mocks.raises("OutOfStock", "item 3"),
                mocks.returns({"packed": 4}),
            ),
        },
    )
    assert run.status == "FAILED"
    open_run(page, run, tmp_path / "map.html")
    assert states(page)["Pack"] == "failed"
    page.click('#graph g.state[data-state="Pack items"] > text.name')  # its title: its middle is its branch
    buttons = page.evaluate("[...document.querySelectorAll('#iterations button.iteration')].map(b => b.textContent)")
    assert len(buttons) == 4 and buttons[2] == "Iteration #2 ✗ failed"
    page.click("#iterations button.iteration[data-lane]:nth-of-type(1)")
    page.click("#iterations li:nth-child(2) button.iteration")
    # Iteration #1 focused: the nested graph shows its outcome, and Pack's panel its one run with its input.
    assert states(page)["Pack"] == "succeeded"
    page.click('#graph g.state[data-state="Pack"]')
    assert page.evaluate("document.querySelectorAll('#state-panel .run').length") == 1
    assert page.evaluate("document.querySelector('#state-panel [data-field=\"input\"]').innerText.trim()") == "2"
    assert (
        page.evaluate("document.querySelector('#state-panel [data-field=\"result\"]').innerText.trim()")
        == '{\n  "packed": 2\n}'
    )
    page.screenshot(SHOTS / "map-iteration.png")
    assert "Iteration #2 ✗ failed" in text(page, "#iterations")  # the Map's list stays while Pack is selected
    if os.environ.get("SFNLOCAL_UPDATE_DOCS_IMAGES"):  # docs/viewer.md's picture, made from this execution
        page.screenshot(Path(__file__).resolve().parent.parent / "docs" / "images" / "viewer.png")
    page.evaluate("window.sfnViewer.focusIteration('Pack items', 2)")
    page.click('#graph g.state[data-state="Pack"]')
    assert "OutOfStock — item 3" in text(page, "#state-panel")


def test_keyboard_selects_a_state_and_filters_the_events(page: Page, tmp_path: Path) -> None:
    run = StateMachine.from_dict(ORDER, name="Order").execute(
        {"items": [1]}, mocks={"Charge": mocks.returns({"ok": True}), "Pack": mocks.returns({"packed": 1})}
    )
    assert run.status == "SUCCEEDED"
    open_run(page, run, tmp_path / "ok.html")
    page.evaluate("document.querySelector('#graph g.state[data-state=\"Ship\"]').focus()")
    page.press("Enter", key_code=13)
    assert page.evaluate("document.querySelector('#graph g.state.selected').dataset.state") == "Ship"
    assert text(page, "#state-heading") == "State “Ship”"
    # The Wait's 30 s are on the timeline, on the execution's clock.
    assert "Ship ✓ succeeded: 0 ms → 30 s (waiting)" in page.evaluate(
        "[...document.querySelectorAll('#timeline .row')].map(r => r.getAttribute('aria-label')).join('|')"
    )
    page.evaluate(
        "const kind = document.getElementById('event-kind');"
        "kind.value = 'states'; kind.dispatchEvent(new Event('change'))"
    )
    types = page.evaluate(
        "[...document.querySelectorAll('#events tbody tr td:nth-child(4)')].map(td => td.textContent)"
    )
    assert types and all(t.endswith(("StateEntered", "StateExited")) for t in types)
    assert len(types) == 2 * 6  # six states entered and exited (Map and its one Pack included)


def test_a_large_execution_opens_fast_and_small(browser: Browser, tmp_path: Path) -> None:
    for name, run in large_executions().items():
        path = run.to_html(tmp_path / "large.html")
        assert path.stat().st_size < MAX_PAGE_BYTES, name
        assert page_ready_seconds(browser, path) < MAX_PAGE_SECONDS, name
        page = browser.page()
        page.goto(path.resolve().as_uri(), ready=READY, timeout=60)
        map_state = "Fan out" if "Fan out" in states(page) else "Each"
        page.click(f'#graph g.state[data-state="{map_state}"] > text.name')
        assert page.evaluate("document.querySelectorAll('#iterations button.iteration').length") <= 60  # paged
        page.click('#iterations [data-page="next"]')
        page.click("#iterations li:nth-child(3) button.iteration")
        assert "Showing" in text(page, "#iterations")
        page.screenshot(SHOTS / f"large-{map_state.replace(' ', '-')}.png", full_page=False)
        page.check()
        page.send("Page.close")


def test_a_branch_cancelled_by_its_sibling_shows_aborted_in_words(page: Page, tmp_path: Path) -> None:
    both = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "End": True,
                "Branches": [
                    {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 60, "End": True}}},
                    {"StartAt": "Broken", "States": {"Broken": {"Type": "Fail", "Error": "Broken"}}},
                ],
            }
        },
    }
    run = StateMachine.from_dict(both, name="Both").execute({})
    assert run.status == "FAILED"
    assert [event["type"] for event in run.history if event["type"].endswith("Aborted")] == ["WaitStateAborted"]
    open_run(page, run, tmp_path / "aborted.html")
    assert states(page) == {"Both": "failed", "Slow": "aborted", "Broken": "failed"}
    label = "document.querySelector('#graph g.state[data-state=\"Slow\"] text.outcome').textContent"
    assert page.evaluate(label) == "■ aborted"
