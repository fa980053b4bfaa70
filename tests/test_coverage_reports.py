"""The reports: numbers per category, the terminal and JSON reports, the HTML page and its graph's layout."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from itertools import combinations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from support import REPO

from sfnlocal import DefinitionError, StateMachine, mocks
from sfnlocal.testing.coverage.data import CoverageData
from sfnlocal.testing.coverage.htmlreport import html_report
from sfnlocal.testing.coverage.jsonreport import json_report
from sfnlocal.testing.coverage.summary import format_percent, summarize, total_percent
from sfnlocal.testing.coverage.terminal import term_lines
from sfnlocal.viewer.layout import BranchLayout, layout_branch

ORDER = StateMachine.from_file(REPO / "examples" / "order" / "order.asl.json")
POLLER = StateMachine.from_dict(
    {
        "StartAt": "Poll",
        "States": {
            "Poll": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:poll",
                "Next": "Done?",
                "Retry": [{"ErrorEquals": ["Busy"]}],
            },
            "Done?": {
                "Type": "Choice",
                "Default": "Wait",
                "Choices": [
                    {"Variable": "$.done", "BooleanEquals": True, "Next": "Each"},
                    {"Variable": "$.skip", "IsPresent": True, "Next": "Finish"},
                ],
            },
            "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Poll"},
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "Next": "Finish",
                "ItemProcessor": {
                    "StartAt": "Work",
                    "States": {
                        "Work": {"Type": "Pass", "Next": "Check"},
                        "Check": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$.ok", "IsPresent": True, "Next": "Good"}],
                            "Default": "Bad",
                        },
                        "Good": {"Type": "Succeed"},
                        "Bad": {"Type": "Fail", "Error": "Bad"},
                    },
                },
            },
            "Finish": {"Type": "Succeed"},
        },
    },
    name="Poller",
)


def happy_order() -> CoverageData:
    data = CoverageData()
    data.add(
        ORDER.execute(
            {"order": {"id": "o-1", "total": 3}},
            mocks={"Charge card": mocks.returns({"chargeId": "c"}), "Reserve stock": {}, "Notify customer": {}},
        )
    )
    return data


def polled() -> CoverageData:
    data = CoverageData()
    data.add(
        POLLER.execute(
            {},
            mocks={
                "Poll": mocks.sequence(
                    mocks.returns({"done": False}), mocks.returns({"done": True, "items": [{"ok": 1}]})
                )
            },
        )
    )
    return data


def test_summary_counts_per_category_and_in_total() -> None:
    [summary] = summarize(happy_order())
    assert [(c.title, c.covered, c.total) for c in summary.categories] == [
        ("states", 7, 9),
        ("transitions", 7, 9),
        ("Choice rules", 1, 2),
        ("retriers", 0, 1),
        ("catchers", 0, 1),
        ("Parallel branches", 2, 2),
    ]
    assert (summary.covered, summary.total, format_percent(summary.percent)) == (17, 24, "70.8%")
    assert total_percent([]) == 100.0


def test_the_terminal_report_lists_what_was_not_covered_under_its_category() -> None:
    lines = term_lines(summarize(happy_order()))
    assert lines[0].startswith("order [") and lines[0].endswith("70.8%  (17/24)")
    assert lines[1:3] == [
        "  states              7/9   missing: Reject order",
        "                                     Payment failed",
    ]
    assert "  Parallel branches   2/2" in lines
    assert "  catchers            0/1   missing: Charge card: Catch #0 (States.ALL) → Payment failed" in lines
    assert lines[-1] == "TOTAL  70.8%  (17/24 in 1 state machine)"


def test_the_json_report_has_every_item_with_its_hits() -> None:
    report = json.loads(json.dumps(json_report(summarize(happy_order()))))
    assert report["totals"] == {"covered": 17, "total": 24, "percent": pytest.approx(17 / 24 * 100)}
    [machine] = report["machines"]
    assert (machine["name"], machine["covered"], machine["total"]) == ("order", 17, 24)
    choices = machine["categories"]["choices"]
    assert choices["missing"] == ["Validate order: Default → Reject order"]
    assert [(i["state"], i["detail"], i["hits"]) for i in choices["items"]] == [
        ("Validate order", 0, 1),
        ("Validate order", "Default", 0),
    ]
    assert "processors" not in machine["categories"]


class Elements(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def with_class(self, first: str) -> list[dict[str, str]]:
        return [attrs for _, attrs in self.tags if attrs.get("class", "").split()[:1] == [first]]


def test_the_html_page_marks_uncovered_states_transitions_and_branches() -> None:
    data = happy_order()
    data.merge(polled())
    page = Elements(html_report(summarize(data)))
    states = {a["data-state"]: a["class"] for a in page.with_class("state")}
    assert states["Reject order"] == states["Payment failed"] == states["Bad"] == "state uncovered"
    assert states["Charge card"] == states["Book courier"] == states["Work"] == "state covered"
    transitions = {(a["data-from"], a["data-to"]): a["class"] for a in page.with_class("transition")}
    assert transitions[("Charge card", "Payment failed")] == "transition uncovered"
    assert transitions[("Wait", "Poll")] == "transition covered"  # the loop back
    assert transitions[("Notify customer", "")] == "transition covered"  # to the end
    assert transitions[("", "Validate order")] == "transition start"
    assert [a["class"] for a in page.with_class("branch")] == ["branch covered"] * 3
    sections = [a for tag, a in page.tags if tag == "section"]
    assert [(s["data-name"], s["data-percent"]) for s in sections] == [("Poller", "77.78"), ("order", "70.83")]


@st.composite
def definitions(draw: st.DrawFn) -> dict[str, object]:
    """Small machines of Pass, Choice and Succeed states with transitions anywhere, loops included."""
    names = [f"S{i}" for i in range(draw(st.integers(1, 9)))]
    target = st.sampled_from(names)
    states: dict[str, object] = {}
    for name in names:
        kind = draw(st.sampled_from(["Pass", "Choice", "Succeed"]))
        if kind == "Choice":
            rules = draw(st.lists(target, min_size=1, max_size=4))
            states[name] = {
                "Type": "Choice",
                "Default": draw(target),
                "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": rule} for rule in rules],
            }
        elif kind == "Pass":
            states[name] = (
                {"Type": "Pass", "Next": draw(target)} if draw(st.booleans()) else {"Type": "Pass", "End": True}
            )
        else:
            states[name] = {"Type": "Succeed"}
    return {"StartAt": "S0", "States": states}


def boxes(layout: BranchLayout) -> list[tuple[float, float, float, float]]:
    return [(node.x, node.y, node.x + node.width, node.y + node.height) for node in layout.nodes]


def check_layout(layout: BranchLayout) -> None:
    for left, top, right, bottom in boxes(layout):
        assert 0 <= left < right <= layout.width and 0 <= top < bottom <= layout.height
    for (l1, t1, r1, b1), (l2, t2, r2, b2) in combinations(boxes(layout), 2):
        assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, "two nodes overlap"
    nodes = {node.key: node for node in layout.nodes}
    for route in layout.routes:
        source = nodes[route.source]
        (x, y) = route.points[0]
        if route.loop:  # leaves a side, goes up the right-hand side beyond every node
            assert x == source.x + source.width
            assert route.points[1][0] > max(right for _, _, right, _ in boxes(layout))
        else:  # leaves the bottom, enters the top of a node further down
            assert source.x <= x <= source.x + source.width and y == source.y + source.height
            assert route.points[-1][1] > y
    for node in layout.nodes:
        for placed in node.inner:
            assert node.x + placed.x + placed.layout.width <= node.x + node.width
            assert node.y + placed.y + placed.layout.height <= node.y + node.height
            check_layout(placed.layout)


@settings(max_examples=150, deadline=None)
@given(definitions())
def test_layouts_keep_nodes_apart_and_edges_attached(definition: dict[str, object]) -> None:
    try:
        sm = StateMachine.from_dict(definition)
    except DefinitionError:
        assume(False)
        raise
    check_layout(layout_branch(sm.model.graph.root))


def test_nested_layouts_of_the_example_machines_hold() -> None:
    for sm in (ORDER, POLLER):
        check_layout(layout_branch(sm.model.graph.root))
