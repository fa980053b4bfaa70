"""The coverage gate in pytest's JUnit XML report, and the Cobertura XML coverage report, in pytest sessions of
their own (pytester): what CI report viewers read.

The JUnit shape is pytest's own (``<testsuites><testsuite><testcase classname= name=><failure message=>``, which
GitLab, Jenkins and GitHub's test-report actions read); the Cobertura shape is coverage-04.dtd's
(``coverage/sources/source``, ``coverage/packages/package/classes/class/lines/line`` with ``number`` and ``hits``,
the rates and counts every reader takes from the root)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import hypothesis  # noqa: F401  (imported once here, pytester's in-process sessions reuse it)
import pytest
from support import REPO

pytest_plugins = ["pytester"]

ORDER = REPO / "examples" / "order" / "order.asl.json"
# The happy path of examples/order: 17 of its 24 items (tests/test_plugin.py checks the terminal's figures).
ORDER_TESTS = """
from sfnlocal import mocks

MOCKS = {"Charge card": mocks.returns({"chargeId": "ch_1"}), "Reserve stock": mocks.returns({}),
         "Notify customer": mocks.returns({})}


def test_happy_path(sfn):
    run = sfn.load("workflows/order.asl.json").execute({"order": {"id": "o-1", "total": 5}}, mocks=MOCKS)
    assert run.status == "SUCCEEDED"
"""


@pytest.fixture
def order(pytester: pytest.Pytester) -> pytest.Pytester:
    (pytester.path / "workflows").mkdir()
    shutil.copy(ORDER, pytester.path / "workflows")
    pytester.makepyfile(test_order=ORDER_TESTS)
    return pytester


def suite(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    [found] = root.findall("testsuite")
    return found


def gate_cases(testsuite: ET.Element) -> list[ET.Element]:
    return [case for case in testsuite.iter("testcase") if case.get("classname") == "sfnlocal"]


def test_a_gate_under_its_threshold_is_a_failed_testcase_with_the_totals(order: pytest.Pytester) -> None:
    result = order.runpytest("--junitxml=reports/junit.xml", "--sfn-cov-fail-under=80")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    testsuite = suite(order.path / "reports" / "junit.xml")
    # One test and the gate: two testcases, the gate's failure counted as the suite's only one.
    assert (testsuite.get("tests"), testsuite.get("failures"), testsuite.get("errors")) == ("2", "1", "0")
    [case] = gate_cases(testsuite)
    assert case.get("name") == "workflow coverage >= 80%"
    [failure] = case.findall("failure")
    assert failure.get("message") == "FAIL Required workflow coverage of 80% not reached. Total: 70.8%"
    text = failure.text or ""
    assert "TOTAL  70.8%  (17/24 in 1 state machine)" in text
    assert "missing: Reject order" in text  # the table says what to cover next


def test_a_gate_reached_is_a_passed_testcase(order: pytest.Pytester) -> None:
    result = order.runpytest("--junitxml=junit.xml", "--sfn-cov-fail-under=70")
    assert result.ret == pytest.ExitCode.OK
    testsuite = suite(order.path / "junit.xml")
    assert (testsuite.get("tests"), testsuite.get("failures")) == ("2", "0")
    [case] = gate_cases(testsuite)
    assert case.get("name") == "workflow coverage >= 70%"
    assert list(case) == []  # no failure, error or skipped child: passed


def test_xunit1_gives_the_totals_as_properties(order: pytest.Pytester) -> None:
    order.runpytest("--junitxml=junit.xml", "--sfn-cov-fail-under=99.5", "-o", "junit_family=xunit1")
    [case] = gate_cases(suite(order.path / "junit.xml"))
    properties = {prop.get("name"): prop.get("value") for prop in case.iter("property")}
    assert properties == {"required": "99.5", "percent": "70.8", "covered": "17", "total": "24"}
    assert case.get("name") == "workflow coverage >= 99.5%"


def test_no_gate_no_testcase(order: pytest.Pytester) -> None:
    order.runpytest("--junitxml=junit.xml")
    testsuite = suite(order.path / "junit.xml")
    assert gate_cases(testsuite) == []
    assert testsuite.get("tests") == "1"


def test_a_gate_with_nothing_loaded_fails_in_the_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest("--junitxml=junit.xml", "--sfn-cov-fail-under=1")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    [case] = gate_cases(suite(pytester.path / "junit.xml"))
    [failure] = case.findall("failure")
    assert failure.get("message") == (
        "FAIL Required workflow coverage of 1% not reached. No state machine was loaded through the sfn fixture"
    )


def test_the_gate_testcase_is_written_once_under_xdist(order: pytest.Pytester) -> None:
    order.makepyfile(test_more="def test_a():\n    pass\n\n\ndef test_b():\n    pass\n")
    result = order.runpytest_subprocess("-n", "2", "--junitxml=junit.xml", "--sfn-cov-fail-under=80")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    testsuite = suite(order.path / "junit.xml")
    assert (testsuite.get("tests"), testsuite.get("failures")) == ("4", "1")
    [case] = gate_cases(testsuite)
    assert case.find("failure") is not None


# Cobertura -----------------------------------------------------------------------------------------------


def line_of(text: str, written: str) -> int:
    """The 1-based line of the one place ``written`` occurs in ``text`` (how the test finds a state's line)."""
    [number] = [index for index, line in enumerate(text.splitlines(), start=1) if written in line]
    return number


def test_the_cobertura_report_has_the_structure_readers_use(order: pytest.Pytester) -> None:
    result = order.runpytest("--sfn-cov-report=cobertura:reports/sfn-coverage.xml")
    result.assert_outcomes(passed=1)
    path = order.path / "reports" / "sfn-coverage.xml"
    result.stdout.fnmatch_lines([f"COBERTURA report written to {path}"])
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" ?>\n<!DOCTYPE coverage SYSTEM')
    coverage = ET.fromstring(text)
    assert coverage.tag == "coverage"
    # coverage-04.dtd's required attributes, at each level.
    required = {
        "coverage": {"line-rate", "branch-rate", "lines-covered", "lines-valid", "branches-covered",
                     "branches-valid", "complexity", "version", "timestamp"},
        "package": {"name", "line-rate", "branch-rate", "complexity"},
        "class": {"name", "filename", "line-rate", "branch-rate", "complexity"},
        "line": {"number", "hits"},
    }  # fmt: skip
    for element in coverage.iter():
        assert required.get(element.tag, set()) <= set(element.attrib), element.tag
    assert [source.text for source in coverage.findall("sources/source")] == [str(order.path)]
    [package] = coverage.findall("packages/package")
    assert package.get("name") == "workflows"  # the file's folder, as a package
    [machine] = package.findall("classes/class")
    assert (machine.get("name"), machine.get("filename")) == ("order", "workflows/order.asl.json")
    assert machine.find("methods") is not None
    lines = {int(line.get("number", "0")): line for line in machine.findall("lines/line")}
    hits = {number: int(line.get("hits", "-1")) for number, line in lines.items()}
    definition = ORDER.read_text(encoding="utf-8")
    # A state is the line of its name in the file: the ones the happy path ran were hit, the others not.
    for state in ("Validate order", "Charge card", "Fulfil", "Reserve stock", "Book courier", "Notify customer"):
        assert hits[line_of(definition, f'"{state}": {{')] == 1, state
    for state in ("Reject order", "Payment failed"):
        assert hits[line_of(definition, f'"{state}": {{')] == 0, state
    # Charge card's Retry is written on a line of its own; its one retrier never fired.
    retrier = line_of(definition, '{"ErrorEquals": ["Lambda.TooManyRequestsException"]')
    assert (hits[retrier], lines[retrier].get("branch")) == (0, "false")
    # The Catcher's object holds its Next too: one line, two items (the catcher, the transition), neither covered.
    catcher = line_of(definition, '{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error"')
    assert (lines[catcher].get("branch"), lines[catcher].get("condition-coverage")) == ("true", "0% (0/2)")
    # The root's counts are its lines'.
    covered = sum(1 for count in hits.values() if count)
    assert (coverage.get("lines-covered"), coverage.get("lines-valid")) == (str(covered), str(len(lines)))
    assert float(coverage.get("line-rate", "")) == pytest.approx(covered / len(lines), abs=1e-4)


def test_a_template_definition_is_a_class_of_the_file_the_template_names(pytester: pytest.Pytester) -> None:
    shutil.copytree(REPO / "examples" / "approval", pytester.path / "approval")
    pytester.makepyfile(test_approval="def test_load(sfn):\n    sfn.load('approval/template.yaml', resources=False)\n")
    result = pytester.runpytest("--sfn-cov-report=cobertura")
    result.assert_outcomes(passed=1)
    coverage = ET.parse(pytester.path / "sfn-coverage.xml").getroot()
    [machine] = coverage.iter("class")
    # DefinitionUri: statemachine/approval.asl.json: the states are written there, not in the template.
    assert machine.get("filename") == "approval/statemachine/approval.asl.json"
    definition = (REPO / "examples" / "approval" / "statemachine" / "approval.asl.json").read_text(encoding="utf-8")
    numbers = {int(line.get("number", "0")) for line in machine.iter("line")}
    assert line_of(definition, '"Validate order": {') in numbers
    assert all(line.get("hits") == "0" for line in machine.iter("line"))  # loaded, never run


def test_an_inline_yaml_definition_points_into_the_template(pytester: pytest.Pytester) -> None:
    template = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: First
        States:
          First:
            Type: Pass
            Next: Second
          Second:
            Type: Succeed
"""
    (pytester.path / "template.yaml").write_text(template, encoding="utf-8")
    pytester.makepyfile(test_flow="def test_run(sfn):\n    sfn.load('template.yaml', resources=False).execute({})\n")
    result = pytester.runpytest("--sfn-cov-report=cobertura:cov.xml")
    result.assert_outcomes(passed=1)
    [machine] = ET.parse(pytester.path / "cov.xml").getroot().iter("class")
    assert machine.get("filename") == "template.yaml"
    hits = {int(line.get("number", "0")): line.get("hits") for line in machine.iter("line")}
    # First (line 10), its Next (12), Second (13) and its Type: Succeed, which ends the execution (14).
    assert hits == {10: "1", 12: "1", 13: "1", 14: "1"}


def test_a_definition_in_a_literal_block_string_points_into_the_template(pytester: pytest.Pytester) -> None:
    template = """\
Resources:
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: |
        {
          "StartAt": "Only",
          "States": {
            "Only": {"Type": "Pass", "End": true}
          }
        }
"""
    (pytester.path / "template.yaml").write_text(template, encoding="utf-8")
    pytester.makepyfile(test_flow="def test_run(sfn):\n    sfn.load('template.yaml', resources=False)\n")
    pytester.runpytest("--sfn-cov-report=cobertura:cov.xml").assert_outcomes(passed=1)
    [machine] = ET.parse(pytester.path / "cov.xml").getroot().iter("class")
    [line] = machine.iter("line")  # the state and its End on line 9, not run
    assert (line.get("number"), line.get("hits"), line.get("condition-coverage")) == ("9", "0", "0% (0/2)")


def test_a_machine_from_a_dict_is_named_by_its_name(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_dict="def test_run(sfn):\n"
        "    sfn.load({'StartAt': 'A', 'States': {'A': {'Type': 'Succeed'}}}, name='Tiny').execute({})\n"
    )
    pytester.runpytest("--sfn-cov-report=cobertura").assert_outcomes(passed=1)
    coverage = ET.parse(pytester.path / "sfn-coverage.xml").getroot()
    [package] = coverage.iter("package")
    [machine] = package.iter("class")
    assert (package.get("name"), machine.get("name"), machine.get("filename")) == (".", "Tiny", "Tiny")
    assert coverage.get("line-rate") == "1"


def test_an_unknown_report_kind_names_the_kinds(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--sfn-cov-report=lcov")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*expected term, json[[]:PATH[]], html[[]:PATH[]] or cobertura[[]:PATH[]], not 'lcov'*"]
    )
