"""The load-time checks sfnlocal already runs, turned into diagnostics: no second copy of any rule.

First :func:`~sfnlocal.language.structure.structure_problems` (every structural problem at once). Then
each state is compiled by the model's own :class:`~sfnlocal.interpreter.model.Branch`, one state at a
time, so that one broken state does not hide the problems of the others: a Parallel or Map state is
compiled with trivial stand-ins for its branches, whose states are compiled on their own. A state with
a structural problem is not compiled (the compiler trusts the structure). Last, the variable scopes.

A compile problem inside a JSONata expression that does not parse gets AWS's code for it,
INVALID_JSONATA_EXPRESSION, at the expression itself (the compiler names the field holding it).
"""

from __future__ import annotations

from typing import Any

from sfnlocal.interpreter.model import Branch
from sfnlocal.language.errors import DefinitionError, pointer, pointer_parts
from sfnlocal.language.jsonata import JsonataSyntaxError, compile_expression, is_expression
from sfnlocal.language.state_fields import JSONPATH
from sfnlocal.language.state_graph import StateGraph, StateNode
from sfnlocal.language.structure import structure_problems
from sfnlocal.language.variables import check_scopes
from sfnlocal.validation.diagnostics import INVALID_JSONATA_EXPRESSION, Diagnostic, error

# What a Parallel branch or Map processor is replaced with while its own state is compiled.
_STAND_IN = {"StartAt": "StandIn", "States": {"StandIn": {"Type": "Succeed"}}}


def compile_problems(graph: StateGraph) -> list[Diagnostic]:
    """Structural and compile problems of a definition (given as its graph), as ERROR diagnostics with
    sfnlocal's messages.

    >>> [(d.code, d.location) for d in compile_problems(StateGraph({"StartAt": "A", "States": {
    ...     "A": {"Type": "Pass", "InputPath": "nope", "Next": "B"},
    ...     "B": {"Type": "Pass", "OutputPath": "$.a[]", "End": True}}}))]
    [('SCHEMA_VALIDATION_FAILED', '/States/A/InputPath'), ('SCHEMA_VALIDATION_FAILED', '/States/B/OutputPath')]
    """
    definition = graph.definition
    structural = structure_problems(definition)
    found = [error(problem.code, problem.message, problem.location) for problem in structural]
    if not isinstance(definition, dict):
        return found
    troubled = [problem.location for problem in structural]
    language = definition.get("QueryLanguage", JSONPATH)
    for state in graph.state_objects():
        here = state.location
        if any(place == here or place.startswith(here + "/") for place in troubled):
            continue
        try:
            Branch(
                {"StartAt": state.name, "States": {state.name: _shallow(state)}},
                state.branch.location if state.branch.path else "",
                language,
            )
        except DefinitionError as problem:
            found.append(_diagnostic(definition, problem))
    if not structural:
        try:
            check_scopes(graph)
        except DefinitionError as problem:
            found.append(_diagnostic(definition, problem))
    return found


def _shallow(state: StateNode) -> dict[str, Any]:
    """The state with stand-ins for its Parallel branches or Map processor (compiled on their own).

    Only a state without structural problems is compiled, so each of its branches is in the graph.
    """
    shallow = dict(state.spec)
    for branch in state.branches:
        if branch.index is not None:
            shallow[branch.field] = [_STAND_IN for _ in state.branches]
        else:
            config = {key: branch.spec[key] for key in ("ProcessorConfig",) if key in branch.spec}
            shallow[branch.field] = {**_STAND_IN, **config}
    return shallow


def _diagnostic(definition: Any, problem: DefinitionError) -> Diagnostic:
    """A compile problem as a diagnostic; a JSONata expression under its location that does not parse is
    what it is about."""
    broken = _broken_expression(value_at(definition, problem.location), problem.location)
    if broken is not None:
        location, detail = broken
        return error(INVALID_JSONATA_EXPRESSION, detail, location)
    return error(problem.code, problem.message, problem.location)


def value_at(document: Any, location: str) -> Any:
    """The value a JSON pointer names in ``document`` (None where it names nothing).

    >>> value_at({"States": {"a/b": {"Next": "X"}}}, "/States/a~1b/Next")
    'X'
    >>> value_at({"L": [1, 2]}, "/L/1"), value_at({}, "/missing")
    (2, None)
    """
    node = document
    for key in pointer_parts(location):
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node


def _broken_expression(value: Any, location: str) -> tuple[str, str] | None:
    """(location, JSONata's complaint) of the first ``{% ... %}`` under ``value`` that does not parse."""
    if isinstance(value, dict):
        items: Any = ((pointer(key)[1:], item) for key, item in value.items())
    elif isinstance(value, list):
        items = ((str(index), item) for index, item in enumerate(value))
    else:
        if is_expression(value):
            try:
                compile_expression(value, location.rsplit("/", 1)[-1])
            except JsonataSyntaxError as syntax_error:
                return location, str(syntax_error)
        return None
    for key, item in items:
        broken = _broken_expression(item, f"{location.rstrip('/')}/{key}")
        if broken is not None:
            return broken
    return None
