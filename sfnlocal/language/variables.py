"""Workflow variables: ``Assign``, and the scopes variables live in.

Rules, from the AWS docs ("Passing data between states with variables") and recorded executions:

* ``Assign`` is a payload template whose top-level keys are variable names (``name`` for a constant,
  ``name.$`` for a path or intrinsic). In JSONPath mode ``$`` in it is the state's result (after
  ResultSelector; a Pass state's Result or Parameters output; the effective input for Choice and Wait),
  or the error output for a Catcher's Assign.
* Every right-hand side sees the variables as they were when the state was entered; the new values
  are visible from the next state on (InputPath, OutputPath, ... of the same state still see the old ones).
* A Parallel branch or a Map iteration reads the variables of the scopes around it and has a scope of its
  own, which vanishes when it ends; it may not assign a name of an outer scope (checked at load). A
  Distributed Map child sees no outer variable.
* Names: a letter or underscore, then letters, digits or underscores, at most 80 characters; ``states``
  is reserved.
"""

from __future__ import annotations

import re
from collections import ChainMap, Counter
from typing import Any

from sfnlocal.language.errors import DefinitionError, pointer
from sfnlocal.language.fields import Field, compile_field
from sfnlocal.language.state_fields import DISTRIBUTED
from sfnlocal.language.state_graph import BranchNode, StateGraph

MAX_NAME_LENGTH = 80
RESERVED_NAMES = frozenset({"states"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

Variables = ChainMap  # innermost scope first; a state assigns into ``maps[0]``


def variable_name(key: str) -> str:
    """The variable a key of ``Assign`` names (``total.$`` assigns ``total``).

    >>> variable_name("total.$"), variable_name("limit")
    ('total', 'limit')
    """
    return key[:-2] if key.endswith(".$") else key


def compile_assign(
    spec: Any, location: str, jsonata: bool = False, result: bool = False, error_output: bool = False
) -> Field | None:
    """Compile an ``Assign`` object in the state's query language; None when there is nothing to assign.

    ``field.evaluate(visit, dollar)`` gives the new values by name (``dollar`` is ``$`` in JSONPath mode).

    >>> compile_assign({"total.$": "$.sum", "unit": "EUR"}, "/States/S/Assign")
    Field('Assign', JSONPath)
    """
    if spec is None or spec == {}:
        return None
    if not isinstance(spec, dict):
        raise DefinitionError(
            location, f"Assign must be an object mapping variable names to values, not {type(spec).__name__}"
        )
    for key in spec:
        name = key if jsonata else variable_name(key)
        where = f"{location}{pointer(key)}"
        if not _NAME.match(name):
            raise DefinitionError(
                where,
                f"'{name}' is not a valid variable name: use a letter or underscore "
                "followed by letters, digits or underscores",
            )
        if len(name) > MAX_NAME_LENGTH:
            raise DefinitionError(where, f"variable name '{name[:20]}...' is longer than {MAX_NAME_LENGTH} characters")
        if name in RESERVED_NAMES:
            raise DefinitionError(where, f"'{name}' is reserved and cannot be assigned")
    names = [variable_name(key) for key in spec]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise DefinitionError(location, f"Assign names {sorted(duplicates)[0]!r} twice (with and without '.$')")
    # The template's keys, with '.$' dropped, are exactly the variable names.
    return compile_field(spec, "Assign", location, jsonata, result, error_output)


def _assignments(state: Any) -> list[tuple[str, str]]:
    """(variable name, where its Assign is in the state) for every Assign of one state: its own, its
    Choice rules', its Catchers'."""
    if not isinstance(state, dict):
        return []
    places = [(state.get("Assign"), "/Assign")]
    places += [
        (rule.get("Assign"), f"/Choices/{i}/Assign")
        for i, rule in enumerate(state.get("Choices") or ())
        if isinstance(rule, dict)
    ]
    places += [
        (catcher.get("Assign"), f"/Catch/{i}/Assign")
        for i, catcher in enumerate(state.get("Catch") or ())
        if isinstance(catcher, dict)
    ]
    return [(variable_name(key), where) for spec, where in places if isinstance(spec, dict) for key in spec]


def check_scopes(graph: StateGraph) -> None:
    """Refuse a Parallel branch or Map processor that assigns a variable of a scope around it.

    The Parallel or Map state's own Assign (and its Catchers') do not count: they run when the inner
    scope has already ended (recorded: AWS accepts a branch assigning the name its Parallel's Catcher
    assigns).

    >>> check_scopes(StateGraph({"StartAt": "S", "States": {"S": {"Type": "Pass", "Assign": {"x": 1}, "Next": "P"},
    ...     "P": {"Type": "Parallel", "End": True, "Branches": [{"StartAt": "B", "States": {
    ...         "B": {"Type": "Pass", "Assign": {"x": 2}, "End": True}}}]}}}))
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.DefinitionError: /States/P/Branches/0/States/B/Assign: ...
    """
    if graph.branches:
        _check_branch(graph.root, frozenset())


def _check_branch(branch: BranchNode, outer: frozenset[str]) -> None:
    """Check one States object, whose states see the variables ``outer``, and the ones nested in it."""
    assigned_by: dict[Any, set[str]] = {}  # by state name
    for name, state in branch.states.items():
        assigned = assigned_by[name] = set()
        for variable, where in _assignments(state.spec):
            if variable in outer:
                raise DefinitionError(
                    state.location + where,
                    f"'{variable}' is a variable of an enclosing scope; a "
                    "Parallel branch or Map iteration can read it but not assign it. Use "
                    "another name, or assign it after the Parallel/Map state",
                )
            assigned.add(variable)
    # How many states of this branch assign each name: the branches nested in a state see the names
    # the *other* states assign (counting, not a union per state, keeps a long machine linear).
    assigners = Counter(variable for names in assigned_by.values() for variable in names)
    for name, state in branch.states.items():
        if not state.branches:
            continue
        own = assigned_by[name]
        visible = outer | {variable for variable, count in assigners.items() if count > (variable in own)}
        for inner in state.branches:
            # A Distributed Map child is an execution of its own, with no outer variables.
            _check_branch(inner, frozenset() if _distributed(inner) else visible)


def _distributed(branch: BranchNode) -> bool:
    """Whether a Map processor runs its iterations as child executions (``ProcessorConfig.Mode``)."""
    return branch.field != "Branches" and (branch.spec.get("ProcessorConfig") or {}).get("Mode") == DISTRIBUTED
