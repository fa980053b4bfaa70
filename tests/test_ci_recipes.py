"""docs/ci.md's recipes run as written: the commands of the GitHub Actions workflow (its ``run:`` steps), of the
GitLab CI pipeline (each job's ``before_script`` and ``script``) and the shell script, in a copy of a small project
(examples/order's definition in statemachines/, pytest tests that load it with the sfn fixture); then the reports
they say they write are there, in the formats CI tools read, and the paths the recipes hand to CI (the SARIF
upload, the GitLab reports, the coverage expression) name them.

Only the install lines are not run (``python -m pip install sfnlocal pytest``: this environment has both, and
sfnlocal from this checkout). A recipe's command of sfnlocal that does not exist yet in this checkout makes the test
an expected failure naming it, rather than a failure."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import REPO

PAGE = REPO / "docs" / "ci.md"
INSTALL = re.compile(r"^python -m pip install sfnlocal pytest$")
# The actions the GitHub recipe uses, which run only on GitHub: the test checks what they are given.
KNOWN_ACTIONS = {
    "actions/checkout@v4",
    "actions/setup-python@v5",
    "github/codeql-action/upload-sarif@v3",
    "actions/upload-artifact@v4",
}

# The project's tests: the happy path with a throttled charge retried, and a rejected order: 21 of the order
# workflow's 24 items (all but the Catcher, its transition and the Payment failed state): 87.5%, over the
# recipes' 80% gate.
PROJECT_TESTS = """
from sfnlocal import mocks

DEFINITION = "statemachines/order.asl.json"
DONE = {"Reserve stock": mocks.returns({}), "Notify customer": mocks.returns({})}


def test_a_throttled_charge_is_retried(sfn):
    charge = mocks.sequence(mocks.raises("Lambda.TooManyRequestsException"), mocks.returns({"chargeId": "ch_1"}))
    run = sfn.load(DEFINITION).execute({"order": {"id": "o-1", "total": 5}}, mocks={"Charge card": charge, **DONE})
    assert run.status == "SUCCEEDED"


def test_an_order_without_a_total_is_rejected(sfn):
    run = sfn.load(DEFINITION).execute({"order": {"id": "o-2"}})
    assert run.status == "FAILED"
"""


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)


def recipe(marker: str) -> dict[str, Any]:
    """The YAML block of the page holding ``marker``, parsed."""
    [block] = [block for block in blocks("yaml") if marker in block]
    parsed: dict[str, Any] = yaml.safe_load(block)
    return parsed


def github_steps() -> list[dict[str, Any]]:
    [job] = recipe("runs-on:")["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def gitlab_jobs() -> dict[str, dict[str, Any]]:
    pipeline = recipe("stages:")
    return {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}


def shell_script() -> str:
    [script] = blocks("sh")
    return script


def runnable(lines: list[str]) -> list[str]:
    """The lines to run: all but the install line (see the module's docstring)."""
    return [line for line in lines if not INSTALL.match(line.strip())]


def missing_commands() -> list[str]:
    """The sfnlocal commands the recipes use that this checkout does not have yet."""
    missing = []
    if subprocess.run(["sfnlocal", "--version"], capture_output=True, env=environment()).returncode != 0:
        missing.append("sfnlocal --version")
    usage = subprocess.run(["sfnlocal", "validate", "--help"], capture_output=True, text=True, env=environment())
    for option in ("sarif", "github", "--junit-xml"):
        if option not in usage.stdout:
            missing.append(f"sfnlocal validate {option}")
    return missing


def environment() -> dict[str, str]:
    """This interpreter's scripts first on PATH (sfnlocal, python), and none of the outer pytest's variables."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the small project the recipes assume; an expected failure while a command they use is missing."""
    missing = missing_commands()
    if missing:
        pytest.xfail(f"not in this checkout yet: {', '.join(missing)}")
    (tmp_path / "statemachines").mkdir()
    shutil.copy(REPO / "examples" / "order" / "order.asl.json", tmp_path / "statemachines")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_order.py").write_text(PROJECT_TESTS, encoding="utf-8")
    return tmp_path


def run(command: str, where: Path, *shell: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*shell, command], cwd=where, env=environment(), capture_output=True, text=True, timeout=300, check=False
    )


def break_a_definition(project: Path) -> None:
    """Add a definition whose StartAt names no state (AWS: MISSING_TRANSITION_TARGET)."""
    broken = {"StartAt": "Nowhere", "States": {"Only": {"Type": "Succeed"}}}
    (project / "statemachines" / "broken.asl.json").write_text(json.dumps(broken, indent=2), encoding="utf-8")


# What the reports must be ---------------------------------------------------------------------------------------


def check_sarif(path: Path, codes: list[str]) -> None:
    log = json.loads(path.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0"
    assert [result["ruleId"] for run in log["runs"] for result in run["results"]] == codes


def check_junit(path: Path, tests: int, failures: int) -> ET.Element:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    assert sum(int(suite.get("tests", "0")) for suite in suites) == tests
    assert sum(int(suite.get("failures", "0")) for suite in suites) == failures
    return root


def check_gate(path: Path, passed: bool) -> None:
    root = check_junit(path, tests=3, failures=0 if passed else 1)  # two tests and the gate
    [gate] = [case for case in root.iter("testcase") if case.get("classname") == "sfnlocal"]
    assert gate.get("name") == "workflow coverage >= 80%"
    assert (gate.find("failure") is None) == passed


def check_cobertura(path: Path) -> None:
    coverage = ET.parse(path).getroot()
    [machine] = coverage.findall("packages/package/classes/class")
    assert machine.get("filename") == "statemachines/order.asl.json"
    assert any(line.get("hits") != "0" for line in machine.findall("lines/line"))


# The recipes ------------------------------------------------------------------------------------------------------


def test_the_page_has_the_three_recipes() -> None:
    assert any(step.get("run") for step in github_steps())
    assert set(gitlab_jobs()) == {"validate", "workflow-tests"}
    assert shell_script().startswith("#!/bin/sh\n")


def test_the_github_recipe_uses_only_known_actions_on_the_files_it_writes() -> None:
    uses = {step["uses"]: step.get("with", {}) for step in github_steps() if "uses" in step}
    assert set(uses) == KNOWN_ACTIONS
    assert uses["github/codeql-action/upload-sarif@v3"]["sarif_file"] == "reports/validate.sarif"
    assert uses["actions/upload-artifact@v4"]["path"] == "reports/"
    # The steps after validation run even when it failed, so that its SARIF log is uploaded.
    steps = github_steps()
    [validation] = [index for index, step in enumerate(steps) if "--format github" in step.get("run", "")]
    assert all("!cancelled()" in step.get("if", "") for step in steps[validation + 1 :])


def test_the_github_recipe_runs(project: Path) -> None:
    for step in github_steps():
        if "run" not in step:
            continue
        commands = runnable(step["run"].splitlines())
        if not commands:
            continue
        # GitHub runs a step's script with `bash -e {0}` on Linux.
        done = run("\n".join(commands), project, "bash", "-e", "-c")
        assert done.returncode == 0, f"{step.get('name')}: {done.stdout}\n{done.stderr}"
    reports = project / "reports"
    check_sarif(reports / "validate.sarif", [])
    check_junit(reports / "validate.xml", tests=1, failures=0)
    check_gate(reports / "tests.xml", passed=True)
    check_cobertura(reports / "sfn-coverage.xml")
    assert (reports / "sfn-coverage.html").is_file()


def test_the_github_recipe_annotates_a_broken_definition_and_keeps_its_sarif(project: Path) -> None:
    break_a_definition(project)
    steps = {step.get("name"): step["run"] for step in github_steps() if "run" in step}
    validate = run("\n".join(runnable(steps["Validate the definitions"].splitlines())), project, "bash", "-e", "-c")
    assert validate.returncode == 1
    assert "::error file=statemachines/broken.asl.json,line=" in validate.stdout
    assert "title=MISSING_TRANSITION_TARGET::" in validate.stdout
    sarif = run(steps["SARIF for code scanning"], project, "bash", "-e", "-c")
    assert sarif.returncode == 0, sarif.stderr  # the invalid definition's exit code 1 is let through
    check_sarif(project / "reports" / "validate.sarif", ["MISSING_TRANSITION_TARGET"])


def test_the_gitlab_recipe_runs(project: Path) -> None:
    pipeline = recipe("stages:")
    before = pipeline["default"]["before_script"]
    logs = {}
    for name, job in gitlab_jobs().items():
        # GitLab's runner stops a job at the first command that fails.
        done = run("\n".join(runnable([*before, *job["script"]])), project, "sh", "-e", "-c")
        assert done.returncode == 0, f"{name}: {done.stdout}\n{done.stderr}"
        logs[name] = done.stdout
        for report in job["artifacts"]["reports"].values():
            path = report["path"] if isinstance(report, dict) else report
            assert (project / path).is_file(), f"{name} hands {path} to GitLab, which was not written"
    reports = project / "reports"
    check_sarif(reports / "validate.sarif", [])
    check_junit(reports / "validate.xml", tests=1, failures=0)
    check_gate(reports / "tests.xml", passed=True)
    check_cobertura(reports / "sfn-coverage.xml")
    # GitLab reads the job's coverage with the expression between the slashes (the first group's number).
    expression = gitlab_jobs()["workflow-tests"]["coverage"].strip("/")
    found = [match.group(1) for match in re.finditer(expression, logs["workflow-tests"], re.M)]
    assert found == ["87.5"]


def test_the_shell_script_runs(project: Path) -> None:
    (project / "ci.sh").write_text(shell_script(), encoding="utf-8")
    done = run("ci.sh", project, "sh")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.match(r"sfnlocal \d", done.stdout)  # --version first, for the log
    reports = project / "reports"
    check_sarif(reports / "validate.sarif", [])
    check_junit(reports / "validate.xml", tests=1, failures=0)
    check_gate(reports / "tests.xml", passed=True)
    check_cobertura(reports / "sfn-coverage.xml")


def test_the_shell_script_writes_every_report_and_fails_when_a_step_does(project: Path) -> None:
    break_a_definition(project)
    (project / "tests" / "test_order.py").write_text(PROJECT_TESTS.split("\n\ndef test_an_order")[0] + "\n")
    (project / "ci.sh").write_text(shell_script(), encoding="utf-8")
    done = run("ci.sh", project, "sh")
    assert done.returncode == 1
    reports = project / "reports"
    check_sarif(reports / "validate.sarif", ["MISSING_TRANSITION_TARGET"])
    check_junit(reports / "validate.xml", tests=2, failures=1)
    # The tests ran after the failed validation; one test leaves the gate under 80%, a failed testcase.
    root = check_junit(reports / "tests.xml", tests=2, failures=1)
    [gate] = [case for case in root.iter("testcase") if case.get("classname") == "sfnlocal"]
    assert gate.find("failure") is not None
