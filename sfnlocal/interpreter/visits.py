"""An execution's visits: one entry per state entered, from which its path, timeline, state records and transitions
are read.

A visit is noted once, as a list or tuple laid out as the constants below index it: the state, when it was
entered, its input, and, once it has exited, when, its output, its Exited event's id (``EXIT_STAMP``: the order
in which visits exited) and the next state's name (None at a branch's end). A visit that runs at once
(:func:`~sfnlocal.interpreter.visit.visit_now`) is noted whole when it has exited; any other is noted when it
enters and completed when it exits (:meth:`~sfnlocal.interpreter.execution.Execution.record_exit`). Nothing is
derived while the execution runs: :class:`~sfnlocal.interpreter.result.ExecutionResult` reads what it is asked
for.
"""

from __future__ import annotations

from typing import Any

VisitEntry = list[Any] | tuple[Any, ...]
STATE, ENTERED_AT, INPUT, EXITED_AT, OUTPUT, EXIT_STAMP, NEXT = range(7)


def path(visits: list[VisitEntry]) -> list[str]:
    """The names of the states entered, in order.

    >>> from sfnlocal import StateMachine
    >>> run = StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
    ...     "B": {"Type": "Succeed"}}}).execute({})
    >>> path(run._execution.visits)
    ['A', 'B']
    """
    return [entry[STATE].name for entry in visits]


def timeline(visits: list[VisitEntry]) -> list[tuple[str, float, float | None]]:
    """Each visit's state name, entered time and exited time (None: it has not exited)."""
    return [(entry[STATE].name, entry[ENTERED_AT], entry[EXITED_AT]) for entry in visits]


def last_values(visits: list[VisitEntry]) -> dict[str, tuple[Any, Any, int, bool]]:
    """Per state name, in the order the states were first entered: the input of its last visit, the output of the
    visit that exited last (None if none has), how many times it was entered, and whether any visit exited.

    >>> from sfnlocal import StateMachine
    >>> run = StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 2, "End": True}}})
    >>> last_values(run.execute(1)._execution.visits)
    {'A': (1, 2, 1, True)}
    """
    values: dict[str, list[Any]] = {}
    for entry in visits:
        name = entry[STATE].name
        record = values.get(name)
        if record is None:
            record = values[name] = [None, None, 0, -1]
        record[0] = entry[INPUT]
        record[2] += 1
        stamp = entry[EXIT_STAMP]
        if stamp is not None and stamp > record[3]:  # in a Parallel or Map, a later visit may exit first
            record[1], record[3] = entry[OUTPUT], stamp
    return {name: (given, output, count, stamp >= 0) for name, (given, output, count, stamp) in values.items()}


def observations(noted: list[tuple[int, str, str, Any]], visits: list[VisitEntry]) -> list[tuple[str, str, Any]]:
    """What states did, in the order it happened: the observations ``noted`` while the execution ran (each after
    the number of events recorded then) and a ``("transition", state location, next state)`` for each visit that
    exited (at its Exited event: before anything noted once that event was recorded).

    >>> from sfnlocal import StateMachine
    >>> run = StateMachine.from_dict({"StartAt": "C", "States": {"E": {"Type": "Succeed"}, "C": {"Type": "Choice",
    ...     "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "E"}], "Default": "E"}}}).execute({"n": 1})
    >>> observations(run._execution.observations, run._execution.visits)
    [('choice', '/States/C', 0), ('transition', '/States/C', 'E'), ('transition', '/States/E', None)]
    """
    timed = [(stamp, 1, kind, location, detail) for stamp, kind, location, detail in noted]
    timed += [
        (entry[EXIT_STAMP], 0, "transition", entry[STATE].location, entry[NEXT])
        for entry in visits
        if entry[EXIT_STAMP] is not None
    ]
    timed.sort(key=lambda observed: observed[:2])
    return [(kind, location, detail) for _, _, kind, location, detail in timed]
