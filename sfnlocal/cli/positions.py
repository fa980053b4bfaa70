"""Where a JSON pointer of a definition (or a template) is in its file: the line and column a CI tool shows.

AWS's diagnostics name what they are about with a JSON pointer (``/States/Charge/Next``); SARIF and GitHub's
annotations want a line and a column. :class:`Positions` reads a JSON or YAML text once and answers, for any
pointer, the position of the member's key (or of the list item, or of the document), falling back to the
nearest enclosing value that the text holds (a missing field is reported on the object that lacks it).

>>> text = '{\\n  "StartAt": "A",\\n  "States": {\\n    "A": {"Type": "Pass", "Next": "B"}\\n  }\\n}'
>>> positions = Positions.of(text)
>>> positions.find("/States/A/Next"), positions.find("/States/A/Missing"), positions.find("/")
((4, 27), (4, 5), (1, 1))
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass

from sfnlocal.language.errors import pointer_parts
from sfnlocal.language.node_positions import Path, Position, nearest, node_positions

_WHITE = " \t\n\r"  # JSON's white space
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Positions:
    """The position of each value of a document in its text, by path (see the module docstring)."""

    found: dict[Path, Position]

    @classmethod
    def of(cls, text: str) -> Positions:
        """The positions in ``text``: read as JSON when it is JSON, else as YAML (a template's short-form tags
        such as ``!Sub`` included). A text that is neither has only the document's own position, line 1."""
        try:
            json.loads(text)
        except (ValueError, RecursionError):
            return cls(_yaml_positions(text))
        return cls(_json_positions(text))

    def find(self, pointer: str | Path | None) -> Position:
        """The position of ``pointer`` (a JSON pointer, or its tokens), or of the nearest enclosing value the
        text holds; the document's start when ``pointer`` is None."""
        path = pointer_parts(pointer) if isinstance(pointer, str) else (pointer or ())
        return nearest(self.found, path)

    def holds(self, path: Path) -> bool:
        """Whether the text has a value at ``path``."""
        return path in self.found


def _json_positions(text: str) -> dict[Path, Position]:
    """Positions in a JSON text: a member at its key, a list item and the document at their first character.
    A document nested too deeply for the walk keeps what was found before."""
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    found: dict[Path, Position] = {}

    def skip(offset: int) -> int:
        """The offset of the first character after the white space at ``offset``."""
        while offset < len(text) and text[offset] in _WHITE:
            offset += 1
        return offset

    def position(offset: int) -> Position:
        line = bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    def value(offset: int, path: Path) -> int:
        """Record the value at ``offset`` (already placed) and return the offset after it."""
        first = text[offset]
        if first == '"':
            return _DECODER.raw_decode(text, offset)[1]
        if first == "{":
            offset = skip(offset + 1)
            while text[offset] != "}":
                key, after = _DECODER.raw_decode(text, offset)
                found[(*path, key)] = position(offset)  # a repeated key: the last one, as json.loads keeps it
                offset = skip(after)
                offset = skip(offset + 1)  # past ':'
                offset = skip(value(offset, (*path, key)))
                if text[offset] == ",":
                    offset = skip(offset + 1)
            return offset + 1
        if first == "[":
            offset = skip(offset + 1)
            index = 0
            while text[offset] != "]":
                item = (*path, str(index))
                found[item] = position(offset)
                offset = skip(value(offset, item))
                if text[offset] == ",":
                    offset = skip(offset + 1)
                index += 1
            return offset + 1
        return _DECODER.raw_decode(text, offset)[1]  # a number, true, false or null

    start = skip(0)
    found[()] = position(start)
    try:
        value(start, ())
    except RecursionError:  # deeper than Python's stack: the outer values are found, the rest fall back to them
        pass
    return found


def _yaml_positions(text: str) -> dict[Path, Position]:
    """Positions in a YAML text (see :func:`~sfnlocal.language.node_positions.node_positions`)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return {(): (1, 1)}
    return {(): (1, 1)} if root is None else node_positions(root)
