"""Graph checks of every States object (the machine, each Parallel branch, each Map processor).

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

from collections.abc import Callable
from typing import Any

from sfnlocal.language.state_graph import BranchNode, StateGraph, StateNode
from sfnlocal.validation.diagnostics import (
    LOOP_WITHOUT_WAIT,
    MISSING_END_STATE,
    MISSING_TRANSITION_TARGET,
    NO_TERMINAL_REACHABLE,
    Diagnostic,
    error,
    warning,
)
from sfnlocal.validation.digraph import predecessors, reachable, strongly_connected

_WAITING_TYPES = ("Wait", "Task")
_LISTED = 5  # how many state names a warning lists


def flow_problems(graph: StateGraph) -> list[Diagnostic]:
    """The graph problems of every States object, errors first, each in document order.

    >>> loop = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}}
    >>> [(d.severity, d.code, d.location) for d in flow_problems(StateGraph(loop))]
    [('ERROR', 'MISSING_END_STATE', None)]
    >>> loop["States"]["C"] = {"Type": "Choice", "Choices": [{"Next": "A"}], "Default": "D"}
    >>> loop["States"]["B"]["Next"], loop["States"]["D"] = "C", {"Type": "Succeed"}
    >>> [(d.severity, d.code, d.location) for d in flow_problems(StateGraph(loop))]
    [('WARNING', 'LOOP_WITHOUT_WAIT', '/States/A')]
    """
    found = [problem for branch in graph.branches for problem in _branch_problems(branch)]
    return sorted(found, key=lambda problem: problem.severity != "ERROR")


def _targets(state: StateNode) -> list[str]:
    """The names a state can go to next (the end of its branch is not one)."""
    return [transition.target for transition in state.transitions if transition.target is not None]


def _successors(branch: BranchNode) -> dict[str, list[str]]:
    """Each state's transitions to states of the same States object."""
    return {
        name: [target for target in _targets(state) if target in branch.states] for name, state in branch.states.items()
    }


def _branch_problems(branch: BranchNode) -> list[Diagnostic]:
    terminals = [name for name, state in branch.states.items() if state.terminal]
    if not terminals:
        return [error(MISSING_END_STATE, "Workflow has no terminal state", branch.location if branch.path else None)]
    start = branch.start_at
    if not isinstance(start, str) or start not in branch.states:
        return []  # the structural checks report StartAt
    successors = _successors(branch)
    reached = reachable(successors, [start])
    order = {name: index for index, name in enumerate(branch.states)}
    found: list[tuple[int, Diagnostic]] = []  # each problem with the position of the state it is at

    def add(problem: Callable[[str, str, str], Diagnostic], code: str, message: str, name: Any) -> None:
        found.append((order[name], problem(code, message, branch.states[name].location)))

    for name in branch.states:
        if name not in reached:
            add(error, MISSING_TRANSITION_TARGET, f'State "{name}" is not reachable.', name)
    # A transition to a missing state is reported by the structural checks; where it leads is unknown.
    dangling = [
        name for name, state in branch.states.items() if any(target not in branch.states for target in _targets(state))
    ]
    ending = reachable(predecessors(successors), terminals + dangling)
    trapped = [name for name in branch.states if name in reached and name not in ending]
    if trapped:
        message = (
            f"No terminal state (End, Succeed or Fail) can be reached from {_names(trapped)}: "
            "an execution that enters them can only end by failing, timing out or reaching the history limit"
        )
        add(warning, NO_TERMINAL_REACHABLE, message, trapped[0])
    for component in strongly_connected(successors, [name for name in branch.states if name in reached]):
        loop = sorted(component, key=order.__getitem__)
        if (len(loop) > 1 or loop[0] in successors[loop[0]]) and not any(
            _takes_time(branch.states[name]) for name in loop
        ):
            message = (
                f"{_names(loop)} form a loop with no Wait or Task state: an execution can go "
                "round it without pause until it reaches AWS's limit of 25,000 history events"
            )
            add(warning, LOOP_WITHOUT_WAIT, message, loop[0])
    return [problem for _, problem in sorted(found, key=lambda item: item[0])]


def _takes_time(state: StateNode) -> bool:
    """Whether visiting the state waits for something: a Wait, a Task, or a Parallel/Map that runs one."""
    return any(inner.type in _WAITING_TYPES for inner in (state, *state.inner_states))


def _names(names: list[Any]) -> str:
    shown = ", ".join(f"'{name}'" for name in names[:_LISTED])
    return shown + (f" and {len(names) - _LISTED} more" if len(names) > _LISTED else "")
