"""Shared test helpers (import as `support`): where the recorded AWS corpus lives, and small builders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "conformance" / "localstack"
SEEDS = SHARED / "workflows" / "seeds"


def corpus_case(name: str) -> dict[str, Any]:
    """One recorded AWS execution from ../shared/conformance/localstack (skips when absent)."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"recorded case {name} is not available (../shared missing)")
    return json.loads(path.read_text())


def machine(states: dict[str, Any], start: str | None = None, **top: Any) -> dict[str, Any]:
    """A definition from a dict of states; StartAt defaults to the first state."""
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def decode_payload(value: Any) -> Any:
    """A recorded history payload as a JSON value: events hold JSON text or, where the recorder
    decoded it, the value itself."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
