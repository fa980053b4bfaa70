"""Reading a definition from what users have: a dict, JSON or YAML text, or a file.

This module only turns text into a Python value; :mod:`sfnlocal.language.structure` checks its
shape and :mod:`sfnlocal.interpreter.model` compiles it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sfnlocal.language.errors import DefinitionError

JSON_SUFFIXES = (".json",)  # covers .asl.json
YAML_SUFFIXES = (".yaml", ".yml")  # covers .asl.yaml


def parse_text(text: str, source: str = "definition") -> Any:
    """Parse JSON, or YAML when the text is not JSON.

    >>> parse_text('{"StartAt": "A"}')
    {'StartAt': 'A'}
    >>> parse_text("StartAt: A")
    {'StartAt': 'A'}
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as json_error:
        if text.lstrip().startswith(("{", "[")):
            raise DefinitionError(
                "/",
                f"{source} is not valid JSON: {json_error.msg} at line {json_error.lineno} column {json_error.colno}",
            ) from None
    return parse_yaml(text, source)


def parse_yaml(text: str, source: str = "definition") -> Any:
    """Parse YAML text (PyYAML is imported only when needed, to keep ``import sfnlocal`` fast)."""
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as yaml_error:
        raise DefinitionError("/", f"{source} is neither valid JSON nor valid YAML: {yaml_error}") from None


def read_file(path: str | Path) -> Any:
    """Read a definition file: ``.json``/``.asl.json`` as JSON, ``.yaml``/``.yml``/``.asl.yaml`` as YAML.

    >>> read_file("missing.asl.json")
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.DefinitionError: /: cannot read missing.asl.json: no such file
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DefinitionError("/", f"cannot read {path}: no such file") from None
    except OSError as os_error:
        raise DefinitionError("/", f"cannot read {path}: {os_error.strerror}") from None
    name = file.name.lower()
    if name.endswith(YAML_SUFFIXES):
        return parse_yaml(text, str(path))
    if name.endswith(JSON_SUFFIXES):
        try:
            return json.loads(text)
        except json.JSONDecodeError as json_error:
            raise DefinitionError(
                "/", f"{path} is not valid JSON: {json_error.msg} at line {json_error.lineno} column {json_error.colno}"
            ) from None
    return parse_text(text, str(path))


def as_definition(value: Any) -> dict[str, Any]:
    """Check that a parsed value is a JSON object (a state machine definition must be one).

    >>> as_definition([1])
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.DefinitionError: /: a definition must be a JSON object, not a list
    """
    if not isinstance(value, Mapping):
        raise DefinitionError("/", f"a definition must be a JSON object, not a {type(value).__name__}")
    return dict(value)
