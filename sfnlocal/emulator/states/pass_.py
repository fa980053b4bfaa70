"""The Pass state: passes its input, a fixed ``Result``, or a ``Parameters`` template on."""

from __future__ import annotations

from typing import Any

from sfnlocal.emulator.dataflow import ResultPath
from sfnlocal.emulator.payload import compile_template
from sfnlocal.emulator.states.base import State, StateRun, Visit

_NO_RESULT: Any = object()


class PassState(State):
    """``Result`` (a constant: ``.$`` keys in it are not evaluated), ``Parameters``, ``ResultPath``."""

    type_name = "Pass"

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Any) -> None:
        super().__init__(name, spec, location, parent)
        self.result = spec.get("Result", _NO_RESULT)
        parameters = spec.get("Parameters", _NO_RESULT)
        self.parameters = None if parameters is _NO_RESULT else compile_template(
            parameters, f"{location}/Parameters")
        self.result_path = ResultPath(spec.get("ResultPath", "$"), f"{location}/ResultPath")

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        if self.result is not _NO_RESULT:
            result = self.result
        else:
            result = self.effective_input(visit, state_input)
            if self.parameters is not None:
                result = self.parameters(visit.scope(result), visit.frame.execution.rng)
        return self.finish(visit, state_input, result, self.result_path), self.next
        yield  # a generator like every state's run, though a Pass never waits
