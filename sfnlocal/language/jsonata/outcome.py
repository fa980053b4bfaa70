"""How an evaluation can end other than with a JSON value: undefined, an error, a value JSON cannot hold.

These live apart from the engine so that code which never evaluates JSONata need not import it.
"""

from __future__ import annotations


class _Undefined:
    """JSONata's "undefined": an expression that produced nothing (not even null)."""

    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False


UNDEFINED = _Undefined()
"""What ``evaluate_optional`` returns for an undefined result; JSON ``null`` is ``None``.

>>> UNDEFINED, bool(UNDEFINED), UNDEFINED is _Undefined()
(UNDEFINED, False, True)
"""


class EvaluationProblem(Exception):
    """The engine failed while evaluating; the text is AWS's ``<CODE>: <message>`` part.

    >>> str(EvaluationProblem("T1006: Attempted to invoke a non-function"))
    'T1006: Attempted to invoke a non-function'
    """


class UnsupportedResult(Exception):
    """The result holds something JSON cannot represent, such as a function.

    >>> isinstance(UnsupportedResult(), Exception)
    True
    """
