"""The benchmark harness runs end to end on tiny workloads.

Only that it works is asserted, never how fast anything is: timing belongs to ``python -m benchmarks``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.__main__ import main
from benchmarks.distributed_map import check_distributed_map
from benchmarks.sfnlocal_runner import measure_sfnlocal
from benchmarks.workflows import choice_loop, inline_map, pass_chain
from benchmarks.workloads import default_workloads


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

    exit_code = main(["--quick", "--bench-dir", str(tiny_bench_dir), "--map-items", "20", "--json", str(report_file)])

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
    checks = {check["name"]: check for check in report["checks"]}
    # rate and ratio per workload, a rate per JSONata twin, 3 others, 3 realistic (moto tasks, Python handlers),
    # the Distributed Map's rate and peak RSS, sfnlocal serve's rate and p99 under load, two execution pages' size and
    # time to ready in Chromium (one N/A line for both without it)
    viewer = 4 if any(name.startswith("execution page ready in Chromium") for name in checks) else 3
    assert len(checks) == 2 * 3 + 3 + 3 + 3 + 2 + 2 + viewer
    assert {"2,000-item Distributed Map: items/s", "2,000-item Distributed Map: peak RSS"} <= set(checks)
    assert {
        "serve (real clock), 200 executions: StartExecution/s",
        "serve (real clock), 200 executions: StartExecution p99",
    } <= set(checks)
    measured = [
        "year of Waits: wall time",
        "import sfnlocal: fresh subprocess",
        "20-item Map: peak RSS",
        "3 moto tasks: first execution",
        "3 moto tasks: per execution",
        "3 Python handlers: overhead per execution",
        "serve (real clock), 200 executions: StartExecution/s",
        "serve (real clock), 200 executions: StartExecution p99",
    ]
    assert all(checks[name]["value"] is not None for name in measured), [checks[name] for name in measured]
    assert "sfnlocal/moto" in capsys.readouterr().out


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


def test_the_distributed_map_check_measures_the_run_and_an_inline_map_of_the_same_items() -> None:
    rate, memory = check_distributed_map(50)
    assert (rate.name, memory.name) == ("50-item Distributed Map: items/s", "50-item Distributed Map: peak RSS")
    assert rate.value is not None and memory.value is not None, (rate.note, memory.note)
    assert "inline Map over 50 of the items" in rate.note
