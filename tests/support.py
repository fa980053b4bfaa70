"""Shared test helpers (import as `support`): where the recorded AWS corpus and the bundled blog-post
workflows live, and small builders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
# The recordings of executions on AWS sit beside the repository, not in it: the tests that replay
# them skip when ../shared is absent, and nothing else does.
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "conformance" / "localstack"
# Real workflows from AWS blog posts, bundled (provenance in examples/seeds/INDEX.md).
SEEDS = REPO / "examples" / "seeds"


def corpus_case(name: str) -> dict[str, Any]:
    """One recorded AWS execution from ../shared/conformance/localstack (skips when absent)."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"recorded case {name} is not available (../shared missing)")
    return json.loads(path.read_text())


def seed(name: str) -> tuple[Path, Any]:
    """A bundled blog-post workflow's definition file and its sample input, by slug.

    >>> path, execution_input = seed("kyc-check-identity-jsonata")
    >>> path.name, sorted(execution_input)
    ('kyc-check-identity-jsonata.asl.json', ['data'])
    """
    candidates = (SEEDS / f"{name}.asl.json", SEEDS / "reconstructed" / f"{name}.asl.json")
    path = next((path for path in candidates if path.exists()), None)
    if path is None:
        raise FileNotFoundError(f"no workflow {name!r} in {SEEDS} or its reconstructed/ folder")
    return path, json.loads(path.with_name(path.name.replace(".asl.json", ".input.json")).read_text())


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
