"""The application's Lambda functions out of SAM / CloudFormation / CDK templates and out of a plain mapping.

The fixtures under tests/data/templates_functions/ are written in each tool's own shape: ``sam-like`` as
``sam init`` lays out an application (two functions whose handlers are both ``app.lambda_handler``, a layer,
Globals), ``cdk.out`` as ``cdk synth`` writes a stack with asset folders, ``cfn`` with functions sfnlocal lists
but cannot run in-process. What a name or an ARN is follows Lambda's documentation of FunctionName.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfnlocal.integrations.lambda_functions.mapping import functions_from_mapping
from sfnlocal.templates import TemplateError, functions_from_template, load_template
from sfnlocal.templates.functions import _merge_globals

DATA = Path(__file__).resolve().parent / "data" / "templates_functions"
SAM = DATA / "sam-like" / "template.yaml"
CDK = DATA / "cdk.out" / "PaymentsStack.template.json"
CFN = DATA / "cfn" / "template.yaml"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:{}"
LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"


def _function_named(reference: str) -> str:
    """The function name in a FunctionName / Resource, as Lambda reads one: a name, ``name:qualifier``, a partial
    ARN ``account:function:name[:qualifier]`` or a full ARN ``arn:aws:lambda:region:account:function:name[:q]``."""
    parts = reference.split(":")
    if parts[0] == "arn":
        assert parts[2:6:3] == ["lambda", "function"], reference
        return parts[6]
    if len(parts) >= 3 and parts[1] == "function":
        return parts[2]
    return parts[0]


def _lambda_references(definition: dict[str, Any]) -> dict[str, str]:
    """{state name: how it names its function} for each Task that calls Lambda."""
    references = {}
    for name, state in definition["States"].items():
        resource = state.get("Resource", "")
        if resource.startswith(LAMBDA_INVOKE):
            references[name] = state["Parameters"]["FunctionName"]
        elif resource.startswith("arn:aws:lambda:"):
            references[name] = resource
    return references


# --- a SAM application ----------------------------------------------------------------------------


def test_sam_functions_are_named_as_cloudformation_names_them() -> None:
    functions = functions_from_template(SAM)
    # ChargeFunction has FunctionName: !Sub charge-${Stage}; ValidateFunction has none: its logical id
    assert sorted(functions) == ["ValidateFunction", "charge-test"]
    assert functions["charge-test"].logical_id == "ChargeFunction"
    assert functions["ValidateFunction"].logical_id == "ValidateFunction"


def test_two_functions_with_the_same_handler_have_their_own_code_folders() -> None:
    validate, charge = functions_from_template(SAM)["ValidateFunction"], functions_from_template(SAM)["charge-test"]
    assert validate.handler == charge.handler == "app.lambda_handler"
    assert validate.code == SAM.parent / "functions" / "validate"
    assert charge.code == SAM.parent / "functions" / "charge"
    assert (validate.inline_code, charge.inline_code) == (None, None)


def test_globals_merge_as_sam_merges_them() -> None:
    validate, charge = (functions_from_template(SAM)[name] for name in ("ValidateFunction", "charge-test"))
    # plain values: the function's own wins, else the Globals' value
    assert (validate.runtime, validate.timeout, validate.memory_mb) == ("python3.12", 10.0, 256)
    assert (charge.runtime, charge.timeout, charge.memory_mb) == ("python3.12", 5.0, 256)
    # Environment.Variables merge key by key, the function's value winning; values are strings
    assert dict(validate.environment) == {"STAGE": "test", "LOG_LEVEL": "INFO"}
    assert dict(charge.environment) == {
        "STAGE": "test",
        "LOG_LEVEL": "DEBUG",
        "TABLE_NAME": "orders-test",  # !Ref of a table: its TableName
        "MAX_ATTEMPTS": "3",  # a number becomes its text, as CloudFormation passes it
    }
    # the layer from Globals: its content folder, whose python/ holds the shared module
    for function in (validate, charge):
        assert function.layers == (SAM.parent / "layers" / "common",)
        assert (function.layers[0] / "python" / "orders_common.py").is_file()


def test_substitutions_rename_functions_and_definitions_alike() -> None:
    functions = functions_from_template(SAM, {"Stage": "prod"})
    assert sorted(functions) == ["ValidateFunction", "charge-prod"]
    assert functions["charge-prod"].environment["TABLE_NAME"] == "orders-prod"
    assert functions["charge-prod"].environment["STAGE"] == "prod"
    definition = load_template(SAM, "OrderStateMachine", {"Stage": "prod"})["OrderStateMachine"]
    assert definition["States"]["Charge"]["Parameters"]["FunctionName"] == "charge-prod"


def test_every_way_a_definition_names_a_function_names_one_of_the_template() -> None:
    functions = functions_from_template(SAM)
    naming = load_template(SAM, "NamingStateMachine")["NamingStateMachine"]
    references = _lambda_references(naming)
    assert references == {
        "SubArn": ARN.format("ValidateFunction"),  # !Sub "${Fn.Arn}"
        "BuiltArn": ARN.format("charge-test"),  # !Sub "arn:aws:lambda:${AWS::Region}:...:function:${Fn}"
        "LiteralName": "charge-test",  # the FunctionName written out
        "Latest": ARN.format("charge-test") + ":$LATEST",  # !Sub "${Fn.Arn}:$LATEST"
        "Alias": ARN.format("ValidateFunction") + ":live",  # SAM's !Ref Fn.Alias (AutoPublishAlias: live)
        "PartialArn": "123456789012:function:ValidateFunction:live",  # a partial ARN with a qualifier
    }
    for state, reference in references.items():
        assert _function_named(reference) in functions, state


@pytest.mark.parametrize("path", [SAM, CDK])
def test_each_lambda_task_of_each_state_machine_calls_a_function_of_its_template(path: Path) -> None:
    functions = functions_from_template(path)
    for logical_id, definition in load_template(path).items():
        references = _lambda_references(definition)
        assert references, logical_id
        for state, reference in references.items():
            assert _function_named(reference) in functions, (logical_id, state, reference)


def test_a_function_without_code_uri_is_the_template_folder_as_sam_cli_reads_it(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Handler: app.handler, Runtime: python3.12}\n"
    )
    assert functions_from_template(template)["Fn"].code == tmp_path.resolve()


def test_globals_layers_come_before_the_function_s_and_an_intrinsic_is_a_plain_value(tmp_path: Path) -> None:
    for name in ("shared", "own"):
        (tmp_path / name / "python").mkdir(parents=True)
    template = tmp_path / "template.yaml"
    template.write_text(
        """
Globals:
  Function:
    Layers: [!Ref Shared]
    Environment: {Variables: {A: from-globals, B: from-globals}}
Resources:
  Shared: {Type: AWS::Serverless::LayerVersion, Properties: {ContentUri: shared}}
  Own: {Type: AWS::Serverless::LayerVersion, Properties: {ContentUri: own/}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): return event"
      Handler: index.handler
      Layers: [!Ref Own]
      Environment: {Variables: !If [Always, {B: own}, {}]}
"""
    )
    function = functions_from_template(template)["Fn"]
    assert function.layers == (tmp_path.resolve() / "shared", tmp_path.resolve() / "own")
    # an intrinsic function is merged as a plain value: the function's replaces the Globals' object
    assert dict(function.environment) == {"B": "own"}
    assert function.inline_code == "def handler(event, context): return event"


@pytest.mark.parametrize(("stage", "layers"), [("test", ["own"]), ("prod", ["own", "extra"])])
def test_a_layer_chosen_by_a_condition(tmp_path: Path, stage: str, layers: list[str]) -> None:
    for name in ("own", "extra"):
        (tmp_path / name).mkdir()
    template = tmp_path / "template.yaml"
    template.write_text(
        """
Parameters: {Stage: {Type: String, Default: test}}
Conditions: {IsProd: !Equals [!Ref Stage, prod]}
Resources:
  Own: {Type: AWS::Serverless::LayerVersion, Properties: {ContentUri: own}}
  Extra: {Type: AWS::Lambda::LayerVersion, Metadata: {aws:asset:path: extra, aws:asset:property: Content}}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Code: {ZipFile: x}
      Layers: [!Ref Own, !If [IsProd, !GetAtt Extra.LayerVersionArn, !Ref AWS::NoValue]]
"""
    )
    function = functions_from_template(template, {"Stage": stage})["Fn"]
    assert function.layers == tuple(tmp_path.resolve() / name for name in layers)


@given(
    st.dictionaries(st.sampled_from("ABCDE"), st.text(max_size=3)),
    st.dictionaries(st.sampled_from("ABCDE"), st.text(max_size=3)),
)
def test_merged_variables_are_the_globals_updated_with_the_function_s(
    global_variables: dict[str, str], local_variables: dict[str, str]
) -> None:
    merged = _merge_globals(
        {"Environment": {"Variables": global_variables}}, {"Environment": {"Variables": local_variables}}
    )
    assert merged == {"Environment": {"Variables": {**global_variables, **local_variables}}}


# --- CDK's cdk.out --------------------------------------------------------------------------------


def test_cdk_asset_function_and_layer_are_their_asset_folders() -> None:
    [(name, function)] = functions_from_template(CDK).items()
    metadata = json.loads(CDK.read_text())["Resources"]["PayHandler6B7A9E21"]["Metadata"]
    assert name == function.logical_id == "PayHandler6B7A9E21"
    assert function.code == CDK.parent / metadata["aws:asset:path"]
    assert (function.code / "index.py").is_file()
    assert (function.handler, function.runtime, function.timeout) == ("index.handler", "python3.12", 30.0)
    [layer] = function.layers
    assert (layer / "python" / "payments_common.py").is_file()
    queue_url = "https://sqs.us-east-1.amazonaws.com/123456789012/PaymentsQueueA1B2C3D4"  # Ref of a queue: its URL
    assert dict(function.environment) == {"QUEUE_URL": queue_url}
    pay = load_template(CDK)["PaymentFlow0F1E2D3C"]["States"]["Pay"]
    assert pay["Parameters"]["FunctionName"] == ARN.format(name)


def test_the_existing_cdk_fixture_lists_its_inline_node_function() -> None:
    path = Path(__file__).resolve().parent / "data" / "templates" / "cdk.out" / "OrdersStack.template.json"
    function = functions_from_template(path)["ProcessOrder5B8AA5C4"]
    # Listed, so that a task calling it says how to mock it; its code is not read (sfnlocal runs Python only).
    assert (function.runtime, function.code, function.inline_code) == ("nodejs20.x", None, None)


# --- functions sfnlocal lists but does not run in-process -----------------------------------------


def test_unsupported_sources_are_listed_saying_so() -> None:
    functions = functions_from_template(CFN)
    image = functions["ImageFunction"]
    assert (image.runtime, image.code, image.inline_code, image.handler) == ("image", None, None, "")
    for name, runtime in (("S3Function", "python3.11"), ("SamS3Function", "python3.12")):
        assert (functions[name].runtime, functions[name].code, functions[name].inline_code) == (runtime, None, None)
    assert functions["NodeFunction"].runtime == "nodejs20.x"


def test_inline_code_and_configuration_as_cloudformation_passes_it() -> None:
    inline = functions_from_template(CFN)["inline-test"]
    assert inline.inline_code == "def handler(event, context):\n    return event\n"
    assert (inline.code, inline.handler) == (None, "index.handler")
    assert (inline.memory_mb, inline.timeout) == (512, 7.0)  # "512" and a Number parameter's "7"
    assert dict(inline.environment) == {"DEBUG": "true", "RATIO": "0.5", "EMPTY": ""}


def test_a_function_whose_condition_is_false_is_not_created() -> None:
    assert "ProdOnlyFunction" not in functions_from_template(CFN)
    assert "ProdOnlyFunction" in functions_from_template(CFN, {"Stage": "prod"})


def test_a_layer_given_by_its_arn_is_left_out() -> None:
    assert functions_from_template(CFN)["PowertoolsFunction"].layers == ()


# --- errors ---------------------------------------------------------------------------------------


def _template(folder: Path, properties: str, extra: str = "") -> Path:
    template = folder / "template.yaml"
    template.write_text(
        f"Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {properties}\n{extra}"
    )
    return template


def test_a_missing_code_folder_names_the_function_and_the_path(tmp_path: Path) -> None:
    template = _template(tmp_path, "{FunctionName: charge, CodeUri: src/charge, Handler: app.handler}")
    with pytest.raises(
        TemplateError, match=r"#Fn \(function charge\): its code folder \(CodeUri\) src/charge does not"
    ):
        functions_from_template(template)


def test_a_code_uri_naming_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "dist.zip").write_bytes(b"PK")
    with pytest.raises(TemplateError, match="CodeUri.* dist.zip is a file, not a folder"):
        functions_from_template(_template(tmp_path, "{CodeUri: dist.zip, Handler: app.handler}"))


def test_code_outside_the_template_folder_is_read_only_when_allowed(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "app").mkdir()
    template = _template(tmp_path / "app", "{CodeUri: ../shared, Handler: app.handler}")
    with pytest.raises(TemplateError, match="is outside the template's folder .*allow_outside_folder=True"):
        functions_from_template(template)
    assert functions_from_template(template, allow_outside_folder=True)["Fn"].code == (tmp_path / "shared").resolve()


def test_a_missing_layer_folder_names_the_layer(tmp_path: Path) -> None:
    template = _template(
        tmp_path,
        "{InlineCode: x, Handler: index.handler, Layers: [!Ref Deps]}",
        "  Deps: {Type: AWS::Serverless::LayerVersion, Properties: {ContentUri: layers/deps}}\n",
    )
    with pytest.raises(TemplateError, match="its layer Deps's content folder layers/deps does not exist"):
        functions_from_template(template)


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ("{InlineCode: x}", r"\(function Fn\) has no Handler; Lambda needs one"),
        ("{InlineCode: x, Handler: [a]}", "Handler must be a string, not a list of 1 item"),
        ("{InlineCode: x, Handler: h.h, Timeout: soon}", "Timeout must be a positive number, not 'soon'"),
        ("{InlineCode: x, Handler: h.h, MemorySize: 0}", "MemorySize must be a positive number, not 0"),
        ("{InlineCode: x, Handler: h.h, Layers: !Ref L}", "Layers must be a list of layer ARNs"),
        ("{InlineCode: x, Handler: h.h, Environment: {Variables: {A: {B: 1}}}}", "variable A is an object"),
        ("{InlineCode: x, Handler: h.h, Environment: {Variables: [A]}}", "Variables must be an object"),
    ],
)
def test_a_property_of_the_wrong_type_is_an_error_naming_it(tmp_path: Path, properties: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        functions_from_template(_template(tmp_path, properties))


def test_two_functions_with_one_name_are_an_error(tmp_path: Path) -> None:
    template = _template(
        tmp_path,
        "{FunctionName: charge, InlineCode: x, Handler: h.h}",
        "  Other:\n    Type: AWS::Lambda::Function\n"
        "    Properties: {FunctionName: charge, Handler: h.h, Code: {ZipFile: x}}\n",
    )
    with pytest.raises(TemplateError, match="the functions Fn and Other are both named 'charge'"):
        functions_from_template(template)


def test_a_definition_file_is_no_template(tmp_path: Path) -> None:
    (tmp_path / "flow.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}')
    with pytest.raises(TemplateError, match="flow.asl.json is not a SAM or CloudFormation template"):
        functions_from_template(tmp_path / "flow.asl.json")


# --- a plain mapping ------------------------------------------------------------------------------


def _app(folder: Path) -> Path:
    (folder / "functions" / "charge").mkdir(parents=True)
    (folder / "layers" / "deps" / "python").mkdir(parents=True)
    (folder / "functions" / "charge" / "app.py").write_text("def lambda_handler(event, context):\n    return 1\n")
    return folder


def test_a_mapping_names_a_handler_file_and_function(tmp_path: Path) -> None:
    base = _app(tmp_path)
    charge = functions_from_mapping({"charge": "functions/charge/app.py:lambda_handler"}, base)["charge"]
    assert (charge.name, charge.handler, charge.code) == ("charge", "app.lambda_handler", base / "functions/charge")
    assert charge.runtime is not None and charge.runtime.startswith("python3.")
    assert (charge.timeout, charge.memory_mb, charge.layers, dict(charge.environment)) == (3.0, 128, (), {})


def test_a_mapping_is_read_from_the_current_folder_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_app(tmp_path))
    charge = functions_from_mapping({"charge": "functions/charge/app.py:lambda_handler"})["charge"]
    assert charge.code == tmp_path.resolve() / "functions" / "charge"  # absolute: it does not depend on the folder


def test_a_mapping_entry_may_give_the_function_s_configuration(tmp_path: Path) -> None:
    base = _app(tmp_path)
    mapping = {
        "charge": {
            "handler": "functions/charge/app.py:lambda_handler",
            "environment": {"TABLE_NAME": "orders"},
            "timeout": 10,
            "memory_mb": 256,
            "layers": ["layers/deps"],
        }
    }
    given_before = json.dumps(mapping)
    charge = functions_from_mapping(mapping, base)["charge"]
    assert dict(charge.environment) == {"TABLE_NAME": "orders"}
    assert (charge.timeout, charge.memory_mb, charge.layers) == (10.0, 256, (base / "layers" / "deps",))
    assert json.dumps(mapping) == given_before  # nothing a user passes is changed


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            {"app.py:handler": "functions/charge/app.py:lambda_handler"},
            "'app.py:handler' is not a Lambda function name",
        ),
        (
            {"charge": "functions/charge/app.py"},
            "the function charge: 'functions/charge/app.py' is not FILE.py:FUNCTION",
        ),
        ({"charge": "functions/charge/app.lambda_handler"}, "is not FILE.py:FUNCTION"),
        ({"charge": "functions/charge/main.py:handler"}, "its handler file functions/charge/main.py does not exist"),
        ({"charge": {"handler": "functions/charge/app.py:h", "timout": 5}}, "unknown key timout; the keys are handler"),
        ({"charge": {"handler": "functions/charge/app.py:h", "environment": {"N": 1}}}, "environment must map"),
        ({"charge": {"handler": "functions/charge/app.py:h", "layers": ["nowhere"]}}, "its layer nowhere is not a"),
        ({"charge": {"handler": "functions/charge/app.py:h", "layers": "layers/deps"}}, "layers must be a list"),
        ({"charge": {"handler": "functions/charge/app.py:h", "timeout": True}}, "timeout must be a positive number"),
        ({"charge": 3}, r"the function charge: 3 is not FILE.py:FUNCTION"),
    ],
)
def test_a_bad_mapping_is_an_error_naming_the_function(tmp_path: Path, mapping: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        functions_from_mapping(mapping, _app(tmp_path))
