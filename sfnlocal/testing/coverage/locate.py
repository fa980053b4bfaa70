"""Where a state machine's states are written: the line of a JSON pointer of the definition in the file it
was loaded from (a JSON or YAML definition, or a SAM / CloudFormation template holding it), for the reports
that point into files (Cobertura's ``<line number=...>``).

The file is read with YAML's composer (JSON is YAML too), which keeps each key's and value's position and
neither resolves tags nor builds values, so a template's ``!Sub`` or ``!GetAtt`` is no obstacle. In a template
the definition is found by its shape: the mapping whose ``StartAt`` and ``States`` are the definition's, written
inline (``Definition:``), as a literal block (``DefinitionString: |`` or ``!Sub |``), or in the file a
``DefinitionUri`` names.

>>> text = '''{
...   "StartAt": "A",
...   "States": {
...     "A": {
...       "Type": "Pass",
...       "End": true
...     }
...   }
... }'''
>>> found = locate_text(text, {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}})
>>> found.line("/States/A"), found.line("/States/A/End"), found.line("/States/A/Retry/0")
(4, 6, 4)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from sfnlocal.language.errors import pointer_parts
from sfnlocal.language.node_positions import nearest, node_positions

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C composer when PyYAML has it: large files


@dataclass(frozen=True)
class Located:
    """A definition's node in a file (``offset``: lines before the text the node was composed from, for a
    definition inside a template's block string), and the file."""

    node: yaml.Node | None
    offset: int = 0
    path: Path | None = None

    def line(self, location: str) -> int:
        """The 1-based line of the key (or array item) at ``location``, a JSON pointer into the definition; a
        pointer not written in the file gives the line of its nearest ancestor that is (the root's first line at
        worst)."""
        if self.node is None:
            return 1
        return self.offset + nearest(self._positions, pointer_parts(location))[0]

    @cached_property
    def _positions(self) -> dict[tuple[str, ...], tuple[int, int]]:
        return node_positions(self.node)


def locate_file(path: str | Path, definition: dict[str, Any]) -> Located:
    """The definition's node in the file it was loaded from (a definition file or a template); when it is not
    found there (a file that is not YAML or JSON, a definition built by ``Fn::Join``), its node in the
    definition's own text as ``json.dumps(definition, indent=2)`` writes it, with no file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return pretty(definition)
    found = _search(text, definition, path)
    return found if found is not None else pretty(definition)


def locate_text(text: str, definition: dict[str, Any]) -> Located:
    """The definition's node in a text (see :func:`locate_file`)."""
    found = _search(text, definition, None)
    return found if found is not None else pretty(definition)


def pretty(definition: dict[str, Any]) -> Located:
    """The definition's node in ``json.dumps(definition, indent=2)``: the lines of a machine with no file.

    >>> pretty({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}).line("/States/A")
    4
    """
    return Located(_compose(json.dumps(definition, indent=2, ensure_ascii=False)))


def _search(text: str, definition: dict[str, Any], path: Path | None) -> Located | None:
    root = _compose(text)
    if root is None:
        return None
    for node, offset, where in _candidates(root, path):
        if _is_definition(node, definition):
            return Located(node, offset, where)
    return None


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


def _candidates(root: yaml.Node, path: Path | None) -> Iterator[tuple[yaml.Node, int, Path | None]]:
    """Where the definition may be, with the lines before the text it was composed from and its file: every
    mapping of the file, the mappings of each literal block string, and those of each file a ``DefinitionUri``
    names."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            yield node, 0, path
            for key, value in node.value:
                if key.value == "DefinitionUri" and isinstance(value, yaml.ScalarNode) and path is not None:
                    named = path.parent / value.value
                    inner = _compose_file(named)
                    yield from ((found, 0, named) for found in _mappings(inner))
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and node.style == "|" and "StartAt" in node.value:
            # A literal block's text starts on the line after its indicator, its lines kept as written.
            inner = _compose(node.value)
            yield from ((found, node.start_mark.line + 1, path) for found in _mappings(inner))


def _mappings(root: yaml.Node | None) -> Iterator[yaml.Node]:
    stack = [] if root is None else [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            yield node
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _compose_file(path: Path) -> yaml.Node | None:
    try:
        return _compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def _is_definition(node: yaml.Node, definition: dict[str, Any]) -> bool:
    """Whether a mapping is the definition: the same StartAt and the same state names."""
    if not isinstance(node, yaml.MappingNode):
        return False
    keys = {key.value: value for key, value in node.value}
    start, states = keys.get("StartAt"), keys.get("States")
    if not isinstance(start, yaml.ScalarNode) or not isinstance(states, yaml.MappingNode):
        return False
    names = [key.value for key, _ in states.value]
    return start.value == definition.get("StartAt") and names == list(definition.get("States", {}))
