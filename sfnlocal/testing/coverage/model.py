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

from sfnlocal.interpreter.states.choice import ChoiceState
from sfnlocal.interpreter.states.map_ import MapState
from sfnlocal.interpreter.states.parallel import ParallelState
from sfnlocal.interpreter.states.succeed import SucceedState

if TYPE_CHECKING:
    from sfnlocal.interpreter.model import Branch, Definition
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


def walk_states(branch: Branch, enclosing: tuple[State, ...] = ()) -> Iterator[tuple[State, tuple[State, ...]]]:
    """Every state of a branch and of the branches nested in it, with the Parallel and Map states
    around it (outermost first), depth first in definition order."""
    for state in branch.states.values():
        yield state, enclosing
        for nested in nested_branches(state):
            yield from walk_states(nested, (*enclosing, state))


def nested_branches(state: State) -> tuple[Branch, ...]:
    """A Parallel state's branches, a Map state's processor, nothing for other states."""
    if isinstance(state, ParallelState):
        return state.branches
    if isinstance(state, MapState):
        return (state.processor,)
    return ()


def transitions(state: State) -> dict[str | None, list[str]]:
    """Where a state can go next (None: its branch ends), each target with the reasons that lead there:
    ``"Next"``, ``"End"``, ``"rule #i"``, ``"Default"``, ``"Catch #i"``."""
    targets: dict[str | None, list[str]] = {}
    if state.next is not None:
        targets.setdefault(state.next, []).append("Next")
    if state.end or isinstance(state, SucceedState):
        targets.setdefault(None, []).append("End")
    if isinstance(state, ChoiceState):
        for index, rule in enumerate(state.rules):
            targets.setdefault(rule.next, []).append(f"rule #{index}")
        if state.default is not None:
            targets.setdefault(state.default, []).append("Default")
    for index, catcher in enumerate(state.catchers):
        targets.setdefault(catcher.next, []).append(f"Catch #{index}")
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
        self.states: dict[str, State] = {}  # by location
        self.locations: dict[str, str] = {}  # by state name
        self._items_by_location: dict[str, list[Item]] = {}
        for state, _ in walk_states(definition.root):
            self.states[state.location] = state
            self.locations[state.name] = state.location
            self._items_by_location[state.location] = list(_items_of(state))
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
            assert isinstance(state, ChoiceState)
            if detail == "Default":
                return f"{name}: Default → {state.default}"
            return f"{name}: rule #{detail} → {state.rules[int(detail or 0)].next}"
        if item.category == "retriers":
            return f"{name}: {describe_retrier(state, int(detail or 0))}"
        if item.category == "catchers":
            return f"{name}: {describe_catcher(state, int(detail or 0))}"
        branch = nested_branches(state)[int(detail or 0)]
        what = f"branch #{detail}" if item.category == "branches" else "ItemProcessor"
        return f"{name}: {what} (starts at {branch.start_at})"


def describe_retrier(state: State, index: int) -> str:
    """``Retry #i (its ErrorEquals)``."""
    return f"Retry #{index} ({', '.join(state.retriers[index].error_equals)})"


def describe_catcher(state: State, index: int) -> str:
    """``Catch #i (its ErrorEquals) → its Next``."""
    catcher = state.catchers[index]
    return f"Catch #{index} ({', '.join(catcher.error_equals)}) → {catcher.next}"


def _items_of(state: State) -> Iterator[Item]:
    location = state.location
    yield Item("states", location)
    for target in transitions(state):
        yield Item("transitions", location, target)
    if isinstance(state, ChoiceState):
        yield from (Item("choices", location, index) for index in range(len(state.rules)))
        if state.default is not None:
            yield Item("choices", location, "Default")
    yield from (Item("retriers", location, index) for index in range(len(state.retriers)))
    yield from (Item("catchers", location, index) for index in range(len(state.catchers)))
    if isinstance(state, ParallelState):
        yield from (Item("branches", location, index) for index in range(len(state.branches)))
    if isinstance(state, MapState):
        yield Item("processors", location)
