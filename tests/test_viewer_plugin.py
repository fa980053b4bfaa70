"""The pytest plugin's ``--sfn-html=DIR``: a failing test's report gives each execution's page (written into DIR)
instead of a history file; without the option the report is as before; passing tests write nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

TESTS = """
from sfnlocal import mocks

CHARGE = {"StartAt": "Charge", "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "c"},
               "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refused"}], "End": True},
    "Refused": {"Type": "Fail", "Error": "Card.Refused", "Cause": "declined"}}}
DECLINED = {"Charge": mocks.raises("Card.Declined", "insufficient funds")}
PAID = {"Charge": mocks.returns({"chargeId": "ch_1"})}


def test_declined(sfn):
    machine = sfn.load(CHARGE, name="Charge")
    machine.execute({}, mocks=PAID)
    assert machine.execute({}, mocks=DECLINED).status == "SUCCEEDED"


def test_paid(sfn):
    assert sfn.load(CHARGE, name="Charge").execute({}, mocks=PAID).status == "SUCCEEDED"
"""


def report_section(output: str) -> list[str]:
    """The lines of the failing test's 'sfnlocal executions' section."""
    lines = output.splitlines()
    start = next(index for index, line in enumerate(lines) if "sfnlocal executions" in line) + 1
    end = next(index for index in range(start, len(lines)) if lines[index].startswith(("=", "_")))
    return lines[start:end]


def test_a_failing_tests_report_gives_each_executions_page(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_charge=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--sfn-html=pages")
    result.assert_outcomes(passed=1, failed=1)
    section = report_section(result.stdout.str())
    assert section[0].startswith("Charge: SUCCEEDED (execution ")
    assert section[1] == "  states entered: 1: Charge"
    assert section[3].startswith("Charge: FAILED (execution ")
    assert section[4:7] == ["  error: Card.Refused", "  cause: declined", "  states entered: 2: Charge → Refused"]
    pages = [Path(line.removeprefix("  page: ")) for line in section if line.startswith("  page: ")]
    assert not any(line.startswith("  full history: ") for line in section)
    folder = (pytester.path / "pages").resolve()
    # One page per execution of the failing test, in the order they ran; the passing test wrote none.
    assert [page.name for page in pages] == [
        "test_charge.py_test_declined-call-1.html",
        "test_charge.py_test_declined-call-2.html",
    ]
    assert sorted(path.name for path in folder.iterdir()) == [page.name for page in pages]
    first, second = (page.read_text(encoding="utf-8") for page in pages)
    assert first.lower().startswith("<!doctype html>") and second.lower().startswith("<!doctype html>")
    assert "ch_1" in first and "Card.Declined" not in first
    assert "Card.Declined" in second and "insufficient funds" in second


def test_without_the_option_the_report_is_unchanged(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_charge=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    section = report_section(result.stdout.str())
    files = [line for line in section if line.startswith("  full history: ")]
    assert len(files) == 2 and all(re.search(r"-call-[12]\.json$", line) for line in files)
    assert not any("page" in line for line in section)


def test_a_folder_that_cannot_be_written_falls_back_to_the_history_file(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_charge=TESTS)
    (pytester.path / "taken").write_text("a file, not a folder")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--sfn-html=taken")
    result.assert_outcomes(passed=1, failed=1)
    section = report_section(result.stdout.str())
    assert len([line for line in section if line.startswith("  full history: ")]) == 2
    assert len([line for line in section if line.startswith("  page not written: ")]) == 2


MANY = """
from sfnlocal import mocks

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def test_many(sfn):
    machine = sfn.load(PASS, name="Many")
    for number in range(8):
        machine.execute({"number": number})
    assert False, "eight executions, then a failure"
"""


def test_every_execution_of_a_failing_test_gets_a_page_not_only_those_its_report_shows(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_many=MANY)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--sfn-html=pages")
    result.assert_outcomes(failed=1)
    section = report_section(result.stdout.str())
    assert section[0] == "(the last 5 of 8 executions)"
    assert section[1].startswith("pages of the 3 earlier executions: ")
    assert section[1].endswith("test_many.py_test_many-call-1.html … test_many.py_test_many-call-3.html")
    shown = [line for line in section if line.startswith("  page: ")]
    assert len(shown) == 5
    pages = sorted((pytester.path / "pages").iterdir(), key=lambda page: int(page.stem.rsplit("-", 1)[1]))
    assert [page.stem.rsplit("-", 1)[1] for page in pages] == [str(number) for number in range(1, 9)]
    texts = [page.read_text(encoding="utf-8") for page in pages]
    assert all(text.lower().startswith("<!doctype html>") for text in texts) and len(set(texts)) == 8
