"""Replaying real executions offline: an execution history exported from AWS becomes a regression test.

>>> from sfnlocal import StateMachine
>>> from sfnlocal.replay import RecordedExecution
>>> recorded = RecordedExecution.from_document({"events": [
...     {"id": 1, "previousEventId": 0, "type": "ExecutionStarted",
...      "executionStartedEventDetails": {"input": '{"n": 1}'}},
...     {"id": 2, "previousEventId": 0, "type": "PassStateEntered",
...      "stateEnteredEventDetails": {"name": "Echo", "input": '{"n": 1}'}},
...     {"id": 3, "previousEventId": 2, "type": "PassStateExited",
...      "stateExitedEventDetails": {"name": "Echo", "output": '{"n": 1}'}},
...     {"id": 4, "previousEventId": 3, "type": "ExecutionSucceeded",
...      "executionSucceededEventDetails": {"output": '{"n": 1}'}}]}, "echo.json")
>>> sm = StateMachine.from_dict({"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}})
>>> sm.replay(recorded).verdict
'same'
>>> changed = StateMachine.from_dict({"StartAt": "Echo", "States": {"Echo": {
...     "Type": "Pass", "Result": 2, "ResultPath": "$.n", "End": True}}})
>>> print(changed.replay(recorded).render())
DIVERGED echo.json
  at state 'Echo', event #3 PassStateExited: output.n
    expected: 1
    actual:   2

Modules: :mod:`.history` reads history files, :mod:`.records` finds each event's place and each Task's
invocations, :mod:`.mocks` replays them, :mod:`.run` runs and judges, :mod:`.divergence` finds the first
difference, :mod:`.compare` and :mod:`.normalise` compare values, :mod:`.fetch` exports histories from AWS.
See docs/replay.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.language.lazy_names import import_lazily, names_with_lazy

if TYPE_CHECKING:
    from sfnlocal.replay.divergence import Divergence
    from sfnlocal.replay.history import HistoryError, RecordedExecution, history_files, read_histories, read_history
    from sfnlocal.replay.run import DIVERGED, NOT_REPLAYABLE, SAME, ReplayReport, replay

# Imported when first asked for, so that importing one module of the package (the command line's arguments read
# sfnlocal.replay.fetch) does not import them all: name -> module.
_LAZY = {
    "Divergence": "sfnlocal.replay.divergence",
    **dict.fromkeys(
        ["HistoryError", "RecordedExecution", "history_files", "read_histories", "read_history"],
        "sfnlocal.replay.history",
    ),
    **dict.fromkeys(["DIVERGED", "NOT_REPLAYABLE", "SAME", "ReplayReport", "replay"], "sfnlocal.replay.run"),
}

__all__ = [
    "DIVERGED",
    "NOT_REPLAYABLE",
    "SAME",
    "Divergence",
    "HistoryError",
    "RecordedExecution",
    "ReplayReport",
    "history_files",
    "read_histories",
    "read_history",
    "replay",
]


def __getattr__(name: str) -> Any:
    """The package's names, each imported from its module when first asked for (see ``_LAZY``)."""
    return import_lazily(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    return names_with_lazy(globals(), _LAZY)
