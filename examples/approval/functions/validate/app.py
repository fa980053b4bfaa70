"""Validate an order and compute its total."""

from orders import currency, order_total


def lambda_handler(event, context):
    return {"orderId": event["orderId"], "total": order_total(event), "currency": currency()}
