"""What a mocked task does when invoked: return a value, fail, or never answer.

Users build these with :func:`returns`, :func:`raises`, :func:`pending` and :func:`sequence`;
a plain value or a Python callable is accepted too (see :mod:`sfnlocal.integrations.mocks.integration`,
which turns each into an outcome of the integration interface).
``after`` delays the outcome on the execution's clock, so TimeoutSeconds and HeartbeatSeconds
can be tested without waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Outcome:
    """Base of the three outcomes; ``after`` is the virtual delay before it happens."""

    after: float = 0.0


@dataclass(frozen=True)
class Returns(Outcome):
    """The task succeeds with ``value``; ``raw`` means "the service's exact response, no envelope"."""

    value: Any
    raw: bool = False
    after: float = 0.0


@dataclass(frozen=True)
class Raises(Outcome):
    """The task fails with ``error`` and ``cause``."""

    error: str
    cause: str | None = None
    after: float = 0.0


@dataclass(frozen=True)
class Pending(Outcome):
    """The task never answers: it runs into its TimeoutSeconds/HeartbeatSeconds, or stays RUNNING."""

    after: float = 0.0


@dataclass(frozen=True)
class Submitted(Outcome):
    """A job was started and runs on: AWS records ``response`` (TaskSubmitted), then the job's end, ``then``.

    What a ``.sync`` integration returns (its ``then`` may be delayed with ``after``).
    """

    response: Any
    then: Outcome


@dataclass(frozen=True)
class Sequence:
    """One outcome per invocation of the state: the i-th invocation gets ``outcomes[i]``."""

    outcomes: tuple[Any, ...]


def returns(value: Any, *, raw: bool = False, after: float = 0) -> Returns:
    """The task returns ``value``.

    For ``arn:aws:states:::lambda:invoke`` the value is the function's payload and is wrapped in
    AWS's envelope (``Payload``, ``StatusCode``, ...) unless ``raw=True``.

    >>> returns({"ok": True}).value
    {'ok': True}
    """
    return Returns(value, raw, float(after))


def raises(error: str, cause: str | None = None, *, after: float = 0) -> Raises:
    """The task fails with this error name and cause.

    >>> raises("Lambda.TooManyRequestsException", "slow down").error
    'Lambda.TooManyRequestsException'
    """
    if not isinstance(error, str) or not error:
        raise TypeError(f"mocks.raises() needs an error name (a non-empty string), not {error!r}")
    if cause is not None and not isinstance(cause, str):
        raise TypeError(f"mocks.raises() takes a cause that is a string (or None), not {cause!r}")
    return Raises(error, cause, float(after))


def pending() -> Pending:
    """The task never answers (a callback nobody sends, a hung service).

    >>> isinstance(pending(), Pending)
    True
    """
    return Pending()


def sequence(*outcomes: Any) -> Sequence:
    """Successive invocations get successive outcomes (retries and Map iterations count).

    >>> len(sequence(raises("E"), returns(1)).outcomes)
    2
    """
    if not outcomes:
        raise TypeError("mocks.sequence() needs at least one outcome")
    return Sequence(tuple(outcomes))
