"""The Succeed state: ends its branch successfully (InputPath/OutputPath, or JSONata Output, apply)."""

from __future__ import annotations

from typing import Any

from sfnlocal.interpreter.states.base import State, StateRun, Visit


class SucceedState(State):
    """A terminal state; its output is its (effective) input, shaped by OutputPath or Output."""

    type_name = "Succeed"

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        return self.finish(visit, state_input, self.effective_input(visit, state_input)), None
        yield  # a generator like every state's run
