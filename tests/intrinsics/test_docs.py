"""Every example in docs/intrinsics.md runs and gives the result the page shows.

An example is a fenced ``json`` block holding an object with ``expression``, ``input`` and either
``result`` or, where the result is random, ``result_matches`` (a regular expression for its
compact JSON text).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sfnlocal.language.intrinsics.registry import FUNCTIONS
from sfnlocal.language.jsontext import compact_json

from .support import run

PAGE = Path(__file__).resolve().parents[2] / "docs" / "intrinsics.md"
_JSON_BLOCK = re.compile(r"^```json\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _examples() -> list[dict[str, Any]]:
    blocks = (json.loads(block) for block in _JSON_BLOCK.findall(PAGE.read_text()))
    return [block for block in blocks if isinstance(block, dict) and "expression" in block]


def _function_name(expression: str) -> str:
    return expression.split("(", 1)[0]


@pytest.mark.parametrize("example", _examples(), ids=lambda example: _function_name(example["expression"]))
def test_example_gives_the_documented_result(example: dict[str, Any]) -> None:
    result = run(example["expression"], example["input"])
    if "result_matches" in example:
        assert re.fullmatch(example["result_matches"], compact_json(result))
    else:
        assert result == example["result"]
        assert compact_json(result) == compact_json(example["result"])  # 110, not 110.0


def test_every_function_has_one_example() -> None:
    documented = sorted(_function_name(example["expression"]) for example in _examples())
    assert documented == sorted(FUNCTIONS)


def test_every_function_is_in_the_table() -> None:
    rows = re.findall(r"^\| `(States\.\w+)` \|", PAGE.read_text(), re.MULTILINE)
    assert sorted(rows) == sorted(FUNCTIONS)
