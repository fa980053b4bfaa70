"""The definition as AWS receives it: JSON text (or an already parsed object), read as AWS reads it.

AWS parses the text with Jackson, so a syntax error is reported as INVALID_JSON_DESCRIPTION in
Jackson's words, with Jackson's ``[Source: ...; line: L, column: C]`` as its location (recorded:
``"not a definition"``). Blank text, or JSON that is not an object, is SCHEMA_VALIDATION_FAILED
"Definition must be a valid JSON object" without a location (recorded: ``" "``). Text is never read as
YAML here: AWS does not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sfnlocal.language.definition_limits import deep_text_problem
from sfnlocal.validation.diagnostics import (
    INVALID_JSON_DESCRIPTION,
    MISSING_DESCRIPTION,
    SCHEMA_VALIDATION_FAILED,
    Diagnostic,
    error,
)

NOT_AN_OBJECT = "Definition must be a valid JSON object"
_SOURCE_LIMIT = 500  # Jackson quotes at most this many characters of the source
_TOKEN = re.compile(r"[\w$]+")
_EXPECTED_VALUE = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"


@dataclass
class Source:
    """What was read: the value (None when it could not be read), problems, and the objects in which a
    key appeared twice (JSON text only: a dict cannot hold a key twice)."""

    value: Any = None
    problems: list[Diagnostic] = field(default_factory=list)
    repeated_keys: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list)


def read_source(definition: Any) -> Source:
    """Read a definition given as a mapping or as JSON text.

    >>> read_source('{"StartAt": "A"}').value
    {'StartAt': 'A'}
    >>> [problem.code for problem in read_source("[1]").problems]
    ['SCHEMA_VALIDATION_FAILED']
    >>> read_source('{"States": {"A": 1, "A": 2}}').repeated_keys
    [({'A': 2}, ['A'])]
    """
    if isinstance(definition, Mapping):
        return Source(dict(definition))
    if isinstance(definition, bytes):
        definition = definition.decode("utf-8", errors="replace")
    if definition is None or definition == "":
        return Source(problems=[error(MISSING_DESCRIPTION, "Received a null or empty definition")])
    if not isinstance(definition, str) or not definition.strip():
        return Source(problems=[error(SCHEMA_VALIDATION_FAILED, NOT_AN_OBJECT)])
    source = Source()

    def keep_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        repeated = []
        for key, value in pairs:  # the last value wins, as in Jackson
            if key in found:
                repeated.append(key)
            found[key] = value
        if repeated:
            source.repeated_keys.append((found, repeated))
        return found

    try:
        value = json.loads(definition, object_pairs_hook=keep_repeats)
    except json.JSONDecodeError as problem:
        message, location = jackson_problem(definition, problem)
        return Source(problems=[error(INVALID_JSON_DESCRIPTION, message, location)])
    except RecursionError:  # nested too deep for Python's parser: refused as sfnlocal's nesting bound says
        deep = deep_text_problem(definition)
        return Source(problems=[error(deep.code, deep.message, deep.location)])
    if not isinstance(value, dict):
        return Source(problems=[error(SCHEMA_VALIDATION_FAILED, NOT_AN_OBJECT)])
    source.value = value
    return source


def jackson_problem(text: str, problem: json.JSONDecodeError) -> tuple[str, str]:
    """Jackson's message and location for the syntax error Python's parser found.

    >>> message, location = jackson_problem("not a definition", _decode_error("not a definition"))
    >>> print(message)
    Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
     at [Source: (String)"not a definition"; line: 1, column: 4]
    >>> location
    '[Source: (String)"not a definition"; line: 1, column: 4]'
    >>> jackson_problem('{"a" 1}', _decode_error('{"a" 1}'))[0].splitlines()[0]
    "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value"
    """
    at = problem.pos
    char = text[at] if at < len(text) else ""
    column = problem.colno + 1
    if not char:
        opened = _open_container(text, at)
        what = "Object" if opened == "{" else "Array" if opened == "[" else "a value"
        detail = f"Unexpected end-of-input: expected close marker for {what}"
        column = problem.colno
    elif problem.msg == "Expecting value" and _TOKEN.match(text, at):
        token = _TOKEN.match(text, at).group()  # type: ignore[union-attr]
        detail = f"Unrecognized token '{token}': was expecting {_EXPECTED_VALUE}"
        column = problem.colno + len(token)
    else:
        shown = f"Unexpected character ('{char}' (code {ord(char)}))"
        expected = {
            "Expecting property name enclosed in double quotes": "was expecting double-quote to start field name",
            "Expecting ':' delimiter": "was expecting a colon to separate field name and value",
            "Expecting ',' delimiter": "was expecting comma to separate "
            f"{'Object' if _open_container(text, at) == '{' else 'Array'} entries",
            "Expecting value": f"expected a valid value {_EXPECTED_VALUE}",
        }.get(problem.msg, problem.msg)
        detail = f"{shown}: {expected}"
    quoted = f'"{text[:_SOURCE_LIMIT]}"'
    if len(text) > _SOURCE_LIMIT:
        quoted += f"[truncated {len(text) - _SOURCE_LIMIT} chars]"
    location = f"[Source: (String){quoted}; line: {problem.lineno}, column: {column}]"
    return f"{detail}\n at {location}", location


def _open_container(text: str, end: int) -> str:
    """The bracket (``{`` or ``[``) still open at ``end``, outside strings; '' when none is."""
    stack: list[str] = []
    in_string = escaped = False
    for char in text[:end]:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "{[":
            stack.append(char)
        elif char in "}]" and stack:
            stack.pop()
    return stack[-1] if stack else ""


def _decode_error(text: str) -> json.JSONDecodeError:
    """The error Python's parser raises for ``text`` (for the examples above)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as problem:
        return problem
    raise ValueError(f"{text!r} is valid JSON")
