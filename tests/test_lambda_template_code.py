"""An ``AWS::Lambda::Function`` whose ``Code`` is a local folder, and an ``AWS::Lambda::LayerVersion`` whose
``Content`` is one: the shape ``sam build`` writes into ``.aws-sam/build/template.yaml`` for such resources
and ``aws cloudformation package`` reads (AWS CLI docs: "Code property for the AWS::Lambda::Function
resource", "Content property for the AWS::Lambda::LayerVersion resource" may be local paths). The functions
run from their folders, through the public API and the command line; a string in S3 stays unrunnable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sfnlocal import StateMachine

TEMPLATE = """
Resources:
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/flow
      DefinitionString: !Sub |
        {"StartAt": "Greet", "States": {"Greet": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
         "Parameters": {"FunctionName": "${GreetFunction}", "Payload.$": "$"}, "OutputPath": "$.Payload",
         "End": true}}}
  GreetFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.lambda_handler
      Role: arn:aws:iam::123456789012:role/greet
      Code: GreetFunction
      Layers: [!Ref CommonLayer]
  CommonLayer:
    Type: AWS::Lambda::LayerVersion
    Properties:
      Content: CommonLayer
      CompatibleRuntimes: [python3.12]
"""


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A template with its function's and layer's folders, as `sam build` lays them out."""
    (tmp_path / "GreetFunction").mkdir()
    (tmp_path / "GreetFunction" / "app.py").write_text(
        "from greeting import greet\n\ndef lambda_handler(event, context):\n"
        "    return {'text': greet(event['name']), 'function': context.function_name}\n"
    )
    (tmp_path / "CommonLayer" / "python").mkdir(parents=True)
    (tmp_path / "CommonLayer" / "python" / "greeting.py").write_text("def greet(name):\n    return 'Hello, ' + name\n")
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    return tmp_path / "template.yaml"


def test_a_code_folder_and_a_layer_content_folder_run_from_the_template(built: Path) -> None:
    run = StateMachine.from_template(built, resources=False).execute({"name": "Ada"})
    assert (run.status, run.output) == ("SUCCEEDED", {"text": "Hello, Ada", "function": "GreetFunction"})


def test_the_command_line_runs_it_too(built: Path) -> None:
    command = [sys.executable, "-m", "sfnlocal", "run", "--template", str(built), "--no-resources", "--json"]
    done = subprocess.run([*command, "--input", '{"name": "Bob"}'], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["output"] == {"text": "Hello, Bob", "function": "GreetFunction"}


def test_a_missing_code_folder_fails_the_task_naming_the_function_and_the_path(built: Path) -> None:
    built.write_text(TEMPLATE.replace("Code: GreetFunction", "Code: nowhere"))
    run = StateMachine.from_template(built, resources=False).execute({"name": "Ada"})
    assert (run.status, run.error) == ("FAILED", "sfnlocal.MockMissing")
    assert f"(function GreetFunction): its code folder (Code) nowhere does not exist ({built.parent / 'nowhere'})" in (
        run.cause or ""
    )


def test_code_in_s3_given_as_a_uri_is_listed_but_cannot_run(built: Path) -> None:
    built.write_text(TEMPLATE.replace("Code: GreetFunction", "Code: s3://bucket/greet.zip"))
    run = StateMachine.from_template(built, resources=False).execute({"name": "Ada"})
    assert (run.status, run.error) == ("FAILED", "sfnlocal.MockMissing")
    assert "its code is not in a local folder" in (run.cause or "")
