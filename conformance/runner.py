"""One case from recording to verdict: replay, normalise, compare. Never raises.

The verdict on the primary signal (status, error, cause, output) is ``pass``, ``fail`` with a
one-line reason, or ``skip`` with a reason (a recording replay cannot express: the harness's limit,
not sfnlocal's); a skip counts as not passed. A feature sfnlocal does not implement yet is a failure,
as a user would meet it. The history is judged separately:
``history`` for the event types and id links, ``details`` for the events' contents; ``n/a`` when
the recording has no history.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from conformance import replay, serve
from conformance.cases import Case, CaseFormatError
from conformance.compare import clip, compare_details, compare_links, compare_primary
from conformance.normalise import Conventions, normalise_history, normalise_result
from sfnlocal.language.errors import UNSUPPORTED

PASS, FAIL, SKIP, NOT_APPLICABLE = "pass", "fail", "skip", "n/a"
CASE_SECONDS = 30.0  # a case running longer than this is a hung interpreter, reported as a failure
# How sfnlocal says "not built yet": NotImplementedError, or an execution failing with the UNSUPPORTED
# error name. Such cases fail with the reason "unsupported: ...".


@dataclass(frozen=True)
class CaseResult:
    """The verdict on one case.

    >>> CaseResult("a", FAIL, "status: expected 'FAILED', got 'SUCCEEDED'").history
    'n/a'
    """

    id: str
    result: str
    reason: str = ""
    history: str = NOT_APPLICABLE
    history_reason: str = ""
    details: str = NOT_APPLICABLE
    features: tuple[str, ...] = ()


class CaseTimeout(BaseException):
    """Raised in a case that ran past :data:`CASE_SECONDS`.

    A BaseException, like KeyboardInterrupt, so that the interpreter's own ``except Exception``
    (which turns unexpected errors into States.Runtime) cannot swallow it and run on.
    """


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    # SIGALRM exists on Unix only, and only the main thread may set it; elsewhere no limit is set.
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise CaseTimeout(f"no result within {seconds} s")

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _failure_reason(err: BaseException) -> str:
    return clip(f"{type(err).__name__}: {err}", 200)


def unreadable(error: CaseFormatError) -> CaseResult:
    """The verdict on a case file that could not be read.

    >>> from pathlib import Path
    >>> unreadable(CaseFormatError(Path("x.json"), "not JSON")).reason
    'unreadable case file: x.json: not JSON'
    """
    return CaseResult(str(error.path), FAIL, f"unreadable case file: {error}")


def run_case(case: Case, serving: bool = False) -> CaseResult:
    """Replay ``case`` with sfnlocal and judge the result; any exception becomes a failed verdict.

    ``serving``: integrations are served by sfnlocal (:mod:`conformance.serve`) rather than replayed.
    """
    try:
        return _judge(case, serving)
    except Exception as err:  # a bug in the runner or the interpreter must not stop the run
        return CaseResult(case.id, FAIL, _failure_reason(err), features=case.features)


def _judge(case: Case, serving: bool) -> CaseResult:
    try:
        with _time_limit(CASE_SECONDS):
            replayed = serve.execute(case) if serving else replay.execute(case)
    except NotImplementedError as err:
        return CaseResult(case.id, FAIL, f"unsupported: {err}", features=case.features)
    except replay.Unreplayable as err:
        return CaseResult(case.id, SKIP, str(err), features=case.features)
    except CaseTimeout as err:
        return CaseResult(case.id, FAIL, str(err), features=case.features)
    if replayed.result.get("error") == UNSUPPORTED:
        return CaseResult(case.id, FAIL, f"unsupported: {replayed.result.get('cause')}", features=case.features)
    if replayed.unrecorded:
        names = ", ".join(sorted(set(replayed.unrecorded)))
        return CaseResult(
            case.id, SKIP, f"Task state(s) {names} ran; the recording has no result for them", features=case.features
        )
    conventions = Conventions.of(case.meta).with_replacements(replayed.replacements)
    mismatch = compare_primary(
        normalise_result(case.expected, conventions), normalise_result(replayed.result, conventions)
    )
    reason = str(mismatch) if mismatch else ""
    if mismatch and replayed.setup_errors:
        reason += f" (setup call failed: {replayed.setup_errors[0]})"
    history, history_reason, details = _judge_history(case, replayed.history, conventions)
    verdict = FAIL if mismatch else PASS
    return CaseResult(case.id, verdict, reason, history, history_reason, details, case.features)


def _judge_history(case: Case, events: list[dict[str, Any]], conventions: Conventions) -> tuple[str, str, str]:
    """(history verdict, its reason, details verdict)."""
    if not case.history:
        return NOT_APPLICABLE, "", NOT_APPLICABLE
    expected = normalise_history(case.history, conventions)
    got = normalise_history(events, conventions)
    broken_link = compare_links(expected, got)
    if broken_link:
        return FAIL, broken_link, FAIL
    different = compare_details(expected, got, conventions.skipped)
    return PASS, different or "", FAIL if different else PASS
