"""Loading definitions: dicts, JSON and YAML text, files; clear errors with a location."""

from __future__ import annotations

import json

import pytest

from sfnlocal import DefinitionError, StateMachine

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
