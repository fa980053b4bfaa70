"""A Lambda handler, as it would be deployed: sfnlocal calls it directly as the mock of 'Notify customer'."""


def notify_customer(event, context):
    return {"sent": True, "to": event["orderId"], "text": event["message"], "requestId": context.aws_request_id}
