"""Collecting coverage: counting executions, recording them through a Recorder, merging, JSON round trips."""

from __future__ import annotations

import pytest
from support import REPO

from sfnlocal import StateMachine, mocks
from sfnlocal.testing.coverage.collector import Recorder, TrackedStateMachine
from sfnlocal.testing.coverage.data import CoverageData
from sfnlocal.testing.coverage.model import Item

ORDER_PATH = REPO / "examples" / "order" / "order.asl.json"
HAPPY = {
    "Charge card": mocks.sequence(mocks.raises("Lambda.TooManyRequestsException"), mocks.returns({"chargeId": "ch_1"})),
    "Reserve stock": mocks.returns({"reserved": True}),
    "Notify customer": mocks.returns({"sent": True}),
}
ORDER_INPUT = {"order": {"id": "o-1", "total": 10}}


def hits_by_label(data: CoverageData) -> dict[str, int]:
    [record] = data.machines.values()
    return {record.model.label(item): count for item, count in record.hits.items()}


def test_an_execution_counts_states_entered_and_what_they_did() -> None:
    data = CoverageData()
    data.add(StateMachine.from_file(ORDER_PATH).execute(ORDER_INPUT, mocks=HAPPY))
    hits = hits_by_label(data)
    assert hits["Charge card"] == 1  # entered once, retried within the visit
    assert hits["Charge card: Retry #0 (Lambda.TooManyRequestsException)"] == 1
    assert hits["Validate order: rule #0 → Charge card"] == 1
    assert hits["Fulfil: branch #1 (starts at Book courier)"] == 1
    assert hits["Notify customer → (end)"] == 1
    assert "Reject order" not in hits and "Charge card: Catch #0 (States.ALL) → Payment failed" not in hits


def test_a_state_that_fails_uncaught_still_counts_as_entered() -> None:
    data = CoverageData()
    run = StateMachine.from_file(ORDER_PATH).execute({"order": {"id": "o-1"}})
    assert run.path == ["Validate order", "Reject order"]
    data.add(run)
    assert hits_by_label(data) == {
        "Validate order": 1,
        "Reject order": 1,
        "Validate order → Reject order": 1,
        "Validate order: Default → Reject order": 1,
    }


def test_machines_are_told_apart_by_name_and_definition() -> None:
    one = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    other = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 2, "End": True}}}
    data = CoverageData()
    for definition, name in ((one, "M"), (one, "M"), (other, "M"), (one, "N")):
        data.add(StateMachine.from_dict(definition, name=name).execute({}))
    assert sorted((name, sum(record.hits.values())) for (name, _), record in data.machines.items()) == [
        ("M", 2),
        ("M", 4),
        ("N", 2),
    ]


def test_merging_adds_counts_and_keeps_machines_only_one_side_saw() -> None:
    sm = StateMachine.from_file(ORDER_PATH)
    ours, theirs = CoverageData(), CoverageData()
    ours.add(sm.execute(ORDER_INPUT, mocks=HAPPY))
    theirs.add(sm.execute({"order": {"id": "o-1"}}))
    theirs.add(StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}, name="Tiny").execute())
    ours.merge(theirs)
    assert len(ours.machines) == 2
    hits = ours.machines[("order", next(key[1] for key in ours.machines if key[0] == "order"))].hits
    assert hits[Item("states", "/States/Validate order")] == 2
    assert hits[Item("states", "/States/Reject order")] == 1


def test_json_round_trip_keeps_every_count() -> None:
    data = CoverageData()
    sm = StateMachine.from_file(ORDER_PATH)
    data.add(sm.execute(ORDER_INPUT, mocks=HAPPY))
    data.add(sm.execute({"order": {"id": "o-1", "total": 5}}, mocks={"Charge card": mocks.raises("Declined")}))
    copy = CoverageData.from_json(data.to_json())
    assert {key: dict(record.hits) for key, record in copy.machines.items()} == {
        key: dict(record.hits) for key, record in data.machines.items()
    }
    with pytest.raises(ValueError, match="not sfnlocal coverage data"):
        CoverageData.from_json('{"format": 99, "machines": []}')


def test_the_recorder_loads_tracked_machines_from_dicts_files_and_machines() -> None:
    recorder = Recorder()
    from_file = recorder.load(ORDER_PATH)
    from_dict = recorder.load({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}, name="Tiny")
    original = StateMachine.from_dict(
        {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}, name="Copied", region="eu-west-1", type="EXPRESS"
    )
    copied = recorder.load(original)
    assert all(isinstance(sm, TrackedStateMachine) for sm in (from_file, from_dict, copied))
    assert (from_file.name, copied.name, copied.arn, copied.type) == ("order", "Copied", original.arn, "EXPRESS")
    # Loaded machines are reported even before they run: at 0% until then.
    assert sorted(name for name, _ in recorder.data.machines) == ["Copied", "Tiny", "order"]
    assert all(not record.hits for record in recorder.data.machines.values())
    run = from_dict.execute({})
    assert recorder.executions == [run]
    assert recorder.flush() == [run] and recorder.executions == []


def test_nested_executions_of_a_tracked_child_are_recorded() -> None:
    recorder = Recorder()
    child = recorder.load({"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": True}}}, name="Child")
    parent = recorder.load(
        {
            "StartAt": "Run child",
            "States": {
                "Run child": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {"StateMachineArn": child.arn, "Input.$": "$"},
                    "End": True,
                }
            },
        },
        name="Parent",
    )
    assert parent.execute({}).status == "SUCCEEDED"
    assert sorted(run.state_machine.name for run in recorder.flush()) == ["Child", "Parent"]
    assert all(record.hits for record in recorder.data.machines.values())


def test_what_a_distributed_maps_children_did_counts_for_coverage() -> None:
    # The children are executions of their own (not in the parent's path); what they did is counted all the same.
    sm = StateMachine.from_dict(
        {
            "StartAt": "Each",
            "States": {
                "Each": {
                    "Type": "Map",
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "Big?",
                        "States": {
                            "Big?": {
                                "Type": "Choice",
                                "Choices": [{"Variable": "$", "NumericGreaterThan": 10, "Next": "Big"}],
                                "Default": "Small",
                            },
                            "Big": {"Type": "Pass", "End": True},
                            "Small": {"Type": "Pass", "End": True},
                        },
                    },
                    "End": True,
                }
            },
        }
    )
    data = CoverageData()
    run = sm.execute([1, 20, 3])
    assert run.path == ["Each"]
    data.add(run)
    hits = hits_by_label(data)
    assert (hits["Big?"], hits["Big"], hits["Small"]) == (3, 1, 2)
    assert hits["Big?: rule #0 → Big"] == 1 and hits["Big?: Default → Small"] == 2
