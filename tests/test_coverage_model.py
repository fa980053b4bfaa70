"""What workflow coverage counts: the items of a state machine, and the item each observation covers."""

from __future__ import annotations

from support import REPO

from sfnlocal import StateMachine, mocks
from sfnlocal.testing.coverage.model import Item, MachineModel, definition_digest, observed_item

ORDER = StateMachine.from_file(REPO / "examples" / "order" / "order.asl.json")

NESTED = {
    "StartAt": "Fan out",
    "States": {
        "Fan out": {
            "Type": "Parallel",
            "Next": "Each",
            "Retry": [{"ErrorEquals": ["States.BranchFailed"]}],
            "Branches": [
                {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                {"StartAt": "Right", "States": {"Right": {"Type": "Succeed"}}},
            ],
        },
        "Each": {
            "Type": "Map",
            "End": True,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
            "ItemProcessor": {
                "StartAt": "Work",
                "States": {
                    "Work": {
                        "Type": "Task",
                        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:w",
                        "End": True,
                    }
                },
            },
        },
        "Failed": {"Type": "Fail", "Error": "Failed"},
    },
}


def labels(model: MachineModel, category: str) -> list[str]:
    return [model.label(item) for item in model.items if item.category == category]


def test_the_order_machine_has_an_item_for_everything_a_run_can_do() -> None:
    model = MachineModel(ORDER.name, ORDER.model)
    assert labels(model, "states") == [
        "Validate order",
        "Charge card",
        "Fulfil",
        "Reserve stock",
        "Book courier",
        "Wait for shipping window",
        "Notify customer",
        "Reject order",
        "Payment failed",
    ]
    assert labels(model, "transitions") == [
        "Validate order → Charge card",
        "Validate order → Reject order",
        "Charge card → Fulfil",
        "Charge card → Payment failed",
        "Fulfil → Wait for shipping window",
        "Reserve stock → (end)",
        "Book courier → (end)",
        "Wait for shipping window → Notify customer",
        "Notify customer → (end)",
    ]
    assert labels(model, "choices") == [
        "Validate order: rule #0 → Charge card",
        "Validate order: Default → Reject order",
    ]
    assert labels(model, "retriers") == ["Charge card: Retry #0 (Lambda.TooManyRequestsException)"]
    assert labels(model, "catchers") == ["Charge card: Catch #0 (States.ALL) → Payment failed"]
    assert labels(model, "branches") == [
        "Fulfil: branch #0 (starts at Reserve stock)",
        "Fulfil: branch #1 (starts at Book courier)",
    ]
    assert labels(model, "processors") == []


def test_nested_states_are_found_with_the_states_around_them() -> None:
    sm = StateMachine.from_dict(NESTED)
    found = {state.name: [outer.name for outer in state.enclosing] for state in sm.model.graph.states}
    assert found == {
        "Fan out": [],
        "Left": ["Fan out"],
        "Right": ["Fan out"],
        "Each": [],
        "Work": ["Each"],
        "Failed": [],
    }
    model = MachineModel(sm.name, sm.model)
    assert model.locations["Work"] == "/States/Each/ItemProcessor/States/Work"
    assert labels(model, "processors") == ["Each: ItemProcessor (starts at Work)"]
    assert model.items_of("/States/Fan out") == [
        Item("states", "/States/Fan out"),
        Item("transitions", "/States/Fan out", "Each"),
        Item("retriers", "/States/Fan out", 0),
        Item("branches", "/States/Fan out", 0),
        Item("branches", "/States/Fan out", 1),
    ]


def test_two_rules_to_the_same_state_make_one_transition_and_two_choice_items() -> None:
    sm = StateMachine.from_dict(
        {
            "StartAt": "Ask",
            "States": {
                "Ask": {
                    "Type": "Choice",
                    "Default": "Yes",
                    "Choices": [
                        {"Variable": "$.a", "IsPresent": True, "Next": "Yes"},
                        {"Variable": "$.b", "IsPresent": True, "Next": "Yes"},
                    ],
                },
                "Yes": {"Type": "Succeed"},
            },
        }
    )
    model = MachineModel(sm.name, sm.model)
    assert labels(model, "transitions") == ["Ask → Yes", "Yes → (end)"]
    assert labels(model, "choices") == ["Ask: rule #0 → Yes", "Ask: rule #1 → Yes", "Ask: Default → Yes"]


def test_every_observation_of_a_run_names_an_item_of_the_model() -> None:
    sm = StateMachine.from_dict(NESTED)
    model = MachineModel(sm.name, sm.model)
    run = sm.execute([1, 2], mocks={"Work": mocks.sequence(mocks.returns(1), mocks.raises("Boom"))})
    assert run.status == "FAILED"
    observed = {observed_item(*observation) for observation in run.observations}
    assert observed <= set(model.items)
    assert Item("catchers", "/States/Each", 0) in observed
    assert Item("processors", "/States/Each") in observed


def test_the_digest_ignores_key_order_but_not_content() -> None:
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    reordered = {"States": {"A": {"End": True, "Type": "Pass"}}, "StartAt": "A"}
    changed = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "End": True}}}
    assert definition_digest(definition) == definition_digest(reordered) != definition_digest(changed)
    assert len(definition_digest(definition)) == 12
