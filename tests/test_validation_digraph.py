"""The flow checks' graph walks (sfnlocal/validation/digraph.py) agree with networkx's on any directed graph, and
walk graphs far deeper than Python's recursion limit."""

from __future__ import annotations

import sys

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from sfnlocal.validation.digraph import predecessors, reachable, strongly_connected

NODES = st.lists(st.text("ABCDEFGH", min_size=1, max_size=2), min_size=1, max_size=12, unique=True)


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, list[str]]:
    """Successor lists over a few nodes, self-loops and duplicate edges included, some to nodes outside."""
    nodes = draw(NODES)
    targets = st.sampled_from([*nodes, "outside"])
    return {node: draw(st.lists(targets, max_size=4)) for node in nodes}


def as_networkx(successors: dict[str, list[str]]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(successors)
    graph.add_edges_from((node, target) for node, following in successors.items() for target in following)
    return graph


@settings(max_examples=200, deadline=None)
@given(graphs(), st.data())
def test_reachable_and_its_reverse_agree_with_networkx(successors: dict[str, list[str]], data: st.DataObject) -> None:
    graph = as_networkx(successors)
    starts = data.draw(st.lists(st.sampled_from(sorted(successors)), min_size=1, max_size=3))
    assert reachable(successors, starts) == set(starts).union(*(nx.descendants(graph, start) for start in starts))
    assert reachable(predecessors(successors), starts) == set(starts).union(
        *(nx.ancestors(graph, start) for start in starts)
    )


@settings(max_examples=200, deadline=None)
@given(graphs(), st.data())
def test_strongly_connected_components_agree_with_networkx(
    successors: dict[str, list[str]], data: st.DataObject
) -> None:
    within = data.draw(st.lists(st.sampled_from(sorted(successors)), unique=True))
    components = strongly_connected(successors, within)
    expected = nx.strongly_connected_components(as_networkx(successors).subgraph(within))
    assert sorted(sorted(component) for component in components) == sorted(sorted(component) for component in expected)
    # each component after every component it leads to (Tarjan's order)
    position = {node: place for place, component in enumerate(components) for node in component}
    for node in within:
        for target in successors[node]:
            if target in position:
                assert position[target] <= position[node]


def test_a_chain_deeper_than_the_recursion_limit_walks() -> None:
    length = 5 * sys.getrecursionlimit()
    chain = {index: [index + 1] for index in range(length)} | {length: [0]}  # one loop through every node
    assert len(reachable(chain, [0])) == length + 1
    assert [len(component) for component in strongly_connected(chain, range(length + 1))] == [length + 1]
    assert strongly_connected(chain, iter(range(length + 1))) == strongly_connected(chain, range(length + 1))
    chain[length] = []  # no loop: every node its own component
    assert len(strongly_connected(chain, range(length + 1))) == length + 1
