"""Lays a state machine's graph out for drawing: layers top to bottom, Parallel and Map states as boxes
holding their branches.

A small layered layout in the manner of Sugiyama's: loops (back edges found by a depth-first walk)
are set aside; every state gets the layer of its longest path from the start; an edge that skips
layers gets a waypoint in each layer it crosses; barycentre sweeps order each layer to cut crossings;
then each state is put above or below its neighbours where the layer has room. Loops go up the
right-hand side. Coordinates are pixels, relative to the branch's own top-left corner.

One layout serves both drawings of a state machine: the execution page (:mod:`sfnlocal.viewer`) and the
workflow coverage report (:mod:`sfnlocal.testing.coverage.svg`).

>>> from sfnlocal.language.state_graph import StateGraph
>>> layout = layout_branch(StateGraph({"StartAt": "A", "States": {
...     "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "B"}], "Default": "A"},
...     "B": {"Type": "Succeed"}}}).root)
>>> [(node.key, node.kind) for node in layout.nodes]
[('\\x00start', 'start'), ('A', 'state'), ('B', 'state'), ('\\x00end', 'end')]
>>> [(route.source, route.target, route.loop) for route in layout.routes]
[('\\x00start', 'A', False), ('A', 'B', False), ('A', 'A', True), ('B', None, False)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sfnlocal.language.state_graph import BranchNode, StateNode

# State names cannot hold control characters, so these keys never clash with one.
START = "\x00start"
END = "\x00end"

NODE_HEIGHT = 40
MIN_WIDTH = 96
CHAR_WIDTH = 7.4  # of the 13 px sans-serif labels
PADDING = 14  # inside a Parallel or Map box
HEADER = 52  # a box's title and its branches' captions
LAYER_GAP = 44
NODE_GAP = 28
LANE_GAP = 16
MARGIN = 12
TERMINAL = 14  # the start and end markers' diameter
WAYPOINT = 8

Point = tuple[float, float]


@dataclass
class Node:
    """A state (``kind`` "state"), a start or end marker, or an edge's waypoint through a layer."""

    key: str
    kind: str
    width: float
    height: float
    state: StateNode | None = None
    x: float = 0.0
    y: float = 0.0
    inner: list[Placed] = field(default_factory=list)  # a Parallel's branches, a Map's processor

    @property
    def center(self) -> float:
        """The x of its middle."""
        return self.x + self.width / 2


@dataclass
class Placed:
    """A nested branch's layout and where it sits inside its Parallel or Map box."""

    layout: BranchLayout
    x: float
    y: float


@dataclass
class Route:
    """An edge: from a state (or the start marker) to a state, or to the end (``target`` None)."""

    source: str
    target: str | None
    points: list[Point]
    loop: bool


@dataclass
class BranchLayout:
    """A branch laid out: its size, its nodes (waypoints left out) and the routes between them."""

    branch: BranchNode
    width: float
    height: float
    nodes: list[Node]
    routes: list[Route]


def layout_branch(branch: BranchNode) -> BranchLayout:
    """Lay out a branch of a state graph (the machine's top level, a Parallel branch, a Map processor),
    nested ones inside."""
    return _Layered(branch).layout()


def _state_node(state: StateNode) -> Node:
    label_width = max(MIN_WIDTH, CHAR_WIDTH * len(state.name) + 28)
    branches = [layout_branch(nested) for nested in state.branches]
    if not branches:
        return Node(state.name, "state", label_width, NODE_HEIGHT, state)
    inner_width = sum(b.width for b in branches) + NODE_GAP * (len(branches) - 1)
    width = max(label_width, inner_width + 2 * PADDING)
    x = (width - inner_width) / 2
    inner = []
    for nested in branches:
        inner.append(Placed(nested, x, HEADER))
        x += nested.width + NODE_GAP
    height = HEADER + max(b.height for b in branches) + PADDING
    return Node(state.name, "state", width, height, state, inner=inner)


class _Layered:
    """One branch's layout, step by step."""

    def __init__(self, branch: BranchNode) -> None:
        self.branch = branch
        self.nodes: dict[str, Node] = {START: Node(START, "start", TERMINAL, TERMINAL)}
        self.nodes.update((name, _state_node(state)) for name, state in branch.states.items())
        self.edges: list[tuple[str, str]] = [(START, branch.start_at)]
        for name, state in branch.states.items():
            targets = dict.fromkeys(transition.target for transition in state.transitions)
            self.edges.extend((name, END if target is None else target) for target in targets)
        if any(target == END for _, target in self.edges):
            self.nodes[END] = Node(END, "end", TERMINAL, TERMINAL)
        self.successors: dict[str, list[str]] = {key: [] for key in self.nodes}
        for source, target in self.edges:
            self.successors[source].append(target)

    def layout(self) -> BranchLayout:
        order, finished, loops = self._walk()
        forward = [edge for edge in self.edges if edge not in loops]
        rank = self._ranks(finished, loops)
        chains = self._chains(forward, rank)
        layers = self._layers(order, rank)
        above: dict[str, list[str]] = {}
        below: dict[str, list[str]] = {}
        for chain in chains:
            for upper, lower in zip(chain, chain[1:]):
                below.setdefault(upper, []).append(lower)
                above.setdefault(lower, []).append(upper)
        self._order(layers, above, below)
        heights = self._place(layers, above, below)
        routes = self._routes(chains)
        right = max(node.x + node.width for node in self.nodes.values())
        routes.extend(
            self._loop(source, target, right + LANE_GAP * (lane + 1))
            for lane, (source, target) in enumerate(e for e in self.edges if e in loops)
        )
        width = right + LANE_GAP * len(loops) + MARGIN
        height = MARGIN + sum(heights) + LAYER_GAP * (len(heights) - 1) + MARGIN
        nodes = [node for node in self.nodes.values() if node.kind != "waypoint"]
        position = {edge: index for index, edge in enumerate(self.edges)}
        routes.sort(key=lambda route: position[route.source, route.target or END])
        return BranchLayout(self.branch, width, height, nodes, routes)

    def _walk(self) -> tuple[dict[str, int], list[str], set[tuple[str, str]]]:
        """A depth-first walk from the start: the order nodes were reached in, the order they were
        finished in, and the loops' edges (those leading back to a node on the walk's current path)."""
        order: dict[str, int] = {}
        finished: dict[str, None] = {}  # in the order they were finished
        loops: set[tuple[str, str]] = set()
        for root in self.nodes:
            if root in order:
                continue
            order[root] = len(order)
            stack = [(root, iter(self.successors[root]))]
            while stack:
                node, children = stack[-1]
                for child in children:
                    if child not in order:
                        order[child] = len(order)
                        stack.append((child, iter(self.successors[child])))
                        break
                    if child not in finished:
                        loops.add((node, child))
                else:
                    finished[node] = None
                    stack.pop()
        return order, list(finished), loops

    def _ranks(self, finished: list[str], loops: set[tuple[str, str]]) -> dict[str, int]:
        """Each node's layer: the length of its longest path from a node nothing leads to; the end last."""
        rank = dict.fromkeys(self.nodes, 0)
        for node in reversed(finished):  # every edge but a loop goes from earlier to later in this order
            for child in self.successors[node]:
                if (node, child) not in loops:
                    rank[child] = max(rank[child], rank[node] + 1)
        if END in rank:
            rank[END] = max(value for key, value in rank.items() if key != END) + 1
        return rank

    def _chains(self, forward: list[tuple[str, str]], rank: dict[str, int]) -> list[list[str]]:
        """Each forward edge as the nodes it passes: its source, a waypoint per layer it skips, its target."""
        chains = []
        for source, target in forward:
            chain = [source]
            for layer in range(rank[source] + 1, rank[target]):
                key = f"\x00waypoint {len(self.nodes)}"
                self.nodes[key] = Node(key, "waypoint", WAYPOINT, 0)
                rank[key] = layer
                chain.append(key)
            chains.append([*chain, target])
        return chains

    def _layers(self, order: dict[str, int], rank: dict[str, int]) -> list[list[Node]]:
        layers: list[list[Node]] = [[] for _ in range(max(rank.values()) + 1)]
        # Waypoints come after the nodes the walk reached, in the order they were made.
        for key in sorted(self.nodes, key=lambda key: order.get(key, len(order))):
            layers[rank[key]].append(self.nodes[key])
        return layers

    @staticmethod
    def _order(layers: list[list[Node]], above: dict[str, list[str]], below: dict[str, list[str]]) -> None:
        """Barycentre sweeps, down then up: each node moves towards the mean position of its neighbours in
        the layer above (below)."""
        for _ in range(4):
            for neighbours, sweep in ((above, range(1, len(layers))), (below, range(len(layers) - 2, -1, -1))):
                for index in sweep:
                    other = layers[index - 1] if neighbours is above else layers[index + 1]
                    position = {node.key: i for i, node in enumerate(other)}
                    layers[index] = _sorted_by_barycentre(layers[index], neighbours, position)

    def _place(self, layers: list[list[Node]], above: dict[str, list[str]], below: dict[str, list[str]]) -> list[float]:
        """Coordinates: layers top to bottom; in a layer, each node near the mean x of its neighbours above
        and below (in sweeps down, up, down again), keeping the layer's order and gaps. Returns the layers'
        heights."""
        heights = [max(node.height for node in layer) for layer in layers]
        y: float = MARGIN
        for layer, height in zip(layers, heights):
            for node in layer:
                if node.kind == "waypoint":
                    node.height = height
                node.y = y + (height - node.height) / 2
            y += height + LAYER_GAP
        widest = max(_row_width(layer) for layer in layers)
        for layer in layers:
            _place_row(layer, [widest / 2] * len(layer))
        for sweep in (layers[1:], layers[-2::-1], layers[1:]):
            for layer in sweep:
                wanted = [
                    _mean(
                        [self.nodes[key].center for key in above.get(node.key, []) + below.get(node.key, [])],
                        node.center,
                    )
                    for node in layer
                ]
                _place_row(layer, wanted)
        shift = MARGIN - min(node.x for node in self.nodes.values())
        for node in self.nodes.values():
            node.x += shift
        return heights

    def _routes(self, chains: list[list[str]]) -> list[Route]:
        """The forward edges' routes: each leaves its source's bottom and enters its target's top, the
        edges of one side spread along it in the order of the x of their other ends."""
        leaving: dict[str, list[str]] = {}
        entering: dict[str, list[str]] = {}
        for chain in chains:
            leaving.setdefault(chain[0], []).append(chain[1])
            entering.setdefault(chain[-1], []).append(chain[-2])
        routes = []
        for chain in chains:
            nodes = [self.nodes[key] for key in chain]
            source, target = nodes[0], nodes[-1]
            points: list[Point] = [(self._port(source, chain[1], leaving[chain[0]]), source.y + source.height)]
            for waypoint in nodes[1:-1]:
                points.extend(((waypoint.center, waypoint.y), (waypoint.center, waypoint.y + waypoint.height)))
            points.append((self._port(target, chain[-2], entering[chain[-1]]), target.y))
            routes.append(Route(chain[0], None if chain[-1] == END else chain[-1], points, loop=False))
        return routes

    def _port(self, node: Node, neighbour: str, neighbours: list[str]) -> float:
        """Where on a side of ``node`` the edge to or from ``neighbour`` attaches."""
        if node.kind != "state":
            return node.center
        ordered = sorted(neighbours, key=lambda key: self.nodes[key].center)
        return node.x + node.width * (ordered.index(neighbour) + 1) / (len(ordered) + 1)

    def _loop(self, source: str, target: str, lane: float) -> Route:
        start, end = self.nodes[source], self.nodes[target]
        out_y = start.y + start.height * 0.35
        in_y = end.y + end.height * 0.65
        points = [(start.x + start.width, out_y), (lane, out_y), (lane, in_y), (end.x + end.width, in_y)]
        return Route(source, target, points, loop=True)


def _sorted_by_barycentre(layer: list[Node], neighbours: dict[str, list[str]], position: dict[str, int]) -> list[Node]:
    def key(item: tuple[int, Node]) -> float:
        index, node = item
        others = [position[key] for key in neighbours.get(node.key, ()) if key in position]
        return sum(others) / len(others) if others else float(index)

    return [node for _, node in sorted(enumerate(layer), key=key)]


def _row_width(layer: list[Node]) -> float:
    return sum(node.width for node in layer) + NODE_GAP * (len(layer) - 1)


def _place_row(layer: list[Node], centers: list[float]) -> None:
    """Put a layer's nodes as near their wanted centres as the order and gaps allow, balanced so that
    as many sit left of their wish as right of it."""
    right = float("-inf")
    for node, center in zip(layer, centers):
        node.x = max(center - node.width / 2, right + NODE_GAP)
        right = node.x + node.width
    drift = sum(node.center - center for node, center in zip(layer, centers)) / len(layer)
    for node in layer:
        node.x -= drift


def _mean(values: list[float], default: float) -> float:
    return sum(values) / len(values) if values else default
