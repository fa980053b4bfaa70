"""Ask a manager to approve an order: keep the task token with the order and email an approval link."""

import json
import os
from urllib.parse import urlencode

import boto3

# Created once per cold start, as in Lambda; inside sfnlocal they reach its in-process AWS.
dynamodb = boto3.client("dynamodb")
sns = boto3.client("sns")


def lambda_handler(event, context):
    order, token = event["order"], event["taskToken"]
    dynamodb.put_item(
        TableName=os.environ["APPROVALS_TABLE"],
        Item={"orderId": {"S": order["orderId"]}, "taskToken": {"S": token}},
    )
    link = os.environ["APPROVE_URL"] + "?" + urlencode({"orderId": order["orderId"]})
    sns.publish(
        TopicArn=os.environ["APPROVAL_TOPIC_ARN"],
        Subject=f"Approve order {order['orderId']}?",
        Message=json.dumps({"total": order["total"], "currency": order["currency"], "approve": link}),
    )
    return {"requested": True}
