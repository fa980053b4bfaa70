"""sfnlocal.testing's assertion helpers: they pass when they should, and their failures say what differed."""

from __future__ import annotations

import pytest
from support import REPO

from sfnlocal import StateMachine, mocks
from sfnlocal.testing import (
    assert_caught,
    assert_failed,
    assert_path,
    assert_retries,
    assert_state_output,
    assert_succeeded,
    json_differences,
)

ORDER = StateMachine.from_file(REPO / "examples" / "order" / "order.asl.json")
HAPPY_PATH = [
    "Validate order",
    "Charge card",
    "Fulfil",
    "Reserve stock",
    "Book courier",
    "Wait for shipping window",
    "Notify customer",
]


def order(total: object = 5, charge: object = None) -> object:
    return ORDER.execute(
        {"order": {"id": "o-1", "total": total}},
        mocks={
            "Charge card": charge or mocks.returns({"chargeId": "ch_1"}),
            "Reserve stock": mocks.returns({"ok": True}),
            "Notify customer": mocks.returns({"sent": True}),
        },
    )


def failure(check: object, *arguments: object) -> str:
    """The message of the AssertionError a helper raises, its lines stripped: pytest's assertion rewriting
    indents a message's lines and adds its own explanation, which is left out here."""
    with pytest.raises(AssertionError) as raised:
        check(*arguments)  # type: ignore[operator]
    lines = [line.strip() for line in str(raised.value).splitlines()]
    explained = next((i for i, line in enumerate(lines) if line.startswith("assert ")), len(lines))
    return "\n".join(lines[:explained])


def test_assert_path_shows_where_the_path_went_another_way() -> None:
    run = order(charge=mocks.raises("Declined", "card declined"))
    assert_path(run, ["Validate order", "Charge card", "Payment failed"])
    message = failure(assert_path, run, HAPPY_PATH)
    assert message.startswith(
        "the execution took another path (- expected, + taken), first at step 3:\n"
        "Validate order\n"
        "Charge card\n"
        "- Fulfil\n"
        "- Reserve stock\n"
        "- Book courier\n"
        "- Wait for shipping window\n"
        "- Notify customer\n"
        "+ Payment failed\n"
        '(order FAILED with Declined ("card declined") in state Payment failed; path: Validate order → '
        "Charge card → Payment failed)"
    )


def test_assert_path_leaves_out_long_stretches_that_agree() -> None:
    sm = StateMachine.from_dict(
        {
            "StartAt": "Each",
            "States": {
                "Each": {
                    "Type": "Map",
                    "End": True,
                    "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": True}}},
                }
            },
        }
    )
    run = sm.execute(list(range(10)))
    message = failure(assert_path, run, ["Each"] + ["Item"] * 9)
    assert message.splitlines()[1:7] == ["Each", "Item", "... 6 more ...", "Item", "Item", "+ Item"]


def test_assert_state_output_lists_each_difference_as_a_path() -> None:
    run = order()
    expected = {"order": {"id": "o-1", "total": 5}, "payment": {"chargeId": "ch_1"}}
    assert_state_output(run, "Charge card", expected)
    message = failure(
        assert_state_output,
        run,
        "Charge card",
        {"order": {"id": "o-2", "total": 5, "currency": "EUR"}, "payment": {"chargeId": "ch_1"}},
    )
    assert message == (
        "the output of state 'Charge card' differs from the expected one:\n"
        '$.order.id: expected "o-2", got "o-1"\n'
        '$.order.currency: missing (expected "EUR")'
    )


def test_assert_state_output_says_when_the_state_never_finished() -> None:
    rejected = order(total=0)
    assert failure(assert_state_output, rejected, "Charge card", {}).startswith(
        "state 'Charge card' was not entered: order FAILED with InvalidOrder"
    )
    unmocked = ORDER.execute(
        {"order": {"id": "o-1", "total": 5}}, mocks={"Charge card": mocks.returns({"chargeId": "c"})}
    )
    assert failure(assert_state_output, unmocked, "Reserve stock", {}).startswith(
        "state 'Reserve stock' did not finish: order FAILED with sfnlocal.MockMissing"
    )


def test_assert_caught_by_index_or_by_error_name() -> None:
    run = order(charge=mocks.raises("Declined"))
    assert_caught(run, "Charge card", 0)
    assert_caught(run, "Charge card", "Declined")  # States.ALL catches it
    message = failure(assert_caught, order(), "Charge card", "Declined")
    assert message.startswith(
        "Catch #0 (States.ALL) → Payment failed of state 'Charge card' did not fire: "
        "no catcher fired; order SUCCEEDED; path: Validate order → Charge card"
    )
    assert "the state was not entered" in failure(assert_caught, order(total=0), "Charge card", 0)


def test_assert_caught_names_the_catcher_that_fired_instead() -> None:
    sm = StateMachine.from_dict(
        {
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                    "End": True,
                    "Catch": [
                        {"ErrorEquals": ["Timeout.Custom"], "Next": "Slow"},
                        {"ErrorEquals": ["States.ALL"], "Next": "Broken"},
                    ],
                },
                "Slow": {"Type": "Succeed"},
                "Broken": {"Type": "Succeed"},
            },
        }
    )
    run = sm.execute({}, mocks={"Call": mocks.raises("Boom")})
    assert failure(assert_caught, run, "Call", "Timeout.Custom").startswith(
        "Catch #0 (Timeout.Custom) → Slow of state 'Call' did not fire: Catch #1 (States.ALL) → Broken fired instead"
    )


def test_assert_caught_refuses_catchers_the_state_does_not_have() -> None:
    run = order()
    with pytest.raises(ValueError, match=r"state 'Charge card' has no Catch #1 \(its catchers: Catch #0 "):
        assert_caught(run, "Charge card", 1)
    with pytest.raises(ValueError, match="no Catcher of state 'Fulfil' catches 'Oops' \\(its catchers: none\\)"):
        assert_caught(run, "Fulfil", "Oops")
    with pytest.raises(ValueError, match="state machine 'order' has no state named 'Charge'"):
        assert_caught(run, "Charge", 0)


def test_assert_retries_counts_every_retry_of_the_state() -> None:
    throttled = mocks.sequence(*[mocks.raises("Lambda.TooManyRequestsException")] * 2, mocks.returns({"chargeId": 1}))
    run = order(charge=throttled)
    assert_retries(run, "Charge card", 2)
    assert_retries(run, "Notify customer", 0)
    assert failure(assert_retries, run, "Charge card", 1).startswith(
        "state 'Charge card' was retried 2 times, expected 1 "
        "(Retry #0 (Lambda.TooManyRequestsException) 2×); order SUCCEEDED"
    )
    assert failure(assert_retries, order(), "Charge card", 1).startswith(
        "state 'Charge card' was retried 0 times, expected 1 (no retrier fired)"
    )


def test_assert_succeeded_and_assert_failed_say_how_it_ended() -> None:
    assert_succeeded(order())
    rejected = order(total=0)
    assert_failed(rejected)
    assert_failed(rejected, "InvalidOrder")
    assert failure(assert_succeeded, rejected).startswith(
        'the execution did not succeed: order FAILED with InvalidOrder ("The order has no positive total") in '
        "state Reject order; path: Validate order → Reject order"
    )
    assert failure(assert_failed, rejected, "States.Timeout").startswith(
        "the execution was expected to fail with States.Timeout: order FAILED with InvalidOrder"
    )
    assert failure(assert_failed, order()).startswith("the execution was expected to fail: order SUCCEEDED")


def test_json_differences_are_type_aware_and_name_awkward_keys() -> None:
    assert json_differences({"a b": {"c": [1]}}, {"a b": {"c": [1.0]}}) == []
    assert json_differences({"a b": {"c": [True]}}, {"a b": {"c": [1]}}) == ['$["a b"].c[0]: expected true, got 1']
    assert json_differences([1], 1) == ["$: expected [1], got 1"]
    assert json_differences("x" * 100, "y") == [f'$: expected "{"x" * 78}…, got "y"']
