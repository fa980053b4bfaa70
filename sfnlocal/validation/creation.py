"""CreateStateMachine's refusal: the ``InvalidDefinition`` error and its message, as AWS words it.

AWS joins the definition's errors into one message (recorded):
``Invalid State Machine Definition: 'CODE: message at /location, CODE: message at /location'`` (``at null``
when an error has no location). A Map ``Label`` it refuses is worded differently (recorded):
``Error=ValueError Args=['<problem>'] in definition '<the definition text>'.``, quoting the definition as
sent; a definition given as a dict is sent as its JSON text with ``", "`` and ``": "`` separators.
"""

from __future__ import annotations

import json
from typing import Any

from sfnlocal.language.errors import INVALID_DEFINITION
from sfnlocal.language.state_fields import STANDARD
from sfnlocal.validation.diagnostics import ERROR, INVALID_LABEL_NAME, Diagnostic
from sfnlocal.validation.validator import diagnose


class InvalidDefinition(ValueError):
    """CreateStateMachine's InvalidDefinition error: ``code``, AWS's ``message``, and the ERROR diagnostics."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(message)
        self.code = INVALID_DEFINITION
        self.message = message
        self.diagnostics = diagnostics


def create_state_machine_check(definition: Any, type: str = STANDARD, *, name: str | None = None) -> None:
    """Return None when CreateStateMachine would accept the definition (and ``name``, when given), else raise
    :class:`InvalidDefinition`.

    >>> create_state_machine_check({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
    >>> create_state_machine_check({"StartAt": "W", "States": {"W": {"Type": "Wait", "End": True,
    ...                                                             "Timestamp": "2016-12-05T21:29:29"}}})
    Traceback (most recent call last):
    ...
    sfnlocal.validation.creation.InvalidDefinition: Invalid State Machine Definition: \
'SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at /States/W/Timestamp'
    """
    _, found = diagnose(definition, type, name)
    errors = [problem for problem in found if problem.severity == ERROR]
    if errors:
        raise InvalidDefinition(invalid_definition_message(definition, errors), errors)


def invalid_definition_message(definition: Any, errors: list[Diagnostic]) -> str:
    """The message of CreateStateMachine's InvalidDefinition for these errors.

    >>> from sfnlocal.validation.diagnostics import error
    >>> label = error(INVALID_LABEL_NAME, "Label cannot be empty", "/States/M/Label")
    >>> print(invalid_definition_message({"Label": ""}, [label]))
    Error=ValueError Args=['Label cannot be empty'] in definition '{"Label": ""}'.
    """
    label = next((problem for problem in errors if problem.code == INVALID_LABEL_NAME), None)
    if label is not None:
        text = definition if isinstance(definition, str) else json.dumps(definition)
        return f"Error=ValueError Args={[label.message]!r} in definition '{text}'."
    parts = ", ".join(f"{problem.code}: {problem.message} at {problem.location or 'null'}" for problem in errors)
    return f"Invalid State Machine Definition: '{parts}'"
