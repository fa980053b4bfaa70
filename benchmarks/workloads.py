"""Benchmark workloads: the files in ../shared/bench (or, in a clone without it, the same workflows
generated) and the checks every engine's result must pass."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.workflows import choice_loop, inline_map, pass_chain

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH_DIR = REPO_ROOT.parent / "shared" / "bench"


@dataclass(frozen=True)
class Workload:
    """One workflow to time: its definition, its input, and what a correct run produces."""

    name: str
    description: str
    definition: dict[str, Any]
    input: Any
    expected_status: str
    expected_output: Any
    transitions: int  # the number of *StateEntered events a correct run records

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Workload:
        """Build a workload from the bench file format (name, definition, input, expect, ...)."""
        return cls(
            name=data["name"],
            description=data.get("description", ""),
            definition=data["definition"],
            input=data["input"],
            expected_status=data["expect"]["status"],
            expected_output=data["expect"].get("output"),
            transitions=data["state_transitions"],
        )

    def problem_with(self, status: str, output: Any, transitions: int) -> str | None:
        """Why a run's result is wrong for this workload, or None when it is right."""
        if status != self.expected_status:
            return f"status {status}, expected {self.expected_status}"
        if output != self.expected_output:
            return "output differs from the expected output"
        if transitions != self.transitions:
            return f"{transitions} state transitions in the history, expected {self.transitions}"
        return None


def load_workloads(directory: Path) -> list[Workload]:
    """Every ``*.json`` workload in ``directory``, sorted by file name."""
    return [Workload.from_dict(json.loads(path.read_text())) for path in sorted(directory.glob("*.json"))]


def default_workloads(directory: Path = DEFAULT_BENCH_DIR) -> list[Workload]:
    """The workloads in ``directory`` (../shared/bench) when it exists; otherwise the same three workflows
    built by ``benchmarks.workflows``, whose definitions, inputs, outputs and transition counts equal the
    files' (only the files' comments differ), so a fresh clone measures the same thing.

    >>> [(workload.name, workload.transitions) for workload in default_workloads(Path("no-such-folder"))]
    [('bench_chain_1000', 1000), ('bench_choice_loop_1000', 2003), ('bench_map_1000', 1001)]
    """
    if directory.is_dir():
        return load_workloads(directory)
    return [Workload.from_dict(workload) for workload in (pass_chain(1000), choice_loop(1000), inline_map(1000))]


def count_transitions(events: Iterable[Mapping[str, Any]]) -> int:
    """State transitions in a GetExecutionHistory-shaped event list: one per ``*StateEntered`` event."""
    return sum(1 for event in events if event["type"].endswith("StateEntered"))
