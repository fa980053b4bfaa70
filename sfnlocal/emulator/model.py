"""The compiled definition: every state built once from its JSON object, every path compiled.

A :class:`Branch` is a ``StartAt`` + ``States`` graph: the machine itself, a Parallel branch or a
Map's ItemProcessor. :func:`compile_definition` checks the structure first (so the state classes
can trust the shape) and then builds the states; any problem is a :class:`DefinitionError` naming
its location.
"""

from __future__ import annotations

import copy
from typing import Any

from sfnlocal.emulator.errors import UnsupportedFeature, pointer
from sfnlocal.emulator.states.base import State
from sfnlocal.emulator.states.choice import ChoiceState
from sfnlocal.emulator.states.fail import FailState
from sfnlocal.emulator.states.map_ import MapState
from sfnlocal.emulator.states.parallel import ParallelState
from sfnlocal.emulator.states.pass_ import PassState
from sfnlocal.emulator.states.succeed import SucceedState
from sfnlocal.emulator.states.task import TaskState
from sfnlocal.emulator.states.wait import WaitState
from sfnlocal.emulator.structure import check_structure
from sfnlocal.emulator.variables import check_scopes

STATE_TYPES: dict[str, type[State]] = {
    cls.type_name: cls
    for cls in (PassState, TaskState, ChoiceState, WaitState, SucceedState, FailState, ParallelState, MapState)
}

# Fields of features that later issues build; refusing them beats silently ignoring them.
_NOT_YET_SUPPORTED = {
    "Arguments": "the JSONata field Arguments",
    "Output": "the JSONata field Output",
}


def _refuse_unsupported(spec: dict[str, Any], location: str) -> None:
    if spec.get("QueryLanguage") == "JSONata":
        raise UnsupportedFeature(f"{location}/QueryLanguage", "the JSONata query language is not supported by "
                              "this version of sfnlocal yet; use JSONPath")
    for field, what in _NOT_YET_SUPPORTED.items():
        if field in spec:
            raise UnsupportedFeature(f"{location}/{field}", f"{what} is not supported by this version of "
                                  "sfnlocal yet")


class Branch:
    """States reachable from ``StartAt``; built once, read-only afterwards."""

    __slots__ = ("start_at", "states")

    def __init__(self, spec: dict[str, Any], location: str) -> None:
        self.start_at: str = spec["StartAt"]
        self.states: dict[str, State] = {}
        for name, state_spec in spec["States"].items():
            here = f"{location}{pointer('States', name)}"
            _refuse_unsupported(state_spec, here)
            self.states[name] = STATE_TYPES[state_spec["Type"]](name, state_spec, here, self)


class Definition:
    """A whole state machine definition, compiled.

    >>> d = Definition({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
    >>> d.root.start_at, d.timeout_seconds
    ('A', None)
    """

    __slots__ = ("raw", "root", "timeout_seconds", "comment")

    def __init__(self, raw: dict[str, Any]) -> None:
        check_structure(raw)
        _refuse_unsupported(raw, "")
        # A private copy: later changes to the caller's dict must not change this machine.
        self.raw = copy.deepcopy(raw)
        self.root = Branch(self.raw, "")
        check_scopes(self.raw)
        self.timeout_seconds: int | None = self.raw.get("TimeoutSeconds")
        self.comment: str | None = self.raw.get("Comment")
