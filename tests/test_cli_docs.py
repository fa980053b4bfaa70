"""The command line as documented: `sfnlocal --help` and docs/testing-workflows.md.

The tutorial's Python examples run in test_docs_examples.py; here its shell commands are checked against
the parsers (`sfnlocal`'s and pytest's with the plugin), and the outputs it shows against what the
commands print.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO

from sfnlocal.cli.main import build_parser, main
from sfnlocal.cli.support import EXIT_CODES

TUTORIAL = REPO / "docs" / "testing-workflows.md"
SIGNUP = "examples/seeds/b-lambda-error-catch-python"


def blocks(language: str) -> list[str]:
    """The tutorial's fenced blocks of one language."""
    return [text for lang, text in re.findall(r"```(\w+)\n(.*?)```", TUTORIAL.read_text(), re.S) if lang == language]


def commands(program: str) -> list[list[str]]:
    """The argument lists of every `program` command in the tutorial's bash blocks (continuations joined,
    comments and output redirections dropped)."""
    found = []
    for block in blocks("bash"):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                argv = shlex.split(line)
                argv = argv[: argv.index(">")] if ">" in argv else argv
                if argv[0] == program:
                    found.append(argv[1:])
    return found


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository's root, as the tutorial does."""
    monkeypatch.chdir(REPO)


def test_help_lists_every_command_and_the_exit_codes(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "{validate,run,test-state,test,graph,serve,replay}" in out
    codes = out.split("exit codes:")[1]
    assert [line.split()[0] for line in codes.splitlines() if line[:6].strip().isdigit()] == [
        "0",
        "1",
        "2",
        "3",
        "254",
        "130",
        "141",
    ]


def test_the_tutorial_shows_every_command() -> None:
    assert {argv[0] for argv in commands("sfnlocal")} == {"validate", "run", "test-state", "test", "graph"}


@pytest.mark.parametrize("argv", commands("sfnlocal"), ids=lambda argv: " ".join(argv)[:60])
def test_each_sfnlocal_command_of_the_tutorial_parses(argv: list[str]) -> None:
    build_parser().parse_args(argv)  # a wrong command or option exits with status 2


def test_the_pytest_options_of_the_tutorial_are_the_plugins(tmp_path: Path) -> None:
    options = sorted({option for argv in commands("pytest") for option in argv if option.startswith("--")})
    assert options and all(option.startswith("--sfn-cov") for option in options)
    # Collect nothing from an empty folder: a usage error would exit 4 and name the option.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--co", "-p", "no:cacheprovider", *options, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode != pytest.ExitCode.USAGE_ERROR, done.stderr


def test_the_test_state_response_shown_is_what_it_prints(in_repo, capsys) -> None:
    assert main(["test-state", "--request", "examples/signup/test-state-request.json"]) == 0
    assert capsys.readouterr().out == blocks("json")[0]


def test_the_expectations_shown_are_the_example_file() -> None:
    assert blocks("yaml")[0] == (REPO / "examples" / "signup" / "expectations.yaml").read_text()


def test_the_sfnlocal_test_output_shown_is_what_it_prints(in_repo, capsys) -> None:
    [shown] = [block for block in blocks("text") if block.startswith("3 test cases")]
    [argv] = [argv for argv in commands("sfnlocal") if argv[0] == "test" and "--junit-xml" not in argv]
    assert main(argv) == 0

    def timeless(text: str) -> str:
        return re.sub(r"\d+ ms\)|in \d+\.\d\ds", "<time>", text)

    assert timeless(capsys.readouterr().out) == timeless(shown)


def test_the_graph_shown_is_what_run_and_graph_print(in_repo, tmp_path, capsys) -> None:
    assert (
        main(
            [
                "run",
                f"{SIGNUP}.asl.json",
                "--input",
                f"@{SIGNUP}.input.json",
                "--mocks",
                "examples/signup/mocks.yaml",
                "--json",
            ]
        )
        == 0
    )
    run = tmp_path / "run.json"
    run.write_text(capsys.readouterr().out)
    assert main(["graph", f"{SIGNUP}.asl.json", "--execution", str(run)]) == 0
    assert capsys.readouterr().out == blocks("mermaid")[0]


def test_the_coverage_shown_is_what_pytest_reports_for_the_first_test_alone(in_repo, tmp_path) -> None:
    [module] = [block for block in blocks("python") if block.startswith("# tests/test_signup.py")]
    first_test_only = module.split("\n\n\ndef test_a_taken_username")[0] + "\n"
    (tmp_path / "test_signup.py").write_text(first_test_only)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--sfn-cov-fail-under=90", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    [shown] = [block for block in blocks("text") if "workflow coverage" in block]
    assert done.returncode == pytest.ExitCode.TESTS_FAILED, done.stdout + done.stderr
    report = done.stdout.split("sfnlocal workflow coverage")[1]
    for line in shown.splitlines()[1:]:
        assert line in report


def test_the_tutorials_exit_code_table_lists_the_codes_of_the_help() -> None:
    table = TUTORIAL.read_text().split("Exit codes of every `sfnlocal` command")[1].split("\n\n")[1]
    documented = {int(row.split("|")[1]) for row in table.splitlines()[2:]}
    in_help = {int(line.split()[0]) for line in EXIT_CODES.splitlines()[1:] if line[:6].strip().isdigit()}
    assert documented == in_help
