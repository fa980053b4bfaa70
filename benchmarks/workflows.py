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
