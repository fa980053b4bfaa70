"""The pytest plugin end to end, in pytest sessions of its own (pytester): the sfn fixture, the coverage
options and reports, fail-under, failing tests' execution reports, assertion rewriting."""

from __future__ import annotations

import json
import shutil

import hypothesis  # noqa: F401  (imported once here, pytester's in-process sessions reuse it)
import pytest
from support import REPO

pytest_plugins = ["pytester"]

ORDER_TESTS = """
from sfnlocal import mocks

MOCKS = {"Charge card": mocks.returns({"chargeId": "ch_1"}), "Reserve stock": mocks.returns({}),
         "Notify customer": mocks.returns({})}


def test_happy_path(sfn):
    run = sfn.load("order.asl.json").execute({"order": {"id": "o-1", "total": 5}}, mocks=MOCKS)
    assert run.status == "SUCCEEDED"
    assert sfn.executions == [run]
"""


@pytest.fixture
def order(pytester: pytest.Pytester) -> pytest.Pytester:
    """A session whose one test runs the example order workflow's happy path (70.8% of its items)."""
    shutil.copy(REPO / "examples" / "order" / "order.asl.json", pytester.path)
    pytester.makepyfile(test_order=ORDER_TESTS)
    return pytester


def test_coverage_is_reported_when_a_test_used_the_fixture(order: pytest.Pytester) -> None:
    result = order.runpytest()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*- sfnlocal workflow coverage -*",
            "order [[]*[]]  70.8%  (17/24)",
            "  states              7/9   missing: Reject order",
            "*Payment failed",
            "TOTAL  70.8%  (17/24 in 1 state machine)",
        ]
    )


def test_no_coverage_report_without_the_fixture_unless_asked(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing():\n    pass\n")
    quiet = pytester.runpytest()
    quiet.assert_outcomes(passed=1)
    assert "sfnlocal workflow coverage" not in quiet.stdout.str()
    asked = pytester.runpytest("--sfn-cov")
    asked.stdout.fnmatch_lines(
        ["*- sfnlocal workflow coverage -*", "No state machine was loaded through the sfn fixture"]
    )
    assert asked.ret == pytest.ExitCode.OK


def test_no_sfn_cov_turns_coverage_off(order: pytest.Pytester) -> None:
    result = order.runpytest("--no-sfn-cov", "--sfn-cov-fail-under=100")
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.OK
    assert "sfnlocal workflow coverage" not in result.stdout.str()


def test_json_and_html_reports_are_written_where_asked(order: pytest.Pytester) -> None:
    result = order.runpytest("--sfn-cov-report=json:reports/cov.json", "--sfn-cov-report=html")
    result.assert_outcomes(passed=1)
    report = json.loads((order.path / "reports" / "cov.json").read_text(encoding="utf-8"))
    assert (report["totals"]["covered"], report["totals"]["total"]) == (17, 24)
    page = (order.path / "sfn-coverage.html").read_text(encoding="utf-8")
    assert '<g class="state uncovered" data-state="Reject order"' in page
    result.stdout.fnmatch_lines(
        [
            f"JSON report written to {order.path / 'reports' / 'cov.json'}",
            f"HTML report written to {order.path / 'sfn-coverage.html'}",
        ]
    )
    assert "TOTAL" not in result.stdout.str()  # only the reports asked for: no terminal one


def test_fail_under_fails_the_session_below_the_threshold(order: pytest.Pytester) -> None:
    result = order.runpytest("--sfn-cov-fail-under=75")
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["FAIL Required workflow coverage of 75% not reached. Total: 70.8%"])


def test_fail_under_passes_at_or_above_the_threshold(order: pytest.Pytester) -> None:
    result = order.runpytest("--sfn-cov-fail-under=70.8")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["Required workflow coverage of 70.8% reached. Total: 70.8%"])


def test_fail_under_with_nothing_executed_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest("--sfn-cov-fail-under=10")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["FAIL Required workflow coverage of 10% not reached. No state machine was loaded through the sfn fixture"]
    )


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--sfn-cov-report=pdf", "expected term, json[[]:PATH[]], html[[]:PATH[]] or cobertura[[]:PATH[]], not 'pdf'"),
        (
            "--sfn-cov-report=term:x",
            "expected term, json[[]:PATH[]], html[[]:PATH[]] or cobertura[[]:PATH[]], not 'term:x'",
        ),
        ("--sfn-cov-fail-under=101", "expected a percentage from 0 to 100, not '101'"),
        ("--sfn-cov-fail-under=lots", "expected a percentage from 0 to 100, not 'lots'"),
    ],
)
def test_bad_option_values_are_usage_errors(pytester: pytest.Pytester, option: str, message: str) -> None:
    result = pytester.runpytest(option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{message}*"])


def test_a_failing_test_reports_the_executions_it_ran(order: pytest.Pytester) -> None:
    order.makepyfile(
        test_failing="""
        def test_rejected(sfn):
            machine = sfn.load("order.asl.json")
            machine.execute({"order": {"id": "o-1"}})
            machine.execute({"order": {"id": "o-2", "total": 0}})
            assert False
        """
    )
    result = order.runpytest("test_failing.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- sfnlocal executions -*",
            "order: FAILED (execution *)",
            "  error: InvalidOrder",
            "  cause: The order has no positive total",
            "  states entered: 2: Validate order → Reject order",
            "  full history: *test_failing.py_test_rejected-call-1.json",
            "order: FAILED (execution *)",
            "  error: InvalidOrder",
            "  cause: The order has no positive total",
            "  states entered: 2: Validate order → Reject order",
            "  full history: *test_failing.py_test_rejected-call-2.json",
        ]
    )


def test_the_fixture_can_be_used_in_hypothesis_tests(order: pytest.Pytester) -> None:
    order.makepyfile(
        test_property="""
        from hypothesis import given, settings, strategies as st

        @settings(max_examples=5, database=None)
        @given(st.integers(-3, 3))
        def test_any_total(sfn, total):
            run = sfn.load("order.asl.json").execute({"order": {"id": "o", "total": total}},
                                                     mocks={"Charge card": {"Payload": {"chargeId": "c"}}})
            assert run.status == "FAILED"  # Reserve stock is not mocked, or the order is rejected
        """
    )
    result = order.runpytest("test_property.py")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["order [[]*[]]  *"])


def test_assertion_helpers_are_rewritten_and_say_what_differed(order: pytest.Pytester) -> None:
    order.makepyfile(
        test_helpers="""
        from sfnlocal.testing import assert_path, assert_state_output
        from test_order import MOCKS

        def test_output(sfn):
            run = sfn.load("order.asl.json").execute({"order": {"id": "o-1", "total": 5}}, mocks=MOCKS)
            assert_state_output(run, "Charge card", {"order": {"id": "o-1", "total": 5},
                                                     "payment": {"chargeId": "ch_2"}})

        def test_path(sfn):
            run = sfn.load("order.asl.json").execute({"order": {"id": "o-1"}})
            assert_path(run, ["Validate order", "Charge card"])
        """
    )
    result = order.runpytest_subprocess("test_helpers.py")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "E*AssertionError: the output of state 'Charge card' differs from the expected one:",
            'E*  $.payment.chargeId: expected "ch_2", got "ch_1"',
            "E*assert False",  # pytest's own explanation: the helper's assert was rewritten
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "E*AssertionError: the execution took another path (- expected, + taken), first at step 2:",
            "E*    Validate order",
            "E*  - Charge card",
            "E*  + Reject order",
            "E*(order FAILED with InvalidOrder * path: Validate order → Reject order)",
            # Rewritten, and bounded: the helper compares before it asserts, so pytest does not list the paths.
            "E*assert False",
        ]
    )


SAME_NAMED_CHILDREN = """
import pytest
from sfnlocal import StateMachine

PARENT = {"StartAt": "Run", "States": {"Run": {
    "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
    "Parameters": {"StateMachineArn": "Child"}, "OutputPath": "$.Output", "End": True}}}
SHARED = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "module", "End": True}}},
                                name="Shared")


KEPT = []  # the machines stay alive: only the per-test registries keep them apart


def child(result):
    machine = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result, "End": True}}},
                                     name="Child")
    KEPT.append(machine)
    return machine


@pytest.mark.parametrize("result", ["first", "second"])
def test_each_test_sees_its_own_child(result):
    child(result)
    assert StateMachine.from_dict(PARENT).execute({}).output == result


def test_a_child_of_another_test_is_not_seen():
    assert StateMachine.from_dict(PARENT).execute({}).error == "StepFunctions.StateMachineDoesNotExistException"


def test_a_machine_made_at_import_is_seen():
    parent = dict(PARENT, States={"Run": dict(PARENT["States"]["Run"], Parameters={"StateMachineArn": "Shared"})})
    assert StateMachine.from_dict(parent).execute({}).output == "module"
"""


def test_each_test_has_a_registry_of_its_own(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_children=SAME_NAMED_CHILDREN)
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=4)
