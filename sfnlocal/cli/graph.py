"""``sfnlocal graph DEF|--template FILE [--execution RESULT.json] [--format mermaid|dot]``: draw the state graph.

``--execution`` takes what ``sfnlocal run --json`` prints (or the JSON of ``aws stepfunctions
get-execution-history``): the states and edges that execution ran are marked. See :mod:`sfnlocal.graph`.
"""

from __future__ import annotations

import argparse
from typing import Any

from sfnlocal.cli.definitions import add_source_arguments, load_machine
from sfnlocal.cli.support import EXIT_OK, parse_json, read_text
from sfnlocal.graph import Trace, build_graph, to_dot, to_mermaid, trace_from_history


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``sfnlocal graph``."""
    parser = commands.add_parser(
        "graph",
        help="print the state graph as Mermaid or Graphviz dot, marking what an execution ran",
        description="Print the state graph: states, Next/Default/Choice rule/Catch edges, Parallel branches and "
        "Map processors as subgraphs.",
    )
    add_source_arguments(parser)
    parser.add_argument(
        "--execution",
        metavar="RESULT.json",
        help="mark the states and edges this execution ran: the JSON `sfnlocal run --json` prints (--full for "
        "a history of more than 500 events, which is otherwise capped), or `aws stepfunctions "
        "get-execution-history` output",
    )
    parser.add_argument(
        "--format",
        choices=("mermaid", "dot"),
        default="mermaid",
        help="mermaid (a flowchart; default) or dot (Graphviz)",
    )
    parser.set_defaults(handler=_graph)


def _graph(args: argparse.Namespace) -> int:
    machine = load_machine(args)
    trace = None if args.execution is None else read_trace(args.execution)
    graph = build_graph(machine.model)
    print(to_mermaid(graph, trace) if args.format == "mermaid" else to_dot(graph, trace, machine.name))
    return EXIT_OK


def read_trace(path: str) -> Trace:
    """What the execution in a JSON file ran: ``{"history": [...]}`` (``sfnlocal run --json``),
    ``{"events": [...]}`` (``get-execution-history``) or a list of events. Raises ValueError naming the file."""
    value: Any = parse_json(read_text(path), path)
    # Anything at all: what is not a list of events is refused below.
    events: Any = value.get("history", value.get("events")) if isinstance(value, dict) else value
    try:
        return trace_from_history(events)
    except (AttributeError, KeyError, TypeError):
        raise ValueError(
            f"{path} holds no execution history: pass what `sfnlocal run --json` prints, or the "
            "output of `aws stepfunctions get-execution-history`"
        ) from None
