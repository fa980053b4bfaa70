"""Definitions from SAM, CloudFormation, CDK and Terraform files (sfnlocal.templates).

The fixtures under tests/data/templates/ are small templates written in each tool's own shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sfnlocal import StateMachine, mocks
from sfnlocal.templates import TemplateError, load_template
from sfnlocal.validation import validate

DATA = Path(__file__).resolve().parent / "data" / "templates"
SAM, CFN = DATA / "sam" / "template.yaml", DATA / "cfn" / "template.yaml"
CDK = DATA / "cdk.out" / "OrdersStack.template.json"
TERRAFORM = DATA / "terraform" / "workflow.asl.json"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:{}"


@pytest.mark.parametrize("path", [SAM, CFN, CDK])
def test_every_state_machine_of_a_template_validates(path: Path) -> None:
    definitions = load_template(path)
    assert definitions
    for logical_id, definition in definitions.items():
        assert validate(definition, severity="WARNING")["diagnostics"] == [], logical_id


# --- SAM ------------------------------------------------------------------------------------------


def test_sam_definition_with_substitutions_from_intrinsics() -> None:
    definition = load_template(SAM)["OrderStateMachine"]
    states = definition["States"]
    assert definition["Comment"] == "Orders (test)"  # !Sub with a parameter's default
    assert states["Charge"]["Parameters"]["FunctionName"] == FUNCTION.format("ChargeFunction")  # !GetAtt Fn.Arn
    assert states["Record"]["Parameters"]["TableName"] == "orders"  # !Ref of a table: its TableName
    # !Sub with pseudo parameters and a parameter without a default: a clear placeholder
    assert states["Notify"]["Parameters"]["TopicArn"] == "arn:aws:sns:us-east-1:123456789012:<AlertTopicName>"
    assert states["Notify"]["Parameters"]["Message"] == "test order placed"  # !If on a condition


def test_sam_definition_uri_reads_the_local_file_and_substitutes_numbers_unquoted() -> None:
    definition = load_template(SAM, logical_id="ShippingStateMachine")
    assert list(definition) == ["ShippingStateMachine"]
    states = definition["ShippingStateMachine"]["States"]
    assert states["Book courier"]["Resource"] == FUNCTION.format("book-courier-test")  # FunctionName: !Sub ...
    assert states["Wait for pickup"]["Seconds"] == 3600


def test_caller_substitutions_override_parameters_pseudo_parameters_and_definition_substitutions() -> None:
    definitions = load_template(
        SAM, substitutions={"Stage": "prod", "AlertTopicName": "alerts", "AWS::Region": "eu-west-1", "WaitSeconds": 5}
    )
    states = definitions["OrderStateMachine"]["States"]
    assert definitions["OrderStateMachine"]["Comment"] == "Orders (prod)"
    assert states["Notify"]["Parameters"] == {
        "TopicArn": "arn:aws:sns:eu-west-1:123456789012:alerts",
        "Message": "order placed",
    }
    assert states["Charge"]["Parameters"]["FunctionName"] == FUNCTION.format("ChargeFunction").replace(
        "us-east-1", "eu-west-1"
    )
    assert definitions["ShippingStateMachine"]["States"]["Wait for pickup"]["Seconds"] == 5


def test_a_sam_state_machine_runs_with_mocks_by_state_name() -> None:
    sm = StateMachine.from_template(SAM, logical_id="OrderStateMachine")
    run = sm.execute(
        {"orderId": "o-1"},
        mocks={"Charge": mocks.returns({"ok": True}), "Record": mocks.returns({}), "Notify": mocks.returns({})},
    )
    assert (sm.name, run.status) == ("OrderStateMachine", "SUCCEEDED")


# --- CloudFormation -------------------------------------------------------------------------------


def test_definition_string_with_fn_sub_and_its_variable_map() -> None:
    states = load_template(CFN)["SubMachine"]["States"]
    assert states["Enqueue"]["Parameters"]["QueueUrl"] == "https://sqs.us-east-1.amazonaws.com/123456789012/WorkQueue"
    assert states["Enqueue"]["Retry"][0]["MaxAttempts"] == 3  # from !FindInMap through the Sub variable map
    assert states["Process"]["Resource"] == FUNCTION.format("order-worker")  # ${Worker.Arn}, its FunctionName


def test_definition_string_with_fn_join() -> None:
    states = load_template(CFN)["JoinMachine"]["States"]
    assert states["Run"]["Resource"] == FUNCTION.format("order-worker")
    assert states["Child"]["Parameters"]["StateMachineArn"] == (  # !Ref of a state machine is its ARN
        "arn:aws:states:us-east-1:123456789012:stateMachine:SubMachine"
    )


def test_definition_object_and_s3_location_next_to_the_template() -> None:
    definitions = load_template(CFN)
    assert definitions["ObjectMachine"]["States"]["Publish"]["Parameters"]["Entries"][0]["EventBusName"] == "orders"
    assert definitions["S3Machine"]["States"]["Work"]["Resource"] == FUNCTION.format("order-worker")


def test_json_templates_and_template_order() -> None:
    assert list(load_template(CFN)) == ["SubMachine", "JoinMachine", "ObjectMachine", "S3Machine"]


# --- CDK ------------------------------------------------------------------------------------------


def test_cdk_synth_output() -> None:
    [(logical_id, definition)] = load_template(CDK).items()
    assert logical_id == "OrderFlow7C3E5D9A"
    process = definition["States"]["Process"]
    assert process["Resource"] == "arn:aws:states:::lambda:invoke"  # "arn:" + Ref AWS::Partition + ...
    assert process["Parameters"]["FunctionName"] == FUNCTION.format("ProcessOrder5B8AA5C4")
    assert definition["States"]["Save"]["Parameters"]["TableName"] == "OrdersTable3A2D6F1E"


def test_a_cdk_state_machine_runs_with_mocks_by_resource_arn() -> None:
    sm = StateMachine.from_template(CDK)
    run = sm.execute(
        {"id": "1"},
        mocks={FUNCTION.format("ProcessOrder5B8AA5C4"): lambda event, context: event, "Save": mocks.returns({})},
    )
    assert run.status == "SUCCEEDED" and run.state("Process").output == {"id": "1"}


# --- Terraform ------------------------------------------------------------------------------------


def test_terraform_templatefile_placeholders() -> None:
    values = {"environment": "dev", "processor_arn": FUNCTION.format("processor"), "timeout_seconds": 30}
    [(logical_id, definition)] = load_template(TERRAFORM, substitutions=values).items()
    assert logical_id == "workflow"
    assert definition["Comment"] == "A Terraform templatefile: dev environment"
    assert definition["States"]["Invoke"]["TimeoutSeconds"] == 30
    assert definition["States"]["Invoke"]["Parameters"]["FunctionName"] == FUNCTION.format("processor")
    assert definition["States"]["Done"]["Result"] == "${not a placeholder}"  # $${ is a literal ${


def test_terraform_placeholders_without_values_are_named() -> None:
    with pytest.raises(
        TemplateError,
        match="placeholders without a value: environment, processor_arn, timeout_seconds; pass them as substitutions=",
    ):
        load_template(TERRAFORM, substitutions={})


def test_a_plain_definition_file_loads_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "plain.asl.yaml"
    path.write_text("StartAt: A\nStates:\n  A: {Type: Succeed}\n")
    assert load_template(path) == {"plain": {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}}


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, logical_id, message",
    [
        (DATA / "cfn" / "no-state-machines.json", None, "defines no state machine"),
        (
            SAM,
            "ChargeFunction",
            "has no state machine 'ChargeFunction'; its state machines are OrderStateMachine, ShippingStateMachine",
        ),
        (DATA / "missing.yaml", None, "cannot read"),
        (
            DATA / "cfn" / "missing-definition-file.yaml",
            "Remote",
            "s3://my-artifacts/remote/definition.asl.json is not a local file",
        ),
        (DATA / "cfn" / "missing-definition-file.yaml", "Local", "statemachine/nowhere.asl.json is not a local file"),
        (TERRAFORM, "other", "has no state machine 'other'"),
    ],
)
def test_clear_errors(path: Path, logical_id: str | None, message: str) -> None:
    with pytest.raises(TemplateError, match=message.replace(".", r"\.").replace("'", ".")):
        load_template(
            path, logical_id=logical_id, substitutions={"environment": "", "processor_arn": "", "timeout_seconds": 1}
        )


def test_a_definition_that_is_not_json_after_substitution(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
        "      DefinitionString: '{\"StartAt\": ${Start}}'\n"
    )
    with pytest.raises(TemplateError, match="placeholders left unresolved: Start"):
        load_template(template)


def test_from_template_needs_a_logical_id_when_there_are_several() -> None:
    with pytest.raises(ValueError, match="defines 2 state machines"):
        StateMachine.from_template(SAM)
