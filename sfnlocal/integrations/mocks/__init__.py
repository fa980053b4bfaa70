"""Mocks for Task states: what each task returns, raises, or whether it answers at all.

>>> from sfnlocal import mocks
>>> mocks.sequence(mocks.raises("Lambda.TooManyRequestsException"), mocks.returns({"ok": True}))
Sequence(outcomes=(Raises(error='Lambda.TooManyRequestsException', cause=None, after=0.0), \
Returns(value={'ok': True}, raw=False, after=0.0)))
"""

from sfnlocal.integrations.lambda_ import LambdaContext
from sfnlocal.integrations.mocks.outcomes import (
    Outcome,
    Pending,
    Raises,
    Returns,
    Sequence,
    pending,
    raises,
    returns,
    sequence,
)

__all__ = [
    "LambdaContext",
    "Outcome",
    "Pending",
    "Raises",
    "Returns",
    "Sequence",
    "pending",
    "raises",
    "returns",
    "sequence",
]
