"""The two walks the flow checks make over a States object's transitions: what can be reached, and the loops.

Plain Python over a dict of successors, iterative so that a definition of any size walks without recursion. (A
graph library did this at the cost of ~80 ms of imports in every process that validates a definition, each
``sfnlocal`` command among them; these are the only two algorithms the checks need.)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)


def reachable(successors: Mapping[Node, Iterable[Node]], starts: Iterable[Node]) -> set[Node]:
    """The nodes reachable from ``starts`` by following ``successors``, the starts included.

    >>> sorted(reachable({"A": ["B"], "B": ["C"], "C": [], "D": ["A"]}, ["A"]))
    ['A', 'B', 'C']
    """
    seen = set(starts)
    pending = list(seen)
    while pending:
        for following in successors.get(pending.pop(), ()):
            if following not in seen:
                seen.add(following)
                pending.append(following)
    return seen


def predecessors(successors: Mapping[Node, Iterable[Node]]) -> dict[Node, list[Node]]:
    """The same edges turned round: each node's predecessors (a node without any is absent).

    >>> predecessors({"A": ["B", "C"], "B": ["C"]})
    {'B': ['A'], 'C': ['A', 'B']}
    """
    turned: dict[Node, list[Node]] = {}
    for node, following in successors.items():
        for target in following:
            turned.setdefault(target, []).append(node)
    return turned


def strongly_connected(successors: Mapping[Node, Iterable[Node]], nodes: Iterable[Node]) -> list[list[Node]]:
    """The strongly connected components of the graph ``successors`` draws among ``nodes`` (edges to nodes
    outside are left out): every node of ``nodes`` is in exactly one, a node on no loop alone in its own.

    Tarjan's algorithm with an explicit stack. Components come out each after the ones it leads to.

    >>> strongly_connected({"A": ["B"], "B": ["A", "C"], "C": ["C"], "D": ["A"]}, ["A", "B", "C", "D"])
    [['C'], ['B', 'A'], ['D']]
    """
    ordered = list(dict.fromkeys(nodes))  # (read once: ``nodes`` may be an iterator)
    within = set(ordered)
    index: dict[Node, int] = {}
    lowest: dict[Node, int] = {}
    on_stack: set[Node] = set()
    stack: list[Node] = []
    components: list[list[Node]] = []
    # Each frame: a node being visited and what is left of its successors to visit.
    frames: list[tuple[Node, Iterator[Node]]] = []

    def enter(node: Node) -> None:
        index[node] = lowest[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        frames.append((node, iter(successors.get(node, ()))))

    for root in ordered:
        if root in index:
            continue
        enter(root)
        while frames:
            node, following = frames[-1]
            for target in following:
                if target not in within:
                    continue
                if target not in index:
                    enter(target)
                    break
                if target in on_stack:
                    lowest[node] = min(lowest[node], index[target])
            else:  # every successor seen: the node is done
                frames.pop()
                if frames:
                    parent = frames[-1][0]
                    lowest[parent] = min(lowest[parent], lowest[node])
                if lowest[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components
