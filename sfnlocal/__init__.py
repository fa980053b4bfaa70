"""sfnlocal: run AWS Step Functions state machines offline, in-process, on a virtual clock.

>>> from sfnlocal import StateMachine, mocks
>>> sm = StateMachine.from_dict({"StartAt": "Charge", "States": {
...     "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
...                "OutputPath": "$.Payload", "End": True}}})
>>> sm.execute({}, mocks={"Charge": mocks.returns({"charged": True})}).output
{'charged': True}
"""

from sfnlocal.integrations import mocks
from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.interpreter.callbacks import TaskTokenError
from sfnlocal.interpreter.machine import StateMachine
from sfnlocal.interpreter.result import ExecutionResult, StateRecord
from sfnlocal.language.errors import DefinitionError, StatesError

__all__ = [
    "AwsWorld",
    "DefinitionError",
    "ExecutionResult",
    "StateMachine",
    "StateRecord",
    "StatesError",
    "TaskTokenError",
    "mocks",
]
__version__ = "0.1.0"
