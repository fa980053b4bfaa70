"""Jayway JsonPath conformance: sfnlocal reads each path of a table as Jayway JsonPath does.

Every expected result in ``data/jsonpath_jayway_table.json`` was produced by Jayway JsonPath 2.10.0 itself
(``JsonPath.compile(path).read(document)``, default configuration, json-smart provider, run once from a small
Java harness that is not part of this repository; the suite needs no Java). The rows come from Jayway's README
(path examples, filter operators, functions), from Jayway's own tests (InlineFilterTest, the function tests),
from the AWS docs (Reference Paths, the ``$.[0]`` of AWS's idempotent-workflow sample), and from one row per
feature and per syntax error written for this table. Each row is an expression, a document and Jayway's result:
a value, an exception when the path is compiled, or an exception when it is read.

Jayway's exceptions map onto sfnlocal's as follows. ``InvalidPathException`` from ``compile`` is
:class:`InvalidPath`, which Step Functions reports when the definition is loaded (a ``DefinitionError``);
everything thrown by ``read`` is a :class:`PathNotFound`, which fails the state at run time: Jayway's
``PathNotFoundException`` exactly that class, an ``InvalidPathException`` while reading
:class:`UnreadablePath`, and ``JsonPathException`` or a Java exception :class:`EvaluationFailure`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sfnlocal import StateMachine
from sfnlocal.language.errors import DefinitionError
from sfnlocal.language.jsonpath import (
    EvaluationFailure,
    InvalidPath,
    PathNotFound,
    UnreadablePath,
    compile_jsonpath,
)
from sfnlocal.language.jsonpath.errors import IndexOutOfBounds
from sfnlocal.language.paths import PathSyntaxError, compile_path

TABLE = json.loads((Path(__file__).parent / "data" / "jsonpath_jayway_table.json").read_text(encoding="utf-8"))
ROWS = TABLE["rows"]

# What each exception Jayway throws while reading becomes in sfnlocal.
READ_EXCEPTIONS = {
    "PathNotFoundException": PathNotFound,
    "InvalidPathException": UnreadablePath,
    "JsonPathException": EvaluationFailure,
    "InvalidJsonException": EvaluationFailure,
    "IndexOutOfBoundsException": IndexOutOfBounds,
    "IllegalStateException": EvaluationFailure,
    "ClassCastException": EvaluationFailure,
}


def document(row: dict[str, Any]) -> Any:
    return TABLE["documents"][row["doc"]] if isinstance(row["doc"], str) else row["doc"]


def typed(value: Any) -> Any:
    """A value with integers and doubles told apart (Jayway answers 6.0 for a sum, 3 for a length)."""
    if isinstance(value, list):
        return [typed(item) for item in value]
    if isinstance(value, dict):
        return [(key, typed(item)) for key, item in value.items()]
    if isinstance(value, float):
        return ("double", value)
    if isinstance(value, int) and not isinstance(value, bool):
        return ("integer", value)
    return value


def row_id(row: dict[str, Any]) -> str:
    return f"{row['path']} on {row['doc'] if isinstance(row['doc'], str) else json.dumps(row['doc'])[:30]}"


def test_the_table_covers_every_feature_with_well_over_150_rows() -> None:
    paths = " ".join(row["path"] for row in ROWS)
    features = ["[?(", "&&", "||", "!", "=~", "/i", " in ", " nin ", "subsetof", "anyof", "noneof", " size ", "empty",
                "$.limit", "..", "[*]", ":", "','", ".length()", ".size()", ".min()", ".max()", ".avg()", ".sum()",
                ".stddev()", ".keys()", ".first()", ".last()", ".index(", ".concat(", ".append(", "$.[0]"]  # fmt: skip
    assert len(ROWS) > 150
    assert [feature for feature in features if feature not in paths] == []
    outcomes = {row["jayway"].get("error", "value") for row in ROWS}
    assert outcomes == {"value", "compile", "read"}


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_sfnlocal_reads_the_path_as_jayway_does(row: dict[str, Any]) -> None:
    expected = row["jayway"]
    if expected.get("error") == "compile":
        with pytest.raises(InvalidPath):
            compile_jsonpath(row["path"])
        return
    path = compile_jsonpath(row["path"])
    assert path.definite == expected["definite"]
    if "value" in expected:
        assert typed(path.read(document(row))) == typed(json.loads(expected["value"]))
        return
    with pytest.raises(PathNotFound) as caught:
        path.read(document(row))
    assert type(caught.value) is READ_EXCEPTIONS[expected["exception"]]
    if "message" in expected:
        assert caught.value.message == expected["message"]


# A path Jayway cannot compile is refused at load, except '$$...' and '$name...', which Step Functions reads
# itself as the context object and a variable before handing the rest to Jayway.
COMPILE_ERRORS = [
    row
    for row in ROWS
    if row["jayway"].get("error") == "compile"
    and row["path"].startswith("$")
    and not re.match(r"\$(\$|[A-Za-z_])", row["path"])
]


@pytest.mark.parametrize("row", COMPILE_ERRORS, ids=row_id)
def test_what_jayway_cannot_compile_is_refused_when_the_definition_loads(row: dict[str, Any]) -> None:
    with pytest.raises(PathSyntaxError):
        compile_path(row["path"])
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": row["path"]}, "End": True}}}
    with pytest.raises(DefinitionError) as caught:
        StateMachine.from_dict(definition)
    assert caught.value.location == "/States/P/Parameters/v.$"


def test_what_jayway_cannot_read_fails_the_state_at_run_time() -> None:
    # "$.order.missing" finds nothing: Jayway's PathNotFoundException, AWS's cause for a '.$' field.
    run = StateMachine.from_dict(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "$.order.missing"}, "End": True}}}
    ).execute(TABLE["documents"]["order"])
    assert run.status == "FAILED" and run.error == "States.Runtime"
    assert "The JSONPath '$.order.missing' specified for the field 'v.$' could not be found in the input" in run.cause
