"""Workflow coverage does not depend on Hypothesis's example database nor on its random seed: a property
test that takes the sfn fixture draws the same examples in a fresh clone (no .hypothesis folder) and in
a second run (with the examples the first saved), so the coverage report is the same; Hypothesis tests
that do not take the fixture keep the user's settings. The task_outcomes strategies draw the same mocks
for the same seed in any process (they do not depend on Python's string hashing)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import hypothesis  # noqa: F401  (imported once here, pytester's in-process sessions reuse it)
import pytest
from support import REPO

pytest_plugins = ["pytester"]

# Charge is retried on throttling and caught otherwise; a Choice then looks at the charge's result. The
# property tests run with Hypothesis's directory database on, as a user's would by default.
PROPERTY_TESTS = """
from hypothesis import given, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from hypothesis import strategies as st

from sfnlocal import StateMachine
from sfnlocal.testing import task_outcomes

SM = StateMachine.from_dict({"StartAt": "Charge", "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
               "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 2}],
               "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "ResultPath": "$.charge",
               "Next": "Big?"},
    "Big?": {"Type": "Choice", "Choices": [{"Variable": "$.charge", "IsNumeric": True, "Next": "Number"},
                                           {"Variable": "$.charge", "IsString": True,
                                            "Next": "Text"}],
             "Default": "Other"},
    "Number": {"Type": "Succeed"}, "Text": {"Type": "Succeed"}, "Other": {"Type": "Succeed"},
    "Failed": {"Type": "Fail", "Error": "Failed"}}}, name="charge")
DATABASE = DirectoryBasedExampleDatabase(".hypothesis/examples")


@settings(max_examples=25, database=DATABASE)
@given(task_outcomes(SM))
def test_ends_in_a_known_state(sfn, outcomes):
    run = sfn.load(SM).execute({}, mocks=outcomes)
    assert run.path[-1] in ("Number", "Text", "Other", "Failed")


@settings(max_examples=25, database=DATABASE)
@given(task_outcomes(SM))
def test_never_fails(sfn, outcomes):  # fails, so Hypothesis saves its failing example
    assert sfn.load(SM).execute({}, mocks=outcomes).status == "SUCCEEDED"


@settings(max_examples=25, database=DATABASE)
@given(st.integers())
def test_unrelated_property(number):  # fails, without the fixture: the user's settings apply
    assert number < 10
"""


def coverage_report(pytester: pytest.Pytester, *args: str) -> dict[str, object]:
    """Run the session; its JSON coverage report (hit counts included)."""
    result = pytester.runpytest("-p", "no:cacheprovider", "--sfn-cov-report=json:cov.json", *args)
    result.assert_outcomes(passed=1, failed=2)
    report: dict[str, object] = json.loads((pytester.path / "cov.json").read_text(encoding="utf-8"))
    return report


def saved_keys(pytester: pytest.Pytester) -> set[str]:
    """The keys (folders) of the database, which Hypothesis derives from each test and the kind of examples."""
    examples = pytester.path / ".hypothesis" / "examples"
    return {entry.name for entry in examples.iterdir() if entry.is_dir()} if examples.exists() else set()


def test_a_second_run_and_a_fresh_clone_report_the_same_coverage(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_property=PROPERTY_TESTS)
    first = coverage_report(pytester)
    second = coverage_report(pytester)
    shutil.rmtree(pytester.path / ".hypothesis")
    fresh = coverage_report(pytester)
    assert first == second == fresh
    assert first["totals"]["covered"] > 5  # type: ignore[index]


def test_only_tests_without_the_fixture_use_the_database(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_property=PROPERTY_TESTS)
    coverage_report(pytester)
    saved = saved_keys(pytester)
    shutil.rmtree(pytester.path / ".hypothesis")
    pytester.runpytest("-p", "no:cacheprovider", "-k", "unrelated").assert_outcomes(failed=1)
    assert saved == saved_keys(pytester) != set()


def test_the_users_own_hypothesis_seed_is_honoured(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_property=PROPERTY_TESTS)
    # Where CI is set, Hypothesis loads its "ci" profile (derandomize=True), which ignores any seed: the
    # default profile, as on a developer's machine, is the one where a seed has a meaning.
    profile = "--hypothesis-profile=default"
    one = coverage_report(pytester, "--hypothesis-seed=1", profile)
    again = coverage_report(pytester, "--hypothesis-seed=1", profile)
    other = coverage_report(pytester, "--hypothesis-seed=2", profile)
    assert one == again
    assert one != other  # the hit counts of other examples


STRATEGY_DRAWS = """
import json
from hypothesis import given, seed, settings
from sfnlocal import StateMachine
from sfnlocal.testing import task_outcomes

SM = StateMachine.from_file("examples/order/order.asl.json")
drawn = []

@seed(7)
@settings(max_examples=30, database=None)
@given(task_outcomes(SM))
def draw(outcomes):
    drawn.append(repr(outcomes))

draw()
print(json.dumps(drawn))
"""


def draws_with_hash_seed(hash_seed: str) -> list[str]:
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
    completed = subprocess.run(
        [sys.executable, "-c", STRATEGY_DRAWS], cwd=REPO, env=environment, capture_output=True, text=True, check=True
    )
    draws: list[str] = json.loads(completed.stdout)
    return draws


def test_task_outcomes_draw_the_same_mocks_in_any_process() -> None:
    first, second = draws_with_hash_seed("1"), draws_with_hash_seed("2")
    assert len(first) == 30
    assert first == second
