"""Recorded executions as tests: a folder of exported histories becomes one pytest test per execution.

>>> import pytest
>>> from sfnlocal import StateMachine
>>> from sfnlocal.testing import assert_replays_same, replay_cases
>>> cases = replay_cases("tests/data/replay/orders/histories")
>>> [case.id for case in cases]
['order-42', 'order-43']
>>> machine = StateMachine.from_file("tests/data/replay/orders/orders.asl.json")
>>> assert_replays_same(machine, cases[0].values[0]).verdict
'same'

In a test module (see docs/replay.md)::

    @pytest.mark.parametrize("history", replay_cases("histories"))
    def test_production_executions_replay_the_same(history):
        assert_replays_same(machine, history)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sfnlocal.replay import NOT_REPLAYABLE, SAME, RecordedExecution, ReplayReport, history_files, read_history


def replay_cases(*paths: str | Path) -> list[Any]:
    """One ``pytest.param`` per history file under ``paths`` (files, or folders searched for ``*.json``), its id
    the file's name without ``.json``; the value is the file's path, read when the test runs (a broken file fails
    its own test, not the collection)."""
    return [pytest.param(path, id=path.stem) for path in history_files(paths)]


def assert_replays_same(
    machine: Any, history: str | Path | RecordedExecution, *, skip_unreplayable: bool = True, **options: Any
) -> ReplayReport:
    """Replay ``history`` with ``machine`` (a :class:`sfnlocal.StateMachine`) and fail the test, with the first
    divergence, unless it went the same way. A history that cannot be replayed skips the test with the reason
    (``skip_unreplayable=False``: fails it). ``options`` go to :func:`sfnlocal.replay.replay`. Returns the report."""
    recorded = history if isinstance(history, RecordedExecution) else read_history(history)
    report: ReplayReport = machine.replay(recorded, **options)
    if report.verdict == NOT_REPLAYABLE and skip_unreplayable:
        pytest.skip(report.render())
    if report.verdict != SAME:
        raise AssertionError(report.render())
    return report
