"""The engine loads only when an expression is compiled: ``import sfnlocal`` stays fast and leaves
the recursion limit alone (jsonata-python raises it to 10,000 on import; sfnlocal puts it back)."""

from __future__ import annotations

import subprocess
import sys

from support import REPO

PROBE = """
import sys
import sfnlocal
from sfnlocal.language.jsonata import compile_template, is_expression
limit = sys.getrecursionlimit()
assert "jsonata" not in sys.modules, "imported by import sfnlocal"
compile_template({"a": ["no expression"]}, "Output")
assert is_expression("{% 1 %}") and "jsonata" not in sys.modules, "imported without an expression"
compile_template({"a": "{% 1 %}"}, "Output")
assert "jsonata" in sys.modules and sys.getrecursionlimit() == limit, "the recursion limit changed"
"""


def test_the_engine_is_imported_only_for_an_expression() -> None:
    completed = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
