"""docs/lambdas.md as a user meets it: its test examples pass in a pytest session of their own, and its
commands run as shown (tests/test_docs_examples.py runs every Python example as a script)."""

from __future__ import annotations

import json
import re
import shlex

import hypothesis  # noqa: F401  (imported once here, pytester's in-process sessions reuse it)
import moto  # noqa: F401  (likewise: a second copy of moto in a pytester session would not answer)
import pytest
from support import REPO
from test_docs_examples import examples
from test_plugin_docs import passes_in_a_session

from sfnlocal.cli.main import main

pytest_plugins = ["pytester"]

PAGE = REPO / "docs" / "lambdas.md"
TEST_EXAMPLES = [example for example in examples("lambdas.md") if "def test_" in example]


def commands() -> list[list[str]]:
    """The `sfnlocal` commands of the page's bash blocks, as argument lists."""
    blocks = re.findall(r"```bash\n(.*?)```", PAGE.read_text(), re.S)
    return [shlex.split(line)[1:] for block in blocks for line in block.splitlines() if line.startswith("sfnlocal ")]


def test_the_page_has_a_test_example_and_commands() -> None:
    assert TEST_EXAMPLES and len(commands()) == 2


@pytest.mark.parametrize("index", range(len(TEST_EXAMPLES)))
def test_doc_test_example_passes(pytester: pytest.Pytester, index: int) -> None:
    passes_in_a_session(pytester, TEST_EXAMPLES[index], "ApprovalStateMachine")


def test_the_first_command_runs_the_three_handlers(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    assert main(commands()[0]) == 0
    out = capsys.readouterr().out
    assert [line.split()[1] for line in out.splitlines() if line.strip().startswith("+0:00:00")] == [
        "Validate",
        "Needs",
        "Record",
    ]
    output = json.loads(out.split("Output: ", 1)[1])
    assert output == {
        "orderId": "o-1",
        "total": 40,
        "currency": "EUR",
        "approved": True,
        "by": "auto",
        "recordedBy": "record-decision",
    }


def test_the_second_command_mocks_the_approval_with_the_files_answer(capsys, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    assert main(commands()[1]) == 0
    output = json.loads(capsys.readouterr().out.split("Output: ", 1)[1])
    # The mocked result is the SendTaskSuccess output, placed at ResultPath $.approval; the order is the input's
    assert (output["approved"], output["by"], output["total"]) == (True, "cli", 151.0)
    assert json.loads((REPO / "examples" / "approval" / "mocks.json").read_text()) == {
        "Request approval": {"returns": {"approved": True, "by": "cli"}}
    }
