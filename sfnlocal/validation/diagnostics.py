"""Diagnostics as ValidateStateMachineDefinition returns them, and the codes sfnlocal emits.

AWS's codes come from the API reference (ValidateStateMachineDefinitionDiagnostic) and from answers
recorded against AWS; the ones AWS does not have are sfnlocal's own warnings, listed last. Every code
is documented, with a definition that triggers it, in ``docs/validation.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# The codes the load-time checks already give their problems (AWS's codes).
from sfnlocal.language.definition_limits import INVALID_JSON_DESCRIPTION, TOO_DEEPLY_NESTED
from sfnlocal.language.identifiers import (
    STATE_MACHINE_NAME_EMPTY,
    STATE_MACHINE_NAME_INVALID,
    STATE_MACHINE_NAME_TOO_LONG,
)
from sfnlocal.language.structure import (
    DUPLICATE_LABEL_NAME,
    DUPLICATE_STATE_NAME,
    INVALID_LABEL_NAME,
    INVALID_STATE_NAME,
    MISSING_TRANSITION_TARGET,
    SCHEMA_VALIDATION_FAILED,
)

ERROR = "ERROR"
WARNING = "WARNING"
SEVERITIES = (ERROR, WARNING)
MAX_RESULTS = 100  # AWS's default and largest maxResults

# AWS's other error codes.
MISSING_DESCRIPTION = "MISSING_DESCRIPTION"
MISSING_END_STATE = "MISSING_END_STATE"
INVALID_JSONATA_EXPRESSION = "INVALID_JSONATA_EXPRESSION"
# AWS's warning codes.
NO_DOLLAR = "NO_DOLLAR"
NO_PATH = "NO_PATH"
PASS_RESULT_IS_STATIC = "PASS_RESULT_IS_STATIC"
# sfnlocal's own warnings (AWS accepts these definitions).
NO_TERMINAL_REACHABLE = "NO_TERMINAL_REACHABLE"
LOOP_WITHOUT_WAIT = "LOOP_WITHOUT_WAIT"

# Every code sfnlocal emits (docs/validation.md shows each with a definition that triggers it).
EMITTED_CODES = (
    INVALID_JSON_DESCRIPTION,
    MISSING_DESCRIPTION,
    SCHEMA_VALIDATION_FAILED,
    MISSING_END_STATE,
    MISSING_TRANSITION_TARGET,
    DUPLICATE_STATE_NAME,
    INVALID_STATE_NAME,
    INVALID_LABEL_NAME,
    DUPLICATE_LABEL_NAME,
    INVALID_JSONATA_EXPRESSION,
    TOO_DEEPLY_NESTED,
    STATE_MACHINE_NAME_EMPTY,
    STATE_MACHINE_NAME_INVALID,
    STATE_MACHINE_NAME_TOO_LONG,
    NO_DOLLAR,
    NO_PATH,
    PASS_RESULT_IS_STATIC,
    NO_TERMINAL_REACHABLE,
    LOOP_WITHOUT_WAIT,
)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a definition; ``location`` is a JSON pointer, or None (AWS gives none for some).

    >>> Diagnostic(ERROR, MISSING_END_STATE, "Workflow has no terminal state").as_dict()
    {'severity': 'ERROR', 'code': 'MISSING_END_STATE', 'message': 'Workflow has no terminal state'}
    """

    severity: str
    code: str
    message: str
    location: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The diagnostic as the API returns it (no ``location`` key when there is none)."""
        found: dict[str, Any] = {"severity": self.severity, "code": self.code, "message": self.message}
        if self.location is not None:
            found["location"] = self.location
        return found


def error(code: str, message: str, location: str | None = None) -> Diagnostic:
    """An ERROR diagnostic.

    >>> error(SCHEMA_VALIDATION_FAILED, "These fields are required: [StartAt]", "/").location
    '/'
    """
    return Diagnostic(ERROR, code, message, location)


def warning(code: str, message: str, location: str | None = None) -> Diagnostic:
    """A WARNING diagnostic.

    >>> warning(NO_PATH, "m", "/States/F/Error").severity
    'WARNING'
    """
    return Diagnostic(WARNING, code, message, location)


def response(
    diagnostics: Iterable[Diagnostic], severity: str = ERROR, max_results: int = MAX_RESULTS
) -> dict[str, Any]:
    """ValidateStateMachineDefinition's response: ``result`` is FAIL when there is any error.

    ``severity`` is the lowest severity returned (ERROR: errors only, as AWS's default; WARNING: both);
    at most ``max_results`` diagnostics are returned, errors first, and ``truncated`` says whether any
    was left out.

    >>> found = [warning(NO_PATH, "w", "/States/F/Error"), error(MISSING_END_STATE, "e")]
    >>> response(found)
    {'result': 'FAIL', 'diagnostics': [{'severity': 'ERROR', 'code': 'MISSING_END_STATE', 'message': 'e'}], \
'truncated': False}
    >>> response(found, severity=WARNING, max_results=1)["truncated"]
    True
    """
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be {ERROR!r} or {WARNING!r}, not {severity!r}")
    if not 1 <= max_results <= MAX_RESULTS:
        raise ValueError(f"max_results must be from 1 to {MAX_RESULTS}, not {max_results!r}")
    found = list(diagnostics)
    shown = [d for d in found if d.severity == ERROR]
    if severity == WARNING:
        shown += [d for d in found if d.severity == WARNING]
    return {
        "result": "FAIL" if any(d.severity == ERROR for d in found) else "OK",
        "diagnostics": [d.as_dict() for d in shown[:max_results]],
        "truncated": len(shown) > max_results,
    }
