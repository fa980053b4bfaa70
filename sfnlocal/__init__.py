"""sfnlocal: run AWS Step Functions state machines offline, in-process, on a virtual clock.

>>> from sfnlocal import StateMachine, mocks
>>> sm = StateMachine.from_dict({"StartAt": "Charge", "States": {
...     "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
...                "OutputPath": "$.Payload", "End": True}}})
>>> sm.execute({}, mocks={"Charge": mocks.returns({"charged": True})}).output
{'charged': True}
"""

from sfnlocal import mocks
from sfnlocal.emulator.callbacks import TaskTokenError
from sfnlocal.emulator.errors import DefinitionError, StatesError
from sfnlocal.emulator.machine import StateMachine
from sfnlocal.emulator.result import ExecutionResult, StateRecord
from sfnlocal.mocks.services.world import AwsWorld

__all__ = ["AwsWorld", "DefinitionError", "ExecutionResult", "StateMachine", "StateRecord", "StatesError",
           "TaskTokenError", "mocks"]
__version__ = "0.1.0"
