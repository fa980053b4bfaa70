"""The checks AWS applies to a TestState request once the state under test is known.

In this order: what a mock may go with (not ``revealSecrets``; only a Task, Map or Parallel state);
what needs a mock (``mapIterationFailureCount``, ``context``, a Map or Parallel state, an activity, a
``.sync`` or ``.waitForTaskToken`` integration); a Task without a mock needs ``roleArn``; the context
object; the mocked result (the shape a Map or Parallel state's result has, a Task's result against its
API as ``fieldValidationMode`` asks).

Recorded from AWS: the refusals of ``revealSecrets`` and ``mapIterationFailureCount`` (which comes before
the refusal of a Map state without a mock), of a mock for a Pass, Succeed or Fail state, of a Map or
Parallel state without a mock (``InvalidDefinition``, one message for both; LocalStack's
test_state_mock_validation.snapshot.json, recorded 2025-12-10 and 2026-02-25) and of a Task without a
mock or ``roleArn``. Not recorded: the refusals of ``context``, an activity, a ``.sync`` or
``.waitForTaskToken`` integration without a mock; sfnlocal words them after the recorded
``mapIterationFailureCount`` one.
"""

from __future__ import annotations

from sfnlocal.interpreter.states.base import State
from sfnlocal.interpreter.states.task import TaskState
from sfnlocal.language.errors import INVALID_DEFINITION
from sfnlocal.language.resources import ACTIVITY, SYNC, SYNC2, WAIT_FOR_TASK_TOKEN
from sfnlocal.teststate.composite import check_composite_mock
from sfnlocal.teststate.context import check_context
from sfnlocal.teststate.errors import TestStateError, refused
from sfnlocal.teststate.mock_schema import check_mock_result
from sfnlocal.teststate.request import TestRequest

_MOCKABLE_TYPES = ("Task", "Map", "Parallel")
_COMPOSITE_TYPES = ("Map", "Parallel")
# AWS's message, word for word, whether the state is a Map or a Parallel state (recorded).
COMPOSITE_WITHOUT_MOCK = (
    "TestState API does not support Map or Parallel states. Supported state types include: "
    "[Task, Wait, Pass, Succeed, Fail, Choice]"
)
_PATTERNS = {
    SYNC: "the .sync integration pattern",
    SYNC2: "the .sync:2 integration pattern",
    WAIT_FOR_TASK_TOKEN: "the .waitForTaskToken integration pattern",
}


def check_request(request: TestRequest, state: State) -> None:
    """Raise :class:`~sfnlocal.teststate.errors.TestStateError` where AWS refuses the request."""
    mock = request.mock
    if mock is not None:
        if request.reveal_secrets:
            raise refused("TestState does not support RevealSecrets when a mock is specified.")
        if state.type_name not in _MOCKABLE_TYPES:
            raise refused(f"State type '{state.type_name}' is not supported when a mock is specified")
    else:
        if request.configuration.map_iteration_failure_count is not None:
            raise refused("TestState does not support MapIterationFailureCount when a mock is not specified.")
        if request.context is not None:
            raise refused("TestState does not support Context when a mock is not specified.")
        if state.type_name in _COMPOSITE_TYPES:
            raise TestStateError(INVALID_DEFINITION, COMPOSITE_WITHOUT_MOCK)
        needs_mock = _needs_mock(state)
        if needs_mock is not None:
            raise refused(f"TestState does not support {needs_mock} when a mock is not specified.")
        if isinstance(state, TaskState) and not request.role_arn:
            raise refused("RoleArn must be specified when testing a Task state")
    if request.context is not None:
        check_context(request.context, state)
    if mock is not None:
        check_composite_mock(state, mock)
        if isinstance(state, TaskState) and not mock.fails:
            check_mock_result(state.resource, mock.result, mock.field_validation_mode)


def _needs_mock(state: State) -> str | None:
    """Why a Task runs only with a mock (an activity, a .sync or .waitForTaskToken integration), in words;
    None when it runs without one.

    >>> from sfnlocal.interpreter.model import Definition
    >>> task = Definition({"StartAt": "T", "States": {"T": {"Type": "Task", "End": True,
    ...     "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken"}}}).root.states["T"]
    >>> _needs_mock(task)
    'the .waitForTaskToken integration pattern'
    """
    if isinstance(state, TaskState):
        if state.resource.kind == ACTIVITY:
            return "Activity tasks"
        return _PATTERNS.get(state.resource.pattern)
    return None
