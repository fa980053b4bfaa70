"""The conformance runner (``python -m conformance``): normalisation, comparison, replay, report, CLI.

Hand-made examples follow the recording conventions of ../shared/conformance/README.md; the end-to-end
test runs the project's own cases (expected values from the AWS documentation) through sfnlocal.
"""

from __future__ import annotations

import copy
import doctest
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from hypothesis import given
from hypothesis import strategies as st
from moto import mock_aws

import conformance.answers
import conformance.bindings
import conformance.cases
import conformance.cli
import conformance.compare
import conformance.normalise
import conformance.replay
import conformance.report
import conformance.runner
import conformance.scope
import conformance.serve
import sfnlocal
from conformance import answers, bindings, replay, runner, serve
from conformance.cases import OWN_CASES, SHARED_CASES, Case, CaseFormatError, find_files, iter_cases
from conformance.cli import main
from conformance.compare import compare_details, compare_links, compare_primary, first_difference
from conformance.normalise import (
    EXECUTION_NAME,
    STATE_MACHINE_NAME,
    Conventions,
    apply_masks,
    drop_paths,
    normalise,
    normalise_history,
    normalise_result,
    normalise_text,
)
from conformance.report import by_feature, format_table, parse_rate, tally, to_json
from conformance.runner import FAIL, PASS, SKIP, CaseResult, run_case
from conformance.scope import is_core, is_integration
from sfnlocal import AwsWorld, mocks
from sfnlocal.interpreter import registry
from sfnlocal.language.errors import DefinitionError

UUID_A = "0f6f9b8c-6f0e-4bde-9c2a-3b1d0c5e7a11"
UUID_B = "7d2c1a3e-1b2c-4d5e-8f90-a1b2c3d4e5f6"


def make_case(**fields: Any) -> Case:
    base: dict[str, Any] = {"id": "hand/made", "definition": {}, "input": {}, "expected": {"status": "SUCCEEDED"}}
    base.update(fields)
    return Case.from_dict(base)


def event(id_: Any, prev: int, type_: str, **details: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"id": id_, "previousEventId": prev, "type": type_, "timestamp": "timestamp"}
    found.update(details)
    return found


# --- the modules' own examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [
        conformance.answers,
        conformance.bindings,
        conformance.cases,
        conformance.cli,
        conformance.compare,
        conformance.normalise,
        conformance.replay,
        conformance.report,
        conformance.runner,
        conformance.scope,
        conformance.serve,
    ],
)
def test_docstring_examples(module: Any) -> None:
    failed, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failed == 0


# --- normalisation -------------------------------------------------------------------------------


def test_names_partition_region_and_dates_become_placeholders() -> None:
    arn = f"arn:aws:states:us-east-1:111111111111:execution:{STATE_MACHINE_NAME}:{EXECUTION_NAME}"
    assert normalise_text(arn) == (
        "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>"
    )
    assert normalise_text("at 2024-03-17T11:10:40.123+00:00 and 2024-03-17T11:10:40Z") == "at date and date"
    assert normalise_text("no date 2024-03-17 here") == "no date 2024-03-17 here"


def test_recording_replacements_come_before_the_common_ones() -> None:
    activity = "arn:aws:states:us-east-1:111111111111:activity:work"
    assert normalise_text(activity, [(activity, "activity_arn")]) == "activity_arn"


def test_uuids_under_id_keys_are_numbered_in_order_and_replaced_everywhere() -> None:
    value = {
        "b": {"RequestId": UUID_A},
        "x-amzn-RequestId": UUID_B,
        "Cause": f"{UUID_B} then {UUID_A}",
        "other": UUID_A,
        "notAnIdKey": "7",
    }
    assert normalise(value) == {
        "b": {"RequestId": "<uuid:1>"},
        "x-amzn-RequestId": "<uuid:2>",
        "Cause": "<uuid:2> then <uuid:1>",
        "other": "<uuid:1>",
        "notAnIdKey": "7",
    }


def test_a_uuid_not_under_an_id_key_is_kept() -> None:
    assert normalise({"value": UUID_A}) == {"value": UUID_A}


def test_history_timestamps_and_payload_strings() -> None:
    events = [
        {
            "id": 1,
            "previousEventId": 0,
            "type": "ExecutionStarted",
            "timestamp": datetime(2024, 1, 1, tzinfo=UTC),
            "executionStartedEventDetails": {
                "input": '{"a": [1, 2]}',
                "roleArn": "r",
                "inputDetails": {"truncated": False},
            },
        },
        {
            "id": 2,
            "previousEventId": 1,
            "type": "PassStateExited",
            "timestamp": datetime(2024, 1, 1, tzinfo=UTC),
            "stateExitedEventDetails": {"name": "P", "output": '"text"', "assignedVariables": {"x": "42"}},
        },
        {
            "id": 3,
            "previousEventId": 2,
            "type": "ExecutionFailed",
            "timestamp": datetime(2024, 1, 1, tzinfo=UTC),
            "executionFailedEventDetails": {"error": "E", "cause": "An error occurred"},
        },
    ]
    got = normalise_history(events)
    assert [e["timestamp"] for e in got] == ["timestamp"] * 3
    assert got[0]["executionStartedEventDetails"]["input"] == {"a": [1, 2]}
    assert got[1]["stateExitedEventDetails"]["output"] == "text"
    assert got[1]["stateExitedEventDetails"]["assignedVariables"] == {"x": 42}
    assert got[2]["executionFailedEventDetails"]["cause"] == "An error occurred"


def test_start_and_stop_dates_become_datetime() -> None:
    when = datetime(2024, 1, 1, tzinfo=UTC)
    assert normalise({"startDate": when, "stopDate": when, "other": when}) == {
        "startDate": "datetime",
        "stopDate": "datetime",
        "other": "date",
    }


def test_normalisation_leaves_its_input_alone() -> None:
    events = [
        {
            "id": 1,
            "previousEventId": 0,
            "type": "ExecutionStarted",
            "timestamp": "t",
            "executionStartedEventDetails": {"input": json.dumps({"RequestId": UUID_A})},
        }
    ]
    before = copy.deepcopy(events)
    normalise_history(events, Conventions(masks=(("$..input", "masked"),)))
    assert events == before


def test_masks_apply_to_history_and_to_the_output() -> None:
    conventions = Conventions.of(
        {
            "other_snapshot_transformers": [
                "JsonpathTransformer['$..executionSucceededEventDetails.output', "
                "'executionSucceededEventDetails.output']",
                "JsonpathTransformer['$..LogResult', 'LogResult']",
            ]
        }
    )
    result = normalise_result({"status": "SUCCEEDED", "output": {"a": 1}}, conventions)
    assert result["output"] == "executionSucceededEventDetails.output"
    history = normalise_history(
        [event(1, 0, "TaskSucceeded", taskSucceededEventDetails={"output": json.dumps({"LogResult": "base64..."})})],
        conventions,
    )
    assert history[0]["taskSucceededEventDetails"]["output"] == {"LogResult": "LogResult"}


def test_masks_and_dropped_paths_by_jsonpath() -> None:
    doc = {"events": [{"id": 1, "previousEventId": 0, "SdkHttpMetadata": {"a": 1}}, {"id": 2, "previousEventId": 1}]}
    assert drop_paths(doc, ["$..SdkHttpMetadata", "$..events[1].previousEventId"]) == {
        "events": [{"id": 1, "previousEventId": 0}, {"id": 2}]
    }
    assert apply_masks(doc, [("$..a", "A")])["events"][0]["SdkHttpMetadata"] == {"a": "A"}
    assert doc["events"][0]["SdkHttpMetadata"] == {"a": 1}


def test_conventions_read_from_meta_ignore_transformers_without_arguments() -> None:
    found = Conventions.of(
        {
            "other_snapshot_transformers": [
                "JsonpathTransformer[]",
                "_Transformer[]",
                "SfnNoneRecursiveParallelTransformer",
            ]
        }
    )
    assert found == Conventions()


def test_paths_the_recording_does_not_verify_are_left_out_of_the_output() -> None:
    conventions = Conventions.of({"skip_snapshot_verify_paths": ["$..SdkHttpMetadata"]})
    headers = {"AllHttpHeaders": {"x-amzn-RequestId": "x-amzn-RequestId"}}
    expected = normalise_result({"status": "SUCCEEDED", "output": {"Item": 1, "SdkHttpMetadata": headers}}, conventions)
    got = normalise_result(
        {"status": "SUCCEEDED", "output": {"Item": 1, "SdkHttpMetadata": {"ours": [1]}}}, conventions
    )
    assert expected["output"] == got["output"] == {"Item": 1}
    whole = Conventions(skipped=("$..executionSucceededEventDetails.output",))
    assert "output" not in normalise_result({"status": "SUCCEEDED", "output": 1}, whole)


def test_a_skipped_events_path_leaves_no_details_to_compare() -> None:
    expected = [event(1, 0, "ExecutionStarted", executionStartedEventDetails={"input": {"a": 1}})]
    got = [event(1, 0, "ExecutionStarted", executionStartedEventDetails={"input": {"a": 2}})]
    assert compare_details(expected, got, ["$..events"]) is None


# --- comparison ----------------------------------------------------------------------------------


def test_placeholders_match_any_text_consistently() -> None:
    expected = {"a": "arn:lambda:function:<fn_name>", "b": "call <fn_name> at <request_id>"}
    assert first_difference(expected, {"a": "arn:lambda:function:charge", "b": "call charge at r-1"}) is None
    mismatch = first_difference(expected, {"a": "arn:lambda:function:charge", "b": "call refund at r-1"})
    assert mismatch is not None and mismatch.where == "$.b"


def test_a_quoted_input_placeholder_matches_the_json_text() -> None:
    expected = "could not be found in the input '<json-input:1>'"
    assert first_difference(expected, 'could not be found in the input \'{"Error":"error-value"}\'') is None
    assert first_difference(expected, "could not be found in the input") is not None


def test_bare_map_run_arn_placeholder_matches_any_arn() -> None:
    assert first_difference({"mapRunArn": "map_run_arn"}, {"mapRunArn": "arn:aws:states:x"}) is None


@pytest.mark.parametrize(
    ("expected", "got", "where"),
    [
        (True, 1, "$"),
        (1, 1.0, "$"),
        ({"a": 1}, {"a": 1, "b": 2}, "$.b"),
        ({"a": 1, "b": 2}, {"a": 1}, "$.b"),
        ([1, 2], [1], "$ (length)"),
        ({"a": [{"b": None}]}, {"a": [{"b": 0}]}, "$.a[0].b"),
    ],
)
def test_differences_are_located(expected: Any, got: Any, where: str) -> None:
    mismatch = first_difference(expected, got)
    assert mismatch is not None and mismatch.where == where


def test_primary_compares_status_error_cause_then_output() -> None:
    expected = {"status": "FAILED", "error": "States.Runtime", "cause": "bad"}
    assert (
        compare_primary(expected, {"status": "FAILED", "error": "States.Runtime", "cause": "bad", "output": None})
        is None
    )
    assert (
        str(compare_primary(expected, {"status": "SUCCEEDED", "output": 1}))
        == "status: expected 'FAILED', got 'SUCCEEDED'"
    )
    got = {"status": "FAILED", "error": "E", "cause": ""}
    assert str(compare_primary({"status": "FAILED", "error": "E"}, got)) == "cause: expected None, got ''"
    mismatch = compare_primary(
        {"status": "SUCCEEDED", "output": {"a": [1]}}, {"status": "SUCCEEDED", "output": {"a": [2]}}
    )
    assert mismatch is not None and mismatch.where == "output.a[0]"


def test_primary_output_is_compared_only_when_recorded() -> None:
    assert compare_primary({"status": "SUCCEEDED"}, {"status": "SUCCEEDED", "output": {"any": 1}}) is None


def test_long_string_mismatch_shows_where_they_part() -> None:
    prefix = "An error occurred while executing the state 'MapState' (entered at the event id #2). "
    mismatch = compare_primary(
        {"status": "FAILED", "cause": prefix + 'value "{}"'}, {"status": "FAILED", "cause": prefix + "value {}"}
    )
    assert 'value "{}"' in str(mismatch) and "value {}" in str(mismatch)


def test_history_links_and_types() -> None:
    start = [event(1, 0, "ExecutionStarted"), event(2, 0, "PassStateEntered")]
    expected = [*start, event(3, 2, "PassStateExited")]
    assert compare_links(expected, expected) is None
    wrong_link = [*start, event(3, 1, "PassStateExited")]
    assert compare_links(expected, wrong_link) == (
        "history: at #3: expected #3 PassStateExited (after #2), got #3 PassStateExited (after #1)"
    )
    assert compare_links(expected, expected[:2]).startswith("history: 2 events, expected 3; at #3")


def test_history_details_ignore_timestamps_and_skipped_paths() -> None:
    expected = [
        event(
            1,
            0,
            "TaskSucceeded",
            taskSucceededEventDetails={"output": {"Payload": 1, "SdkHttpMetadata": {"recorded": True}}},
        )
    ]
    got = [
        dict(
            expected[0],
            timestamp="other",
            taskSucceededEventDetails={"output": {"Payload": 1, "SdkHttpMetadata": {"ours": True}}},
        )
    ]
    assert compare_details(expected, got, ["$..SdkHttpMetadata"]) is None
    assert compare_details(expected, got).startswith("details: #1 TaskSucceeded: $.taskSucceededEventDetails")


def test_resorted_parallel_branches_compare_as_a_multiset() -> None:
    expected = [
        event(1, 0, "ExecutionStarted"),
        event(2, 0, "ParallelStateEntered"),
        event(3, 2, "ParallelStateStarted"),
        event([0], 0, "PassStateEntered", stateEnteredEventDetails={"name": "A"}),
        event([0], 0, "PassStateEntered", stateEnteredEventDetails={"name": "B"}),
        event(8, 7, "ParallelStateExited"),
        event(9, 8, "ExecutionSucceeded"),
    ]
    got = [
        event(1, 0, "ExecutionStarted"),
        event(2, 0, "ParallelStateEntered"),
        event(3, 2, "ParallelStateStarted"),
        event(4, 3, "PassStateEntered", stateEnteredEventDetails={"name": "B"}),
        event(5, 3, "PassStateEntered", stateEnteredEventDetails={"name": "A"}),
        event(6, 5, "PassStateExited"),
        event(7, 6, "ParallelStateSucceeded"),
        event(8, 7, "ParallelStateExited"),
        event(9, 8, "ExecutionSucceeded"),
    ]
    assert compare_links(expected, got) is None
    assert compare_details(expected, got) is None
    renamed = [*got[:3], event(4, 3, "PassStateEntered", stateEnteredEventDetails={"name": "C"}), *got[4:]]
    assert compare_details(expected, renamed).startswith("details: no branch event matches")
    no_branch = [e for e in got if e["type"] != "PassStateEntered"]
    assert "branch event PassStateEntered expected" in compare_links(expected, no_branch)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_property_a_value_matches_itself(value: Any) -> None:
    assert first_difference(value, copy.deepcopy(value)) is None


@given(JSON_VALUES)
def test_property_normalising_is_idempotent_and_leaves_the_input_alone(value: Any) -> None:
    before = copy.deepcopy(value)
    once = normalise(value)
    assert value == before
    assert normalise(once) == once


@given(JSON_VALUES, st.text(min_size=1, max_size=10))
def test_property_wrapping_a_value_is_a_difference(value: Any, key: str) -> None:
    assert first_difference(value, {key: value}) is not None


# --- replay --------------------------------------------------------------------------------------


def test_recorded_outcomes_become_mocks() -> None:
    assert replay.outcome({"status": "SUCCEEDED", "output": {"Payload": 1}}, {}) == mocks.returns(
        {"Payload": 1}, raw=True
    )
    assert replay.outcome({"status": "FAILED", "error": "E", "cause": "c"}, {}) == mocks.raises("E", "c")
    assert isinstance(replay.outcome({"status": "PENDING"}, {}), mocks.Pending)
    assert isinstance(replay.outcome({"status": "TIMED_OUT", "error": "States.Timeout"}, {}), mocks.Pending)
    with pytest.raises(replay.Unreplayable, match="no error name"):
        replay.outcome({"status": "FAILED", "event": "TaskFailed"}, {})
    with pytest.raises(replay.Unreplayable, match="'ABORTED'"):
        replay.outcome({"status": "ABORTED"}, {})


def test_a_json_cause_is_given_back_in_the_recorded_text() -> None:
    cause = {"errorMessage": "boom", "errorType": "Exception"}
    spaced = json.dumps(cause)
    case = make_case(expected={"status": "SUCCEEDED", "output": {"Error": "Exception", "Cause": spaced}})
    texts = replay.recorded_json_texts(case)
    assert replay.outcome({"status": "FAILED", "error": "Exception", "cause": cause}, texts).cause == spaced
    failed = {"status": "FAILED", "error": "Exception", "cause": cause}
    compact = replay.outcome({**failed, "event": "TaskFailed"}, {})
    assert compact.cause == '{"errorMessage":"boom","errorType":"Exception"}'
    assert replay.outcome({**failed, "event": "LambdaFunctionFailed"}, {}).cause == spaced


def test_task_states_are_found_in_branches_and_map_processors() -> None:
    definition = {
        "States": {
            "T1": {"Type": "Task", "Resource": "r1"},
            "P": {"Type": "Parallel", "Branches": [{"States": {"T2": {"Type": "Task", "Resource": "r2"}}}]},
            "M": {"Type": "Map", "ItemProcessor": {"States": {"T3": {"Type": "Task", "Resource": "r3"}}}},
            "L": {"Type": "Map", "Iterator": {"States": {"T4": {"Type": "Task", "Resource": "r4"}}}},
            "X": {"Type": "Pass"},
        }
    }
    assert replay.task_states(definition) == [("T1", "r1"), ("T2", "r2"), ("T3", "r3"), ("T4", "r4")]


def test_build_mocks_replays_each_state_in_order_and_notes_unrecorded_tasks() -> None:
    case = make_case(
        definition={
            "States": {
                "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"},
                "B": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish"},
            }
        },
        mocks={
            "A": [
                {"status": "FAILED", "error": "Lambda.ServiceException", "cause": "x"},
                {"status": "SUCCEEDED", "output": {"StatusCode": 200}},
            ]
        },
    )
    unrecorded: list[str] = []
    built = replay.build_mocks(case, unrecorded)
    assert built["A"] == mocks.sequence(
        mocks.raises("Lambda.ServiceException", "x"), mocks.returns({"StatusCode": 200}, raw=True)
    )
    outcome = built["B"]({"Message": "m"}, None)
    assert unrecorded == ["B"] and outcome.error == replay.UNRECORDED_ERROR


def test_unattributed_results_go_to_the_invocation_they_fit() -> None:
    pool_key = "<unattributed: parallel branch events re-sorted in snapshot>"
    case = make_case(
        definition={
            "States": {
                "P": {
                    "Type": "Parallel",
                    "Branches": [
                        {"States": {"L": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"}}},
                        {"States": {"S": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish"}}},
                    ],
                }
            }
        },
        mocks={
            pool_key: [
                {"status": "SUCCEEDED", "resourceType": "sns", "resource": "publish", "output": {"MessageId": "m"}},
                {
                    "status": "SUCCEEDED",
                    "resourceType": "lambda",
                    "resource": "invoke",
                    "output": {"Payload": 1},
                    "parameters": {"FunctionName": "f", "Payload": {"n": 1}},
                },
                {
                    "status": "SUCCEEDED",
                    "resourceType": "lambda",
                    "resource": "invoke",
                    "output": {"Payload": 2},
                    "parameters": {"FunctionName": "f", "Payload": {"n": 2}},
                },
            ]
        },
    )
    built = replay.build_mocks(case, [])
    assert built["L"]({"n": 2}, None) == mocks.returns({"Payload": 2}, raw=True)
    assert built["S"]({"Message": "x"}, None) == mocks.returns({"MessageId": "m"}, raw=True)
    assert built["L"]({"n": 7}, None) == mocks.returns({"Payload": 1}, raw=True)
    assert built["L"]({"n": 7}, None).error == replay.UNRECORDED_ERROR


def test_role_arn_prefers_the_recorded_execution_started_event() -> None:
    started = {"roleArn": "arn:role/<resource:1>"}
    history = [event(1, 0, "ExecutionStarted", executionStartedEventDetails=started)]
    case = make_case(history=history, meta={"placeholders": {"roleArn": "snf_role_arn"}})
    assert replay.role_arn(case) == "arn:role/<resource:1>"
    assert replay.role_arn(make_case()) is None


def test_setup_calls_prepare_moto_and_report_failures() -> None:
    calls = [
        {"service": "s3", "op": "create_bucket(fixture)", "kwargs": {"Bucket": "bucket-conformance"}},
        {"service": "s3", "op": "put_object", "kwargs": {"Bucket": "bucket-conformance", "Key": "k", "Body": "[1]"}},
        {"service": "s3", "op": "get_object", "kwargs": {"Bucket": "bucket-conformance", "Key": "absent"}},
        {
            "service": "dynamodb",
            "op": "create_table(fixture)",
            "kwargs": {"TableName": "table-conformance", "partition_key": "id"},
        },
        {"service": "sqs", "op": "get_queue_url", "kwargs": {"QueueName": "absent"}},
        {"service": "sqs", "op": "tag_queue", "kwargs": {"QueueUrl": "https://absent", "Tags": {}}},
    ]
    prepared = replay.preparing_calls(calls)
    assert [str(call) for call in prepared] == [
        "s3.create_bucket",
        "s3.put_object",
        "dynamodb.create_table",
        "sqs.tag_queue",
    ]
    with mock_aws():
        setup = replay.run_setup_calls(prepared)
        s3, dynamodb = (boto3.client(name, region_name="us-east-1") for name in ("s3", "dynamodb"))
        body = s3.get_object(Bucket="bucket-conformance", Key="k")["Body"]
        table = dynamodb.describe_table(TableName="table-conformance")
    assert body.read() == b"[1]"
    assert table["Table"]["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert len(setup.failures) == 1 and setup.failures[0].startswith("sqs.tag_queue: ")
    assert [str(call) for call, _ in setup.made] == ["s3.create_bucket", "s3.put_object", "dynamodb.create_table"]


def test_only_cases_with_aws_data_run_under_moto() -> None:
    assert not replay.needs_aws(make_case(services=["arn:aws:states:::sns:publish"], features=["type:Task"]))
    assert replay.needs_aws(make_case(meta={"setup_calls": [{"service": "s3", "op": "x"}]}))
    assert replay.needs_aws(make_case(features=["map:ResultWriter"]))


# --- scope ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("features", "services", "meta", "core"),
    [
        (["type:Pass", "query:JSONPath", "intrinsic:States.Format"], [], {}, True),
        (
            ["type:Task"],
            [
                "arn:aws:states:::lambda:invoke",
                "lambda:invoke",
                "arn:aws:lambda:us-east-1:111111111111:function:<lambda_function_1_name>",
            ],
            {},
            True,
        ),
        (["type:Task"], ["arn:aws:states:::lambda:invoke.waitForTaskToken"], {}, False),
        (["type:Task"], ["arn:aws:states:::dynamodb:putItem"], {}, False),
        (["query:JSONata"], [], {}, False),
        (["query:JSONata-top-level"], [], {}, False),
        (["query:mixed"], [], {}, False),
        (["jsonata-fn:$parse"], [], {}, False),
        (["field:Assign"], [], {}, False),
        (["variables-ref"], [], {}, False),
        (["map:distributed"], [], {}, False),
        (["field:ItemReader"], [], {}, False),
        (["map:ResultWriter"], [], {}, False),
        (["callback"], [], {}, False),
        (["pattern:activity"], [], {}, False),
        (["express-sync"], [], {}, False),
        (["pattern:sync:2"], [], {}, False),
        (["type:Pass"], [], {"state_machine_type": "EXPRESS"}, False),
    ],
)
def test_core_scope(features: list[str], services: list[str], meta: dict[str, Any], core: bool) -> None:
    assert is_core(make_case(features=features, services=services, meta=meta)) is core


@pytest.mark.parametrize(
    ("features", "services", "integration"),
    [
        (["integration:lambda"], ["arn:aws:states:::lambda:invoke", "lambda:invoke"], True),
        (["integration:lambda-function-arn"], ["arn:aws:lambda:us-east-1:111111111111:function:f"], True),
        (["integration:aws-sdk:s3"], [], True),
        (["integration:dynamodb"], [], True),
        (["integration:states", "pattern:sync"], [], True),
        (["activity"], [], True),
        (["callback"], [], True),
        ([], ["arn:aws:states:::sqs:sendMessage.waitForTaskToken"], True),
        ([], ["arn:aws:states:us-east-1:111111111111:activity:a"], True),
        (["integration:apigateway"], ["arn:aws:states:::apigateway:invoke"], False),
        (["integration:events"], ["arn:aws:states:::events:putEvents"], False),
        (["type:Pass", "query:JSONata"], [], False),
    ],
)
def test_integrations_scope(features: list[str], services: list[str], integration: bool) -> None:
    assert is_integration(make_case(features=features, services=services)) is integration


# --- one case, end to end, with a stand-in interpreter ---------------------------------------------


def replayed(
    status: str = "SUCCEEDED",
    output: Any = None,
    error: str | None = None,
    cause: str | None = None,
    history: list[dict[str, Any]] | None = None,
) -> replay.Replayed:
    result = {"status": status, "output": output, "error": error, "cause": cause}
    return replay.Replayed(result, history or [])


def test_verdicts_of_run_case(monkeypatch: pytest.MonkeyPatch) -> None:
    history = [event(1, 0, "ExecutionStarted"), event(2, 1, "ExecutionSucceeded")]
    case = make_case(expected={"status": "SUCCEEDED", "output": {"a": 1}}, history=history, features=["t"])
    monkeypatch.setattr(replay, "execute", lambda c: replayed(output={"a": 1}, history=history))
    assert run_case(case) == CaseResult("hand/made", PASS, "", PASS, "", PASS, ("t",))
    monkeypatch.setattr(replay, "execute", lambda c: replayed(output={"a": 2}, history=history[:1]))
    result = run_case(case)
    assert (result.result, result.reason, result.history) == (FAIL, "output.a: expected 1, got 2", FAIL)
    assert result.history_reason.startswith("history: 1 events, expected 2")
    assert run_case(make_case()).history == "n/a"


@pytest.mark.parametrize(
    ("raised", "verdict", "reason"),
    [
        (NotImplementedError("Map ItemBatcher"), FAIL, "unsupported: Map ItemBatcher"),
        (
            DefinitionError("/States/A/Next", "no state is named 'B'"),
            FAIL,
            "DefinitionError: /States/A/Next: no state is named 'B'",
        ),
        (replay.Unreplayable("a TaskFailed has no error name"), SKIP, "a TaskFailed has no error name"),
        (KeyError("boom"), FAIL, "KeyError: 'boom'"),
    ],
)
def test_exceptions_in_a_case_become_verdicts(
    monkeypatch: pytest.MonkeyPatch, raised: Exception, verdict: str, reason: str
) -> None:
    def execute(case: Case) -> replay.Replayed:
        raise raised

    monkeypatch.setattr(replay, "execute", execute)
    result = run_case(make_case())
    assert (result.result, result.reason) == (verdict, reason)


def test_unsupported_features_fail_and_unrecorded_tasks_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    # What a user would meet: a feature sfnlocal lacks fails the case; a gap in the recording is the harness's.
    monkeypatch.setattr(replay, "execute", lambda c: replayed("FAILED", error=runner.UNSUPPORTED, cause="ItemReader"))
    assert (run_case(make_case()).result, run_case(make_case()).reason) == (FAIL, "unsupported: ItemReader")
    monkeypatch.setattr(replay, "execute", lambda c: replay.Replayed({"status": "FAILED"}, [], ["T"]))
    assert run_case(make_case()).reason == "Task state(s) T ran; the recording has no result for them"


def test_an_aborted_recording_is_replayed_with_a_stop() -> None:
    # The recorded StopExecution came while the execution waited; replay stops it as the clock first moves.
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}}
    result = run_case(make_case(definition=definition, expected={"status": "ABORTED"}))
    assert result.result == PASS


def test_a_hung_case_fails_after_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    def execute(case: Case) -> replay.Replayed:
        time.sleep(5)
        raise AssertionError("the time limit did not stop the case")

    monkeypatch.setattr(replay, "execute", execute)
    monkeypatch.setattr(runner, "CASE_SECONDS", 0.05)
    started = time.perf_counter()
    result = run_case(make_case())
    assert result.result == FAIL and "no result within 0.05 s" in result.reason
    assert time.perf_counter() - started < 2


def test_setup_failures_are_named_in_a_failing_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def execute(case: Case) -> replay.Replayed:
        return replay.Replayed({"status": "FAILED"}, [], [], ["s3.put_object: NoSuchBucket"])

    monkeypatch.setattr(replay, "execute", execute)
    assert run_case(make_case()).reason.endswith("(setup call failed: s3.put_object: NoSuchBucket)")


# --- serve mode ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "replayed"),
    [
        ("arn:aws:lambda:us-east-1:111111111111:function:charge", True),
        ("arn:aws:states:::lambda:invoke", True),
        ("arn:aws:states:::lambda:invoke.waitForTaskToken", True),
        ("arn:aws:states:::apigateway:invoke", True),
        ("arn:aws:states:::http:invoke", True),
        ("arn:aws:states:::bedrock:invokeModel", True),
        ("arn:aws:states:::nosuchservice:doThing", True),
        ("arn:aws:states:::dynamodb:putItem", False),
        ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", False),
        ("arn:aws:states:::sns:publish", False),
        ("arn:aws:states:::events:putEvents", False),
        ("arn:aws:states:::aws-sdk:s3:getObject", False),
        ("arn:aws:states:::aws-sdk:sfn:sendTaskSuccess", False),
        ("arn:aws:states:us-east-1:111111111111:activity:approve", False),
    ],
)
def test_serve_mode_replays_only_what_sfnlocal_cannot_serve_offline(resource: str, replayed: bool) -> None:
    assert serve.replays(resource) is replayed


@pytest.mark.parametrize(
    "resource", ["arn:aws:states:::states:startExecution.sync:2", "arn:aws:states:::aws-sdk:sfn:startExecution"]
)
def test_nested_executions_are_served_only_when_the_setup_creates_machines(resource: str) -> None:
    assert serve.replays(resource, child_machines=False)
    assert not serve.replays(resource, child_machines=True)


def test_served_tasks_get_no_mock() -> None:
    case = make_case(
        definition={
            "States": {
                "L": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"},
                "D": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem"},
                "U": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish"},
            }
        },
        mocks={
            "L": [{"status": "SUCCEEDED", "output": {"Payload": 1}}],
            "D": [{"status": "FAILED", "event": "TaskFailed"}],
        },
    )
    unrecorded: list[str] = []
    built = replay.build_mocks(case, unrecorded, serve.replays)
    assert list(built) == ["L"]  # D's unreplayable record is never turned into a mock
    assert unrecorded == []


def test_setup_calls_go_into_the_world_and_make_state_machines() -> None:
    child = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "child", "End": True}}}
    calls = replay.preparing_calls(
        [
            {"service": "sqs", "op": "create_queue(fixture)", "kwargs": {"QueueName": "jobs"}},
            {"service": "sqs", "op": "receive_message", "kwargs": {"QueueUrl": "absent"}},
            {
                "service": "stepfunctions",
                "op": "create_state_machine",
                "kwargs": {
                    "name": "conformance-child",
                    "definition": json.dumps(child),
                    "roleArn": "arn:aws:iam::111111111111:role/sfn",
                },
            },
            {
                "service": "stepfunctions",
                "op": "create_state_machine",
                "kwargs": {"name": "broken", "definition": "{}", "roleArn": "arn:aws:iam::111111111111:role/sfn"},
            },
        ]
    )
    with AwsWorld(region="us-east-1", account="111111111111") as world:
        setup, machines = serve.set_up(calls, world)
        queues = world.client("sqs").list_queues()["QueueUrls"]
    assert queues == ["https://sqs.us-east-1.amazonaws.com/111111111111/jobs"]
    assert [m.arn for m in machines] == ["arn:aws:states:us-east-1:111111111111:stateMachine:conformance-child"]
    assert registry.current().find(machines[0].arn) is machines[0]
    assert any(failure.startswith("stepfunctions.create_state_machine: DefinitionError") for failure in setup.failures)
    assert bindings.created(setup.made)[bindings.QUEUE_URL] == queues[0]


def test_input_placeholders_are_bound_to_the_resources_created() -> None:
    resources = {
        **bindings.ABSENT,
        bindings.QUEUE_URL: "https://sqs/q",
        bindings.TOPIC_ARN: "arn:aws:sns:us-east-1:1:t",
    }
    value = {
        "QueueUrl": "<sqs_queue_url>",
        "Topic": "arn:<partition>:sns:<region>:1:<resource:1>",
        "Table": "<test-table>",
        "Other": "arn:<partition>:sqs:<region>:1:<resource:2>",
        "n": 1,
    }
    bound, pairs = bindings.bind(value, resources)
    assert bound == {
        "QueueUrl": "https://sqs/q",
        "Topic": "arn:aws:sns:us-east-1:1:t",
        "Table": bindings.ABSENT[bindings.TABLE],
        "Other": value["Other"],
        "n": 1,
    }
    assert dict(pairs) == {
        "https://sqs/q": "<sqs_queue_url>",
        "arn:aws:sns:us-east-1:1:t": value["Topic"],
        bindings.ABSENT[bindings.TABLE]: "<test-table>",
    }


class WaitingRun:
    """A stand-in for a suspended ExecutionResult: tasks wait for tokens; answers are noted."""

    def __init__(self, *waiting: tuple[str, str]) -> None:
        self.waiting = list(waiting)
        self.answered: list[tuple[Any, ...]] = []

    @property
    def waiting_tasks(self) -> list[dict[str, str]]:
        return [{"taskToken": token, "stateName": state} for token, state in self.waiting]

    def _answer(self, *answer: Any) -> None:
        self.answered.append(answer)
        self.waiting = [task for task in self.waiting if task[0] != answer[1]]

    def send_task_success(self, token: str, output: Any) -> None:
        self._answer("success", token, output)

    def send_task_failure(self, token: str, error: str | None, cause: str | None) -> None:
        self._answer("failure", token, error, cause)


def test_waiting_tasks_get_their_states_recorded_outcomes_in_order() -> None:
    case = make_case(
        mocks={
            "Ask": [
                {"status": "SUCCEEDED", "output": {"echo": "<task_token:1>"}},
                {"status": "FAILED", "event": "TaskFailed"},
                {"status": "TIMED_OUT", "error": "States.Timeout"},
                {"status": "FAILED", "error": "Rejected", "cause": {"why": "no"}},
            ]
        }
    )
    run = WaitingRun(("t1", "Ask"), ("t2", "Ask"), ("t3", "Ask"), ("t4", "Ask"), ("t5", "Other"))
    found = answers.Answers(case)
    while found.answer_one(run):  # type: ignore[arg-type]
        pass
    assert run.answered == [
        ("success", "t1", {"echo": "t1"}),
        ("failure", "t2", None, None),
        ("failure", "t4", "Rejected", '{"why":"no"}'),
    ]
    assert run.waiting == [("t3", "Ask"), ("t5", "Other")]  # a timeout is waited out; no record, no answer


ACTIVITY = "arn:aws:states:us-east-1:111111111111:activity:approve"


def test_activities_are_taken_by_the_recorded_workers_and_time_out_on_the_clock() -> None:
    definition = {
        "StartAt": "Approve",
        "States": {
            "Approve": {
                "Type": "Task",
                "Resource": ACTIVITY,
                "TimeoutSeconds": 5,
                "End": True,
                "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 2, "MaxAttempts": 1}],
            }
        },
    }
    started = [
        event(4, 3, "ActivityStarted", activityStartedEventDetails={"workerName": "first"}),
        event(8, 7, "ActivityStarted", activityStartedEventDetails={"workerName": "second"}),
    ]
    case = make_case(
        definition=definition,
        history=started,
        mocks={
            "Approve": [
                {"status": "TIMED_OUT", "error": "States.Timeout"},
                {"status": "SUCCEEDED", "output": {"ok": True}},
            ]
        },
    )
    run = sfnlocal.StateMachine.from_dict(definition).execute({})
    assert run.status == "RUNNING"
    answers.answer(run, case)
    assert (run.status, run.output) == ("SUCCEEDED", {"ok": True})
    assert [e["activityStartedEventDetails"]["workerName"] for e in run.history if e["type"] == "ActivityStarted"] == [
        "first",
        "second",
    ]
    assert (run.stop_date - run.start_date).total_seconds() == 5 + 2  # the clock moved no further than needed


def test_an_aborted_recording_is_stopped_while_a_served_task_waits() -> None:
    definition = {"StartAt": "Approve", "States": {"Approve": {"Type": "Task", "Resource": ACTIVITY, "End": True}}}
    result = run_case(make_case(definition=definition, expected={"status": "ABORTED"}), serving=True)
    assert result.result == PASS


DYNAMODB_CASE = {
    "id": "hand/serve/dynamodb-put-get",
    "definition": {
        "StartAt": "Put",
        "States": {
            "Put": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "ResultPath": None,
                "Parameters": {"TableName.$": "$.TableName", "Item": {"id": {"S.$": "$.id"}, "n": {"N": "7"}}},
                "Next": "Get",
            },
            "Get": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName.$": "$.TableName", "Key": {"id": {"S.$": "$.id"}}},
                "End": True,
            },
        },
    },
    "input": {"TableName": "table-name", "id": "42"},
    "expected": {
        "status": "SUCCEEDED",
        "output": {"Item": {"id": {"S": "42"}, "n": {"N": "7"}}, "SdkHttpMetadata": {"HttpStatusCode": 200}},
    },
    "history": [],
    "services": ["arn:aws:states:::dynamodb:putItem", "arn:aws:states:::dynamodb:getItem"],
    "features": ["integration:dynamodb", "type:Task"],
    "mocks": {},
    "meta": {
        "setup_calls": [
            {
                "service": "dynamodb",
                "op": "create_table(fixture)",
                "kwargs": {"TableName": "sfn_test_table_1a2b3c4d", "partition_key": "id"},
            }
        ],
        "skip_snapshot_verify_paths": ["$..SdkHttpMetadata", "$..SdkResponseMetadata"],
    },
}


def test_a_served_dynamodb_put_item_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = Case.from_dict(DYNAMODB_CASE)
    served = serve.execute(case)
    assert served.result["status"] == "SUCCEEDED" and served.setup_errors == []
    assert served.replacements == (("sfn_test_table_1a2b3c4d", "table-name"),)
    assert run_case(case, serving=True).result == PASS
    wrong = Case.from_dict({**DYNAMODB_CASE, "expected": {"status": "SUCCEEDED", "output": {"Item": {}}}})
    assert run_case(wrong, serving=True).reason.startswith("output.Item.id: expected '<absent>'")
    # Replayed, the same case has no recorded results to give its tasks.
    assert run_case(case).result == SKIP
    (tmp_path / "case.json").write_text(json.dumps(DYNAMODB_CASE))
    assert main([str(tmp_path), "--serve", "--scope", "integrations", "--min", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[-2].split()[:3] == ["overall", "1", "1"]


# --- report --------------------------------------------------------------------------------------

RESULTS = [
    CaseResult("a", PASS, history=PASS, details=PASS, features=("type:Pass", "field:Result")),
    CaseResult("b", FAIL, "status: expected 'FAILED', got 'SUCCEEDED'", FAIL, "history: ...", FAIL, ("type:Pass",)),
    CaseResult("c", SKIP, "not implemented: JSONata", features=("query:JSONata",)),
    CaseResult("d", PASS, history=PASS, details=FAIL, features=("type:Pass",)),
]


def test_tally_counts_skips_as_not_passed() -> None:
    total = tally(RESULTS)
    assert (total.cases, total.passed, total.failed, total.skipped) == (4, 2, 1, 1)
    assert total.rate == 0.5
    assert (total.with_history, total.history_passed, total.details_passed) == (3, 2, 1)


def test_table_by_feature_tag() -> None:
    assert list(by_feature(RESULTS)) == ["type:Pass", "field:Result", "query:JSONata"]
    lines = format_table(RESULTS).splitlines()
    assert lines[0].split() == ["feature", "cases", "pass", "fail", "skip", "pass%", "hist-n", "hist%", "details%"]
    assert lines[1].split() == ["type:Pass", "3", "2", "1", "0", "66.7", "3", "66.7", "33.3"]
    assert lines[3].split() == ["query:JSONata", "1", "0", "0", "1", "0.0", "0", "-", "-"]
    assert lines[-1].split() == ["overall", "4", "2", "1", "1", "50.0", "3", "66.7", "33.3"]


def test_json_record() -> None:
    data = to_json(RESULTS)
    assert data["cases"][1] == {
        "id": "b",
        "result": "fail",
        "reason": "status: expected 'FAILED', got 'SUCCEEDED'",
        "history": "fail",
        "history_reason": "history: ...",
        "details": "fail",
    }
    assert data["cases"][2]["history"] == "n/a"
    assert data["totals"]["pass_rate"] == 0.5 and data["totals"]["skip"] == 1
    assert data["totals"]["history_rate"] == pytest.approx(2 / 3)


@pytest.mark.parametrize(("text", "rate"), [("0.9", 0.9), ("90%", 0.9), ("90", 0.9), ("100%", 1.0), ("0", 0.0)])
def test_min_rate_as_fraction_or_percent(text: str, rate: float) -> None:
    assert parse_rate(text) == pytest.approx(rate)


@pytest.mark.parametrize("text", ["abc", "150%", "-0.5"])
def test_min_rate_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match="--min"):
        parse_rate(text)


# --- cases and the command line ------------------------------------------------------------------

PASS_DEFINITION = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"x": 1}, "End": True}}}


def write_case(folder: Path, name: str, expected: dict[str, Any], **extra: Any) -> Path:
    path = folder / f"{name}.json"
    data = {
        "id": f"hand/{name}",
        "definition": PASS_DEFINITION,
        "input": {},
        "expected": expected,
        "history": [],
        "features": ["type:Pass"],
    }
    data.update(extra)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def case_folder(tmp_path: Path) -> Path:
    write_case(tmp_path, "passes", {"status": "SUCCEEDED", "output": {"x": 1}})
    write_case(tmp_path, "fails", {"status": "SUCCEEDED", "output": {"x": 2}})
    write_case(
        tmp_path,
        "unsupported",
        {"status": "SUCCEEDED"},
        definition={
            "StartAt": "M",
            "States": {
                "M": {
                    "Type": "Map",
                    # sfnlocal cannot decompress ZSTD (an unsupported feature fails the case).
                    "ItemReader": {
                        "Resource": "arn:aws:states:::s3:getObject",
                        "ReaderConfig": {"InputType": "JSON"},
                        "Parameters": {"Bucket": "b", "Key": "items.json.zst"},
                    },
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                    "End": True,
                }
            },
        },
    )
    (tmp_path / "teststate").mkdir()
    (tmp_path / "teststate" / "call.json").write_text(json.dumps({"id": "t", "request": {}, "expected": {}}))
    return tmp_path


def test_finding_and_loading_cases(case_folder: Path) -> None:
    files = find_files([case_folder])
    assert [f.name for f in files] == ["fails.json", "passes.json", "call.json", "unsupported.json"]
    assert [c.id for c in iter_cases(files)] == ["hand/fails", "hand/passes", "hand/unsupported"]
    (case_folder / "broken.json").write_text("{not json")
    broken = next(iter_cases([case_folder / "broken.json"]))
    assert isinstance(broken, CaseFormatError) and "not a readable JSON file" in str(broken)
    with pytest.raises(CaseFormatError, match="no such file or folder"):
        find_files([case_folder / "absent"])


def test_cli_exit_status_follows_min(case_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(case_folder)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-2].split()[:6] == ["overall", "3", "1", "2", "0", "33.3"]
    assert main([str(case_folder), "--min", "0.3"]) == 0
    assert main([str(case_folder), "--min", "34%"]) == 1
    assert "below --min 34.0%" in capsys.readouterr().err


def test_cli_usage_errors(case_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(case_folder / "absent")]) == 2
    assert main([str(case_folder), "--filter", "no-such-id"]) == 2
    with pytest.raises(SystemExit) as stopped:
        main(["--min", "lots"])
    assert stopped.value.code == 2
    assert "--min takes a fraction" in capsys.readouterr().err


def test_cli_filter_scope_verbose_and_json(
    case_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_case(case_folder, "jsonata", {"status": "SUCCEEDED"}, features=["query:JSONata"])
    (case_folder / "broken.json").write_text("[")
    record = tmp_path / "out.json"
    assert main([str(case_folder), "--scope", "core", "-v", "--json", str(record)]) == 0
    out = capsys.readouterr().out
    assert "FAIL hand/fails: output.x: expected 2, got 1" in out
    assert (
        "FAIL hand/unsupported: unsupported: State 'M' reads s3://b/items.json.zst: sfnlocal cannot decompress ZSTD"
        in out
    )
    data = json.loads(record.read_text())
    assert sorted(c["id"] for c in data["cases"]) == sorted(
        [str(case_folder / "broken.json"), "hand/fails", "hand/passes", "hand/unsupported"]
    )
    assert data["totals"] == {
        "cases": 4,
        "pass": 1,
        "fail": 3,
        "skip": 0,
        "pass_rate": 0.25,
        "with_history": 0,
        "history_pass": 0,
        "history_rate": None,
        "details_pass": 0,
        "details_rate": None,
    }
    assert main([str(case_folder), "--filter", "hand/pass", "--min", "1"]) == 0


def test_own_cases_pass_end_to_end(tmp_path: Path) -> None:
    record = tmp_path / "own.json"
    assert main([str(OWN_CASES), "--min", "1.0", "--json", str(record)]) == 0
    data = json.loads(record.read_text())
    assert data["totals"]["cases"] == len(find_files([OWN_CASES])) >= 9
    assert {c["result"] for c in data["cases"]} == {"pass"}


@pytest.mark.skipif(not SHARED_CASES.is_dir(), reason="the shared conformance corpus is not present")
def test_shared_core_cases_all_get_a_verdict(tmp_path: Path) -> None:
    record = tmp_path / "core.json"
    assert main([str(SHARED_CASES), "--scope", "core", "--json", str(record)]) == 0
    data = json.loads(record.read_text())
    assert data["totals"]["cases"] == len(data["cases"]) > 100
    assert {c["result"] for c in data["cases"]} <= {"pass", "fail", "skip"}
