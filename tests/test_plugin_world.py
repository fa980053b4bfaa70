"""The sfn_aws fixture, in pytest sessions of its own (pytester): an in-process AWS that lives as long as
the test (or a wider fixture) wants, seeded before executions and inspected after; the sfn fixture's
machines run in it unless given aws=."""

from __future__ import annotations

import hypothesis  # noqa: F401  (imported once here, pytester's in-process sessions reuse it)
import pytest

from sfnlocal import AwsWorld

pytest_plugins = ["pytester"]


@pytest.fixture(scope="module", autouse=True)
def _moto_imported_once() -> None:
    """moto and its DynamoDB imported here, once: pytester's in-process sessions drop the modules they import
    when they end, and a second copy of moto would not answer the requests the first one's hooks catch."""
    with AwsWorld() as world:
        world.client("dynamodb").list_tables()


# A DynamoDB table of stock, and a machine that reads an item of it then marks it reserved.
COMMON = """
import boto3
import pytest

from sfnlocal import AwsWorld

RESERVE = {"StartAt": "Read", "States": {
    "Read": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
             "Parameters": {"TableName": "stock", "Key": {"sku": {"S.$": "$.sku"}}},
             "ResultSelector": {"count.$": "$.Item.count.N"}, "ResultPath": "$.stock", "Next": "Reserve"},
    "Reserve": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName": "stock",
                               "Item": {"sku": {"S.$": "$.sku"}, "count": {"N.$": "$.stock.count"},
                                        "reserved": {"BOOL": True}}},
                "ResultPath": None, "End": True}}}


def make_stock(count="3"):
    dynamodb = boto3.client("dynamodb")  # the entered world's variables: it reaches the world
    dynamodb.create_table(TableName="stock", KeySchema=[{"AttributeName": "sku", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "sku", "AttributeType": "S"}],
                          BillingMode="PAY_PER_REQUEST")
    dynamodb.put_item(TableName="stock", Item={"sku": {"S": "book"}, "count": {"N": count}})
    return dynamodb
"""


def run_session(pytester: pytest.Pytester, tests: str, **outcomes: int) -> pytest.RunResult:
    pytester.makepyfile(common=COMMON, test_world=tests)
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(**outcomes)
    return result


def test_a_test_seeds_the_world_before_and_inspects_it_after(pytester: pytest.Pytester) -> None:
    run_session(
        pytester,
        """
from common import RESERVE, AwsWorld, make_stock


def test_reserve(sfn, sfn_aws):
    assert isinstance(sfn_aws, AwsWorld) and sfn_aws.started
    dynamodb = make_stock()
    run = sfn.load(RESERVE, name="reserve").execute({"sku": "book"})
    assert run.status == "SUCCEEDED", run.cause
    assert run.output == {"sku": "book", "stock": {"count": "3"}}
    item = dynamodb.get_item(TableName="stock", Key={"sku": {"S": "book"}})["Item"]
    assert item == {"sku": {"S": "book"}, "count": {"N": "3"}, "reserved": {"BOOL": True}}
""",
        passed=1,
    )


def test_each_test_has_a_world_of_its_own_and_tests_without_it_are_unchanged(pytester: pytest.Pytester) -> None:
    run_session(
        pytester,
        """
import boto3
from common import RESERVE, make_stock


def test_first(sfn, sfn_aws):
    make_stock()
    assert sfn.load(RESERVE, name="reserve").execute({"sku": "book"}).status == "SUCCEEDED"


def test_second_sees_a_fresh_world(sfn_aws):
    assert boto3.client("dynamodb").list_tables()["TableNames"] == []


def test_without_the_fixture_an_execution_has_a_world_of_its_own(sfn):
    run = sfn.load(RESERVE, name="reserve").execute({"sku": "book"})
    assert run.status == "FAILED" and "ResourceNotFoundException" in run.cause
""",
        passed=3,
    )


def test_fixtures_of_the_test_run_their_executions_in_its_world(pytester: pytest.Pytester) -> None:
    run_session(
        pytester,
        """
import boto3
import pytest
from common import RESERVE, make_stock


@pytest.fixture
def reserved(sfn, sfn_aws):
    make_stock()
    yield sfn.load(RESERVE, name="reserve").execute({"sku": "book"})
    # Its teardown still runs in the world: the item is there.
    assert "reserved" in boto3.client("dynamodb").get_item(TableName="stock", Key={"sku": {"S": "book"}})["Item"]


def test_reserved(reserved):
    assert reserved.status == "SUCCEEDED", reserved.cause
""",
        passed=1,
    )


def test_a_wider_scoped_world_overrides_the_fixture(pytester: pytest.Pytester) -> None:
    run_session(
        pytester,
        """
import boto3
import pytest
from common import RESERVE, AwsWorld, make_stock


@pytest.fixture(scope="module")
def sfn_aws():
    with AwsWorld(region="eu-west-1") as world:
        make_stock("7")
        yield world


def test_first(sfn, sfn_aws):
    run = sfn.load(RESERVE, name="reserve", region="eu-west-1").execute({"sku": "book"})
    assert run.output["stock"] == {"count": "7"}, run.cause


def test_second_sees_what_the_first_did(sfn_aws):
    item = boto3.client("dynamodb").get_item(TableName="stock", Key={"sku": {"S": "book"}})["Item"]
    assert item["reserved"] == {"BOOL": True}
""",
        passed=2,
    )


def test_an_explicit_world_wins_and_another_region_is_refused(pytester: pytest.Pytester) -> None:
    run_session(
        pytester,
        """
import pytest
from common import RESERVE, AwsWorld, make_stock


def test_explicit_world(sfn, sfn_aws):
    make_stock()  # in sfn_aws's region; the execution's world, in another, has no table
    with AwsWorld(region="eu-west-1") as other:
        run = sfn.load(RESERVE, name="reserve", region="eu-west-1").execute({"sku": "book"}, aws=other)
    assert run.status == "FAILED" and "ResourceNotFoundException" in run.cause


def test_another_region(sfn, sfn_aws):
    machine = sfn.load(RESERVE, name="reserve", region="eu-west-1")
    with pytest.raises(ValueError, match="runs in account 123456789012, region eu-west-1, but the recorder's AWS "
                       "world .in pytest, the sfn_aws fixture's. is account 123456789012, region us-east-1"):
        machine.execute({"sku": "book"})
""",
        passed=2,
    )
