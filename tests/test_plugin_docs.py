"""docs/pytest-plugin.md's examples that are tests (they take the sfn fixture) pass in a pytest session of
their own; tests/test_docs_examples.py runs every example as a script."""

from __future__ import annotations

import shutil

import hypothesis  # noqa: F401  (imported once here, pytester's in-process sessions reuse it)
import pytest
from support import REPO
from test_docs_examples import examples

pytest_plugins = ["pytester"]

TEST_EXAMPLES = [example for example in examples("pytest-plugin.md") if "def test_" in example]


def test_the_page_has_test_examples() -> None:
    assert len(TEST_EXAMPLES) >= 2


def passes_in_a_session(pytester: pytest.Pytester, example: str, machine: str) -> None:
    """A docs example that is a test file passes in a pytest session of its own, run from a folder holding the
    repository's examples/, and reports the workflow coverage of ``machine``."""
    shutil.copytree(REPO / "examples", pytester.path / "examples")
    pytester.makepyfile(test_example=example)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=example.count("\ndef test_"))
    result.stdout.fnmatch_lines(["*- sfnlocal workflow coverage -*", f"{machine} [[]*"])


@pytest.mark.parametrize("index", range(len(TEST_EXAMPLES)))
def test_doc_test_example_passes(pytester: pytest.Pytester, index: int) -> None:
    passes_in_a_session(pytester, TEST_EXAMPLES[index], "order")
