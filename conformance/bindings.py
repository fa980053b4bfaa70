"""Binding the recording's resource placeholders to the resources a case's setup calls made (serve mode).

The recorder replaced the names of the resources its fixtures created by placeholders, in the
execution input too (``"QueueUrl": "sqs_queue_url"``). Replayed mocks never look at them; an
integration served against moto needs the real resource. So each input string that stands for a
created resource is replaced by it, and the pair (resource, placeholder) is kept to turn the
resource back into the placeholder when the run's results are normalised.

A string stands for a resource when it is one of the recorder's names for that kind of resource
(:data:`NAMED`, e.g. ``"bucket-name"``), or when it is an ARN whose placeholders, read as wildcards,
match the ARN of a created resource (``arn:<partition>:sns:<region>:111111111111:<resource:1>``).
A placeholder with no created resource of its kind stands for one that does not exist (a "no such
table" recording): it is bound to a valid name nothing has (:data:`ABSENT`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from conformance.compare import first_difference
from conformance.normalise import ACCOUNT, REGION
from conformance.replay import SetupCall

QUEUE_URL, TOPIC_ARN, TABLE, BUCKET = "queue URL", "topic ARN", "table", "bucket"

# The recorder's names for the resources its fixtures created, as they appear in the inputs.
NAMED = {
    "sqs_queue_url": QUEUE_URL,
    "<sqs_queue_url>": QUEUE_URL,
    "sqs-queue-url": QUEUE_URL,
    "topic-arn": TOPIC_ARN,
    "table-name": TABLE,
    "<test-table>": TABLE,
    "bucket-name": BUCKET,
    "bucket_name": BUCKET,
}
_ABSENT_NAME = "sfnlocal-conformance-absent"
# What a named placeholder is bound to when the setup created no resource of its kind.
ABSENT = {
    QUEUE_URL: f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{_ABSENT_NAME}",
    TOPIC_ARN: f"arn:aws:sns:{REGION}:{ACCOUNT}:{_ABSENT_NAME}",
    TABLE: _ABSENT_NAME,
    BUCKET: _ABSENT_NAME,
}


def created(made: Iterable[tuple[SetupCall, Any]]) -> dict[str, str]:
    """The first resource of each kind the setup calls created, from their arguments and responses;
    :data:`ABSENT` for a kind it did not create.

    >>> found = created([(SetupCall("sqs", "create_queue", {"QueueName": "q"}), {"QueueUrl": "https://q"}),
    ...                  (SetupCall("s3", "create_bucket", {"Bucket": "b"}), {})])
    >>> found[QUEUE_URL], found[BUCKET], found[TABLE] == ABSENT[TABLE]
    ('https://q', 'b', True)
    """
    found: dict[str, str] = {}
    for call, response in made:
        response = response if isinstance(response, dict) else {}
        resource = {
            ("sqs", "create_queue"): (QUEUE_URL, response.get("QueueUrl")),
            ("sns", "create_topic"): (TOPIC_ARN, response.get("TopicArn")),
            ("dynamodb", "create_table"): (TABLE, call.arguments.get("TableName")),
            ("s3", "create_bucket"): (BUCKET, call.arguments.get("Bucket")),
        }.get((call.service, call.operation))
        if resource and isinstance(resource[1], str):
            found.setdefault(resource[0], resource[1])
    return {**ABSENT, **found}


def _resource_for(text: str, resources: dict[str, str]) -> str | None:
    if text in NAMED:
        return resources.get(NAMED[text])
    if text.startswith("arn:") and "<" in text:
        return next(
            (arn for arn in resources.values() if arn.startswith("arn:") and first_difference(text, arn) is None), None
        )
    return None


def bind(value: Any, resources: dict[str, str]) -> tuple[Any, tuple[tuple[str, str], ...]]:
    """``value`` with each placeholder of a created resource replaced by it, and the (resource,
    placeholder) pairs replaced.

    >>> bind({"QueueUrl": "sqs_queue_url", "Table": "table-name", "n": ["<test-table>", "x"]},
    ...      {QUEUE_URL: "https://q", TABLE: "t"})
    ({'QueueUrl': 'https://q', 'Table': 't', 'n': ['t', 'x']}, (('https://q', 'sqs_queue_url'), ('t', 'table-name')))
    >>> bind("arn:<partition>:sns:<region>:1:<resource:1>", {TOPIC_ARN: "arn:aws:sns:us-east-1:1:t"})[0]
    'arn:aws:sns:us-east-1:1:t'
    """
    pairs: dict[str, str] = {}

    def visit(item: Any) -> Any:
        if isinstance(item, dict):
            return {key: visit(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [visit(inner) for inner in item]
        if isinstance(item, str):
            resource = _resource_for(item, resources)
            if resource is not None:
                pairs.setdefault(resource, item)
                return resource
        return item

    return visit(value), tuple(pairs.items())
