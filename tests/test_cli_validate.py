"""`sfnlocal validate`: output formats, exit codes, templates. The validator itself is tested in
test_validation*.py; here a spy records what the command passes it, and a stand-in gives the response
shapes the real one rarely does."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from support import REPO

from sfnlocal import validation
from sfnlocal.cli.main import main

GOOD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
BAD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}
SAM = REPO / "tests" / "data" / "templates" / "sam" / "template.yaml"


@pytest.fixture
def validator(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The real validator behind a spy; returns the (definition, type) of each call."""
    calls: list[tuple[str, str]] = []
    real = validation.validate

    def spy(definition: str, type: str = "STANDARD", severity: str = "ERROR") -> dict[str, Any]:
        calls.append((definition, type))
        return real(definition, type=type, severity=severity)

    monkeypatch.setattr(validation, "validate", spy)
    return calls


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    paths = {"good": tmp_path / "good.asl.json", "bad": tmp_path / "bad.asl.json", "yaml": tmp_path / "good.asl.yaml"}
    paths["good"].write_text(json.dumps(GOOD))
    paths["bad"].write_text(json.dumps(BAD))
    paths["yaml"].write_text("StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n")
    return {name: str(path) for name, path in paths.items()}


def test_human_output_lists_diagnostics_and_a_verdict_per_file(validator, files, capsys) -> None:
    assert main(["validate", files["good"], files["bad"]]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{files['good']}: OK"
    assert out[1].startswith(f"{files['bad']}:/States/A/Next: ERROR MISSING_TRANSITION_TARGET ")
    assert out[2] == f"{files['bad']}: ERROR MISSING_END_STATE Workflow has no terminal state"  # no location
    assert out[3] == f"{files['bad']}: FAIL"


def test_all_valid_exits_0_and_yaml_is_validated_as_json_text(validator, files, capsys) -> None:
    assert main(["validate", files["good"], files["yaml"], "--type", "EXPRESS"]) == 0
    assert [json.loads(text) for text, _ in validator] == [GOOD, GOOD]
    assert {kind for _, kind in validator} == {"EXPRESS"}


def test_a_json_file_is_passed_as_written_so_bad_json_gets_the_validators_diagnostic(
    validator, tmp_path, capsys
) -> None:
    broken = tmp_path / "broken.asl.json"
    broken.write_text('{"StartAt": ')
    assert main(["validate", str(broken)]) == 1
    assert validator == [('{"StartAt": ', "STANDARD")]
    # AWS's message without the source it quotes, at the line and column, then the line with a caret.
    first, line, caret, verdict = capsys.readouterr().out.splitlines()
    assert first.startswith(f"{broken}:1:13: ERROR INVALID_JSON_DESCRIPTION Unexpected end-of-input")
    assert "[Source:" not in first
    assert (line, caret, verdict) == ('    1 | {"StartAt": ', "      |             ^", f"{broken}: FAIL")


def test_json_format_prints_one_aws_response_per_line_with_the_file(validator, files, capsys) -> None:
    assert main(["validate", "--format", "json", files["good"], files["bad"]]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == {"file": files["good"], "result": "OK", "diagnostics": [], "truncated": False}
    assert lines[1]["file"] == files["bad"] and lines[1]["result"] == "FAIL"
    assert list(lines[1])[0] == "file" and set(lines[1]) == {"file", "result", "diagnostics", "truncated"}
    assert lines[1]["diagnostics"][0]["location"] == "/States/A/Next"


def test_a_diagnostic_without_location_and_a_truncated_response(monkeypatch, files, capsys) -> None:
    module = types.ModuleType("sfnlocal.validation")
    module.validate = lambda definition, type="STANDARD", severity="ERROR": {
        "result": "OK",
        "truncated": True,
        "diagnostics": [{"severity": "WARNING", "code": "NO_DOLLAR", "message": "a warning"}],
    }
    monkeypatch.setitem(sys.modules, "sfnlocal.validation", module)
    assert main(["validate", files["good"]]) == 0  # warnings alone leave the result OK
    assert capsys.readouterr().out.splitlines() == [
        f"{files['good']}: WARNING NO_DOLLAR a warning",
        f"{files['good']}: (more diagnostics were left out)",
        f"{files['good']}: OK",
    ]


def test_warnings_are_shown_only_when_asked_for_and_never_fail(validator, tmp_path, capsys) -> None:
    # A plain key whose value looks like a path is AWS's NO_DOLLAR warning.
    warned = tmp_path / "warned.asl.json"
    warned.write_text(
        json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"id": "$.order.id"}, "End": True}}})
    )
    assert main(["validate", str(warned)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{warned}: OK"]
    assert main(["validate", "--severity", "WARNING", str(warned)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{warned}:/States/P/Parameters") and " WARNING NO_DOLLAR " in lines[0]
    assert lines[-1] == f"{warned}: OK"


def test_an_unreadable_file_exits_2_after_validating_the_others(validator, files, capsys) -> None:
    assert main(["validate", "missing.asl.json", files["bad"]]) == 2
    captured = capsys.readouterr()
    assert "sfnlocal validate: cannot read missing.asl.json: No such file or directory" in captured.err
    assert f"{files['bad']}: FAIL" in captured.out


def test_an_unparsable_yaml_file_is_a_usage_error(validator, tmp_path, capsys) -> None:
    broken = tmp_path / "broken.asl.yaml"
    broken.write_text("StartAt: [\n")
    assert main(["validate", str(broken)]) == 2
    assert "is neither valid JSON nor valid YAML" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "name definition files, or a template with --template FILE"),
        (["x.json", "--logical-id", "Orders"], "--logical-id needs --template FILE"),
    ],
)
def test_usage_errors(validator, args: list[str], message: str, capsys) -> None:
    assert main(["validate", *args]) == 2
    assert message in capsys.readouterr().err


def test_a_templates_state_machines_are_each_validated(validator, capsys) -> None:
    assert main(["validate", "--template", str(SAM), "--format", "json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["file"], line["logicalId"], line["result"]) for line in lines] == [
        (str(SAM), "OrderStateMachine", "OK"),
        (str(SAM), "ShippingStateMachine", "OK"),
    ]
    assert main(["validate", "--template", str(SAM), "--logical-id", "ShippingStateMachine"]) == 0
    assert capsys.readouterr().out == f"{SAM}#ShippingStateMachine: OK\n"


def test_a_template_that_cannot_be_loaded_is_a_usage_error(validator, tmp_path, capsys) -> None:
    assert main(["validate", "--template", str(SAM), "--logical-id", "Nope"]) == 2
    assert f"sfnlocal validate: {SAM} has no state machine 'Nope'" in capsys.readouterr().err
    assert main(["validate", "--template", str(tmp_path / "missing.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize("near", [10, 5_000, 9_990])
def test_a_syntax_error_on_a_long_line_shows_the_part_around_it(tmp_path: Path, capsys, near: int) -> None:
    # One minified line of 10,000 characters, a comma near `near` replaced by a stray character.
    text = '{"A": [' + "1," * 4_996 + "1]}"
    at = text.index(",", near)
    text = text[:at] + "#" + text[at + 1 :]
    broken = tmp_path / "minified.asl.json"
    broken.write_text(text)
    assert main(["validate", str(broken)]) == 1
    first, line, caret, _ = capsys.readouterr().out.splitlines()
    assert first.startswith(f"{broken}:1:{at + 1}: ERROR INVALID_JSON_DESCRIPTION Unexpected character ('#'")
    assert len(line) <= 120 and len(caret) <= 120
    assert line[caret.index("^")] == "#"  # the caret is under the offending character as shown
