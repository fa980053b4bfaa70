"""The compiled definition: every state built once from its JSON object, every path compiled.

A :class:`Branch` is a ``StartAt`` + ``States`` graph: the machine itself, a Parallel branch or a
Map's ItemProcessor. :class:`Definition` checks the structure first (so the state classes can trust
the shape) and then builds the states; any problem is a :class:`DefinitionError` naming its location.
The definition's state graph (:class:`~sfnlocal.language.state_graph.StateGraph`) is built alongside,
and its nodes find their compiled states by location (:attr:`Definition.states`).
"""

from __future__ import annotations

import copy
import importlib
import json
from typing import TYPE_CHECKING, Any

from sfnlocal.language.errors import DefinitionError, pointer
from sfnlocal.language.state_fields import JSONATA, JSONPATH
from sfnlocal.language.state_graph import StateGraph
from sfnlocal.language.structure import check_structure
from sfnlocal.language.variables import check_scopes

if TYPE_CHECKING:
    from sfnlocal.interpreter.states.base import State

# Each state type's class, by the module that defines it: a module is imported when a definition first has a
# state of its type (the Map state's modules, the Choice rules... cost much to import, and ``import sfnlocal``
# needs none of them).
_STATE_CLASSES = {
    "Pass": ("sfnlocal.interpreter.states.pass_", "PassState"),
    "Task": ("sfnlocal.interpreter.states.task", "TaskState"),
    "Choice": ("sfnlocal.interpreter.states.choice", "ChoiceState"),
    "Wait": ("sfnlocal.interpreter.states.wait", "WaitState"),
    "Succeed": ("sfnlocal.interpreter.states.succeed", "SucceedState"),
    "Fail": ("sfnlocal.interpreter.states.fail", "FailState"),
    "Parallel": ("sfnlocal.interpreter.states.parallel", "ParallelState"),
    "Map": ("sfnlocal.interpreter.states.map_", "MapState"),
}
_STATE_TYPES: dict[str, type[State]] = {}


def state_class(type_name: str) -> type[State]:
    """The class of the states of type ``type_name`` (one of the eight), its module imported on first use.

    >>> state_class("Succeed").__name__, state_class("Map").type_name
    ('SucceedState', 'Map')
    """
    cls = _STATE_TYPES.get(type_name)
    if cls is None:
        module, name = _STATE_CLASSES[type_name]
        cls = _STATE_TYPES[type_name] = getattr(importlib.import_module(module), name)
    return cls


class Branch:
    """States reachable from ``StartAt``; built once, read-only afterwards.

    ``query_language`` is the machine's: states without their own QueryLanguage use it, also inside
    Parallel branches and Map processors. ``compiled`` collects every state compiled in this branch and
    in the branches nested in it, by location.
    """

    __slots__ = ("start_at", "states", "query_language", "compiled", "may_assign")

    def __init__(
        self,
        spec: dict[str, Any],
        location: str,
        query_language: str = JSONPATH,
        compiled: dict[str, State] | None = None,
    ) -> None:
        self.start_at: str = spec["StartAt"]
        self.query_language = query_language
        # Whether a state here may set variables (an Assign of the state, a Choice rule or a catcher; the text
        # test also counts nested branches and strings, erring only towards giving the branch a scope of its own).
        self.may_assign = '"Assign"' in json.dumps(spec["States"])
        self.compiled: dict[str, State] = {} if compiled is None else compiled
        self.states: dict[str, State] = {}
        for name, state_spec in spec["States"].items():
            here = f"{location}{pointer('States', name)}"
            if query_language == JSONATA and state_spec.get("QueryLanguage") == JSONPATH:
                raise DefinitionError(
                    f"{here}/QueryLanguage",
                    "a state cannot use JSONPath in a state machine "
                    "whose QueryLanguage is JSONata; write it in JSONata or drop the top-level "
                    "QueryLanguage",
                )
            self.states[name] = self.compiled[here] = state_class(state_spec["Type"])(name, state_spec, here, self)

    def nested(self, spec: dict[str, Any], location: str) -> Branch:
        """A Parallel branch or Map processor inside this one, in the same machine's query language."""
        if "QueryLanguage" in spec:
            raise DefinitionError(
                f"{location}/QueryLanguage",
                "a Parallel branch or Map processor cannot declare "
                "a QueryLanguage of its own; set it on its states or on the state machine",
            )
        return Branch(spec, location, self.query_language, self.compiled)


class Definition:
    """A whole state machine definition, compiled, with its state graph.

    ``graph`` is the definition's :class:`~sfnlocal.language.state_graph.StateGraph`; ``states`` maps the
    location of each of its states to the compiled state (a lookup: its order is not the graph's).

    >>> d = Definition({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
    >>> d.root.start_at, d.timeout_seconds
    ('A', None)
    >>> [(node.name, d.states[node.location]) for node in d.graph.states]
    [('A', <Succeed state 'A'>)]
    """

    __slots__ = ("raw", "root", "graph", "states", "timeout_seconds", "comment")

    def __init__(self, raw: dict[str, Any]) -> None:
        check_structure(raw)
        # A private copy: later changes to the caller's dict must not change this machine.
        self.raw = copy.deepcopy(raw)
        self.states: dict[str, State] = {}
        self.root = Branch(self.raw, "", self.raw.get("QueryLanguage", JSONPATH), self.states)
        self.graph = StateGraph(self.raw)
        check_scopes(self.graph)
        self.timeout_seconds: int | None = self.raw.get("TimeoutSeconds")
        self.comment: str | None = self.raw.get("Comment")

    def state_named(self, name: str) -> State | None:
        """The compiled state of that name, in the machine or in any Parallel branch or Map processor.

        >>> d = Definition({"StartAt": "M", "States": {"M": {"Type": "Map", "End": True, "ItemProcessor": {
        ...     "StartAt": "Inner", "States": {"Inner": {"Type": "Succeed"}}}}}})
        >>> d.state_named("Inner"), d.state_named("Missing")
        (<Succeed state 'Inner'>, None)
        """
        node = self.graph.state_named(name)
        return None if node is None else self.states[node.location]
