"""The state graph of a definition as Mermaid or Graphviz dot text, with what an execution ran marked.

Nodes are the states (plus Start and End at the top level); edges are ``Next``, a Choice's rules and
``Default``, and ``Catch``. Each Parallel branch and each Map's item processor is a subgraph, joined to
its Parallel or Map state by a dotted edge to the branch's ``StartAt``.

>>> definition = {"StartAt": "Check", "States": {
...     "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Done"}],
...               "Default": "Oops"},
...     "Done": {"Type": "Succeed"}, "Oops": {"Type": "Fail"}}}
>>> print(to_mermaid(build_graph(definition)))
flowchart TD
    sfn_start(("Start"))
    sfn_end(("End"))
    s0{"Check"}
    s1(["Done"])
    s2(["Oops"])
    sfn_start --> s0
    s0 -->|"Rule #35;1"| s1
    s0 -->|"Default"| s2
    s1 --> sfn_end
    s2 --> sfn_end

What ran comes from an execution's history (``run.history``, the ``history`` that ``sfnlocal run --json``
prints, or the ``events`` of ``aws stepfunctions get-execution-history``): :func:`trace_from_history`.
A transition is known by its two states, so when several Choice rules lead to the same state, all of
them are marked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sfnlocal.interpreter.model import Definition
from sfnlocal.language import state_graph
from sfnlocal.language.state_graph import BranchNode, StateNode, Transition

START = "sfn_start"
END = "sfn_end"

# Edge kinds, drawn differently: a transition (Next, Choice rule, Default), a Catch, the start of a Parallel
# branch or Map processor, and the top level's Start and End.
NEXT, CATCH, BRANCH, BOUNDARY = "next", "catch", "branch", "boundary"

# A state left right after one of these events was left through a Catch.
_FAILURE_SUFFIXES = ("Failed", "TimedOut")


@dataclass(frozen=True)
class Node:
    """One state (or the Start/End terminal, whose ``type`` is empty), in ``cluster`` (None: top level)."""

    id: str
    name: str
    type: str
    cluster: str | None


@dataclass(frozen=True)
class Edge:
    """``source -> target`` (node ids) of a ``kind`` (NEXT, CATCH, BRANCH or BOUNDARY), with an optional label.

    ``source_name``/``target_name`` are the states' names (empty for Start/End), used to mark a trace.
    """

    source: str
    target: str
    kind: str
    label: str = ""
    source_name: str = ""
    target_name: str = ""


@dataclass(frozen=True)
class Cluster:
    """A Parallel branch or a Map's item processor, inside ``parent`` (None: top level)."""

    id: str
    label: str
    parent: str | None


@dataclass
class Graph:
    """Nodes, edges and clusters in definition order."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)


@dataclass(frozen=True)
class Trace:
    """What one execution did: the states it entered and left, and its transitions as
    ``(from state, to state, caught)``, where ``caught`` says a Catch took it."""

    entered: frozenset[str] = frozenset()
    exited: frozenset[str] = frozenset()
    transitions: frozenset[tuple[str, str, bool]] = frozenset()


def build_graph(definition: Definition | Mapping[str, Any]) -> Graph:
    """The graph of a compiled definition (a ``StateMachine``'s ``model``), or of a definition that loads
    (compiled here), drawn from its :class:`~sfnlocal.language.state_graph.StateGraph`.

    >>> graph = build_graph({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
    ...     {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}]}}})
    >>> [(c.id, c.label) for c in graph.clusters], [n.cluster for n in graph.nodes]
    ([('c0', 'P: branch 1')], [None, None, None, 'c0'])
    """
    model = definition if isinstance(definition, Definition) else Definition(dict(definition))
    graph = Graph()
    graph.nodes += [Node(START, "Start", "", None), Node(END, "End", "", None)]
    # Nodes are numbered s0, s1, ... branch by branch; each nested branch is a cluster inside its owner's.
    ids: dict[str, str] = {}  # by state location
    clusters: dict[str, str | None] = {}  # by branch location
    for branch in model.graph.branches:
        cluster = None
        if branch.owner is not None:
            cluster = f"c{len(graph.clusters)}"
            graph.clusters.append(Cluster(cluster, _cluster_label(branch), clusters[branch.owner.branch.location]))
        clusters[branch.location] = cluster
        for state in branch.states.values():
            ids[state.location] = f"s{len(ids)}"
            graph.nodes.append(Node(ids[state.location], state.name, state.type, cluster))
    root = model.graph.root
    _add_edges(graph, model, root, ids)
    graph.edges.insert(0, Edge(START, ids[root.states[root.start_at].location], BOUNDARY, target_name=root.start_at))
    for state in root.states.values():
        if state.terminal:
            graph.edges.append(Edge(ids[state.location], END, BOUNDARY, source_name=state.name))
    return graph


def _cluster_label(branch: BranchNode) -> str:
    assert branch.owner is not None
    if branch.index is None:
        return f"{branch.owner.name}: item processor"
    return f"{branch.owner.name}: branch {branch.index + 1}"


def _add_edges(graph: Graph, model: Definition, branch: BranchNode, ids: Mapping[str, str]) -> None:
    """Add the edges of a branch's states, each state's followed by those of the branches nested in it and
    the dotted edges into them."""
    for state in branch.states.values():
        source = ids[state.location]
        for transition in state.transitions:
            if transition.target is None:
                continue  # the end of a branch: only the top level's is drawn, as an edge to End
            kind, label = _kind_and_label(model, state, transition)
            target = ids[branch.states[transition.target].location]
            graph.edges.append(Edge(source, target, kind, label, state.name, transition.target))
        for inner in state.branches:
            _add_edges(graph, model, inner, ids)
            start = inner.states[inner.start_at].location
            graph.edges.append(Edge(source, ids[start], BRANCH, "", state.name, inner.start_at))


def _kind_and_label(model: Definition, state: StateNode, transition: Transition) -> tuple[str, str]:
    """How an edge is drawn: a Choice rule (numbered from 1) or Default is a labelled transition, a Catcher
    a CATCH edge labelled with its ErrorEquals."""
    index = transition.position or 0
    if transition.kind == state_graph.RULE:
        return NEXT, f"Rule #{index + 1}"
    if transition.kind == state_graph.DEFAULT:
        return NEXT, "Default"
    if transition.kind == state_graph.CATCH:
        return CATCH, "Catch: " + ", ".join(model.states[state.location].catchers[index].error_equals)
    return NEXT, ""


def trace_from_history(history: Iterable[Mapping[str, Any]]) -> Trace:
    """What an execution did, read from its history events.

    A state entered right after another was left is a transition; it was a Catch when the state was
    left right after a failure. A state entered right after a branch or iteration started is a start.

    >>> from sfnlocal import StateMachine, mocks
    >>> sm = StateMachine.from_dict({"StartAt": "Try", "States": {
    ...     "Try": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
    ...             "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}], "End": True},
    ...     "Recover": {"Type": "Pass", "End": True}}})
    >>> trace = trace_from_history(sm.execute({}, mocks={"Try": mocks.raises("Boom")}).history)
    >>> sorted(trace.entered), sorted(trace.transitions)
    (['Recover', 'Try'], [('Try', 'Recover', True)])
    """
    events = {event["id"]: event for event in history}
    entered: set[str] = set()
    exited: set[str] = set()
    transitions: set[tuple[str, str, bool]] = set()
    for event in events.values():
        kind = event["type"]
        if kind.endswith("StateEntered"):
            name = event["stateEnteredEventDetails"]["name"]
            entered.add(name)
            before = events.get(event.get("previousEventId"))
            if before is not None and before["type"].endswith("StateExited"):
                failure = events.get(before.get("previousEventId"))
                caught = failure is not None and failure["type"].endswith(_FAILURE_SUFFIXES)
                transitions.add((before["stateExitedEventDetails"]["name"], name, caught))
        elif kind.endswith("StateExited"):
            exited.add(event["stateExitedEventDetails"]["name"])
    return Trace(frozenset(entered), frozenset(exited), frozenset(transitions))


# Rendering ------------------------------------------------------------------------------------------

_MERMAID_SHAPES = {
    "": '(("{}"))',
    "Choice": '{{"{}"}}',
    "Succeed": '(["{}"])',
    "Fail": '(["{}"])',
    "Parallel": '[["{}"]]',
    "Map": '[["{}"]]',
}
_MERMAID_ARROWS = {NEXT: "-->", BOUNDARY: "-->", CATCH: "-.->", BRANCH: "-.->"}
_RAN_FILL, _RAN_STROKE = "#d3f9d8", "#2b8a3e"


def to_mermaid(graph: Graph, trace: Trace | None = None) -> str:
    """A Mermaid ``flowchart``; with a ``trace``, the states that ran get class ``ran`` and the edges
    taken a thick green line.

    >>> graph = build_graph({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
    >>> print(to_mermaid(graph, Trace(entered=frozenset({"A"}), exited=frozenset({"A"}))))
    flowchart TD
        sfn_start(("Start"))
        sfn_end(("End"))
        s0["A"]
        sfn_start --> s0
        s0 --> sfn_end
        classDef ran fill:#d3f9d8,stroke:#2b8a3e,stroke-width:2px
        class s0 ran
        linkStyle 0,1 stroke:#2b8a3e,stroke-width:3px
    """
    lines = ["flowchart TD"]
    lines += _nested(
        graph,
        _mermaid_node,
        lambda cluster, inner: [f'subgraph {cluster.id}["{_mermaid_text(cluster.label)}"]', *_indent(inner), "end"],
    )
    for edge in graph.edges:
        label = f'|"{_mermaid_text(edge.label)}"|' if edge.label else ""
        lines.append(f"{edge.source} {_MERMAID_ARROWS[edge.kind]}{label} {edge.target}")
    if trace is not None:
        ran_nodes = [node.id for node in graph.nodes if node.type and node.name in trace.entered]
        ran_edges = _ran_edges(graph, trace)
        if ran_nodes:
            lines.append(f"classDef ran fill:{_RAN_FILL},stroke:{_RAN_STROKE},stroke-width:2px")
            lines.append(f"class {','.join(ran_nodes)} ran")
        if ran_edges:
            lines.append(f"linkStyle {','.join(map(str, ran_edges))} stroke:{_RAN_STROKE},stroke-width:3px")
    return "\n    ".join(lines)


def _mermaid_node(node: Node) -> str:
    return node.id + _MERMAID_SHAPES.get(node.type, '["{}"]').format(_mermaid_text(node.name))


def _mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: ``#``, quotes and angle brackets as Mermaid's entity codes.

    >>> _mermaid_text('Say "hi" <now> #1')
    'Say #quot;hi#quot; #lt;now#gt; #35;1'
    """
    return text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


_DOT_SHAPES = {
    "": "circle",
    "Choice": "diamond",
    "Succeed": "oval",
    "Fail": "oval",
    "Parallel": "box3d",
    "Map": "box3d",
}
_DOT_STYLES = {NEXT: "", BOUNDARY: "", CATCH: "dashed", BRANCH: "dotted"}


def to_dot(graph: Graph, trace: Trace | None = None, name: str = "StateMachine") -> str:
    """A Graphviz ``digraph``; Parallel branches and Map processors are ``cluster_`` subgraphs. With a
    ``trace``, the states that ran are filled green and the edges taken drawn thick green.

    >>> graph = build_graph({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
    >>> print(to_dot(graph, name='My "flow"'))
    digraph "My \\"flow\\"" {
        graph [fontname="Helvetica"];
        node [shape=box, style=rounded, fontname="Helvetica"];
        edge [fontname="Helvetica", fontsize=10];
        sfn_start [label="Start", shape=circle];
        sfn_end [label="End", shape=circle];
        s0 [label="A"];
        sfn_start -> s0;
        s0 -> sfn_end;
    }
    """
    ran_edges = set(_ran_edges(graph, trace)) if trace is not None else set()

    def node_line(node: Node) -> str:
        attributes = {"label": _dot_text(node.name)}
        if node.type in _DOT_SHAPES:
            attributes["shape"] = _DOT_SHAPES[node.type]
        if trace is not None and node.type and node.name in trace.entered:
            attributes.update(style='"rounded,filled"', fillcolor=f'"{_RAN_FILL}"', color=f'"{_RAN_STROKE}"')
        return f"{node.id} [{_dot_attributes(attributes)}];"

    lines = [
        f"digraph {_dot_text(name)} {{",
        'graph [fontname="Helvetica"];',
        'node [shape=box, style=rounded, fontname="Helvetica"];',
        'edge [fontname="Helvetica", fontsize=10];',
    ]
    lines += _nested(
        graph,
        node_line,
        lambda cluster, inner: [
            f"subgraph cluster_{cluster.id} {{",
            *_indent([f"label={_dot_text(cluster.label)};", "style=dashed;", *inner]),
            "}",
        ],
    )
    for index, edge in enumerate(graph.edges):
        attributes = {}
        if edge.label:
            attributes["label"] = _dot_text(edge.label)
        if _DOT_STYLES[edge.kind]:
            attributes["style"] = _DOT_STYLES[edge.kind]
        if index in ran_edges:
            attributes.update(color=f'"{_RAN_STROKE}"', penwidth="2.5")
        suffix = f" [{_dot_attributes(attributes)}]" if attributes else ""
        lines.append(f"{edge.source} -> {edge.target}{suffix};")
    return "\n    ".join(lines) + "\n}"


def _dot_text(text: str) -> str:
    r"""A quoted dot string.

    >>> print(_dot_text('a "b" \\ c'))
    "a \"b\" \\ c"
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot_attributes(attributes: Mapping[str, str]) -> str:
    return ", ".join(f"{key}={value}" for key, value in attributes.items())


def _ran_edges(graph: Graph, trace: Trace) -> list[int]:
    """The indexes of the edges ``trace`` took. A branch starts when its first state runs; the execution
    ends after a state that was left (or a Fail state that was reached) and has an edge to End."""
    fail_states = {node.id for node in graph.nodes if node.type == "Fail"}

    def ran(edge: Edge) -> bool:
        if edge.kind == BRANCH or edge.source == START:
            return edge.target_name in trace.entered
        if edge.target == END:
            return edge.source_name in trace.exited or (
                edge.source in fail_states and edge.source_name in trace.entered
            )
        return (edge.source_name, edge.target_name, edge.kind == CATCH) in trace.transitions

    return [index for index, edge in enumerate(graph.edges) if ran(edge)]


def _nested(
    graph: Graph,
    node_line: Callable[[Node], str],
    cluster_lines: Callable[[Cluster, list[str]], list[str]],
    parent: str | None = None,
) -> list[str]:
    """The lines of the nodes and clusters inside ``parent``; ``cluster_lines`` wraps a cluster's own."""
    lines = [node_line(node) for node in graph.nodes if node.cluster == parent]
    for cluster in graph.clusters:
        if cluster.parent == parent:
            lines += cluster_lines(cluster, _nested(graph, node_line, cluster_lines, cluster.id))
    return lines


def _indent(lines: Iterable[str]) -> list[str]:
    return [f"    {line}" for line in lines]
