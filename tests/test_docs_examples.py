"""The runnable examples in docs/ run as written, from the repository's root."""

from __future__ import annotations

import re

import pytest
from support import REPO, SEEDS

DOCS = [
    "jsonata-and-variables.md",
    "mocking.md",
    "testing-workflows.md",
    "pytest-plugin.md",
    "intrinsics.md",
    "jsonpath.md",
]


def examples(page: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (REPO / "docs" / page).read_text(), re.S)


@pytest.mark.parametrize(("page", "index"), [(page, i) for page in DOCS for i in range(len(examples(page)))])
def test_doc_example_runs(page: str, index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    if "../shared/workflows/seeds/" in examples(page)[index] and not SEEDS.exists():
        pytest.skip("../shared/workflows/seeds is not available")
    monkeypatch.chdir(REPO)
    exec(compile(examples(page)[index], f"docs/{page}[{index}]", "exec"), {})


def test_every_page_has_examples() -> None:
    assert all(examples(page) for page in DOCS)
