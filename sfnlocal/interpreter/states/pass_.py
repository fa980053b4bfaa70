"""The Pass state: passes its input, a fixed ``Result``, or a ``Parameters`` template on.

In JSONata mode it passes its input, or its ``Output``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.states.base import AFTER_ARGUMENTS, RESULT, State, Visit
from sfnlocal.language.jsontext import PayloadBound, compact_json, text_bound
from sfnlocal.language.payload import bounded

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
        self.result_bound = _constant_bound(self.result)
        self.passes_input = self.result is _NO_RESULT and self.parameters is None and self.leaves_data_unchanged()

    def run_now(self, visit: Visit, state_input: Any) -> tuple[Any, str | None]:
        if self.result is not _NO_RESULT:
            result = self.result
            if visit.inspecting:
                visit.inspect(RESULT, result)
            result_bound = self.result_bound
        else:
            result = self.effective_input(visit, state_input)
            if self.parameters is None:
                result_bound = self.selected_bound(visit)
            else:
                result = self.parameters.evaluate(visit, result)
                template = self.parameters.bound  # (None for a template that calls an intrinsic function, say)
                result_bound = None if template is None else bounded(template, self.selected_bound(visit))
            if visit.inspecting:
                visit.inspect(AFTER_ARGUMENTS, result)
        if result_bound is not None:  # (without one, an output that is the input still has the input's)
            visit.output_bound = self.finish_bound(visit, result_bound)
        return self.finish(visit, state_input, result), self.next


def _constant_bound(result: Any) -> PayloadBound | None:
    """The measure of a Result constant (None without one, or for one JSON cannot hold, which load refuses)."""
    if result is _NO_RESULT:
        return None
    try:
        return text_bound(compact_json(result))
    except (TypeError, ValueError, RecursionError):
        return None
