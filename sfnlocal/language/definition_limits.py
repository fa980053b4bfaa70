"""The bounds of a definition: its size, how deep its JSON is nested, how deep its states are nested.

AWS refuses a definition larger than 1 MB. How deep a definition may be nested AWS does not document
(its diagnostic code TOO_DEEPLY_NESTED, "The states are too deeply nested", says that there is a limit), so
sfnlocal sets its own: every part of sfnlocal that reads a definition (the structural checks, the state
graph, the compiler, validation, copies, history) may then walk it without running out of stack, and a
definition past a bound is refused at once, with its location, before anything else reads it.

These checks walk the definition without recursion, so they cannot fail on what they are meant to refuse.
"""

from __future__ import annotations

import json
import math
from typing import Any

from sfnlocal.language.errors import DefinitionError, pointer

# AWS's limit on a definition: the API reference (CreateStateMachine, ValidateStateMachineDefinition) gives
# its length as at most 1,048,576, the quotas page ("Maximum size of state machine definition") as 1 MB, a
# hard quota, and the request that carries it is limited to 1 MB. sfnlocal counts UTF-8 bytes, the stricter
# reading (a character is at least one byte), so a definition sfnlocal accepts fits under either reading.
MAX_DEFINITION_BYTES = 1_048_576
# sfnlocal's own bounds (AWS documents none): how many objects and arrays deep the definition's JSON may be,
# counting the definition itself as 1, and how many Parallel and Map states may hold one another. Both are
# far beyond what a workflow needs; they keep every walk over a definition well inside Python's stack.
MAX_NESTING_DEPTH = 200
MAX_STATE_NESTING = 40

INVALID_JSON_DESCRIPTION = "INVALID_JSON_DESCRIPTION"  # AWS's code for a definition that is not JSON
TOO_DEEPLY_NESTED = "TOO_DEEPLY_NESTED"  # AWS's diagnostic code: "The states are too deeply nested."
SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED"

_NESTING_TYPES = {"Parallel": ("Branches",), "Map": ("ItemProcessor", "Iterator")}


def limit_problem(definition: Any) -> DefinitionError | None:
    """The first bound a parsed definition goes past (states nested too deep, then JSON nested too deep).

    >>> limit_problem({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}) is None
    True
    >>> deep = 0
    >>> for _ in range(300):
    ...     deep = [deep]
    >>> print(limit_problem({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": deep, "End": True}}}))
    ... # doctest: +ELLIPSIS
    /States/A/Result/0/0/...: The definition is nested 200 levels deep here ...
    """
    return state_nesting_problem(definition) or nesting_problem(definition)


def check_limits(definition: Any) -> None:
    """Raise :func:`limit_problem`'s problem, if there is one.

    >>> check_limits({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
    """
    problem = limit_problem(definition)
    if problem is not None:
        raise problem


def nesting_problem(value: Any, what: str = "The definition") -> DefinitionError | None:
    """A :class:`DefinitionError` at the first object or array nested deeper than :data:`MAX_NESTING_DEPTH`,
    or at the first NaN or Infinity (which Python's JSON parser reads and AWS's refuses).

    >>> nesting_problem({"a": [[1]]}) is None
    True
    >>> print(nesting_problem({"a": [1, float("nan")]}))
    /a/1: The definition holds nan, which is not a JSON number (JSON has no NaN or Infinity)
    """
    # (container, its depth, its path); the path is a linked list (key, parent) so that a wide definition
    # does not copy a tuple per container.
    pending: list[tuple[Any, int, Any]] = [(value, 1, None)]
    values = 1  # a dict built in Python may share its parts: counted as the tree JSON would write out
    while pending:
        node, depth, path = pending.pop()
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, child in children:
            values += 1
            if values > MAX_DEFINITION_BYTES:  # each value takes at least one byte of JSON text
                return DefinitionError(
                    "/",
                    f"{what} holds more than {MAX_DEFINITION_BYTES:,} values (objects and arrays shared "
                    "between places are counted in each place, as JSON writes them out), so it is over AWS's 1 MB "
                    "limit",
                )
            if not isinstance(child, (dict, list)):
                if isinstance(child, float) and not math.isfinite(child):
                    return DefinitionError(
                        pointer(*_unlink((key, path))),
                        f"{what} holds {child!r}, which is not a JSON number (JSON has no NaN or Infinity)",
                        INVALID_JSON_DESCRIPTION,
                    )
                continue
            if depth + 1 > MAX_NESTING_DEPTH:
                return DefinitionError(
                    pointer(*_unlink((key, path))),
                    f"{what} is nested {MAX_NESTING_DEPTH} levels deep here (objects and arrays inside "
                    f"one another), and sfnlocal reads at most {MAX_NESTING_DEPTH}; flatten this value, or build "
                    "it at run time (from the input, or with an intrinsic function or JSONata)",
                )
            pending.append((child, depth + 1, (key, path)))
    return None


def state_nesting_problem(definition: Any) -> DefinitionError | None:
    """A TOO_DEEPLY_NESTED :class:`DefinitionError` at the first Parallel or Map state that holds states nested
    deeper than :data:`MAX_STATE_NESTING` (a state of the machine's own States is at level 0).

    >>> machine = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    >>> for level in range(MAX_STATE_NESTING + 1):
    ...     machine = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [machine], "End": True}}}
    >>> problem = state_nesting_problem(machine)
    >>> problem.code, problem.location.count("Branches")
    ('TOO_DEEPLY_NESTED', 40)
    """
    pending: list[tuple[Any, int, tuple[Any, ...]]] = [(definition, 0, ())]
    while pending:
        machine, level, path = pending.pop()
        states = machine.get("States") if isinstance(machine, dict) else None
        if not isinstance(states, dict):
            continue
        for name, state in states.items():
            kind = state.get("Type") if isinstance(state, dict) else None
            fields = _NESTING_TYPES.get(kind) if isinstance(kind, str) else None
            if not fields:
                continue
            here = (*path, "States", name)
            branches = []
            for field in fields:
                inner = state.get(field)
                if isinstance(inner, dict):
                    branches.append((inner, (*here, field)))
                elif isinstance(inner, list):
                    branches += [(item, (*here, field, index)) for index, item in enumerate(inner)]
            if branches and level + 1 > MAX_STATE_NESTING:
                return DefinitionError(
                    pointer(*here),
                    f"The states are too deeply nested: this {state['Type']} state is inside {level} other Parallel "
                    f"and Map states, and sfnlocal runs at most {MAX_STATE_NESTING} inside one another; move the "
                    "inner part to a state machine of its own and start it as a child execution "
                    "(arn:aws:states:::states:startExecution.sync:2)",
                    TOO_DEEPLY_NESTED,
                )
            pending.extend((branch, level + 1, where) for branch, where in branches)
    return None


def size_problem(text: str) -> DefinitionError | None:
    """A :class:`DefinitionError` when a definition's JSON text is over AWS's 1 MB (:data:`MAX_DEFINITION_BYTES`).

    >>> size_problem("{}") is None
    True
    >>> print(size_problem("é" * 524_289))
    /: The definition is 1,048,578 bytes long (UTF-8); AWS refuses a definition over 1 MB (1,048,576 bytes)
    """
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size <= MAX_DEFINITION_BYTES:
        return None
    return DefinitionError(
        "/",
        f"The definition is {size:,} bytes long (UTF-8); AWS refuses a definition over 1 MB "
        f"({MAX_DEFINITION_BYTES:,} bytes)",
    )


def definition_text(definition: Any) -> str:
    """The shortest JSON text of a parsed definition (no spaces, characters as themselves), whose size is
    checked: a definition refused for its size is over 1 MB however it is written.

    Only for a definition within :data:`MAX_NESTING_DEPTH` (``json.dumps`` recurses).

    >>> definition_text({"StartAt": "Café", "States": {}})
    '{"StartAt":"Café","States":{}}'
    """
    return json.dumps(definition, default=str, ensure_ascii=False, separators=(",", ":"))


def deep_text_problem(text: str, source: str = "the definition") -> DefinitionError:
    """The problem to report when a JSON parser ran out of stack on ``text``: where it goes past
    :data:`MAX_NESTING_DEPTH`, with its line and column (found by counting brackets outside strings).

    >>> print(deep_text_problem("{" + '"a": [' * 300))
    /: the definition is nested deeper than 200 levels (objects and arrays inside one another) at line 1, \
column 1201; sfnlocal reads at most 200
    """
    depth = line = column = 0
    in_string = escaped = False
    line, column = 1, 0
    for char in text:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                break
        elif char in "}]":
            depth -= 1
    return DefinitionError(
        "/",
        f"{source} is nested deeper than {MAX_NESTING_DEPTH} levels (objects and arrays inside one another) at "
        f"line {line}, column {column}; sfnlocal reads at most {MAX_NESTING_DEPTH}",
    )


def _unlink(path: Any) -> list[Any]:
    """The keys of a linked path ``(key, (key, (... None)))``, from the root."""
    keys = []
    while path is not None:
        key, path = path
        keys.append(key)
    return keys[::-1]
