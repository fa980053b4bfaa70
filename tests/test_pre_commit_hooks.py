"""The hooks of .pre-commit-hooks.yaml, run by pre-commit itself (from PyPI, the test extra) in a temporary git
repository, as a project that lists sfnlocal's hooks in its .pre-commit-config.yaml runs them.

pre-commit clones the hook repository at a commit and pip-installs it into an environment of its own (PyPI is needed
the first time). The hook repository is a commit of this working tree's files that the install needs
(``pyproject.toml``, ``README.md``, ``sfnlocal/``) and of ``.pre-commit-hooks.yaml``: the hooks tested are the ones
in the checkout, committed or not. pre-commit's environment is built once per test session (``PRE_COMMIT_HOME`` in
the session's tmp) and reused by every test here.

The expected diagnostic is AWS's: ValidateStateMachineDefinition documents MISSING_TRANSITION_TARGET as 'The value of
"Next" field doesn't match a known state name' (API_ValidateStateMachineDefinitionDiagnostic).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pre_commit  # noqa: F401  (the test extra's pre-commit: imported here so that a missing one says so)
import pytest
import yaml
from support import REPO

GOOD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
BROKEN = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}
# pre-commit's exit code when a hook failed (a hook's own code is printed as "- exit code: N").
HOOK_FAILED = 1


@dataclass(frozen=True)
class HookRepo:
    """A git repository holding sfnlocal's hooks, and the commit a .pre-commit-config.yaml pins (``rev``)."""

    path: Path
    rev: str


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=_git_env(), capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _git_env() -> dict[str, str]:
    """The environment of git and pre-commit here: a fixed identity, none of the user's git configuration, and
    no variable of an outer pre-commit run (SKIP would skip hooks)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.pop("SKIP", None)
    identity = {"NAME": "sfnlocal tests", "EMAIL": "tests@sfnlocal.invalid"}
    env.update({f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER") for what, value in identity.items()})
    env.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    return env


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    """This checkout's hooks and package, committed in a repository of their own."""
    path = tmp_path_factory.mktemp("sfnlocal-hooks")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO / name, path / name)
    shutil.copytree(REPO / "sfnlocal", path / "sfnlocal", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _git(path, "init", "--quiet")
    _git(path, "add", ".")
    _git(path, "commit", "--quiet", "--message", "sfnlocal's hooks, from the working tree under test")
    return HookRepo(path, _git(path, "rev-parse", "HEAD"))


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's store for the session: the hook environment is installed once, by the first test."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path, hook_repo: HookRepo) -> Path:
    """A user's git repository, empty but for nothing yet: each test writes its files and its configuration."""
    _git(tmp_path, "init", "--quiet")
    return tmp_path


def _configure(project: Path, hook_repo: HookRepo, *hooks: dict[str, object]) -> None:
    """Write the project's .pre-commit-config.yaml: sfnlocal's repository at the commit, with these hooks."""
    config = {"repos": [{"repo": str(hook_repo.path), "rev": hook_repo.rev, "hooks": list(hooks)}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


def _write(project: Path, files: dict[str, object]) -> None:
    """Write the files (JSON values as JSON, text as it is) and stage them, as a commit would take them."""
    for name, content in files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2))
    _git(project, "add", ".")


def _pre_commit(project: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**_git_env(), "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )
    log = home / "pre-commit.log"  # where pre-commit explains a failure of its own (an install that failed, ...)
    assert log.exists() is False, log.read_text()
    return done


def test_the_manifest_is_valid_for_pre_commit() -> None:
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"sfnlocal-validate", "sfnlocal-validate-template", "sfnlocal-validate-templates"}
    assert {hook["language"] for hook in hooks.values()} == {"python"}


def test_the_definitions_hook_fails_the_broken_definition_with_awss_code_and_passes_the_good_one(
    project: Path, hook_repo: HookRepo, pre_commit_home: Path
) -> None:
    _configure(project, hook_repo, {"id": "sfnlocal-validate"})
    # package.json is not a definition: the hook's file pattern leaves it out (validated, it would fail).
    _write(project, {"good.asl.json": GOOD, "flows/broken.asl.yaml": yaml.safe_dump(BROKEN), "package.json": {}})
    done = _pre_commit(project, pre_commit_home, "run", "--all-files")
    assert done.returncode == HOOK_FAILED, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "- exit code: 1" in lines  # sfnlocal validate's own: a definition is invalid
    assert any(
        line.startswith("flows/broken.asl.yaml:/States/A/Next: ERROR MISSING_TRANSITION_TARGET ") for line in lines
    )
    assert "flows/broken.asl.yaml: FAIL" in lines
    assert "good.asl.json: OK" in lines
    assert "package.json" not in done.stdout

    alone = _pre_commit(project, pre_commit_home, "run", "--files", "good.asl.json")
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert "sfnlocal validate (Step Functions definitions)" in alone.stdout and "Passed" in alone.stdout


def test_as_a_git_pre_commit_hook_a_broken_definition_is_not_committed(
    project: Path, hook_repo: HookRepo, pre_commit_home: Path
) -> None:
    _configure(project, hook_repo, {"id": "sfnlocal-validate"})
    installed = _pre_commit(project, pre_commit_home, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    _write(project, {"order.asl.json": BROKEN})
    env = {**_git_env(), "PRE_COMMIT_HOME": str(pre_commit_home), "PRE_COMMIT_COLOR": "never"}
    refused = subprocess.run(["git", "commit", "-m", "broken"], cwd=project, env=env, capture_output=True, text=True)
    assert refused.returncode != 0
    assert "order.asl.json:/States/A/Next: ERROR MISSING_TRANSITION_TARGET " in refused.stdout + refused.stderr
    with pytest.raises(subprocess.CalledProcessError):
        _git(project, "rev-parse", "--verify", "HEAD")  # nothing was committed

    _write(project, {"order.asl.json": GOOD})
    subprocess.run(["git", "commit", "-m", "fixed"], cwd=project, env=env, capture_output=True, text=True, check=True)
    assert _git(project, "log", "--format=%s") == "fixed"


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
          A: {Type: Pass, End: true}
  FromFile:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/flow.asl.json
"""


def test_the_template_hook_checks_the_templates_state_machines_when_a_definition_it_points_at_changes(
    project: Path, hook_repo: HookRepo, pre_commit_home: Path
) -> None:
    _configure(project, hook_repo, {"id": "sfnlocal-validate-template"})
    _write(project, {"template.yaml": TEMPLATE, "statemachine/flow.asl.json": BROKEN, "README.md": "app\n"})
    # Only the definition file changed: the hook runs on the template (SAM's default name) that points at it.
    done = _pre_commit(project, pre_commit_home, "run", "--files", "statemachine/flow.asl.json")
    assert done.returncode == HOOK_FAILED, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "template.yaml#Inline: OK" in lines
    assert any(
        line.startswith("template.yaml#FromFile:/States/A/Next: ERROR MISSING_TRANSITION_TARGET ") for line in lines
    )
    assert "template.yaml#FromFile: FAIL" in lines

    # A change to neither the template nor a definition does not run it.
    skipped = _pre_commit(project, pre_commit_home, "run", "--files", "README.md")
    assert skipped.returncode == 0 and "(no files to check)Skipped" in skipped.stdout, skipped.stdout

    _write(project, {"statemachine/flow.asl.json": GOOD})
    fixed = _pre_commit(project, pre_commit_home, "run", "--all-files")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def test_the_templates_hook_checks_each_staged_template(
    project: Path, hook_repo: HookRepo, pre_commit_home: Path
) -> None:
    _configure(project, hook_repo, {"id": "sfnlocal-validate-templates"})
    _write(
        project,
        {
            "template.yaml": TEMPLATE,
            "services/billing/template.yaml": TEMPLATE,
            "statemachine/flow.asl.json": BROKEN,
            "services/billing/statemachine/flow.asl.json": GOOD,
        },
    )
    done = _pre_commit(project, pre_commit_home, "run", "--all-files")
    assert done.returncode == HOOK_FAILED, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    # Both templates were passed to one `sfnlocal validate --templates`: the broken one fails, the other passes.
    assert "template.yaml#FromFile: FAIL" in lines
    assert "services/billing/template.yaml#FromFile: OK" in lines
    _write(project, {"statemachine/flow.asl.json": GOOD})
    fixed = _pre_commit(project, pre_commit_home, "run", "--all-files")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def test_options_and_another_template_go_in_the_hooks_args(
    project: Path, hook_repo: HookRepo, pre_commit_home: Path
) -> None:
    # Express workflows do not support the Run a Job (.sync) integration pattern (AWS's "Integrating services with
    # Step Functions"): valid as STANDARD, this definition is refused as EXPRESS.
    sync = {"Type": "Task", "Resource": "arn:aws:states:::glue:startJobRun.sync", "End": True}
    express = {"StartAt": "Job", "States": {"Job": {**sync, "Parameters": {"JobName": "nightly"}}}}
    _configure(
        project,
        hook_repo,
        {"id": "sfnlocal-validate", "args": ["--type", "EXPRESS"]},
        # The user's args replace the hook's: the template is infra/app.yml, not template.yaml.
        {
            "id": "sfnlocal-validate-template",
            "args": ["--template", "infra/app.yml"],
            "files": "^infra/",
        },
    )
    _write(
        project, {"express.asl.json": express, "infra/app.yml": TEMPLATE, "infra/statemachine/flow.asl.json": BROKEN}
    )
    done = _pre_commit(project, pre_commit_home, "run", "--all-files")
    assert done.returncode == HOOK_FAILED, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("express.asl.json:/States/Job/Resource: ERROR ") for line in lines)
    assert "express.asl.json: FAIL" in lines
    assert "infra/app.yml#Inline: OK" in lines and "infra/app.yml#FromFile: FAIL" in lines

    _write(project, {"express.asl.json": GOOD, "infra/statemachine/flow.asl.json": GOOD})
    fixed = _pre_commit(project, pre_commit_home, "run", "--all-files")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
