"""docs/validation.md: every code sfnlocal emits is listed, with an example that gives it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sfnlocal.validation import validate
from sfnlocal.validation.diagnostics import EMITTED_CODES

DOC = Path(__file__).resolve().parents[1] / "docs" / "validation.md"
EXAMPLES = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", DOC.read_text(), re.S)]


def test_every_emitted_code_has_a_section_and_an_example() -> None:
    sections = re.findall(r"^### (\w+)", DOC.read_text(), re.M)
    assert sorted(sections) == sorted(EMITTED_CODES)
    assert {example["code"] for example in EXAMPLES} == set(EMITTED_CODES)


def _wrapped(definition: Any, parallels: int) -> Any:
    """The definition as the only branch of ``parallels`` Parallel states inside one another."""
    for level in range(parallels):
        definition = {
            "StartAt": f"P{level}",
            "States": {f"P{level}": {"Type": "Parallel", "Branches": [definition], "End": True}},
        }
    return definition


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e['code']}-{i}" for i, e in enumerate(EXAMPLES)])
def test_each_example_gives_its_code(example: dict[str, Any]) -> None:
    definition = _wrapped(example["definition"], example.get("nested_in_parallels", 0))
    found = validate(definition, type=example.get("type", "STANDARD"), severity="WARNING", name=example.get("name"))
    assert example["code"] in [diagnostic["code"] for diagnostic in found["diagnostics"]], found
