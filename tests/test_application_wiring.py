"""How StateMachine.from_template brings the template's application into each execution: resources provisioned in
the execution's world, event sources delivered while it waits (and once it has ended), an EventBridge rule that
starts another state machine of the template, the world's summary on the result, and the opt-out."""

from __future__ import annotations

from pathlib import Path

import pytest

from sfnlocal import AwsWorld, StateMachine

# The order flow announces an order on the default bus; a rule of the audit flow (SAM EventBridgeRule) starts it
# with the event, and it records the order in the template's table.
TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrderFlow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Announce
        States:
          Announce:
            Type: Task
            Resource: arn:aws:states:::events:putEvents
            Parameters:
              Entries:
                - Source: shop.orders
                  DetailType: OrderPlaced
                  Detail:
                    orderId.$: $.orderId
            End: true
  AuditFlow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Record
        States:
          Record:
            Type: Task
            Resource: arn:aws:states:::dynamodb:putItem
            Parameters:
              TableName: ${AuditTable}
              Item:
                orderId:
                  S.$: $.detail.orderId
            End: true
      DefinitionSubstitutions:
        AuditTable: !Ref AuditTable
      Events:
        OrderPlaced:
          Type: EventBridgeRule
          Properties:
            Pattern:
              source: [shop.orders]
              detail-type: [OrderPlaced]
  AuditTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: orderId, AttributeType: S}]
      KeySchema: [{AttributeName: orderId, KeyType: HASH}]
"""


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    return path


def test_a_rule_of_the_template_starts_its_other_state_machine_with_the_event(template: Path) -> None:
    orders = StateMachine.from_template(template, logical_id="OrderFlow")
    with AwsWorld() as world:
        run = orders.execute({"orderId": "o-1"}, aws=world)
        assert run.status == "SUCCEEDED"
        # The event was put as the last task: delivered once the execution had ended, before it returned.
        items = world.client("dynamodb").scan(TableName="AuditTable")["Items"]
        assert items == [{"orderId": {"S": "o-1"}}]
        assert run.world_summary["tables"] == {"AuditTable": {"items": 1}}


def test_the_summary_of_an_executions_own_world_is_kept_after_the_world_stops(template: Path) -> None:
    run = StateMachine.from_template(template, logical_id="OrderFlow").execute({"orderId": "o-2"})
    assert run.world_summary["tables"] == {"AuditTable": {"items": 1}}
    assert run.world_summary["event_buses"]["default"]["events"] == 1


def test_without_resources_nothing_is_created_and_there_is_no_summary(template: Path) -> None:
    orders = StateMachine.from_template(template, logical_id="OrderFlow", resources=False)
    assert orders.application is None
    with AwsWorld() as world:
        run = orders.execute({"orderId": "o-3"}, aws=world)
        assert run.status == "SUCCEEDED"  # PutEvents on the default bus needs no resource
        assert world.client("dynamodb").list_tables()["TableNames"] == []
    assert run.world_summary == {}
    assert (
        StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
        .execute({})
        .world_summary
        == {}
    )


def test_a_machine_the_sfn_fixture_tracks_keeps_its_templates_application(template: Path) -> None:
    # sfn.load(StateMachine.from_template(...)), as docs/lambdas.md writes it: the tracked machine provisions the
    # template's resources too.
    from sfnlocal.testing.coverage.collector import Recorder

    tracked = Recorder().load(StateMachine.from_template(template, logical_id="OrderFlow"))
    assert tracked.application is not None
    assert tracked.execute({"orderId": "o-4"}).world_summary["tables"] == {"AuditTable": {"items": 1}}
