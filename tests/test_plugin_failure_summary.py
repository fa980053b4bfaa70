"""What a failing test shows: a bounded summary of its executions (status, error, cause, the last states,
the file holding the full history), however long the workflow looped; and under pytest-xdist, coverage
lost with a crashed worker is reported and fails --sfn-cov-fail-under rather than passing on partial data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support import REPO

pytest_plugins = ["pytester"]

LOOPING = """
from sfnlocal import assert_path, assert_succeeded

# A Choice loop that never ends by itself: AWS fails it at the history limit of 25,000 events.
LOOP = {"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Next": "C"},
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}], "Default": "A"},
    "Done": {"Type": "Succeed"}}}


def test_succeeds(sfn):
    assert_succeeded(sfn.load(LOOP, name="Loop").execute({}))


def test_path(sfn):
    assert_path(sfn.load(LOOP, name="Loop").execute({}), ["A", "C", "Done"])


def test_plain(sfn):
    assert sfn.load(LOOP, name="Loop").execute({}).status == "SUCCEEDED"
"""


def failure_blocks(output: str) -> dict[str, list[str]]:
    """Each failing test's part of pytest's FAILURES section, by test name."""
    failures = output.split("= FAILURES =")[1].split("short test summary info")[0]
    parts = re.split(r"^_{3,} (\w+) _{3,}$", failures, flags=re.M)
    return {name: block.strip("\n").splitlines() for name, block in zip(parts[1::2], parts[2::2])}


def test_a_looping_workflow_fails_a_test_in_at_most_60_lines(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_loop=LOOPING)
    # -v: pytest's own explanations are longer with it (a list comparison lists every item).
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(failed=3)
    output = result.stdout.str()
    blocks = failure_blocks(output)
    assert set(blocks) == {"test_succeeds", "test_path", "test_plain"}
    for name, lines in blocks.items():
        assert len(lines) <= 60, (name, len(lines))
        summary = lines[lines.index(next(line for line in lines if "sfnlocal executions" in line)) + 1 :]
        assert summary[0].startswith("Loop: FAILED (execution ")
        # AWS's error and cause for the history limit (see sfnlocal.interpreter.history).
        assert summary[1] == "  error: States.Runtime"
        assert summary[2] == "  cause: The execution reached the maximum number of history events (25000)."
        states = summary[3]
        assert states.startswith("  states entered: 12,4") and states.endswith(
            ", the last 12: " + " → ".join(["C", "A"] * 6)
        )
        history_file = Path(summary[4].removeprefix("  full history: "))
        saved = json.loads(history_file.read_text(encoding="utf-8"))
        assert saved["status"] == "FAILED" and len(saved["history"]) == 25_000
        assert saved["history"][-1]["type"] == "ExecutionFailed"
    assert len(output) < 20_000


def test_only_the_last_five_executions_are_shown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_many="""
        def test_many(sfn):
            machine = sfn.load({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}, name="M")
            for _ in range(8):
                machine.execute({})
            assert False
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    [lines] = failure_blocks(result.stdout.str()).values()
    assert "(the last 5 of 8 executions)" in lines
    shown = [line for line in lines if line.startswith("  full history: ")]
    assert [line.rsplit("-", 1)[1] for line in shown] == ["4.json", "5.json", "6.json", "7.json", "8.json"]


CRASHING = """
import os
from sfnlocal import mocks


def test_crashes(sfn):
    sfn.load("order.asl.json").execute({"order": {"id": "b"}})
    os._exit(1)  # the worker dies before it sends what it recorded


def test_passes(sfn):
    sfn.load("order.asl.json").execute({"order": {"id": "b"}})
"""


def test_a_crashed_workers_lost_coverage_is_reported_and_fails_the_gate(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    (pytester.path / "order.asl.json").write_text((REPO / "examples" / "order" / "order.asl.json").read_text())
    pytester.makepyfile(test_crash=CRASHING)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "--sfn-cov-fail-under=0")
    result.stdout.fnmatch_lines(
        [
            "*- sfnlocal workflow coverage -*",
            "WARNING: the workflow coverage of 1 pytest-xdist worker was lost (it went down without sending it: gw*"
            "); the figures below are partial",
            "*",
            "FAIL Required workflow coverage of 0% not checked: the coverage data is partial (Total of what *)",
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_no_crash_no_warning(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    (pytester.path / "order.asl.json").write_text((REPO / "examples" / "order" / "order.asl.json").read_text())
    pytester.makepyfile(test_fine=CRASHING.replace("    os._exit(1)", "    pass"))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "--sfn-cov-fail-under=0")
    assert result.ret == pytest.ExitCode.OK
    assert "was lost" not in result.stdout.str()
    result.stdout.fnmatch_lines(["Required workflow coverage of 0% reached. Total: *"])
