"""States.Format(template, values...): the template with each ``{}`` replaced by the next value."""

from __future__ import annotations

from collections.abc import Sequence
from random import Random
from typing import Any

from sfnlocal.language.intrinsics.arguments import ArgumentProblem, describe
from sfnlocal.language.intrinsics.rendering import format_text

PLACEHOLDER = "{}"


class FormatTemplate(tuple[str, ...]):
    """A template cut at its placeholders: the text before the first ``{}``, between, and after.

    A template written as a string literal is cut at compile time, where escaped braces
    (``\\{}``) are known not to be placeholders; one read from a path is cut when it is used.

    >>> FormatTemplate.split("a {} b {}")
    ('a ', ' b ', '')
    """

    @classmethod
    def split(cls, text: str) -> FormatTemplate:
        """Cut a template string at every ``{}``."""
        return cls(text.split(PLACEHOLDER))


def format_(args: Sequence[Any], rng: Random) -> str:
    """States.Format: the template (a string or a pre-cut :class:`FormatTemplate`) filled in.

    >>> format_(["Hello, my name is {}.", "Arnav"], Random(0))
    'Hello, my name is Arnav.'
    """
    template = args[0]
    if not isinstance(template, FormatTemplate):
        if not isinstance(template, str):
            raise ArgumentProblem(f"argument 1 (the template) must be a string, but it is {describe(template)}")
        template = FormatTemplate.split(template)
    values = args[1:]
    if len(values) != len(template) - 1:
        raise ArgumentProblem(
            f"the template has {len(template) - 1} placeholder(s) {PLACEHOLDER} but "
            f"{len(values)} value(s) were given to fill them"
        )
    parts = [template[0]]
    for value, piece in zip(values, template[1:]):
        parts.append(format_text(value))
        parts.append(piece)
    return "".join(parts)
