"""Shared by the functions through the Layer (Lambda puts a Layer's python/ folder on the import path)."""

import os


class InvalidOrder(Exception):
    """An order that cannot be processed; the state machine catches it by this name."""


def order_total(order):
    """The sum of the order's lines, in the application's currency."""
    lines = order.get("lines") or []
    if not lines:
        raise InvalidOrder(f"order {order.get('orderId')!r} has no lines")
    return round(sum(line["price"] * line["quantity"] for line in lines), 2)


def currency():
    return os.environ["CURRENCY"]
