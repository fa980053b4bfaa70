"""StateMachine wires the Lambda functions of a template (or of a plain mapping) to the Tasks that call them.

The example application examples/approval (SAM: three Python functions sharing a Layer, Globals' environment
variables, a ``.waitForTaskToken`` callback) is run end to end. Expected values come from its definition and
handlers (a total is the sum of price x quantity; a total over 100 asks for approval; the Layer's currency() is
the CURRENCY variable of Globals; record-decision records ``context.function_name``) and from AWS's documented
behaviour (a ``lambda:invoke`` result's Payload; Lambda's error shape; SendTaskSuccess's output as the task's
result; a mock keyed by state name or function name).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from support import REPO, machine

from sfnlocal import AwsWorld, MockKeyError, StateMachine, mocks

APPROVAL = REPO / "examples" / "approval"
TEMPLATE = APPROVAL / "template.yaml"
SMALL_ORDER = {"orderId": "o-1", "lines": [{"price": 20, "quantity": 2}]}
LARGE_ORDER = json.loads((APPROVAL / "input.json").read_text())
FUNCTIONS = ["RequestApprovalFunction", "ValidateOrderFunction", "record-decision"]
INVOKE = "arn:aws:states:::lambda:invoke"
MOCK_MISSING = "sfnlocal.MockMissing"


def approval(**options: Any) -> StateMachine:
    return StateMachine.from_template(TEMPLATE, **options)


def large_total() -> float:
    """The large order's total as the Layer's order_total computes it."""
    return round(sum(line["price"] * line["quantity"] for line in LARGE_ORDER["lines"]), 2)


def test_from_template_wires_the_templates_functions_to_their_tasks() -> None:
    sm = approval()
    assert (sm.name, sorted(sm.functions)) == ("ApprovalStateMachine", FUNCTIONS)
    record = sm.functions["record-decision"]
    assert (record.logical_id, record.runtime, record.timeout, record.memory_mb) == (
        "RecordDecisionFunction",
        "python3.12",
        10.0,
        256,
    )
    run = sm.execute(SMALL_ORDER)
    assert run.status == "SUCCEEDED", run.cause
    assert run.path == ["Validate order", "Needs approval?", "Record decision"]
    # Validate's Payload (OutputPath $.Payload) has the total and the Layer's currency (CURRENCY of Globals);
    # Record, with no approval in its event, records the automatic one under its own function name.
    assert run.output == {
        "orderId": "o-1",
        "total": 40,
        "currency": "EUR",
        "approved": True,
        "by": "auto",
        "recordedBy": "record-decision",
    }
    # The lambda:invoke task's result is Lambda's Invoke response around the handler's result (the Payload).
    succeeded = [event for event in run.to_dict()["history"] if event["type"] == "TaskSucceeded"]
    envelope = json.loads(succeeded[0]["taskSucceededEventDetails"]["output"])
    assert (envelope["StatusCode"], envelope["ExecutedVersion"]) == (200, "$LATEST")
    assert envelope["Payload"] == {"orderId": "o-1", "total": 40, "currency": "EUR"}


def test_a_mock_by_state_name_wins_over_the_function() -> None:
    run = approval().execute(SMALL_ORDER, mocks={"Validate order": mocks.returns({"orderId": "o-1", "total": 7})})
    assert run.status == "SUCCEEDED", run.cause
    # The mock's Payload went on to the real Record handler, which adds the Layer's currency.
    assert (run.output["total"], run.output["currency"], run.output["recordedBy"]) == (7, "EUR", "record-decision")


def test_a_mock_keyed_by_a_template_functions_name_is_accepted_and_used() -> None:
    # The Task names the function by its ARN (DefinitionSubstitutions: !GetAtt ...Arn); the mock by its name.
    run = approval().execute(
        SMALL_ORDER, mocks={"ValidateOrderFunction": mocks.returns({"orderId": "o-1", "total": 3})}
    )
    assert run.status == "SUCCEEDED", run.cause
    assert run.output["total"] == 3


def test_a_misspelt_mock_key_lists_the_nearest_names() -> None:
    with pytest.raises(MockKeyError, match=r"'Validate ordr'.*did you mean 'Validate order'"):
        approval().execute(SMALL_ORDER, mocks={"Validate ordr": mocks.returns({})})
    with pytest.raises(MockKeyError, match=r"'record-decisoin'.*did you mean 'record-decision'"):
        approval().execute(SMALL_ORDER, mocks={"record-decisoin": mocks.returns({})})


def test_functions_false_leaves_the_functions_out() -> None:
    sm = approval(functions=False)
    assert sm.functions == {}
    run = sm.execute(SMALL_ORDER)
    # Nothing serves the lambda:invoke task: it fails with sfnlocal's MockMissing, naming the state.
    assert (run.status, run.error) == ("FAILED", MOCK_MISSING)
    assert "Validate order" in (run.cause or "")


def test_a_functions_mapping_adds_and_replaces_functions(tmp_path: Path) -> None:
    (tmp_path / "record.py").write_text(
        "def handler(event, context):\n    return {'recorded': event['total'], 'by': context.function_name}\n"
    )
    (tmp_path / "extra.py").write_text("def handler(event, context):\n    return 'extra'\n")
    sm = approval(
        functions={"record-decision": f"{tmp_path}/record.py:handler", "extra": f"{tmp_path}/extra.py:handler"}
    )
    assert sorted(sm.functions) == sorted([*FUNCTIONS, "extra"])
    assert sm.functions["record-decision"].code == tmp_path.resolve()
    run = sm.execute(SMALL_ORDER)
    assert run.output == {"recorded": 40, "by": "record-decision"}


def test_from_dict_takes_a_plain_mapping_of_functions(tmp_path: Path) -> None:
    app = tmp_path / "path"
    app.mkdir()
    (app / "app.py").write_text("def handler(event, context):\n    return {'charged': event['amount'] * 2}\n")
    definition = machine(
        {
            "Charge": {
                "Type": "Task",
                "Resource": INVOKE,
                "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
                "OutputPath": "$.Payload",
                "End": True,
            }
        }
    )
    sm = StateMachine.from_dict(definition, functions={"charge": str(app / "app.py") + ":handler"})
    assert sm.execute({"amount": 21}).output == {"charged": 42}


def _template(tmp_path: Path, function: str) -> Path:
    """A SAM template whose state machine calls one function, ``Charge``, in a Task whose errors it catches."""
    definition = machine(
        {
            "Charge": {
                "Type": "Task",
                "Resource": INVOKE,
                "Parameters": {"FunctionName": "${ChargeArn}", "Payload.$": "$"},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Succeed"},
        }
    )
    path = tmp_path / "template.yaml"
    path.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Machine:\n"
        "    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n"
        f"      Definition: {json.dumps(definition)}\n"
        "      DefinitionSubstitutions:\n"
        "        ChargeArn: !GetAtt ChargeFunction.Arn\n"
        "  ChargeFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        f"{function}"
    )
    return path


def test_a_function_whose_code_folder_is_missing_fails_its_task_naming_the_folder(tmp_path: Path) -> None:
    path = _template(tmp_path, "      CodeUri: charge/\n      Handler: app.handler\n      Runtime: python3.12\n")
    sm = StateMachine.from_template(path)  # it loads all the same: a test may mock the function
    assert sm.functions["ChargeFunction"].unavailable is not None
    run = sm.execute({})
    # sfnlocal's own error, not the workflow's: the definition's Catch (States.ALL) does not catch it.
    assert (run.status, run.error, run.path) == ("FAILED", MOCK_MISSING, ["Charge"])
    assert "charge/" in (run.cause or "") and "does not exist" in (run.cause or "")
    assert "mocks={'Charge': mocks.returns(" in (run.cause or "")
    assert sm.execute({}, mocks={"Charge": mocks.returns({})}).path == ["Charge"]


def test_a_function_of_another_runtime_fails_its_task_saying_how_to_mock_it(tmp_path: Path) -> None:
    path = _template(tmp_path, "      CodeUri: charge/\n      Handler: index.handler\n      Runtime: nodejs20.x\n")
    run = StateMachine.from_template(path).execute({})
    assert (run.status, run.error, run.path) == ("FAILED", MOCK_MISSING, ["Charge"])
    assert "nodejs20.x" in (run.cause or "") and "mocks={'Charge': mocks.returns(" in (run.cause or "")


def test_two_executions_give_identical_results() -> None:
    sm = approval()
    first, second = sm.execute(SMALL_ORDER, seed=7).to_dict(), sm.execute(SMALL_ORDER, seed=7).to_dict()
    assert first == second
    # The handlers' request ids (Lambda's x-amzn-RequestId) are in the history, drawn from the seed.
    events = [event for event in first["history"] if event["type"] == "TaskSucceeded"]
    request_ids = [json.loads(event["taskSucceededEventDetails"]["output"])["SdkResponseMetadata"] for event in events]
    assert len({ids["RequestId"] for ids in request_ids}) == 2
    other = sm.execute(SMALL_ORDER, seed=8).to_dict()
    assert other["history"] != first["history"]


def _approval_world() -> None:
    """The resources the approval handlers use, created in the current in-process world: the ApprovalsTable
    (SimpleTable without TableName: named by its logical id, key orderId) and the ApprovalTopic."""
    boto3.client("dynamodb").create_table(
        TableName="ApprovalsTable",
        KeySchema=[{"AttributeName": "orderId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "orderId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    boto3.client("sns").create_topic(Name="ApprovalTopic")


def _stored_token(order_id: str) -> str:
    item = boto3.client("dynamodb").get_item(TableName="ApprovalsTable", Key={"orderId": {"S": order_id}})["Item"]
    return str(item["taskToken"]["S"])


def test_a_large_order_waits_for_approval_and_is_recorded_when_approved() -> None:
    with AwsWorld() as world:
        _approval_world()
        run = approval().execute(LARGE_ORDER, aws=world, seed=1301)
        assert run.status == "RUNNING"
        assert [task["stateName"] for task in run.waiting_tasks] == ["Request approval"]
        # The handler kept the task token with the order, as the link's code will read it.
        token = _stored_token("order-42")
        assert token in run.task_tokens
        boto3.client("stepfunctions").send_task_success(
            taskToken=token, output=json.dumps({"approved": True, "by": "ada"})
        )
    assert run.status == "SUCCEEDED", run.cause
    assert run.path == ["Validate order", "Needs approval?", "Request approval", "Record decision"]
    assert run.output == {
        "orderId": "order-42",
        "total": large_total(),
        "currency": "EUR",
        "approved": True,
        "by": "ada",
        "recordedBy": "record-decision",
    }
    # SendTaskSuccess's output is the task's result as it was sent (ResultPath $.approval).
    assert run.state("Request approval").output["approval"] == {"approved": True, "by": "ada"}


def test_a_rejected_approval_fails_the_order_through_the_definitions_catch() -> None:
    with AwsWorld() as world:
        _approval_world()
        run = approval().execute(LARGE_ORDER, aws=world, seed=1302)
        assert run.status == "RUNNING"
        boto3.client("stepfunctions").send_task_failure(
            taskToken=_stored_token("order-42"), error="Rejected", cause="too expensive"
        )
    assert (run.status, run.error) == ("FAILED", "OrderRejected")
    assert run.path == ["Validate order", "Needs approval?", "Request approval", "Rejected"]
    assert run.state("Rejected").input["error"] == {"Error": "Rejected", "Cause": "too expensive"}


def test_without_the_table_the_handlers_call_fails_as_in_aws() -> None:
    run = approval(resources=False).execute(LARGE_ORDER)  # the template's resources left out: no table
    assert (run.status, run.error) == ("FAILED", "ResourceNotFoundException")
    cause = json.loads(run.cause or "")
    assert cause["errorType"] == "ResourceNotFoundException"
    assert "PutItem" in cause["errorMessage"] and isinstance(cause["stackTrace"], list)


def test_test_state_of_a_task_calling_a_template_function_runs_its_handler() -> None:
    approval = StateMachine.from_template(REPO / "examples" / "approval" / "template.yaml")
    order = {"orderId": "o-3", "lines": [{"price": 2.5, "quantity": 4}]}
    role = approval.role_arn  # TestState needs a role to call a service without a mock
    response = approval.test_state("Validate order", input=order, role_arn=role)
    # As TestState invokes the deployed function: its result through the state's OutputPath ($.Payload)
    assert (response["status"], response["nextState"]) == ("SUCCEEDED", "Needs approval?")
    assert json.loads(response["output"]) == {"orderId": "o-3", "total": 10.0, "currency": "EUR"}
    # A handler's exception is the function's error, which the state's Catch handles
    caught = approval.test_state("Validate order", input={"orderId": "o-4", "lines": []}, role_arn=role)
    assert (caught["status"], caught["error"], caught["nextState"]) == ("CAUGHT_ERROR", "InvalidOrder", "Rejected")
    # A mock still wins over the function
    mocked = approval.test_state("Validate order", input=order, mock=mocks.returns({"total": 1}))
    assert json.loads(mocked["output"]) == {"total": 1}
