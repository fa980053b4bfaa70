"""dynamodb:getItem/putItem/updateItem/deleteItem on moto, against recorded AWS executions."""

from __future__ import annotations

import pytest
import support

from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.dynamodb import item_operation
from sfnlocal.language.resources import parse_resource

SERVICE = "v2__services__test_dynamodb_task_service.py--TestTaskServiceDynamoDB--"
ERRORS = "v2__error_handling__test_task_service_dynamodb.py--TestTaskServiceDynamoDB--"
LOCAL = "v2__local_mocking__test_base_scenarios.py--TestBaseScenarios--"


@pytest.fixture
def table(world):
    world.client("dynamodb").create_table(
        TableName="table-name",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return world.client("dynamodb")


@pytest.mark.parametrize(
    "variant", ["DYNAMODB_PUT_GET_ITEM", "DYNAMODB_PUT_DELETE_ITEM", "DYNAMODB_PUT_UPDATE_GET_ITEM"]
)
def test_item_operations(table, replay, same_sdk_metadata, variant):
    name = f"{SERVICE}test_base_integrations[{variant}].json"
    run = replay(name)
    recorded = support.corpus_case(name)["expected"]["output"]
    for step, output in run.output.items():
        if step.endswith("Output"):
            same_sdk_metadata(recorded[step], output)
    stored = table.get_item(TableName="table-name", Key={"id": {"S": "id1"}}).get("Item")
    assert (stored is None) == (variant == "DYNAMODB_PUT_DELETE_ITEM")


def test_put_then_get_item(table, replay, same_sdk_metadata):
    run = replay(f"{LOCAL}test_dynamodb_put_get_item.json")
    recorded = support.corpus_case(f"{LOCAL}test_dynamodb_put_get_item.json")["expected"]["output"]
    same_sdk_metadata(recorded["getItemOutput"], run.output["getItemOutput"])


def test_missing_table(replay):
    # the recording's "<test-table>" stands for a name of the test's, which DynamoDB's pattern allows
    replay(
        f"{ERRORS}test_put_item_no_such_table.json",
        {"TableName": "sfn_test_table", "Item": {"data": {"S": "HelloWorld"}, "id": {"S": "id1"}}},
    )


def test_table_name_outside_dynamodbs_pattern(replay):
    replay(f"{ERRORS}test_put_item_invalid_table_name.json")


def test_a_null_item_is_refused_as_dynamodb_refuses_it(world, table):
    call = ServiceCall(
        "Put",
        parse_resource("arn:aws:states:::dynamodb:putItem"),
        {"TableName": "table-name", "Item": None},
        world.region,
        world.account,
        world,
    )
    failure = item_operation(call)
    assert failure.error == "DynamoDB.AmazonDynamoDBException"
    assert failure.cause.startswith(
        "1 validation error detected: Value null at 'item' failed to satisfy constraint: "
        "Member must not be null (Service: AmazonDynamoDBv2; Status Code: 400; "
        "Error Code: ValidationException; Request ID: "
    )


def test_a_conditional_put_that_fails_is_named_after_its_exception(world, table):
    table.put_item(TableName="table-name", Item={"id": {"S": "id1"}})
    call = ServiceCall(
        "Put",
        parse_resource("arn:aws:states:::dynamodb:putItem"),
        {"TableName": "table-name", "Item": {"id": {"S": "id1"}}, "ConditionExpression": "attribute_not_exists(id)"},
        world.region,
        world.account,
        world,
    )
    assert item_operation(call).error == "DynamoDB.ConditionalCheckFailedException"


def test_table_arns_are_accepted(world, table):
    arn = table.describe_table(TableName="table-name")["Table"]["TableArn"]
    call = ServiceCall(
        "Get",
        parse_resource("arn:aws:states:::dynamodb:getItem"),
        {"TableName": arn, "Key": {"id": {"S": "none"}}},
        world.region,
        world.account,
        world,
    )
    assert "Item" not in item_operation(call).value
