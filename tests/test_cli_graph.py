"""`sfnlocal graph`: Mermaid by default, dot on request, marking an execution from `sfnlocal run --json` or
from `aws stepfunctions get-execution-history`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import REPO

from sfnlocal.cli.main import main

ORDER = REPO / "examples" / "order"
RUN = [
    "run",
    str(ORDER / "order.asl.json"),
    "--input",
    f"@{ORDER / 'input.json'}",
    "--mocks",
    str(ORDER / "mocks.json"),
]


@pytest.fixture
def run_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """What `sfnlocal run --json` printed for the bundled example, in a file."""
    assert main([*RUN, "--json"]) == 0
    path = tmp_path / "run.json"
    path.write_text(capsys.readouterr().out)
    return path


def test_mermaid_is_the_default(capsys) -> None:
    assert main(["graph", str(ORDER / "order.asl.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith('flowchart TD\n    sfn_start(("Start"))\n')
    assert 's1 -.->|"Catch: States.ALL"| s6' in out and "classDef" not in out


def test_an_execution_marks_what_ran(run_json, capsys) -> None:
    assert main(["graph", str(ORDER / "order.asl.json"), "--execution", str(run_json)]) == 0
    out = capsys.readouterr().out
    assert "    class s0,s1,s2,s3,s4,s7,s8 ran\n" in out
    assert "    linkStyle 0,1,3,5,6,7,8,9 stroke:" in out


def test_dot_format_is_named_after_the_definition(run_json, capsys) -> None:
    assert main(["graph", str(ORDER / "order.asl.json"), "--format", "dot", "--execution", str(run_json)]) == 0
    out = capsys.readouterr().out
    assert out.startswith('digraph "order" {\n') and out.endswith("}\n")
    assert 'sfn_start -> s0 [color="#2b8a3e", penwidth=2.5];' in out


def test_get_execution_history_output_and_a_bare_event_list_work_too(run_json, tmp_path, capsys) -> None:
    history = json.loads(run_json.read_text())["history"]
    for value in ({"events": history}, history):
        path = tmp_path / "history.json"
        path.write_text(json.dumps(value))
        assert main(["graph", str(ORDER / "order.asl.json"), "--execution", str(path)]) == 0
        assert "    class s0,s1,s2,s3,s4,s7,s8 ran\n" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{", "is not valid JSON"),
        ('{"status": "SUCCEEDED"}', "holds no execution history: pass what `sfnlocal run --json` prints"),
        ('[{"type": "TaskStateEntered"}]', "holds no execution history"),
    ],
)
def test_an_execution_file_that_cannot_be_used_exits_2(tmp_path, content: str | None, message: str, capsys) -> None:
    path = tmp_path / "run.json"
    if content is not None:
        path.write_text(content)
    assert main(["graph", str(ORDER / "order.asl.json"), "--execution", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_an_invalid_definition_exits_1_with_validates_diagnostics(tmp_path, capsys) -> None:
    broken = tmp_path / "broken.asl.json"
    broken.write_text(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}))
    assert main(["graph", str(broken)]) == 1
    err = capsys.readouterr().err
    assert main(["validate", str(broken)]) == 1
    assert err == capsys.readouterr().out
    assert f"{broken}:/States/A/Next: ERROR MISSING_TRANSITION_TARGET" in err
