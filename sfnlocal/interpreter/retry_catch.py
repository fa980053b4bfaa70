"""``Retry`` and ``Catch``: which error a retrier or catcher matches, and when to try again.

AWS rules (Step Functions "Handling errors" page), applied here in one place:

* ``States.ALL`` matches every error except ``States.Runtime``. The docs also exclude
  ``States.DataLimitExceeded``, but AWS does catch it there (recorded: a Lambda result over the limit
  caught by ``States.ALL``), so sfnlocal follows AWS.
* ``States.TaskFailed`` matches every error except ``States.Timeout`` (and States.Runtime).
* ``States.Runtime`` is never retried or caught, even when named explicitly: AWS documents it as
  terminal and a recorded execution confirms that a ``Catch`` on it does not fire.
* Each retrier keeps its own attempt counter for one visit of the state. The delay before retry
  ``n`` (from 0) is ``IntervalSeconds * BackoffRate ** n``, capped by ``MaxDelaySeconds``; with
  ``JitterStrategy: FULL`` it is drawn uniformly from ``[0, delay]`` with the execution's seeded
  random source.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING, Any

from sfnlocal.language.dataflow import ResultPath
from sfnlocal.language.errors import ALL, TASK_FAILED, TIMEOUT, StatesError, is_uncatchable
from sfnlocal.language.fields import Field, compile_field
from sfnlocal.language.state_fields import JITTER_FULL
from sfnlocal.language.variables import compile_assign

if TYPE_CHECKING:
    from sfnlocal.interpreter.states.base import Visit

_DEFAULT_INTERVAL = 1
_DEFAULT_MAX_ATTEMPTS = 3
_DEFAULT_BACKOFF = 2.0


def error_matches(error_equals: tuple[str, ...], error: str | None) -> bool:
    """Whether an ``ErrorEquals`` list matches an error name, with AWS's wildcard rules.

    >>> error_matches(("States.ALL",), "Lambda.ServiceException")
    True
    >>> error_matches(("States.TaskFailed",), "States.Timeout")
    False
    """
    if is_uncatchable(error):
        return False
    if error in error_equals:
        return True
    if ALL in error_equals:
        return True
    return TASK_FAILED in error_equals and error != TIMEOUT


@dataclass(frozen=True, slots=True)
class Retrier:
    """One entry of a state's ``Retry`` array."""

    error_equals: tuple[str, ...]
    interval_seconds: float = _DEFAULT_INTERVAL
    max_attempts: int = _DEFAULT_MAX_ATTEMPTS
    backoff_rate: float = _DEFAULT_BACKOFF
    max_delay_seconds: float | None = None
    full_jitter: bool = False

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Retrier:
        """Build from the definition's object (its shape is checked by the structure module).

        >>> Retrier.from_spec({"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}).max_attempts
        2
        """
        return cls(
            error_equals=tuple(spec["ErrorEquals"]),
            interval_seconds=spec.get("IntervalSeconds", _DEFAULT_INTERVAL),
            max_attempts=spec.get("MaxAttempts", _DEFAULT_MAX_ATTEMPTS),
            backoff_rate=spec.get("BackoffRate", _DEFAULT_BACKOFF),
            max_delay_seconds=spec.get("MaxDelaySeconds"),
            full_jitter=spec.get("JitterStrategy") == JITTER_FULL,
        )

    def delay(self, attempt: int, rng: Random) -> float:
        """Seconds to wait before retry number ``attempt`` (0 for the first retry).

        >>> Retrier(("E",), interval_seconds=3, backoff_rate=1.5).delay(2, Random(0))
        6.75
        """
        seconds = self.interval_seconds * self.backoff_rate**attempt
        if self.max_delay_seconds is not None:
            seconds = min(seconds, self.max_delay_seconds)
        if self.full_jitter:
            seconds = rng.uniform(0, seconds)
        return seconds


@dataclass(frozen=True, slots=True)
class Catcher:
    """One entry of a state's ``Catch`` array."""

    error_equals: tuple[str, ...]
    next: str
    result_path: ResultPath  # JSONPath: where the error output goes in the state input
    output: Field | None = None  # JSONata: the Output sent on (default: the error output)
    assign: Field | None = None  # runs instead of the state's own Assign, on the error output

    @classmethod
    def from_spec(cls, spec: dict[str, Any], location: str, jsonata: bool = False) -> Catcher:
        """Build from the definition's object; ``ResultPath`` defaults to ``$`` (replace the input)."""
        output = (
            compile_field(spec["Output"], "Output", f"{location}/Output", True, error_output=True)
            if "Output" in spec
            else None
        )
        return cls(
            tuple(spec["ErrorEquals"]),
            spec["Next"],
            ResultPath(spec.get("ResultPath", "$"), f"{location}/ResultPath"),
            output,
            compile_assign(spec.get("Assign"), f"{location}/Assign", jsonata, error_output=True),
        )

    def output_for(self, visit: Visit, state_input: Any, error_output: dict[str, Any]) -> Any:
        """What the catcher passes to its Next state."""
        visit.assign_input = visit.error_output = error_output
        if self.output is not None:
            return self.output.evaluate(visit, None)
        return self.result_path.apply(state_input, error_output)


class RetryCounters:
    """The attempt counters of one visit of a state, one per retrier.

    ``attempts`` is how many retries each retrier has already made: 0 when the state is entered;
    TestState starts from its ``retrierRetryCount`` (the retries the retrier that matches has made).
    """

    __slots__ = ("retriers", "attempts")

    def __init__(self, retriers: tuple[Retrier, ...], attempts: int = 0) -> None:
        self.retriers = retriers
        self.attempts = [attempts] * len(retriers)

    def next_retry(self, error: StatesError, rng: Random) -> tuple[int, float | None] | None:
        """(the index of the retrier that decides on ``error``, the delay before retrying), counting the
        retry; the delay is None when that retrier has used up its attempts. None when no retrier matches.

        The first retrier whose ErrorEquals matches decides; when it has used up its attempts the
        error goes on to Catch (later retriers are not consulted, as in AWS).

        >>> counters = RetryCounters((Retrier(("A",), max_attempts=1),))
        >>> [counters.next_retry(StatesError("A"), Random(0)) for _ in range(2)]
        [(0, 1.0), (0, None)]
        >>> counters.next_retry(StatesError("B"), Random(0)) is None
        True
        """
        found = find_retrier(self.retriers, error)
        if found is None:
            return None
        index, retrier = found
        attempt = self.attempts[index]
        if attempt >= retrier.max_attempts:
            return index, None
        self.attempts[index] = attempt + 1
        return index, retrier.delay(attempt, rng)


def find_retrier(retriers: tuple[Retrier, ...], error: StatesError) -> tuple[int, Retrier] | None:
    """The first retrier whose ErrorEquals matches ``error`` and its index, if any: it alone decides
    whether the error is retried.

    >>> find_retrier((Retrier(("A",)), Retrier(("States.ALL",))), StatesError("B"))[0]
    1
    """
    for index, retrier in enumerate(retriers):
        if error_matches(retrier.error_equals, error.error):
            return index, retrier
    return None


def find_catcher(catchers: tuple[Catcher, ...], error: StatesError) -> tuple[int, Catcher] | None:
    """The first catcher whose ErrorEquals matches ``error`` and its index, if any."""
    for index, catcher in enumerate(catchers):
        if error_matches(catcher.error_equals, error.error):
            return index, catcher
    return None
