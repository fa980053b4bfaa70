"""``sfnlocal validate``'s diagnostics placed in the files they are about, for SARIF and GitHub annotations.

A diagnostic names its place with a JSON pointer into the definition. :class:`Anchor` knows which file holds
the definition and where: a definition file itself (JSON or YAML: the pointer is looked up in the file as it is
written), a template's inline ``Definition`` (the pointer below ``/Resources/<LogicalId>/Properties/Definition``),
the file a ``DefinitionUri`` / ``DefinitionS3Location`` names (the pointer in that file), or a
``DefinitionString`` (the string itself: a pointer into a string's JSON is not followed). A JSON syntax error is
placed at the character Python's parser stops at, as the human format shows it.

>>> import json, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "bad.asl.yaml"
>>> _ = path.write_text("StartAt: A\\nStates:\\n  A:\\n    Type: Pass\\n    Next: B\\n")
>>> [(f.file, f.line, f.column, f.code) for f in Anchor.of_file(str(path)).findings([
...     {"severity": "ERROR", "code": "MISSING_TRANSITION_TARGET", "message": "Missing 'Next' target: B",
...      "location": "/States/A/Next"}])] == [(str(path), 5, 5, "MISSING_TRANSITION_TARGET")]
True
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

from sfnlocal.cli.definitions import json_error_position
from sfnlocal.cli.positions import Path, Positions
from sfnlocal.language.errors import pointer_parts

INVALID_JSON = "INVALID_JSON_DESCRIPTION"
_JACKSON_AT = re.compile(r"\n at \[Source: .*", re.DOTALL)  # AWS's message quotes the source: the place says it


@dataclass(frozen=True)
class Finding:
    """One diagnostic at a line and column (both from 1) of ``file``; ``label`` is the definition it is about
    (``file``, or ``template#LogicalId``) and ``location`` AWS's JSON pointer, when it gave one."""

    file: str
    line: int
    column: int
    severity: str
    code: str
    message: str
    location: str | None
    label: str
    logical_id: str | None = None

    @property
    def text(self) -> str:
        """The message with what a line number alone does not say: the state machine and the JSON pointer.

        >>> Finding("t.yaml", 9, 11, "ERROR", "X", "No state", "/States/A", "t.yaml#M", "M").text
        'M: No state (at /States/A)'
        """
        where = f" (at {self.location})" if self.location and self.location.startswith("/") else ""
        machine = f"{self.logical_id}: " if self.logical_id else ""
        return f"{machine}{self.message}{where}"


@dataclass(frozen=True)
class Anchor:
    """Where a definition is written: ``file``, its ``positions``, and the path of the definition in it.

    ``descend`` is False when the definition is a string in the file (a ``DefinitionString``): every pointer
    into it is placed on the string.
    """

    file: str
    positions: Positions
    prefix: Path = ()
    descend: bool = True
    label: str = ""
    logical_id: str | None = None
    text: str | None = None  # the file's text, for a JSON syntax error's position

    @classmethod
    def of_file(cls, path: str, label: str | None = None, logical_id: str | None = None) -> Anchor:
        """A definition file: pointers are looked up in it as it is written (``label`` and ``logical_id`` name
        the definition when the file is a template). An unreadable file places every diagnostic on line 1."""
        text = _read(path)
        return cls(path, Positions.of(text or ""), label=label or path, logical_id=logical_id, text=text)

    @classmethod
    def of_template(cls, template: str, logical_id: str) -> Anchor:
        """The state machine ``logical_id`` of ``template`` (see the module docstring)."""
        from sfnlocal.templates.definitions import TemplateError, read_template_file

        label = f"{template}#{logical_id}"
        try:
            text, document = read_template_file(FilePath(template))
        except TemplateError:
            text, document = None, None
        positions = Positions.of(text or "")
        resource: Path = ("Resources", logical_id)
        properties = ((document or {}).get("Resources", {}).get(logical_id) or {}).get("Properties") or {}
        if not isinstance(properties, dict) or document is None:  # a lone definition passed as a template
            return cls(template, positions, label=label, logical_id=logical_id, text=text)
        if "Definition" in properties:
            return cls(template, positions, (*resource, "Properties", "Definition"), True, label, logical_id)
        if "DefinitionString" in properties:
            return cls(template, positions, (*resource, "Properties", "DefinitionString"), False, label, logical_id)
        for name in ("DefinitionUri", "DefinitionS3Location"):
            where = properties.get(name)
            key = where.get("Key") if isinstance(where, dict) else where
            if isinstance(key, str):
                path = os.path.normpath(os.path.join(os.path.dirname(template), key))
                definition = _read(path)
                if definition is not None:
                    return cls(path, Positions.of(definition), (), True, label, logical_id, definition)
                return cls(template, positions, (*resource, "Properties", name), False, label, logical_id)
        return cls(template, positions, resource, False, label, logical_id)

    def findings(self, diagnostics: list[dict[str, Any]]) -> list[Finding]:
        """Each diagnostic of a validation response placed in the file."""
        return [self.finding(diagnostic) for diagnostic in diagnostics]

    def finding(self, diagnostic: dict[str, Any], at: Path | None = None) -> Finding:
        """One diagnostic placed in the file; ``at`` places it at a path of the file itself instead of its
        JSON pointer (a template's function resource, for a warning about the function)."""
        location = diagnostic.get("location")
        message = diagnostic["message"]
        if at is not None:
            line, column = self.positions.find(at)
        elif diagnostic["code"] == INVALID_JSON:
            message = _JACKSON_AT.sub("", message)
            at_error = json_error_position(self.text) if self.text is not None else None
            line, column = at_error or self.positions.find(self.prefix)
        elif isinstance(location, str) and location.startswith("/") and self.descend:
            line, column = self.positions.find((*self.prefix, *pointer_parts(location)))
        else:
            line, column = self.positions.find(self.prefix)
        return Finding(
            self.file,
            line,
            column,
            diagnostic["severity"],
            diagnostic["code"],
            message,
            location if isinstance(location, str) else None,
            self.label,
            self.logical_id,
        )


def _read(path: str) -> str | None:
    try:
        return FilePath(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None

    return None
