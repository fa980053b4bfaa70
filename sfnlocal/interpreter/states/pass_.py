"""The Pass state: passes its input, a fixed ``Result``, or a ``Parameters`` template on.

In JSONata mode it passes its input, or its ``Output``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.states.base import AFTER_ARGUMENTS, RESULT, State, Visit

if TYPE_CHECKING:
    from sfnlocal.interpreter.model import Branch

_NO_RESULT: Any = object()


class PassState(State):
    """``Result`` (a constant: ``.$`` keys in it are not evaluated), ``Parameters``, ``ResultPath``."""

    type_name = "Pass"
    immediate = True

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Branch) -> None:
        super().__init__(name, spec, location, parent)
        self.result = spec.get("Result", _NO_RESULT)
        self.parameters = self.field(spec, "Parameters")
        self.passes_input = self.result is _NO_RESULT and self.parameters is None and self.leaves_data_unchanged()

    def run_now(self, visit: Visit, state_input: Any) -> tuple[Any, str | None]:
        if self.result is not _NO_RESULT:
            result = self.result
            visit.inspect(RESULT, result)
        else:
            result = self.effective_input(visit, state_input)
            if self.parameters is not None:
                result = self.parameters.evaluate(visit, result)
            visit.inspect(AFTER_ARGUMENTS, result)
        return self.finish(visit, state_input, result), self.next
