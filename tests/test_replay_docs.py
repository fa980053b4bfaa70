"""docs/replay.md as written: its Python examples run (the pytest recipe's test too, once per history), its
``console`` blocks print what they show with the exit code the page states, and its ``bash`` commands parse."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from typing import Any

import pytest
from support import REPO

from sfnlocal.cli.main import build_parser

PAGE = REPO / "docs" / "replay.md"


def blocks(language: str) -> list[str]:
    return [text for lang, text in re.findall(r"```(\w+)\n(.*?)```", PAGE.read_text(), re.S) if lang == language]


def sessions() -> list[tuple[str, str]]:
    """(command, the output shown under it) of every ``$`` line of the console blocks."""
    found = []
    for block in blocks("console"):
        for part in block.split("$ ")[1:]:
            command, _, output = part.partition("\n")
            found.append((command, output))
    return found


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_the_python_examples_run(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    namespace: dict[str, Any] = {}
    exec(compile(blocks("python")[index], f"docs/replay.md[{index}]", "exec"), namespace)
    for name, test in namespace.items():  # the recipe's test, run for each of its parameters
        marks = getattr(test, "pytestmark", [])
        if name.startswith("test_") and marks:
            (parametrize,) = marks
            for case in parametrize.args[1]:
                test(*case.values)


@pytest.mark.parametrize(("command", "shown"), sessions(), ids=lambda value: str(value)[:50])
def test_the_console_sessions_print_what_the_page_shows(command: str, shown: str) -> None:
    argv = shlex.split(command)
    assert argv[0] == "sfnlocal"
    done = subprocess.run([sys.executable, "-m", "sfnlocal", *argv[1:]], cwd=REPO, capture_output=True, text=True)
    assert done.stdout == shown, done.stderr
    assert done.returncode == (1 if "DIVERGED" in shown else 0)


def test_the_bash_commands_parse() -> None:
    commands = [shlex.split(block.replace("\\\n", " ").split(">")[0]) for block in blocks("bash")]
    assert [argv[0] for argv in commands] == ["aws", "sfnlocal"]
    build_parser().parse_args(commands[1][1:])
    assert "--include-execution-data" in commands[0]


def test_the_page_is_linked_from_the_readme() -> None:
    assert "(docs/replay.md)" in (REPO / "README.md").read_text()
