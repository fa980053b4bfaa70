"""sfnlocal.replay: reading exported histories, each Task's recorded invocations, the first divergence, and the
sample order workflow (tests/data/replay/orders: a definition and two histories in the AWS CLI's export format).
The recorded AWS corpus is replayed in test_replay_conformance.py."""

from __future__ import annotations

import copy
import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import CORPUS, REPO

from sfnlocal import StateMachine, mocks
from sfnlocal.replay import (
    DIVERGED,
    NOT_REPLAYABLE,
    SAME,
    HistoryError,
    RecordedExecution,
    history_files,
    read_histories,
    read_history,
)
from sfnlocal.replay.records import places, task_records
from sfnlocal.testing import assert_replays_same, replay_cases

ORDERS = REPO / "tests" / "data" / "replay" / "orders"
HISTORIES = ORDERS / "histories"


def orders(**changes: Any) -> StateMachine:
    definition = json.loads((ORDERS / "orders.asl.json").read_text())
    for state, fields in changes.items():
        definition["States"][state].update(fields)
    return StateMachine.from_dict(definition, name="orders")


def started(input_text: str = "{}", **details: Any) -> dict[str, Any]:
    return {
        "id": 1,
        "previousEventId": 0,
        "type": "ExecutionStarted",
        "timestamp": "2025-03-01T09:15:02.118000+01:00",
        "executionStartedEventDetails": {"input": input_text, "inputDetails": {"truncated": False}, **details},
    }


# --- reading ---------------------------------------------------------------------------------------------------


def test_the_aws_cli_output_a_bare_list_and_a_folder_are_read(tmp_path: Path) -> None:
    export = json.loads((HISTORIES / "order-42.json").read_text())
    (tmp_path / "list.json").write_text(json.dumps(export["events"]))
    (tmp_path / "paged.json").write_text(json.dumps({**export, "nextToken": "abc"}))
    found = read_histories([tmp_path, HISTORIES / "order-43.json"])
    assert [Path(r.source).name for r in found] == ["list.json", "paged.json", "order-43.json"]
    assert found[0].events == found[1].events == export["events"]
    assert found[0].input == {"orderId": "42", "items": [{"sku": "A-1"}, {"sku": "B-7"}]}
    assert found[2].ending == {
        "status": "FAILED",
        "error": "OrderInvalid",
        "cause": "The order did not pass validation",
    }


def test_a_history_exported_without_its_data_is_refused_naming_the_flag(tmp_path: Path) -> None:
    event = started()
    del event["executionStartedEventDetails"]["input"]
    path = tmp_path / "no-data.json"
    path.write_text(json.dumps({"events": [event]}))
    with pytest.raises(HistoryError, match="without the execution's data.*--include-execution-data"):
        read_history(path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{", "is not JSON: Expecting property name"),
        ('{"executions": []}', "not an execution history"),
        ('"text"', "not an execution history"),
        ("[1]", "event 1 is not a history event"),
        ('[{"type": "ExecutionStarted", "id": "1"}]', "has no integer id"),
        ('[{"type": "PassStateEntered", "id": 1}]', "does not start with ExecutionStarted"),
        ("[]", "does not start with ExecutionStarted"),
    ],
)
def test_what_is_not_a_history_is_refused_with_the_file_named(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(HistoryError, match=problem) as raised:
        read_history(path)
    assert str(path) in str(raised.value)


def test_a_missing_file_is_a_history_error() -> None:
    with pytest.raises(HistoryError, match="no such file or folder"):
        history_files(["nowhere/at-all.json"])


def test_identity_comes_from_the_describe_output_else_from_the_events() -> None:
    arn = "arn:aws:states:eu-west-1:210987654321:execution:orders:order-7"
    described = RecordedExecution.from_document(
        {"execution": {"executionArn": arn}, "events": [started()]}, "with-describe"
    )
    assert (described.execution_arn, described.region, described.account) == (arn, "eu-west-1", "210987654321")
    bare = RecordedExecution.from_events([started(roleArn="arn:aws:iam::123456789012:role/r")], "bare")
    assert (bare.execution_arn, bare.region, bare.account) == (None, None, "123456789012")
    assert bare.start_time is not None and bare.start_time.isoformat() == "2025-03-01T09:15:02.118000+01:00"


# A recording as `aws stepfunctions get-execution-history` prints it for a state machine named "orders": the
# recorder's placeholders for names, region, partition and UUIDs given real values, payloads as JSON text.
_REAL_NAMES = {
    "arn:<partition>:": "arn:aws:",
    "<region>": "us-east-1",  # the region the corpus definitions name
    "<ArnPart_0idx>": "orders",
    "<MapRunArnPart1_0idx>": "0f6f9b8c-6f0e-4bde-9c2a-3b1d0c5e7a11",
}


def _as_exported(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: json.dumps(_as_exported(v))
            if k in ("input", "output", "parameters", "cause") and not isinstance(v, str)
            else _as_exported(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_as_exported(v) for v in value]
    if isinstance(value, str):
        for placeholder, real in _REAL_NAMES.items():
            value = value.replace(placeholder, real)
        value = re.sub(r"<uuid:(\d+)>", lambda m: str(uuid.uuid5(uuid.NAMESPACE_URL, m.group(1))), value)
    return value


def _exported(case_file: str) -> tuple[StateMachine, RecordedExecution]:
    path = CORPUS / case_file
    if not path.exists():
        pytest.skip("../shared/conformance is not available")
    case = json.loads(path.read_text())
    events = _as_exported(case["history"])
    for event in events:
        event["timestamp"] = "2024-03-17T11:10:40.123000+00:00"
    return StateMachine.from_dict(_as_exported(case["definition"])), RecordedExecution.from_events(events, case_file)


def test_a_child_execution_arn_quoted_in_a_task_answer_is_not_taken_for_the_executions_own() -> None:
    machine, recorded = _exported("v2__callback__test_callback.py--TestCallback--test_start_execution_sync.json")
    child = "arn:aws:states:us-east-1:111111111111:execution:orders:TestStartTarget"
    assert child in json.dumps(recorded.events) and recorded.execution_arn is None
    assert machine.replay(recorded).verdict == SAME


def test_an_execution_arn_quoted_in_a_payload_text_is_read_whole() -> None:
    arn = "arn:aws:states:eu-west-1:123456789012:execution:orders:order-42"
    recorded = RecordedExecution.from_events([started(json.dumps({"self": arn}))], "quoted")
    assert (recorded.execution_arn, recorded.state_machine_name) == (arn, "orders")


def test_the_state_machine_name_comes_from_a_map_run_arn_when_nothing_else_shows_it() -> None:
    machine, recorded = _exported("v2__scenarios__test_base_scenarios.py--TestBaseScenarios--test_map_state_label.json")
    assert (recorded.state_machine_name, recorded.region, recorded.account) == ("orders", "us-east-1", "111111111111")
    assert machine.name != "orders" and machine.replay(recorded).verdict == SAME


def test_a_failure_cause_quoting_the_last_of_several_request_ids_ends_the_same() -> None:
    machine, recorded = _exported(
        "v2__scenarios__test_base_scenarios.py--TestBaseScenarios--test_retry_interval_features.json"
    )
    failed = [event for event in recorded.events if event["type"] == "LambdaFunctionFailed"]
    causes = [event["lambdaFunctionFailedEventDetails"]["cause"] for event in failed]
    assert len({json.loads(cause)["requestId"] for cause in causes}) == 3, "three attempts, three Lambda request ids"
    assert json.loads(recorded.ending["cause"]) == json.loads(causes[-1])
    assert machine.replay(recorded).verdict == SAME


def test_truncated_data_makes_a_history_not_replayable_rather_than_diverging() -> None:
    event = started('{"orde')
    event["executionStartedEventDetails"]["inputDetails"]["truncated"] = True
    recorded = RecordedExecution.from_events([event], "cut")
    assert recorded.truncated == ("event #1 ExecutionStarted: its input was truncated by AWS",)
    report = orders().replay(recorded)
    assert report.verdict == NOT_REPLAYABLE and report.reason.startswith("truncated: event #1 ExecutionStarted")


def test_a_truncated_state_output_makes_a_history_not_replayable_rather_than_diverging() -> None:
    export = json.loads((HISTORIES / "order-42.json").read_text())
    exited = next(event for event in export["events"] if event["type"] == "ChoiceStateExited")
    details = exited["stateExitedEventDetails"]
    details.update(output=details["output"][:5], outputDetails={"truncated": True})
    report = orders().replay(export)
    assert report.verdict == NOT_REPLAYABLE, report.render()
    cut = f"event #{exited['id']} ChoiceStateExited: its output was truncated by AWS"
    assert report.reason == f"truncated: {cut}: the replay needs it whole"


EVENT_TYPES = st.sampled_from(["PassStateEntered", "PassStateExited", "TaskScheduled", "WaitStateEntered"])


@given(st.lists(st.tuples(EVENT_TYPES, st.text(max_size=8)), max_size=12), st.randoms(use_true_random=False))
def test_property_events_are_read_in_id_order_whatever_order_the_file_has(
    body: list[tuple[str, str]], shuffle: Any
) -> None:
    events = [started()] + [
        {"id": i + 2, "previousEventId": i + 1, "type": kind, "stateEnteredEventDetails": {"name": name}}
        for i, (kind, name) in enumerate(body)
    ]
    mixed = copy.deepcopy(events)
    shuffle.shuffle(mixed)
    assert RecordedExecution.from_events(mixed, "shuffled").events == events


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=10,
    )
)
def test_property_the_input_is_the_json_the_export_quotes(value: Any) -> None:
    assert RecordedExecution.from_events([started(json.dumps(value))], "x").input == value


# --- places and records ------------------------------------------------------------------------------------------


def test_task_records_keep_retries_in_order_and_map_iterations_apart() -> None:
    recorded = read_history(HISTORIES / "order-42.json")
    found = task_records(recorded.events)
    assert [r["status"] for r in found["Validate"]] == ["FAILED", "SUCCEEDED"]
    assert found["Validate"][0]["error"] == "Lambda.TooManyRequestsException"
    assert [(r["lane"], r["output"]["Payload"]["sku"]) for r in found["Ship"]] == [
        ([["Ship items", 0]], "A-1"),
        ([["Ship items", 1]], "B-7"),
    ]
    approve = found["Approve"][0]
    assert approve["status"] == "SUCCEEDED" and approve["output"] == {"approvedBy": "ada"}
    assert set(approve["submitted_output"]) == {"MD5OfMessageBody", "MessageId"}


def test_records_read_from_histories_are_those_the_corpus_recorder_extracted() -> None:
    # The corpus's "mocks" were extracted from the same histories by its recorder (which left taskCredentials out).
    if not CORPUS.is_dir():
        pytest.skip("../shared/conformance is not available")
    compared = 0
    for path in sorted(CORPUS.glob("*.json")):
        data = json.loads(path.read_text())
        history = data.get("history") or []
        if not data.get("mocks") or any(not isinstance(e.get("id"), int) for e in history) or not history:
            continue
        found = {
            state: [{k: v for k, v in record.items() if k not in ("lane", "taskCredentials")} for record in records]
            for state, records in task_records(history).items()
        }
        assert found == data["mocks"], data["id"]
        compared += 1
    assert compared >= 150


def test_an_iteration_that_links_into_the_one_before_is_placed_in_its_own() -> None:
    # As AWS records inline Map iterations: the second iteration's start links to the first one's last event.
    iteration = "mapIterationStartedEventDetails"
    events = [
        {"id": 1, "previousEventId": 0, "type": "MapStateEntered", "stateEnteredEventDetails": {"name": "M"}},
        {"id": 2, "previousEventId": 1, "type": "MapStateStarted"},
        {"id": 3, "previousEventId": 2, "type": "MapIterationStarted", iteration: {"name": "M", "index": 0}},
        {"id": 4, "previousEventId": 3, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "P"}},
        {"id": 5, "previousEventId": 4, "type": "MapIterationSucceeded", iteration: {"name": "M", "index": 0}},
        {"id": 6, "previousEventId": 4, "type": "MapIterationStarted", iteration: {"name": "M", "index": 1}},
        {"id": 7, "previousEventId": 6, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "P"}},
        {"id": 8, "previousEventId": 7, "type": "MapIterationSucceeded", iteration: {"name": "M", "index": 1}},
        {"id": 9, "previousEventId": 8, "type": "MapStateSucceeded"},
        {"id": 10, "previousEventId": 8, "type": "MapStateExited", "stateExitedEventDetails": {"name": "M"}},
    ]
    found = places(events)
    assert [found[i].lane for i in (4, 7, 9, 10)] == [(("M", 0),), (("M", 1),), (), ()]
    assert [found[i].state for i in (2, 9, 10)] == ["M", "M", "M"]


# --- verdicts ----------------------------------------------------------------------------------------------------


def test_the_sample_histories_replay_the_same() -> None:
    machine = orders()
    assert [machine.replay(path).verdict for path in sorted(HISTORIES.glob("*.json"))] == [SAME, SAME]


def test_a_flipped_choice_diverges_at_the_choice_in_a_few_lines() -> None:
    changed = orders(
        Route={"Choices": [{"Variable": "$.validation.valid", "BooleanEquals": False, "Next": "Ship items"}]}
    )
    report = changed.replay(HISTORIES / "order-42.json")
    assert report.verdict == DIVERGED
    assert report.render().splitlines()[1:] == [
        "  at state 'Route', event #12 MapStateEntered: the next state",
        "    expected: \"MapStateEntered 'Ship items'\"",
        "    actual:   \"FailStateEntered 'Reject'\"",
    ]


def test_a_changed_result_path_diverges_at_its_state_with_the_values() -> None:
    report = orders(
        Validate={"ResultPath": "$.check"},
        Route={
            "Default": "Reject",
            "Choices": [{"Variable": "$.check.valid", "BooleanEquals": True, "Next": "Ship items"}],
        },
    ).replay(HISTORIES / "order-42.json")
    assert report.divergence is not None
    assert (report.divergence.state, report.divergence.event_type, report.divergence.where) == (
        "Validate",
        "TaskStateExited",
        "output.validation",
    )
    assert report.divergence.expected == {"valid": True}


def test_changed_parameters_in_a_map_iteration_diverge_at_the_task_scheduled() -> None:
    definition = json.loads((ORDERS / "orders.asl.json").read_text())
    definition["States"]["Ship items"]["ItemProcessor"]["States"]["Ship"]["Parameters"]["Payload.$"] = "$.sku"
    report = StateMachine.from_dict(definition).replay(HISTORIES / "order-42.json")
    assert report.divergence is not None
    assert (report.divergence.state, report.divergence.event_type) == ("Ship", "TaskScheduled")
    assert (report.divergence.expected, report.divergence.actual) == ({"sku": "A-1"}, "A-1")


def _reordered(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """order-42's events as if AWS had run the second iteration (events 21-27) before the first (14-20): renumbered,
    and linked as AWS links them (an iteration's start to the last event before it, the Map's end to the last
    iteration's end)."""
    moved = {**{old: old + 7 for old in range(14, 21)}, **{old: old - 7 for old in range(21, 28)}}
    links = {14: 13, 21: 19, 28: 27, 29: 27}  # new id -> its previous event
    for event in events:
        event["id"], event["previousEventId"] = (
            moved.get(event["id"], event["id"]),
            moved.get(event["previousEventId"], event["previousEventId"]),
        )
        event["previousEventId"] = links.get(event["id"], event["previousEventId"])
    return events


def test_a_map_whose_iterations_ran_in_another_order_matches_them_by_index() -> None:
    events = _reordered(json.loads((HISTORIES / "order-42.json").read_text())["events"])
    recorded = RecordedExecution.from_events(events, "reordered")
    assert [r["output"]["Payload"]["sku"] for r in task_records(recorded.events)["Ship"]] == ["B-7", "A-1"]
    report = orders().replay(recorded)
    assert report.verdict == SAME, report.render()


def test_iterations_called_with_the_same_arguments_get_their_own_recorded_answers() -> None:
    # Two items alike: both iterations call Ship with {"sku": "A-1"}, and got different tracking numbers (TRK-1 for
    # iteration 0, TRK-2 for iteration 1), AWS running iteration 1 first. Told apart by their arguments, the
    # iteration sfnlocal runs first would get the answer recorded first, iteration 1's.
    text = (HISTORIES / "order-42.json").read_text()
    text = text.replace("TRK-B-7", "TRK-2").replace("B-7", "A-1").replace("TRK-A-1", "TRK-1")
    recorded = RecordedExecution.from_events(_reordered(json.loads(text)["events"]), "alike")
    assert [
        (r["lane"], r["parameters"]["Payload"], r["output"]["Payload"]["tracking"])
        for r in task_records(recorded.events)["Ship"]
    ] == [
        ([["Ship items", 1]], {"sku": "A-1"}, "TRK-2"),
        ([["Ship items", 0]], {"sku": "A-1"}, "TRK-1"),
    ]
    report = orders().replay(recorded)
    assert report.verdict == SAME, report.render()
    assert report.run is not None
    assert [shipment["tracking"] for shipment in report.run.output["shipments"]] == ["TRK-1", "TRK-2"]


def test_a_history_a_definition_cannot_reach_is_a_divergence_not_an_error() -> None:
    recorded = read_history(HISTORIES / "order-42.json")
    other = StateMachine.from_dict({"StartAt": "Only", "States": {"Only": {"Type": "Succeed"}}})
    report = other.replay(recorded)
    assert report.verdict == DIVERGED and report.divergence is not None
    assert report.divergence.expected == "TaskStateEntered 'Validate'"


def test_the_testing_helpers_make_one_test_per_history() -> None:
    cases = replay_cases(HISTORIES)
    assert [case.id for case in cases] == ["order-42", "order-43"]
    assert assert_replays_same(orders(), cases[0].values[0]).same
    with pytest.raises(AssertionError, match="DIVERGED .*order-43.json\n  at state 'Route'"):
        assert_replays_same(orders(Route={"Default": "Ship items"}), cases[1].values[0])


def test_replay_does_not_change_the_recording_nor_the_machine() -> None:
    recorded = read_history(HISTORIES / "order-42.json")
    before = copy.deepcopy(recorded.events)
    machine = orders()
    definition = copy.deepcopy(machine.definition)
    machine.replay(recorded)
    assert recorded.events == before and machine.definition == definition and machine.name == "orders"


def test_a_mock_sequence_and_a_replay_agree_on_retries() -> None:
    # The replayed retry is what mocks.sequence gives, attempt for attempt.
    machine = orders()
    run = machine.execute(
        {"orderId": "43", "items": []},
        mocks={
            "Validate": mocks.sequence(
                mocks.raises("Lambda.TooManyRequestsException", "x"), mocks.returns({"valid": False})
            )
        },
    )
    exported = json.loads(json.dumps({"events": run.history}, default=str))
    assert machine.replay(exported).verdict == SAME


def test_records_made_in_map_iterations_need_the_integration_that_serves_them_by_iteration() -> None:
    from sfnlocal.replay.mocks import build_mocks

    definition = {"States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish"}}}
    records = {"T": [{"status": "SUCCEEDED", "output": {"MessageId": "m"}, "lane": [["M", 0]]}]}
    with pytest.raises(ValueError, match="'T' were made in Map iterations: pass iterations="):
        build_mocks(definition, records, {}, [])


def test_an_execution_stopped_with_an_error_and_a_cause_replays_the_same() -> None:
    # StopExecution's error and cause, recorded in ExecutionAborted's details, are given to the replay's stop.
    waiting = StateMachine.from_dict({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}})
    events = [
        started(),
        {
            "id": 2,
            "previousEventId": 0,
            "type": "WaitStateEntered",
            "timestamp": "2025-03-01T09:15:02.200000+01:00",
            "stateEnteredEventDetails": {"name": "W", "input": "{}", "inputDetails": {"truncated": False}},
        },
        {
            "id": 3,
            "previousEventId": 0,
            "type": "ExecutionAborted",
            "timestamp": "2025-03-01T09:16:02.118000+01:00",
            "executionAbortedEventDetails": {"error": "Ops", "cause": "manual stop"},
        },
    ]
    report = waiting.replay({"events": events})
    assert report.verdict == SAME, report.render()
    assert (report.run.status, report.run.error, report.run.cause) == ("ABORTED", "Ops", "manual stop")
