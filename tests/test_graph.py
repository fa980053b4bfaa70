"""The state graph (sfnlocal.graph): nodes, edges and subgraphs of a definition, Mermaid and dot text, and
the marking of what an execution ran."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest
from support import REPO, machine

from sfnlocal import StateMachine, mocks
from sfnlocal.graph import (
    BOUNDARY,
    BRANCH,
    CATCH,
    END,
    NEXT,
    START,
    Trace,
    build_graph,
    to_dot,
    to_mermaid,
    trace_from_history,
)

ORDER = REPO / "examples" / "order"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work"


def edges(definition: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(source name, target name, kind, label) of each edge, Start/End by their node ids."""
    return [
        (edge.source_name or edge.source, edge.target_name or edge.target, edge.kind, edge.label)
        for edge in build_graph(definition).edges
    ]


def order_run() -> tuple[StateMachine, Any]:
    sm = StateMachine.from_file(ORDER / "order.asl.json")
    run = sm.execute(
        json.loads((ORDER / "input.json").read_text()),
        mocks={
            "Charge card": mocks.returns({"chargeId": "ch_1"}),
            "Reserve stock": mocks.returns({"reserved": True}),
            "Notify customer": mocks.returns({"sent": True}),
        },
    )
    assert run.status == "SUCCEEDED"
    return sm, run


def test_edges_of_every_kind_in_definition_order() -> None:
    sm, _ = order_run()
    assert edges(sm.definition) == [
        (START, "Validate order", BOUNDARY, ""),
        ("Validate order", "Charge card", NEXT, "Rule #1"),
        ("Validate order", "Reject order", NEXT, "Default"),
        ("Charge card", "Fulfil", NEXT, ""),
        ("Charge card", "Payment failed", CATCH, "Catch: States.ALL"),
        ("Fulfil", "Wait for shipping window", NEXT, ""),
        ("Fulfil", "Reserve stock", BRANCH, ""),
        ("Fulfil", "Book courier", BRANCH, ""),
        ("Wait for shipping window", "Notify customer", NEXT, ""),
        ("Notify customer", END, BOUNDARY, ""),
        ("Reject order", END, BOUNDARY, ""),
        ("Payment failed", END, BOUNDARY, ""),
    ]


def test_parallel_branches_and_map_processors_are_nested_subgraphs() -> None:
    inner_map = {
        "Type": "Map",
        "ItemsPath": "$.items",
        "End": True,
        "Iterator": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": True}}},
    }
    graph = build_graph(
        machine(
            {
                "Fan out": {
                    "Type": "Parallel",
                    "End": True,
                    "Branches": [
                        {"StartAt": "Each", "States": {"Each": inner_map}},
                        {"StartAt": "Other", "States": {"Other": {"Type": "Succeed"}}},
                    ],
                },
            }
        )
    )
    assert [(c.id, c.label, c.parent) for c in graph.clusters] == [
        ("c0", "Fan out: branch 1", None),
        ("c1", "Each: item processor", "c0"),
        ("c2", "Fan out: branch 2", None),
    ]
    assert {node.name: node.cluster for node in graph.nodes if node.type} == {
        "Fan out": None,
        "Each": "c0",
        "Item": "c1",
        "Other": "c2",
    }
    # Only the top level has Start and End: a branch's last state ends its branch, not the execution.
    assert [(e.source_name or e.source, e.target_name or e.target) for e in graph.edges if e.kind == BOUNDARY] == [
        (START, "Fan out"),
        ("Fan out", END),
    ]

    text = to_mermaid(graph)
    assert 'subgraph c0["Fan out: branch 1"]\n        s1[["Each"]]\n        subgraph c1["Each: item processor"]' in text
    assert "s1 -.-> s2" in text  # the Map's dotted edge into its processor


def test_item_processor_is_read_like_the_legacy_iterator() -> None:
    graph = build_graph(
        machine(
            {
                "M": {
                    "Type": "Map",
                    "End": True,
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "INLINE"},
                        "StartAt": "P",
                        "States": {"P": {"Type": "Pass", "End": True}},
                    },
                }
            }
        )
    )
    assert [c.label for c in graph.clusters] == ["M: item processor"]


def test_mermaid_quotes_names_and_gives_each_type_its_shape() -> None:
    text = to_mermaid(
        build_graph(
            machine(
                {
                    'Say "hi" <b>': {"Type": "Pass", "Next": "Is it #1?"},
                    "Is it #1?": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Yes"}],
                        "Default": "No",
                    },
                    "Yes": {"Type": "Succeed"},
                    "No": {"Type": "Fail", "Error": "E"},
                }
            )
        )
    )
    assert 's0["Say #quot;hi#quot; #lt;b#gt;"]' in text
    assert 's1{"Is it #35;1?"}' in text
    assert 's2(["Yes"])' in text and 's3(["No"])' in text
    assert "end" not in text.split() and 'sfn_end(("End"))' in text  # `end` is a Mermaid keyword: never an id


def test_a_run_marks_the_states_and_edges_it_took() -> None:
    sm, run = order_run()
    graph = build_graph(sm.definition)
    text = to_mermaid(graph, trace_from_history(run.history))
    ran = text.split("class ", 1)[1].split(" ran")[0].split(",")
    names = {node.id: node.name for node in graph.nodes}
    assert {names[node] for node in ran} == {
        "Validate order",
        "Charge card",
        "Fulfil",
        "Reserve stock",
        "Book courier",
        "Wait for shipping window",
        "Notify customer",
    }
    styled = [int(index) for index in text.split("linkStyle ")[1].split(" ")[0].split(",")]
    taken = [(graph.edges[i].source_name or START, graph.edges[i].target_name or END) for i in styled]
    assert taken == [
        (START, "Validate order"),
        ("Validate order", "Charge card"),
        ("Charge card", "Fulfil"),
        ("Fulfil", "Wait for shipping window"),
        ("Fulfil", "Reserve stock"),
        ("Fulfil", "Book courier"),
        ("Wait for shipping window", "Notify customer"),
        ("Notify customer", END),
    ]


def test_a_catch_to_the_same_state_as_next_is_told_apart() -> None:
    sm = StateMachine.from_dict(
        machine(
            {
                "Work": {
                    "Type": "Task",
                    "Resource": LAMBDA,
                    "Next": "Cleanup",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Cleanup"}],
                },
                "Cleanup": {"Type": "Pass", "End": True},
            }
        )
    )
    ok = trace_from_history(sm.execute({}, mocks={"Work": mocks.returns(1)}).history)
    caught = trace_from_history(sm.execute({}, mocks={"Work": mocks.raises("Boom")}).history)
    assert ok.transitions == {("Work", "Cleanup", False)}
    assert caught.transitions == {("Work", "Cleanup", True)}
    graph = build_graph(sm.definition)
    assert "linkStyle 0,1,3 " in to_mermaid(graph, ok)  # Start, Next, End
    assert "linkStyle 0,2,3 " in to_mermaid(graph, caught)  # Start, Catch, End


def test_a_failed_execution_marks_the_fail_state_end_but_not_an_uncaught_task_end() -> None:
    sm = StateMachine.from_dict(
        machine(
            {
                "Check": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Work"}],
                    "Default": "Refuse",
                },
                "Work": {"Type": "Task", "Resource": LAMBDA, "End": True},
                "Refuse": {"Type": "Fail", "Error": "No"},
            }
        )
    )
    graph = build_graph(sm.definition)
    index = {(e.source_name or START, e.target_name or END): i for i, e in enumerate(graph.edges)}
    refused = to_mermaid(graph, trace_from_history(sm.execute({"ok": False}).history))
    assert f"linkStyle {index[START, 'Check']},{index['Check', 'Refuse']},{index['Refuse', END]} " in refused
    crashed = to_mermaid(graph, trace_from_history(sm.execute({"ok": True}, mocks={"Work": mocks.raises("E")}).history))
    assert f"linkStyle {index[START, 'Check']},{index['Check', 'Work']} " in crashed


def test_map_iterations_are_starts_not_transitions_between_iterations() -> None:
    sm = StateMachine.from_dict(
        machine(
            {
                "M": {
                    "Type": "Map",
                    "End": True,
                    "ItemProcessor": {
                        "StartAt": "P",
                        "States": {"P": {"Type": "Pass", "Next": "Q"}, "Q": {"Type": "Pass", "End": True}},
                    },
                }
            }
        )
    )
    trace = trace_from_history(sm.execute([1, 2, 3]).history)
    assert trace.transitions == {("P", "Q", False)}
    assert trace.entered == trace.exited == {"M", "P", "Q"}


def test_nothing_is_marked_without_a_trace_and_an_empty_trace_marks_nothing() -> None:
    graph = build_graph(machine({"A": {"Type": "Pass", "End": True}}))
    assert "classDef" not in to_mermaid(graph) and "linkStyle" not in to_mermaid(graph, Trace())
    assert "fillcolor" not in to_dot(graph, Trace()) and "penwidth" not in to_dot(graph, Trace())


def test_dot_marks_a_run_and_styles_catch_and_branch_edges() -> None:
    sm, run = order_run()
    text = to_dot(build_graph(sm.definition), trace_from_history(run.history), name=sm.name)
    assert text.startswith('digraph "order" {')
    assert 's1 -> s6 [label="Catch: States.ALL", style=dashed];' in text
    assert 's2 -> s7 [style=dotted, color="#2b8a3e", penwidth=2.5];' in text
    assert 'subgraph cluster_c0 {\n        label="Fulfil: branch 1";' in text
    assert 's5 [label="Reject order", shape=oval];' in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_reads_the_dot_text() -> None:
    sm, run = order_run()
    text = to_dot(build_graph(sm.definition), trace_from_history(run.history), name='the "order" flow')
    done = subprocess.run(["dot", "-Tsvg"], input=text, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert "Wait for shipping window" in done.stdout
