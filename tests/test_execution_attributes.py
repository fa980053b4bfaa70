"""What an execution makes only when it is read (its random source, its context object's parts, its Distributed Map
children's counts) and what it works out each time (its root, its result) are, for a Distributed Map child
(MapChild), its parent's, as everything it does not set itself."""

from __future__ import annotations

from sfnlocal import StateMachine
from sfnlocal.interpreter.history import History
from sfnlocal.interpreter.states.map_child import MapChild

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def test_a_map_child_reads_its_parent_s() -> None:
    run = StateMachine.from_dict(PASS).execute({"a": 1})
    parent = run._execution
    child = MapChild(parent, History(parent.scheduler))
    grandchild = MapChild(child, History(parent.scheduler))  # (a child's own Distributed Map)
    for execution in (child, grandchild):
        assert execution.root is parent and execution.result is run is parent.result
        assert execution.rng is parent.rng
        assert execution.context_execution is parent.context_execution
        assert execution.context_state_machine is parent.context_state_machine
        assert execution.child_states is parent.child_states
        assert execution.child_observations is parent.child_observations
        assert (execution.status, execution.ending) == (parent.status, parent.ending)
        # What Execution.__init__ sets (its slots), a child does not set: it reads them from its parent.
        assert (execution.scheduler, execution.integration, execution.arn, execution.visits) == (
            parent.scheduler,
            parent.integration,
            parent.arn,
            parent.visits,
        )
        assert execution.history is not parent.history and execution.entered == 0
    state = run.state_machine.model.root.states["P"]
    grandchild.record_entry(state, {})
    assert run.child_state_counts == {"P": 1}


def test_an_execution_s_own() -> None:
    run = StateMachine.from_dict(PASS).execute({"a": 1})
    execution = run._execution
    assert execution.root is execution and execution.result is run
    assert execution.rng is execution.rng and execution.context_execution is execution.context_execution
    assert execution.context_execution["Name"] == run.name and execution.context_state_machine["Name"] == "StateMachine"
    assert not hasattr(execution, "no_such_attribute")
