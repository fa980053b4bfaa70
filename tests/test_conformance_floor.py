"""The floor CI holds sfnlocal to on the recorded AWS executions (../shared/conformance/localstack).

Raise these numbers when the pass rates rise; never lower them to make a change land.
"""

from __future__ import annotations

import pytest
from support import CORPUS

from conformance.cases import default_paths
from conformance.cli import run_cases
from conformance.runner import NOT_APPLICABLE, PASS

# Measured when set: core 642/642 primary, 248/248 history; all cases 873/908 (history 449/475).
CORE_PRIMARY_FLOOR = 0.99
CORE_HISTORY_FLOOR = 0.97
ALL_PRIMARY_FLOOR = 0.95
# Every case but those needing a Distributed Map's ItemReader, ItemBatcher or ResultWriter (issue 11's target:
# 99% on status/output/error/cause, 98% on history types and links); measured 876/884, history 469/477.
NO_ITEM_IO_PRIMARY_FLOOR = 0.99
NO_ITEM_IO_HISTORY_FLOOR = 0.98
# Integration cases with the integrations served by sfnlocal (moto, callbacks answered), not replayed:
# measured 149/157.
SERVED_INTEGRATIONS_FLOOR = 0.93

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/conformance is not available")


def rate(results: list, attribute: str) -> float:
    judged = [r for r in results if getattr(r, attribute) != NOT_APPLICABLE]
    return sum(getattr(r, attribute) == PASS for r in judged) / len(judged)


def test_core_scope_pass_rates_stay_above_the_floor() -> None:
    results = run_cases(default_paths(), "core", None)
    assert len(results) > 600
    assert rate(results, "result") >= CORE_PRIMARY_FLOOR
    assert rate(results, "history") >= CORE_HISTORY_FLOOR


def test_whole_corpus_pass_rate_stays_above_the_floor() -> None:
    results = run_cases(default_paths(), "all", None)
    assert rate(results, "result") >= ALL_PRIMARY_FLOOR


def test_all_but_item_io_cases_stay_above_the_floor() -> None:
    results = run_cases(default_paths(), "no-item-io", None)
    assert len(results) > 850
    assert rate(results, "result") >= NO_ITEM_IO_PRIMARY_FLOOR
    assert rate(results, "history") >= NO_ITEM_IO_HISTORY_FLOOR


def test_integration_cases_served_by_sfnlocal_stay_above_the_floor() -> None:
    results = run_cases(default_paths(), "integrations", None, serving=True)
    assert len(results) > 100
    assert rate(results, "result") >= SERVED_INTEGRATIONS_FLOOR
