"""A compiled JSONPath and how it is read, with Jayway JsonPath's result rules.

A path is *definite* when every step selects at most one node (Jayway's ``isDefinite``): reading it
gives that node's value, or fails with "No results for path: ..." when it found nothing. Any other
path gives the list of what it found, possibly empty. A path of plain names and indexes (the shape
of nearly every path in a state machine) is read by a plain loop rather than the step chain, with
the same results and messages.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from sfnlocal.language.jsonpath.errors import PathNotFound
from sfnlocal.language.jsonpath.javatext import JSON_PROVIDER, KeySet, java_class, java_text
from sfnlocal.language.jsonpath.steps import Index, Property, Read, Step, Wildcard, finish_chain, render


class JsonPath:
    """A path compiled once and read any number of times.

    >>> from sfnlocal.language.jsonpath import compile_jsonpath
    >>> p = compile_jsonpath("$.items[?(@.price > 10)].sku")
    >>> p.definite, p.read({"items": [{"sku": "A", "price": 5}, {"sku": "B", "price": 15}]})
    (False, ['B'])
    >>> compile_jsonpath("$['a','b']").read({"a": 1, "b": 2, "c": 3})
    {'a': 1, 'b': 2}
    """

    __slots__ = ("root", "steps", "variable", "definite", "text", "keys", "appends", "_before_last", "_plain")

    def __init__(self, root: str, steps: list[Step], variable: str | None = None) -> None:
        for step, following in zip(steps, steps[1:]):
            step.next = following
        finish_chain(steps[0] if steps else None)
        self.root = root  # "$" or "@"
        self.steps = tuple(steps)
        self.variable = variable  # inside a filter or an argument: the workflow variable "$name" reads
        self.definite = all(step.definite for step in steps)
        self.text = root + "".join(step.fragment() for step in steps)
        self._before_last = steps[-2].fragment() if len(steps) > 1 else root
        self.appends = False  # whether append() may change the document: then it is read from a copy
        # The names and indexes, when every step is one name or one index (a Reference Path's shape).
        self.keys = _plain_keys(steps)
        self._plain = _plain_walk(root, steps, self.keys, self.text) if self.keys is not None else None

    def __repr__(self) -> str:
        return f"JsonPath({self.text!r})"

    def read(self, document: Any, variables: Mapping[str, Any] | None = None, lenient: bool = False) -> Any:
        """The value (definite path) or list of values this path selects in ``document``.

        ``variables`` are what ``$name`` inside a filter or function argument reads. ``lenient`` reads with
        Jayway's ``SUPPRESS_EXCEPTIONS`` for properties: a missing property, or one read from a value
        that is no object, ends that branch instead of failing.
        """
        if self._plain is not None:
            return self._plain(document)
        if self.appends:
            document = copy.deepcopy(document)
            variables = copy.deepcopy(dict(variables)) if variables else variables
        read = Read(document, variables, before_last=self._before_last)
        read.lenient = lenient
        return self._collect(document, read)

    @property
    def plain_reader(self) -> Callable[[Any], Any] | None:
        """For a path of single names and indexes, the function :meth:`read` calls to read it from a document;
        else None.

        >>> from sfnlocal.language.jsonpath import compile_jsonpath
        >>> compile_jsonpath("$.a[0]").plain_reader({"a": [7]}), compile_jsonpath("$..a").plain_reader
        (7, None)
        """
        return self._plain

    def read_from(self, document: Any, read: Read, require: bool = False) -> Any:
        """Read this path from ``document`` as part of another read (a filter's operand, an argument)."""
        if self._plain is not None and not require:
            return self._plain(document)
        root = read.root if self.variable is None else document
        return self._collect(document, Read(root, read.variables, require, self._before_last))

    def origin(self, read: Read) -> Any:
        """The document this path starts from, when it is not a filter's ``@``: the root, or a variable."""
        if self.variable is None:
            return read.root
        variables = read.variables or {}
        if self.variable not in variables:
            raise PathNotFound(f"The variable '{self.variable}' is not defined")
        return variables[self.variable]

    def source(self) -> str:
        """The path written so that it compiles back to the same path (:attr:`text` is Jayway's form).

        >>> from sfnlocal.language.jsonpath import compile_jsonpath
        >>> compile_jsonpath("$.a[?(@.b > 1)].c").source()
        "$['a'][?(@.b > 1)]['c']"
        """
        return self.root + "".join(step.source() for step in self.steps)

    def with_wildcard(self) -> JsonPath:
        """This path with ``[*]`` added at its end, as Jayway's ``length(path)`` counts it: Jayway adds the step
        after deciding whether the path is definite and which step is its last, and keeps both."""
        counted = JsonPath(self.root, [*_copy_steps(self.steps), Wildcard()], self.variable)
        counted.definite = self.definite
        counted._before_last = self._before_last
        counted._plain = None
        return counted

    def _collect(self, document: Any, read: Read) -> Any:
        if self.steps:
            self.steps[0].evaluate(self.root, document, read)
        else:
            read.results.append(document)
        results = [list(result) if type(result) is KeySet else result for result in read.results]
        if not self.definite:
            return results
        if not results:
            raise PathNotFound(f"No results for path: {self.text}")
        # Jayway keeps the last result of a definite path (only a function can add more than one).
        return results[-1]


def _copy_steps(steps: tuple[Step, ...]) -> list[Step]:
    copies = [copy.copy(step) for step in steps]
    for step in copies:
        step.next = None
    return copies


def _plain_keys(steps: list[Step]) -> tuple[str | int, ...] | None:
    keys: list[str | int] = []
    for step in steps:
        if type(step) is Property and len(step.names) == 1:
            keys.append(step.names[0])
        elif type(step) is Index and len(step.indexes) == 1:
            keys.append(step.indexes[0])
        else:
            return None
    return tuple(keys)


def _plain_walk(root: str, steps: list[Step], keys: tuple[str | int, ...], text: str) -> Any:
    """A reader for a path of single names and indexes, with Jayway's results and messages (``text`` is the
    path as Jayway writes it)."""
    last = len(keys) - 1

    def trail(position: int) -> str:  # where the walk is before the step at position
        return render(_trail_of(root, keys[:position]))

    def walk(document: Any) -> Any:
        value = document
        for position, key in enumerate(keys):
            if isinstance(key, str):
                if isinstance(value, dict):
                    if key in value:
                        value = value[key]
                        continue
                    if position == last:
                        raise PathNotFound(f"No results for path: {text}")
                    raise PathNotFound(f"Missing property in path {trail(position + 1)}")
                raise PathNotFound(
                    f"Expected to find an object with property {steps[position].fragment()} in path "
                    f"{trail(position)} but found '{java_class(value)}'. This is not a json object according "
                    f"to the JsonProvider: '{JSON_PROVIDER}'."
                )
            if isinstance(value, list):
                actual = key + len(value) if key < 0 else key
                if 0 <= actual < len(value):
                    value = value[actual]
                    continue
                raise PathNotFound(f"No results for path: {text}")
            if value is None:
                raise PathNotFound(f"The path {trail(position)} is null")
            raise PathNotFound(
                f"Filter: {steps[position].text()} can only be applied to arrays. Current context is: "
                f"{java_text(value)}"
            )
        return value

    return walk


def _trail_of(root: str, keys: tuple[str | int, ...]) -> Any:
    trail: Any = root
    for key in keys:
        trail = (trail, key)
    return trail
