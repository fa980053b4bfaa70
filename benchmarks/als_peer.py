"""The other local emulator: aws-local-stepfunctions (Node), run on the same workloads in the same benchmark run.

It is an optional peer. :func:`install` puts the pinned version (:data:`VERSION`) into a cache folder with npm
(``~/.cache/sfnlocal-bench/aws-local-stepfunctions-VERSION``, or under ``$XDG_CACHE_HOME``), once: a folder
that already holds it is reused. Without ``node`` and ``npm`` on the PATH, or when the install fails (no
network), the peer is skipped with the reason, never a failure of the benchmark run.

Each workload is run by ``benchmarks/als_peer.mjs`` in one Node process: the ``StateMachine`` is built once,
untimed (with its default validation); one untimed run reads the event log to count ``StateEntered`` events
(the transitions); then ``repeats`` executions, each ``await machine.run(input).result``, are timed in-process.
The result must be the workload's expected status, output and transition count, as sfnlocal's must.

aws-local-stepfunctions 3.0.0 has no JSONata (its README and code know no ``QueryLanguage``), so the JSONata
twins are not run in it (:data:`NO_JSONATA`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from benchmarks.measurement import Run, RunOnce, Timing, best_of
from benchmarks.workloads import Workload

PACKAGE = "aws-local-stepfunctions"
VERSION = "3.0.0"  # the version issue 18 measured; a new one is a deliberate change of the peer
NO_JSONATA = f"{PACKAGE} {VERSION} has no JSONata"
_SCRIPT = Path(__file__).with_name("als_peer.mjs")
_INSTALL_TIMEOUT_SECONDS = 300.0
# Without a network npm would retry for minutes: one retry, a minute per request, then the peer is skipped.
_NPM_OPTIONS = ("--no-audit", "--no-fund", "--no-save", "--fetch-retries=1", "--fetch-timeout=60000")
_RUN_TIMEOUT_SECONDS = 600.0


@dataclass(frozen=True)
class Peer:
    """An installed aws-local-stepfunctions (``folder`` holds its node_modules), or why there is none."""

    folder: Path | None
    skipped: str | None = None

    @property
    def label(self) -> str:
        """What the report calls it."""
        return f"{PACKAGE} {VERSION}"


def default_folder() -> Path:
    """The cache folder the peer is installed into.

    >>> default_folder().name
    'aws-local-stepfunctions-3.0.0'
    """
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "sfnlocal-bench" / f"{PACKAGE}-{VERSION}"


def installed_in(folder: Path) -> bool:
    """Whether ``folder`` holds the pinned version."""
    manifest = folder / "node_modules" / PACKAGE / "package.json"
    try:
        return bool(json.loads(manifest.read_text())["version"] == VERSION)
    except (OSError, ValueError, KeyError):
        return False


def install(folder: Path | None = None) -> Peer:
    """The peer installed in ``folder`` (default :func:`default_folder`), installing it with npm when it is not
    there yet; skipped (with the reason) when Node or npm is missing or the install fails."""
    folder = folder or default_folder()
    if shutil.which("node") is None:
        return Peer(None, "node is not on the PATH")
    if installed_in(folder):
        return Peer(folder)
    npm = shutil.which("npm")
    if npm is None:
        return Peer(None, f"{PACKAGE} is not installed in {folder} and npm is not on the PATH")
    folder.parent.mkdir(parents=True, exist_ok=True)
    # Installed beside the folder, then renamed: a run cut short leaves no half-installed folder to reuse.
    scratch = Path(tempfile.mkdtemp(prefix=f"{folder.name}.", dir=folder.parent))
    try:
        done = subprocess.run(
            [npm, "install", "--prefix", str(scratch), *_NPM_OPTIONS, f"{PACKAGE}@{VERSION}"],
            capture_output=True,
            text=True,
            timeout=_INSTALL_TIMEOUT_SECONDS,
            check=False,
        )
        if done.returncode != 0 or not installed_in(scratch):
            return Peer(None, f"npm install {PACKAGE}@{VERSION} failed: {done.stderr.strip()[-300:]}")
        if not installed_in(folder):  # another run may have installed it meanwhile
            shutil.rmtree(folder, ignore_errors=True)
            scratch.rename(folder)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Peer(None, f"npm install {PACKAGE}@{VERSION} failed: {exc}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Peer(folder)


def measure_als(peer: Peer, workload: Workload, repeats: int) -> Timing | None:
    """Best of ``repeats`` executions of ``workload`` in aws-local-stepfunctions; None when the peer is skipped."""
    if peer.folder is None:
        return None
    folder = peer.folder

    cold: list[float] = []

    def setup() -> RunOnce:
        runs, first_seconds = _runs(folder, workload, repeats)
        cold.append(first_seconds)
        return iter(runs).__next__

    timing = best_of("aws-local-stepfunctions", workload, setup, repeats)
    return replace(timing, note=f"first run in its Node process {cold[0] * 1000:.1f} ms") if cold else timing


def _runs(folder: Path, workload: Workload, repeats: int) -> tuple[list[Run], float]:
    """The timed runs of one Node process, each with the checked run's result, and the checked run's seconds."""
    request = json.dumps({"definition": workload.definition, "input": workload.input, "repeats": repeats})
    done = subprocess.run(
        ["node", str(_SCRIPT), str(folder)],
        input=request,
        capture_output=True,
        text=True,
        timeout=_RUN_TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"node exited with {done.returncode}: {done.stderr.strip()[-300:]}")
    report = json.loads(done.stdout)
    result = (report["status"], report["output"], report["transitions"], report.get("error"), report.get("cause"))
    if not report["seconds"]:  # the checked run failed: that is the result
        return [Run(report["first_seconds"], *result)], report["first_seconds"]
    return [Run(seconds, *result) for seconds in report["seconds"]], report["first_seconds"]
