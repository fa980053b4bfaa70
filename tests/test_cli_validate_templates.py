"""``sfnlocal validate --templates FILE...``: each file named is a SAM/CloudFormation template whose state machines
are checked (what the sfnlocal-validate-templates pre-commit hook passes: the staged templates)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import REPO

from sfnlocal.cli.main import main

BROKEN = """
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: A
        States:
          A: {Type: Pass, Next: Nowhere}
"""


def test_every_template_named_is_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "template.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    approval, shipping = (str(REPO / "examples" / name / "template.yaml") for name in ("approval", "shipping"))
    assert main(["validate", "--templates", approval, shipping]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{approval}#ApprovalStateMachine: OK",
        f"{shipping}#ShippingStateMachine: OK",
    ]
    assert main(["validate", "--templates", approval, str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{approval}#ApprovalStateMachine: OK" in out
    assert "MISSING_TRANSITION_TARGET" in out and f"{broken}#Flow" in out


def test_a_logical_id_picks_from_one_template_only(capsys: pytest.CaptureFixture[str]) -> None:
    template = str(REPO / "examples" / "approval" / "template.yaml")
    assert main(["validate", "--templates", template, "--logical-id", "ApprovalStateMachine"]) == 2
    assert "--logical-id needs --template FILE (one template)" in capsys.readouterr().err
