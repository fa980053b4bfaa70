"""docs/distributed-map.md runs as written: each Python example as a script from the repository's root (as
tests/test_docs_examples.py runs the other pages), and its pytest example's test with an entered AWS world, as
the plugin's ``sfn_aws`` fixture gives it."""

from __future__ import annotations

import pytest
from support import REPO
from test_docs_examples import examples

from sfnlocal import AwsWorld

PAGE = "distributed-map.md"


@pytest.mark.parametrize("index", range(len(examples(PAGE))))
def test_doc_example_runs(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    example = examples(PAGE)[index]
    if "import pyarrow" in example:  # the Parquet example needs the optional extra (the test extras have it)
        pytest.importorskip("pyarrow", reason="pip install 'sfnlocal[parquet]'")
    namespace: dict[str, object] = {}
    exec(compile(example, f"docs/{PAGE}[{index}]", "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_") and callable(value)]
    for test in tests:  # the pytest example: its tests take the plugin's sfn_aws fixture
        with AwsWorld() as world:
            test(world)


def test_the_page_shows_each_feature_the_issue_asks_for() -> None:
    text = "\n".join(examples(PAGE))
    for needed in (
        '"InputType": "CSV"',
        '"CSVDelimiter"',
        '"InputType": "JSONL"',
        '"ItemBatcher"',
        '"ResultWriter"',
        "manifest.json",
        '"ToleratedFailurePercentage"',
        "States.ExceedToleratedFailureThreshold",
        "s3:listObjectsV2",
        '"QueryLanguage": "JSONata"',
        "mocks.returns",
        "sfn_aws",
        "run.map_runs",
        "map_item_reader_data",
    ):
        assert needed in text, needed
