"""The runnable examples in docs/ run as written, from the repository's root, in a fresh clone: nothing
they use lies outside the repository (../shared, where the AWS recordings are kept, is not in a clone)."""

from __future__ import annotations

import re

import pytest
from support import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
DOCS = [
    "jsonata-and-variables.md",
    "mocking.md",
    "testing-workflows.md",
    "pytest-plugin.md",
    "intrinsics.md",
    "jsonpath.md",
    "lambdas.md",
    "viewer.md",
    "applications.md",
    "replay.md",
]


def examples(page: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (REPO / "docs" / page).read_text(), re.S)


@pytest.mark.parametrize(("page", "index"), [(page, i) for page in DOCS for i in range(len(examples(page)))])
def test_doc_example_runs(page: str, index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    exec(compile(examples(page)[index], f"docs/{page}[{index}]", "exec"), {})


def test_every_page_has_examples() -> None:
    assert all(examples(page) for page in DOCS)


def test_the_pages_use_only_files_a_clone_has() -> None:
    for page in PAGES:
        text = page.read_text()
        for name in re.findall(r"examples/[\w./-]*[\w/-]", text):
            assert (REPO / name).exists(), f"{page.name} names {name}, which is not in the repository"
        for block in re.findall(r"```\w*\n(.*?)```", text, re.S):
            assert "../shared" not in block, f"{page.name} has an example that needs ../shared:\n{block}"
