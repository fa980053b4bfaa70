import os

from orders_common import require


def lambda_handler(event, context):
    order = require(event, "orderId", "amount")
    return {"orderId": order["orderId"], "charged": order["amount"], "table": os.environ["TABLE_NAME"]}
