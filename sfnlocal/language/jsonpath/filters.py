"""Filters (``[?(...)]``) once compiled: a tree of conditions tested against each candidate node.

A condition is ``&&``/``||``/``!`` over comparisons; a comparison evaluates the paths on either
side (``@...`` against the candidate, ``$...`` against the root document, ``$name...`` against a
workflow variable) and compares the operands with one of :data:`~.relations.RELATIONS`. A path that
finds nothing is undefined, which compares false with everything; an error while testing a
candidate (an operand of the wrong kind, say) only means that candidate does not match, unless it
is an :class:`~.errors.EvaluationFailure`, which fails the whole read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sfnlocal.language.jsonpath.errors import EvaluationFailure, PathNotFound, UnreadablePath
from sfnlocal.language.jsonpath.javatext import java_text
from sfnlocal.language.jsonpath.operands import FALSE, TRUE, UNDEFINED, Operand, value_operand
from sfnlocal.language.jsonpath.relations import Relation
from sfnlocal.language.jsonpath.steps import Indefinite, Read, Trail


class Readable(Protocol):
    """A compiled path as a filter uses it."""

    text: str

    def read_from(self, document: Any, read: Read, require: bool = False) -> Any:
        """The path's value (definite) or list of values, read from ``document`` within ``read``."""


class Condition:
    """Something a candidate node passes or fails."""

    __slots__ = ()

    def test(self, item: Any, read: Read) -> bool:
        """Whether ``item`` passes."""
        raise NotImplementedError

    def text(self) -> str:
        """The condition written back as a filter expression."""
        raise NotImplementedError


class Junction(Condition):
    """``a || b || ...`` (any part passes) or ``a && b && ...`` (every part passes)."""

    __slots__ = ("parts", "operator")

    def __init__(self, parts: list[Condition], operator: str) -> None:
        self.parts = parts
        self.operator = operator  # "||" or "&&"

    def test(self, item: Any, read: Read) -> bool:
        passes = (part.test(item, read) for part in self.parts)
        return any(passes) if self.operator == "||" else all(passes)

    def text(self) -> str:
        return "(" + f" {self.operator} ".join(part.text() for part in self.parts) + ")"


class Negation(Condition):
    """``!(a)``."""

    __slots__ = ("part",)

    def __init__(self, part: Condition) -> None:
        self.part = part

    def test(self, item: Any, read: Read) -> bool:
        return not self.part.test(item, read)

    def text(self) -> str:
        return "!" + self.part.text()


class Side:
    """One side of a comparison: a constant operand, or a path read when the condition is tested."""

    __slots__ = ("constant", "text")

    def __init__(self, constant: Operand, text: str) -> None:
        self.constant = constant
        self.text = text

    def operand(self, item: Any, read: Read) -> Operand:
        """The operand this side stands for, for candidate ``item``."""
        return self.constant


class PathSide(Side):
    """A path in a filter: ``@...`` reads the candidate, ``$...`` the root, ``$name...`` a variable."""

    __slots__ = ("path", "reads", "exists_check", "should_exist")

    def __init__(self, path: Readable, reads: Callable[[Any, Read], Any], text: str) -> None:
        super().__init__(UNDEFINED, text)
        self.path = path
        self.reads = reads  # the document the path starts from, given the candidate and the read
        self.exists_check = False
        self.should_exist = True

    def operand(self, item: Any, read: Read) -> Operand:
        if self.exists_check:
            # Jayway tests existence from the candidate whatever the path's root, requiring every property.
            try:
                self.path.read_from(item, read, require=True)
            except (EvaluationFailure, UnreadablePath):
                raise
            except PathNotFound:
                return FALSE
            return TRUE
        try:
            return value_operand(self.path.read_from(self.reads(item, read), read))
        except (EvaluationFailure, UnreadablePath):
            raise
        except PathNotFound:
            return UNDEFINED


class Comparison(Condition):
    """``left <operator> right``, or a path alone (an existence test)."""

    __slots__ = ("left", "operator", "relation", "right")

    def __init__(self, left: Side, operator: str, relation: Relation, right: Side) -> None:
        self.left = left
        self.operator = operator
        self.relation = relation
        self.right = right

    def test(self, item: Any, read: Read) -> bool:
        return self.relation(self.left.operand(item, read), self.right.operand(item, read))

    def text(self) -> str:
        if self.operator == "EXISTS":
            absent = isinstance(self.left, PathSide) and not self.left.should_exist
            return ("!" if absent else "") + self.left.text
        return f"{self.left.text} {self.operator} {self.right.text}"


class Filter(Indefinite):
    """``[?(...)]``: an object passes or not as a whole; an array's elements pass one by one."""

    __slots__ = ("condition",)

    def __init__(self, condition: Condition) -> None:
        super().__init__()
        self.condition = condition

    def fragment(self) -> str:
        return "[?]"

    def source(self) -> str:
        inner = self.condition.text()
        return f"[?{inner}]" if inner.startswith("(") else f"[?({inner})]"

    def accepts(self, item: Any, read: Read) -> bool:
        """Whether ``item`` passes; a failure to test it (other than an evaluation failure) means it does not."""
        try:
            return self.condition.test(item, read)
        except EvaluationFailure:
            raise
        except PathNotFound:
            return False

    def scan_predicate(self, read: Read) -> Callable[[Any], bool]:
        return lambda model: self.accepts(model, read)

    def evaluate(self, trail: Trail, model: Any, read: Read) -> None:
        if isinstance(model, dict):
            if self.accepts(model, read):
                self.emit(trail, model, read)
        elif isinstance(model, list):
            for index, item in enumerate(model):
                if self.accepts(item, read):
                    self.emit_element(trail, read, index, item)
        elif self.upstream_definite:
            raise UnreadablePath(
                f"Filter: {self.text()} can not be applied to primitives. Current context is: {java_text(model)}"
            )
