"""The README's examples run as written, and the `sfnlocal run` command behaves as documented."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from support import REPO

from sfnlocal.cli.main import build_parser, clock_offset, main
from sfnlocal.cli.support import EXIT_CODES

EXAMPLE = REPO / "examples" / "order"


def test_readme_python_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_readme_quick_start_names_the_bundled_example() -> None:
    text = (REPO / "README.md").read_text()
    assert (
        "sfnlocal run examples/order/order.asl.json --input @examples/order/input.json "
        "--mocks examples/order/mocks.json" in text
    )
    assert "python3 -m pip install -e '.[test]' && python3 -m pytest" in text
    assert "python -m pip install -e '.[test]' && python -m pytest" in (REPO / ".ci" / "run").read_text()


def test_run_prints_each_state_with_virtual_time_and_the_output(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "run",
            str(EXAMPLE / "order.asl.json"),
            "--input",
            f"@{EXAMPLE / 'input.json'}",
            "--mocks",
            str(EXAMPLE / "mocks.json"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"\+0:00:02\s+Wait for shipping window\s+Wait\s+1d 0:00:00", out)
    assert "Status: SUCCEEDED" in out
    assert '"text": "Your order order-42 ships today with ACME"' in out


def test_run_json_output_and_failure_exit_code(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    definition = tmp_path / "fail.asl.yaml"
    definition.write_text("StartAt: F\nStates:\n  F:\n    Type: Fail\n    Error: Nope\n    Cause: because\n")
    code = main(["run", str(definition), "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (printed["status"], printed["error"], printed["cause"]) == ("FAILED", "Nope", "because")
    assert [event["type"] for event in printed["history"]] == [
        "ExecutionStarted",
        "FailStateEntered",
        "ExecutionFailed",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--input", "{not json"], "--input is not valid JSON"),
        (["--mocks", "missing.json"], "cannot read missing.json"),
    ],
)
def test_run_reports_bad_arguments_without_a_traceback(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", str(EXAMPLE / "order.asl.json"), *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


def test_run_reports_every_definition_problem_as_validate_does(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    definition = tmp_path / "bad.asl.json"
    definition.write_text(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}))
    assert main(["run", str(definition)]) == 1
    err = capsys.readouterr().err
    assert main(["validate", str(definition)]) == 1
    assert err == capsys.readouterr().out
    # AWS's ValidateStateMachineDefinition reports both: the missing target and no terminal state.
    assert "/States/A/Next: ERROR MISSING_TRANSITION_TARGET" in err and "ERROR MISSING_END_STATE" in err


def test_clock_offset_format() -> None:
    assert clock_offset(3661) == "1:01:01"
    assert clock_offset(90061.25) == "1d 1:01:01.250"


def test_console_script_is_installed_and_runs_the_example() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sfnlocal.cli.main",
            "run",
            "examples/order/order.asl.json",
            "--input",
            "@examples/order/input.json",
            "--mocks",
            "examples/order/mocks.json",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Status: SUCCEEDED" in done.stdout


def test_readme_lists_the_exit_codes_and_options_the_command_line_has() -> None:
    text = (REPO / "README.md").read_text()
    listed = text.split("Exit codes (`sfnlocal --help` lists them):")[1].split("Whatever fails")[0]
    documented = {int(code) for code in re.findall(r"(?<![\w.,-])(\d+) (?=[a-z])", listed)}
    in_help = {int(line.split()[0]) for line in EXIT_CODES.splitlines()[1:] if line[:6].strip().isdigit()}
    assert documented == in_help
    usage = text.split("## Command line")[1].split("```bash\n")[1].split("```")[0]
    for line in usage.splitlines():
        command = line.split()[1]
        parser = build_parser()._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
        known = {option for action in parser._actions for option in action.option_strings}
        assert set(re.findall(r"--[a-z-]+", line)) <= known, line
