"""Hypothesis tests whose executions count for workflow coverage draw the same examples in every run.

Hypothesis draws a test's examples from a random seed that changes from run to run, and first replays
the examples it saved in its database (``.hypothesis/``) when the test failed before; so a property test
taking the ``sfn`` fixture would run other executions in a fresh clone than in a second run, and the
coverage figure would change with them. The plugin therefore gives each Hypothesis test that takes
``sfn`` (directly or through another fixture) a seed of its own, derived from the test's module and
name, with Hypothesis's public ``@seed``: that also turns the database off for that test alone. Other
tests keep the user's settings; a test decorated with ``@seed`` itself, or a session run with
``--hypothesis-seed``, keeps that seed (both are deterministic, and use no database, already).

>>> seed_for("tests/test_orders.py", "test_any_total") == seed_for("tests/test_orders.py", "test_any_total")
True
>>> seed_for("tests/test_orders.py", "test_any_total") != seed_for("tests/test_orders.py", "test_other")
True
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable

import pytest

# The fixture whose executions count for coverage (sfnlocal.testing.plugin.sfn).
RECORDING_FIXTURE = "sfn"


def seed_for(module: str, name: str) -> int:
    """A seed for a test, the same on every machine and in every run (not Python's salted ``hash``)."""
    digest = hashlib.sha256(f"{module}::{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def pin_hypothesis_seeds(items: Iterable[pytest.Item], config: pytest.Config) -> None:
    """Give every Hypothesis test that takes the ``sfn`` fixture a seed of its own (see the module's text)."""
    hypothesis = sys.modules.get("hypothesis")
    if hypothesis is None:  # no test module imported it: there is no Hypothesis test
        return
    if config.getoption("hypothesis_seed", None) is not None:  # the user's seed, for every test
        return
    for item in items:
        if not isinstance(item, pytest.Function) or RECORDING_FIXTURE not in item.fixturenames:
            continue
        test = item.function  # for a method, the function (a parametrized test's items share it)
        if not hypothesis.is_hypothesis_test(test):
            continue
        # Hypothesis keeps a test's @seed in this attribute (None without one); the user's own wins.
        if getattr(test, "_hypothesis_internal_use_seed", None) is None:
            hypothesis.seed(seed_for(test.__module__, test.__qualname__))(test)
