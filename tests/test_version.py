"""``sfnlocal --version`` and ``python -m sfnlocal``: the version a CI log pins, and the console script's twin
for when the script is not on PATH (same output, same exit codes)."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from support import REPO

from sfnlocal.cli.main import main
from sfnlocal.cli.support import EXIT_FAILED, EXIT_OK, EXIT_USAGE

# The console script pip installed beside this interpreter (pyproject's [project.scripts]).
CONSOLE_SCRIPT = Path(sys.executable).with_name("sfnlocal")
PROJECT_VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_version_prints_the_installed_distributions_version_and_exits_0(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == EXIT_OK
    assert capsys.readouterr().out == f"sfnlocal {importlib.metadata.version('sfnlocal')}\n"
    # The installed metadata is this checkout's pyproject.toml (an editable install).
    assert importlib.metadata.version("sfnlocal") == PROJECT_VERSION


def test_version_needs_no_command_and_the_usage_offers_it(capsys) -> None:
    # Without --version a command is required (a usage error, exit 2) and the usage line names --version...
    with pytest.raises(SystemExit) as stopped:
        main([])
    assert stopped.value.code == EXIT_USAGE
    assert "[--version]" in capsys.readouterr().err
    # ...with it, the version is printed and nothing after it runs (the file named does not exist).
    with pytest.raises(SystemExit) as stopped:
        main(["--version", "validate", "missing.asl.json"])
    assert stopped.value.code == EXIT_OK
    assert capsys.readouterr() == (f"sfnlocal {PROJECT_VERSION}\n", "")


def test_a_source_tree_never_installed_says_its_version_is_unknown(monkeypatch, capsys) -> None:
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == EXIT_OK
    assert capsys.readouterr().out == "sfnlocal (version unknown: sfnlocal is not installed)\n"


def test_the_console_script_and_python_m_print_the_same_version(tmp_path: Path) -> None:
    for command in ([str(CONSOLE_SCRIPT)], [sys.executable, "-m", "sfnlocal"]):
        done = _run([*command, "--version"], tmp_path)
        assert (done.returncode, done.stdout, done.stderr) == (EXIT_OK, f"sfnlocal {PROJECT_VERSION}\n", ""), command


GOOD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
BROKEN = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["validate", "good.asl.json"], EXIT_OK),
        (["validate", "good.asl.json", "broken.asl.json"], EXIT_FAILED),
        (["validate", "missing.asl.json"], EXIT_USAGE),
        (["run", "broken.asl.json"], EXIT_FAILED),
        (["no-such-command"], EXIT_USAGE),
        ([], EXIT_USAGE),
        (["--help"], EXIT_OK),
    ],
    ids=["valid", "invalid", "unreadable", "run-invalid", "unknown-command", "no-command", "help"],
)
def test_python_m_sfnlocal_behaves_as_the_console_script(tmp_path: Path, argv: list[str], code: int) -> None:
    (tmp_path / "good.asl.json").write_text(json.dumps(GOOD))
    (tmp_path / "broken.asl.json").write_text(json.dumps(BROKEN))
    script = _run([str(CONSOLE_SCRIPT), *argv], tmp_path)
    module = _run([sys.executable, "-m", "sfnlocal", *argv], tmp_path)
    assert script.returncode == code, script.stderr
    # The same program: the same exit code, and the same words (it calls itself sfnlocal either way).
    assert (module.returncode, module.stdout, module.stderr) == (script.returncode, script.stdout, script.stderr)
