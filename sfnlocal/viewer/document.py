"""The execution page's data: one JSON-ready document per execution, built from plain data.

The document holds the events once (payloads stay where GetExecutionHistory puts them, as JSON text); what is
derived from them refers to events by id instead of copying them, so that a large execution's page stays small:
``lanes`` (the execution, each Parallel branch, each inline Map iteration), ``runs`` (each visit of a state, with
its outcome, failures, retries and backoffs), ``eventLanes`` (the lane of each event), ``layout`` (the state graph
laid out for drawing), ``outcomes`` (each state's outcome over all its runs, for the graph), ``children`` (nested
executions, each a document of its own) and ``mapRuns`` (Distributed Map runs, their children summarised).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sfnlocal.language.state_graph import CATCH, DEFAULT, RULE, StateGraph
from sfnlocal.viewer.layout import END, START, BranchLayout, layout_branch
from sfnlocal.viewer.runs import ABORTED, CAUGHT, FAILED, RETRIED, RUNNING, SUCCEEDED, analyse, seconds

FORMAT = 1  # the document's version, for a page reading a document served by another sfnlocal

# The graph shows one outcome per state: the most telling of its runs'.
_RANK = [FAILED, ABORTED, CAUGHT, RETRIED, RUNNING, SUCCEEDED]  # aborted: cancelled by a sibling or a stop
NOT_RUN = "not-run"


def execution_document(
    definition: dict[str, Any],
    history: list[dict[str, Any]],
    *,
    name: str,
    execution_arn: str,
    state_machine_arn: str,
    status: str,
    children: Iterable[dict[str, Any]] = (),
    map_runs: Iterable[dict[str, Any]] = (),
    waiting: Iterable[dict[str, Any]] = (),
    layout: bool = True,
) -> dict[str, Any]:
    """The page's data for one execution (JSON-ready: datetimes become ISO text).

    ``history`` is GetExecutionHistory's ``events``; ``children`` the documents of the executions it started
    (``states:startExecution``), each made by this function; ``map_runs`` its Distributed Map runs as
    DescribeMapRun describes them, each with ``children``: its child executions as ``ExecutionResult.
    map_run_children`` gives them (``history`` where kept); ``waiting`` the tasks waiting for an answer
    (``{"taskToken", "stateName", "executionArn"}``, or ``{"activityArn", "stateName", "executionArn"}``).
    ``layout=False`` leaves the graph's layout out (a Distributed Map's child is drawn inside its parent's Map state).

    >>> doc = execution_document({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, [
    ...     {"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "timestamp": "2025-01-01T00:00:00+00:00"},
    ...     {"id": 2, "previousEventId": 0, "type": "PassStateEntered", "timestamp": "2025-01-01T00:00:00+00:00",
    ...      "stateEnteredEventDetails": {"name": "P", "input": "{}"}},
    ...     {"id": 3, "previousEventId": 2, "type": "PassStateExited", "timestamp": "2025-01-01T00:00:00+00:00",
    ...      "stateExitedEventDetails": {"name": "P", "output": "{}"}},
    ...     {"id": 4, "previousEventId": 3, "type": "ExecutionSucceeded", "timestamp": "2025-01-01T00:00:00+00:00",
    ...      "executionSucceededEventDetails": {"output": "{}"}}],
    ...     name="n", execution_arn="arn:e", state_machine_arn="arn:sm", status="SUCCEEDED")
    >>> doc["outcomes"], [(run["state"], run["outcome"]) for run in doc["runs"]], doc["eventLanes"]
    ({'P': 'succeeded'}, [('P', 'succeeded')], [0, 0, 0, 0])
    """
    events = [_event(event) for event in history]
    found = analyse(events, status, definition)
    graph = StateGraph(definition)
    document: dict[str, Any] = {
        "format": FORMAT,
        "name": name,
        "executionArn": execution_arn,
        "stateMachineArn": state_machine_arn,
        "status": status,
        "definition": definition,
        "startDate": events[0].get("timestamp") if events else None,
        "stopDate": events[-1].get("timestamp") if events and status != "RUNNING" else None,
        "events": events,
        "eventLanes": found.event_lanes,
        "lanes": found.lanes,
        "runs": found.runs,
        "children": [dict(child) for child in children],
        "mapRuns": [_map_run(run, graph) for run in map_runs],
        "waiting": [_json_ready(task) for task in waiting],
    }
    document["clock"] = _clock(document)
    document["outcomes"] = _outcomes(found.runs, document["mapRuns"])
    if layout:
        document["layout"] = _layout(graph) if graph.branches else None
    return document


def _event(event: dict[str, Any]) -> dict[str, Any]:
    """An event JSON-ready, without the ``inputDetails``/``outputDetails`` that only say "not truncated" (a third of
    a small event's size; the page says when a payload was truncated)."""
    ready = {}
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            value = {
                name: _json_ready(item)
                for name, item in value.items()
                if not (name.endswith("Details") and item == {"truncated": False})
            }
        ready[key] = _json_ready(value)
    return ready


def _json_ready(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    return value


def _clock(document: dict[str, Any]) -> dict[str, float | None]:
    """The execution's clock in seconds since the epoch: when it started and when it stopped (None: running)."""
    start = document["startDate"]
    stop = document["stopDate"]
    return {
        "start": seconds(start) if start is not None else None,
        "stop": seconds(stop) if stop is not None else None,
    }


def _outcomes(runs: list[dict[str, Any]], map_runs: list[dict[str, Any]]) -> dict[str, str]:
    """Each state's outcome over all its runs (a Distributed Map's children's runs included)."""
    seen: dict[str, set[str]] = {}
    for run in runs:
        seen.setdefault(run["state"], set()).add(run["outcome"])
    for map_run in map_runs:
        for child in map_run["children"]:
            for state, outcome in child.get("outcomes", {}).items():
                seen.setdefault(state, set()).add(outcome)
    return {state: next(rank for rank in _RANK if rank in outcomes) for state, outcomes in seen.items()}


# What every child of a map run repeats: left out of each (the run says it once).
_SHARED_CHILD_FIELDS = ("stateMachineArn", "mapRunArn", "redriveCount")


def _map_run(run: dict[str, Any], graph: StateGraph) -> dict[str, Any]:
    """A map run as DescribeMapRun gives it, its children each with their runs (no layout: the Map draws it).

    A child's ``executionArn`` is the run's ``childArnPrefix`` followed by its ``name`` (kept whole where not)."""
    described = {key: _json_ready(value) for key, value in run.items() if key != "children"}
    children = list(run.get("children", ()))
    prefixes = {child["executionArn"][: -len(child["name"])] for child in children if "executionArn" in child}
    prefix = prefixes.pop() if len(prefixes) == 1 else None
    if prefix is not None:
        described["childArnPrefix"] = prefix
    if children:
        described["childStateMachineArn"] = children[0].get("stateMachineArn")
    described["children"] = [_map_child(child, prefix) for child in children]
    return described


def _map_child(child: dict[str, Any], prefix: str | None) -> dict[str, Any]:
    summary = {
        key: _json_ready(value)
        for key, value in child.items()
        if key != "history" and key not in _SHARED_CHILD_FIELDS and value != {"included": True}
    }
    if prefix is not None and summary.get("executionArn") == prefix + summary.get("name", ""):
        del summary["executionArn"]
    history = child.get("history")
    if history is not None:
        # A child's history alone tells its states' runs; its definition is the Map's ItemProcessor.
        events = [_event(event) for event in history]
        found = analyse(events, child.get("status", "RUNNING"))
        summary["events"] = events
        summary["eventLanes"] = found.event_lanes
        summary["lanes"] = found.lanes
        summary["runs"] = found.runs
        summary["outcomes"] = _outcomes(found.runs, [])
    return summary


def _layout(graph: StateGraph) -> dict[str, Any]:
    return _branch(layout_branch(graph.root))


def _branch(layout: BranchLayout) -> dict[str, Any]:
    """A branch's layout as plain data: nodes (states and start/end markers) and routes, coordinates rounded."""
    nodes = []
    for node in layout.nodes:
        drawn: dict[str, Any] = {
            "key": {START: "", END: ""}.get(node.key, node.key),
            "kind": node.kind,
            "x": round(node.x, 1),
            "y": round(node.y, 1),
            "w": round(node.width, 1),
            "h": round(node.height, 1),
        }
        if node.state is not None:
            drawn["type"] = node.state.type
            drawn["inner"] = [
                {"x": round(placed.x, 1), "y": round(placed.y, 1), "index": index, **_branch(placed.layout)}
                for index, placed in enumerate(node.inner)
            ]
        nodes.append(drawn)
    routes = []
    for route in layout.routes:
        source = "" if route.source == START else route.source
        label = ""
        if source:
            label = _label(layout, route.source, route.target)
        routes.append(
            {
                "from": source,
                "to": route.target or "",
                "loop": route.loop,
                "points": [[round(x, 1), round(y, 1)] for x, y in route.points],
                "label": label,
            }
        )
    return {"w": round(layout.width, 1), "h": round(layout.height, 1), "nodes": nodes, "routes": routes}


def _label(layout: BranchLayout, source: str, target: str | None) -> str:
    """Why a transition is taken, when it is not a plain Next: a Choice rule, Default, a Catcher."""
    state = layout.branch.states[source]
    reasons = []
    for transition in state.transitions:
        if transition.target != target:
            continue
        if transition.kind == RULE:
            reasons.append(f"rule #{transition.position}")
        elif transition.kind == DEFAULT:
            reasons.append("Default")
        elif transition.kind == CATCH:
            reasons.append(f"Catch #{transition.position}")
    return ", ".join(reasons)
