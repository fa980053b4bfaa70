"""The plain-Python floor: hand-written Python doing each workload's data movement, timed as sfnlocal is.

It shows how far sfnlocal is from the limit on this machine and this Python. Each function is written for
one workload's shape (not a general interpreter) and does, per state, what any engine has to do with history
on: look the state up, move the data as the definition says (a new top-level object per state's output: a
copy for a Pass without Parameters, the Parameters template built, the Choice's comparisons), and append one
record per event of the history (a tuple, the least a recorded history can cost). Its output is checked
against the workload's expected output and its transitions (records of ``*StateEntered`` events) counted, as
sfnlocal's are.

A JSONata twin does the same data movement as its JSONPath workload, so it has the same floor.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from benchmarks.measurement import Run, RunOnce, Timing, best_of
from benchmarks.workloads import Workload

Event = tuple[Any, ...]  # (type, state or iteration, payload)
Floor = Callable[[dict[str, Any], Any, list[Event]], Any]  # (definition, input, history) -> output


def pass_chain(definition: dict[str, Any], value: Any, history: list[Event]) -> Any:
    """Pass states in a line, from StartAt to the End: each passes a copy of its input on.

    >>> history: list[Event] = []
    >>> pass_chain({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
    ...     "B": {"Type": "Pass", "End": True}}}, {"x": 1}, history)
    {'x': 1}
    >>> [event[:2] for event in history]
    [('PassStateEntered', 'A'), ('PassStateExited', 'A'), ('PassStateEntered', 'B'), ('PassStateExited', 'B')]
    """
    states = definition["States"]
    name = definition["StartAt"]
    while True:
        state = states[name]
        history.append(("PassStateEntered", name, value))
        value = dict(value)
        history.append(("PassStateExited", name, value))
        if state.get("End"):
            return value
        name = state["Next"]


def inline_map(definition: dict[str, Any], value: Any, history: list[Event]) -> Any:
    """An inline Map over ``$.items``, one Pass per item: iteration events, the Pass's copy, the results' list.

    >>> history: list[Event] = []
    >>> inline_map({}, {"items": [{"id": 0}, {"id": 1}]}, history), len(history)
    ([{'id': 0}, {'id': 1}], 10)
    """
    history.append(("MapStateEntered", "M", value))
    results = []
    for index, item in enumerate(value["items"]):
        history.append(("MapIterationStarted", index, None))
        history.append(("PassStateEntered", "P", item))
        output = dict(item)
        history.append(("PassStateExited", "P", output))
        history.append(("MapIterationSucceeded", index, None))
        results.append(output)
    history.append(("MapStateExited", "M", results))
    return results


def choice_loop(definition: dict[str, Any], value: Any, history: list[Event]) -> Any:
    """Init builds ``{"i": 0, "n": $.n}``; Check compares ``$.i < $.n`` (both numbers, as
    NumericLessThanPath requires); Incr builds ``{"i": $.i + 1, "n": $.n}``; Done succeeds.

    >>> history: list[Event] = []
    >>> choice_loop({}, {"n": 2}, history), sum(event[0].endswith("StateEntered") for event in history)
    ({'i': 2, 'n': 2}, 7)
    """
    history.append(("PassStateEntered", "Init", value))
    value = {"i": 0, "n": value["n"]}
    history.append(("PassStateExited", "Init", value))
    while True:
        history.append(("ChoiceStateEntered", "Check", value))
        counter, bound = value["i"], value["n"]
        below = isinstance(counter, int | float) and isinstance(bound, int | float) and counter < bound
        history.append(("ChoiceStateExited", "Check", value))
        if not below:
            break
        history.append(("PassStateEntered", "Incr", value))
        value = {"i": value["i"] + 1, "n": value["n"]}
        history.append(("PassStateExited", "Incr", value))
    history.append(("SucceedStateEntered", "Done", value))
    history.append(("SucceedStateExited", "Done", value))
    return value


_FLOORS: dict[str, Floor] = {"bench_chain_": pass_chain, "bench_map_": inline_map, "bench_choice_loop_": choice_loop}


def floor_for(workload_name: str) -> Floor | None:
    """The floor function of a bench workload (or of its JSONata twin), by the name's prefix; None for others.

    >>> floor_for("bench_map_1000 [JSONata]").__name__, floor_for("something else")
    ('inline_map', None)
    """
    return next((floor for prefix, floor in _FLOORS.items() if workload_name.startswith(prefix)), None)


def measure_floor(workload: Workload, repeats: int) -> Timing | None:
    """Best of ``repeats`` runs of the workload's floor function; None when it has none."""
    floor = floor_for(workload.name)
    if floor is None:
        return None

    def setup() -> RunOnce:
        def run_once() -> Run:
            history: list[Event] = []
            started = time.perf_counter()
            output = floor(workload.definition, workload.input, history)
            seconds = time.perf_counter() - started
            return Run(seconds, "SUCCEEDED", output, sum(1 for event in history if event[0].endswith("StateEntered")))

        return run_once

    return best_of("plain Python", workload, setup, repeats)
