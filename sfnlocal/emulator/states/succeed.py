"""The Succeed state: ends its branch successfully, with InputPath/OutputPath applied."""

from __future__ import annotations

from typing import Any

from sfnlocal.emulator.states.base import State, StateRun, Visit


class SucceedState(State):
    """A terminal state; its output is its input after ``InputPath`` then ``OutputPath``."""

    type_name = "Succeed"

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        selected = self.effective_input(visit, state_input)
        if self.output_path.is_identity:
            return selected, None
        return self.output_path.apply(visit.scope(selected)), None
        yield  # a generator like every state's run
