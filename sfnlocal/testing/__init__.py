"""Testing state machines: assertions whose failures say what differed, and Hypothesis strategies that
inject faults into Task states (those need Hypothesis installed and are imported on first use).

>>> from sfnlocal import StateMachine
>>> from sfnlocal.testing import assert_path, assert_succeeded
>>> run = StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}).execute({})
>>> assert_succeeded(run); assert_path(run, ["A"])

See docs/pytest-plugin.md for the ``sfn`` fixture, workflow coverage and fault injection.
"""

from __future__ import annotations

import importlib
from typing import Any

# Imported on first use: the pytest plugin (sfnlocal.testing.plugin) must register the assertions for
# pytest's assertion rewriting before they are imported, and the strategies need Hypothesis.
_ASSERTIONS = (
    "assert_caught",
    "assert_failed",
    "assert_path",
    "assert_retries",
    "assert_state_output",
    "assert_succeeded",
    "describe_run",
    "json_differences",
)
_STRATEGIES = ("UNEXPECTED_ERRORS", "execution_inputs", "fault_errors", "json_values", "persisting", "task_outcomes")
_REPLAY = ("assert_replays_same", "replay_cases")

__all__ = [*_ASSERTIONS, *_STRATEGIES, *_REPLAY]


def __getattr__(name: str) -> Any:
    """The assertions (:mod:`sfnlocal.testing.assertions`) and strategies (:mod:`sfnlocal.testing.strategies`)."""
    if name in _ASSERTIONS:
        return getattr(importlib.import_module("sfnlocal.testing.assertions"), name)
    if name in _STRATEGIES:
        return getattr(importlib.import_module("sfnlocal.testing.strategies"), name)
    if name in _REPLAY:  # recorded executions as tests (sfnlocal.testing.replay)
        return getattr(importlib.import_module("sfnlocal.testing.replay"), name)
    raise AttributeError(f"module 'sfnlocal.testing' has no attribute {name!r}")
