"""`sfnlocal validate` for CI: `--format sarif` (checked against the OASIS SARIF 2.1.0 schema shipped in
tests/data/sarif), `--format github` (GitHub Actions workflow commands, escaped as GitHub's toolkit escapes
them) and `--junit-xml` (the elements and attributes pytest's own JUnit report has). The diagnostics each
format carries are compared with the AWS response the JSON format prints for the same files; lines and
columns are found in the test files' text here, not taken from sfnlocal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
from support import REPO

from sfnlocal.cli.main import main

SCHEMA = json.loads((REPO / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

BAD_JSON = """{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Pass", "Next": "Nowhere"}
  }
}
"""
BAD_YAML = "Comment: broken\nStartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Gone\n"
GOOD_JSON = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}'
# A plain key whose value looks like a path is AWS's NO_DOLLAR warning
WARNED_JSON = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"id": "$.order.id"}, "End": true}}}'
SYNTAX_ERROR = '{\n  "StartAt": "A",,\n}'

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Inline:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: A
        States:
          A:
            Type: Pass
            Next: Nowhere
  FromFile:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: machines/flow.asl.yaml
  AsString:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}'
  CallsJava:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Go
        States:
          Go: {Type: Task, Resource: !GetAtt JavaFunction.Arn, End: true}
  JavaFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: java21
      Handler: example.Handler::handleRequest
      CodeUri: java/
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of definitions, the current directory (CI runs validate from the repository's root)."""
    (tmp_path / "bad.asl.json").write_text(BAD_JSON)
    (tmp_path / "bad.asl.yaml").write_text(BAD_YAML)
    (tmp_path / "good.asl.json").write_text(GOOD_JSON)
    (tmp_path / "warned.asl.json").write_text(WARNED_JSON)
    (tmp_path / "syntax.json").write_text(SYNTAX_ERROR)
    (tmp_path / "machines").mkdir()
    (tmp_path / "machines" / "flow.asl.yaml").write_text(BAD_YAML)
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """The line and column (from 1) where the ``occurrence``-th ``needle`` starts in ``text``."""
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["validate", *args])
    return code, capsys.readouterr().out


def aws_responses(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    """The AWS responses `--format json` prints for the same arguments."""
    return [json.loads(line) for line in run(capsys, *args, "--format", "json")[1].splitlines()]


def sarif(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out = run(capsys, *args, "--format", "sarif")
    log = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)
    return code, log


def regions(log: dict[str, Any]) -> list[tuple[str, str, str, int, int]]:
    """(ruleId, level, file, line, column) of each result."""
    found = []
    for result in log["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        region = physical["region"]
        found.append(
            (
                result["ruleId"],
                result["level"],
                physical["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
            )
        )
    return found


def test_the_shipped_schema_is_oasis_sarif_2_1_0_and_refuses_a_broken_log() -> None:
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    validator = jsonschema.Draft4Validator(SCHEMA)
    assert validator.is_valid({"version": "2.1.0", "runs": []})
    # so that the checks below mean something: a result's level must be one SARIF names, a version is required
    assert not validator.is_valid({"runs": []})
    assert not validator.is_valid(
        {
            "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}],
        }
    )


def test_sarif_has_one_result_per_aws_diagnostic_with_its_code_and_severity(project, capsys) -> None:
    files = ["bad.asl.json", "bad.asl.yaml", "good.asl.json", "warned.asl.json", "--severity", "WARNING"]
    responses = aws_responses(capsys, *files)
    code, log = sarif(capsys, *files)
    assert code == 1
    expected = [
        (d["code"], d["severity"].lower(), response["file"], d.get("location"))
        for response in responses
        for d in response["diagnostics"]
    ]
    results = log["runs"][0]["results"]
    assert [
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["properties"].get("jsonPointer"),
        )
        for r in results
    ] == expected
    assert {"MISSING_TRANSITION_TARGET", "MISSING_END_STATE", "NO_DOLLAR"} <= {r["ruleId"] for r in results}
    assert {r["level"] for r in results} == {"error", "warning"}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in results] == [r["ruleId"] for r in results]
    assert log["version"] == "2.1.0" and log["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_sarif_places_each_diagnostic_at_the_line_and_column_of_its_json_pointer(project, capsys) -> None:
    _, log = sarif(capsys, "bad.asl.json", "bad.asl.yaml", "warned.asl.json", "syntax.json", "--severity", "WARNING")
    assert regions(log) == [
        # /States/A/Next: the member's key; no location (the whole workflow): the document
        ("MISSING_TRANSITION_TARGET", "error", "bad.asl.json", *position(BAD_JSON, '"Next"')),
        ("MISSING_END_STATE", "error", "bad.asl.json", 1, 1),
        ("MISSING_TRANSITION_TARGET", "error", "bad.asl.yaml", *position(BAD_YAML, "Next:")),
        ("MISSING_END_STATE", "error", "bad.asl.yaml", 1, 1),
        ("NO_DOLLAR", "warning", "warned.asl.json", *position(WARNED_JSON, '"id"')),  # /States/P/Parameters/id
        # a JSON syntax error at the character the parser stops at (the second comma), as the human format shows
        ("INVALID_JSON_DESCRIPTION", "error", "syntax.json", *position(SYNTAX_ERROR, ",\n}")),
    ]


def test_sarif_for_a_template_points_into_the_template_or_the_file_it_names(project, capsys) -> None:
    code, log = sarif(capsys, "--template", "template.yaml")
    assert code == 1
    found = regions(log)
    flow = (project / "machines" / "flow.asl.yaml").read_text()
    assert found == [
        # an inline Definition: the pointer below it
        ("MISSING_TRANSITION_TARGET", "error", "template.yaml", *position(TEMPLATE, "Next: Nowhere")),
        ("MISSING_END_STATE", "error", "template.yaml", *position(TEMPLATE, "Definition:")),
        # DefinitionUri: the definition file itself
        ("MISSING_TRANSITION_TARGET", "error", "machines/flow.asl.yaml", *position(flow, "Next:")),
        ("MISSING_END_STATE", "error", "machines/flow.asl.yaml", 1, 1),
        # DefinitionString: the string (a pointer into a string's JSON is not followed)
        ("MISSING_TRANSITION_TARGET", "error", "template.yaml", *position(TEMPLATE, "DefinitionString:")),
        ("MISSING_END_STATE", "error", "template.yaml", *position(TEMPLATE, "DefinitionString:")),
        # sfnlocal's own warning about a function it cannot run: at the function's resource
        ("LAMBDA_FUNCTION_NOT_RUNNABLE", "warning", "template.yaml", *position(TEMPLATE, "JavaFunction:")),
    ]
    messages = [result["message"]["text"] for result in log["runs"][0]["results"]]
    assert messages[0].startswith("Inline: ") and messages[0].endswith(" (at /States/A/Next)")
    assert [r["properties"]["definition"] for r in log["runs"][0]["results"]][-1] == "template.yaml#CallsJava"


def test_sarif_notes_a_file_that_cannot_be_read_and_exits_2(project, capsys) -> None:
    code, log = sarif(capsys, "missing.asl.json", "bad.asl.json")
    assert code == 2
    [invocation] = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "cannot read missing.asl.json" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "missing.asl.json"
    assert [result["ruleId"] for result in log["runs"][0]["results"]] == [
        "MISSING_TRANSITION_TARGET",
        "MISSING_END_STATE",
    ]


def test_sarif_uris_of_absolute_paths_and_names_with_spaces(project, capsys) -> None:
    (project / "my machines").mkdir()
    (project / "my machines" / "bad.asl.json").write_text(BAD_JSON)
    _, log = sarif(capsys, "my machines/bad.asl.json", str(project / "bad.asl.json"))
    uris = [
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in log["runs"][0]["results"]
    ]
    assert uris[0] == "my%20machines/bad.asl.json"
    assert uris[-1] == (project / "bad.asl.json").as_uri()


def unescape(value: str) -> str:
    """GitHub's runner reading a workflow command's value back (the inverse of its toolkit's escaping)."""
    for escaped, character in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, character)
    return value


def annotations(out: str) -> list[tuple[str, dict[str, str], str]]:
    """(command, properties, message) of each workflow command in ``out``."""
    found = []
    for line in out.splitlines():
        if line.startswith("::"):
            command_and_properties, message = line[2:].split("::", 1)
            command, properties = command_and_properties.split(" ", 1)
            pairs = [pair.split("=", 1) for pair in properties.split(",")]
            found.append((command, {name: unescape(value) for name, value in pairs}, unescape(message)))
    return found


def test_github_annotations_carry_file_line_column_and_code(project, capsys) -> None:
    files = ["bad.asl.json", "bad.asl.yaml", "warned.asl.json", "--severity", "WARNING"]
    responses = aws_responses(capsys, *files)
    code, out = run(capsys, *files, "--format", "github")
    assert code == 1
    found = annotations(out)
    line, column = position(BAD_JSON, '"Next"')
    assert found[0] == (
        "error",
        {"file": "bad.asl.json", "line": str(line), "col": str(column), "title": "MISSING_TRANSITION_TARGET"},
        f"{responses[0]['diagnostics'][0]['message']} (at /States/A/Next)",
    )
    assert [(command, props["file"], props["title"]) for command, props, _ in found] == [
        (d["severity"].lower(), response["file"], d["code"]) for response in responses for d in response["diagnostics"]
    ]
    # each definition's verdict as a plain log line after its annotations
    assert [text for text in out.splitlines() if not text.startswith("::")] == [
        "bad.asl.json: FAIL",
        "bad.asl.yaml: FAIL",
        "warned.asl.json: OK",
    ]


def test_github_annotations_escape_what_would_end_a_value(project, capsys) -> None:
    # a comma or a colon in a file name would end the property; a line break or % in a message would end it
    (project / "a,b:c.asl.json").write_text(BAD_JSON)
    _, out = run(capsys, "a,b:c.asl.json", "syntax.json", "--format", "github")
    first = out.splitlines()[0]
    assert first.startswith("::error file=a%2Cb%3Ac.asl.json,line=4,col=")
    assert annotations(out)[0][1]["file"] == "a,b:c.asl.json"
    for _, _, message in annotations(out):
        assert "\n" not in message
    assert all(line.count("::") == 2 for line in out.splitlines() if line.startswith("::"))


@pytest.mark.parametrize("format", ["human", "json", "sarif", "github"])
def test_exit_codes_are_the_same_in_every_format(project, capsys, format: str) -> None:
    assert main(["validate", "good.asl.json", "--format", format]) == 0
    assert main(["validate", "good.asl.json", "bad.asl.json", "--format", format]) == 1
    assert main(["validate", "bad.asl.json", "missing.asl.json", "--format", format]) == 2
    assert main(["validate", "--template", "template.yaml", "--logical-id", "CallsJava", "--format", format]) == 0


def pytest_report(tmp_path: Path) -> ElementTree.Element:
    """The JUnit report pytest itself writes for a passing, a failing and an erroring test."""
    folder = tmp_path / "pytest_run"
    folder.mkdir()
    (folder / "test_sample.py").write_text(
        "import pytest\n"
        "@pytest.fixture\n"
        "def broken():\n    raise RuntimeError('setup')\n"
        "def test_passes():\n    print('said')\n"
        "def test_fails():\n    assert 1 == 2\n"
        "def test_errors(broken):\n    pass\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:sfnlocal",
            "-q",
            "test_sample.py",
            "--junitxml=report.xml",
            "-o",
            "junit_logging=system-out",
        ],
        cwd=folder,
        capture_output=True,
        check=False,
        timeout=120,
    )
    return ElementTree.parse(folder / "report.xml").getroot()


def shape(root: ElementTree.Element) -> dict[str, set[str]]:
    """The attributes each element name has, over the whole report."""
    found: dict[str, set[str]] = {}
    for element in root.iter():
        found.setdefault(element.tag, set()).update(element.attrib)
    return found


def test_junit_report_has_one_case_per_definition_as_pytest_writes_them(project, tmp_path, capsys) -> None:
    report = project / "reports" / "validate.xml"
    args = ["bad.asl.json", "good.asl.json", "warned.asl.json", "missing.asl.json", "--template", "template.yaml"]
    code = main(["validate", *args, "--severity", "WARNING", "--junit-xml", str(report)])
    assert code == 2  # --junit-xml changes no exit code
    capsys.readouterr()
    root = ElementTree.parse(report).getroot()
    [suite] = root.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == [
        "bad.asl.json",
        "good.asl.json",
        "warned.asl.json",
        "template.yaml#Inline",
        "template.yaml#FromFile",
        "template.yaml#AsString",
        "template.yaml#CallsJava",
        "missing.asl.json",
    ]
    failed = [name for name, case in cases.items() if case.find("failure") is not None]
    assert failed == ["bad.asl.json", "template.yaml#Inline", "template.yaml#FromFile", "template.yaml#AsString"]
    failure = cases["bad.asl.json"].find("failure")
    assert failure is not None
    assert "MISSING_TRANSITION_TARGET" in failure.get("message", "") and "MISSING_END_STATE" in failure.get(
        "message", ""
    )
    assert "bad.asl.json:/States/A/Next: ERROR MISSING_TRANSITION_TARGET" in (failure.text or "")
    error = cases["missing.asl.json"].find("error")
    assert error is not None and "cannot read missing.asl.json" in error.get("message", "")
    # warnings never fail a definition: a valid one's warnings are its output
    assert cases["warned.asl.json"].find("failure") is None
    assert "WARNING NO_DOLLAR" in (cases["warned.asl.json"].findtext("system-out") or "")
    assert "LAMBDA_FUNCTION_NOT_RUNNABLE" in (cases["template.yaml#CallsJava"].findtext("system-out") or "")
    assert cases["good.asl.json"].find("system-out") is None
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("8", "4", "1")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("8", "4", "1")
    # the elements and attributes are among those of pytest's own report, which CI viewers read
    ours, pytests = shape(root), shape(pytest_report(tmp_path))
    # beyond pytest's: the totals on <testsuites> that the JUnit format defines there too (Ant's, Jenkins'), which
    # `sfnlocal test`'s report has always written
    pytests["testsuites"] |= {"tests", "failures", "errors", "time"}
    assert set(ours) <= set(pytests), set(ours) - set(pytests)
    for tag, attributes in ours.items():
        assert attributes <= pytests[tag], (tag, attributes - pytests[tag])


def test_the_cli_help_documents_the_formats_and_the_junit_report(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "{human,json,sarif,github}" in text
    assert "SARIF 2.1.0" in text and "::error file=" in text and "--junit-xml OUT" in text
