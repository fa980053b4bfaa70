"""What workflow coverage can cover in one state machine: its items, per category.

An :class:`Item` is one thing an execution can do: enter a state, take a transition, match a Choice
rule (or take Default), fire a Retrier or a Catcher, run a Parallel branch or a Map processor. A
:class:`MachineModel` lists every item of a compiled definition, so that a report can say what was
not covered as well as what was. Executions report what they did as observations (see
:attr:`sfnlocal.ExecutionResult.observations`); :func:`observed_item` names the item of one.

>>> from sfnlocal.interpreter.model import Definition
>>> model = MachineModel("Hello", Definition({"StartAt": "Ask", "States": {
...     "Ask": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Yes"}],
...             "Default": "No"},
...     "Yes": {"Type": "Succeed"}, "No": {"Type": "Fail", "Error": "Nope"}}}))
>>> [model.label(item) for item in model.items if item.category == "choices"]
['Ask: rule #0 → Yes', 'Ask: Default → No']
>>> [model.label(item) for item in model.items if item.category == "transitions"]
['Ask → Yes', 'Ask → No', 'Yes → (end)']
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from sfnlocal.language.state_graph import CATCH, DEFAULT, END, NEXT, RULE, StateNode

if TYPE_CHECKING:
    from sfnlocal.interpreter.model import Definition
    from sfnlocal.interpreter.states.base import State

# Category keys, in report order, with the words reports use for them.
CATEGORIES: dict[str, str] = {
    "states": "states",
    "transitions": "transitions",
    "choices": "Choice rules",
    "retriers": "retriers",
    "catchers": "catchers",
    "branches": "Parallel branches",
    "processors": "Map processors",
}

# An observation's kind -> the category of the item it covers.
_CATEGORY_OF_KIND = {
    "transition": "transitions",
    "choice": "choices",
    "retry": "retriers",
    "catch": "catchers",
    "branch": "branches",
    "iteration": "processors",
}

Detail = str | int | None


class Item(NamedTuple):
    """One coverable thing: its category, the JSON pointer of its state, and which one of the state's.

    ``detail`` is the next state's name (None: the end) for a transition, a rule's index or ``"Default"``
    for a Choice rule, an index for a retrier, catcher or Parallel branch, None for a state or a Map
    processor.
    """

    category: str
    location: str
    detail: Detail = None


def observed_item(kind: str, location: str, detail: Any) -> Item:
    """The item an execution's observation covers.

    >>> observed_item("iteration", "/States/Each", 7)
    Item(category='processors', location='/States/Each', detail=None)
    """
    category = _CATEGORY_OF_KIND[kind]
    return Item(category, location, None if category == "processors" else detail)


def definition_digest(raw: dict[str, Any]) -> str:
    """A short digest of a definition: with the machine's name it tells state machines apart.

    >>> definition_digest({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}})
    '2bc2ab7f562d'
    """
    text = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# How coverage words each kind of transition ("{}": the rule's or catcher's index).
_REASONS = {NEXT: "Next", END: "End", RULE: "rule #{}", DEFAULT: "Default", CATCH: "Catch #{}"}


def transition_reasons(state: StateNode) -> dict[str | None, list[str]]:
    """Where a state can go next (None: its branch ends), each target with the reasons that lead there:
    ``"Next"``, ``"End"``, ``"rule #i"``, ``"Default"``, ``"Catch #i"``.

    >>> from sfnlocal.language.state_graph import StateGraph
    >>> ask = StateGraph({"StartAt": "Ask", "States": {"Ask": {"Type": "Choice", "Default": "Yes", "Choices": [
    ...     {"Next": "Yes"}, {"Next": "No"}]}}}).state_named("Ask")
    >>> transition_reasons(ask)
    {'Yes': ['rule #0', 'Default'], 'No': ['rule #1']}
    """
    targets: dict[str | None, list[str]] = {}
    for transition in state.transitions:
        targets.setdefault(transition.target, []).append(_REASONS[transition.kind].format(transition.position))
    return targets


class MachineModel:
    """Every item of one state machine, and how to name them.

    The machine is known by its ``name`` and the :func:`definition_digest` of its definition: two
    machines with the same name but different definitions are covered separately.
    """

    def __init__(self, name: str, definition: Definition) -> None:
        self.name = name
        self.definition = definition
        self.digest = definition_digest(definition.raw)
        self.states: dict[str, StateNode] = {}  # by location, depth first in definition order
        self.locations: dict[str, str] = {}  # by state name
        self._items_by_location: dict[str, list[Item]] = {}
        for state in definition.graph.states:
            self.states[state.location] = state
            self.locations[state.name] = state.location
            self._items_by_location[state.location] = list(_items_of(state, definition.states[state.location]))
        self.items = tuple(item for items in self._items_by_location.values() for item in items)

    @property
    def key(self) -> tuple[str, str]:
        """``(name, digest)``: what coverage data is merged by."""
        return self.name, self.digest

    def items_of(self, location: str) -> list[Item]:
        """The items of the state at ``location``, in report order."""
        return list(self._items_by_location[location])

    def label(self, item: Item) -> str:
        """How reports name an item.

        >>> from sfnlocal.interpreter.model import Definition
        >>> model = MachineModel("M", Definition({"StartAt": "Charge", "States": {"Charge": {
        ...     "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": True,
        ...     "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"]}],
        ...     "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]},
        ...     "Failed": {"Type": "Fail"}}}))
        >>> [model.label(item) for item in model.items_of("/States/Charge")]
        ['Charge', 'Charge → (end)', 'Charge → Failed', 'Charge: Retry #0 (Lambda.TooManyRequestsException)', \
'Charge: Catch #0 (States.ALL) → Failed']
        """
        state = self.states[item.location]
        name, detail = state.name, item.detail
        if item.category == "states":
            return name
        if item.category == "transitions":
            return f"{name} → {'(end)' if detail is None else detail}"
        if item.category == "choices":
            rule = "Default" if detail == "Default" else f"rule #{detail}"
            return f"{name}: {rule} → {_choice_target(state, detail)}"
        compiled = self.definition.states[item.location]
        if item.category == "retriers":
            return f"{name}: {describe_retrier(compiled, int(detail or 0))}"
        if item.category == "catchers":
            return f"{name}: {describe_catcher(compiled, int(detail or 0))}"
        branch = state.branches[int(detail or 0)]
        what = f"branch #{detail}" if item.category == "branches" else "ItemProcessor"
        return f"{name}: {what} (starts at {branch.start_at})"


def describe_retrier(state: State, index: int) -> str:
    """``Retry #i (its ErrorEquals)``."""
    return f"Retry #{index} ({', '.join(state.retriers[index].error_equals)})"


def describe_catcher(state: State, index: int) -> str:
    """``Catch #i (its ErrorEquals) → its Next``."""
    catcher = state.catchers[index]
    return f"Catch #{index} ({', '.join(catcher.error_equals)}) → {catcher.next}"


def _choice_target(state: StateNode, detail: Detail) -> str | None:
    """Where a Choice state's rule ``detail`` (its index, or ``"Default"``) leads."""
    wanted = (DEFAULT, None) if detail == "Default" else (RULE, detail)
    return next(t.target for t in state.transitions if (t.kind, t.position) == wanted)


def _items_of(state: StateNode, compiled: State) -> Iterator[Item]:
    location = state.location
    yield Item("states", location)
    for target in transition_reasons(state):
        yield Item("transitions", location, target)
    yield from (Item("choices", location, t.position) for t in state.transitions if t.kind == RULE)
    yield from (Item("choices", location, "Default") for t in state.transitions if t.kind == DEFAULT)
    yield from (Item("retriers", location, index) for index in range(len(compiled.retriers)))
    yield from (Item("catchers", location, index) for index in range(len(compiled.catchers)))
    if state.type == "Parallel":
        yield from (Item("branches", location, index) for index in range(len(state.branches)))
    if state.type == "Map":
        yield Item("processors", location)
