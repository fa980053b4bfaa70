"""The Fail state: ends the execution (or its branch) with an error and a cause."""

from __future__ import annotations

from typing import Any

from sfnlocal.emulator.errors import RUNTIME, RuntimeFailure, StatesError
from sfnlocal.emulator.jsontext import compact_json
from sfnlocal.emulator.payload import compile_dynamic_value
from sfnlocal.emulator.states.base import State, StateRun, Visit


class FailState(State):
    """``Error``/``Cause`` as constants, or ``ErrorPath``/``CausePath`` (a path or an intrinsic)."""

    type_name = "Fail"

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Any) -> None:
        super().__init__(name, spec, location, parent)
        self.error = spec.get("Error")
        self.cause = spec.get("Cause")
        self.error_path = (compile_dynamic_value(spec["ErrorPath"], "ErrorPath", f"{location}/ErrorPath")
                           if "ErrorPath" in spec else None)
        self.cause_path = (compile_dynamic_value(spec["CausePath"], "CausePath", f"{location}/CausePath")
                           if "CausePath" in spec else None)

    @staticmethod
    def _text(value: Any, field: str) -> str:
        # An error name and a cause are strings; a path that selects anything else cannot fail with it.
        if not isinstance(value, str):
            raise RuntimeFailure(RUNTIME, f"The {field} field must reference a string, but it references "
                                 f"{compact_json(value)}")
        return value

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        error, cause = self.error, self.cause
        if self.error_path is not None or self.cause_path is not None:
            scope = visit.scope(state_input)
            rng = visit.frame.execution.rng
            if self.error_path is not None:
                error = self._text(self.error_path(scope, rng), "ErrorPath")
            if self.cause_path is not None:
                cause = self._text(self.cause_path(scope, rng), "CausePath")
        raise StatesError(error, cause)
        yield  # a generator like every state's run
