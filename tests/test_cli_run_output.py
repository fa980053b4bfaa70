"""`sfnlocal run` for a careless user: a long timeline and a long history are capped unless --full, advice
is the command line's, a template is run with --template, and a mocks file's handlers are imported
without putting its folder in front of the installed packages."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sfnlocal.cli.main import HISTORY_HEAD, HISTORY_TAIL, TIMELINE_HEAD, TIMELINE_TAIL, main
from sfnlocal.integrations.mocks.spec import MockSpecError, mocks_from_spec

# A loop that never ends by itself: AWS fails it at the history limit (25,000 events).
CHOICE_LOOP = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Next": "C"},
        "C": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "Done"}],
            "Default": "A",
        },
        "Done": {"Type": "Succeed"},
    },
}


def write(folder: Path, name: str, value: object) -> str:
    path = folder / name
    path.write_text(value if isinstance(value, str) else json.dumps(value))
    return str(path)


@pytest.fixture
def loop(tmp_path: Path) -> str:
    return write(tmp_path, "loop.asl.json", CHOICE_LOOP)


def test_a_long_timeline_shows_its_ends_and_counts_the_rest(loop: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", loop]) == 1
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("  ") and "+0:00:00" in line]
    assert len(rows) == TIMELINE_HEAD + TIMELINE_TAIL
    [omitted] = [line for line in out.splitlines() if "more states" in line]
    # Each round enters A and C: two StateEntered and two StateExited events, so the history limit of 25,000
    # is reached after 24,998 events of states, 12,499 states entered (event 25,000 fails the execution).
    entered = int(omitted.split()[1].replace(",", "")) + len(rows)
    assert 12_490 <= entered <= 12_500
    assert "pass --full to show every state" in omitted
    assert len(out.splitlines()) <= 60


def test_full_shows_every_state(loop: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", loop, "--full"]) == 1
    out = capsys.readouterr().out
    assert "more states" not in out and len(out.splitlines()) > 12_000


def test_json_keeps_the_first_and_last_events_and_counts_the_rest(loop: str, capsys) -> None:
    assert main(["run", loop, "--json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    history = printed["history"]
    assert len(history) == HISTORY_HEAD + HISTORY_TAIL
    assert history[HISTORY_HEAD - 1]["id"] == HISTORY_HEAD
    assert history[-1]["id"] == HISTORY_HEAD + HISTORY_TAIL + printed["historyEventsOmitted"]
    assert history[-1]["type"] == "ExecutionFailed" and history[0]["type"] == "ExecutionStarted"
    assert main(["run", loop, "--json", "--full"]) == 1
    full = json.loads(capsys.readouterr().out)
    assert "historyEventsOmitted" not in full and len(full["history"]) == history[-1]["id"]


def test_a_short_execution_is_printed_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    short = write(tmp_path, "p.asl.json", {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    assert main(["run", short, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"status", "output", "error", "cause", "history"} and len(printed["history"]) == 4


def test_python_advice_becomes_the_command_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A resource sfnlocal cannot serve offline: the cause tells a Python caller to pass mocks= to execute().
    task = {
        "StartAt": "Call",
        "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True}},
    }
    assert main(["run", write(tmp_path, "t.asl.json", task)]) == 1
    out = capsys.readouterr().out
    assert "execute()" not in out and "mocks=" not in out
    assert 'add "Call": {"returns": ...} to the --mocks file (or key the mock by the resource ARN)' in out


def test_the_transition_limit_is_the_command_lines_to_set(loop: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", loop, "--no-history-limit", "--transition-limit", "1000"]) == 1
    out = capsys.readouterr().out
    # sfnlocal's own bound (sfnlocal.interpreter.execution), worded for the command line.
    assert "Error: sfnlocal.TransitionLimitExceeded" in out and "entered 1,000 states" in out
    assert "Pass --transition-limit a larger number, or none, if the run is meant to be this long" in out
    assert "execute(" not in out


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_a_bad_transition_limit_is_a_usage_error(loop: str, value: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["run", loop, "--transition-limit", value])
    assert exit_info.value.code == 2 and "expected a number of states (1 or more) or none" in capsys.readouterr().err


def test_no_history_limit_lets_the_loop_run_past_25000_events(loop: str, capsys) -> None:
    assert main(["run", loop, "--json", "--no-history-limit", "--transition-limit", "20000"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["error"] == "sfnlocal.TransitionLimitExceeded" and printed["history"][-1]["id"] > 25_000
    assert main(["run", loop, "--json", "--transition-limit", "none"]) == 1
    assert json.loads(capsys.readouterr().out)["error"] == "States.Runtime"  # the history limit ends it then


def test_a_template_is_run_with_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = write(
        tmp_path,
        "template.yaml",
        "Resources:\n  One:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n"
        "        StartAt: P\n        States: {P: {Type: Pass, Result: 1, End: true}}\n"
        "  Two:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n"
        "        StartAt: Q\n        States: {Q: {Type: Pass, Result: 2, End: true}}\n",
    )
    assert main(["run", template]) == 2
    assert f"pass it as --template {template}" in capsys.readouterr().err
    assert main(["run", "--template", template]) == 2
    assert "defines 2 state machines (One, Two); pick one with --logical-id ID" in capsys.readouterr().err
    assert main(["run", "--template", template, "--logical-id", "Two", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == 2
    assert main(["graph", "--template", template, "--logical-id", "One"]) == 0
    assert "P" in capsys.readouterr().out


# Handlers of a mocks file ----------------------------------------------------------------------------------


@pytest.fixture
def handlers(tmp_path: Path) -> Iterator[Path]:
    """A mocks file's folder with a handler module, a helper it imports, and a yaml.py that must not win."""
    (tmp_path / "yaml.py").write_text("raise SystemExit('the mocks folder shadowed PyYAML')\n")
    (tmp_path / "json.py").write_text("def handler(event, context):\n    return 'shadow'\n")
    (tmp_path / "helpers_h5.py").write_text("GREETING = 'hello'\n")
    (tmp_path / "app_h5.py").write_text(
        "from helpers_h5 import GREETING\n\ndef handler(event, context):\n    return {'greeting': GREETING}\n"
    )
    yield tmp_path
    for name in ("app_h5", "helpers_h5"):
        sys.modules.pop(name, None)


def test_a_handler_is_imported_from_the_folder_without_shadowing_packages(handlers: Path, capsys) -> None:
    path_before = list(sys.path)
    task = {
        "StartAt": "T",
        "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "OutputPath": "$.Payload", "End": True}
        },
    }
    definition = write(handlers, "t.asl.json", task)
    mocks_file = write(handlers, "mocks.yaml", "T:\n  handler: app_h5:handler\n")  # read with PyYAML
    assert main(["run", definition, "--mocks", mocks_file, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == {"greeting": "hello"}
    assert sys.path == path_before
    import yaml

    assert Path(yaml.__file__).parent.name == "yaml"  # PyYAML's package, not the folder's yaml.py


def test_a_handler_module_named_like_an_installed_one_is_refused(handlers: Path) -> None:
    with pytest.raises(MockSpecError, match=r"mock 'T': .*json\.py has the name of the installed module 'json'"):
        mocks_from_spec({"T": {"handler": "json:handler"}}, folder=handlers)


@pytest.mark.parametrize(
    "target",
    [
        "..evil:f",
        ".app_h5:handler",
        "/etc/evil:f",
        "../up/evil:f",
        "a/b:f",
        "app_h5:",
        ":f",
        "a..b:f",
        "app_h5:handler.__call__",
    ],
)
def test_relative_absolute_or_traversing_handlers_are_refused(handlers: Path, target: str) -> None:
    with pytest.raises(MockSpecError, match=r"handler must be 'package.module:function' \(dotted Python names"):
        mocks_from_spec({"T": {"handler": target}}, folder=handlers)


@pytest.mark.parametrize(
    ("source", "raised"), [("def handler(:\n", "SyntaxError"), ("raise SystemExit(3)\n", "SystemExit")]
)
def test_a_module_that_fails_to_import_is_reported(handlers: Path, source: str, raised: str) -> None:
    (handlers / "broken_h5.py").write_text(source)
    with pytest.raises(
        MockSpecError,
        match=r"mock 'T': cannot import broken_h5 \(looked in .* and the installed packages\): " + raised,
    ):
        mocks_from_spec({"T": {"handler": "broken_h5:handler"}}, folder=handlers)
    assert str(handlers) not in sys.path


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"raises": {"error": ""}}, "non-empty error name"),
        ({"raises": ""}, "non-empty error name"),
        ({"raises": {"error": "E", "cause": 3}}, "a string cause"),
        ({"returns": 1, "after": "soon"}, "after must be a number of seconds"),
        ({"returns": 1, "after": -1}, "after must be a number of seconds"),
        ({"returns": 1, "after": True}, "after must be a number of seconds"),
    ],
)
def test_bad_entries_are_refused_with_what_to_write(entry: dict[str, object], message: str) -> None:
    with pytest.raises(MockSpecError, match=message):
        mocks_from_spec({"T": entry})
