"""The Parallel state: runs every branch on the input, fails fast, outputs the branches' results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.children import ChildFailure, input_bound, run_children
from sfnlocal.interpreter.history import Lane
from sfnlocal.interpreter.scheduler import FiberBody
from sfnlocal.interpreter.states.base import CompositeFailure, Frame, State, StateRun, Visit
from sfnlocal.interpreter.visit import run_branch
from sfnlocal.language.jsontext import PayloadBound
from sfnlocal.language.payload import bounded

if TYPE_CHECKING:
    from sfnlocal.interpreter.model import Branch


class ParallelState(State):
    """``Branches``, ``Parameters``, ``ResultSelector``, ``ResultPath``; plus Retry/Catch.

    History links (as recorded from AWS): each branch's first event links to ParallelStateStarted;
    ParallelStateSucceeded links to the last branch event and ParallelStateExited to that same
    event; on failure ParallelStateFailed links to the failing branch's last event.
    """

    type_name = "Parallel"

    def __init__(self, name: str, spec: dict[str, Any], location: str, parent: Branch) -> None:
        super().__init__(name, spec, location, parent)
        self.branches = tuple(
            parent.nested(branch, f"{location}/Branches/{i}") for i, branch in enumerate(spec.get("Branches", ()))
        )
        # The branches' input: Parameters in JSONPath, Arguments in JSONata.
        self.arguments = self.field(spec, "Parameters") or self.field(spec, "Arguments")
        self.result_selector = self.field(spec, "ResultSelector")

    def run(self, visit: Visit, state_input: Any) -> StateRun:
        frame = visit.frame
        execution = frame.execution
        selected = self.effective_input(visit, state_input)
        if self.arguments is None:
            branch_input, known = selected, self.selected_bound(visit)
        else:
            branch_input = self.arguments.evaluate(visit, selected)
            known = bounded(self.arguments.bound, self.selected_bound(visit))
        started = frame.lane.emit("ParallelStateStarted")
        # Measured once here (unless already known), rather than by the first state of each branch that passes it on.
        checked = input_bound(branch_input, self.name, known)
        outer = frame.variables
        lanes: list[Lane] = []
        frames: list[Frame] = []
        bodies: list[FiberBody] = []
        for index, branch in enumerate(self.branches):
            execution.observe("branch", self, index)
            lane = Lane(execution.history, started)
            lanes.append(lane)
            # A branch that sets no variable needs no scope of its own: it sees the Parallel's as they are.
            variables = outer.new_child() if branch.may_assign else outer
            branch_frame = Frame(execution, lane, variables, True, frame.iteration)
            frames.append(branch_frame)
            bodies.append(run_branch(branch, branch_frame, branch_input, checked))  # runs once started
        try:
            results = yield from run_children(execution.scheduler, bodies)
        except ChildFailure as failure:
            frame.lane.last = lanes[failure.index].last
            raise CompositeFailure(failure.error, "ParallelStateFailed") from None
        frame.lane.last = len(execution.history)
        frame.lane.emit("ParallelStateSucceeded", advance=False)
        result = results
        result_bound = _list_bound([branch_frame.output_bound for branch_frame in frames])
        if self.result_selector is not None:
            result = self.result_selector.evaluate(visit, result)
            result_bound = bounded(self.result_selector.bound, result_bound)
        visit.output_bound = self.finish_bound(visit, result_bound)
        return self.finish(visit, state_input, result), self.next


def _list_bound(items: list[PayloadBound | None]) -> PayloadBound | None:
    """A bound on the measure of an array of values with these bounds (None: one is not known).

    >>> _list_bound([(3, 0), (7, 1)]), _list_bound([]), _list_bound([(3, 0), None])
    ((13, 2), (2, 1), None)
    """
    size, containers = 2 + max(len(items) - 1, 0), 1  # the brackets and the commas
    for item in items:
        if item is None:
            return None
        size, containers = size + item[0], containers + item[1]
    return size, containers
