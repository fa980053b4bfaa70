"""docs/distributed-map.md runs as written: each Python example as a script from the repository's root (as
tests/test_docs_examples.py runs the other pages), and its pytest example's test with an entered AWS world, as
the plugin's ``sfn_aws`` fixture gives it."""

from __future__ import annotations

import pytest
from support import REPO
from test_docs_examples import examples

from sfnlocal import AwsWorld

PAGE = "distributed-map.md"
READER = "the ItemReader's S3 integration (integrations/aws/s3_items.py, H7) is not registered in builtin.py yet"
WRITER = "MapState.run does not give ResultWriter.write its MapRun yet, nor is s3_results.py registered (H8)"
MAP_RUNS = "MapState.run does not record its MapRun in Execution.map_runs yet (H8)"


def missing(example: str) -> list[str]:
    """What an example needs that has not landed yet (by the fields it uses)."""
    needed = []
    if "ItemReader" in example and "mocks=" not in example:
        needed.append(READER)
    if '"ResultWriter"' in example:
        needed.append(WRITER)
    if "map_runs" in example:
        needed.append(MAP_RUNS)
    return needed


def cases() -> list[object]:
    found = examples(PAGE)
    return [
        pytest.param(index, marks=pytest.mark.xfail(strict=True, reason="; ".join(missing(example))))
        if missing(example)
        else index
        for index, example in enumerate(found)
    ]


@pytest.mark.parametrize("index", cases())
def test_doc_example_runs(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    example = examples(PAGE)[index]
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
    ):
        assert needed in text, needed
