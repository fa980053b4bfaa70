"""``sfnlocal graph DEF [--execution RESULT.json] [--format mermaid|dot]``: draw the state graph.

``--execution`` takes what ``sfnlocal run --json`` prints (or the JSON of ``aws stepfunctions
get-execution-history``): the states and edges that execution ran are marked. See :mod:`sfnlocal.graph`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sfnlocal.cli.support import EXIT_OK, usage_error
from sfnlocal.graph import Trace, build_graph, to_dot, to_mermaid, trace_from_history
from sfnlocal.state_machine import StateMachine


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``sfnlocal graph``."""
    parser = commands.add_parser(
        "graph",
        help="print the state graph as Mermaid or Graphviz dot, marking what an execution ran",
        description="Print the state graph: states, Next/Default/Choice rule/Catch edges, Parallel branches and "
        "Map processors as subgraphs.",
    )
    parser.add_argument("definition", metavar="DEF", help="a .asl.json, .json, .asl.yaml or .yaml definition file")
    parser.add_argument(
        "--execution",
        metavar="RESULT.json",
        help="mark the states and edges this execution ran: the JSON `sfnlocal run --json` prints, "
        "or `aws stepfunctions get-execution-history` output",
    )
    parser.add_argument(
        "--format",
        choices=("mermaid", "dot"),
        default="mermaid",
        help="mermaid (a flowchart; default) or dot (Graphviz)",
    )
    parser.set_defaults(handler=_graph)


def _graph(args: argparse.Namespace) -> int:
    try:
        machine = StateMachine.from_file(args.definition)
        trace = None if args.execution is None else read_trace(args.execution)
    except ValueError as err:
        return usage_error("graph", err)
    graph = build_graph(machine.model)
    print(to_mermaid(graph, trace) if args.format == "mermaid" else to_dot(graph, trace, machine.name))
    return EXIT_OK


def read_trace(path: str) -> Trace:
    """What the execution in a JSON file ran: ``{"history": [...]}`` (``sfnlocal run --json``),
    ``{"events": [...]}`` (``get-execution-history``) or a list of events. Raises ValueError naming the file."""
    try:
        value: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ValueError(f"cannot read {path}: {err.strerror}") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"{path} is not valid JSON: {err.msg} at line {err.lineno} column {err.colno}") from None
    # Anything at all: what is not a list of events is refused below.
    events: Any = value.get("history", value.get("events")) if isinstance(value, dict) else value
    try:
        return trace_from_history(events)
    except (AttributeError, KeyError, TypeError):
        raise ValueError(
            f"{path} holds no execution history: pass what `sfnlocal run --json` prints, or the "
            "output of `aws stepfunctions get-execution-history`"
        ) from None
