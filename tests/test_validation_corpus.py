"""Validation against what AWS answered: the recorded calls of ../shared/conformance/validation, the
definitions AWS ran (../shared/conformance/localstack) and the blog-post workflows (bundled in examples/seeds).

The recordings' tests are skipped when ../shared is absent. The floors are the rates measured when the
checks were written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from support import CORPUS, SEEDS, SHARED

from sfnlocal.validation import InvalidDefinition, create_state_machine_check, validate

VALIDATION = SHARED / "conformance" / "validation"
AGREEMENT_FLOOR = 107 / 107  # result and the set of codes (InvalidDefinition for CreateStateMachine)
EXACT_FLOOR = 104 / 107  # also every message and location, in AWS's order


def _answer(case: dict[str, Any]) -> dict[str, Any]:
    """sfnlocal's answer to one recorded call, shaped as the recording."""
    if case["api"] == "ValidateStateMachineDefinition":
        return validate(case["definition"], type=case["type"])
    try:
        create_state_machine_check(case["definition"], type=case["type"])
    except InvalidDefinition as refused:
        # The recorder wrote the partition as a placeholder.
        return {"exception": {"code": refused.code, "message": refused.message.replace("arn:aws:", "arn:<partition>:")}}
    return {"created": True}


def _agrees(answer: dict[str, Any], expected: dict[str, Any]) -> bool:
    if "result" in expected:
        codes = {diagnostic["code"] for diagnostic in answer["diagnostics"]}
        return answer["result"] == expected["result"] and codes == {d["code"] for d in expected["diagnostics"]}
    return answer.get("exception", {}).get("code") == expected.get("exception", {}).get("code")


def _cases() -> list[dict[str, Any]]:
    if not VALIDATION.is_dir():
        pytest.skip("../shared/conformance/validation is not available")
    return [json.loads(path.read_text()) for path in sorted(VALIDATION.glob("*.json"))]


def test_recorded_validation_and_creation_calls() -> None:
    cases = _cases()
    answers = [(_answer(case), case["expected"]) for case in cases]
    agree = sum(_agrees(answer, expected) for answer, expected in answers)
    exact = sum(answer == expected for answer, expected in answers)
    assert agree / len(cases) >= AGREEMENT_FLOOR, f"{agree}/{len(cases)} agree"
    assert exact / len(cases) >= EXACT_FLOOR, f"{exact}/{len(cases)} exact"


def _without_placeholders(value: Any) -> Any:
    """The recorder replaced names (``<lambda_function_name>``) with placeholders: give them names back."""
    text = re.sub(r"<([^<>\"]+)>", lambda match: re.sub(r"[^\w-]", "_", match.group(1)), json.dumps(value))
    return json.loads(text)


def test_every_definition_aws_ran_validates_ok() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/conformance/localstack is not available")
    refused = []
    for path in sorted(CORPUS.glob("*.json")):
        case = json.loads(path.read_text())
        answer = validate(
            _without_placeholders(case["definition"]), type=case["meta"].get("state_machine_type") or "STANDARD"
        )
        if answer["result"] != "OK":
            refused.append((path.name, answer["diagnostics"][:2]))
    assert refused == []


SEED_FILES = sorted(SEEDS.glob("**/*.asl.json"))
REJECTED = {  # where AWS refuses the seeds that are invalid on purpose
    "b-genomics-batch-job-poller-as-published.asl.json": {
        "/States/CheckJobStatus/Choices/0",
        "/States/SubmitJob/Resource",
    },
    "negative-mixed-jsonata-jsonpath-assign.asl.json": {"/States/Store Inputs/Assign/inputs/c.$"},
}


@pytest.mark.parametrize("path", SEED_FILES, ids=[path.name for path in SEED_FILES])
def test_seed_workflows(path: Path) -> None:
    answer = validate(path.read_text(), severity="WARNING")
    if path.name in REJECTED:
        assert answer["result"] == "FAIL"
        assert {diagnostic["location"] for diagnostic in answer["diagnostics"]} == REJECTED[path.name]
    else:
        assert answer == {"result": "OK", "diagnostics": [], "truncated": False}


def test_every_seed_marked_invalid_is_listed() -> None:
    marked = {path.name for path in SEED_FILES if path.name.startswith("negative-") or "as-published" in path.name}
    assert marked == set(REJECTED)
