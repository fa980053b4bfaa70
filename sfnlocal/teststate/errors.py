"""TestState's refusals: AWS's exception codes, and messages worded as AWS words them."""

from __future__ import annotations

from sfnlocal.language.errors import INVALID_DEFINITION

VALIDATION = "ValidationException"
INVALID_EXECUTION_INPUT = "InvalidExecutionInput"


class TestStateError(Exception):
    """A TestState request AWS refuses: ``code`` is AWS's exception name, ``message`` its message.

    >>> err = TestStateError(VALIDATION, "State not found in definition")
    >>> err.code, str(err)
    ('ValidationException', 'ValidationException: State not found in definition')
    """

    __test__ = False  # not a pytest test class, despite its name

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def refused(message: str) -> TestStateError:
    """A ``ValidationException``, the code of almost every refusal.

    >>> refused("Mocked result must be an array.").code
    'ValidationException'
    """
    return TestStateError(VALIDATION, message)


def constraint_refused(field: str, value: object, constraint: str) -> TestStateError:
    """AWS's wording for a request field that breaks a constraint of the API model.

    >>> constraint_refused("inspectionLevel", "ALL", "Member must satisfy enum value set: [INFO, DEBUG, TRACE]").message
    "1 validation error detected: Value 'ALL' at 'inspectionLevel' failed to satisfy constraint: Member must \
satisfy enum value set: [INFO, DEBUG, TRACE]"
    >>> constraint_refused("definition", None, "Member must not be null").message
    "1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null"
    """
    shown = "null" if value is None else f"'{value}'"
    return refused(
        f"1 validation error detected: Value {shown} at '{field}' failed to satisfy constraint: {constraint}"
    )


def invalid_definition(code: str, detail: str) -> TestStateError:
    """AWS's refusal of a definition: the diagnostic's code and message (with its location, if any).

    >>> invalid_definition("SCHEMA_VALIDATION_FAILED", "Value cannot be empty at /States/StateName/Branches").message
    "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/StateName/Branches'"
    """
    return TestStateError(INVALID_DEFINITION, f"Invalid State Machine Definition: '{code}: {detail}'")
