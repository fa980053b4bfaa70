"""JSONPath as Step Functions evaluates it: Paths, Reference Paths, ``$$`` and ``$variable`` roots.

Every path in a definition is compiled once, at load, by :func:`compile_path`. A compiled path
knows its *root* (the state input ``$``, the context object ``$$``, or a workflow variable
``$name``) and reads the rest as Jayway JsonPath does (:mod:`sfnlocal.language.jsonpath`, AWS's
library): ``$$.Execution.Id`` is ``$.Execution.Id`` read from the context object, ``$limit.max`` is
``$.max`` read from the variable ``limit``. A path is *definite* (Jayway's rule: every step selects
at most one node) or *indefinite* (wildcards, slices, filters, ``..``, several indexes: the result is a
list).

A definite path that finds nothing raises :class:`PathNotFound` with Jayway's wording, which AWS
quotes (``No results for path: $['a']``, ``Missing property in path $['a']``); each caller turns it
into the States.Runtime cause AWS uses for its field. An indefinite path gives ``[]`` where a
property along it is missing or is not an object (AWS, recorded: ``$.item.items[1:5]`` on ``{}``
gives ``[]``, where Jayway's default settings fail with "Missing property in path"). AWS reads
indefinite paths as Jayway does with ``SUPPRESS_EXCEPTIONS`` for properties; a slice or index applied
to a value that is no array still fails, as LocalStack reports from AWS for ``$[1:]`` on an object
(localstack/localstack#12366) - an inference, not a recording.

Reference Paths (ResultPath, ItemsPath, Choice ``Variable``, the ``...Path`` fields of Wait and Task)
may only name one node: ``.name``, ``['name']`` and ``[n]`` steps (AWS docs, "Reference Paths": no
``@ .. , : ? *``, no functions).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sfnlocal.language import jsonpath
from sfnlocal.language.jsonpath import InvalidPath, PathNotFound

if TYPE_CHECKING:
    from sfnlocal.language.jsonpath import JsonPath

__all__ = ["ROOT_CONTEXT", "ROOT_INPUT", "CompiledPath", "PathNotFound", "PathSyntaxError", "Scope", "compile_path"]

ROOT_INPUT = "$"
ROOT_CONTEXT = "$$"
# Any other root is a workflow variable name.

_VARIABLE_ROOT = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class PathSyntaxError(ValueError):
    """A path that cannot be compiled; the message says what is wrong.

    >>> err = PathSyntaxError("$.a[]", "JSONPath", "cannot be read as Jayway JsonPath reads paths: ...")
    >>> str(err)
    "'$.a[]' cannot be read as Jayway JsonPath reads paths: ..."
    >>> err.for_field("InputPath")
    "Value must be a valid JSONPath: InputPath '$.a[]' cannot be read as Jayway JsonPath reads paths: ..."
    """

    def __init__(self, text: str, kind: str, reason: str) -> None:
        super().__init__(f"'{text}' {reason}")
        self.text = text
        self.kind = kind  # "JSONPath" or "Reference Path"
        self.reason = reason

    def for_field(self, field: str) -> str:
        """The problem as a definition error names it, with AWS's first words ("Value must be a valid
        JSONPath", quoted from an AWS refusal in aws-cloudformation/cfn-lint#4078)."""
        return f"Value must be a valid {self.kind}: {field} '{self.text}' {self.reason}"


class Scope:
    """What a path can read: the state input, the context object and the visible variables.

    The context object may be given as ``make_context``, a function called the first time a ``$$`` path
    reads it: building it (timestamps as text) costs more than most of a visit, and few states read it.

    >>> scope = Scope({"a": 1}, make_context=lambda: {"State": {"Name": "P"}})
    >>> scope.input, scope.context
    ({'a': 1}, {'State': {'Name': 'P'}})
    """

    __slots__ = ("input", "variables", "_context", "_make_context")

    def __init__(
        self,
        input: Any,
        context: Any = None,
        variables: Any = None,  # a Mapping of name -> value, or None where no variable is visible
        make_context: Callable[[], Any] | None = None,
    ) -> None:
        self.input = input
        self.variables = variables
        self._context = context
        self._make_context = make_context

    @property
    def context(self) -> Any:
        """The context object (``$$``), made on first reading when the scope was given ``make_context``."""
        if self._make_context is not None:
            self._context, self._make_context = self._make_context(), None
        return self._context


class CompiledPath:
    """A path compiled once; :meth:`evaluate` reads it from a :class:`Scope`.

    >>> p = compile_path("$.order.items[0].sku")
    >>> p.definite, p.evaluate(Scope({"order": {"items": [{"sku": "A"}]}}))
    (True, 'A')
    >>> compile_path("$.items[?(@.id > 1)].id").evaluate(Scope({"items": [{"id": 1}, {"id": 2}]}))
    [2]
    >>> compile_path("$$.Execution.Id").evaluate(Scope({}, {"Execution": {"Id": "arn:x"}}))
    'arn:x'
    """

    __slots__ = ("text", "root", "segments", "definite", "input_reader", "_path")

    def __init__(self, text: str, root: str, path: JsonPath) -> None:
        self.text = text
        self.root = root
        self.definite = path.definite
        self._path = path
        # The names and indexes of a Reference Path (a path of single names and indexes), else None.
        self.segments = path.keys
        # For such a path into the input, what :meth:`evaluate` calls on the input: a template calls it directly.
        self.input_reader = path.plain_reader if root == ROOT_INPUT else None

    def __repr__(self) -> str:
        return f"CompiledPath({self.text!r})"

    def evaluate(self, scope: Scope) -> Any:
        """The value (definite path) or list of values (indefinite path) this path selects."""
        if self.root == ROOT_INPUT:
            document = scope.input
        elif self.root == ROOT_CONTEXT:
            document = scope.context
        else:
            variables = scope.variables or {}
            if self.root not in variables:
                raise PathNotFound(f"The variable '{self.root}' is not defined")
            document = variables[self.root]
        if self.definite:
            return self._path.read(document, scope.variables)
        return self._path.read(document, scope.variables, lenient=True)

    def exists(self, scope: Scope) -> bool:
        """Whether a definite path selects a node (Choice ``IsPresent``); whether an indefinite one selects any."""
        try:
            value = self.evaluate(scope)
        except PathNotFound:
            return False
        return self.definite or value != []


def _split_root(text: str) -> tuple[str, str] | None:
    """The root (``$``, ``$$`` or a variable's name) and the rest of the path after it."""
    if text.startswith("$$"):
        return ROOT_CONTEXT, text[2:]
    match = _VARIABLE_ROOT.match(text)
    if match:
        return match.group(1), text[match.end() :]
    if text.startswith("$"):
        return ROOT_INPUT, text[1:]
    return None


@lru_cache(maxsize=4096)
def compile_path(text: str, reference: bool = False) -> CompiledPath:
    """Compile a Path (``reference=False``) or a Reference Path (``reference=True``).

    >>> compile_path("$$.Execution.Id").root
    '$$'
    >>> compile_path("$.a[*]", reference=True)
    Traceback (most recent call last):
    ...
    sfnlocal.language.paths.PathSyntaxError: '$.a[*]' is not a valid Reference Path: ...
    >>> compile_path("$.a[?(@.b ==]")
    Traceback (most recent call last):
    ...
    sfnlocal.language.paths.PathSyntaxError: '$.a[?(@.b ==]' cannot be read as Jayway JsonPath reads paths: ...
    """
    kind = "Reference Path" if reference else "JSONPath"
    if not isinstance(text, str):
        raise PathSyntaxError(str(text), kind, f"must be a string, not {type(text).__name__}")
    split = _split_root(text)
    if split is None:
        raise PathSyntaxError(text, kind, "must start with '$'")
    root, rest = split
    try:
        path = jsonpath.compile_jsonpath("$" + rest)
    except InvalidPath as err:
        raise PathSyntaxError(text, kind, f"cannot be read as Jayway JsonPath reads paths: {err}") from None
    compiled = CompiledPath(text, root, path)
    if reference and compiled.segments is None:
        raise PathSyntaxError(
            text,
            kind,
            "is not a valid Reference Path: it must select a single node, with '.name', \"['name']\" and "
            "'[index]' steps only (no '*', '..', '[?(...)]', slices, lists or functions: AWS docs, Reference Paths)",
        )
    return compiled
