"""Fault injection with Hypothesis: the strategies of sfnlocal.testing, and the order workflow's properties."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from support import REPO

from sfnlocal import StateMachine, mocks
from sfnlocal.testing import UNEXPECTED_ERRORS, execution_inputs, fault_errors, json_values, task_outcomes

ORDER = StateMachine.from_file(REPO / "examples" / "order" / "order.asl.json")
ORDER_FAIL_STATES = {"Reject order", "Payment failed"}
# Orders as the workflow expects them; the total may be missing, zero or negative (then it is rejected).
ORDERS = execution_inputs(
    st.fixed_dictionaries(
        {
            "order": st.fixed_dictionaries(
                {"id": st.text(min_size=1, max_size=8)}, optional={"total": st.integers(-10, 1000) | st.floats(-1, 1e6)}
            )
        }
    )
)
# Charge card's ResultSelector reads $.Payload.chargeId: a successful charge has one.
CHARGES = {"Charge card": st.fixed_dictionaries({"chargeId": st.text(max_size=8)})}

NESTED = StateMachine.from_dict(
    {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "End": True,
                "Retry": [{"ErrorEquals": ["States.Runtime", "Branch.Flaky"], "MaxAttempts": 1}],
                "Catch": [{"ErrorEquals": ["Branch.Broken"], "Next": "Broken"}],
                "Branches": [
                    {
                        "StartAt": "Call",
                        "States": {
                            "Call": {
                                "Type": "Task",
                                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:call",
                                "End": True,
                                "Retry": [
                                    {"ErrorEquals": ["Call.Busy"], "MaxAttempts": 2},
                                    {"ErrorEquals": ["States.ALL"], "MaxAttempts": 1},
                                ],
                            }
                        },
                    }
                ],
            },
            "Broken": {"Type": "Fail", "Error": "Broken"},
        },
    }
)


@given(json_values())
def test_json_values_survive_a_json_round_trip(value: object) -> None:
    assert json.loads(json.dumps(value)) == value


@given(execution_inputs(), execution_inputs(st.tuples(st.integers(), st.text())))
def test_execution_inputs_are_json_as_the_execution_sees_it(anything: object, pair: object) -> None:
    assert isinstance(anything, dict)
    assert isinstance(pair, list) and len(pair) == 2


def test_a_strategy_of_values_that_are_not_json_is_refused_with_the_value() -> None:
    with pytest.raises(TypeError, match=r"an execution input must be a JSON value, but \$ is \{1, 2\}, a set"):
        find(execution_inputs(st.just({1, 2})), lambda value: True)


def test_fault_errors_come_from_the_rules_around_each_task_then_unexpected_ones() -> None:
    assert fault_errors(ORDER) == {
        "Charge card": ("Lambda.TooManyRequestsException", *UNEXPECTED_ERRORS),
        "Reserve stock": UNEXPECTED_ERRORS,
        "Notify customer": UNEXPECTED_ERRORS,
    }
    # The Parallel's rules count too; States.ALL and the uncatchable States.Runtime do not.
    assert fault_errors(NESTED, unexpected=["Oops"]) == {"Call": ("Branch.Flaky", "Branch.Broken", "Call.Busy", "Oops")}


def test_each_task_gets_enough_outcomes_for_every_retry() -> None:
    outcomes = find(task_outcomes(ORDER), lambda outcomes: True)
    assert {name: len(sequence.outcomes) for name, sequence in outcomes.items()} == {
        "Charge card": 1 + 3,
        "Reserve stock": 1,
        "Notify customer": 1,
    }
    # Call: its own retriers (2 + 1 retries), times its Parallel's (1 retry); times the visits asked for.
    nested = find(task_outcomes(NESTED, visits=3), lambda outcomes: True)
    assert len(nested["Call"].outcomes) == 3 * (1 + 2 + 1) * (1 + 1)


def test_the_last_drawn_outcome_persists_to_the_end_of_the_sequence() -> None:
    outcomes = find(
        task_outcomes(ORDER, results=st.just("done")),
        lambda outcomes: isinstance(outcomes["Charge card"].outcomes[0], mocks.Raises),
    )
    assert (
        outcomes["Charge card"].outcomes
        == (mocks.raises("Lambda.TooManyRequestsException", "injected by sfnlocal.testing"),) * 4
    )
    assert outcomes["Reserve stock"] == mocks.sequence(mocks.returns("done"))


def test_only_the_tasks_named_in_faults_fail_and_results_can_be_given_per_task() -> None:
    strategy = task_outcomes(ORDER, faults=["Charge card"], results={"Reserve stock": st.just({"reserved": 1})})

    @settings(max_examples=30, database=None)
    @given(strategy)
    def check(outcomes: dict[str, mocks.Sequence]) -> None:
        assert outcomes["Reserve stock"].outcomes == (mocks.returns({"reserved": 1}),)
        assert all(isinstance(outcome, mocks.Returns) for outcome in outcomes["Notify customer"].outcomes)

    check()
    with pytest.raises(
        ValueError,
        match="faults= names no Task state of this machine: 'Charge' "
        "\\(its Task states: 'Charge card', 'Reserve stock', 'Notify customer'\\)",
    ):
        task_outcomes(ORDER, faults=["Charge"])
    with pytest.raises(ValueError, match="results= names no Task state of this machine: 'Fulfil'"):
        task_outcomes(ORDER, results={"Fulfil": st.none()})
    with pytest.raises(ValueError, match="visits must be 1 or more, not 0"):
        task_outcomes(ORDER, visits=0)


# The example: whatever the card charge does, an order ends successfully or in one of its Fail states.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=ORDERS, outcomes=task_outcomes(ORDER, faults=["Charge card"], results=CHARGES))
def test_a_failing_charge_never_leaves_the_order_workflow_uncaught(sfn, order, outcomes) -> None:  # noqa: ANN001
    run = sfn.load(ORDER).execute(order, mocks=outcomes)
    assert run.status == "SUCCEEDED" or run.path[-1] in ORDER_FAIL_STATES, run.error


def test_injecting_faults_everywhere_finds_the_tasks_nothing_catches() -> None:
    order = {"order": {"id": "o-1", "total": 5}}

    def escapes(outcomes: dict[str, mocks.Sequence]) -> bool:
        run = ORDER.execute(order, mocks=outcomes)
        return run.status == "FAILED" and not ORDER_FAIL_STATES & set(run.path)

    quick = settings(database=None, phases=[Phase.generate, Phase.shrink])  # no explain phase: it takes seconds
    outcomes = find(task_outcomes(ORDER, results=CHARGES), escapes, settings=quick)
    # Neither Reserve stock (nor the Parallel around it) nor Notify customer has a Catch.
    failing = [
        name for name in ("Reserve stock", "Notify customer") if isinstance(outcomes[name].outcomes[0], mocks.Raises)
    ]
    assert failing and ORDER.execute(order, mocks=outcomes).error == outcomes[failing[0]].outcomes[0].error
