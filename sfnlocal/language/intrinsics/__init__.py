"""The ``States.*`` intrinsic functions of JSONPath states, as AWS runs them.

>>> from random import Random
>>> from sfnlocal.language.intrinsics import compile_intrinsic
>>> from sfnlocal.language.paths import Scope
>>> f = compile_intrinsic("States.Format('Hello, {}!', $.name)")
>>> f.evaluate(Scope({"name": "Arnav"}), Random(0))
'Hello, Arnav!'

See ``docs/intrinsics.md`` for the 18 functions.

Only :func:`is_intrinsic` is defined here: the compiler, the parser and the functions are imported when first
asked for (they cost much to import, and a definition without intrinsic functions needs none of them).
"""

from __future__ import annotations

import re
from typing import Any

from sfnlocal.language.lazy_names import import_lazily, names_with_lazy

__all__ = ["CompiledIntrinsic", "IntrinsicSyntaxError", "compile_intrinsic", "is_intrinsic"]

# The public names defined in modules imported on first use: name -> module.
_LAZY = {
    "CompiledIntrinsic": "sfnlocal.language.intrinsics.compiler",
    "compile_intrinsic": "sfnlocal.language.intrinsics.compiler",
    "IntrinsicSyntaxError": "sfnlocal.language.intrinsics.parser",
}

_LOOKS_INTRINSIC = re.compile(r"\s*States\.")


def is_intrinsic(text: Any) -> bool:
    """Whether a string is meant as an intrinsic function call (it starts with ``States.``).

    Malformed calls count too, so that compiling them reports what is wrong with them.

    >>> is_intrinsic("States.Format('{}', $.a)"), is_intrinsic("$.a"), is_intrinsic(7)
    (True, False, False)
    """
    return isinstance(text, str) and _LOOKS_INTRINSIC.match(text) is not None


def __getattr__(name: str) -> Any:
    """The public names whose modules are imported on first use (see ``_LAZY``)."""
    return import_lazily(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    return names_with_lazy(globals(), _LAZY)
