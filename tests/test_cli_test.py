"""`sfnlocal test`: every test case of a Step Functions Local mock file, checked against expectations, with a
line per case, a live counter on a terminal, JUnit XML and CI exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from support import REPO

from sfnlocal.cli.main import main
from sfnlocal.cli.test import run_suite
from sfnlocal.testing.mock_tests import Expectation, load_suite

DATA = REPO / "tests" / "data" / "mock_config"
SAMPLE = [
    "--mock-config",
    str(DATA / "MockConfigFile.json"),
    "--definition",
    str(DATA / "LambdaSQSIntegration.asl.json"),
]
SQS_OUTPUT = {
    "MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
    "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51",
}
# The sample's HybridPath leaves SQSState to the built-in SQS, where the queue does not exist.
HYBRID_FAILS = {"HybridPath": {"error": "SQS.QueueDoesNotExistException"}}


def write(tmp_path: Path, name: str, value: Any) -> str:
    path = tmp_path / name
    path.write_text(value if isinstance(value, str) else json.dumps(value))
    return str(path)


@pytest.fixture
def grader(tmp_path: Path) -> list[str]:
    """A Choice on the input and a mocked Task, with a mock file of two test cases."""
    definition = write(
        tmp_path,
        "grade.asl.json",
        {
            "StartAt": "Score",
            "States": {
                "Score": {
                    "Type": "Task",
                    "Resource": "arn:aws:lambda:us-east-1:123456789012:function:score",
                    "ResultPath": "$.score",
                    "Next": "Pass?",
                },
                "Pass?": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.score", "NumericGreaterThanEquals": 50, "Next": "Passed"}],
                    "Default": "Failed",
                },
                "Passed": {"Type": "Succeed"},
                "Failed": {"Type": "Fail", "Error": "Grade.TooLow", "Cause": "below 50"},
            },
        },
    )
    mock_config = write(
        tmp_path,
        "mocks.json",
        {
            "StateMachines": {"Grader": {"TestCases": {"High": {"Score": "Score80"}, "Low": {"Score": "Score20"}}}},
            "MockedResponses": {"Score80": {"0": {"Return": 80}}, "Score20": {"0": {"Return": 20}}},
        },
    )
    return ["--mock-config", mock_config, "--definition", definition]


def test_all_cases_pass_exit_0_with_a_line_each(tmp_path, capsys) -> None:
    expect = write(
        tmp_path,
        "expect.json",
        {"HappyPath": {"output": SQS_OUTPUT, "path": ["LambdaState", "SQSState"]}, **HYBRID_FAILS},
    )
    assert main(["test", *SAMPLE, "--expect", expect]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"3 test cases of LambdaSQSIntegration from {DATA / 'MockConfigFile.json'}"
    assert [line.split(" (")[0] for line in lines[1:4]] == ["PASS HappyPath", "PASS RetryPath", "PASS HybridPath"]
    assert lines[1].startswith("PASS HappyPath (SUCCEEDED, 2 states, ")
    assert lines[4].startswith("3 passed, 0 failed in ")
    assert "\r" not in "".join(lines)  # not a terminal: no live counter


def test_expectations_can_be_given_inline_as_json_text(capsys) -> None:
    assert main(["test", *SAMPLE, "--expect", json.dumps(HYBRID_FAILS)]) == 0
    assert main(["test", *SAMPLE, "--expect", '{"HybridPath": {"status": "SUCCEEDED"}}']) == 1
    assert "FAIL HybridPath (FAILED, " in capsys.readouterr().out
    assert main(["test", *SAMPLE, "--expect", '{"HybridPath": ']) == 2
    assert "--expect is not valid JSON" in capsys.readouterr().err


def test_a_failing_case_shows_its_differences_and_exits_1(tmp_path, capsys) -> None:
    expect = write(
        tmp_path,
        "expect.yaml",
        "HappyPath:\n  output: {MessageId: m-1}\n  path: [LambdaState]\n"
        "HybridPath:\n  error: SQS.QueueDoesNotExistException\n",
    )
    assert main(["test", *SAMPLE, "--expect", expect]) == 1
    out = capsys.readouterr().out
    assert "FAIL HappyPath (SUCCEEDED, 2 states, " in out
    assert "    output differs:\n      --- expected\n      +++ actual\n" in out
    assert '      -  "MessageId": "m-1"\n' in out
    assert "    path differs:\n" in out and "      +SQSState\n" in out
    assert "2 passed, 1 failed in " in out


def test_a_case_without_expectation_must_succeed_and_an_unexpected_failure_shows_its_error(capsys) -> None:
    assert main(["test", *SAMPLE]) == 1
    out = capsys.readouterr().out
    assert '    status: expected "SUCCEEDED", got "FAILED" (error: SQS.QueueDoesNotExistException; cause: ' in out


def test_inputs_per_case_and_default_status_with_error(grader, tmp_path, capsys) -> None:
    expect = write(
        tmp_path,
        "expect.json",
        {
            "High": {"output": {"student": "ada", "score": 80}},
            "Low": {"input": {"student": "bob"}, "error": "Grade.TooLow", "path": ["Score", "Pass?", "Failed"]},
        },
    )
    assert main(["test", *grader, "--expect", expect, "--input", '{"student": "ada"}']) == 0
    assert "PASS Low (FAILED, 3 states, " in capsys.readouterr().out


def test_the_only_state_machine_of_the_mock_file_is_used_when_the_file_name_differs(grader, capsys) -> None:
    suite = load_suite(grader[3], grader[1])
    assert (suite.machine.name, suite.cases) == ("Grader", ["High", "Low"])
    assert main(["test", *grader, "--state-machine", "Other"]) == 2
    assert "has no state machine named 'Other' (it has 'Grader'); pass --state-machine NAME" in capsys.readouterr().err


def test_junit_xml_for_ci(tmp_path, capsys) -> None:
    report = tmp_path / "reports" / "sfn.xml"
    assert main(["test", *SAMPLE, "--junit-xml", str(report)]) == 1
    root = ElementTree.parse(report).getroot()
    suite = root.find("testsuite")
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "3", "1")
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == ("LambdaSQSIntegration", "3", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == ["HappyPath", "RetryPath", "HybridPath"]
    assert cases["HappyPath"].find("failure") is None
    failure = cases["HybridPath"].find("failure")
    assert failure.get("message").startswith('status: expected "SUCCEEDED", got "FAILED"')
    assert "SQS.QueueDoesNotExistException" in failure.text


@pytest.mark.parametrize(
    ("expectations", "message"),
    [
        ({"Nope": {}}, "expectations name test case 'Nope', which state machine 'LambdaSQSIntegration' of "),
        (
            {"HappyPath": {"stauts": "SUCCEEDED"}},
            "/HappyPath/stauts: unknown field 'stauts'; an expectation may have "
            "input, status, output, error, cause, path",
        ),
        ({"HappyPath": {"status": "OK"}}, "/HappyPath/status: must be one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED"),
        ({"HappyPath": {"path": "LambdaState"}}, "/HappyPath/path: must be a list of state names"),
        ({"HappyPath": {"error": 3}}, "/HappyPath/error: must be a string"),
        ({"HappyPath": []}, "/HappyPath: must be an object of input, status"),
        ([], "must be an object of test case names"),
    ],
)
def test_expectations_that_cannot_be_used_exit_2(tmp_path, expectations: Any, message: str, capsys) -> None:
    assert main(["test", *SAMPLE, "--expect", write(tmp_path, "expect.json", expectations)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sfnlocal test: ") and message in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--mock-config", "missing.json", "--definition", str(DATA / "LambdaSQSIntegration.asl.json")],
            "missing.json: cannot read the mock config file",
        ),
        (
            ["--mock-config", str(DATA / "MockConfigFile.json"), "--definition", "missing.asl.json"],
            "cannot read missing.asl.json",
        ),
        ([*SAMPLE, "--expect", "missing.yaml"], "cannot read missing.yaml"),
        ([*SAMPLE, "--input", "{oops"], "--input is not valid JSON"),
    ],
)
def test_files_that_cannot_be_read_exit_2(args: list[str], message: str, capsys) -> None:
    assert main(["test", *args]) == 2
    assert message in capsys.readouterr().err


def test_a_state_machine_without_test_cases_exits_2(grader, tmp_path, capsys) -> None:
    empty = write(tmp_path, "empty.json", {"StateMachines": {"Grader": {"TestCases": {}}}, "MockedResponses": {}})
    assert main(["test", "--mock-config", empty, "--definition", grader[3]]) == 2
    assert "state machine 'Grader' has no test cases in " in capsys.readouterr().err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_live_counter_replaced_by_each_result_line(grader) -> None:
    suite = load_suite(grader[3], grader[1], expectations={"Low": {"error": "Grade.TooLow"}})
    out = Terminal()
    run_suite(suite, out)
    text = out.getvalue()
    assert text.startswith("\r[1/2] High ...\r\x1b[KPASS High (SUCCEEDED, 3 states, ")
    assert "\r[2/2] Low ...\r\x1b[KPASS Low (FAILED, 3 states, " in text
    assert text.splitlines()[-1].startswith("2 passed, 0 failed in ")


def test_expectation_status_defaults() -> None:
    assert Expectation({}).checks() == {"status": "SUCCEEDED"}
    assert Expectation({"error": "E", "output": None}).checks() == {"status": "FAILED", "error": "E", "output": None}
    assert Expectation({"status": "TIMED_OUT", "input": 1}).checks() == {"status": "TIMED_OUT"}


def test_counted_nouns_agree_and_a_looping_cases_difference_is_capped(tmp_path: Path, capsys) -> None:
    # One test case of a Choice loop that never ends by itself (AWS fails it at 25,000 history events).
    loop = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "C"},
            "C": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "B"}],
                "Default": "A",
            },
            "B": {"Type": "Succeed"},
        },
    }
    definition = write(tmp_path, "Loop.asl.json", loop)
    mock_config = write(
        tmp_path, "mocks.json", {"StateMachines": {"Loop": {"TestCases": {"Once": {}}}}, "MockedResponses": {}}
    )
    expect = json.dumps({"Once": {"path": ["A", "C", "B"]}})
    assert main(["test", "--mock-config", mock_config, "--definition", definition, "--expect", expect]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"1 test case of Loop from {mock_config}"
    assert lines[1].startswith("FAIL Once (FAILED, 12,4") and " states, " in lines[1]
    assert len(lines) < 60 and lines[-2].strip().startswith("… ") and lines[-2].endswith(" more lines")
