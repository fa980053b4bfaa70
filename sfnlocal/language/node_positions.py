"""Where each value of a YAML (or JSON) document is written: positions read from PyYAML's node tree.

The node tree (``yaml.compose``) keeps each key's and item's place in the text and needs no constructor, so a
template's short-form tags (``!Sub``, ``!GetAtt``) are no obstacle. Both the CI formats of ``sfnlocal validate``
(a diagnostic's line and column) and the coverage reports (a state's line) read them here.

>>> import yaml
>>> root = yaml.compose("StartAt: A\\nStates:\\n  A:\\n    Type: Pass\\n    End: true\\n")
>>> found = node_positions(root)
>>> found[("States", "A", "End")], nearest(found, ("States", "A", "Retry", "0"))
((5, 5), (3, 3))
"""

from __future__ import annotations

from typing import Any

Position = tuple[int, int]  # line and column, both from 1
Path = tuple[str, ...]  # a JSON pointer's reference tokens, unescaped


def node_positions(root: Any) -> dict[Path, Position]:
    """The position of each value under ``root`` (a composed YAML node), by path: a mapping's member at its key,
    a sequence's item at its first character, the root at its own. A node that an alias repeats is walked once,
    where it is written (its anchor comes first in the text), so that an alias bomb costs nothing; a repeated key
    keeps its last place, the value a YAML or JSON loader keeps."""
    import yaml

    found: dict[Path, Position] = {(): (root.start_mark.line + 1, root.start_mark.column + 1)}
    seen: set[int] = set()
    pending: list[tuple[Any, Path]] = [(root, ())]
    while pending:
        node, path = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        children: list[tuple[Any, Path]] = []
        if isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                if isinstance(key, yaml.ScalarNode):
                    found[(*path, key.value)] = (key.start_mark.line + 1, key.start_mark.column + 1)
                    children.append((child, (*path, key.value)))
        elif isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                found[(*path, str(index))] = (child.start_mark.line + 1, child.start_mark.column + 1)
                children.append((child, (*path, str(index))))
        pending.extend(reversed(children))  # in the text's order, so an anchor is walked before its aliases
    return found


def nearest(found: dict[Path, Position], path: Path) -> Position:
    """The position of ``path``, or of its nearest ancestor that ``found`` holds (the document's start at worst).

    >>> nearest({(): (1, 1), ("a",): (2, 3)}, ("a", "b")), nearest({}, ("a",))
    ((2, 3), (1, 1))
    """
    for length in range(len(path), 0, -1):
        if path[:length] in found:
            return found[path[:length]]
    return found.get((), (1, 1))
