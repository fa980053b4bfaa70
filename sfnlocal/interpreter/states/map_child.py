"""One child execution of a Distributed Map run, as the states it runs see their execution.

AWS runs each item (or batch) of a Distributed Map as an execution of its own: its events are in its own history
(``ExecutionStarted`` ... ``ExecutionSucceeded``), not in the parent's, and its own history limit and state count
apply to it. :class:`MapChild` is that execution for the states of one child: it has its own history, counts the
states it enters against the ``transition_limit`` on its own, and adds what it did to its parent's *counts*
(``child_states``, ``child_observations``: what workflow coverage needs) instead of the parent's path, timeline
and observations, which would grow with every child. Everything else (scheduler, clock, callbacks, integration,
random source, invocation counts, map runs) is the parent execution's: it is read from there.

Its history lives as long as the child runs; :class:`~sfnlocal.interpreter.states.map_run.MapRun` decides which
histories to keep once it ends (see ``KEPT_HISTORIES``).
"""

from __future__ import annotations

from typing import Any

from sfnlocal.interpreter.execution import Execution, transition_limit_exceeded
from sfnlocal.interpreter.history import History
from sfnlocal.interpreter.states.base import State
from sfnlocal.interpreter.visits import NEXT, STATE, VisitEntry


class MapChild(Execution):
    """The execution a Distributed Map child's states run in (see the module's docstring).

    >>> from sfnlocal import StateMachine
    >>> run = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}).execute({})
    >>> parent = run._execution
    >>> child = MapChild(parent, History(parent.scheduler))
    >>> state = run.state_machine.model.root.states["P"]
    >>> child.record_entry(state, {}), child.entered, parent.child_states["P"], child.arn == parent.arn
    (0, 1, 1, True)
    """

    # Not Execution.__init__: a child shares all but its history and counts with its parent (see __getattr__).
    def __init__(self, parent: Execution, history: History) -> None:  # noqa: D107
        self._parent = parent
        self.history = history
        self.entered = 0
        self._limit = parent.options.transition_limit
        self.entry_limit = parent.entry_limit
        self._states = parent.child_states
        self._observations = parent.child_observations
        self._open: list[State] = []  # the states of the visits entered and not yet exited, by visit index

    def __getattr__(self, name: str) -> Any:
        # Only reached for what this object does not set itself: the parent's scheduler, integration, ...
        return getattr(self._parent, name)

    def may_enter(self) -> None:
        """Raise when this child entered as many states as the execution's ``transition_limit``."""
        if self._limit is not None and self.entered >= self._limit:
            raise transition_limit_exceeded(self._limit)

    def record_entry(self, state: State, state_input: Any) -> int:
        """Count the state as entered by a map run's child (no path, timeline or record of it is kept)."""
        self.entered += 1
        self._states[state.name] += 1
        self._open.append(state)
        return len(self._open) - 1

    def record_exit(self, visit_index: int, output: Any, next_state: str | None) -> None:
        """Count the visit's transition, for workflow coverage (a child's states leave no other record)."""
        self._observations[("transition", self._open[visit_index].location, next_state)] += 1

    def note_visit(self, entry: VisitEntry) -> None:
        """Count a visit :func:`~sfnlocal.interpreter.visit.visit_now` noted whole (entered and exited): its state, and
        its transition (a method, not an attribute as an execution's is: a bound method held by the child would be
        a reference cycle, and a Distributed Map makes a million children)."""
        state = entry[STATE]
        self._states[state.name] += 1
        self._observations[("transition", state.location, entry[NEXT])] += 1

    def observe(self, kind: str, state: State, detail: Any) -> None:
        """Count what the state did, for workflow coverage (see :meth:`Execution.observe`). An iteration is counted
        without its index: a million children would otherwise make a million distinct counts."""
        self._observations[(kind, state.location, None if kind == "iteration" else detail)] += 1
