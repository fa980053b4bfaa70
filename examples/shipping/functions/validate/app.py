"""Validate an order and price it: the workflow's first step (invoked by the state machine)."""


class InvalidOrder(Exception):
    """An order the shop cannot ship: the workflow fails with this error name."""


def lambda_handler(event, context):
    lines = event.get("lines") or []
    if not lines:
        raise InvalidOrder(f"order {event.get('orderId')!r} has no lines")
    if not event.get("address", {}).get("country"):
        raise InvalidOrder(f"order {event.get('orderId')!r} has no delivery country")
    total = sum(line["price"] * line["quantity"] for line in lines)
    return {"orderId": event["orderId"], "address": event["address"], "total": total}
