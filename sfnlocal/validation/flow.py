"""Graph checks of every States object (the machine, each Parallel branch, each Map processor), with networkx.

Each States object is a directed graph: an edge for every transition (``Next``, a Choice rule's
``Next``, ``Default``, a Catcher's ``Next``) to a state of the same object; transitions to a state
that does not exist there are the structural checks' concern. AWS refuses, and reports as it does:

* no terminal state at all (``End``, Succeed, Fail): MISSING_END_STATE, "Workflow has no terminal
  state", without a location for the machine (recorded); this hides the next check, as on AWS;
* a state that cannot be reached from ``StartAt``: MISSING_TRANSITION_TARGET,
  ``State "X" is not reachable.`` at the state (recorded).

sfnlocal adds two warnings, for definitions AWS accepts:

* NO_TERMINAL_REACHABLE: states from which no terminal state can be reached, so that an execution
  that enters them can only end by failing, timing out or reaching the 25,000-event history limit;
* LOOP_WITHOUT_WAIT: a loop none of whose states is a Wait or a Task (nor a Parallel or Map running
  one), which an execution can go round as fast as it can, until the history limit.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from sfnlocal.validation.diagnostics import (
    LOOP_WITHOUT_WAIT,
    MISSING_END_STATE,
    MISSING_TRANSITION_TARGET,
    NO_TERMINAL_REACHABLE,
    Diagnostic,
    error,
    warning,
)
from sfnlocal.validation.scopes import Scope, nested_machines, scopes

_TERMINAL_TYPES = ("Succeed", "Fail")
_WAITING_TYPES = ("Wait", "Task")
_LISTED = 5  # how many state names a warning lists


def flow_problems(definition: Any) -> list[Diagnostic]:
    """The graph problems of every States object, errors first, each in document order.

    >>> loop = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}
    >>> [(d.severity, d.code, d.location) for d in flow_problems(loop)]
    [('ERROR', 'MISSING_END_STATE', None)]
    >>> loop["States"]["C"] = {"Type": "Choice", "Choices": [{"Next": "A"}], "Default": "D"}
    >>> loop["States"]["B"]["Next"], loop["States"]["D"] = "C", {"Type": "Succeed"}
    >>> [(d.severity, d.code, d.location) for d in flow_problems(loop)]
    [('WARNING', 'LOOP_WITHOUT_WAIT', '/States/A')]
    """
    found = [problem for scope in scopes(definition) for problem in _scope_problems(scope)]
    return sorted(found, key=lambda problem: problem.severity != "ERROR")


def transitions(state: dict[str, Any]) -> list[Any]:
    """The names a state can go to next, in document order (duplicates kept out).

    >>> transitions({"Type": "Choice", "Choices": [{"Next": "A"}, {"Next": "B"}], "Default": "A"})
    ['A', 'B']
    """
    targets = [state.get("Next"), state.get("Default")]
    for field in ("Choices", "Catch"):
        rules = state.get(field)
        if isinstance(rules, list):
            targets += [rule.get("Next") for rule in rules if isinstance(rule, dict)]
    return list(dict.fromkeys(target for target in targets if isinstance(target, str)))


def _graph(scope: Scope) -> nx.DiGraph:
    graph = nx.DiGraph()
    for name, state in scope.states.items():
        graph.add_node(name)
        if isinstance(state, dict):
            graph.add_edges_from((name, target) for target in transitions(state) if target in scope.states)
    return graph


def _is_terminal(state: Any) -> bool:
    return isinstance(state, dict) and (state.get("End") is True or state.get("Type") in _TERMINAL_TYPES)


def _scope_problems(scope: Scope) -> list[Diagnostic]:
    graph = _graph(scope)
    terminals = [name for name, state in scope.states.items() if _is_terminal(state)]
    if not terminals:
        return [error(MISSING_END_STATE, "Workflow has no terminal state", scope.location if scope.path else None)]
    start = scope.spec.get("StartAt")
    if not isinstance(start, str) or start not in graph:
        return []  # the structural checks report StartAt
    reachable = {start} | nx.descendants(graph, start)
    order = {name: index for index, name in enumerate(scope.states)}
    found = [
        (order[name], error(MISSING_TRANSITION_TARGET, f'State "{name}" is not reachable.', scope.state_location(name)))
        for name in graph
        if name not in reachable
    ]
    # A transition to a missing state is reported by the structural checks; where it leads is unknown.
    dangling = [
        name
        for name, state in scope.states.items()
        if isinstance(state, dict) and any(target not in scope.states for target in transitions(state))
    ]
    ending = set(terminals + dangling).union(*(nx.ancestors(graph, name) for name in terminals + dangling))
    trapped = [name for name in graph if name in reachable and name not in ending]
    if trapped:
        found.append(
            (
                order[trapped[0]],
                warning(
                    NO_TERMINAL_REACHABLE,
                    f"No terminal state (End, Succeed or Fail) can be reached from {_names(trapped)}: "
                    "an execution that enters them can only end by failing, timing out or reaching the history limit",
                    scope.state_location(trapped[0]),
                ),
            )
        )
    for component in nx.strongly_connected_components(graph.subgraph(reachable)):
        loop = sorted(component, key=order.__getitem__)
        if (len(loop) > 1 or graph.has_edge(loop[0], loop[0])) and not any(
            _takes_time(scope.states[name]) for name in loop
        ):
            found.append(
                (
                    order[loop[0]],
                    warning(
                        LOOP_WITHOUT_WAIT,
                        f"{_names(loop)} form a loop with no Wait or Task state: an execution can go "
                        "round it without pause until it reaches AWS's limit of 25,000 history events",
                        scope.state_location(loop[0]),
                    ),
                )
            )
    return [problem for _, problem in sorted(found, key=lambda item: item[0])]


def _takes_time(state: Any) -> bool:
    """Whether visiting the state waits for something: a Wait, a Task, or a Parallel/Map that runs one."""
    if not isinstance(state, dict):
        return False
    if state.get("Type") in _WAITING_TYPES:
        return True
    return any(
        _takes_time(inner)
        for _, _, branch in nested_machines(state)
        if isinstance(branch, dict) and isinstance(branch.get("States"), dict)
        for inner in branch["States"].values()
    )


def _names(names: list[Any]) -> str:
    shown = ", ".join(f"'{name}'" for name in names[:_LISTED])
    return shown + (f" and {len(names) - _LISTED} more" if len(names) > _LISTED else "")
