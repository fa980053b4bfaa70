"""The Succeed state: ends its branch successfully (InputPath/OutputPath, or JSONata Output, apply)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.states.base import State, Visit

if TYPE_CHECKING:
    from sfnlocal.interpreter.model import Branch


class SucceedState(State):
    """A terminal state; its output is its (effective) input, shaped by OutputPath or Output."""

    type_name = "Succeed"
    immediate = True

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Branch) -> None:
        super().__init__(name, spec, location, parent)
        self.passes_input = self.leaves_data_unchanged()

    def run_now(self, visit: Visit, state_input: Any) -> tuple[Any, str | None]:
        return self.finish(visit, state_input, self.effective_input(visit, state_input)), None
