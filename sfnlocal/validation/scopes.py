"""Walking a definition as validation reads it: every States object, and every state with its location.

The definition may be malformed (the structural checks report that): anything that is not shaped as
expected is skipped here, never raised on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sfnlocal.language.errors import pointer

Path = tuple[Any, ...]
NESTED_MACHINES = ("ItemProcessor", "Iterator")  # a Map's processor, under either name


@dataclass(frozen=True, slots=True)
class Scope:
    """One States object: the machine's, a Parallel branch's or a Map processor's.

    ``path`` leads from the root of the definition to the object holding ``StartAt`` and ``States``.
    """

    path: Path
    spec: dict[str, Any]
    states: dict[Any, Any]

    @property
    def location(self) -> str:
        """The JSON pointer of the branch object (``/`` for the machine itself)."""
        return pointer(*self.path)

    def state_path(self, name: Any) -> Path:
        return (*self.path, "States", name)

    def state_location(self, name: Any) -> str:
        """The JSON pointer of one of its states.

        >>> Scope(("States", "P", "Branches", 0), {}, {}).state_location("A/B")
        '/States/P/Branches/0/States/A~1B'
        """
        return pointer(*self.state_path(name))


def scopes(definition: Any, path: Path = ()) -> Iterator[Scope]:
    """Every States object of a definition, the machine's first, then each nested one in document order.

    >>> branch = {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}
    >>> machine = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [branch], "End": True}}}
    >>> [scope.location for scope in scopes(machine)]
    ['/', '/States/P/Branches/0']
    """
    if not isinstance(definition, dict) or not isinstance(definition.get("States"), dict):
        return
    scope = Scope(path, definition, definition["States"])
    yield scope
    for name, state in scope.states.items():
        for field, index, nested in nested_machines(state):
            yield from scopes(nested, (*scope.state_path(name), field, *index))


def nested_machines(state: Any) -> list[tuple[str, tuple[int, ...], Any]]:
    """(field, index, branch) of the machines nested in a state, as the structural checks walk them: the
    Branches of a Parallel state, the one processor (ItemProcessor or Iterator) of a Map state.

    >>> nested_machines({"Type": "Map", "ItemProcessor": {}, "Iterator": {}})
    []
    """
    if not isinstance(state, dict):
        return []
    if state.get("Type") == "Parallel" and isinstance(state.get("Branches"), list):
        return [("Branches", (index,), branch) for index, branch in enumerate(state["Branches"])]
    processors = [field for field in NESTED_MACHINES if field in state]
    if state.get("Type") == "Map" and len(processors) == 1:
        return [(processors[0], (), state[processors[0]])]
    return []


def states(definition: Any) -> Iterator[tuple[Scope, Any, dict[str, Any]]]:
    """Every state that is an object, with its scope and name, in document order of scopes."""
    for scope in scopes(definition):
        for name, state in scope.states.items():
            if isinstance(state, dict):
                yield scope, name, state


def value_at(document: Any, location: str) -> Any:
    """The value a JSON pointer names in ``document`` (None where it names nothing).

    >>> value_at({"States": {"a/b": {"Next": "X"}}}, "/States/a~1b/Next")
    'X'
    >>> value_at({"L": [1, 2]}, "/L/1"), value_at({}, "/missing")
    (2, None)
    """
    node = document
    for part in location.split("/")[1:] if location != "/" else []:
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node
