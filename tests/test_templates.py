"""Definitions from SAM, CloudFormation, CDK and Terraform files (sfnlocal.templates).

The fixtures under tests/data/templates/ are small templates written in each tool's own shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sfnlocal import StateMachine, mocks
from sfnlocal.templates import TemplateError, load_template
from sfnlocal.templates.provisioning import ResourceNotCreated
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
    # This cut-down template's table names a key it does not define, which DynamoDB (moto, and AWS) refuses: the
    # run goes on without the table, and says so once.
    with pytest.warns(ResourceNotCreated, match="OrdersTable3A2D6F1E.*Invalid KeySchema"):
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
    # Loaded as a state machine, a lone definition has no Lambda functions of its own
    machine = StateMachine.from_template(TERRAFORM, substitutions=values)
    assert (machine.name, machine.functions) == ("workflow", {})


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


# --- bad input: intrinsics, files, YAML ------------------------------------------------------------------

_MACHINE = """
Conditions:
  Loops: {Condition: Loops}
  Ping: {"Fn::Not": [{Condition: Pong}]}
  Pong: {Condition: Ping}
Mappings:
  Functions: {prod: {Charge: arn:aws:lambda:us-east-1:123456789012:function:charge}}
Resources:
  Orders:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        StartAt: S
        States:
          S: {Type: Pass, End: true, Result: %s}
"""


@pytest.mark.parametrize(
    ("intrinsic", "message"),
    [
        ("!Select [3, [a, b]]", "Fn::Select index 3 is out of range: the list has 2 items"),
        ("!Select [first, [a, b]]", "Fn::Select needs a whole number as its index, but got 'first'"),
        ("!Select [0, just-text]", "Fn::Select needs a list as the values to select from"),
        ("!FindInMap [Functions, dev, Charge]", "Fn::FindInMap finds no top-level key 'dev' in the Mappings"),
        ("!FindInMap [Functions, prod, Refund]", "Fn::FindInMap finds no second-level key 'Refund'"),
        ("!FindInMap [Queues, prod, Charge]", "Fn::FindInMap finds no map 'Queues'"),
        ("!FindInMap [Functions, prod]", "Fn::FindInMap needs a list of 3 items"),
        ("!If [Loops, a, b]", "the condition Loops refers to itself"),
        ("!If [Ping, a, b]", "the condition Ping refers to itself (the condition Ping -> the condition Pong"),
        ("!If [Loops, a]", "Fn::If needs a list of 3 items"),
        ("!Base64 [a, b]", "Fn::Base64 needs a string as its argument, but got a list of 2 items"),
        ("!Join [',', a]", "Fn::Join needs a list as the values to join"),
        ("!Join [',', [[a]]]", "Fn::Join joins strings (and numbers)"),
        ("!Split [',']", "Fn::Split needs a list of 2 items"),
        ("!Sub [a, b, c]", "Fn::Sub needs a string or [string, {variables}]"),
        ("!GetAtt [Orders]", "Fn::GetAtt needs 'Resource.Attribute' or [Resource, Attribute]"),
        ("!Ref [Orders]", "Ref needs a string"),
        ("!Length abc", "Fn::Length needs a list"),
        ("!ImportValue [a]", "Fn::ImportValue needs a string"),
        ('{"Fn::And": [{Condition: Ping}]}', "Fn::And needs 2 to 10 conditions, but got 1"),
    ],
)
def test_an_intrinsic_that_cannot_be_resolved_names_the_resource_and_the_function(
    tmp_path: Path, intrinsic: str, message: str
) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(_MACHINE % intrinsic)
    with pytest.raises(TemplateError) as refused:
        load_template(template)
    assert str(refused.value).startswith(f"{template}#Orders: ")
    assert message in str(refused.value)


def test_a_resource_name_that_refers_to_itself_is_refused(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n  Charge: {Type: AWS::Lambda::Function, Properties: {FunctionName: !Ref Charge}}\n"
        "  Orders:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
        "      Definition: {StartAt: T, States: {T: {Type: Task, Resource: !GetAtt Charge.Arn, End: true}}}\n"
    )
    with pytest.raises(TemplateError, match="the resource Charge's FunctionName refers to itself"):
        load_template(template)


def _uri_template(folder: Path, uri: str) -> Path:
    template = folder / "template.yaml"
    template.write_text(
        f"Resources:\n  Orders:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: {uri}\n"
    )
    return template


DEFINITION = '{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}'


@pytest.mark.parametrize("uri", ["../outside.asl.json", "inside/../../outside.asl.json", "ABSOLUTE"])
def test_a_definition_file_outside_the_template_folder_is_read_only_when_allowed(tmp_path: Path, uri: str) -> None:
    (tmp_path / "outside.asl.json").write_text(DEFINITION)
    project = tmp_path / "project"
    (project / "inside").mkdir(parents=True)
    template = _uri_template(project, str(tmp_path / "outside.asl.json") if uri == "ABSOLUTE" else uri)
    with pytest.raises(TemplateError, match="is outside the template's folder .*allow_outside_folder=True"):
        load_template(template)
    assert load_template(template, allow_outside_folder=True)["Orders"]["StartAt"] == "S"
    assert StateMachine.from_template(template, allow_outside_folder=True).execute().status == "SUCCEEDED"


def test_a_link_inside_the_folder_to_a_file_outside_it_is_outside(tmp_path: Path) -> None:
    (tmp_path / "secret.asl.json").write_text(DEFINITION)
    project = tmp_path / "project"
    project.mkdir()
    (project / "linked.asl.json").symlink_to(tmp_path / "secret.asl.json")
    with pytest.raises(TemplateError, match="is outside the template's folder"):
        load_template(_uri_template(project, "linked.asl.json"))


def test_files_in_folders_inside_the_template_folder_are_read(tmp_path: Path) -> None:
    (tmp_path / "statemachine").mkdir()
    (tmp_path / "statemachine" / "orders.asl.json").write_text(DEFINITION)
    assert load_template(_uri_template(tmp_path, "statemachine/orders.asl.json"))["Orders"]["StartAt"] == "S"


def test_no_error_shows_what_a_definition_file_holds(tmp_path: Path) -> None:
    (tmp_path / "orders.asl.json").write_text('{"StartAt": "S", "password": "hunter2" oops}')
    with pytest.raises(TemplateError) as refused:
        load_template(_uri_template(tmp_path, "orders.asl.json"))
    assert "line 1 column 40" in str(refused.value)
    assert "hunter2" not in str(refused.value)


def test_files_that_are_not_utf8_are_refused_with_where(tmp_path: Path) -> None:
    (tmp_path / "orders.asl.json").write_bytes(b'{"StartAt": "\xff"}')
    with pytest.raises(
        TemplateError, match=r"orders.asl.json: it is not UTF-8 text \(byte 0xff at line 1, column 14\)"
    ):
        load_template(_uri_template(tmp_path, "orders.asl.json"))
    template = tmp_path / "latin1.yaml"
    template.write_bytes(b"Resources: {}\n# caf\xe9\n")
    with pytest.raises(TemplateError, match=r"latin1.yaml: it is not UTF-8 text \(byte 0xe9 at line 2, column 6\)"):
        load_template(template)


def test_yaml_alias_bombs_and_self_reference_in_a_template_are_refused(tmp_path: Path) -> None:
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    template = tmp_path / "template.yaml"
    template.write_text("\n".join(levels) + "\nResources: {}\n")
    with pytest.raises(TemplateError, match="holds more than 1,048,576 values once its YAML aliases are expanded"):
        load_template(template)
    template.write_text("Resources: &r {Loop: *r}\n")
    with pytest.raises(TemplateError, match=r"holds a YAML alias \(\*r, line 1, column 22\) inside the value it names"):
        load_template(template)


def test_a_loaded_machine_is_named_as_the_template_names_it(tmp_path: Path) -> None:
    # The name CloudFormation gives the state machine (StateMachineName; SAM's Name, resolved), which its ARN,
    # $$.StateMachine.Name and the definitions that !Ref it use; the logical id where the template names none.
    template = tmp_path / "template.yaml"
    template.write_text(
        """
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: !Sub "orders-${AWS::Region}"
      Definition:
        StartAt: P
        States:
          P: {Type: Pass, Parameters: {"id.$": "$$.StateMachine.Id", "name.$": "$$.StateMachine.Name"}, End: true}
  Shipping:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineName: shipping
      RoleArn: arn:aws:iam::123456789012:role/r
      Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}
  Unnamed:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/r
      Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}
"""
    )
    orders = StateMachine.from_template(template, logical_id="Orders", resources=False)
    assert orders.execute({}).output == {
        "id": "arn:aws:states:us-east-1:123456789012:stateMachine:orders-us-east-1",
        "name": "orders-us-east-1",
    }
    assert StateMachine.from_template(template, logical_id="Shipping", resources=False).name == "shipping"
    assert StateMachine.from_template(template, logical_id="Unnamed", resources=False).name == "Unnamed"
    assert StateMachine.from_template(template, logical_id="Shipping", name="mine", resources=False).name == "mine"
