"""AWS SDK integrations served by moto: recorded AWS executions replayed end to end, and the rules
behind them (service names, error names and causes, argument and result conversion)."""

from __future__ import annotations

import botocore.session
import pytest

from sfnlocal import StateMachine
from sfnlocal.integrations.aws.aws_sdk import aws_sdk, boto3_service, operation_name
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.errors import UNSUPPORTED, error_prefix
from sfnlocal.language.resources import parse_resource

SDK = "v2__services__test_aws_sdk_task_service.py--TestTaskServiceAwsSdk--"
ERRORS = "v2__error_handling__test_aws_sdk.py--TestAwsSdk--"
BUCKET = {"Bucket": "bucket-name"}


def call(world, resource: str, arguments, state: str = "Task") -> ServiceCall:
    return ServiceCall(state, parse_resource(resource), arguments, world.region, world.account, world)


def create_table(world, name: str) -> None:
    world.client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


# Recorded executions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "stored"),
    [
        ("binary", b"binary data"),
        ("bytearray", b"byte array data"),
        ("empty_binary", b""),
        ("empty_str", ""),
        ("str", "text data"),
    ],
)
def test_s3_get_object_returns_the_body_as_text(world, replay, variant, stored):
    world.client("s3").create_bucket(**BUCKET)
    world.client("s3").put_object(**BUCKET, Key="file_key", Body=stored)
    replay(f"{SDK}test_s3_get_object[{variant}].json")


@pytest.mark.parametrize(
    ("variant", "body"),
    [
        ("bool", b"false"),
        ("dict", b'{"Dict":"Value"}'),
        ("list", b'["List","Data"]'),
        ("num", b"0"),
        ("str", b'"text data"'),
    ],
)
def test_s3_put_object_stores_the_json_text_of_the_body(world, replay, variant, body):
    world.client("s3").create_bucket(**BUCKET)
    replay(f"{SDK}test_s3_put_object[{variant}].json")
    assert world.client("s3").get_object(**BUCKET, Key="file-key")["Body"].read() == body


def test_secretsmanager_list_secrets(replay):
    replay(f"{SDK}test_list_secrets.json")


# The recordings' "<test-table>" stands for a table name of the test's, which DynamoDB's pattern allows.
TABLE = "sfn_test_table"
ITEM = {"data": {"S": "HelloWorld"}, "id": {"S": "id1"}}


def test_dynamodb_put_then_get_item(world, replay):
    create_table(world, TABLE)
    replay(f"{SDK}test_dynamodb_put_get_item.json", {"TableName": TABLE, "Item": ITEM, "Key": {"id": {"S": "id1"}}})


def test_dynamodb_null_item_is_a_validation_error(world, replay):
    create_table(world, TABLE)
    replay(f"{ERRORS}test_dynamodb_invalid_param.json", {"TableName": TABLE, "Key": None, "Item": None})


def test_dynamodb_put_item_into_a_missing_table(replay):
    replay(f"{ERRORS}test_dynamodb_put_item_no_such_table.json", {"TableName": TABLE, "Item": ITEM})


def test_s3_missing_bucket_is_caught_as_task_failed(replay):
    replay(f"{ERRORS}test_no_such_bucket.json")


def test_s3_missing_key(world, replay):
    world.client("s3").create_bucket(**BUCKET)
    replay(f"{ERRORS}test_s3_no_such_key.json")


def test_sfn_start_execution_on_a_machine_in_moto(world, replay):
    sfn = world.client("stepfunctions")
    target = sfn.create_state_machine(
        name="target",
        roleArn=f"arn:aws:iam::{world.account}:role/r",
        definition='{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}',
    )
    replay(
        f"{SDK}test_sfn_start_execution.json",
        {"StateMachineArn": target["stateMachineArn"], "Input": None, "Name": "TestStartTarget"},
    )
    assert sfn.list_executions(stateMachineArn=target["stateMachineArn"])["executions"][0]["name"] == "TestStartTarget"


# Names ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sfn_name", "boto3_name"),
    [
        ("s3", "s3"),
        ("sfn", "stepfunctions"),
        ("eventbridge", "events"),
        ("cloudwatchlogs", "logs"),
        ("costexplorer", "ce"),
        ("databasemigration", "dms"),
        ("directory", "ds"),
        ("acmpca", "acm-pca"),
        ("cognitoidentityprovider", "cognito-idp"),
        ("elasticloadbalancingv2", "elbv2"),
        ("rdsdata", "rds-data"),
        ("apigatewayv2", "apigatewayv2"),
        ("nosuchservice", None),
    ],
)
def test_service_names_as_the_docs_list_them(sfn_name, boto3_name):
    assert boto3_service(sfn_name) == boto3_name


@pytest.mark.parametrize(
    ("service", "prefix"),
    [
        ("dynamodb", "DynamoDb"),
        ("stepfunctions", "Sfn"),
        ("s3", "S3"),
        ("logs", "CloudWatchLogs"),
        ("events", "EventBridge"),
        ("secretsmanager", "SecretsManager"),
        ("iot", "Iot"),
        ("iotsitewise", "IoTSiteWise"),
        ("acm-pca", "AcmPca"),
        ("ec2", "Ec2"),
        ("elbv2", "ElasticLoadBalancingV2"),
        ("ce", "CostExplorer"),
        ("dms", "DatabaseMigration"),
        ("ds", "Directory"),
        ("cloudhsmv2", "CloudHsmV2"),
        ("wafv2", "Wafv2"),
        ("sesv2", "SesV2"),
        ("memorydb", "MemoryDB"),
        ("docdb", "DocDb"),
        ("fsx", "FSx"),
        ("application-autoscaling", "ApplicationAutoScaling"),
        ("cognito-idp", "CognitoIdentityProvider"),
        ("route53domains", "Route53Domains"),
        ("s3control", "S3Control"),
        ("codeartifact", "Codeartifact"),
        ("resourcegroupstaggingapi", "ResourceGroupsTaggingApi"),
        ("sso-oidc", "SsoOidc"),
    ],
)
def test_error_prefixes_as_the_docs_list_them(service, prefix):
    session = botocore.session.get_session()
    assert error_prefix(session.get_service_model(service)) == prefix


def test_actions_are_matched_whatever_their_case():
    model = botocore.session.get_session().get_service_model("stepfunctions")
    assert [operation_name(model, action) for action in ("startExecution", "StartExecution", "describeExecution")] == [
        "StartExecution",
        "StartExecution",
        "DescribeExecution",
    ]


# What moto cannot serve, and what AWS would not accept ---------------------------------------------------


def test_a_service_moto_lacks_says_how_to_mock_the_state(world):
    failure = aws_sdk(
        call(
            world,
            "arn:aws:states:::aws-sdk:translate:translateText",
            {"Text": "hi", "SourceLanguageCode": "en", "TargetLanguageCode": "de"},
            "Translate",
        )
    )
    assert failure.error == UNSUPPORTED
    assert "moto does not implement translate;" in failure.cause
    assert "mocks={'Translate': mocks.returns(...)}" in failure.cause


def test_an_operation_moto_lacks_is_unsupported(world):
    failure = aws_sdk(
        call(
            world,
            "arn:aws:states:::aws-sdk:sqs:listMessageMoveTasks",
            {"SourceArn": f"arn:aws:sqs:us-east-1:{world.account}:q"},
        )
    )
    assert failure.error == UNSUPPORTED


def test_lambda_invoke_is_unsupported_rather_than_run_in_docker(world):
    failure = aws_sdk(call(world, "arn:aws:states:::aws-sdk:lambda:invoke", {"FunctionName": "f"}))
    assert failure.error == UNSUPPORTED and "without Docker" in failure.cause


@pytest.mark.parametrize(
    "resource", ["arn:aws:states:::aws-sdk:nosuchservice:doIt", "arn:aws:states:::aws-sdk:s3:flyAway"]
)
def test_an_unknown_service_or_action_is_not_recognized(world, resource):
    failure = aws_sdk(call(world, resource, {}))
    assert failure.error == "States.Runtime"
    assert failure.cause.startswith(f"The resource provided {resource} is not recognized.")


def test_an_unsupported_failure_is_neither_retried_nor_caught(world):
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:translate:translateText",
                "Parameters": {"Text": "hi", "SourceLanguageCode": "en", "TargetLanguageCode": "de"},
                "Retry": [{"ErrorEquals": ["States.ALL"]}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                "End": True,
            },
            "Caught": {"Type": "Succeed"},
        },
    }
    run = StateMachine.from_dict(definition).execute({}, aws=world)
    assert (run.status, run.error, run.path) == ("FAILED", UNSUPPORTED, ["T"])


def test_a_missing_required_parameter_is_named_as_aws_names_it(world):
    failure = aws_sdk(call(world, "arn:aws:states:::aws-sdk:dynamodb:getItem", {"TableName": "t", "Key": None}))
    assert failure.error == "DynamoDb.DynamoDbException"
    assert failure.cause.startswith(
        "1 validation error detected: Value null at 'key' failed to satisfy constraint: "
        "Member must not be null (Service: DynamoDb, Status Code: 400, Request ID: "
    )


def test_a_parameter_of_the_wrong_type_fails_with_the_generic_exception(world):
    failure = aws_sdk(call(world, "arn:aws:states:::aws-sdk:dynamodb:getItem", {"TableName": "t", "Key": "nope"}))
    assert failure.error == "DynamoDb.DynamoDbException"


# Arguments and results -----------------------------------------------------------------------------------


def test_arguments_in_pascal_case_reach_camel_case_services_and_results_come_back_in_pascal_case(world):
    created = aws_sdk(call(world, "arn:aws:states:::aws-sdk:sfn:createActivity", {"Name": "approve"})).value
    assert created["ActivityArn"].endswith(":activity:approve")
    assert created["CreationDate"].endswith("Z") and "T" in created["CreationDate"]


def test_a_string_member_given_a_json_value_gets_its_text(world):
    world.client("sqs").create_queue(QueueName="q")
    url = world.client("sqs").get_queue_url(QueueName="q")["QueueUrl"]
    aws_sdk(call(world, "arn:aws:states:::aws-sdk:sqs:sendMessage", {"QueueUrl": url, "MessageBody": {"a": [1, "é"]}}))
    assert world.client("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"] == '{"a":[1,"é"]}'


def test_wait_for_task_token_submits_the_response_then_waits_for_the_token(world):
    world.client("s3").create_bucket(**BUCKET)
    definition = {
        "StartAt": "List",
        "States": {
            "List": {
                "Type": "Task",
                "Resource": "arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken",
                "End": True,
            }
        },
    }
    run = StateMachine.from_dict(definition).execute({}, aws=world)
    assert run.status == "RUNNING"
    submitted = next(e for e in run.history if e["type"] == "TaskSubmitted")["taskSubmittedEventDetails"]["output"]
    assert '"Name":"bucket-name"' in submitted
    run.send_task_success(run.task_tokens[0], {"done": True})
    assert (run.status, run.output) == ("SUCCEEDED", {"done": True})
