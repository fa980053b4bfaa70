"""A Distributed Map's ItemBatcher: the batches its child executions get, in both query languages.

Expected shapes follow AWS: the ItemBatcher page ("a batch of two items passed as input to a child workflow
execution": ``{"Items": [...]}``), the recording test_map_item_batching_base_json_max_per_batch_jsonata
(``{"BatchInput": {...}, "Items": [...]}``, BatchInput first) and MAP_STATE_REFERENCE_IN_MAX_PER_BATCH_PATH
(MaxItemsPerBatchPath reading a variable assigned the text "2").
"""

from __future__ import annotations

from typing import Any

from sfnlocal import StateMachine

PROCESSOR = {
    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    "StartAt": "ProcessBatch",
    "States": {"ProcessBatch": {"Type": "Pass", "End": True}},
}
STATEMENTS = [
    {"verdict": "true", "statement_date": "6/11/2008", "statement_source": "speech"},
    {"verdict": "false", "statement_date": "6/7/2022", "statement_source": "television"},
    {"verdict": "mostly-true", "statement_date": "5/18/2016", "statement_source": "news"},
    {"verdict": "false", "statement_date": "5/18/2024", "statement_source": "x"},
]


def run_map(batcher: dict[str, Any], execution_input: Any, jsonata: bool = False, **fields: Any) -> Any:
    state: dict[str, Any] = {"Type": "Map", "ItemBatcher": batcher, "ItemProcessor": PROCESSOR, "End": True, **fields}
    definition: dict[str, Any] = {"StartAt": "BatchMapState", "States": {"BatchMapState": state}}
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return StateMachine.from_dict(definition).execute(execution_input)


def test_items_are_batched_by_count_in_order() -> None:
    result = run_map({"MaxItemsPerBatch": 2}, STATEMENTS[:3])
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert result.output == [{"Items": STATEMENTS[:2]}, {"Items": STATEMENTS[2:3]}]
    started = next(e for e in result.history if e["type"] == "MapStateStarted")
    assert started["mapStateStartedEventDetails"] == {"length": 2}  # one child execution per batch


def test_jsonata_limits_and_batch_input_as_recorded() -> None:
    batcher = {
        "MaxItemsPerBatch": "{% $states.input.MaxItemsPerBatch %}",
        "MaxInputBytesPerBatch": "{% $states.input.MaxInputBytesPerBatch %}",
        "BatchInput": {"BatchTimestamp": "{% $states.context.State.EnteredTime %}"},
    }
    execution_input = {"Items": STATEMENTS[:2], "MaxItemsPerBatch": 2, "MaxInputBytesPerBatch": 150000}
    result = run_map(batcher, execution_input, jsonata=True, Items="{% $states.input.Items %}")
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    entered = next(e for e in result.history if e["type"] == "MapStateEntered")["timestamp"]
    [batch] = result.output
    assert list(batch) == ["BatchInput", "Items"]
    assert batch["Items"] == STATEMENTS[:2]
    assert batch["BatchInput"]["BatchTimestamp"] == entered.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_jsonpath_batch_input_is_a_payload_template_of_the_effective_input() -> None:
    batcher = {"MaxItemsPerBatch": 3, "BatchInput": {"job.$": "$.job", "fixed": 1}}
    result = run_map(batcher, {"job": "j-1", "items": [1, 2, 3, 4]}, ItemsPath="$.items")
    assert result.output == [
        {"BatchInput": {"job": "j-1", "fixed": 1}, "Items": [1, 2, 3]},
        {"BatchInput": {"job": "j-1", "fixed": 1}, "Items": [4]},
    ]


def test_max_items_per_batch_path_reads_numeric_text_of_a_variable() -> None:
    # MAP_STATE_REFERENCE_IN_MAX_PER_BATCH_PATH (recorded, with the items read from S3 there): two batches of two.
    definition = {
        "StartAt": "Start",
        "States": {
            "Start": {
                "Type": "Pass",
                "Assign": {"maxItemsPerBatch": "2", "maxBytesPerBatch": "15000"},
                "Next": "BatchMapState",
            },
            "BatchMapState": {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemBatcher": {
                    "MaxItemsPerBatchPath": "$maxItemsPerBatch",
                    "MaxInputBytesPerBatchPath": "$maxBytesPerBatch",
                },
                "ItemProcessor": PROCESSOR,
                "End": True,
            },
        },
    }
    result = StateMachine.from_dict(definition).execute(STATEMENTS)
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    assert result.output == [{"Items": STATEMENTS[:2]}, {"Items": STATEMENTS[2:]}]


def test_a_batch_holds_at_most_max_input_bytes_of_input() -> None:
    # {"Items":[]} is 12 bytes and each "abcd" 6 (plus a comma between items): 12 + 6 + 1 + 6 = 25 fits, a third not.
    result = run_map({"MaxInputBytesPerBatch": 25}, ["abcd"] * 5)
    assert result.output == [{"Items": ["abcd", "abcd"]}, {"Items": ["abcd", "abcd"]}, {"Items": ["abcd"]}]
    # Both limits: the smaller wins.
    result = run_map({"MaxInputBytesPerBatch": 25, "MaxItemsPerBatch": 1}, ["abcd"] * 2)
    assert result.output == [{"Items": ["abcd"]}, {"Items": ["abcd"]}]


def test_an_item_that_fits_no_batch_fails_the_map() -> None:
    result = run_map({"MaxInputBytesPerBatch": 20}, ["abcd", "much too long for the batch"])
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert "Item 1 takes 29 bytes, which does not fit in a batch of at most 20 bytes" in result.cause


def test_a_limit_that_is_not_a_positive_integer_fails_the_map() -> None:
    result = run_map({"MaxItemsPerBatchPath": "$.n"}, {"n": 0, "items": [1]}, ItemsPath="$.items")
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert "MaxItemsPerBatch must be a positive integer, but was: 0" in result.cause
    result = run_map({"MaxItemsPerBatch": "{% 'two' %}"}, [1], jsonata=True)
    assert (result.status, result.error) == ("FAILED", "States.QueryEvaluationError")


def test_no_items_give_no_batches() -> None:
    assert run_map({"MaxItemsPerBatch": 2}, []).output == []


def test_the_input_is_not_changed() -> None:
    items = [{"a": 1}, {"a": 2}]
    run_map({"MaxItemsPerBatch": 1, "BatchInput": {"b": 1}}, items)
    assert items == [{"a": 1}, {"a": 2}]


def test_the_tolerated_failure_threshold_counts_the_items_of_failed_batches() -> None:
    # The tolerated failure threshold page: the percentage is "the total number of failed or timed out items
    # divided by the total number of items"; a failed child fails all the items of its batch.
    failing_first = {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.Items[0]", "NumericEquals": 0, "Next": "Fail"}],
                "Default": "Done",
            },
            "Fail": {"Type": "Fail", "Error": "Bad"},
            "Done": {"Type": "Succeed"},
        },
    }

    def run(**tolerance: Any) -> Any:
        state = {
            "Type": "Map",
            "ItemBatcher": {"MaxItemsPerBatch": 4},
            "ItemProcessor": failing_first,
            "End": True,
            **tolerance,
        }
        machine = StateMachine.from_dict({"StartAt": "M", "States": {"M": state}})
        return machine.execute(list(range(10)))  # batches of 4, 4 and 2 items: the first one fails

    for tolerance, status in [
        ({"ToleratedFailureCount": 3}, "FAILED"),  # 4 items failed, though only 1 batch of 3
        ({"ToleratedFailureCount": 4}, "SUCCEEDED"),
        ({"ToleratedFailurePercentage": 34}, "FAILED"),  # 40% of the items, though 33% of the batches
        ({"ToleratedFailurePercentage": 40}, "SUCCEEDED"),
    ]:
        run_ = run(**tolerance)
        assert run_.status == status, tolerance
        if status == "FAILED":
            assert (run_.error, run_.cause) == (
                "States.ExceedToleratedFailureThreshold",
                "The specified tolerated failure threshold was exceeded",
            )
