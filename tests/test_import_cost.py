"""``import sfnlocal`` imports only what it needs: what costs much to import (the viewer, the Map state's
modules, the intrinsic functions, the Lambda functions' runtime, hashlib's OpenSSL, logging, difflib...) is
imported where it is first used.

These tests keep that from silently regressing, and the command line from importing the server (moto, botocore)
for commands that do not serve; the time itself is measured by benchmarks/import_time.py.
"""

from __future__ import annotations

import json
import subprocess
import sys

from support import REPO

# Imported on first use, not by ``import sfnlocal``.
DEFERRED = [
    "sfnlocal.viewer",
    "sfnlocal.interpreter.states.map_",
    "sfnlocal.interpreter.states.map_run",
    "sfnlocal.language.item_data",
    "sfnlocal.language.choice_rules",
    "sfnlocal.language.intrinsics.compiler",
    "sfnlocal.integrations.lambda_functions.runtime",
    "sfnlocal.integrations.mocks.keys",
    "hashlib",
    "logging",
    "difflib",
    "uuid",
    "csv",
    "decimal",
    "tempfile",
    "traceback",
    "importlib.resources",
]


# Never imported by a command other than ``sfnlocal serve`` that makes no AWS request: the server's imports.
SERVER_ONLY = ["sfnlocal.server.http", "sfnlocal.server.engine", "moto", "botocore", "boto3"]


def _imported_after(code: str, watched: list[str] = DEFERRED) -> list[str]:
    """The modules of ``watched`` imported once ``code`` has run in a fresh interpreter."""
    probe = f"import json, sys\n{code}\nprint(json.dumps([m for m in {watched!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout)
    return loaded


def test_importing_sfnlocal_leaves_the_costly_modules_unimported() -> None:
    assert _imported_after("import sfnlocal") == []


def test_the_deferred_modules_are_imported_when_a_run_needs_them() -> None:
    code = """
import sfnlocal
definition = {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "End": True,
    "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Pass", "End": True,
        "Parameters": {"id.$": "States.Format('item {}', $)"}}}}}}}
run = sfnlocal.StateMachine.from_dict(definition).execute({"items": [1, 2]})
assert run.output == [{"id": "item 1"}, {"id": "item 2"}], run.output
run.to_view()
"""
    loaded = _imported_after(code)
    for module in ("sfnlocal.viewer", "sfnlocal.interpreter.states.map_", "sfnlocal.language.intrinsics.compiler"):
        assert module in loaded


def test_the_lazy_names_of_the_intrinsics_package() -> None:
    from sfnlocal.language import intrinsics

    assert {"CompiledIntrinsic", "IntrinsicSyntaxError", "compile_intrinsic", "is_intrinsic"} <= set(dir(intrinsics))
    for name in intrinsics.__all__:
        assert getattr(intrinsics, name) is not None, name


def test_the_command_line_starts_without_the_servers_imports() -> None:
    # `sfnlocal validate` on a definition without JSONPath filters (its flow checks included) and --help's parser,
    # with every command's arguments: each command imports what it needs when it runs, --version the metadata
    code = """
import contextlib, io
from sfnlocal.cli.main import build_parser, main
build_parser().format_help()
with contextlib.redirect_stdout(io.StringIO()) as printed:
    assert main(["validate", "examples/order/order.asl.json"]) == 0
assert printed.getvalue().strip().endswith("OK"), printed.getvalue()
"""
    others = ["networkx", "sfnlocal.language.jsonpath.filter_compiler", "sfnlocal.replay.run", "importlib.metadata"]
    assert _imported_after(code, [*SERVER_ONLY, *others]) == []
