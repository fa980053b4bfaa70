"""The warehouse: reads shipment requests from the queue (an SQS event source), records each shipment in the
table the SHIPMENTS_TABLE variable names, and answers the workflow that waits for it with its task token.

A request for a country no carrier serves is answered with SendTaskFailure (the workflow catches it). A request
the warehouse cannot read (no postcode for the label) is reported as a batch item failure: SQS delivers it again
after the queue's visibility timeout, and after maxReceiveCount receives moves it to the dead-letter queue.
"""

import json
import os

import boto3

# Clients made at a cold start, as Lambda code usually makes them.
stepfunctions = boto3.client("stepfunctions")
shipments = boto3.resource("dynamodb").Table(os.environ["SHIPMENTS_TABLE"])

CARRIERS = {"FR": ("La Poste", "LP"), "DE": ("DHL", "DHL"), "GB": ("Royal Mail", "RM"), "US": ("UPS", "1Z")}


def lambda_handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            ship(json.loads(record["body"]))
        except (KeyError, ValueError):
            failures.append({"itemIdentifier": record["messageId"]})
    # With ReportBatchItemFailures, only these messages go back to the queue.
    return {"batchItemFailures": failures}


def ship(request):
    order, token = request["order"], request["taskToken"]
    address = order["address"]
    if address["country"] not in CARRIERS:
        stepfunctions.send_task_failure(
            taskToken=token, error="CountryNotServed", cause=f"No carrier delivers to {address['country']}"
        )
        return
    postcode = address["postcode"]  # the label needs it: a KeyError sends the message back to the queue
    carrier, code = CARRIERS[address["country"]]
    tracking_number = f"{code}-{order['orderId'].upper()}"
    shipments.put_item(
        Item={"orderId": order["orderId"], "carrier": carrier, "trackingNumber": tracking_number, "postcode": postcode}
    )
    stepfunctions.send_task_success(
        taskToken=token, output=json.dumps({"carrier": carrier, "trackingNumber": tracking_number})
    )
