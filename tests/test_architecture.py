"""The code's shape, checked by maintained tools: the layering of the packages (import-linter contracts in
pyproject.toml), the public API, formatting."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO

import sfnlocal


def test_the_layers_hold() -> None:
    # The contracts live in pyproject.toml: the interpreter imports no integration, CLI, plugin or coverage code.
    linter = Path(sys.executable).with_name("lint-imports")  # import-linter's command, installed with the test extra
    checked = subprocess.run([str(linter), "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_public_api() -> None:
    assert sorted(sfnlocal.__all__) == sorted(
        [
            "AwaitExecution",
            "AwaitToken",
            "AwaitWorker",
            "AwsRequestRefused",
            "AwsWorld",
            "DefinitionError",
            "ExecutionResult",
            "Failure",
            "Integration",
            "InvalidDefinition",
            "Journal",
            "LambdaFunction",
            "LambdaFunctions",
            "MockKeyError",
            "NeverAnswers",
            "Outcome",
            "RecordedExecution",
            "ReplayReport",
            "Result",
            "StateMachine",
            "StateRecord",
            "StatesError",
            "Submitted",
            "TaskRequest",
            "TaskTokenError",
            "TemplateError",
            "TestStateError",
            "UNEXPECTED_ERRORS",
            "assert_caught",
            "assert_failed",
            "assert_path",
            "assert_replays_same",
            "assert_retries",
            "assert_state_output",
            "assert_succeeded",
            "compose",
            "create_state_machine_check",
            "describe_run",
            "execution_inputs",
            "fault_errors",
            "functions_from_mapping",
            "functions_from_template",
            "json_differences",
            "json_values",
            "load_mock_config",
            "load_suite",
            "load_template",
            "mocks",
            "persisting",
            "registry_scope",
            "replay_cases",
            "task_outcomes",
            "test_state",
            "validate",
        ]
    )
    for name in sfnlocal.__all__:
        assert getattr(sfnlocal, name) is not None, name


def test_importing_sfnlocal_imports_neither_moto_nor_the_testing_tools() -> None:
    probe = (
        "import sys, sfnlocal; "
        "print(sorted(m for m in ('moto', 'boto3', 'pytest', 'hypothesis', 'sfnlocal.testing.assertions', "
        "'sfnlocal.validation', 'sfnlocal.teststate') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


@pytest.mark.parametrize("command", [["format", "--check"], ["check"]])
def test_ruff_is_clean(command: list[str]) -> None:
    # The whole repository, the Python blocks of the docs included (ruff reads them in Markdown).
    checked = subprocess.run([sys.executable, "-m", "ruff", *command, "."], cwd=REPO, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_readme_and_docs_import_only_from_sfnlocal_itself() -> None:
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    deep = [
        f"{page.name}: {line.strip()}"
        for page in pages
        for block in re.findall(r"```python\n(.*?)```", page.read_text(), re.S)
        for line in block.splitlines()
        if re.match(r"\s*(from sfnlocal\.|import sfnlocal\.)", line)
    ]
    assert deep == []


def test_the_package_type_checks() -> None:
    # mypy's settings are in pyproject.toml ([tool.mypy]: untyped definitions refused).
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--no-error-summary"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_mocks_is_importable_by_its_public_name() -> None:
    probe = "import sfnlocal.mocks; from sfnlocal.mocks import returns; print(sfnlocal.mocks.returns is returns)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "True\n"
