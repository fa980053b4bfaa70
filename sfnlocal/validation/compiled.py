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

from sfnlocal.interpreter.model import JSONPATH, Branch
from sfnlocal.language.errors import DefinitionError, pointer
from sfnlocal.language.jsonata import JsonataSyntaxError, compile_expression, is_expression
from sfnlocal.language.structure import structure_problems
from sfnlocal.language.variables import check_scopes
from sfnlocal.validation.diagnostics import INVALID_JSONATA_EXPRESSION, Diagnostic, error
from sfnlocal.validation.scopes import nested_machines, states, value_at

# What a Parallel branch or Map processor is replaced with while its own state is compiled.
_STAND_IN = {"StartAt": "StandIn", "States": {"StandIn": {"Type": "Succeed"}}}


def compile_problems(definition: Any) -> list[Diagnostic]:
    """Structural and compile problems of a definition, as ERROR diagnostics with sfnlocal's messages.

    >>> [(d.code, d.location) for d in compile_problems({"StartAt": "A", "States": {
    ...     "A": {"Type": "Pass", "InputPath": "nope", "Next": "B"},
    ...     "B": {"Type": "Pass", "OutputPath": "$.a[", "End": True}}})]
    [('SCHEMA_VALIDATION_FAILED', '/States/A/InputPath'), ('SCHEMA_VALIDATION_FAILED', '/States/B/OutputPath')]
    """
    structural = structure_problems(definition)
    found = [error(problem.code, problem.message, problem.location) for problem in structural]
    if not isinstance(definition, dict):
        return found
    troubled = [problem.location for problem in structural]
    language = definition.get("QueryLanguage", JSONPATH)
    for scope, name, state in states(definition):
        here = scope.state_location(name)
        if any(place == here or place.startswith(here + "/") for place in troubled):
            continue
        try:
            Branch(
                {"StartAt": name, "States": {name: _shallow(state)}},
                "" if not scope.path else pointer(*scope.path),
                language,
            )
        except DefinitionError as problem:
            found.append(_diagnostic(definition, problem))
    if not structural:
        try:
            check_scopes(definition)
        except DefinitionError as problem:
            found.append(_diagnostic(definition, problem))
    return found


def _shallow(state: dict[str, Any]) -> dict[str, Any]:
    """The state with stand-ins for its Parallel branches or Map processor (compiled on their own)."""
    shallow = dict(state)
    for field, index, branch in nested_machines(state):
        if index:
            shallow[field] = [_STAND_IN for _ in state[field]]
        elif isinstance(branch, dict):
            shallow[field] = {**_STAND_IN, **{key: branch[key] for key in ("ProcessorConfig",) if key in branch}}
    return shallow


def _diagnostic(definition: Any, problem: DefinitionError) -> Diagnostic:
    """A compile problem as a diagnostic; a JSONata expression under its location that does not parse is
    what it is about."""
    broken = _broken_expression(value_at(definition, problem.location), problem.location)
    if broken is not None:
        location, detail = broken
        return error(INVALID_JSONATA_EXPRESSION, detail, location)
    return error(problem.code, problem.message, problem.location)


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
