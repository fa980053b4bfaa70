"""The Fail state: ends the execution (or its branch) with an error and a cause."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.states.base import AFTER_INPUT_PATH, State, StateRun, Visit
from sfnlocal.language.errors import RUNTIME, RuntimeFailure, StatesError
from sfnlocal.language.fields import Field, compile_field
from sfnlocal.language.jsontext import compact_json
from sfnlocal.language.payload import compile_dynamic_value

if TYPE_CHECKING:
    from sfnlocal.interpreter.model import Branch


class FailState(State):
    """``Error``/``Cause``: constants, or JSONata expressions; JSONPath's ``ErrorPath``/``CausePath`` hold a
    path or an intrinsic."""

    type_name = "Fail"

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Branch) -> None:
        super().__init__(name, spec, location, parent)
        self.error = self._text_field(spec, "Error", "ErrorPath")
        self.cause = self._text_field(spec, "Cause", "CausePath")

    def _text_field(self, spec: dict[str, Any], name: str, path_name: str) -> Field | None:
        if path_name in spec:
            evaluate = compile_dynamic_value(spec[path_name], path_name, f"{self.location}/{path_name}")
            return Field(path_name, lambda visit, dollar: evaluate(visit.scope(dollar), visit.rng), False)
        if name in spec:
            return compile_field(spec[name], name, f"{self.location}/{name}", self.jsonata)
        return None

    @staticmethod
    def _text(field: Field | None, visit: Visit, state_input: Any) -> str | None:
        if field is None:
            return None
        value = field.evaluate(visit, state_input)
        # An error name and a cause are strings; a path that selects anything else cannot fail with it. No AWS
        # text was found for this cause (docs, LocalStack's snapshots, public threads): the wording is sfnlocal's.
        if not isinstance(value, str):
            raise RuntimeFailure(
                RUNTIME, f"The {field.name} field must reference a string, but it references {compact_json(value)}"
            )
        return value

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        if visit.inspecting:  # a Fail state has no InputPath: it works on its input
            visit.inspect(AFTER_INPUT_PATH, state_input)
        raise StatesError(self._text(self.error, visit, state_input), self._text(self.cause, visit, state_input))
        yield  # a generator like every state's run
