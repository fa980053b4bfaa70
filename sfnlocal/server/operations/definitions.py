"""ValidateStateMachineDefinition and TestState: a definition checked or one state run, with no machine created."""

from __future__ import annotations

from typing import Any

from sfnlocal.language.state_fields import STANDARD
from sfnlocal.server.api import ApiError
from sfnlocal.server.engine import Engine
from sfnlocal.server.operations.common import engine_operation
from sfnlocal.teststate import test_state as run_test_state
from sfnlocal.teststate.errors import TestStateError
from sfnlocal.validation import ERROR, validate
from sfnlocal.validation.diagnostics import MAX_RESULTS


@engine_operation("ValidateStateMachineDefinition")
def validate_state_machine_definition(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Check a definition as AWS's ValidateStateMachineDefinition does (``maxResults`` 0: the default, 100)."""
    return validate(
        request["definition"],
        request.get("type", STANDARD),
        severity=request.get("severity", ERROR),
        max_results=request.get("maxResults") or MAX_RESULTS,
    )


@engine_operation("TestState")
def test_state(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Run one state as AWS's TestState does, in this engine's account and region."""
    try:
        return run_test_state(request, account=engine.account, region=engine.region)
    except TestStateError as err:
        raise ApiError(err.code, err.message) from None


test_state.__test__ = False  # type: ignore[attr-defined]  # an operation, not a pytest test
