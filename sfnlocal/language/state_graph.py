"""The state graph of a definition: its States objects, their states and the transitions between them.

One walk over a definition builds this skeleton, and everything that follows the graph reads it: the
drawing (:mod:`sfnlocal.graph`), workflow coverage and its layout, validation's flow checks, variable
scoping, and the lookups of a state by name (TestState, the test helpers). The compiled model builds it
once at load (:attr:`sfnlocal.interpreter.model.Definition.graph`) and finds its compiled states by
their locations; validation builds it from whatever value it was given. It holds only what shapes
the graph:

* a :class:`BranchNode` per States object: the machine itself, each Parallel branch, each Map's
  ItemProcessor (or Iterator), with its JSON pointer, ``StartAt`` and states;
* a :class:`StateNode` per state: its name, ``Type``, JSON pointer, the ways out of it and the
  branches nested in it;
* a :class:`Transition` per way out: ``Next``, a Choice rule's ``Next``, ``Default``, a Catcher's
  ``Next``, or the end of its branch (``"End": true``, or a Succeed state).

The walk tolerates any value, as validation needs the graph of definitions that do not load: a part
that is not shaped as expected (a state that is not an object, a ``Next`` that is not a string, a
branch without ``States``) is left out, never raised on; nor is it checked here that a transition
names a state of its branch.

>>> graph = StateGraph({"StartAt": "Ask", "States": {
...     "Ask": {"Type": "Choice", "Choices": [{"Next": "Fan out"}], "Default": "Done"},
...     "Fan out": {"Type": "Parallel", "Next": "Done", "Branches": [{"StartAt": "Work", "States": {
...         "Work": {"Type": "Task", "End": True, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}]},
...         "Oops": {"Type": "Fail"}}}]},
...     "Done": {"Type": "Succeed"}}})
>>> [state.location for state in graph.states]  # depth first: a state, then the states nested in it
['/States/Ask', '/States/Fan out', '/States/Fan out/Branches/0/States/Work', \
'/States/Fan out/Branches/0/States/Oops', '/States/Done']
>>> [branch.location for branch in graph.branches]
['/', '/States/Fan out/Branches/0']
>>> graph.state_named("Ask").transitions
(Transition(kind='rule', target='Fan out', position=0), Transition(kind='default', target='Done', position=None))
>>> work = graph.state_named("Work")
>>> work.transitions, work.enclosing
((Transition(kind='end', target=None, position=None), Transition(kind='catch', target='Oops', position=0)), \
(<StateNode 'Fan out' (Parallel) at /States/Fan out>,))
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from sfnlocal.language.errors import pointer

Path = tuple[Any, ...]  # keys and indices from the root of the definition to one value

# The kinds of transition.
NEXT = "next"
RULE = "rule"  # a Choice rule's Next
DEFAULT = "default"
CATCH = "catch"
END = "end"  # the branch (or the execution) ends after the state

_PROCESSOR_FIELDS = ("ItemProcessor", "Iterator")  # a Map's processor, under either name
_TERMINAL_TYPES = ("Succeed", "Fail")
_NESTING_TYPES = ("Parallel", "Map")


class Transition(NamedTuple):
    """One way out of a state: its ``kind``, the name of the state it leads to (None for END), and
    for a Choice rule or a Catcher its position (index) in ``Choices`` or ``Catch``."""

    kind: str
    target: str | None
    position: int | None = None


def state_transitions(state: Any) -> tuple[Transition, ...]:
    """The ways out of one state object, in this order: Choice rules, Default, Next, End, Catchers.

    (A state that loads has either Choice rules and Default, or Next or End; Catchers come last.)
    What is not a string where a state name belongs is left out: the structural checks report it.

    >>> state_transitions({"Type": "Pass", "Next": "B", "Catch": [{"Next": "C"}, {"Next": 7}]})
    (Transition(kind='next', target='B', position=None), Transition(kind='catch', target='C', position=0))
    >>> state_transitions({"Type": "Succeed"}), state_transitions("not a state")
    ((Transition(kind='end', target=None, position=None),), ())
    """
    if not isinstance(state, dict):
        return ()
    # Most states have neither Choices nor Catch: a large machine loads faster for not looking into them.
    rules, catchers = state.get("Choices"), state.get("Catch")
    found = [] if rules is None else _indexed(RULE, rules)
    default, following = state.get("Default"), state.get("Next")
    if isinstance(default, str):
        found.append(Transition(DEFAULT, default))
    if isinstance(following, str):
        found.append(Transition(NEXT, following))
    if state.get("End") is True or state.get("Type") == "Succeed":
        found.append(Transition(END, None))
    if catchers is not None:
        found += _indexed(CATCH, catchers)
    return tuple(found)


def _indexed(kind: str, rules: Any) -> list[Transition]:
    """The Next of each object in a Choices or Catch array, with its index there."""
    if not isinstance(rules, list):
        return []
    return [
        Transition(kind, rule["Next"], index)
        for index, rule in enumerate(rules)
        if isinstance(rule, dict) and isinstance(rule.get("Next"), str)
    ]


class BranchNode:
    """One States object: the machine (``owner`` None), a Parallel branch or a Map's processor.

    ``path`` leads from the root of the definition to the object holding ``StartAt`` and ``States``
    (``spec``); ``field`` is where its owner holds it (``Branches``, ``ItemProcessor`` or ``Iterator``;
    empty for the machine) and ``index`` its index in ``Branches`` (None otherwise). ``states`` maps
    each state name to its node, in document order.
    """

    __slots__ = ("path", "location", "spec", "owner", "field", "index", "start_at", "states")

    def __init__(
        self, path: Path, spec: dict[str, Any], owner: StateNode | None, field: str, index: int | None
    ) -> None:
        self.path = path
        self.location = pointer(*path)
        self.spec = spec
        self.owner = owner
        self.field = field
        self.index = index
        self.start_at: Any = spec.get("StartAt")
        self.states: dict[Any, StateNode] = {}

    def __repr__(self) -> str:
        return f"<BranchNode at {self.location} ({len(self.states)} states)>"


class StateNode:
    """One state: its ``name``, ``type`` (empty when it has none), ``path`` and ``location`` (a JSON
    pointer), its raw value (``spec``, which may be anything in a definition that does not load), the
    ``branch`` it belongs to, its ``transitions``, the ``branches`` nested in it (a Parallel state's
    branches, a Map state's processor) and the ``inner_states`` of those, at any depth, depth first."""

    __slots__ = ("name", "type", "spec", "branch", "transitions", "branches", "inner_states", "_location")

    def __init__(self, name: Any, spec: Any, branch: BranchNode) -> None:
        self.name = name
        self.spec = spec
        self.branch = branch
        state_type = spec.get("Type") if isinstance(spec, dict) else None
        self.type: str = state_type if isinstance(state_type, str) else ""
        self.transitions = state_transitions(spec)
        self.branches: tuple[BranchNode, ...] = ()
        self.inner_states: tuple[StateNode, ...] = ()
        self._location: str | None = None

    @property
    def path(self) -> Path:
        """The keys and indices from the root of the definition to the state's object."""
        return (*self.branch.path, "States", self.name)

    @property
    def location(self) -> str:
        """The state's JSON pointer (made when first asked for: loading does not need it)."""
        if self._location is None:
            prefix = self.branch.location if self.branch.path else ""  # the machine's own pointer is "/"
            self._location = prefix + pointer("States", self.name)
        return self._location

    @property
    def terminal(self) -> bool:
        """Whether an execution can end here: ``"End": true``, a Succeed or a Fail state."""
        return self.type in _TERMINAL_TYPES or any(transition.kind == END for transition in self.transitions)

    @property
    def enclosing(self) -> tuple[StateNode, ...]:
        """The Parallel and Map states around this one, outermost first."""
        around = []
        owner = self.branch.owner
        while owner is not None:
            around.append(owner)
            owner = owner.branch.owner
        return tuple(reversed(around))

    def __repr__(self) -> str:
        return f"<StateNode {self.name!r} ({self.type}) at {self.location}>"


class StateGraph:
    """The graph of a definition (any value: one that is not an object with an object of ``States`` has
    no branches and no states).

    ``branches``: every States object, the machine's first, each nested one after the state holding it
    (and so after all the states of its own branch). ``states``: every state, depth first in document
    order: a state, then the states nested in it.
    """

    __slots__ = ("definition", "branches", "states", "_by_name")

    def __init__(self, definition: Any) -> None:
        self.definition = definition
        self._by_name: dict[Any, StateNode] | None = None
        walk = _Walk()
        walk.branch(definition, (), None, "", None)
        self.branches = tuple(walk.branches)
        self.states = tuple(walk.states)

    @property
    def root(self) -> BranchNode:
        """The machine's own States object (a ValueError for a definition that has none).

        >>> StateGraph({"StartAt": "A"}).root
        Traceback (most recent call last):
        ...
        ValueError: the definition has no States object
        """
        if not self.branches:
            raise ValueError("the definition has no States object")
        return self.branches[0]

    def state_named(self, name: Any) -> StateNode | None:
        """The state of that name, anywhere (the first one, depth first, where a name is used twice)."""
        if self._by_name is None:
            self._by_name = {}
            for state in self.states:
                self._by_name.setdefault(state.name, state)
        return self._by_name.get(name)

    def state_objects(self) -> Iterator[StateNode]:
        """The states whose value is an object, branch by branch in the order of ``branches``."""
        for branch in self.branches:
            for state in branch.states.values():
                if isinstance(state.spec, dict):
                    yield state


class _Walk:
    """The one walk over a definition: adds every States object and every state to its list, in the
    orders :class:`StateGraph` documents."""

    def __init__(self) -> None:
        self.branches: list[BranchNode] = []
        self.states: list[StateNode] = []

    def branch(
        self, spec: Any, path: Path, owner: StateNode | None, field: str, index: int | None
    ) -> BranchNode | None:
        """The node of one States object, everything in it walked; None where ``spec`` is not an object
        with an object of ``States``."""
        if not isinstance(spec, dict) or not isinstance(spec.get("States"), dict):
            return None
        branch = BranchNode(path, spec, owner, field, index)
        self.branches.append(branch)
        for name, state_spec in spec["States"].items():
            state = StateNode(name, state_spec, branch)
            branch.states[name] = state
            self.states.append(state)
            if state.type in _NESTING_TYPES:
                first_inner = len(self.states)
                for field, index, inner in _nested(state_spec):
                    path_to_inner = (*state.path, field) if index is None else (*state.path, field, index)
                    nested = self.branch(inner, path_to_inner, state, field, index)
                    if nested is not None:
                        state.branches += (nested,)
                state.inner_states = tuple(self.states[first_inner:])
        return branch


def _nested(state: Any) -> list[tuple[str, int | None, Any]]:
    """(field, index in it, value) of the States objects nested in a state, as the structural checks
    find them: each of a Parallel state's ``Branches``, a Map state's one processor (``ItemProcessor``
    or the older ``Iterator``; with both, neither: that is a structural problem).

    >>> _nested({"Type": "Parallel", "Branches": [{}, {}]})
    [('Branches', 0, {}), ('Branches', 1, {})]
    >>> _nested({"Type": "Map", "Iterator": {}}), _nested({"Type": "Map", "ItemProcessor": {}, "Iterator": {}})
    ([('Iterator', None, {})], [])
    """
    if not isinstance(state, dict):
        return []
    state_type = state.get("Type")
    if state_type == "Parallel" and isinstance(state.get("Branches"), list):
        return [("Branches", index, branch) for index, branch in enumerate(state["Branches"])]
    if state_type == "Map":
        processors = [field for field in _PROCESSOR_FIELDS if field in state]
        if len(processors) == 1:
            return [(processors[0], None, state[processors[0]])]
    return []
