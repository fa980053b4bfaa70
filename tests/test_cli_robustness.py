"""Every command on a battery of bad inputs, as a user's shell runs it (a subprocess): each exits with a
documented code and says what is wrong in one paragraph on stderr, never with a Python traceback."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sfnlocal.cli.support import (
    EXIT_BROKEN_PIPE,
    EXIT_CODES,
    EXIT_FAILED,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_SERVICE_ERROR,
    EXIT_USAGE,
    run_command,
)

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
TASK = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}}}
TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
{extra}Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        StartAt: {start}
        States:
          P: {{Type: Pass, End: true}}
"""
DEEP = 5_000


def _template(start: str, extra: str = "") -> str:
    return TEMPLATE.format(start=start, extra=extra)


FILES: dict[str, str | bytes] = {
    "pass.asl.json": json.dumps(PASS),
    "task.asl.json": json.dumps(TASK),
    "latin1.asl.json": '{"StartAt": "é", "States": {}}'.encode("latin-1"),
    "latin1.yaml": "StartAt: é\n".encode("latin-1"),
    "deep.json": "[" * DEEP + "]" * DEEP,
    "deep.asl.json": '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": '
    + "[" * DEEP
    + "]" * DEEP
    + ', "End": true}}}',
    "syntax.asl.json": '{\n  "StartAt": "P",\n  "States": {"P": {"Type": "Pass", "End": true,}}\n}\n',
    "not-json.json": "{oops",
    "self.asl.yaml": "StartAt: &a [*a]\nStates: {}\n",
    "self-mocks.yaml": "T: &a {sequence: [*a]}\n",
    "empty-error.json": json.dumps({"T": {"raises": {"error": ""}}}),
    "relative-handler.json": json.dumps({"T": {"handler": "..evil:f"}}),
    "path-handler.json": json.dumps({"T": {"handler": "../../etc/evil:f"}}),
    "bad-after.json": json.dumps({"T": {"returns": 1, "after": "soon"}}),
    "sam.yaml": _template("P"),
    "select.yaml": _template("!Select [5, [a, b]]"),
    "findinmap.yaml": _template("!FindInMap [Map, Missing, Key]", extra="Mappings:\n  Map:\n    A: {Key: P}\n"),
    "condition.yaml": _template("!If [Loop, P, P]", extra="Conditions:\n  Loop: !Condition Loop\n"),
    "base64.yaml": _template("!Base64 [a, b]"),
    "list.json": "[1, 2]",
    "refused-request.json": json.dumps({"definition": "{}", "input": "{}"}),
}

# (name, arguments, exit code).
CASES = [
    ("validate non-UTF-8", ["validate", "latin1.asl.json"], EXIT_USAGE),
    ("validate non-UTF-8 YAML", ["validate", "latin1.yaml"], EXIT_USAGE),
    ("validate 5,000-deep", ["validate", "deep.asl.json"], EXIT_FAILED),
    ("validate syntax error", ["validate", "syntax.asl.json"], EXIT_FAILED),
    ("validate self-referential YAML", ["validate", "self.asl.yaml"], EXIT_USAGE),
    ("validate a template as a definition", ["validate", "sam.yaml"], EXIT_USAGE),
    ("validate missing file", ["validate", "missing.asl.json"], EXIT_USAGE),
    ("validate !Select out of range", ["validate", "--template", "select.yaml"], EXIT_USAGE),
    ("validate !FindInMap missing key", ["validate", "--template", "findinmap.yaml"], EXIT_USAGE),
    ("validate self-referring Condition", ["validate", "--template", "condition.yaml"], EXIT_USAGE),
    ("validate !Base64 of a list", ["validate", "--template", "base64.yaml"], EXIT_USAGE),
    ("run non-UTF-8", ["run", "latin1.asl.json"], EXIT_USAGE),
    ("run 5,000-deep input", ["run", "pass.asl.json", "--input", "@deep.json"], EXIT_USAGE),
    ("run 5,000-deep inline input", ["run", "pass.asl.json", "--input", "[" * DEEP + "]" * DEEP], EXIT_USAGE),
    ("run non-UTF-8 input", ["run", "pass.asl.json", "--input", "@latin1.asl.json"], EXIT_USAGE),
    ("run 5,000-deep definition", ["run", "deep.asl.json"], EXIT_FAILED),
    ("run syntax error", ["run", "syntax.asl.json"], EXIT_FAILED),
    ("run self-referential YAML", ["run", "self.asl.yaml"], EXIT_USAGE),
    ("run a template as a definition", ["run", "sam.yaml"], EXIT_USAGE),
    ("run a definition and a template", ["run", "pass.asl.json", "--template", "sam.yaml"], EXIT_USAGE),
    ("run raises with an empty error", ["run", "task.asl.json", "--mocks", "empty-error.json"], EXIT_USAGE),
    ("run relative handler", ["run", "task.asl.json", "--mocks", "relative-handler.json"], EXIT_USAGE),
    ("run path handler", ["run", "task.asl.json", "--mocks", "path-handler.json"], EXIT_USAGE),
    ("run after not a number", ["run", "task.asl.json", "--mocks", "bad-after.json"], EXIT_USAGE),
    ("run self-referential mocks", ["run", "task.asl.json", "--mocks", "self-mocks.yaml"], EXIT_USAGE),
    ("run non-UTF-8 mocks", ["run", "task.asl.json", "--mocks", "latin1.yaml"], EXIT_USAGE),
    ("run mocks not an object", ["run", "task.asl.json", "--mocks", "list.json"], EXIT_USAGE),
    ("run !Select out of range", ["run", "--template", "select.yaml"], EXIT_USAGE),
    ("run !Base64 of a list", ["run", "--template", "base64.yaml"], EXIT_USAGE),
    ("test-state non-UTF-8", ["test-state", "--request", "latin1.asl.json"], EXIT_USAGE),
    ("test-state 5,000-deep", ["test-state", "--request", "deep.json"], EXIT_USAGE),
    ("test-state not JSON", ["test-state", "--request", "not-json.json"], EXIT_USAGE),
    ("test-state not an object", ["test-state", "--request", "list.json"], EXIT_USAGE),
    ("test-state refused", ["test-state", "--request", "refused-request.json"], EXIT_SERVICE_ERROR),
    ("test non-UTF-8 mock file", ["test", "--mock-config", "latin1.yaml", "--definition", "pass.asl.json"], 2),
    ("test 5,000-deep mock file", ["test", "--mock-config", "deep.json", "--definition", "pass.asl.json"], 2),
    ("test non-UTF-8 definition", ["test", "--mock-config", "list.json", "--definition", "latin1.asl.json"], 2),
    ("test 5,000-deep input", ["test", "--mock-config", "list.json", "--definition", "pass.asl.json", "--input",
                               "@deep.json"], EXIT_USAGE),
    ("test a template as a definition", ["test", "--mock-config", "list.json", "--definition", "sam.yaml"], 2),
    ("graph non-UTF-8", ["graph", "latin1.asl.json"], EXIT_USAGE),
    ("graph 5,000-deep", ["graph", "deep.asl.json"], EXIT_FAILED),
    ("graph a template as a definition", ["graph", "sam.yaml"], EXIT_USAGE),
    ("graph non-UTF-8 execution", ["graph", "pass.asl.json", "--execution", "latin1.asl.json"], EXIT_USAGE),
    ("graph 5,000-deep execution", ["graph", "pass.asl.json", "--execution", "deep.json"], EXIT_USAGE),
    ("graph self-referential YAML", ["graph", "self.asl.yaml"], EXIT_USAGE),
]  # fmt: skip


def documented_codes() -> set[int]:
    """The exit codes `sfnlocal --help` lists."""
    return {int(line.split()[0]) for line in EXIT_CODES.splitlines()[1:] if line[:6].strip().isdigit()}


def sfnlocal(folder: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the command line in ``folder`` as the console script would (-P: the folder is not put on sys.path)."""
    return subprocess.run(
        [sys.executable, "-P", "-m", "sfnlocal.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=folder,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bad-inputs")
    for name, content in FILES.items():
        (path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def assert_one_paragraph(stderr: str) -> None:
    """A message, not a traceback: something said, no blank line, a bounded length."""
    assert "Traceback" not in stderr
    assert stderr.strip(), "nothing was said"
    assert "\n\n" not in stderr.strip() and len(stderr) <= 2_100, stderr


@pytest.mark.parametrize(("args", "code"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_bad_input_gets_a_documented_exit_code_and_one_paragraph(folder: Path, args: list[str], code: int) -> None:
    done = sfnlocal(folder, *args)
    # validate prints its diagnostics on stdout; the other commands say what is wrong on stderr.
    assert_one_paragraph(done.stdout if args[0] == "validate" and done.returncode == EXIT_FAILED else done.stderr)
    assert done.returncode in documented_codes()
    assert done.returncode == code, done.stderr


@pytest.mark.parametrize("command", ["validate", "run", "graph", "test"])
def test_a_template_given_as_a_definition_is_refused_with_what_to_pass(folder: Path, command: str) -> None:
    args = ["--mock-config", "list.json", "--definition", "sam.yaml"] if command == "test" else ["sam.yaml"]
    done = sfnlocal(folder, command, *args)
    assert done.returncode == EXIT_USAGE
    assert (
        f"sfnlocal {command}: sam.yaml is a SAM/CloudFormation template, not a state machine definition" in done.stderr
    )
    assert "--template" in done.stderr


def test_the_battery_covers_every_command() -> None:
    assert {args[0] for _, args, _ in CASES} == {"validate", "run", "test-state", "test", "graph"}


def test_output_piped_into_head_ends_quietly(folder: Path) -> None:
    # A Choice loop of 3,000 rounds: 6,000 timeline lines with --full, far more than a pipe holds.
    counting = {
        "StartAt": "Start",
        "States": {
            "Start": {"Type": "Pass", "Result": {"n": 0}, "Next": "Count"},
            "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Again?"},
            "Again?": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericLessThan": 3000, "Next": "Count"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    (folder / "counting.asl.json").write_text(json.dumps(counting))
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "sfnlocal.cli.main", "run", "counting.asl.json", "--full"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith("Execution ")
    process.stdout.close()  # as `head -1` does once it has its line
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert stderr == ""


def test_ctrl_c_ends_a_command_with_a_word_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    assert run_command(interrupted, argparse.Namespace(command="run")) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "sfnlocal run: interrupted\n"


def test_a_bug_is_reported_as_one_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    def broken(args: argparse.Namespace) -> int:
        return {}["missing"]  # type: ignore[no-any-return]

    assert run_command(broken, argparse.Namespace(command="graph")) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("sfnlocal graph: internal error KeyError: 'missing'; this is a bug in sfnlocal")
    assert "Traceback" not in err


def test_a_yaml_py_beside_the_mocks_file_does_not_replace_pyyaml(tmp_path: Path) -> None:
    # The reproduction: before, the mocks file's folder went first on sys.path for the whole process.
    (tmp_path / "yaml.py").write_text("raise SystemExit('the folder shadowed PyYAML')\n")
    (tmp_path / "handlers.py").write_text(
        "import yaml\n\n\ndef handler(event, context):\n    return {'safe_load': hasattr(yaml, 'safe_load')}\n"
    )
    (tmp_path / "mocks.yaml").write_text("T:\n  handler: handlers:handler\n")
    (tmp_path / "task.asl.json").write_text(
        json.dumps({**TASK, "States": {"T": {**TASK["States"]["T"], "OutputPath": "$.Payload"}}})
    )
    done = sfnlocal(tmp_path, "run", "task.asl.json", "--mocks", "mocks.yaml", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["output"] == {"safe_load": True}
