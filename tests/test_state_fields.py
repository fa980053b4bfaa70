"""The one declaration of each state type's fields (sfnlocal.language.state_fields), and its two readers.

The load-time structural checks (sfnlocal.language.structure) and the state classes
(sfnlocal.interpreter.states) both read the declaration; these tests pin that they agree with it: the
fields a type accepts, the fields of the other query language, the paths and the number ranges, and the
fields the runtime compiles.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfnlocal import DefinitionError, StateMachine
from sfnlocal.interpreter.model import Branch, state_class
from sfnlocal.language.errors import pointer
from sfnlocal.language.state_fields import (
    FIELDS,
    JSONATA,
    JSONPATH,
    MAP_PARTS,
    PART_CONFIGS,
    QUERY_LANGUAGES,
    STATE_TYPES,
    Kind,
)
from sfnlocal.language.structure import structure_problems
from sfnlocal.validation import validate

SCHEMA = "SCHEMA_VALIDATION_FAILED"
BRANCH = {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}
DISTRIBUTED = {**BRANCH, "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}
CHOICES = {
    JSONPATH: [{"Variable": "$.x", "IsPresent": True, "Next": "Done"}],
    JSONATA: [{"Condition": "{% true %}", "Next": "Done"}],
}

# A value for every field a state type declares, good in the query languages that have the field.
SAMPLES: dict[str, Any] = {
    "Type": None,  # the state's own type
    "Comment": "why",
    "QueryLanguage": None,  # the state's own language
    "InputPath": "$",
    "OutputPath": "$",
    "Parameters": {"a": 1},
    "ResultSelector": {"a": 1},
    "ResultPath": "$.r",
    "Arguments": {"a": 1},
    "Output": {"a": 1},
    "Next": "Done",
    "End": False,
    "Assign": {"x": 1},
    "Retry": [{"ErrorEquals": ["States.ALL"]}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
    "Resource": "arn:aws:states:::lambda:invoke",
    "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/r"},
    "TimeoutSeconds": 10,
    "TimeoutSecondsPath": "$.t",
    "HeartbeatSeconds": 5,
    "HeartbeatSecondsPath": "$.h",
    "Seconds": 1,
    "SecondsPath": "$.s",
    "Timestamp": "2026-01-01T00:00:00Z",
    "TimestampPath": "$.ts",
    "Result": {"a": 1},
    "Error": "E",
    "ErrorPath": "$.e",
    "Cause": "C",
    "CausePath": "$.c",
    "Choices": None,  # the state's language's rules (CHOICES)
    "Default": "Done",
    "Branches": [BRANCH],
    "ItemProcessor": BRANCH,
    "Iterator": BRANCH,
    "ItemsPath": "$.items",
    "Items": [1],
    "ItemSelector": {"a": 1},
    "ItemReader": {"Resource": "arn:aws:states:::s3:getObject"},
    "ItemBatcher": {"MaxItemsPerBatch": 1},
    "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject"},
    "Label": "L",
    "MaxConcurrency": 1,
    "MaxConcurrencyPath": "$.m",
    "ToleratedFailureCount": 1,
    "ToleratedFailureCountPath": "$.c",
    "ToleratedFailurePercentage": 10,
    "ToleratedFailurePercentagePath": "$.p",
}
# Fields only one of which a state holds (the structure check refuses both; the runtime reads the first).
ALTERNATIVES = [("ItemProcessor", "Iterator"), ("ItemSelector", "Parameters"), ("ErrorPath", "Error")]
ALTERNATIVES += [("CausePath", "Cause")]
# Declared fields the state classes do not read: Type picks the class; a Comment is for readers; the
# role in Credentials is AWS's business (sfnlocal runs no IAM).
NOT_COMPILED = {"Type", "Comment"}


def sample(name: str, type_name: str, language: str) -> Any:
    return {"Type": type_name, "QueryLanguage": language, "Choices": CHOICES[language]}.get(name, SAMPLES[name])


def sound_state(type_name: str, language: str, *extra: str) -> dict[str, Any]:
    """A state of this type without a structural problem, holding the ``extra`` fields (sample values)."""
    base: dict[str, Any] = {
        "Task": {"Resource": SAMPLES["Resource"], "End": True},
        "Wait": {"End": True},
        "Pass": {"End": True},
        "Succeed": {},
        "Fail": {},
        "Choice": {"Choices": CHOICES[language]},
        "Parallel": {"Branches": [BRANCH], "End": True},
        "Map": {"ItemProcessor": BRANCH, "End": True},
    }[type_name]
    state = {"Type": type_name, "QueryLanguage": language, **base}
    if type_name == "Wait" and not {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"} & set(extra):
        state["Seconds"] = 1  # exactly one of the four
    return {**state, **{name: sample(name, type_name, language) for name in extra}}


def definition(state: dict[str, Any]) -> dict[str, Any]:
    return {"StartAt": "S", "States": {"S": state, "Done": {"Type": "Succeed"}}}


def test_every_declared_field_is_an_asl_field_with_a_sample() -> None:
    declared = {name for state_type in STATE_TYPES.values() for name in state_type.names}
    assert declared <= set(FIELDS)
    assert declared == set(SAMPLES)  # a new field needs a sample here, and so a look at the runtime test


# --- the structural check accepts exactly the declared fields ------------------------------------

undeclared_names = st.one_of(st.sampled_from(sorted(FIELDS)), st.text(min_size=1, max_size=12))
values = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=4), st.just({}), st.just([]))


@settings(max_examples=300, deadline=None)
@given(
    type_name=st.sampled_from(sorted(STATE_TYPES)),
    language=st.sampled_from(QUERY_LANGUAGES),
    data=st.data(),
)
def test_a_state_is_refused_exactly_its_undeclared_fields(type_name: str, language: str, data: st.DataObject) -> None:
    declared = STATE_TYPES[type_name]
    chosen = data.draw(st.lists(st.sampled_from(declared.names), unique=True), label="declared")
    others = data.draw(
        st.lists(undeclared_names.filter(lambda name: name not in declared.allowed), unique=True, max_size=4),
        label="undeclared",
    )
    state = {name: data.draw(values, label=name) for name in [*chosen, *others]}
    state["Type"] = type_name
    state["QueryLanguage"] = language
    unsupported = {
        problem.location
        for problem in structure_problems(definition(state))
        if problem.code == SCHEMA and "is not supported in" in problem.message
    }
    assert unsupported == {pointer("States", "S", name) for name in others}


@pytest.mark.parametrize("part", sorted(MAP_PARTS))
def test_a_map_part_is_refused_exactly_its_undeclared_fields(part: str) -> None:
    declared = MAP_PARTS[part]
    stray = sorted(set(FIELDS) - declared.allowed)
    holding = {name: SAMPLES.get(name, 1) for name in [*declared.names, *stray]}
    state = {"Type": "Map", "ItemProcessor": DISTRIBUTED, "End": True, part: holding}
    problems = structure_problems(definition(state))
    unsupported = {problem.location for problem in problems if "is not supported in" in problem.message}
    assert unsupported == {pointer("States", "S", part, name) for name in stray}


# --- a field of the other query language -----------------------------------------------------------

OTHER_LANGUAGE = [
    (type_name, language, field)
    for type_name, state_type in STATE_TYPES.items()
    for language, other in ((JSONPATH, JSONATA), (JSONATA, JSONPATH))
    for field in state_type.only_in[other]
]


@pytest.mark.parametrize("type_name, language, field", OTHER_LANGUAGE)
def test_a_field_of_the_other_query_language_is_refused(type_name: str, language: str, field: str) -> None:
    other = JSONATA if language == JSONPATH else JSONPATH
    broken = definition(sound_state(type_name, language, field))
    message = f"the field '{field}' belongs to the {other} query language, but this state uses {language}"
    with pytest.raises(DefinitionError) as refused:
        StateMachine.from_dict(broken)
    assert (refused.value.location, str(refused.value)) == (f"/States/S/{field}", f"/States/S/{field}: {message}")
    diagnostic = {"severity": "ERROR", "code": SCHEMA, "message": message, "location": f"/States/S/{field}"}
    assert diagnostic in validate(broken)["diagnostics"]


def test_both_directions_are_covered_for_every_language_specific_field() -> None:
    refused = {(field, language) for _, language, field in OTHER_LANGUAGE}
    for name, field in FIELDS.items():
        if field.language is not None and any(name in state_type.allowed for state_type in STATE_TYPES.values()):
            assert (name, JSONATA if field.language == JSONPATH else JSONPATH) in refused, name


def test_a_state_holding_several_fields_of_the_other_language_names_the_first_declared() -> None:
    broken = definition(sound_state("Task", JSONATA, "ResultPath", "TimeoutSecondsPath", "Parameters"))
    with pytest.raises(DefinitionError) as refused:
        StateMachine.from_dict(broken)
    assert refused.value.location == "/States/S/Parameters"


MAP_PART_FIELDS = [
    (where, field, language, other)
    for where, fields in [
        *((part, MAP_PARTS[part]) for part in sorted(MAP_PARTS)),
        *((f"{part}/{config}", fields) for part, (config, fields) in sorted(PART_CONFIGS.items())),
    ]
    for language, other in ((JSONPATH, JSONATA), (JSONATA, JSONPATH))
    for field in fields.only_in[other]
]


@pytest.mark.parametrize("where, field, language, other", MAP_PART_FIELDS)
def test_a_map_part_field_of_the_other_language_is_refused_in_aws_words(
    where: str, field: str, language: str, other: str
) -> None:
    part, _, config = where.partition("/")
    holding: dict[str, Any] = {field: "$.n" if FIELDS[field].kind is Kind.PATH else {}}
    if config:
        holding = {config: holding}
    if part in ("ItemReader", "ResultWriter"):
        holding["Resource"] = SAMPLES[part]["Resource"]
    state = {"Type": "Map", "QueryLanguage": language, "ItemProcessor": DISTRIBUTED, "End": True, part: holding}
    problems = [(problem.location, problem.message) for problem in structure_problems(definition(state))]
    assert problems == [
        (
            f"/States/S/{where}/{field}",
            # AWS's wording (recorded for ItemBatcher's MaxItemsPerBatchPath in a JSONata state).
            f"The QueryLanguage is set to '{language}', but field '{field}' is only supported for the "
            f"'{other}' QueryLanguage",
        )
    ]


# --- paths and numbers ------------------------------------------------------------------------------

DECLARED = [(type_name, name) for type_name, state_type in STATE_TYPES.items() for name in state_type.names]


@pytest.mark.parametrize(
    "type_name, name", [(t, n) for t, n in DECLARED if FIELDS[n].kind in (Kind.PATH, Kind.NULLABLE_PATH)]
)
def test_a_declared_path_holds_a_string(type_name: str, name: str) -> None:
    state = {**sound_state(type_name, JSONPATH, name), name: 5}
    problems = [(problem.location, problem.message) for problem in structure_problems(definition(state))]
    null = " or null" if FIELDS[name].kind is Kind.NULLABLE_PATH else ""
    assert (f"/States/S/{name}", f"{name} must be a path (a string){null}, but got 5 (a number)") in problems
    nulled = [problem.location for problem in structure_problems(definition({**state, name: None}))]
    assert (f"/States/S/{name}" in nulled) is (not null)


@pytest.mark.parametrize("type_name, name", [(t, n) for t, n in DECLARED if FIELDS[n].kind is Kind.NUMBER])
def test_a_declared_number_is_checked_against_its_range(type_name: str, name: str) -> None:
    field = FIELDS[name]
    assert field.low is not None
    for value in (field.low - 1, field.high and field.high + 1):
        if value is None:
            continue
        problems = structure_problems(definition({**sound_state(type_name, JSONPATH, name), name: value}))
        assert [problem.location for problem in problems] == [f"/States/S/{name}"]
        assert problems[0].message.startswith(f"{name} must be a")
    # In a JSONata state a string is an expression, checked at run time.
    assert structure_problems(definition({**sound_state(type_name, JSONATA, name), name: "{% $n %}"})) == []


@pytest.mark.parametrize("type_name, name", [(t, n) for t, n in DECLARED if FIELDS[n].kind is Kind.TRANSITION])
def test_a_declared_transition_names_a_state_of_its_states(type_name: str, name: str) -> None:
    state = {**sound_state(type_name, JSONPATH), name: "Nowhere"}
    state.pop("End", None)
    problems = [(problem.location, problem.code) for problem in structure_problems(definition(state))]
    assert problems == [(f"/States/S/{name}", "MISSING_TRANSITION_TARGET")]


# --- the runtime compiles exactly the declared fields ------------------------------------------------


class RecordingSpec(dict[str, Any]):
    """A state's definition object that records every field name looked up in it."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.looked_up: set[str] = set()

    def get(self, key: Any, default: Any = None) -> Any:
        self.looked_up.add(key)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self.looked_up.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: Any) -> bool:
        self.looked_up.add(key)
        return super().__contains__(key)


@pytest.mark.parametrize("language", QUERY_LANGUAGES)
@pytest.mark.parametrize("type_name", sorted(STATE_TYPES))
def test_the_state_class_reads_exactly_the_declared_fields(type_name: str, language: str) -> None:
    declared = STATE_TYPES[type_name]
    other = JSONATA if language == JSONPATH else JSONPATH
    mine = [name for name in declared.names if name not in declared.only_in[other]]
    parent = Branch(BRANCH, "", language)
    looked_up: set[str] = set()
    for leave_out in range(2):  # each of the alternatives, one at a time
        skipped = {pair[leave_out] for pair in ALTERNATIVES}
        spec = RecordingSpec({name: sample(name, type_name, language) for name in mine if name not in skipped})
        state = state_class(type_name)("S", spec, "/States/S", parent)
        assert state.declaration is declared
        assert spec.looked_up <= declared.allowed, f"reads fields {type_name} does not have"
        looked_up |= spec.looked_up
    assert looked_up == declared.allowed - NOT_COMPILED


WITH_OUTPUT = [name for name, state_type in STATE_TYPES.items() if "Output" in state_type.allowed]


@pytest.mark.parametrize("type_name", WITH_OUTPUT)
def test_states_result_is_there_for_the_types_with_a_result(type_name: str) -> None:
    state = {**sound_state(type_name, JSONATA), "Output": "{% $states.result %}"}
    if STATE_TYPES[type_name].has_result:
        StateMachine.from_dict(definition(state))
    else:
        with pytest.raises(DefinitionError, match=r"\$states.result is only available"):
            StateMachine.from_dict(definition(state))
