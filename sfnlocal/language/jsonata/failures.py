"""What the engine raised, worded as AWS words the error of a JSONata expression: ``<CODE>: <message>``.

jsonata-python raises ``JException`` with JSONata's error codes; its message is rendered again from
the code and the values it carries, as JSONata renders it (:mod:`sfnlocal.language.jsonata.messages`).
A few failures of the library are bare Python exceptions where JSONata raises a coded error: those
get their code here.
"""

from __future__ import annotations

import math
import re

from sfnlocal.language.jsonata.bounds import BoundExceeded
from sfnlocal.language.jsonata.library import JException
from sfnlocal.language.jsonata.messages import inserts, render

_CODE = re.compile(r"[A-Z]\d{4}")

# Python exceptions (exactly these types) of the engine that stand for a coded JSONata error, and the
# values its message shows: a number too large for a double (JSONata's "Number out of range", where
# JSON.stringify writes Infinity as null), and recursion deeper than the interpreter's stack.
_CODED: dict[type[BaseException], tuple[str, tuple[float, ...]]] = {
    OverflowError: ("D1001", (math.inf,)),
    RecursionError: ("D1011", ()),
}


class FunctionProblem(Exception):
    """A failure of one of AWS's added functions that JSONata has no error code for.

    >>> describe(FunctionProblem("bad hash algorithm"))
    'bad hash algorithm'
    """


def describe(error: BaseException) -> str:
    """The ``<CODE>: <message>`` text of an engine failure (just the message when there is no code).

    >>> describe(JException("T0410", -1, 1, "sum"))
    'T0410: Argument 1 of function "sum" does not match function signature'
    >>> describe(OverflowError("int too large to convert to float"))
    'D1001: Number out of range: null'
    >>> describe(KeyError("!"))
    "KeyError: '!'"
    """
    if isinstance(error, BoundExceeded):  # sfnlocal's own wording, under JSONata's code
        return str(error)
    if isinstance(error, JException):
        code = error.error
        if not _CODE.fullmatch(str(code)):  # some paths of the library put the message where the code goes
            return str(code)
        return f"{code}: {render(code, inserts(error))}"
    if isinstance(error, FunctionProblem):
        return str(error)
    coded = _CODED.get(type(error))
    if coded is None:
        return f"{type(error).__name__}: {error}"
    code, values = coded
    return f"{code}: {render(code, values)}"
