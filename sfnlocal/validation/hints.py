"""AWS's three warnings, for JSONPath states: a value that looks like a path in a field that will not read it.

* NO_DOLLAR: a payload template key (Parameters, ItemSelector, ResultSelector, Assign) without ``.$``
  whose value looks like a path or an intrinsic function: it is passed on as a plain string.
* NO_PATH: a Fail state's ``Error`` or ``Cause`` that looks like a path: use ``ErrorPath``/``CausePath``.
* PASS_RESULT_IS_STATIC: a ``.$`` key in a Pass state's ``Result``, which is never evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sfnlocal.language.errors import pointer
from sfnlocal.language.state_fields import JSONATA
from sfnlocal.language.state_graph import Path, StateGraph
from sfnlocal.validation.diagnostics import (
    NO_DOLLAR,
    NO_PATH,
    PASS_RESULT_IS_STATIC,
    Diagnostic,
    warning,
)

_LOOKS_DYNAMIC = re.compile(r"\$\$?(\Z|[.\[])|States\.[A-Za-z]+\(")
_TEMPLATES = ("Parameters", "ItemSelector", "ResultSelector", "Assign")


def hint_problems(graph: StateGraph) -> list[Diagnostic]:
    """AWS's warnings for the JSONPath states of a definition (given as its graph).

    >>> fail = {"Type": "Fail", "Error": "$.error"}
    >>> [(d.code, d.location) for d in hint_problems(StateGraph({"StartAt": "F", "States": {"F": fail}}))]
    [('NO_PATH', '/States/F/Error')]
    """
    definition = graph.definition
    machine_language = definition.get("QueryLanguage") if isinstance(definition, dict) else None
    found = []
    for node in graph.state_objects():
        state, path = node.spec, node.path
        if state.get("QueryLanguage", machine_language) == JSONATA:
            continue
        for field in _TEMPLATES:
            found += [
                warning(
                    NO_DOLLAR,
                    f"The value of '{key}' looks like a JSONPath or an intrinsic function, but "
                    "its key does not end with '.$', so it is passed on as a plain string",
                    pointer(*where),
                )
                for where, key in _static_lookalikes(state.get(field), (*path, field))
            ]
        if state.get("Type") == "Fail":
            found += [
                warning(
                    NO_PATH,
                    f"The value of '{field}' looks like a path, but the field name does not end "
                    f"with 'Path'; use '{field}Path' to read it from the input",
                    pointer(*path, field),
                )
                for field in ("Error", "Cause")
                if _looks_dynamic(state.get(field))
            ]
        if state.get("Type") == "Pass":
            found += [
                warning(
                    PASS_RESULT_IS_STATIC,
                    f"'{key}' in a Pass state's Result is not evaluated: Result is "
                    "passed on as it is; use Parameters to read paths",
                    pointer(*where),
                )
                for where, key in _dollar_keys(state.get("Result"), (*path, "Result"))
            ]
    return found


def _looks_dynamic(value: Any) -> bool:
    return isinstance(value, str) and _LOOKS_DYNAMIC.match(value) is not None


def _static_lookalikes(template: Any, path: Path) -> Iterator[tuple[Path, str]]:
    """Keys without ``.$`` whose value looks like a path, anywhere in a payload template."""
    if isinstance(template, dict):
        for key, value in template.items():
            if isinstance(key, str) and not key.endswith(".$"):
                if _looks_dynamic(value):
                    yield (*path, key), key
                else:
                    yield from _static_lookalikes(value, (*path, key))
    elif isinstance(template, list):
        for index, item in enumerate(template):
            yield from _static_lookalikes(item, (*path, index))


def _dollar_keys(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    """Keys ending in ``.$`` anywhere in a constant."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.endswith(".$"):
                yield (*path, key), key
            yield from _dollar_keys(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _dollar_keys(item, (*path, index))
