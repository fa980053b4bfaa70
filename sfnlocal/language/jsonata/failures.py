"""What the engine raised, worded as AWS words the error of a JSONata expression: ``<CODE>: <message>``.

jsonata-python raises ``JException`` with JSONata's error codes, but says "Object" where JSONata
says "function" ("Argument 1 of Object sum ..."), and some of its failures are bare Python
exceptions: those that JavaScript JSONata raises as coded errors get their code here
(``1/0`` is ``ZeroDivisionError`` in Python; JSONata's ``D1001`` "Number out of range").
"""

from __future__ import annotations

import re

from jsonata import JException

_CODE = re.compile(r"[A-Z]\d{4}")
_OBJECT = re.compile(r"\bObject\b")

# Python exceptions (exactly these types) of the engine that stand for a coded JSONata error, and the
# value its message shows.
_CODED = {
    ZeroDivisionError: ("D1001", "Infinity"),
    OverflowError: ("D1001", "Infinity"),
    ValueError: ("D3030", None),  # $number("abc"): the offending text ends the Python message
    RecursionError: ("D1011", None),
}


class FunctionProblem(Exception):
    """A failure of one of AWS's added functions that JSONata has no error code for.

    >>> describe(FunctionProblem("bad hash algorithm"))
    'bad hash algorithm'
    """


def describe(error: BaseException) -> str:
    """The ``<CODE>: <message>`` text of an engine failure (just the message when there is no code).

    >>> describe(JException("T0410", -1, 1, "sum"))
    'T0410: Argument 1 of function sum does not match function signature'
    >>> describe(ZeroDivisionError("float division by zero"))
    'D1001: Number out of range: Infinity'
    >>> describe(ValueError("could not convert string to float: 'abc'"))
    "D3030: Unable to cast value to a number: 'abc'"
    >>> describe(KeyError("!"))
    "KeyError: '!'"
    """
    if isinstance(error, JException):
        code = error.error
        if not _CODE.fullmatch(str(code)):  # some paths of the library put the message where the code goes
            return _wording(str(code))
        return f"{code}: {_wording(str(error))}"
    if isinstance(error, FunctionProblem):
        return str(error)
    coded = _CODED.get(type(error)) if isinstance(error, Exception) else None
    if coded is None:
        return f"{type(error).__name__}: {error}"
    code, value = coded
    shown = value if value is not None else str(error).rpartition(": ")[2]
    return f"{code}: {_wording(JException.msg(code, -1, shown))}"


def _wording(message: str) -> str:
    return _OBJECT.sub("function", message)
