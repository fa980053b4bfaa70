"""Definition validation as AWS does it: ValidateStateMachineDefinition and CreateStateMachine's checks.

>>> validate({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})["diagnostics"][0]["code"]
'MISSING_TRANSITION_TARGET'
>>> validate('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}')
{'result': 'OK', 'diagnostics': [], 'truncated': False}

:func:`validate` returns the API's response (``result``, ``diagnostics``, ``truncated``);
:func:`create_state_machine_check` raises :class:`InvalidDefinition` worded as CreateStateMachine's
error. Both run the same checks: the structural and compile checks sfnlocal runs when it loads a
definition, plus what only AWS's service checks (Resource ARNs, EXPRESS integration patterns, states
nothing reaches, a machine without a terminal state) and warnings. Every code is listed, with an
example, in ``docs/validation.md``.
"""

from __future__ import annotations

from typing import Any

from sfnlocal.language.state_fields import STANDARD
from sfnlocal.validation.creation import InvalidDefinition, create_state_machine_check
from sfnlocal.validation.diagnostics import ERROR, MAX_RESULTS, WARNING, response
from sfnlocal.validation.validator import diagnose

__all__ = ["ERROR", "WARNING", "InvalidDefinition", "create_state_machine_check", "validate"]


def validate(
    definition: Any,
    type: str = STANDARD,
    *,
    severity: str = ERROR,
    max_results: int = MAX_RESULTS,
    name: str | None = None,
) -> dict[str, Any]:
    """Check a definition (a dict, or JSON text) as ValidateStateMachineDefinition does.

    ``type`` is the state machine type (STANDARD or EXPRESS). As in the API, ``severity="ERROR"`` (the
    default) returns errors only and ``severity="WARNING"`` warnings too; at most ``max_results``
    (1 to 100) diagnostics are returned, and ``truncated`` says whether some were left out. ``result``
    is FAIL when there is any error, whatever is returned. ``name``, when given, is the state machine's name,
    checked as CreateStateMachine checks it (STATE_MACHINE_NAME_EMPTY, _INVALID, _TOO_LONG; the API itself
    takes no name).

    >>> loop = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "C"},
    ...     "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "IsPresent": True, "Next": "A"}],
    ...           "Default": "End"}, "End": {"Type": "Succeed"}}}
    >>> validate(loop)["result"], [d["code"] for d in validate(loop, severity="WARNING")["diagnostics"]]
    ('OK', ['LOOP_WITHOUT_WAIT'])
    """
    _, found = diagnose(definition, type, name)
    return response(found, severity, max_results)
