"""The command line runs an application's Lambda functions: ``run/test/graph/validate --template``, ``run
--functions``, ``--lambda-endpoint`` and ``--real-aws``.

The example application examples/approval (SAM: three Python functions, a Layer, Globals' environment
variables, a ``.waitForTaskToken`` callback) is run as a user runs it. Expected values come from its definition
and handlers (a total is the sum of price x quantity, over 100 asks for approval; the Layer's currency() is
the CURRENCY variable of Globals; record-decision records ``context.function_name``) and from AWS's documented
behaviour (Lambda's error shape: errorMessage, errorType, requestId, stackTrace; a mock of a
``.waitForTaskToken`` task gives what SendTaskSuccess would send).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import REPO, InvokeApi, invoke_api, machine

from sfnlocal.cli.main import main

TEMPLATE = "examples/approval/template.yaml"
SMALL_ORDER = '{"orderId": "o-1", "lines": [{"price": 20, "quantity": 2}]}'
LARGE_ORDER = "@examples/approval/input.json"
APPROVAL_MOCKS = "tests/data/mock_config/approval/MockConfigFile.json"
RECORDED_SMALL = {
    "orderId": "o-1",
    "total": 40,  # 20 x 2
    "currency": "EUR",  # Globals: CURRENCY, read by the Layer's currency()
    "approved": True,  # no approval asked below 100: recorded as automatic
    "by": "auto",
    "recordedBy": "record-decision",  # the function's FunctionName, its context.function_name
}
LARGE_TOTAL = 120.0 * 1 + 15.5 * 2  # examples/approval/input.json's lines


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository's root, as docs/lambdas.md does."""
    monkeypatch.chdir(REPO)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    """``sfnlocal run --json ...``: the exit code and what it printed."""
    code = main(["run", "--json", *argv])
    return code, json.loads(capsys.readouterr().out)


def write(path: Path, value: Any) -> str:
    path.write_text(json.dumps(value))
    return str(path)


def test_run_template_runs_the_handlers(capsys: pytest.CaptureFixture[str]) -> None:
    code, printed = run_json(capsys, "--template", TEMPLATE, "--input", SMALL_ORDER)
    assert (code, printed["status"]) == (0, "SUCCEEDED"), printed["cause"]
    assert printed["output"] == RECORDED_SMALL


def test_the_console_script_runs_the_template_in_a_subprocess() -> None:
    script = shutil.which("sfnlocal", path=os.path.dirname(sys.executable)) or shutil.which("sfnlocal")
    if script is None:
        pytest.skip("the sfnlocal console script is not installed")
    done = subprocess.run(
        [script, "run", "--template", TEMPLATE, "--input", SMALL_ORDER],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Execution ") and lines[0].endswith(" of ApprovalStateMachine")
    assert "Status: SUCCEEDED" in lines
    output = done.stdout.split("Output: ", 1)[1]
    assert json.loads(output) == RECORDED_SMALL


def test_a_large_order_fails_as_aws_would_without_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    # With --no-resources the template's table is not created: the approval handler's PutItem meets no table,
    # boto3 raises ResourceNotFoundException, an Unhandled function error in Lambda's shape.
    code, printed = run_json(capsys, "--template", TEMPLATE, "--no-resources", "--input", LARGE_ORDER)
    assert (code, printed["status"], printed["error"]) == (1, "FAILED", "ResourceNotFoundException")
    cause = json.loads(printed["cause"])
    assert sorted(cause) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert cause["errorType"] == "ResourceNotFoundException"
    assert "PutItem" in cause["errorMessage"]
    assert any("request_approval/app.py" in frame for frame in cause["stackTrace"])


def test_mocks_override_one_state_of_the_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mocks = write(tmp_path / "mocks.json", {"Request approval": {"returns": {"approved": True, "by": "cli"}}})
    code, printed = run_json(capsys, "--template", TEMPLATE, "--input", LARGE_ORDER, "--mocks", mocks)
    assert (code, printed["status"]) == (0, "SUCCEEDED"), printed["cause"]
    assert printed["output"] == {
        "orderId": "order-42",
        "total": LARGE_TOTAL,
        "currency": "EUR",
        "approved": True,
        "by": "cli",
        "recordedBy": "record-decision",
    }


def _charge_definition(tmp_path: Path) -> str:
    """A plain definition file whose Task invokes the function ``charge`` by name."""
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
        "OutputPath": "$.Payload",
        "End": True,
    }
    return write(tmp_path / "charge.asl.json", machine({"Charge": task}))


def _charge_functions(tmp_path: Path, body: str) -> str:
    """A --functions file mapping ``charge`` to src/app.py's handler (a path relative to the file)."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(f"import os\n\n\ndef handler(event, context):\n    {body}\n")
    return write(tmp_path / "functions.json", {"charge": "src/app.py:handler"})


def test_functions_file_maps_a_plain_definitions_function(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    definition = _charge_definition(tmp_path)
    functions = _charge_functions(tmp_path, "return {'charged': event['amount'], 'by': context.function_name}")
    code, printed = run_json(capsys, definition, "--functions", functions, "--input", '{"amount": 12}')
    assert (code, printed["output"]) == (0, {"charged": 12, "by": "charge"}), printed["cause"]


def test_a_functions_file_that_is_no_mapping_is_a_usage_error(tmp_path: Path, capsys) -> None:
    functions = write(tmp_path / "functions.json", ["src/app.py:handler"])
    assert main(["run", _charge_definition(tmp_path), "--functions", functions]) == 2
    assert "must hold an object mapping function names to handlers" in capsys.readouterr().err


def test_lambda_endpoint_sends_the_invocations_there(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    definition = _charge_definition(tmp_path)
    functions = _charge_functions(tmp_path, "raise AssertionError('the endpoint runs it, not sfnlocal')")
    InvokeApi.calls.clear()
    with invoke_api() as url:
        code, printed = run_json(
            capsys, definition, "--functions", functions, "--lambda-endpoint", url, "--input", '{"amount": 5}'
        )
    assert (code, printed["output"]) == (0, {"echo": {"amount": 5}, "function": "charge"}), printed["cause"]
    assert [(call["name"], call["type"]) for call in InvokeApi.calls] == [("charge", "RequestResponse")]


def test_real_aws_runs_the_handler_with_the_process_aws_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The handler makes no AWS call; it shows the credentials a boto3 client it made would use.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "the-users-own")
    definition = _charge_definition(tmp_path)
    functions = _charge_functions(tmp_path, "return os.environ.get('AWS_ACCESS_KEY_ID')")
    code, printed = run_json(capsys, definition, "--functions", functions, "--real-aws")
    assert (code, printed["output"]) == (0, "the-users-own"), printed["cause"]
    # Without --real-aws the handler runs in the in-process world, with its fake credentials.
    code, printed = run_json(capsys, definition, "--functions", functions)
    assert code == 0 and printed["output"] != "the-users-own"


def test_test_template_runs_a_mock_files_cases_with_the_functions(capsys: pytest.CaptureFixture[str]) -> None:
    # The mock file answers the approval request; Validate and Record run their real handlers.
    expect = {
        "ManagerApproves": {
            "output": {
                "orderId": "order-42",
                "total": LARGE_TOTAL,
                "currency": "EUR",
                "approved": True,
                "by": "ada",
                "recordedBy": "record-decision",
            },
            "path": ["Validate order", "Needs approval?", "Request approval", "Record decision"],
        },
        # The Throw's error "Rejected" is caught by the definition's Catch, which goes to the Fail state.
        "ManagerRejects": {"error": "OrderRejected"},
    }
    argv = ["test", "--template", TEMPLATE, "--mock-config", APPROVAL_MOCKS, "--input", LARGE_ORDER]
    assert main([*argv, "--expect", json.dumps(expect)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"2 test cases of ApprovalStateMachine from {APPROVAL_MOCKS}\n")
    assert "2 passed, 0 failed" in out
    wrong = {"ManagerApproves": {"output": {**expect["ManagerApproves"]["output"], "by": "bob"}}}
    assert main([*argv, "--expect", json.dumps(wrong)]) == 1
    assert "FAIL ManagerApproves" in capsys.readouterr().out


def test_test_template_picks_the_machine_by_logical_id(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["test", "--template", TEMPLATE, "--logical-id", "ApprovalStateMachine", "--mock-config", APPROVAL_MOCKS]
    # An order without lines: the Layer's order_total raises InvalidOrder, which the definition catches.
    expect = {"ManagerApproves": {"error": "OrderRejected"}, "ManagerRejects": {"error": "OrderRejected"}}
    empty = '{"orderId": "o-0", "lines": []}'
    assert main([*argv, "--input", empty, "--expect", json.dumps(expect)]) == 0
    assert "2 passed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "name a definition file with --definition DEF, or a SAM/CloudFormation template with --template FILE"),
        (
            ["--definition", "examples/approval/statemachine/approval.asl.json", "--template", TEMPLATE],
            "name a definition file with --definition DEF, or a SAM/CloudFormation template with --template FILE",
        ),
        (
            ["--definition", "examples/approval/statemachine/approval.asl.json", "--logical-id", "X"],
            "--logical-id needs --template FILE",
        ),
        (["--definition", TEMPLATE], f"pass it as --template {TEMPLATE}"),
        (["--template", TEMPLATE, "--logical-id", "Nope"], f"{TEMPLATE} has no state machine 'Nope'"),
    ],
)
def test_test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "--mock-config", APPROVAL_MOCKS, *argv]) == 2
    assert message in capsys.readouterr().err


def test_graph_template_draws_the_templates_machine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "--template", TEMPLATE]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart")
    for state in ("Validate order", "Needs approval?", "Request approval", "Record decision", "Rejected"):
        assert state in out


NODE_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Ship
        States:
          Ship:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters: {FunctionName: "${ShipArn}", Payload.$: $}
            Next: Charge
          Charge:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters: {FunctionName: "${ChargeArn}", Payload.$: $}
            End: true
      DefinitionSubstitutions:
        ShipArn: !GetAtt ShipFunction.Arn
        ChargeArn: !GetAtt ChargeFunction.Arn
  ShipFunction:
    Type: AWS::Serverless::Function
    Properties: {FunctionName: ship, CodeUri: ship/, Handler: index.handler, Runtime: nodejs20.x}
  ChargeFunction:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: charge/, Handler: app.handler, Runtime: python3.12}
  UnusedFunction:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: s3://bucket/unused.zip, Handler: app.handler, Runtime: python3.12}
"""


@pytest.fixture
def node_template(tmp_path: Path) -> str:
    (tmp_path / "charge").mkdir()
    (tmp_path / "charge" / "app.py").write_text("def handler(event, context):\n    return event\n")
    path = tmp_path / "template.yaml"
    path.write_text(NODE_TEMPLATE)
    return str(path)


def test_validate_template_warns_of_a_function_sfnlocal_cannot_run(
    node_template: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--template", node_template]) == 0  # a warning never fails validation
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"{node_template}#Machine: OK"
    (warning,) = lines[:-1]  # the function the machine does not call is not reported
    assert warning.startswith(f"{node_template}#Machine: WARNING LAMBDA_FUNCTION_NOT_RUNNABLE ")
    assert "'ship' (ShipFunction)" in warning and "nodejs20.x" in warning and "--lambda-endpoint" in warning


def test_validate_template_json_lists_the_functions_a_machine_calls(
    node_template: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--template", node_template, "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["result"], printed["diagnostics"]) == ("OK", [])  # AWS's response as it is
    assert printed["functions"] == [
        {
            "name": "ship",
            "logicalId": "ShipFunction",
            "runtime": "nodejs20.x",
            "runsInProcess": False,
            "reason": "its runtime is nodejs20.x: sfnlocal runs Python handlers only",
        },
        {"name": "ChargeFunction", "logicalId": "ChargeFunction", "runtime": "python3.12", "runsInProcess": True},
    ]


def test_validate_template_with_a_computed_function_name_reports_every_function(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # FunctionName.$ may name any function of the template: those sfnlocal cannot run are all reported.
    template = NODE_TEMPLATE.replace('FunctionName: "${ChargeArn}"', "FunctionName.$: $.fn")
    path = tmp_path / "template.yaml"
    path.write_text(template)
    (tmp_path / "charge").mkdir()
    assert main(["validate", "--template", str(path), "--format", "json"]) == 0
    reasons = {f["name"]: f.get("reason") for f in json.loads(capsys.readouterr().out)["functions"]}
    assert reasons == {
        "ship": "its runtime is nodejs20.x: sfnlocal runs Python handlers only",
        "ChargeFunction": None,
        "UnusedFunction": "its code is not in a local folder (CodeUri or Code in S3): sfnlocal runs handlers "
        "from local code",
    }
