"""Draws a state machine's coverage as inline SVG, laid out by :mod:`sfnlocal.viewer.layout`.

Every state is a ``<g class="state covered">`` (or ``uncovered``) with ``data-state`` and
``data-type``; every transition a ``<g class="transition covered">`` (or ``uncovered``) with
``data-from`` and ``data-to`` (empty for the end); a Parallel branch or Map processor inside its box
a ``<g class="branch ...">``. Hovering a state shows its items and how often each was covered.

>>> from sfnlocal.testing.coverage.model import Item, MachineModel
>>> from sfnlocal.interpreter.model import Definition
>>> model = MachineModel("M", Definition({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}))
>>> svg = render_graph(model, {Item("states", "/States/A"): 1})
>>> '<g class="state covered" data-state="A" data-type="Pass"' in svg
True
>>> '<g class="transition uncovered" data-from="A" data-to=""' in svg
True
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from sfnlocal.testing.coverage.model import Item, MachineModel, transition_reasons
from sfnlocal.viewer.layout import START, BranchLayout, Node, Point, Route, layout_branch

_ARROW = 5  # half the width of an arrowhead


def render_graph(model: MachineModel, hits: Mapping[Item, int]) -> str:
    """The whole machine as one ``<svg>`` element."""
    layout = layout_branch(model.definition.graph.root)
    width, height = round(layout.width), round(layout.height)
    return (
        f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(model.name)}">'
        f"{_Drawing(model, hits).branch(layout)}</svg>"
    )


class _Drawing:
    """One machine's drawing: SVG text for its branches, states and transitions, coloured by coverage."""

    def __init__(self, model: MachineModel, hits: Mapping[Item, int]) -> None:
        self.model = model
        self.hits = hits

    def _coverage(self, item: Item) -> str:
        return "covered" if self.hits.get(item, 0) else "uncovered"

    def branch(self, layout: BranchLayout) -> str:
        routes = "".join(self._route(layout, route) for route in layout.routes)
        return routes + "".join(self._node(node) for node in layout.nodes)

    def _node(self, node: Node) -> str:
        cx, cy = node.center, node.y + node.height / 2
        if node.kind != "state":
            return f'<circle class="terminal {node.kind}" cx="{cx:.1f}" cy="{cy:.1f}" r="{node.width / 2:.1f}"/>'
        state = node.state
        assert state is not None
        entered = self.hits.get(Item("states", state.location), 0)
        middle = node.width / 2
        parts = [
            f'<g class="state {self._coverage(Item("states", state.location))}" data-state="{escape(state.name)}" '
            f'data-type="{state.type}" transform="translate({node.x:.1f},{node.y:.1f})">',
            f"<title>{escape(self._tooltip(state.location))}</title>",
            f'<rect width="{node.width:.1f}" height="{node.height:.1f}" rx="6"/>',
            f'<text class="name" x="{middle:.1f}" y="17">{escape(state.name)}</text>',
            f'<text class="type" x="{middle:.1f}" y="32">{state.type} · {entered}×</text>',
        ]
        for index, placed in enumerate(node.inner):
            category = "branches" if state.type == "Parallel" else "processors"
            item = Item(category, state.location, index if category == "branches" else None)
            caption = f"Branch #{index}" if category == "branches" else "ItemProcessor"
            parts.append(
                f'<g class="branch {self._coverage(item)}" data-branch="{index}" '
                f'transform="translate({placed.x:.1f},{placed.y:.1f})">'
                f'<rect class="lane" width="{placed.layout.width:.1f}" height="{placed.layout.height:.1f}" '
                f'rx="4"/><text class="caption" x="2" y="-5">{caption}</text>'
                f"{self.branch(placed.layout)}</g>"
            )
        parts.append("</g>")
        return "".join(parts)

    def _tooltip(self, location: str) -> str:
        model = self.model
        lines = []
        for item in model.items_of(location):
            count = self.hits.get(item, 0)
            what = "entered" if item.category == "states" else model.label(item)
            lines.append(f"{what}: {count}×" if count else f"{what}: not covered")
        return f"{model.states[location].name} ({model.states[location].type})\n" + "\n".join(lines)

    def _route(self, layout: BranchLayout, route: Route) -> str:
        target = route.target or ""
        if route.source == START:
            classes, label = "transition start", ""
        else:
            state = layout.branch.states[route.source]
            item = Item("transitions", state.location, route.target)
            classes = f"transition {self._coverage(item)}"
            label = ", ".join(r for r in transition_reasons(state)[route.target] if r not in ("Next", "End"))
        points = route.points
        text = ""
        if label:
            (x, y), (next_x, next_y) = points[0], points[1]
            if route.loop:
                x, y = x + 4, y - 4
            else:  # halfway along the first stretch, where the edges leaving a state have parted
                x, y = (x + next_x) / 2 + 4, (y + next_y) / 2 + 4
            text = f'<text class="label" x="{x:.1f}" y="{y:.1f}">{escape(label)}</text>'
        source = "" if route.source == START else escape(route.source)
        return (
            f'<g class="{classes}" data-from="{source}" data-to="{escape(target)}">'
            f'<path d="{_path(points, route.loop)}"/>{_arrowhead(points[-1], route.loop)}{text}</g>'
        )


def _path(points: list[Point], loop: bool) -> str:
    """Straight segments for a loop; otherwise curves that leave and arrive vertically."""
    (x, y), rest = points[0], points[1:]
    parts = [f"M{x:.1f},{y:.1f}"]
    for (ax, ay), (bx, by) in zip(points, rest):
        if loop or ax == bx:
            parts.append(f"L{bx:.1f},{by:.1f}")
        else:
            middle = (ay + by) / 2
            parts.append(f"C{ax:.1f},{middle:.1f} {bx:.1f},{middle:.1f} {bx:.1f},{by:.1f}")
    return " ".join(parts)


def _arrowhead(tip: Point, loop: bool) -> str:
    """A filled triangle pointing down onto a node's top, or left onto its side for a loop."""
    x, y = tip
    if loop:
        corners = f"{x:.1f},{y:.1f} {x + 2 * _ARROW:.1f},{y - _ARROW:.1f} {x + 2 * _ARROW:.1f},{y + _ARROW:.1f}"
    else:
        corners = f"{x:.1f},{y:.1f} {x - _ARROW:.1f},{y - 2 * _ARROW:.1f} {x + _ARROW:.1f},{y - 2 * _ARROW:.1f}"
    return f'<polygon class="arrow" points="{corners}"/>'
