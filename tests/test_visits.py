"""What an execution's visits (sfnlocal/interpreter/visits.py) tell a caller: the path, the timeline, each state's
record (``run.states`` / ``run.state()``), the transitions among the observations, and the counts of a Distributed
Map's children.

The expected values follow from the workflows' semantics and from the history the execution recorded (the
AWS-shaped account of the run): a state's record holds the input of its last visit, the output of the visit that
exited last (its last ...StateExited event), how many times it was entered (its ...StateEntered events) and whether
any visit exited. Each test runs with the fast path for Pass, Choice and Succeed (``visit.visit_now``, whose visits
are noted whole) and without it (every visit noted at entry and completed at exit), the one internal hook patched:
both kinds of entry must read the same.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from sfnlocal import StateMachine, mocks
from sfnlocal.interpreter import visit as visit_module

START = datetime(2025, 1, 1, tzinfo=UTC).timestamp()  # execute()'s default start_time


@pytest.fixture(params=["fast path", "generator only"], autouse=True)
def way_of_visiting(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "generator only":
        monkeypatch.setattr(visit_module, "may_visit_now", lambda state, execution: False)
    return str(request.param)


def state_events(run: Any, name: str, suffix: str) -> list[dict[str, Any]]:
    """The history's ...StateEntered or ...StateExited events of the state ``name``, in order."""
    key = "stateEnteredEventDetails" if suffix == "Entered" else "stateExitedEventDetails"
    return [e for e in run.history if e["type"].endswith(f"State{suffix}") and e[key]["name"] == name]


def transitions(run: Any) -> list[tuple[str, Any]]:
    return [(location, detail) for kind, location, detail in run.observations if kind == "transition"]


# A state entered several times ------------------------------------------------------------------------------

COUNTER_LOOP = {
    "StartAt": "Start",
    "States": {
        "Start": {"Type": "Pass", "Result": 0, "ResultPath": "$.i", "Next": "Check"},
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.i", "NumericLessThan": 3, "Next": "Body"}],
            "Default": "Done",
        },
        "Body": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Pause"},
        "Pause": {"Type": "Wait", "Seconds": 10, "Next": "Check"},
        "Done": {"Type": "Succeed"},
    },
}


def test_a_state_entered_in_a_loop_counts_its_visits_and_keeps_the_last() -> None:
    run = StateMachine.from_dict(COUNTER_LOOP).execute({"x": "y"})

    assert run.status == "SUCCEEDED"
    assert run.output == {"i": 3}
    # Start, then three rounds of Check-Body-Pause, then the Check that lets the loop go, then Done.
    assert run.path == ["Start"] + ["Check", "Body", "Pause"] * 3 + ["Check", "Done"]
    check, body, pause = run.state("Check"), run.state("Body"), run.state("Pause")
    assert (check.entered, check.input, check.output, check.exited) == (4, {"i": 3}, {"i": 3}, True)
    # Body saw i = 0, 1, 2 (the first time with the execution's x beside it) and gave i + 1.
    assert (body.entered, body.input, body.output, body.exited) == (3, {"i": 2}, {"i": 3}, True)
    assert (pause.entered, pause.input, pause.output) == (3, {"i": 3}, {"i": 3})
    assert run.state("Start") == run.states["Start"]
    assert (run.state("Start").input, run.state("Start").output) == ({"x": "y"}, {"x": "y", "i": 0})
    assert list(run.states) == ["Start", "Check", "Body", "Pause", "Done"]  # in the order first entered
    # The records agree with the history: the last Entered and Exited events of each state, and their count.
    for name in run.states:
        entered, exited = state_events(run, name, "Entered"), state_events(run, name, "Exited")
        record = run.states[name]
        assert record.entered == len(entered)
        assert record.input == json.loads(entered[-1]["stateEnteredEventDetails"]["input"])
        assert record.output == json.loads(exited[-1]["stateExitedEventDetails"]["output"])


def test_a_loops_timeline_follows_the_virtual_clock() -> None:
    run = StateMachine.from_dict(COUNTER_LOOP).execute({})

    expected = [("Start", START, START)]
    for round_ in range(3):
        at = START + 10 * round_
        expected += [("Check", at, at), ("Body", at, at), ("Pause", at, at + 10)]
    expected += [("Check", START + 30, START + 30), ("Done", START + 30, START + 30)]
    assert [(t.name, t.entered_at, t.exited_at) for t in run.timeline] == expected


def test_transitions_are_one_per_exited_visit_in_the_order_they_exited() -> None:
    run = StateMachine.from_dict(COUNTER_LOOP).execute({})

    loop = [("/States/Check", "Body"), ("/States/Body", "Pause"), ("/States/Pause", "Check")]
    assert transitions(run) == [("/States/Start", "Check")] + loop * 3 + [
        ("/States/Check", "Done"),
        ("/States/Done", None),
    ]
    choices = [(location, detail) for kind, location, detail in run.observations if kind == "choice"]
    assert choices == [("/States/Check", 0)] * 3 + [("/States/Check", "Default")]


def test_a_state_whose_last_visit_failed_keeps_the_output_of_the_visit_that_exited() -> None:
    """Body's first visit exits; its second cannot read $.x (Parameters dropped it) and fails: Body was entered twice,
    its input is the second visit's, its output the first's, and it did exit (once)."""
    definition = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.i", "NumericLessThan": 2, "Next": "Body"}],
                "Default": "Done",
            },
            "Body": {
                "Type": "Pass",
                "Parameters": {"i.$": "States.MathAdd($.i, 1)", "first.$": "$.x"},
                "Next": "Check",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    run = StateMachine.from_dict(definition).execute({"i": 0, "x": "hello"})

    assert run.status == "FAILED"
    assert run.error == "States.Runtime"
    second_entry = state_events(run, "Body", "Entered")[1]["id"]
    assert f"'Body' (entered at the event id #{second_entry})" in (run.cause or "")
    body = run.state("Body")
    assert (body.entered, body.input, body.output, body.exited) == (
        2,
        {"i": 1, "first": "hello"},
        {"i": 1, "first": "hello"},
        True,
    )
    assert [(t.name, t.exited_at) for t in run.timeline] == [
        ("Check", START),
        ("Body", START),
        ("Check", START),
        ("Body", None),
    ]
    assert transitions(run) == [("/States/Check", "Body"), ("/States/Body", "Check"), ("/States/Check", "Body")]


# Visits that exit out of the order they were entered ------------------------------------------------------------

ITEMS = [{"id": "a", "wait": 3}, {"id": "b", "wait": 1}, {"id": "c", "wait": 2}]
OUT_OF_ORDER_MAP = {
    "StartAt": "M",
    "States": {
        "M": {
            "Type": "Map",
            "MaxConcurrency": 3,
            "ItemProcessor": {
                "StartAt": "W",
                "States": {
                    "W": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "P"},
                    "P": {"Type": "Pass", "Parameters": {"id.$": "$.id", "at.$": "$$.State.EnteredTime"}, "End": True},
                },
            },
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


def test_an_inline_maps_record_holds_the_output_of_the_visit_that_exited_last() -> None:
    """Three iterations at once: W is entered for a, b, c and exits after 3, 1 and 2 seconds, so its last visit (c's)
    is not the one that exited last (a's); P is then visited in the order W exited."""
    run = StateMachine.from_dict(OUT_OF_ORDER_MAP).execute(ITEMS)

    assert run.status == "SUCCEEDED"
    w, p = run.state("W"), run.state("P")
    w_entered, w_exited = state_events(run, "W", "Entered"), state_events(run, "W", "Exited")
    # The history, the AWS-shaped truth: the last W entered had c's input, the last W to exit gave a's output.
    assert json.loads(w_entered[-1]["stateEnteredEventDetails"]["input"]) == w.input == ITEMS[2]
    assert json.loads(w_exited[-1]["stateExitedEventDetails"]["output"]) == w.output == ITEMS[0]
    assert (w.entered, w.exited) == (3, True)
    p_exited = state_events(run, "P", "Exited")
    assert json.loads(p_exited[-1]["stateExitedEventDetails"]["output"]) == p.output
    assert p.input == ITEMS[0] and p.output == {"id": "a", "at": "2025-01-01T00:00:03.000Z"}
    assert run.output == [
        {"id": "a", "at": "2025-01-01T00:00:03.000Z"},
        {"id": "b", "at": "2025-01-01T00:00:01.000Z"},
        {"id": "c", "at": "2025-01-01T00:00:02.000Z"},
    ]


def test_an_inline_maps_timeline_and_path_list_visits_in_the_order_they_were_entered() -> None:
    run = StateMachine.from_dict(OUT_OF_ORDER_MAP).execute(ITEMS)

    # Each W visit exits its item's seconds after it was entered; the P visits are entered as the Ws exit.
    waits = [json.loads(e["stateEnteredEventDetails"]["input"])["wait"] for e in state_events(run, "W", "Entered")]
    assert sorted(waits) == [1, 2, 3]
    w_timeline = [(t.entered_at, t.exited_at) for t in run.timeline if t.name == "W"]
    assert w_timeline == [(START, START + wait) for wait in waits]
    assert [(t.entered_at, t.exited_at) for t in run.timeline if t.name == "P"] == [
        (START + s, START + s) for s in (1, 2, 3)
    ]
    # The three iterations start at once, and their Ps come 1, 2 and 3 seconds later.
    assert run.path == ["M", "W", "W", "W", "P", "P", "P", "Done"] == [t.name for t in run.timeline]
    # The Map's own visit spans its iterations: entered at the start, exited when the slowest item is done.
    (m,) = [t for t in run.timeline if t.name == "M"]
    assert (m.entered_at, m.exited_at) == (START, START + 3)


def test_an_inline_maps_transitions_follow_the_order_of_the_exited_events() -> None:
    run = StateMachine.from_dict(OUT_OF_ORDER_MAP).execute(ITEMS)

    where = {"M": ("/States/M", "Done"), "Done": ("/States/Done", None)}
    where["W"] = ("/States/M/ItemProcessor/States/W", "P")
    where["P"] = ("/States/M/ItemProcessor/States/P", None)
    exited = [e["stateExitedEventDetails"]["name"] for e in run.history if e["type"].endswith("StateExited")]
    assert transitions(run) == [where[name] for name in exited]
    iterations = sorted(detail for kind, _, detail in run.observations if kind == "iteration")
    assert iterations == [0, 1, 2]


def test_task_visits_that_answer_out_of_order_keep_the_last_answer() -> None:
    """A mocked Task answering later for the earlier items: its record's output is the answer that came last."""
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "T",
                    "States": {
                        "T": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::lambda:invoke",
                            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                            "OutputPath": "$.Payload",
                            "End": True,
                        }
                    },
                },
                "End": True,
            }
        },
    }
    answers = mocks.sequence(
        mocks.returns({"n": 0}, after=5), mocks.returns({"n": 1}, after=3), mocks.returns({"n": 2}, after=1)
    )
    run = StateMachine.from_dict(definition).execute([0, 1, 2], mocks={"T": answers})

    assert run.status == "SUCCEEDED"
    exited = state_events(run, "T", "Exited")
    assert [json.loads(e["stateExitedEventDetails"]["output"]) for e in exited] == [{"n": 2}, {"n": 1}, {"n": 0}]
    t = run.state("T")
    assert (t.entered, t.input, t.output, t.exited) == (3, 2, {"n": 0}, True)


# A state that failed: entered, never exited ---------------------------------------------------------------------

FAILING: dict[str, tuple[dict[str, Any], str]] = {
    "pass with a missing InputPath": ({"Type": "Pass", "InputPath": "$.missing", "End": True}, "States.Runtime"),
    "choice without a matching rule": (
        {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 0, "Next": "Never"}]},
        "States.Runtime",
    ),
    "jsonata output failing": (
        {"QueryLanguage": "JSONata", "Type": "Pass", "Output": "{% $states.input.s + 1 %}", "End": True},
        "States.QueryEvaluationError",
    ),
    "succeed with a missing OutputPath": ({"Type": "Succeed", "OutputPath": "$.missing"}, "States.Runtime"),
    "task failing": (
        {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f"},
            "End": True,
        },
        "Boom",
    ),
}


@pytest.mark.parametrize("case", list(FAILING))
def test_a_state_that_failed_was_entered_and_never_exited(case: str) -> None:
    spec, error = FAILING[case]
    definition = {
        "StartAt": "Before",
        "States": {
            "Before": {"Type": "Wait", "Seconds": 4, "Next": "Bad"},
            "Bad": spec,
            "Never": {"Type": "Succeed"},
        },
    }
    execution_input = {"n": 1, "s": "text"}
    task_mocks = {"Bad": mocks.raises("Boom", "no")} if spec["Type"] == "Task" else None
    run = StateMachine.from_dict(definition).execute(execution_input, mocks=task_mocks)

    assert (run.status, run.error) == ("FAILED", error)
    bad = run.state("Bad")
    assert (bad.entered, bad.input, bad.output, bad.exited) == (1, execution_input, None, False)
    assert [(t.name, t.entered_at, t.exited_at) for t in run.timeline] == [
        ("Before", START, START + 4),
        ("Bad", START + 4, None),
    ]
    assert run.path == ["Before", "Bad"]
    assert len(state_events(run, "Bad", "Entered")) == 1 and state_events(run, "Bad", "Exited") == []
    assert transitions(run) == [("/States/Before", "Bad")]
    assert "Never" not in run.states
    with pytest.raises(KeyError, match="'Never' was not entered"):
        run.state("Never")


# A Distributed Map's children: counted, not listed ------------------------------------------------------------------


def distributed(processor_states: dict[str, Any], tolerated: int = 0) -> dict[str, Any]:
    return {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ToleratedFailurePercentage": tolerated,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "C",
                    "States": processor_states,
                },
                "End": True,
            }
        },
    }


CHILD = "/States/M/ItemProcessor/States"


def test_a_distributed_maps_children_are_counted_with_their_transitions() -> None:
    processor = {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Zero"}], "Default": "Other"},
        "Zero": {"Type": "Pass", "Result": "zero", "End": True},
        "Other": {"Type": "Pass", "End": True},
    }
    run = StateMachine.from_dict(distributed(processor)).execute([0, 1, 2, 5])

    assert run.status == "SUCCEEDED"
    assert run.output == ["zero", 1, 2, 5]
    assert run.path == ["M"] and list(run.states) == ["M"]  # the children are executions of their own
    assert run.child_state_counts == {"C": 4, "Zero": 1, "Other": 3}
    assert run.child_observation_counts == {
        ("iteration", "/States/M", None): 4,
        ("choice", f"{CHILD}/C", 0): 1,
        ("choice", f"{CHILD}/C", "Default"): 3,
        ("transition", f"{CHILD}/C", "Zero"): 1,
        ("transition", f"{CHILD}/C", "Other"): 3,
        ("transition", f"{CHILD}/Zero", None): 1,
        ("transition", f"{CHILD}/Other", None): 3,
    }
    # The parent's own observations: only its Map's transition (to the end).
    assert transitions(run) == [("/States/M", None)]


def test_a_distributed_map_child_that_fails_counts_its_entry_but_no_transition() -> None:
    """Without a Default, the child of item 1 matches no rule and fails (tolerated): C entered twice, left once."""
    processor = {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 0, "Next": "Zero"}]},
        "Zero": {"Type": "Pass", "Result": "zero", "End": True},
    }
    run = StateMachine.from_dict(distributed(processor, tolerated=100)).execute([0, 1])

    assert run.status == "SUCCEEDED"
    assert run.child_state_counts == {"C": 2, "Zero": 1}
    assert run.child_observation_counts == {
        ("iteration", "/States/M", None): 2,
        ("choice", f"{CHILD}/C", 0): 1,
        ("transition", f"{CHILD}/C", "Zero"): 1,
        ("transition", f"{CHILD}/Zero", None): 1,
    }


# The order of the observations ----------------------------------------------------------------------------------


def test_observations_are_in_the_order_the_states_made_them() -> None:
    # A Choice picks its rule, then leaves; the Pass after it leaves; the second Choice picks, then leaves.
    run = StateMachine.from_dict(
        {
            "StartAt": "C",
            "States": {
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "P"}]},
                "P": {"Type": "Pass", "Next": "C2"},
                "C2": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "E"}]},
                "E": {"Type": "Succeed"},
            },
        }
    ).execute({"n": 1})

    assert run.observations == [
        ("choice", "/States/C", 0),
        ("transition", "/States/C", "P"),
        ("transition", "/States/P", "C2"),
        ("choice", "/States/C2", 0),
        ("transition", "/States/C2", "E"),
        ("transition", "/States/E", None),
    ]


def test_a_retry_and_a_catch_come_between_the_transitions_around_them() -> None:
    run = StateMachine.from_dict(
        {
            "StartAt": "Before",
            "States": {
                "Before": {"Type": "Pass", "Next": "T"},
                "T": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 1, "IntervalSeconds": 1}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
                    "Next": "Recover",
                },
                "Recover": {"Type": "Succeed"},
            },
        }
    ).execute({}, mocks={"T": mocks.raises("Busy", "try later")})

    assert run.observations == [
        ("transition", "/States/Before", "T"),
        ("retry", "/States/T", 0),
        ("catch", "/States/T", 0),
        ("transition", "/States/T", "Recover"),
        ("transition", "/States/Recover", None),
    ]
