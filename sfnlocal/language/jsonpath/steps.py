"""The steps of a compiled path and how each one reads a document, as Jayway JsonPath's path tokens do.

A compiled path is a chain of steps after its root (``$``, or ``@`` inside a filter). Reading walks
the chain depth first and collects every value the last step reaches, in document order. What a
step does with a node of the wrong type depends on whether every step before it is *definite*
(selects at most one node): then the mismatch is an error (:class:`PathNotFound`), otherwise that
branch of the walk just ends. A missing property at the end of a path ends its branch quietly; the
path as a whole fails only when it is definite and found nothing ("No results for path").

The position of the node being read is kept as a *trail*, a linked ``(parent, key or index)`` pair,
and only turned into text (``$['a'][0]``) for an error message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sfnlocal.language.jsonpath.errors import EvaluationFailure, IndexOutOfBounds, PathNotFound, UnreadablePath
from sfnlocal.language.jsonpath.javatext import JSON_PROVIDER, java_class, java_text

Trail = Any  # the root's text, or a (parent trail, member name or array index) pair


def _never(model: Any) -> bool:
    return False


def _always(model: Any) -> bool:
    return True


def _is_array(model: Any) -> bool:
    return isinstance(model, list)


def _is_object(model: Any) -> bool:
    return isinstance(model, dict)


def render(trail: Trail) -> str:
    """The text of a trail, as Jayway writes the current path in its messages.

    >>> render((("$", "a"), 0))
    "$['a'][0]"
    """
    parts = []
    while isinstance(trail, tuple):
        trail, key = trail
        parts.append(f"[{key}]" if isinstance(key, int) else f"['{key}']")
    parts.append(trail)
    return "".join(reversed(parts))


class Read:
    """One read of a path: the root document (what ``$`` means), the results so far, and whether every
    property must exist (Jayway's ``REQUIRE_PROPERTIES``, used by a filter's existence test)."""

    __slots__ = ("root", "results", "require", "lenient", "variables", "before_last", "array_marks")

    def __init__(
        self, root: Any, variables: Mapping[str, Any] | None, require: bool = False, before_last: str = "$"
    ) -> None:
        self.root = root
        self.results: list[Any] = []
        self.require = require
        self.lenient = False  # Jayway's SUPPRESS_EXCEPTIONS, as its property steps honour it
        self.variables = variables
        # The fragment of the path's next-to-last step, and the array index a scan last handed each step
        # (see Step.kept): Jayway's way of making '$..[0].name' read index 0 only.
        self.before_last = before_last
        self.array_marks: dict[Step, int] = {}


class Step:
    """One step of a path; :meth:`link` chains the steps, :meth:`finish` fixes what depends on the chain."""

    __slots__ = ("next", "leaf", "definite", "upstream_definite")

    def __init__(self) -> None:
        self.next: Step | None = None
        self.leaf = True
        self.definite = True
        self.upstream_definite = True

    def token_definite(self) -> bool:
        """Whether this step selects at most one node from one node."""
        return True

    def fragment(self) -> str:
        """This step's text as Jayway writes it in messages (``['a']``, ``[0]``, ``[*]``, ``[?]``, ...)."""
        raise NotImplementedError

    def source(self) -> str:
        """This step's text in a form that compiles back to the same step."""
        return self.fragment()

    def text(self) -> str:
        """The normalized text of this step and every step after it."""
        return self.fragment() + (self.next.text() if self.next is not None else "")

    def evaluate(self, trail: Trail, model: Any, read: Read) -> None:
        """Apply this step (and the rest of the chain) to ``model``, found at ``trail``."""
        raise NotImplementedError

    def scan_predicate(self, read: Read) -> Callable[[Any], bool]:
        """Which nodes a ``..`` before this step hands to it (Jayway's scan predicates); by default none."""
        return _never

    def kept(self, read: Read) -> bool:
        """Whether a member this last step reached is a result. After a scan handed this step the elements
        of a matching array (``$..[0].name``), Jayway keeps a member only when the step before it is that
        element's index; the mark stays on the step for the rest of the read."""
        mark = read.array_marks.get(self)
        return mark is None or read.before_last == f"[{mark}]"

    def emit(self, trail: Trail, value: Any, read: Read) -> None:
        """Hand a selected value on: to the results at the end of the chain, else to the next step."""
        if self.next is None:
            read.results.append(value)
        else:
            self.next.evaluate(trail, value, read)

    def emit_element(self, trail: Trail, read: Read, index: int, value: Any) -> None:
        """Hand an array element on; an index out of bounds anywhere after it ends this element's branch
        (Jayway reads an element inside a catch of ``IndexOutOfBoundsException``)."""
        try:
            self.emit((trail, index), value, read)
        except IndexOutOfBounds:
            pass


class Indefinite(Step):
    """A step that may select several nodes from one (a slice, a wildcard, a scan, a filter)."""

    __slots__ = ()

    def token_definite(self) -> bool:
        return False


def finish_chain(first: Step | None) -> None:
    """Set each step's ``leaf``, ``definite`` and ``upstream_definite`` once the chain is built."""
    upstream = True
    step = first
    while step is not None:
        step.leaf = step.next is None
        step.upstream_definite = upstream
        step.definite = step.token_definite()
        upstream = upstream and step.definite
        step = step.next


def quoted(name: str, quote: str, escape: bool) -> str:
    """A property name in a path, in the quote it was written with. Jayway writes it as it is in its
    messages; ``escape`` escapes backslashes and quotes so that the text reads back as the same name.

    >>> quoted("it's", "'", False), quoted("it's", "'", True)
    ("'it's'", "'it\\\\'s'")
    """
    if escape:
        name = name.replace("\\", "\\\\").replace("'", "\\'").replace('"', '\\"')
    return quote + name + quote


class Property(Step):
    """``.name``, ``['name']``, or ``['a','b']``: several names merge into one object at the end of a
    path, and are read one after the other anywhere else."""

    __slots__ = ("names", "quote")

    def __init__(self, names: tuple[str, ...], quote: str = "'") -> None:
        super().__init__()
        self.names = names
        self.quote = quote

    def token_definite(self) -> bool:
        return len(self.names) == 1 or self.next is None

    def fragment(self) -> str:
        return "[" + ",".join(quoted(name, self.quote, False) for name in self.names) + "]"

    def source(self) -> str:
        return "[" + ",".join(quoted(name, self.quote, True) for name in self.names) + "]"

    def scan_predicate(self, read: Read) -> Callable[[Any], bool]:
        if not self.definite:
            return _is_object
        names = self.names
        if len(names) == 1:
            name = names[0]
            return lambda model: isinstance(model, dict) and name in model
        return lambda model: isinstance(model, dict) and all(name in model for name in names)

    def evaluate(self, trail: Trail, model: Any, read: Read) -> None:
        if not isinstance(model, dict):
            if not self.upstream_definite or read.lenient:
                return
            raise PathNotFound(
                f"Expected to find an object with property {self.fragment()} in path {render(trail)} but found "
                f"'{java_class(model)}'. This is not a json object according to the JsonProvider: '{JSON_PROVIDER}'."
            )
        names = self.names
        if len(names) == 1:
            self.member(trail, model, read, names[0])
        elif self.next is None:
            self.merge(trail, model, read)
        else:
            for name in names:
                self.member(trail, model, read, name)

    def member(self, trail: Trail, model: dict[str, Any], read: Read, name: str) -> None:
        """Read one member; a missing one ends this branch or fails, by Jayway's rules."""
        here = (trail, name)
        if name in model:
            if self.next is not None or self.kept(read):
                self.emit(here, model[name], read)
        elif self.next is None:
            if read.require and not read.lenient:
                raise PathNotFound(f"No results for path: {render(here)}")
        elif not read.lenient and (read.require or (self.upstream_definite and self.definite)):
            raise PathNotFound(f"Missing property in path {render(here)}")

    def merge(self, trail: Trail, model: dict[str, Any], read: Read) -> None:
        """Several names at the end of a path: one object of those that are present."""
        merged = {}
        for name in self.names:
            if name in model:
                merged[name] = model[name]
            elif read.require:
                listed = ",".join(f"'{name}'" for name in self.names)
                raise PathNotFound(f"Missing property in path {render(trail)}[{listed}]")
        read.results.append(merged)


class ArrayStep(Step):
    """What index and slice steps share: they only apply to arrays."""

    __slots__ = ()

    def scan_predicate(self, read: Read) -> Callable[[Any], bool]:
        return _is_array

    def applies(self, trail: Trail, model: Any) -> bool:
        """Whether ``model`` is an array; a non-array ends the branch, or fails after definite steps."""
        if isinstance(model, list):
            return True
        if not self.upstream_definite:
            return False
        if model is None:
            raise PathNotFound(f"The path {render(trail)} is null")
        raise PathNotFound(
            f"Filter: {self.text()} can only be applied to arrays. Current context is: {java_text(model)}"
        )

    def item(self, trail: Trail, model: list[Any], read: Read, index: int) -> None:
        """Read one element; a negative index counts from the end; one out of range is skipped."""
        actual = index + len(model) if index < 0 else index
        if 0 <= actual < len(model):
            self.emit_element(trail, read, index, model[actual])


class Index(ArrayStep):
    """``[0]``, ``[-1]``, ``[0,2]``."""

    __slots__ = ("indexes",)

    def __init__(self, indexes: tuple[int, ...]) -> None:
        super().__init__()
        self.indexes = indexes

    def token_definite(self) -> bool:
        return len(self.indexes) == 1

    def fragment(self) -> str:
        return "[" + ",".join(map(str, self.indexes)) + "]"

    def evaluate(self, trail: Trail, model: Any, read: Read) -> None:
        if self.applies(trail, model):
            for index in self.indexes:
                self.item(trail, model, read, index)


class Slice(ArrayStep):
    """``[from:]``, ``[:to]``, ``[from:to]`` with Jayway's arithmetic: a negative ``from`` alone or ``to``
    alone counts from the end; in ``[from:to]`` only the indexes read count from the end."""

    __slots__ = ("start", "stop")

    def __init__(self, start: int | None, stop: int | None) -> None:
        super().__init__()
        self.start = start
        self.stop = stop

    def token_definite(self) -> bool:
        return False

    def fragment(self) -> str:
        start = "" if self.start is None else str(self.start)
        return f"[{start}:{'' if self.stop is None else self.stop}]"

    def evaluate(self, trail: Trail, model: Any, read: Read) -> None:
        if not self.applies(trail, model):
            return
        length = len(model)
        if self.stop is None:  # [from:]
            start = self.start if self.start is not None and self.start >= 0 else length + (self.start or 0)
            indexes = range(max(0, start), length)
        elif self.start is None:  # [:to]
            indexes = range(0, min(length, self.stop + length if self.stop < 0 else self.stop))
        else:  # [from:to]
            indexes = range(self.start, min(length, self.stop))
        if length:
            for index in indexes:
                self.item(trail, model, read, index)


class Wildcard(Indefinite):
    """``*`` or ``[*]``: every member of an object, every element of an array, nothing of anything else."""

    __slots__ = ()

    def fragment(self) -> str:
        return "[*]"

    def scan_predicate(self, read: Read) -> Callable[[Any], bool]:
        return _always

    def evaluate(self, trail: Trail, model: Any, read: Read) -> None:
        if isinstance(model, dict):
            if self.next is not None or self.kept(read):
                for key, value in model.items():
                    self.emit((trail, key), value, read)
        elif isinstance(model, list):
            for index, value in enumerate(model):
                try:
                    self.emit_element(trail, read, index, value)
                except (EvaluationFailure, UnreadablePath):
                    raise
                except PathNotFound:
                    if read.require:
                        raise


class Scan(Indefinite):
    """``..``: the next step applied at every level of the document, in Jayway's walking order."""

    __slots__ = ()

    def fragment(self) -> str:
        return ".."

    def evaluate(self, trail: Trail, model: Any, read: Read) -> None:
        target = self.next
        if target is None:  # only '$..fn()' leaves a scan with nothing after it (see the compiler)
            raise EvaluationFailure("Current path token is a leaf")
        self.walk(target, target.scan_predicate(read), trail, model, read)

    def walk(self, target: Step, matches: Callable[[Any], bool], trail: Trail, model: Any, read: Read) -> None:
        """Visit ``model`` and everything inside it, applying ``target`` where ``matches`` says."""
        if isinstance(model, dict):
            if matches(model):
                target.evaluate(trail, model, read)
            for key, value in model.items():
                if isinstance(value, (dict, list)):  # nothing inside a scalar to visit
                    self.walk(target, matches, (trail, key), value, read)
        elif isinstance(model, list):
            if matches(model):
                if target.next is None:
                    target.evaluate(trail, model, read)
                else:
                    # Jayway hands the elements of a matching array to the step after the target.
                    for index, value in enumerate(model):
                        read.array_marks[target.next] = index
                        target.next.evaluate((trail, index), value, read)
            for index, value in enumerate(model):
                if isinstance(value, (dict, list)):
                    self.walk(target, matches, (trail, index), value, read)
