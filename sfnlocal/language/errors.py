"""The two kinds of failure the emulator reports.

* :class:`DefinitionError`: the definition cannot be loaded (bad JSON/YAML, a structural
  MUST of the spec broken, a malformed path or intrinsic). Raised at load, never during a run.
* :class:`StatesError`: a failure *inside* an execution, carrying an ASL error name
  (``States.Runtime``, ``States.TaskFailed``, a Lambda exception class name, ...) and a cause.
  Retry and Catch decide on these, and an uncaught one ends the execution as FAILED.

Nothing else is allowed to escape the interpreter: an unexpected Python exception inside a run is
a bug and is turned into ``States.Runtime`` by the execution loop so the user still gets a result.
"""

from __future__ import annotations

from typing import Any

# Error names AWS uses; spelled once here so every module shares the same strings.
ALL = "States.ALL"
RUNTIME = "States.Runtime"
TASK_FAILED = "States.TaskFailed"
TIMEOUT = "States.Timeout"
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
# What AWS raises when a ResultPath cannot be applied (recorded in a public thread quoting AWS:
# cdklabs/construct-hub#459), where the docs name States.ResultPathMatchFailure.
REFERENCE_PATH_CONFLICT = "States.ReferencePathConflict"
EXCEEDED_TOLERATED_FAILURE = "States.ExceedToleratedFailureThreshold"
RESULT_WRITER_FAILED = "States.ResultWriterFailed"  # a Distributed Map's ResultWriter could not write
ITEM_READER_FAILED = "States.ItemReaderFailed"  # a Distributed Map's ItemReader could not read its items
QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"

# Errors sfnlocal itself raises about the test set-up (a missing or broken mock) start with this;
# no Retry or Catch may hide them.
SFNLOCAL_ERROR_PREFIX = "sfnlocal."


def is_uncatchable(error: str | None) -> bool:
    """Errors no Retry or Catch matches, even by name: States.Runtime and sfnlocal's own.

    >>> is_uncatchable("States.Runtime"), is_uncatchable("States.TaskFailed")
    (True, False)
    """
    return error == RUNTIME or (error or "").startswith(SFNLOCAL_ERROR_PREFIX)


class StatesError(Exception):
    """A failure inside an execution, as AWS names it.

    >>> err = StatesError("States.TaskFailed", "boom")
    >>> err.error, err.cause
    ('States.TaskFailed', 'boom')
    """

    def __init__(self, error: str | None, cause: str | None = None) -> None:
        # A Fail state without Error/ErrorPath fails with no error name at all, as in AWS.
        super().__init__(f"{error}: {cause}" if cause else str(error))
        self.error = error
        self.cause = cause

    def as_output(self) -> dict[str, Any]:
        """The error output a Catcher passes on: ``{"Error": ..., "Cause": ...}``.

        >>> StatesError("E", "c").as_output()
        {'Error': 'E', 'Cause': 'c'}
        """
        out: dict[str, Any] = {}
        if self.error is not None:
            out["Error"] = self.error
        if self.cause is not None:
            out["Cause"] = self.cause
        return out

    def event_details(self) -> dict[str, Any]:
        """``error``/``cause`` as history events carry them: absent when there is none (or it is empty).

        >>> StatesError("States.Timeout", "").event_details()
        {'error': 'States.Timeout'}
        """
        details: dict[str, Any] = {}
        if self.error is not None:
            details["error"] = self.error
        if self.cause:
            details["cause"] = self.cause
        return details


class ReportedFailure(StatesError):
    """A task failure reported from outside (SendTaskFailure): its error output always has ``Error`` and
    ``Cause``, null when the report gave none (recorded from AWS).

    >>> ReportedFailure(None, None).as_output()
    {'Error': None, 'Cause': None}
    """

    def as_output(self) -> dict[str, Any]:
        return {"Error": self.error, "Cause": self.cause}


class RuntimeFailure(StatesError):
    """A ``States.Runtime``-style failure whose cause is the detail only.

    The state that was running adds AWS's prefix, "An error occurred while executing the state
    '<name>' (entered at the event id #<n>). ", because only it knows its name and event id. Raise
    this from paths, payload templates, intrinsics and Choice rules; raise :class:`StatesError`
    where the cause is already complete.

    >>> RuntimeFailure("States.Runtime", "Wait state delay is too long.").cause
    'Wait state delay is too long.'
    """


class DefinitionError(ValueError):
    """A definition that cannot be loaded, with the JSON-pointer location of the problem.

    >>> str(DefinitionError("/States/Charge card/Next", "no state is named 'Ship'"))
    "/States/Charge card/Next: no state is named 'Ship'"
    """

    def __init__(self, location: str, message: str, code: str = "SCHEMA_VALIDATION_FAILED") -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message
        self.code = code


# The API's exception for a definition it refuses (CreateStateMachine, ValidateStateMachineDefinition, TestState).
INVALID_DEFINITION = "InvalidDefinition"

# sfnlocal's own errors, about the test set-up or sfnlocal itself, never AWS's:
# a feature sfnlocal does not run yet;
UNSUPPORTED = SFNLOCAL_ERROR_PREFIX + "Unsupported"
# a Task nothing serves (no mock, no integration);
MOCK_MISSING = SFNLOCAL_ERROR_PREFIX + "MockMissing"
# a mock that cannot be used (not JSON, a sequence too short, a mock file with no response for an invocation);
MOCK_INVALID = SFNLOCAL_ERROR_PREFIX + "MockInvalid"
# an integration (a user's own) that raised instead of answering;
INTEGRATION_FAILED = SFNLOCAL_ERROR_PREFIX + "IntegrationFailed"
# a defect in sfnlocal, reported as the execution's failure rather than a traceback;
INTERNAL_ERROR = SFNLOCAL_ERROR_PREFIX + "InternalError"
# an execution that entered more states than execute()'s transition_limit (a loop that never waits);
TRANSITION_LIMIT_EXCEEDED = SFNLOCAL_ERROR_PREFIX + "TransitionLimitExceeded"
# a payload nested deeper than sfnlocal can hold (language/json_checks.py's MAX_DEPTH);
NESTING_LIMIT_EXCEEDED = SFNLOCAL_ERROR_PREFIX + "NestingLimitExceeded"
# a virtual clock that reached the last instant a timestamp can hold (9999-12-31T23:59:59.999Z).
CLOCK_EXHAUSTED = SFNLOCAL_ERROR_PREFIX + "ClockExhausted"


def pointer(*parts: object) -> str:
    """A JSON pointer built from path parts, escaped as RFC 6901 says.

    >>> pointer("States", "a/b", "Next")
    '/States/a~1b/Next'
    """
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts) if parts else "/"


def pointer_parts(location: str) -> tuple[str, ...]:
    """The parts of a JSON pointer, unescaped as RFC 6901 says (``~1`` is ``/``, ``~0`` is ``~``): the inverse of
    :func:`pointer`, which writes the root as ``/`` as AWS's diagnostics do (``""`` is the root too).

    >>> pointer_parts("/States/a~1b/Next"), pointer_parts("/"), pointer_parts("")
    (('States', 'a/b', 'Next'), (), ())
    """
    if location in ("", "/"):
        return ()
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in location.split("/")[1:])
