"""Workflow generators, in the bench file format (name, definition, input, expect, state_transitions).

They have the shapes of the files in ../shared/bench, at any size: the 10,000-item Map of the
memory check, and the tiny workloads of the smoke test. The year of Waits is here too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

THIRTY_DAYS = 30 * 24 * 3600


def pass_chain(length: int) -> dict[str, Any]:
    """``length`` Pass states in a line; the output is the input."""
    names = [f"S{index:04d}" for index in range(length)]
    states: dict[str, Any] = {name: {"Type": "Pass", "Next": after} for name, after in pairwise(names)}
    states[names[-1]] = {"Type": "Pass", "End": True}
    payload = {"payload": {"id": 1, "tags": ["a", "b"], "nested": {"x": 1, "y": "z"}}}
    return _workload(
        f"bench_chain_{length}",
        f"{length} Pass states in a linear chain",
        {"StartAt": names[0], "States": states},
        payload,
        payload,
        length,
    )


def bench_item(index: int) -> dict[str, Any]:
    """The items of bench_map_1000.json."""
    return {"id": index, "v": f"item-{index}"}


def inline_map(items: int, item: Callable[[int], Any] = bench_item) -> dict[str, Any]:
    """An inline Map over ``item(0)``, ``item(1)``, ... with one Pass inside; the output is the items."""
    values = [item(index) for index in range(items)]
    definition = {
        "StartAt": "M",
        "States": {
            "M": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "End": True,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
            }
        },
    }
    return _workload(
        f"bench_map_{items}",
        f"inline Map over {items} items with one Pass inside",
        definition,
        {"items": values},
        values,
        items + 1,
    )


def choice_loop(iterations: int) -> dict[str, Any]:
    """A Choice loop counting ``i`` up to ``n`` with States.MathAdd."""
    definition = {
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Parameters": {"i": 0, "n.$": "$.n"}, "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Default": "Done",
                "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Incr"}],
            },
            "Incr": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n"}, "Next": "Check"},
            "Done": {"Type": "Succeed"},
        },
    }
    # Init, then Check and Incr per iteration, then the last Check and Done.
    return _workload(
        f"bench_choice_loop_{iterations}",
        f"Choice loop x{iterations}",
        definition,
        {"n": iterations},
        {"i": iterations, "n": iterations},
        2 * iterations + 3,
    )


def year_of_waits(start: datetime) -> dict[str, Any]:
    """A Wait until a Timestamp 185 days after ``start``, then six Waits of 30 days (Seconds): a year in all,
    AWS's maximum execution time for a Standard machine (a longer run would time out)."""
    months = [f"Month {index:02d}" for index in range(1, 7)]
    until = (start + timedelta(days=185)).strftime("%Y-%m-%dT%H:%M:%SZ")
    states: dict[str, Any] = {"Until mid-year": {"Type": "Wait", "Timestamp": until, "Next": months[0]}}
    for name, after in zip(months, [*months[1:], None]):
        ending = {"Next": after} if after else {"End": True}
        states[name] = {"Type": "Wait", "Seconds": THIRTY_DAYS, **ending}
    payload = {"waited": "365 days"}
    return _workload(
        "year_of_waits",
        "a Timestamp Wait 185 days ahead, then 6 Waits of 30 days",
        {"StartAt": "Until mid-year", "States": states},
        payload,
        payload,
        len(states),
    )


def _workload(
    name: str, description: str, definition: dict[str, Any], input_value: Any, output: Any, transitions: int
) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "definition": definition,
        "input": input_value,
        "expect": {"status": "SUCCEEDED", "output": output},
        "state_transitions": transitions,
    }


def mixed_states(blocks: int) -> dict[str, Any]:
    """A definition of ``4 * blocks`` states, the kinds a real workflow has: per block a Choice, a ``lambda:invoke``
    Task (Parameters with paths and an intrinsic, ResultSelector, ResultPath, Retry, Catch), a Pass with Parameters
    and a Wait. The Choice skips to the Wait when ``$.skip`` is true; the Task's Catch goes on to the Pass.

    >>> definition = mixed_states(25)
    >>> len(definition["States"]), sorted({state["Type"] for state in definition["States"].values()})
    (100, ['Choice', 'Pass', 'Task', 'Wait'])
    """
    states: dict[str, Any] = {}
    for block in range(blocks):
        check, call, shape, pause = (f"{kind} {block:02d}" for kind in ("Check", "Call", "Shape", "Pause"))
        following = {"Next": f"Check {block + 1:02d}"} if block + 1 < blocks else {"End": True}
        states[check] = {
            "Type": "Choice",
            "Choices": [{"Variable": "$.skip", "BooleanEquals": True, "Next": pause}],
            "Default": call,
        }
        states[call] = {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {
                "FunctionName": f"arn:aws:lambda:us-east-1:123456789012:function:step-{block:02d}",
                "Payload": {"id.$": "$.id", "step": block, "key.$": "States.Format('{}-{}', $.id, $.attempt)"},
            },
            "ResultSelector": {"value.$": "$.Payload.value"},
            "ResultPath": f"$.results.step{block:02d}",
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 3}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": shape}],
            "Next": shape,
        }
        states[shape] = {
            "Type": "Pass",
            "Parameters": {
                "id.$": "$.id",
                "skip.$": "$.skip",
                "attempt.$": "States.MathAdd($.attempt, 1)",
                "results.$": "$.results",
            },
            "Next": pause,
        }
        states[pause] = {"Type": "Wait", "Seconds": 1, **following}
    return {"Comment": f"{4 * blocks} states of four kinds", "StartAt": "Check 00", "States": states}
