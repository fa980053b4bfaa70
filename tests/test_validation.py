"""Definition validation as AWS does it (sfnlocal.validation), rule by rule.

Expected answers come from AWS: the recorded calls of ../shared/conformance/validation (checked as a
whole in test_validation_corpus.py), the ValidateStateMachineDefinition API reference, and the AWS pages
of each state type. Messages marked "recorded" are AWS's own wording.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfnlocal.validation import InvalidDefinition, create_state_machine_check, validate

END = {"Type": "Succeed"}
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:work"
BRANCH = {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": True}}}
DISTRIBUTED = {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, **BRANCH}


def machine(start: str = "S", **states: Any) -> dict[str, Any]:
    return {"StartAt": start, "States": states}


def task(resource: str = LAMBDA, **fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "End": True, **fields}


def found(definition: Any, machine_type: str = "STANDARD", severity: str = "WARNING") -> list[tuple[str, Any]]:
    """(code, location) of every diagnostic."""
    return [
        (d["code"], d.get("location")) for d in validate(definition, machine_type, severity=severity)["diagnostics"]
    ]


def messages(definition: Any, machine_type: str = "STANDARD") -> list[str]:
    return [d["message"] for d in validate(definition, machine_type)["diagnostics"]]


# --- the response ---------------------------------------------------------------------------------


def test_a_valid_definition_gives_the_apis_ok_response() -> None:
    assert validate(machine(S=END)) == {"result": "OK", "diagnostics": [], "truncated": False}
    assert validate(json.dumps(machine(S=END))) == {"result": "OK", "diagnostics": [], "truncated": False}


def test_warnings_are_returned_only_when_asked_for_and_never_fail() -> None:
    loop = machine(
        "A",
        A={"Type": "Pass", "Next": "C"},
        D=END,
        C={"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "A"}], "Default": "D"},
    )
    assert validate(loop) == {"result": "OK", "diagnostics": [], "truncated": False}
    answer = validate(loop, severity="WARNING")
    assert answer["result"] == "OK" and [d["severity"] for d in answer["diagnostics"]] == ["WARNING"]


def test_max_results_truncates() -> None:
    broken = machine(**{f"S{i}": {"Type": "Pass", "InputPath": "bad"} for i in range(5)}, S={"Type": "Succeed"})
    answer = validate(broken, max_results=2)
    assert answer["result"] == "FAIL" and len(answer["diagnostics"]) == 2 and answer["truncated"] is True


@pytest.mark.parametrize(
    "arguments", [{"type": "BATCH"}, {"severity": "INFO"}, {"max_results": 0}, {"max_results": 101}]
)
def test_bad_arguments_are_refused(arguments: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        validate(machine(S=END), **arguments)


# --- reading the definition -----------------------------------------------------------------------


def test_text_that_is_not_json_is_reported_in_jacksons_words() -> None:
    [diagnostic] = validate("not a definition")["diagnostics"]
    assert diagnostic == {  # recorded
        "severity": "ERROR",
        "code": "INVALID_JSON_DESCRIPTION",
        "message": "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', "
        "'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: 4]",
        "location": '[Source: (String)"not a definition"; line: 1, column: 4]',
    }


@pytest.mark.parametrize(
    "text, start",
    [
        ('{"StartAt": "A",}', "Unexpected character ('}' (code 125)): was expecting double-quote"),
        ('{"StartAt" "A"}', "Unexpected character ('\"' (code 34)): was expecting a colon"),
        ('{"a": [1 2]}', "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries"),
        ('{"a": 1', "Unexpected end-of-input: expected close marker for Object"),
    ],
)
def test_other_syntax_errors(text: str, start: str) -> None:
    [diagnostic] = validate(text)["diagnostics"]
    assert diagnostic["code"] == "INVALID_JSON_DESCRIPTION" and diagnostic["message"].startswith(start)
    assert diagnostic["location"].startswith("[Source: (String)")


@pytest.mark.parametrize("definition", [" ", "[]", "1", "null", ["StartAt"]])
def test_anything_but_an_object_is_not_a_definition(definition: Any) -> None:
    # recorded for " ": SCHEMA_VALIDATION_FAILED, no location
    assert validate(definition)["diagnostics"] == [
        {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": "Definition must be a valid JSON object"}
    ]


@pytest.mark.parametrize("definition", ["", None])
def test_no_definition_at_all(definition: Any) -> None:
    assert found(definition) == [("MISSING_DESCRIPTION", None)]


def test_a_state_named_twice_in_the_text() -> None:
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "A": {"Type": "Succeed"}}}'
    assert found(text) == [("DUPLICATE_STATE_NAME", "/States/A")]


# --- the structural MUSTs (reused from the structure module) --------------------------------------


def test_missing_fields_at_the_root() -> None:
    assert found({"States": {"S": END}}) == [("SCHEMA_VALIDATION_FAILED", "/")]  # recorded


def test_a_state_name_used_in_two_scopes() -> None:
    parallel = {"Type": "Parallel", "Branches": [machine("S", S=END)], "End": True}
    # the branch's S comes first in the document: the top-level one is the duplicate
    assert found(machine("P", P=parallel, S=END))[0] == ("DUPLICATE_STATE_NAME", "/States/S")


def test_a_state_name_longer_than_80_characters() -> None:
    name = "N" * 81
    assert found(machine(name, **{name: END})) == [("INVALID_STATE_NAME", f"/States/{name}")]


@pytest.mark.parametrize(
    "state, location",
    [
        ({"Type": "Wait", "Seconds": -1, "End": True}, "/States/S/Seconds"),
        (task(TimeoutSeconds=0), "/States/S/TimeoutSeconds"),
        (task(TimeoutSeconds=10, HeartbeatSeconds=10), "/States/S/HeartbeatSeconds"),
        (task(Retry=[{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E"]}]), "/States/S/Retry/0/ErrorEquals"),
        (task(Retry=[{"ErrorEquals": ["E"], "BackoffRate": 0.5}]), "/States/S/Retry/0/BackoffRate"),
        (task(Retry=[{"ErrorEquals": ["E"], "JitterStrategy": "SOME"}]), "/States/S/Retry/0/JitterStrategy"),
        ({"Type": "Pass", "TimeoutSeconds": 5, "End": True}, "/States/S/TimeoutSeconds"),
        ({"Type": "Map", "ItemProcessor": BRANCH, "MaxConcurrency": -1, "End": True}, "/States/S/MaxConcurrency"),
        ({"Type": "Choice", "Choices": [{"Variable": "$.a", "Next": "S"}]}, "/States/S/Choices/0"),
    ],
)
def test_values_fields_and_rules_of_the_language(state: dict[str, Any], location: str) -> None:
    assert ("SCHEMA_VALIDATION_FAILED", location) in found(machine(S=state))


def test_a_query_language_that_does_not_exist() -> None:
    assert found({**machine(S=END), "QueryLanguage": "XPath"}) == [("SCHEMA_VALIDATION_FAILED", "/QueryLanguage")]


# --- what the compiler checks (reused from the model, one state at a time) -------------------------


@pytest.mark.parametrize(
    "state, location",
    [
        ({"Type": "Pass", "ResultPath": "$.a[*]", "End": True}, "/States/S/ResultPath"),
        ({"Type": "Pass", "Parameters": {"a.$": "States.Format('{}', $.x"}, "End": True}, "/States/S/Parameters/a.$"),
        ({"Type": "Pass", "Parameters": {"a.$": "not a path"}, "End": True}, "/States/S/Parameters/a.$"),
        ({"Type": "Pass", "Assign": {"1x": 1}, "End": True}, "/States/S/Assign/1x"),
        ({"Type": "Pass", "Assign": {"states": 1}, "End": True}, "/States/S/Assign/states"),
        ({"Type": "Pass", "Output": {"a": 1}, "End": True}, "/States/S/Output"),
        ({"Type": "Wait", "Timestamp": "2016-13-05T21:29:29Z", "End": True}, "/States/S/Timestamp"),
        ({"Type": "Map", "ItemProcessor": BRANCH, "ItemsPath": "$..a", "End": True}, "/States/S/ItemsPath"),
    ],
)
def test_paths_templates_intrinsics_variables_timestamps(state: dict[str, Any], location: str) -> None:
    assert found(machine(S=state)) == [("SCHEMA_VALIDATION_FAILED", location)]


def test_the_wait_timestamp_message_is_awss() -> None:
    state = {"Type": "Wait", "Timestamp": "2016-12-05 21:29:29Z", "End": True}
    assert messages(machine(S=state)) == ["String does not match RFC3339 timestamp"]  # recorded


def test_every_broken_state_is_reported_not_only_the_first() -> None:
    inner = machine("In", In={"Type": "Pass", "OutputPath": "$.a[]", "End": True})
    definition = machine(
        A={"Type": "Pass", "InputPath": "x", "Next": "M"},
        M={"Type": "Map", "ItemsPath": "$.*", "ItemProcessor": inner, "End": True},
        start="A",
    )
    assert found(definition) == [
        ("SCHEMA_VALIDATION_FAILED", "/States/A/InputPath"),
        ("SCHEMA_VALIDATION_FAILED", "/States/M/ItemsPath"),
        ("SCHEMA_VALIDATION_FAILED", "/States/M/ItemProcessor/States/In/OutputPath"),
    ]


def test_jsonpath_state_in_a_jsonata_machine() -> None:
    definition = {"QueryLanguage": "JSONata", **machine(S={"Type": "Pass", "QueryLanguage": "JSONPath", "End": True})}
    assert [code for code, _ in found(definition)] == ["SCHEMA_VALIDATION_FAILED"]  # recorded


def test_jsonata_that_does_not_parse_gets_awss_code_at_the_expression() -> None:
    state = {
        "Type": "Pass",
        "QueryLanguage": "JSONata",
        "Output": {"a": ["{% $states.input %}", "{% 1 + %}"]},
        "End": True,
    }
    assert found(machine(S=state)) == [("INVALID_JSONATA_EXPRESSION", "/States/S/Output/a/1")]


@pytest.mark.parametrize(
    "state, location",
    [
        ({"Type": "Pass", "Output": "{% $states.result %}", "End": True}, "/States/S/Output"),
        ({"Type": "Pass", "Output": "{% $.a %}", "End": True}, "/States/S/Output"),
        (
            task(
                Catch=[{"ErrorEquals": ["States.ALL"], "Next": "D", "Output": "{% $states.errorOutput %}"}],
                Output="{% $states.errorOutput %}",
            ),
            "/States/S/Output",
        ),
    ],
)
def test_states_variables_where_aws_offers_them(state: dict[str, Any], location: str) -> None:
    definition = {"QueryLanguage": "JSONata", **machine(S=state, D=END)}
    assert ("SCHEMA_VALIDATION_FAILED", location) in found(definition)


def test_an_inner_assign_of_an_outer_variable() -> None:
    inner = machine("In", In={"Type": "Pass", "Assign": {"x": 2}, "End": True})
    definition = machine(
        S={"Type": "Pass", "Assign": {"x": 1}, "Next": "P"}, P={"Type": "Parallel", "Branches": [inner], "End": True}
    )
    assert found(definition) == [("SCHEMA_VALIDATION_FAILED", "/States/P/Branches/0/States/In/Assign")]


# --- the Map's Distributed fields, Label, Credentials ---------------------------------------------

LABEL_DEFINITION = machine(
    "MapState", MapState={"Type": "Map", "ItemProcessor": DISTRIBUTED, "Label": "label_#", "End": True}
)


@pytest.mark.parametrize(
    "label, message",
    [
        ("", "Label cannot be empty"),
        ("a#b", "Label contains invalid character: '#'"),
        ("tab\there", "Label contains invalid character: '\\t'"),
        ("x" * 41, "Label cannot exceed 40 characters"),
    ],
)
def test_map_labels_aws_refuses(label: str, message: str) -> None:
    definition = machine("M", M={"Type": "Map", "ItemProcessor": DISTRIBUTED, "Label": label, "End": True})
    [diagnostic] = validate(definition)["diagnostics"]
    assert (diagnostic["code"], diagnostic["location"]) == ("INVALID_LABEL_NAME", "/States/M/Label")
    assert diagnostic["message"].startswith(message)


def test_map_labels_are_unique() -> None:
    first = {"Type": "Map", "ItemProcessor": machine("A", A=END), "Label": "L", "Next": "M2"}
    second = {"Type": "Map", "ItemProcessor": machine("B", B=END), "Label": "L", "End": True}
    assert found(machine("M1", M1=first, M2=second)) == [("DUPLICATE_LABEL_NAME", "/States/M2/Label")]


def test_a_label_error_quotes_the_definition_as_create_state_machine_does() -> None:
    with pytest.raises(InvalidDefinition) as refused:
        create_state_machine_check(LABEL_DEFINITION)
    assert refused.value.code == "InvalidDefinition"
    assert refused.value.message == (  # recorded shape
        "Error=ValueError Args=[\"Label contains invalid character: '#'\"] in definition "
        f"'{json.dumps(LABEL_DEFINITION)}'."
    )


@pytest.mark.parametrize(
    "part, location",
    [
        ({"ItemReader": {"ReaderConfig": {}}}, "/States/M/ItemReader"),
        (
            {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"MaxItems": 100_000_001}}},
            "/States/M/ItemReader/ReaderConfig/MaxItems",
        ),
        (
            {
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"MaxItems": 1, "MaxItemsPath": "$.n"},
                }
            },
            "/States/M/ItemReader/ReaderConfig",
        ),
        (
            {"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Argumentz": {}}},
            "/States/M/ItemReader/Argumentz",
        ),
        ({"ItemBatcher": {"MaxItemsPerBatch": -1}}, "/States/M/ItemBatcher/MaxItemsPerBatch"),
        ({"ItemBatcher": {"MaxItemsPerBatch": 1, "MaxItemsPerBatchPath": "$.n"}}, "/States/M/ItemBatcher"),
        (
            {"ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {}}},
            "/States/M/ResultWriter/Arguments",
        ),
        ({"ResultWriter": "s3"}, "/States/M/ResultWriter"),
        ({"ItemReader": {"Resource": "arn:aws:states:::s3:deleteObject"}}, "/States/M/ItemReader/Resource"),
    ],
)
def test_distributed_map_parts(part: dict[str, Any], location: str) -> None:
    definition = machine("M", M={"Type": "Map", "ItemProcessor": DISTRIBUTED, "End": True, **part})
    assert ("SCHEMA_VALIDATION_FAILED", location) in found(definition)


def test_jsonpath_only_fields_in_a_jsonata_distributed_map() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        **machine(
            "M",
            M={
                "Type": "Map",
                "ItemProcessor": DISTRIBUTED,
                "End": True,
                "ItemBatcher": {"MaxItemsPerBatchPath": "$.n"},
            },
        ),
    }
    assert messages(definition) == [
        "The QueryLanguage is set to 'JSONata', but field 'MaxItemsPerBatchPath' is only "
        "supported for the 'JSONPath' QueryLanguage"
    ]


@pytest.mark.parametrize(
    "config, location",
    [
        ({"Mode": "DISTRIBUTED"}, "/States/M/ItemProcessor/ProcessorConfig"),
        ({"Mode": "PARALLEL"}, "/States/M/ItemProcessor/ProcessorConfig/Mode"),
        ({"Mode": "DISTRIBUTED", "ExecutionType": "FAST"}, "/States/M/ItemProcessor/ProcessorConfig/ExecutionType"),
    ],
)
def test_processor_config(config: dict[str, Any], location: str) -> None:
    definition = machine("M", M={"Type": "Map", "ItemProcessor": {**BRANCH, "ProcessorConfig": config}, "End": True})
    assert found(definition) == [("SCHEMA_VALIDATION_FAILED", location)]


@pytest.mark.parametrize("credentials", [{}, {"InvalidField": "invalid"}])
def test_credentials_without_a_role(credentials: dict[str, Any]) -> None:
    definition = machine(S=task(Credentials=credentials))
    assert found(definition) == [("SCHEMA_VALIDATION_FAILED", "/States/S/Credentials")]
    assert messages(definition) == ["The field 'RoleArn' is required but was missing"]  # recorded


# --- resources and the machine type ---------------------------------------------------------------


@pytest.mark.parametrize(
    "resource",
    [
        LAMBDA,
        f"{LAMBDA}:live",
        "arn:aws:states:us-east-1:123456789012:activity:approve",
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::aws-sdk:s3:getObject",
        "arn:aws:states:us-east-2:123456789012:aws-sdk:transcribe:startTranscriptionJob",
        "arn:aws:states:::aws-sdk:sqs:sendMessage.waitForTaskToken",
        "arn:aws:states:::ecs:runTask.sync",
        "arn:aws-cn:states:::dynamodb:getItem",
        "arn:aws:states:::newservice:doThing",
    ],
)
def test_resources_aws_recognises(resource: str) -> None:
    assert found(machine(S=task(resource))) == []


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:states:::dynamodb:query",
        "arn:aws:states:::dynamodb:putItem.sync",
        "arn:aws:states:::lambda:invoke.sync",
        "arn:aws:states:::aws-sdk:s3:getObject.sync",
        "arn:aws:lambda:us-east-1:123456789012::function:f",
        "createToken",
        "arn:aws:swf:us-east-1:123456789012:task:X",
    ],
)
def test_resources_aws_does_not_recognise(resource: str) -> None:
    assert messages(machine(S=task(resource))) == [
        f"The resource provided {resource} is not recognized. The value is not a valid resource ARN, or the resource "
        "is not available in this region."
    ]  # recorded


@pytest.mark.parametrize(
    "resource, message",
    [
        (
            "arn:aws:states:::states:startExecution.sync",
            "Express state machine does not support '.sync' service integration",
        ),
        (
            "arn:aws:states:::states:startExecution.sync:2",
            "Express state machine does not support '.sync' service integration",
        ),
        (
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Express state machine does not support '.waitForTaskToken' service integration ",
        ),
    ],
)
def test_express_machines_run_request_response_only(resource: str, message: str) -> None:
    definition = machine(S=task(resource))
    assert messages(definition, "EXPRESS") == [message]  # recorded
    assert messages(definition, "STANDARD") == []


# --- the graph ------------------------------------------------------------------------------------


def test_a_missing_target_and_an_unreachable_state_as_aws_reports_them() -> None:
    # AWS: "MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next,
    #       MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2"
    definition = machine("pass1", pass1={"Type": "Pass", "Next": "pass3"}, pass2={"Type": "Pass", "End": True})
    assert found(definition) == [
        ("MISSING_TRANSITION_TARGET", "/States/pass1/Next"),
        ("MISSING_TRANSITION_TARGET", "/States/pass2"),
    ]
    assert messages(definition)[1] == 'State "pass2" is not reachable.'


def test_no_terminal_state_hides_unreachable_states() -> None:
    loop = machine(
        "A", A={"Type": "Pass", "Next": "B"}, B={"Type": "Pass", "Next": "A"}, C={"Type": "Pass", "Next": "A"}
    )
    assert validate(loop)["diagnostics"] == [
        {"severity": "ERROR", "code": "MISSING_END_STATE", "message": "Workflow has no terminal state"}
    ]
    loop["States"]["D"] = END
    assert found(loop, severity="ERROR") == [
        ("MISSING_TRANSITION_TARGET", "/States/C"),
        ("MISSING_TRANSITION_TARGET", "/States/D"),
    ]


def test_a_missing_target_and_no_terminal_state_in_awss_order() -> None:
    assert found(machine("A", A={"Type": "Pass", "Next": "NOPE"})) == [
        ("MISSING_TRANSITION_TARGET", "/States/A/Next"),
        ("MISSING_END_STATE", None),
    ]


def test_graph_checks_inside_branches_and_processors() -> None:
    branch = machine("X", X={"Type": "Pass", "End": True}, Lost={"Type": "Pass", "End": True})
    no_end = machine("Y", Y={"Type": "Pass", "Next": "Y"})
    definition = machine(
        P={"Type": "Parallel", "Branches": [branch], "Next": "M"},
        M={"Type": "Map", "ItemProcessor": no_end, "End": True},
        start="P",
    )
    assert found(definition, severity="ERROR") == [
        ("MISSING_TRANSITION_TARGET", "/States/P/Branches/0/States/Lost"),
        ("MISSING_END_STATE", "/States/M/ItemProcessor"),
    ]


def test_catchers_and_choices_are_transitions() -> None:
    definition = machine(
        S=task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handle"}]),
        Handle={"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": True, "Next": "F"}], "Default": "F"},
        F={"Type": "Fail"},
    )
    assert found(definition) == []


def test_states_from_which_no_end_can_be_reached() -> None:
    definition = machine(
        "C",
        C={"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "W"}], "Default": "D"},
        W={"Type": "Wait", "Seconds": 5, "Next": "T"},
        T=task(End=None, Next="W"),
        D=END,
    )
    del definition["States"]["T"]["End"]
    assert found(definition) == [("NO_TERMINAL_REACHABLE", "/States/W")]


def test_a_loop_through_a_parallel_that_waits_is_fine() -> None:
    waits = machine("Z", Z={"Type": "Wait", "Seconds": 1, "End": True})
    definition = machine(
        "P",
        P={"Type": "Parallel", "Branches": [waits], "Next": "C"},
        D=END,
        C={"Type": "Choice", "Choices": [{"Variable": "$[0].x", "IsPresent": True, "Next": "P"}], "Default": "D"},
    )
    assert found(definition) == []


def test_a_state_that_loops_on_itself() -> None:
    definition = machine(
        "C",
        C={"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "C"}], "Default": "D"},
        D=END,
    )
    assert found(definition) == [("LOOP_WITHOUT_WAIT", "/States/C")]


# --- AWS's warnings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state, code, location",
    [
        ({"Type": "Pass", "Parameters": {"a": {"b": "$.x"}}, "End": True}, "NO_DOLLAR", "/States/S/Parameters/a/b"),
        ({"Type": "Pass", "Parameters": {"a": "States.UUID()"}, "End": True}, "NO_DOLLAR", "/States/S/Parameters/a"),
        ({"Type": "Fail", "Cause": "$.cause"}, "NO_PATH", "/States/S/Cause"),
        (
            {"Type": "Pass", "Result": {"a": [{"b.$": "$"}]}, "End": True},
            "PASS_RESULT_IS_STATIC",
            "/States/S/Result/a/0/b.$",
        ),
    ],
)
def test_awss_warnings(state: dict[str, Any], code: str, location: str) -> None:
    assert found(machine(S=state)) == [(code, location)]


def test_no_warning_for_plain_strings_or_jsonata_states() -> None:
    assert found(machine(S={"Type": "Pass", "Parameters": {"price": "$5", "a": "USD"}, "End": True})) == []
    jsonata = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"a": "$.x"}, "End": True}
    assert found(machine(S=jsonata)) == []


# --- CreateStateMachine ---------------------------------------------------------------------------


def test_create_accepts_what_validate_accepts() -> None:
    assert create_state_machine_check(machine(S=END)) is None


def test_create_joins_every_error_as_aws_does() -> None:
    definition = machine("A", A={"Type": "Pass", "Next": "NOPE"})
    with pytest.raises(InvalidDefinition) as refused:
        create_state_machine_check(definition)
    message = refused.value.message
    assert message.startswith("Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: ")
    assert message.endswith(" at /States/A/Next, MISSING_END_STATE: Workflow has no terminal state at null'")
    assert [d.code for d in refused.value.diagnostics] == ["MISSING_TRANSITION_TARGET", "MISSING_END_STATE"]


def test_create_refuses_an_express_callback_with_awss_message() -> None:
    definition = machine("Publish", Publish=task("arn:aws:states:::sns:publish.waitForTaskToken"))
    with pytest.raises(InvalidDefinition) as refused:
        create_state_machine_check(definition, type="EXPRESS")
    assert str(refused.value) == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine "
        "does not support '.waitForTaskToken' service integration  at "
        "/States/Publish/Resource'"
    )  # recorded


# --- robustness -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state, location",
    [
        ({"Type": "Pass", "ResultPath": [], "End": True}, "/States/S/ResultPath"),
        ({"Type": "Pass", "InputPath": {"a": 1}, "End": True}, "/States/S/InputPath"),
        ({"Type": "Wait", "SecondsPath": None, "End": True}, "/States/S/SecondsPath"),
        (task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "S", "ResultPath": 1}]), "/States/S/Catch/0/ResultPath"),
    ],
)
def test_path_fields_hold_strings(state: dict[str, Any], location: str) -> None:
    assert ("SCHEMA_VALIDATION_FAILED", location) in found(machine(S=state))


@pytest.mark.parametrize(
    "state",
    [
        {"Type": "Parallel", "Branches": [machine("X", X={"Type": "Nope"})], "End": True},
        {"Type": "Map", "ItemProcessor": machine("X", X={"Type": "Nope"}), "Iterator": BRANCH, "End": True},
        {"Type": "Nope", "Branches": [machine("Y", Y={"Type": "Pass", "ResultPath": []})]},
        {"Type": "Map", "ItemProcessor": [], "End": True},
    ],
)
def test_nested_machines_are_walked_as_the_structural_checks_walk_them(state: dict[str, Any]) -> None:
    assert validate(machine(S=state))["result"] == "FAIL"


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.sampled_from(["$.a", "$.a[", "{% 1 + %}", "{% $states.input %}", "S", "States.ALL"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
FIELDS = [
    "Type",
    "Next",
    "End",
    "Resource",
    "Parameters",
    "ResultPath",
    "Branches",
    "ItemProcessor",
    "Choices",
    "Retry",
    "Catch",
    "Assign",
    "Output",
    "QueryLanguage",
    "Label",
    "ItemReader",
    "Seconds",
    "Credentials",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["Pass", "Task", "Choice", "Wait", "Parallel", "Map", "Fail", "Succeed"]),
    st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=4),
    st.booleans(),
)
def test_any_shape_gets_an_answer_never_an_exception(kind: str, fields: dict[str, Any], jsonata: bool) -> None:
    definition = machine(S={"Type": kind, "Resource": LAMBDA, "End": True, **fields}, D=END)
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    answer = validate(definition, severity="WARNING")
    assert answer["result"] in ("OK", "FAIL")
    try:
        create_state_machine_check(definition)
    except InvalidDefinition as refused:
        assert refused.message.startswith(("Invalid State Machine Definition: '", "Error=ValueError"))


def test_a_broken_expression_does_not_take_over_other_problems() -> None:
    state = {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% 1 + %}", "End": True}
    assert found({"States": {"S": state}}) == [
        ("SCHEMA_VALIDATION_FAILED", "/"),
        ("INVALID_JSONATA_EXPRESSION", "/States/S/Output"),
    ]
