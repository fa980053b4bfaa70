"""Reading a definition from what users have: a dict, JSON or YAML text, or a file.

This module only turns text into a Python value; :mod:`sfnlocal.language.structure` checks its
shape and :mod:`sfnlocal.interpreter.model` compiles it. Whatever the text, reading it is bounded: a syntax
error says where it is (line, column and the line itself), text nested past sfnlocal's bound is refused
(:mod:`sfnlocal.language.definition_limits`), and YAML aliases may neither refer to themselves nor expand
into more values than a 1 MB definition can hold (a "billion laughs" file is refused in milliseconds).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sfnlocal.language.definition_limits import MAX_DEFINITION_BYTES, deep_text_problem
from sfnlocal.language.errors import DefinitionError

if TYPE_CHECKING:
    import yaml

JSON_SUFFIXES = (".json",)  # covers .asl.json
YAML_SUFFIXES = (".yaml", ".yml")  # covers .asl.yaml
# How many values a YAML document may hold once its aliases are expanded: every value takes at least one
# byte of the JSON text AWS receives, so a document past this is surely over AWS's 1 MB definition limit.
MAX_YAML_VALUES = MAX_DEFINITION_BYTES
_EXCERPT = 80  # how many characters of the offending line a syntax error shows


def parse_text(text: str, source: str = "definition", quote: bool = True) -> Any:
    """Parse JSON, or YAML when the text is not JSON. A JSON syntax error shows the offending line, unless
    ``quote`` is false (for files whose content must not be shown).

    >>> parse_text('{"StartAt": "A"}')
    {'StartAt': 'A'}
    >>> parse_text("StartAt: A")
    {'StartAt': 'A'}
    >>> print(parse_text('{\\n  "StartAt": "A",\\n  "States": {,}\\n}'))
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.DefinitionError: /: definition is not valid JSON: Expecting property name enclosed \
in double quotes at line 3 column 14:
      "States": {,}
                 ^
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as json_error:
        if text.lstrip().startswith(("{", "[")):
            raise json_syntax_problem(json_error, source, quote) from None
    except RecursionError:
        raise deep_text_problem(text, source) from None
    return parse_yaml(text, source)


def parse_yaml(text: str, source: str = "definition") -> Any:
    """Parse YAML text with :func:`bounded_yaml_loader`'s loader (PyYAML is imported only when needed, to keep
    ``import sfnlocal`` fast).

    >>> parse_yaml("a: &x [1, 2]\\nb: *x")
    {'a': [1, 2], 'b': [1, 2]}
    >>> parse_yaml("&a [*a]")
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.DefinitionError: /: definition holds a YAML alias (*a, line 1, column 5) inside the \
value it names, which would make it infinite; write the value out instead
    """
    return load_yaml(text, bounded_yaml_loader(), source)


def load_yaml(text: str, loader: type[yaml.SafeLoader], source: str = "definition") -> Any:
    """Parse YAML text with ``loader`` (a subclass of :func:`bounded_yaml_loader`'s), any failure a
    :class:`DefinitionError` naming ``source``."""
    import yaml

    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as yaml_error:
        raise DefinitionError("/", f"{source} is neither valid JSON nor valid YAML: {yaml_error}") from None
    except RecursionError:
        raise DefinitionError(
            "/", f"{source} is nested too deeply for sfnlocal to read (objects and lists inside one another)"
        ) from None
    except UnsafeYaml as problem:
        raise DefinitionError("/", f"{source} {problem}") from None


def read_file(path: str | Path) -> Any:
    """Read a definition file: ``.json``/``.asl.json`` as JSON, ``.yaml``/``.yml``/``.asl.yaml`` as YAML.

    >>> read_file("missing.asl.json")
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.DefinitionError: /: cannot read missing.asl.json: no such file
    """
    text = read_text(path)
    name = Path(path).name.lower()
    if name.endswith(YAML_SUFFIXES):
        return parse_yaml(text, str(path))
    if name.endswith(JSON_SUFFIXES):
        try:
            return json.loads(text)
        except json.JSONDecodeError as json_error:
            raise json_syntax_problem(json_error, str(path)) from None
        except RecursionError:
            raise deep_text_problem(text, str(path)) from None
    return parse_text(text, str(path))


def read_text(path: str | Path) -> str:
    """The text of a UTF-8 file; a file that cannot be read, or is not UTF-8, is a :class:`DefinitionError`
    saying so (and where the first byte that is not UTF-8 is, without showing the file).

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as file:
    ...     _ = file.write(b'{"Comment": "caf\\xe9"}')
    >>> read_text(file.name)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sfnlocal.language.errors.DefinitionError: /: cannot read ...json: it is not UTF-8 text (byte 0xe9 at line \
1, column 17); save it as UTF-8
    >>> os.remove(file.name)
    """
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise DefinitionError("/", f"cannot read {path}: no such file") from None
    except IsADirectoryError:
        raise DefinitionError("/", f"cannot read {path}: it is a folder, not a file") from None
    except OSError as os_error:
        raise DefinitionError("/", f"cannot read {path}: {os_error.strerror or os_error}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as decode_error:
        before = data[: decode_error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise DefinitionError(
            "/",
            f"cannot read {path}: it is not UTF-8 text (byte 0x{data[decode_error.start]:02x} at line {line}, "
            f"column {column}); save it as UTF-8",
        ) from None


def json_syntax_problem(json_error: json.JSONDecodeError, source: str, quote: bool = True) -> DefinitionError:
    """A JSON syntax error: its reason, line and column, and (when ``quote``) the offending line with a caret
    under the column (a long line shown around the column only)."""
    message = f"{source} is not valid JSON: {json_error.msg} at line {json_error.lineno} column {json_error.colno}"
    if not quote:
        return DefinitionError("/", message)
    text = json_error.doc
    start = text.rfind("\n", 0, json_error.pos) + 1
    end = text.find("\n", json_error.pos)
    line = text[start : end if end >= 0 else len(text)].rstrip("\r")
    caret = json_error.colno - 1
    if len(line) > _EXCERPT:  # a window around the column, so that a minified file is not shown whole
        first = max(0, min(caret - _EXCERPT // 2, len(line) - _EXCERPT))
        line, caret = line[first : first + _EXCERPT], caret - first
    shown = "".join(char if char.isprintable() or char == "\t" else "?" for char in line)
    return DefinitionError("/", f"{message}:\n  {shown}\n  {' ' * caret}^")


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


class UnsafeYaml(ValueError):
    """A YAML document whose aliases refer to themselves or expand past :data:`MAX_YAML_VALUES` (raised by
    :func:`bounded_yaml_loader`'s loader; :func:`load_yaml` turns it into a :class:`DefinitionError`)."""


@functools.cache
def bounded_yaml_loader() -> type[yaml.SafeLoader]:
    """PyYAML's SafeLoader, bounded: before a document is built, its aliases are followed (without building
    anything) to refuse one inside the value it names and a document that expands past :data:`MAX_YAML_VALUES`.
    Subclass it to add constructors (:mod:`sfnlocal.templates` adds CloudFormation's tags)."""
    import yaml

    class BoundedSafeLoader(yaml.SafeLoader):
        """A SafeLoader that refuses an alias inside the value it names, and a document whose aliases expand
        past :data:`MAX_YAML_VALUES`, before it builds anything."""

        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            self.open_anchors: list[str] = []  # the anchors of the values being composed, outermost first

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) and anchor in self.open_anchors:
                raise UnsafeYaml(
                    f"holds a YAML alias (*{anchor}, {_where(event.start_mark)}) inside the "
                    "value it names, which would make it infinite; write the value out instead"
                )
            if anchor is None or isinstance(event, yaml.AliasEvent):
                return super().compose_node(parent, index)
            self.open_anchors.append(anchor)
            try:
                return super().compose_node(parent, index)
            finally:
                self.open_anchors.pop()

        def get_single_node(self) -> Any:
            node = super().get_single_node()
            if node is not None:
                _check_expansion(node)
            return node

    return BoundedSafeLoader


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document that holds more than :data:`MAX_YAML_VALUES` values with its aliases expanded,
    counted without expanding them: each node's count once (an alias is the node it names), children first.
    The composer already refused an alias inside the value it names, so the nodes hold no cycle."""
    import yaml

    counts: dict[int, int] = {}
    pending: list[tuple[yaml.Node, bool]] = [(root, False)]
    while pending:
        node, children_counted = pending.pop()
        if id(node) in counts:
            continue
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        else:
            children = []
        if not children_counted:
            pending.append((node, True))
            pending.extend((child, False) for child in children if id(child) not in counts)
            continue
        total = 1 + sum(counts[id(child)] for child in children)
        if total > MAX_YAML_VALUES:
            raise UnsafeYaml(
                f"holds more than {MAX_YAML_VALUES:,} values once its YAML aliases are expanded (the value at "
                f"{_where(node.start_mark)} alone holds {total:,}); a definition that large is over AWS's 1 MB "
                "limit, so sfnlocal does not build it"
            )
        counts[id(node)] = total


def _where(mark: Any) -> str:
    """A YAML position as ``line L, column C`` (1-based)."""
    return "an unknown place" if mark is None else f"line {mark.line + 1}, column {mark.column + 1}"
