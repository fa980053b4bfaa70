import os

from payments_common import cents


def handler(event, context):
    return {"paymentId": event["paymentId"], "cents": cents(event["amount"]), "queue": os.environ["QUEUE_URL"]}
