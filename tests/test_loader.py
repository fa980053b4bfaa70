"""Loading definitions: dicts, JSON and YAML text, files; clear errors with a location."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest

from sfnlocal import DefinitionError, StateMachine, validate

DEFINITION = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "End": True}}}
YAML = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result: 1\n    End: true\n"


@pytest.mark.parametrize("suffix", [".json", ".asl.json"])
def test_json_files(tmp_path, suffix: str) -> None:
    path = tmp_path / f"machine{suffix}"
    path.write_text(json.dumps(DEFINITION))
    sm = StateMachine.from_file(path)
    assert sm.name == "machine" and sm.execute().output == 1


@pytest.mark.parametrize("suffix", [".yaml", ".asl.yaml", ".yml"])
def test_yaml_files(tmp_path, suffix: str) -> None:
    path = tmp_path / f"machine{suffix}"
    path.write_text(YAML)
    assert StateMachine.from_file(path).execute().output == 1


def test_text_in_either_language() -> None:
    assert StateMachine.from_json(json.dumps(DEFINITION)).execute().output == 1
    assert StateMachine.from_yaml(YAML).execute().output == 1


def test_invalid_json_names_line_and_column(tmp_path) -> None:
    path = tmp_path / "broken.asl.json"
    path.write_text('{"StartAt": "A",\n "States": {,}}')
    with pytest.raises(DefinitionError, match="not valid JSON: .* line 2 column 13"):
        StateMachine.from_file(path)


def test_a_definition_must_be_an_object() -> None:
    with pytest.raises(DefinitionError, match="must be a JSON object, not a list"):
        StateMachine.from_json("[1, 2]")


def test_structural_errors_name_the_location() -> None:
    with pytest.raises(DefinitionError) as caught:
        StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Ship"}}})
    assert caught.value.location == "/States/A/Next"
    assert "Ship" in caught.value.message


def test_malformed_paths_are_rejected_at_load_with_their_location() -> None:
    with pytest.raises(DefinitionError) as caught:
        StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Pass", "ResultPath": "$.a[*]", "End": True}}})
    assert caught.value.location == "/States/A/ResultPath"


def test_the_callers_dict_can_change_afterwards() -> None:
    definition = json.loads(json.dumps(DEFINITION))
    sm = StateMachine.from_dict(definition)
    definition["States"]["A"]["Result"] = 2
    assert sm.execute().output == 1


def test_query_language_rules_are_checked_at_load() -> None:
    jsonata = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}},
    }
    with pytest.raises(DefinitionError) as caught:
        StateMachine.from_dict(jsonata)
    assert caught.value.location == "/States/A/QueryLanguage"
    with pytest.raises(DefinitionError) as caught:
        StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {}, "End": True}}})
    assert caught.value.location == "/States/A/Output"


# --- bounded reading: syntax errors, depth, encodings, YAML aliases -------------------------------------


def test_a_json_syntax_error_shows_the_line_and_a_caret_under_the_column(tmp_path) -> None:
    path = tmp_path / "broken.asl.json"
    path.write_text('{\n  "StartAt": "A",\n  "States": {"A": {"Type": "Pass" "End": true}}\n}')
    with pytest.raises(DefinitionError) as refused:
        StateMachine.from_file(path)
    lines = str(refused.value).splitlines()
    assert lines[0].endswith("is not valid JSON: Expecting ',' delimiter at line 3 column 35:")
    assert lines[1:] == ['    "States": {"A": {"Type": "Pass" "End": true}}', "  " + " " * 34 + "^"]


def test_a_long_line_is_shown_around_the_column_only() -> None:
    text = json.dumps({"StartAt": "A", "Comment": "x" * 5000, "States": {}})[:-1] + ",]}"
    with pytest.raises(DefinitionError) as refused:
        StateMachine.from_json(text)
    _, shown, caret = str(refused.value).splitlines()
    assert len(shown) <= 82 and shown[caret.index("^")] == "]"


def _deep_text(depth: int) -> str:
    return (
        '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Result": ' + "[" * depth + "]" * depth + "}}}"
    )


@pytest.mark.parametrize("depth", [300, 100_000])
def test_text_nested_too_deep_is_refused_by_every_reader(tmp_path, depth: int) -> None:
    text = _deep_text(depth)
    path = tmp_path / "deep.asl.json"
    path.write_text(text)
    for load in (lambda: StateMachine.from_json(text), lambda: StateMachine.from_file(path)):
        with pytest.raises(DefinitionError, match="nested .*200 levels"):
            load()
    [problem] = validate(text)["diagnostics"]
    assert problem["code"] == "SCHEMA_VALIDATION_FAILED" and "200 levels" in problem["message"]


def test_a_file_that_is_not_utf8_is_refused_with_where(tmp_path) -> None:
    path = tmp_path / "latin1.asl.yaml"
    path.write_bytes(YAML.replace("Result: 1", "Result: caf\xe9").encode("latin-1"))
    with pytest.raises(DefinitionError, match=r"it is not UTF-8 text \(byte 0xe9 at line 5, column 16\)"):
        StateMachine.from_file(path)


def test_a_folder_is_not_a_definition(tmp_path) -> None:
    with pytest.raises(DefinitionError, match="it is a folder, not a file"):
        StateMachine.from_file(tmp_path)


BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
)


def test_a_billion_laughs_is_refused_at_once(tmp_path) -> None:
    path = tmp_path / "laughs.asl.yaml"
    path.write_text(BILLION_LAUGHS)
    assert len(BILLION_LAUGHS.encode()) < 600
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(
            DefinitionError, match="holds more than 1,048,576 values once its YAML aliases are expanded"
        ):
            StateMachine.from_file(path)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seconds < 5 and peak < 50_000_000  # 79 s and 2.9 GB before the aliases were bounded


def test_aliases_that_expand_modestly_are_read() -> None:
    text = (
        "StartAt: A\nStates:\n  A: {Type: Pass, Result: &r [1, 2], Next: B}\n  B: {Type: Pass, Result: *r, End: true}\n"
    )
    assert StateMachine.from_yaml(text).execute().output == [1, 2]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("&a [*a]", "line 1, column 5"),
        ("a: &a {b: *a}", "line 1, column 11"),
        ("a: &a\n  - [*a]\n", "line 2, column 6"),
    ],
)
def test_yaml_that_holds_itself_is_refused(text: str, where: str) -> None:
    with pytest.raises(DefinitionError, match=rf"holds a YAML alias \(\*a, {where}\) inside the value it names"):
        StateMachine.from_yaml(text)
