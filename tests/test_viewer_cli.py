"""`sfnlocal run --html FILE`: the execution's page is written whatever the outcome, its path printed (on stderr
with --json, so that stdout stays one JSON document), and a file that cannot be written is a usage error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sfnlocal.cli.main import main

CAUGHT = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "charge"},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refused"}],
            "End": True,
        },
        "Refused": {"Type": "Fail", "Error": "Card.Refused", "Cause": "declined"},
    },
}
MOCKS = {"Charge": {"raises": {"error": "Card.Declined", "cause": "insufficient funds"}}}


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    definition = tmp_path / "charge.asl.json"
    definition.write_text(json.dumps(CAUGHT))
    mocks = tmp_path / "mocks.json"
    mocks.write_text(json.dumps(MOCKS))
    return str(definition), str(mocks)


def page_document(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def test_a_failed_runs_page_is_written_and_its_path_printed(
    files: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definition, mocks = files
    target = tmp_path / "pages" / "charge.html"  # its folder does not exist yet
    assert main(["run", definition, "--mocks", mocks, "--html", str(target)]) == 1  # the execution failed
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"Execution page: {target.resolve()}"
    assert "Status: FAILED" in out
    text = page_document(target)
    assert text.lower().startswith("<!doctype html>")
    # Self-contained: nothing is fetched from elsewhere (no script, style or image by URL).
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", text, re.I)
    # The page holds the execution: both states, the error the Catch caught and the one it ended with.
    for shown in ("Charge", "Refused", "Card.Declined", "Card.Refused", "insufficient funds"):
        assert shown in text, shown


def test_with_json_the_path_goes_to_stderr(
    files: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definition, mocks = files
    target = tmp_path / "run.html"
    assert main(["run", definition, "--mocks", mocks, "--json", "--html", str(target)]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["error"] == "Card.Refused"
    assert captured.err.strip() == f"Execution page: {target.resolve()}"
    assert target.is_file()


def test_a_page_that_cannot_be_written_is_a_usage_error(
    files: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definition, mocks = files
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["run", definition, "--mocks", mocks, "--html", str(blocker / "run.html")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sfnlocal run: --html {blocker / 'run.html'}: the page cannot be written: ")
    assert "Traceback" not in err


def test_the_option_is_in_runs_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "--html FILE" in capsys.readouterr().out
