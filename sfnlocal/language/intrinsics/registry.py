"""The 18 intrinsic functions by name, with how many arguments each takes.

>>> FUNCTIONS["States.MathRandom"].accepts(3), FUNCTIONS["States.UUID"].accepts(1)
(True, False)
>>> len(FUNCTIONS)
18
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from random import Random
from typing import Any

from sfnlocal.language.intrinsics import (
    arrays,
    encoding,
    generic,
    hashing,
    identifiers,
    json_functions,
    math_functions,
    strings,
)

Implementation = Callable[[Sequence[Any], Random], Any]
FORMAT = "States.Format"


@dataclass(frozen=True, slots=True)
class Signature:
    """A function's name, its argument count range (``max_args`` None: no limit) and its code."""

    name: str
    min_args: int
    max_args: int | None
    implementation: Implementation

    def accepts(self, count: int) -> bool:
        """Whether ``count`` arguments are allowed."""
        return self.min_args <= count and (self.max_args is None or count <= self.max_args)

    def arity_text(self) -> str:
        """The allowed counts in words: 'exactly 2 arguments', 'at least 1 argument', ...

        >>> FUNCTIONS["States.MathRandom"].arity_text()
        '2 or 3 arguments'
        """
        plural = "" if (self.max_args or self.min_args) == 1 else "s"
        if self.max_args is None:
            return f"at least {self.min_args} argument{plural}"
        if self.max_args == self.min_args:
            return f"exactly {self.min_args} argument{plural}"
        return f"{self.min_args} or {self.max_args} arguments"


FUNCTIONS: dict[str, Signature] = {
    signature.name: signature
    for signature in (
        Signature(FORMAT, 1, None, generic.format_),
        Signature("States.StringToJson", 1, 1, json_functions.string_to_json),
        Signature("States.JsonToString", 1, 1, json_functions.json_to_string),
        Signature("States.Array", 0, None, arrays.array),
        Signature("States.ArrayPartition", 2, 2, arrays.array_partition),
        Signature("States.ArrayContains", 2, 2, arrays.array_contains),
        Signature("States.ArrayRange", 3, 3, arrays.array_range),
        Signature("States.ArrayGetItem", 2, 2, arrays.array_get_item),
        Signature("States.ArrayLength", 1, 1, arrays.array_length),
        Signature("States.ArrayUnique", 1, 1, arrays.array_unique),
        Signature("States.Base64Encode", 1, 1, encoding.base64_encode),
        Signature("States.Base64Decode", 1, 1, encoding.base64_decode),
        Signature("States.Hash", 2, 2, hashing.hash_),
        Signature("States.JsonMerge", 3, 3, json_functions.json_merge),
        Signature("States.MathRandom", 2, 3, math_functions.math_random),
        Signature("States.MathAdd", 2, 2, math_functions.math_add),
        Signature("States.StringSplit", 2, 2, strings.string_split),
        Signature("States.UUID", 0, 0, identifiers.uuid4),
    )
}
NAMES = frozenset(FUNCTIONS)
