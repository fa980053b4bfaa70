import os

from orders_common import require


def lambda_handler(event, context):
    order = require(event, "orderId", "amount")
    return {**order, "valid": True, "stage": os.environ["STAGE"]}
