"""Fresh Python interpreters for the checks that must not share this process (import time, peak memory)."""

from __future__ import annotations

import os
import subprocess
import sys

from benchmarks.workloads import REPO_ROOT


def run_python(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGUMENTS`` in the repository root, capturing its text output.

    The repository root goes first on the path, so that the working tree is measured, not an
    installed copy of sfnlocal.
    """
    path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        check=False,
    )
