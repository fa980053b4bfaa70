"""Workflow coverage under pytest-xdist: workers send their coverage to the controller, which merges it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import REPO

pytest.importorskip("xdist")
pytest_plugins = ["pytester"]

# Four tests, each covering a different part of the order workflow; with -n 2 they run on both workers.
TESTS = """
import pytest
from sfnlocal import mocks

OK = {"Reserve stock": mocks.returns({}), "Notify customer": mocks.returns({})}
CASES = {
    "happy": ({"order": {"id": "a", "total": 5}}, {"Charge card": mocks.returns({"chargeId": "c"})}),
    "rejected": ({"order": {"id": "b"}}, {}),
    "declined": ({"order": {"id": "c", "total": 5}}, {"Charge card": mocks.raises("Declined")}),
    "throttled": ({"order": {"id": "d", "total": 5}}, {"Charge card": mocks.sequence(
        mocks.raises("Lambda.TooManyRequestsException"), mocks.returns({"chargeId": "c"}))}),
}


@pytest.mark.parametrize("case", CASES)
def test_order(sfn, case):
    order, charge = CASES[case]
    sfn.load("order.asl.json").execute(order, mocks={**OK, **charge})
"""


@pytest.fixture
def order(pytester: pytest.Pytester) -> pytest.Pytester:
    shutil.copy(REPO / "examples" / "order" / "order.asl.json", pytester.path)
    pytester.makepyfile(test_order=TESTS)
    return pytester


def items(report: Path) -> dict[str, int]:
    """Each item's label and hit count in a JSON report."""
    [machine] = json.loads(report.read_text(encoding="utf-8"))["machines"]
    return {item["label"]: item["hits"] for category in machine["categories"].values() for item in category["items"]}


def test_workers_coverage_is_merged_into_the_same_report_as_one_process(order: pytest.Pytester) -> None:
    single = order.runpytest_subprocess("--sfn-cov-report=json:single.json")
    single.assert_outcomes(passed=4)
    merged = order.runpytest_subprocess(
        "-n", "2", "--sfn-cov-report=json:merged.json", "--sfn-cov-report=term", "--sfn-cov-fail-under=100"
    )
    merged.assert_outcomes(passed=4)
    assert merged.ret == pytest.ExitCode.OK
    merged.stdout.fnmatch_lines(
        [
            "created: 2/2 workers",
            "*- sfnlocal workflow coverage -*",
            "order [[]*[]]  100.0%  (24/24)",
            "Required workflow coverage of 100% reached. Total: 100.0%",
        ]
    )
    assert items(order.path / "merged.json") == items(order.path / "single.json")
    assert items(order.path / "merged.json")["Validate order"] == 4


def test_fail_under_applies_to_the_merged_total(order: pytest.Pytester) -> None:
    failing = order.runpytest_subprocess("-n", "2", "-k", "happy or rejected", "--sfn-cov-fail-under=90")
    failing.assert_outcomes(passed=2)
    assert failing.ret == pytest.ExitCode.TESTS_FAILED
    failing.stdout.fnmatch_lines(["FAIL Required workflow coverage of 90% not reached. Total: 83.3%"])


def test_a_worker_reports_a_failing_tests_executions(order: pytest.Pytester) -> None:
    order.makepyfile(
        test_failing="""
        def test_rejected(sfn):
            sfn.load("order.asl.json").execute({"order": {"id": "b"}})
            assert False
        """
    )
    result = order.runpytest_subprocess("-n", "2", "test_failing.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*- sfnlocal executions -*", "order: FAILED (execution *)", "  error: InvalidOrder"])
