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
from collections import ChainMap
from typing import Any

from sfnlocal.language.errors import DefinitionError, pointer
from sfnlocal.language.fields import Field, compile_field

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


def _assignments(state: dict[str, Any], location: str) -> list[tuple[str, str]]:
    """(variable name, location of its Assign) for every Assign of one state: its own, its Choice rules',
    its Catchers'."""
    places = [(state.get("Assign"), f"{location}/Assign")]
    places += [
        (rule.get("Assign"), f"{location}/Choices/{i}/Assign")
        for i, rule in enumerate(state.get("Choices") or ())
        if isinstance(rule, dict)
    ]
    places += [
        (catcher.get("Assign"), f"{location}/Catch/{i}/Assign")
        for i, catcher in enumerate(state.get("Catch") or ())
        if isinstance(catcher, dict)
    ]
    return [(variable_name(key), where) for spec, where in places if isinstance(spec, dict) for key in spec]


def check_scopes(branch: dict[str, Any], location: str = "", outer: frozenset[str] = frozenset()) -> None:
    """Refuse a Parallel branch or Map processor that assigns a variable of a scope around it.

    The Parallel or Map state's own Assign (and its Catchers') do not count: they run when the inner
    scope has already ended (recorded: AWS accepts a branch assigning the name its Parallel's Catcher
    assigns).

    >>> check_scopes({"StartAt": "S", "States": {"S": {"Type": "Pass", "Assign": {"x": 1}, "Next": "P"},
    ...     "P": {"Type": "Parallel", "End": True, "Branches": [{"StartAt": "B", "States": {
    ...         "B": {"Type": "Pass", "Assign": {"x": 2}, "End": True}}}]}}})
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.DefinitionError: /States/P/Branches/0/States/B/Assign: ...
    """
    states = branch.get("States") or {}
    assigned_by: dict[str, set[str]] = {}
    for name, state in states.items():
        where = f"{location}{pointer('States', name)}"
        assigned_by[name] = set()
        for variable, assign_location in _assignments(state, where):
            if variable in outer:
                raise DefinitionError(
                    assign_location,
                    f"'{variable}' is a variable of an enclosing scope; a "
                    "Parallel branch or Map iteration can read it but not assign it. Use "
                    "another name, or assign it after the Parallel/Map state",
                )
            assigned_by[name].add(variable)
    for name, state in states.items():
        where = f"{location}{pointer('States', name)}"
        visible = outer.union(*(names for other, names in assigned_by.items() if other != name))
        for i, sub in enumerate(state.get("Branches") or ()):
            check_scopes(sub, f"{where}/Branches/{i}", visible)
        for field in ("ItemProcessor", "Iterator"):
            processor = state.get(field)
            if isinstance(processor, dict):
                distributed = (processor.get("ProcessorConfig") or {}).get("Mode") == "DISTRIBUTED"
                # A Distributed Map child is an execution of its own, with no outer variables.
                check_scopes(processor, f"{where}/{field}", frozenset() if distributed else visible)
