"""JSONPath as Step Functions evaluates it: Paths, Reference Paths, ``$$`` and ``$variable`` roots.

Every path in a definition is compiled once, at load, by :func:`compile_path`. A compiled path
knows its *root* (the state input ``$``, the context object ``$$``, or a workflow variable
``$name``) and whether it is *definite* (selects at most one node: a Reference Path in the
spec's terms) or *indefinite* (wildcards, slices, filters, ``..``: the result is always a list).

Definite paths are resolved by a small loop over their segments, without any library: that is the
hot path of every execution. Indefinite paths go to jsonpath-ng's extended parser, built once for
the process (its module-level ``parse()`` builds a new parser on every call, about 20 ms).

AWS follows Jayway JsonPath, so missing data in a definite path raises :class:`PathNotFound`
with Jayway's wording (``No results for path: $['a']`` / ``Missing property in path $['a']``),
while an indefinite path that matches nothing yields ``[]``. Each caller turns PathNotFound into
the States.Runtime cause AWS uses for its field.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

ROOT_INPUT = "$"
ROOT_CONTEXT = "$$"
# Any other root is a workflow variable name.

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_VARIABLE_ROOT = re.compile(r"\$(" + _IDENT + r")")
# One segment of a definite path: .name, ['name'], ["name"], [3], [-1]
_SEGMENT = re.compile(
    r"""\.(?P<dot>[^.\[\]\s()*?@:,'"]+)"""
    r"""|\[\s*'(?P<sq>(?:[^'\\]|\\.)*)'\s*\]"""
    r"""|\[\s*"(?P<dq>(?:[^"\\]|\\.)*)"\s*\]"""
    r"""|\[\s*(?P<idx>-?\d+)\s*\]"""
)
_LENGTH_SUFFIX = ".length()"


class PathSyntaxError(ValueError):
    """A path that cannot be compiled; the message says what is wrong."""


class PathNotFound(Exception):
    """A definite path selected nothing. ``message`` is Jayway's wording, as AWS quotes it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass(frozen=True, slots=True)
class Scope:
    """What a path can read: the state input, the context object and the visible variables."""

    input: Any
    context: Any = None
    variables: Any = None  # a Mapping of name -> value, or None where no variable is visible


class CompiledPath:
    """A path compiled once; :meth:`evaluate` reads it from a :class:`Scope`.

    >>> p = compile_path("$.order.items[0].sku")
    >>> p.definite, p.evaluate(Scope({"order": {"items": [{"sku": "A"}]}}))
    (True, 'A')
    >>> compile_path("$.items[*].id").evaluate(Scope({"items": [{"id": 1}, {"id": 2}]}))
    [1, 2]
    """

    __slots__ = ("text", "root", "segments", "definite", "_steps", "_ng", "_length")

    def __init__(
        self,
        text: str,
        root: str,
        segments: tuple[str | int, ...] | None,
        steps: tuple[tuple[Any, ...], ...] | None = None,
        ng: Any = None,
        length: bool = False,
    ) -> None:
        self.text = text
        self.root = root
        self.segments = segments
        self.definite = segments is not None and not length
        self._steps = steps
        self._ng = ng
        self._length = length

    def __repr__(self) -> str:
        return f"CompiledPath({self.text!r})"

    def root_value(self, scope: Scope) -> Any:
        """The document this path starts from."""
        if self.root == ROOT_INPUT:
            return scope.input
        if self.root == ROOT_CONTEXT:
            return scope.context
        variables = scope.variables or {}
        if self.root not in variables:
            raise PathNotFound(self.text, f"The variable '{self.root}' is not defined")
        return variables[self.root]

    def evaluate(self, scope: Scope) -> Any:
        """The value (definite path) or list of values (indefinite path) this path selects."""
        return self.find(self.root_value(scope))

    def find(self, document: Any) -> Any:
        """Apply the path's segments to ``document`` (already the root value)."""
        if self.segments is not None:
            value = _walk(document, self.segments, self.text)
            return self._length_of(value) if self._length else value
        if self._steps is not None:
            matches = _apply_steps(document, self._steps)
            return len(matches) if self._length else matches
        try:
            matches = [m.value for m in self._ng.find(document)]
        except (TypeError, AttributeError, KeyError, IndexError, ValueError):
            # jsonpath-ng trips over some shapes (an index applied to a number, ...); Jayway
            # finds nothing there, and an indefinite path that finds nothing is [].
            matches = []
        return len(matches) if self._length else matches

    def _length_of(self, value: Any) -> int:
        if not isinstance(value, (list, dict, str)):
            raise PathNotFound(
                self.text,
                f"Function length() can only be applied to an array, not to {type(value).__name__} in path {self.text}",
            )
        return len(value)

    def exists(self, scope: Scope) -> bool:
        """Whether a definite path selects a node (Choice ``IsPresent``)."""
        try:
            value = self.evaluate(scope)
        except PathNotFound:
            return False
        return self.definite or value != []


def jayway_form(segments: tuple[str | int, ...]) -> str:
    """Jayway's bracket notation of a definite path, as AWS quotes it in causes.

    >>> jayway_form(("a", 0, "b"))
    "$['a'][0]['b']"
    """
    return "$" + "".join(f"[{s}]" if isinstance(s, int) else f"['{s}']" for s in segments)


def _walk(document: Any, segments: tuple[str | int, ...], text: str) -> Any:
    value = document
    last = len(segments) - 1
    for i, seg in enumerate(segments):
        if isinstance(seg, int):
            if isinstance(value, list) and -len(value) <= seg < len(value):
                value = value[seg]
                continue
        elif isinstance(value, dict) and seg in value:
            value = value[seg]
            continue
        where = jayway_form(segments[: i + 1])
        if i == last or not isinstance(seg, str):
            raise PathNotFound(text, f"No results for path: {where}")
        raise PathNotFound(text, f"Missing property in path {where}")
    return value


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _split_root(text: str) -> tuple[str, str]:
    if text.startswith("$$"):
        return ROOT_CONTEXT, text[2:]
    match = _VARIABLE_ROOT.match(text)
    if match:
        return match.group(1), text[match.end() :]
    if text.startswith("$"):
        return ROOT_INPUT, text[1:]
    raise PathSyntaxError(f"a path must start with '$', but '{text}' does not")


def _definite_segments(rest: str) -> tuple[str | int, ...] | None:
    segments: list[str | int] = []
    pos = 0
    while pos < len(rest):
        match = _SEGMENT.match(rest, pos)
        if not match:
            return None
        if match.group("idx") is not None:
            segments.append(int(match.group("idx")))
        else:
            key = match.group("dot")
            if key is None:
                key = _unescape(match.group("sq") if match.group("sq") is not None else match.group("dq"))
            segments.append(key)
        pos = match.end()
    return tuple(segments)


_BRACKET = re.compile(r"\[\s*(?P<body>[^\]?]*?)\s*\]")
_DOT = re.compile(r"\.(?P<name>\*|[^.\[\]\s()?@:,'\"]+)")
_DESCENT = re.compile(r"\.\.(?P<name>\*|[^.\[\]\s()?@:,'\"]+)?")
_QUOTED = re.compile(r"""\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*""")


def _bracket_step(body: str) -> tuple[Any, ...] | None:
    """One bracket's selector as a step, or None when it needs the full parser (filters)."""
    if body == "*":
        return ("wild",)
    if re.fullmatch(r"-?\d+(\s*,\s*-?\d+)*", body):
        return ("indices", tuple(int(part) for part in body.split(",")))
    slice_match = re.fullmatch(r"(-?\d+)?\s*:\s*(-?\d+)?(?:\s*:\s*(-?\d+)?)?", body)
    if slice_match:
        start, stop, step = (int(g) if g else None for g in slice_match.groups())
        return ("slice", start, stop, step)
    keys = []
    for part in body.split(","):
        quoted = _QUOTED.fullmatch(part)
        if not quoted:
            return None
        keys.append(_unescape(quoted.group(1) if quoted.group(1) is not None else quoted.group(2)))
    return ("keys", tuple(keys))


def _indefinite_steps(rest: str) -> tuple[tuple[Any, ...], ...] | None:
    """Steps for wildcard/slice/union/descent paths, or None for what only the full parser reads."""
    steps: list[tuple[Any, ...]] = []
    pos = 0
    while pos < len(rest):
        descent = _DESCENT.match(rest, pos)
        if descent:
            steps.append(("descent",))
            name = descent.group("name")
            if name is not None:
                steps.append(("wild",) if name == "*" else ("keys", (name,)))
            pos = descent.end()
            continue
        dot = _DOT.match(rest, pos)
        if dot:
            name = dot.group("name")
            steps.append(("wild",) if name == "*" else ("keys", (name,)))
            pos = dot.end()
            continue
        bracket = _BRACKET.match(rest, pos)
        if not bracket:
            return None
        step = _bracket_step(bracket.group("body"))
        if step is None:
            return None
        steps.append(step)
        pos = bracket.end()
    return tuple(steps)


def _descendants(node: Any, out: list[Any]) -> None:
    out.append(node)
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        _descendants(child, out)


def _apply_steps(document: Any, steps: tuple[tuple[Any, ...], ...]) -> list[Any]:
    """Jayway's node-list semantics: a selector that does not fit a node's type selects nothing."""
    nodes = [document]
    for step in steps:
        kind = step[0]
        found: list[Any] = []
        for node in nodes:
            if kind == "descent":
                _descendants(node, found)
            elif kind == "wild":
                if isinstance(node, dict):
                    found.extend(node.values())
                elif isinstance(node, list):
                    found.extend(node)
            elif kind == "keys":
                if isinstance(node, dict):
                    found.extend(node[key] for key in step[1] if key in node)
            elif kind == "indices":
                if isinstance(node, list):
                    found.extend(node[i] for i in step[1] if -len(node) <= i < len(node))
            elif isinstance(node, list):  # slice
                found.extend(node[slice(step[1], step[2], step[3] or None)])
        nodes = found
    return nodes


@lru_cache(maxsize=1)
def jsonpath_ng_parser() -> Any:
    """jsonpath-ng's extended parser, built once per process (building one costs about 20 ms)."""
    from jsonpath_ng.ext import parser

    # Renamed in jsonpath-ng 1.7; the old name warns in newer releases.
    parser_class: Any = getattr(parser, "ExtendedJsonPathParser", None) or parser.ExtentedJsonPathParser
    return parser_class()


@lru_cache(maxsize=4096)
def compile_path(text: str, reference: bool = False) -> CompiledPath:
    """Compile a Path (``reference=False``) or a Reference Path (``reference=True``).

    Reference Paths (ResultPath, ItemsPath, the ``...Path`` fields of Choice and Wait, ...) may
    only name a single node: ``$``, ``.name``, ``['name']`` and ``[n]`` segments.

    >>> compile_path("$$.Execution.Id").root
    '$$'
    >>> compile_path("$.a[*]", reference=True)
    Traceback (most recent call last):
    ...
    sfnlocal.language.paths.PathSyntaxError: '$.a[*]' is not a valid Reference Path: ...
    """
    if not isinstance(text, str):
        raise PathSyntaxError(f"a path must be a string, not {type(text).__name__}")
    text_stripped = text.strip()
    root, rest = _split_root(text_stripped)
    length = rest.endswith(_LENGTH_SUFFIX) and not reference
    if length:
        rest = rest[: -len(_LENGTH_SUFFIX)]
    segments = _definite_segments(rest)
    if segments is not None:
        return CompiledPath(text, root, segments, length=length)
    if reference:
        raise PathSyntaxError(
            f"'{text}' is not a valid Reference Path: it must select a single node "
            "(no '*', '..', '[?(...)]', slices or lists)"
        )
    steps = _indefinite_steps(rest)
    if steps is not None:
        return CompiledPath(text, root, None, steps=steps, length=length)
    # Filters ([?(...)]) and anything unusual: jsonpath-ng's extended parser.
    try:
        with warnings.catch_warnings():
            # jsonpath-ng deprecates its '&' operator; a path using it still means what it says.
            warnings.simplefilter("ignore", DeprecationWarning)
            ng = jsonpath_ng_parser().parse("$" + rest)
    except Exception as exc:  # jsonpath-ng raises plain Exception subclasses of its own
        raise PathSyntaxError(f"'{text}' is not a valid JSONPath: {exc}") from None
    return CompiledPath(text, root, None, ng=ng, length=length)


def is_path(text: Any) -> bool:
    """Whether a string looks like a path (starts with ``$``).

    >>> is_path("$.a"), is_path("States.Format('x')")
    (True, False)
    """
    return isinstance(text, str) and text.startswith("$")
