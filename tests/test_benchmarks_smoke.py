"""The benchmark harness runs end to end on tiny workloads.

Only that it works is asserted, never how fast anything is: timing belongs to ``python -m benchmarks``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmarks.__main__ import main
from benchmarks.als_peer import default_folder, install, installed_in, measure_als
from benchmarks.distributed_map import check_distributed_map
from benchmarks.floor import measure_floor
from benchmarks.profile import main as profile_main
from benchmarks.sfnlocal_runner import measure_sfnlocal
from benchmarks.workflows import choice_loop, inline_map, pass_chain
from benchmarks.workloads import Workload, default_workloads


@pytest.fixture
def tiny_bench_dir(tmp_path: Path) -> Path:
    """A bench folder holding a 3-state chain, a 3-item Map and a 3-iteration Choice loop."""
    folder = tmp_path / "bench"
    folder.mkdir()
    for workload in (pass_chain(3), inline_map(3), choice_loop(3)):
        (folder / f"{workload['name']}.json").write_text(json.dumps(workload))
    return folder


def test_quick_run_writes_a_complete_report(
    tiny_bench_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report_file = tmp_path / "report.json"

    exit_code = main(
        ["--quick", "--skip-als", "--bench-dir", str(tiny_bench_dir), "--map-items", "20", "--json", str(report_file)]
    )

    assert exit_code == 0  # a missed target only fails the run under --strict
    report = json.loads(report_file.read_text())
    names = ["bench_chain_3", "bench_choice_loop_3", "bench_map_3"]
    assert [c["workload"] for c in report["comparisons"]] == [
        name + suffix for name in names for suffix in ("", " [JSONata]")
    ]
    for comparison in report["comparisons"]:
        engines = ("sfnlocal",) if comparison["workload"].endswith("[JSONata]") else ("sfnlocal", "moto")
        for engine in engines:
            assert comparison[engine]["problem"] is None, comparison[engine]["problem"]
            assert comparison[engine]["transitions"] == comparison["transitions"]
        if len(engines) == 2:
            assert comparison["ratio"] > 0
        assert comparison["als"] is None and comparison["als_absent"]
        assert comparison["floor"]["problem"] is None and comparison["ratio_to_floor"] > 0
    checks = {check["name"]: check for check in report["checks"]}
    # rate and ratios to moto and aws-local-stepfunctions per workload, a rate per JSONata twin, 4 others (year of
    # Waits, import, the command line's start, Map memory), examples/order per execution, test_state per call,
    # from_dict and from_file, 3 realistic (moto tasks, Python handlers), the Distributed Map's rate and peak RSS,
    # sfnlocal serve's rate and p99 under load, two execution pages' size and time to ready in Chromium (one N/A
    # line for both without it)
    viewer = 4 if any(name.startswith("execution page ready in Chromium") for name in checks) else 3
    assert len(checks) == 3 * 3 + 3 + 4 + 4 + 3 + 2 + 2 + viewer
    assert checks["bench_chain_3: sfnlocal/als"]["verdict"] == "N/A"
    assert "--skip-als" in checks["bench_chain_3: sfnlocal/als"]["not_applicable"]
    assert {"2,000-item Distributed Map: items/s", "2,000-item Distributed Map: peak RSS"} <= set(checks)
    assert {
        "serve (real clock), 200 executions: StartExecution/s",
        "serve (real clock), 200 executions: StartExecution p99",
    } <= set(checks)
    measured = [
        "year of Waits: wall time",
        "import sfnlocal: fresh subprocess",
        "sfnlocal validate (command line): fresh subprocess",
        "examples/order (7 states): per execution",
        "test_state (a Task, DEBUG): per call",
        "100-state definition: from_dict",
        "100-state definition: from_file",
        "20-item Map: peak RSS",
        "3 moto tasks: first execution",
        "3 moto tasks: per execution",
        "3 Python handlers: overhead per execution",
        "serve (real clock), 200 executions: StartExecution/s",
        "serve (real clock), 200 executions: StartExecution p99",
    ]
    assert all(checks[name]["value"] is not None for name in measured), [checks[name] for name in measured]
    out = capsys.readouterr().out
    assert "sfnlocal/moto" in out and "sfnlocal/als" in out and "sfnlocal/floor" in out


def test_a_wrong_result_is_a_missed_target_and_strict_exits_1(tmp_path: Path) -> None:
    wrong = pass_chain(3)
    wrong["expect"]["output"] = {"not": "the input"}
    folder = tmp_path / "bench"
    folder.mkdir()
    (folder / "wrong.json").write_text(json.dumps(wrong))
    report_file = tmp_path / "report.json"

    exit_code = main(
        [
            "--quick",
            "--strict",
            "--skip-moto",
            "--skip-als",
            "--bench-dir",
            str(folder),
            "--repeats",
            "1",
            "--map-items",
            "20",
            "--json",
            str(report_file),
        ]
    )

    assert exit_code == 1
    report = json.loads(report_file.read_text())
    assert report["comparisons"][0]["sfnlocal"]["problem"] == "output differs from the expected output"
    assert "bench_chain_3: sfnlocal rate" in report["missed"]


def test_without_the_shared_bench_folder_the_same_workflows_are_generated_and_run_right(tmp_path: Path) -> None:
    workloads = default_workloads(tmp_path / "no-bench-here")
    assert [(workload.name, workload.transitions) for workload in workloads] == [
        ("bench_chain_1000", 1000),
        ("bench_choice_loop_1000", 2003),
        ("bench_map_1000", 1001),
    ]
    for workload in workloads:
        assert measure_sfnlocal(workload, repeats=1).problem is None, workload.name


def test_the_plain_python_floor_produces_each_bench_workloads_output_and_transitions() -> None:
    for workload in default_workloads():
        floor = measure_floor(workload, repeats=1)
        assert floor is not None and floor.problem is None, (workload.name, floor)


def _fake_programs(folder: Path, **programs: str) -> str:
    """A PATH holding only shell scripts named as ``programs`` says, each running its script."""
    for name, script in programs.items():
        (folder / name).write_text(f"#!/bin/sh\n{script}\n")
        (folder / name).chmod(0o755)
    return str(folder)


def test_without_node_the_aws_local_stepfunctions_peer_is_skipped_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", _fake_programs(tmp_path))

    peer = install(tmp_path / "peer")

    assert (peer.folder, peer.skipped) == (None, "node is not on the PATH")
    assert measure_als(peer, Workload.from_dict(pass_chain(3)), repeats=1) is None


def test_a_failed_npm_install_skips_the_peer_and_leaves_no_folder_to_reuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", _fake_programs(tmp_path, node="exit 0", npm="echo 'network is unreachable' >&2; exit 1"))

    peer = install(tmp_path / "cache" / "peer")

    assert peer.folder is None and peer.skipped is not None
    assert "npm install aws-local-stepfunctions@3.0.0 failed" in peer.skipped
    assert "network is unreachable" in peer.skipped
    assert list((tmp_path / "cache").iterdir()) == []


@pytest.mark.skipif(
    shutil.which("node") is None or not installed_in(default_folder()),
    reason="needs node and aws-local-stepfunctions installed by a benchmark run",
)
def test_the_installed_peer_runs_the_tiny_workloads_and_a_wrong_result_is_a_problem() -> None:
    peer = install()
    for generated in (pass_chain(3), inline_map(3), choice_loop(3)):
        timing = measure_als(peer, Workload.from_dict(generated), repeats=2)
        assert timing is not None and timing.problem is None, timing
        assert timing.transitions == generated["state_transitions"]
    wrong = pass_chain(3)
    wrong["expect"]["output"] = {"not": "the input"}
    timing = measure_als(peer, Workload.from_dict(wrong), repeats=1)
    assert timing is not None and timing.problem == "output differs from the expected output"


def test_the_distributed_map_check_measures_the_run_and_an_inline_map_of_the_same_items() -> None:
    rate, memory = check_distributed_map(50)
    assert (rate.name, memory.name) == ("50-item Distributed Map: items/s", "50-item Distributed Map: peak RSS")
    assert rate.value is not None and memory.value is not None, (rate.note, memory.note)
    assert "inline Map over 50 of the items" in rate.note


def test_profile_prints_each_workloads_rate_and_top_costs(
    tiny_bench_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert profile_main(["--bench-dir", str(tiny_bench_dir), "--top", "2"]) == 0

    lines = capsys.readouterr().out.splitlines()
    names = ["bench_chain_3", "bench_choice_loop_3", "bench_map_3"]
    assert [line.split(":")[0] for line in lines] == [
        *names,
        *(f"{name} [JSONata]" for name in names),
        "examples/order",
    ]
    for line in lines:
        costs = line.split("; ", 1)[1].split(", ")
        assert len(costs) == 2 and all(cost.endswith("%") for cost in costs), line
