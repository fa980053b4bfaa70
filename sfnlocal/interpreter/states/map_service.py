"""A Distributed Map's own service calls: reading its items (``ItemReader``) and writing its results
(``ResultWriter``) go through the execution's integration, as a Task's call does, so that the in-process S3
(or a mock of the reader, or the user's own integration) serves them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.integration import Failure, Result, invoke_guarded
from sfnlocal.language.errors import MOCK_INVALID, MOCK_MISSING, StatesError
from sfnlocal.language.resources import parse_resource

if TYPE_CHECKING:
    from sfnlocal.interpreter.states.base import Visit

ITEM_READER = "ItemReader"
RESULT_WRITER = "ResultWriter"


def call_service(visit: Visit, part: str, resource_arn: str, arguments: Any) -> Any:
    """What the integration answers for the Map's ``part`` (ItemReader or ResultWriter) calling
    ``resource_arn`` with ``arguments``: the value of a Result; a Failure is raised as the StatesError it is.

    Such a call answers at once (a delayed or waiting outcome is refused with ``sfnlocal.MockInvalid``).
    """
    execution = visit.frame.execution
    state_name = visit.state.name
    request = execution.task_request(state_name, parse_resource(resource_arn), arguments, None, part)
    outcome = invoke_guarded(execution.integration, request)
    if outcome is None:
        raise StatesError(
            MOCK_MISSING,
            f"Map state '{state_name}': its {part} calls {resource_arn}, which nothing serves; "
            + (
                f"seed the data in the execution's AWS world, or pass mocks={{'{state_name}': mocks.returns(...)}} "
                "with the items (or the object's text) to execute()"
                if part == ITEM_READER
                else "sfnlocal writes results to the in-process S3 unless an integration answers it"
            ),
        )
    if isinstance(outcome, Failure):
        raise StatesError(outcome.error, outcome.cause)
    if not isinstance(outcome, Result) or outcome.after:
        raise StatesError(
            MOCK_INVALID,
            f"Map state '{state_name}': its {part} got {outcome!r}; a Distributed Map's {part} is answered at once "
            "with a Result or a Failure",
        )
    return outcome.value
