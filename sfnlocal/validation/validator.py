"""All the checks of one definition, in AWS's order: reading it, its schema, its resources, its graph.

Problems come in the order AWS reports them (recorded): the schema's (sfnlocal's structural and
compile checks, in document order), then transitions that lead nowhere or states nothing leads to,
then MISSING_END_STATE; warnings last.
"""

from __future__ import annotations

from typing import Any

from sfnlocal.language.definition_limits import limit_problem
from sfnlocal.language.identifiers import name_problem
from sfnlocal.language.state_fields import EXECUTION_TYPES, STANDARD
from sfnlocal.language.state_graph import StateGraph
from sfnlocal.validation.compiled import compile_problems
from sfnlocal.validation.diagnostics import DUPLICATE_STATE_NAME, Diagnostic, error
from sfnlocal.validation.flow import flow_problems
from sfnlocal.validation.hints import hint_problems
from sfnlocal.validation.resources import resource_problems
from sfnlocal.validation.source import Source, read_source


def diagnose(definition: Any, machine_type: str = STANDARD, name: str | None = None) -> tuple[Source, list[Diagnostic]]:
    """What was read, and every problem found in it (errors and warnings); ``name``, when given, is the state
    machine's name, checked as CreateStateMachine checks it.

    >>> _, found = diagnose('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}')
    >>> [(d.code, d.location) for d in found]
    [('MISSING_TRANSITION_TARGET', '/States/A/Next'), ('MISSING_END_STATE', None)]
    >>> [d.code for d in diagnose('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}', name="a b")[1]]
    ['STATE_MACHINE_NAME_INVALID']
    """
    if machine_type not in EXECUTION_TYPES:
        raise ValueError(f"type must be one of {', '.join(EXECUTION_TYPES)}, not {machine_type!r}")
    refused = None if name is None else name_problem(name)
    named = [] if refused is None else [error(*refused)]
    source = read_source(definition)
    if source.value is None:
        return source, named + source.problems
    beyond = limit_problem(source.value)
    if beyond is not None:  # nothing below may walk a definition nested past sfnlocal's bounds
        return source, [*named, error(beyond.code, beyond.message, beyond.location)]
    graph = StateGraph(source.value)
    found = named + _repeated_state_names(source, graph) + compile_problems(graph)
    found += resource_problems(graph, machine_type)
    found += flow_problems(graph) + hint_problems(graph)
    return source, sorted(found, key=lambda problem: problem.severity != "ERROR")


def _repeated_state_names(source: Source, graph: StateGraph) -> list[Diagnostic]:
    """A state name written twice in one States object of the JSON text (a dict keeps only the last)."""
    repeats = {id(owner): names for owner, names in source.repeated_keys}
    return [
        error(
            DUPLICATE_STATE_NAME,
            f"Duplicate state name: '{name}'; the States object defines it more than once",
            branch.states[name].location,
        )
        for branch in graph.branches
        for name in repeats.get(id(branch.spec["States"]), ())
    ]
