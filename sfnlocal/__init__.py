"""sfnlocal: run AWS Step Functions state machines offline, in-process, on a virtual clock.

>>> from sfnlocal import StateMachine, mocks
>>> sm = StateMachine.from_dict({"StartAt": "Charge", "States": {
...     "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
...                "OutputPath": "$.Payload", "End": True}}})
>>> sm.execute({}, mocks={"Charge": mocks.returns({"charged": True})}).output
{'charged': True}

Everything a user needs is importable from here. Validation, TestState, templates, mock-file tests, the Lambda
functions' runtime, the mocks' checks and the testing helpers are imported on first use, so that ``import sfnlocal``
stays fast (and so that the pytest plugin can register the assertions for rewriting before they are imported).
"""

from __future__ import annotations

import sys
from typing import Any

from sfnlocal.integrations import compose, mocks
from sfnlocal.integrations.aws.guard import AwsRequestRefused
from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.interpreter.callbacks import TaskTokenError
from sfnlocal.interpreter.integration import (
    AwaitExecution,
    AwaitToken,
    AwaitWorker,
    Failure,
    Integration,
    NeverAnswers,
    Outcome,
    Result,
    Submitted,
    TaskRequest,
)
from sfnlocal.interpreter.journal import Journal
from sfnlocal.interpreter.registry import registry_scope
from sfnlocal.interpreter.result import ExecutionResult, StateRecord
from sfnlocal.language.errors import DefinitionError, StatesError
from sfnlocal.language.lazy_names import import_lazily, names_with_lazy
from sfnlocal.state_machine import StateMachine

# ``sfnlocal.mocks`` is public under that name: ``import sfnlocal.mocks`` and ``from sfnlocal.mocks import
# returns`` work as ``from sfnlocal import mocks`` does (the module lives with the other integrations).
sys.modules.setdefault(f"{__name__}.mocks", mocks)

# Public names defined in modules that are imported when first used: name -> module.
_LAZY = {
    "validate": "sfnlocal.validation",
    "create_state_machine_check": "sfnlocal.validation",
    "InvalidDefinition": "sfnlocal.validation",
    "test_state": "sfnlocal.teststate",
    "TestStateError": "sfnlocal.teststate",
    "load_template": "sfnlocal.templates",
    "functions_from_template": "sfnlocal.templates",
    "TemplateError": "sfnlocal.templates",
    "functions_from_mapping": "sfnlocal.integrations.lambda_functions.mapping",
    "LambdaFunction": "sfnlocal.integrations.lambda_functions",
    "LambdaFunctions": "sfnlocal.integrations.lambda_functions",
    "MockKeyError": "sfnlocal.integrations.mocks.keys",
    "load_mock_config": "sfnlocal.integrations.mock_config",
    "load_suite": "sfnlocal.testing.mock_tests",
    "assert_caught": "sfnlocal.testing",
    "assert_failed": "sfnlocal.testing",
    "assert_path": "sfnlocal.testing",
    "assert_retries": "sfnlocal.testing",
    "assert_state_output": "sfnlocal.testing",
    "assert_succeeded": "sfnlocal.testing",
    "describe_run": "sfnlocal.testing",
    "json_differences": "sfnlocal.testing",
    "execution_inputs": "sfnlocal.testing",
    "fault_errors": "sfnlocal.testing",
    "json_values": "sfnlocal.testing",
    "persisting": "sfnlocal.testing",
    "task_outcomes": "sfnlocal.testing",
    "UNEXPECTED_ERRORS": "sfnlocal.testing",
    "ReplayReport": "sfnlocal.replay",
    "RecordedExecution": "sfnlocal.replay",
    "replay_cases": "sfnlocal.testing",
    "assert_replays_same": "sfnlocal.testing",
}

__all__ = [
    "AwaitExecution",
    "AwaitToken",
    "AwaitWorker",
    "AwsRequestRefused",
    "AwsWorld",
    "DefinitionError",
    "ExecutionResult",
    "Failure",
    "Integration",
    "Journal",
    "NeverAnswers",
    "Outcome",
    "Result",
    "StateMachine",
    "StateRecord",
    "StatesError",
    "Submitted",
    "TaskRequest",
    "TaskTokenError",
    "compose",
    "mocks",
    "registry_scope",
    *_LAZY,
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """The public names whose modules are imported on first use (see ``_LAZY``)."""
    return import_lazily(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    return names_with_lazy(globals(), _LAZY)
