"""``arn:aws:states:::events:putEvents`` (also ``.waitForTaskToken``), served by moto's EventBridge.

A ``Detail`` given as a JSON value is sent as its JSON text; a ``Detail`` text that is not a JSON
object fails its entry with ``MalformedDetail`` (EventBridge checks this, moto does not). The result
is PutEvents' ``Entries`` and ``FailedEntryCount``, without SDK metadata; if any entry failed, the
task fails with ``EventBridge.FailedEntry`` and that whole result as the cause (all recorded).

>>> from sfnlocal.language.resources import parse_resource
>>> from sfnlocal.integrations.aws.world import AwsWorld
>>> with AwsWorld() as world:
...     call = ServiceCall("Emit", parse_resource("arn:aws:states:::events:putEvents"),
...                        {"Entries": [{"Detail": '"text"', "DetailType": "t", "Source": "s"}]},
...                        "us-east-1", "123456789012", world)
...     failed = put_events(call)
>>> failed.error, failed.cause
('EventBridge.FailedEntry', '{"Entries":[{"ErrorCode":"MalformedDetail","ErrorMessage":"Detail is malformed."}],\
"FailedEntryCount":1}')
"""

from __future__ import annotations

import json
from typing import Any

from sfnlocal.integrations.aws.aws_sdk import object_arguments, serve
from sfnlocal.integrations.aws.call import ServiceCall
from sfnlocal.integrations.aws.errors import SdkV1Client
from sfnlocal.integrations.aws.registry import integration
from sfnlocal.interpreter.integration import Failure, Outcome, Result
from sfnlocal.language.jsontext import compact_json

EVENTBRIDGE = SdkV1Client("EventBridge", "AmazonEventBridge", "AmazonEventBridgeException")
FAILED_ENTRY = "EventBridge.FailedEntry"
_MALFORMED = {"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."}


def _well_formed(entry: Any) -> bool:
    detail = entry.get("Detail") if isinstance(entry, dict) else None
    if not isinstance(detail, str):
        return True  # absent, or a JSON value (sent as its text)
    try:
        return isinstance(json.loads(detail), dict)
    except ValueError:
        return False


@integration("events", "putEvents")
def put_events(call: ServiceCall) -> Outcome:
    """Put the well-formed entries on moto's event bus; report each entry in the order given."""
    arguments = object_arguments(call)
    entries = arguments.get("Entries")
    entries = entries if isinstance(entries, list) else []
    sent = [entry for entry in entries if _well_formed(entry)]
    answers: list[Any] = []
    if sent:
        response = serve(call, "events", "PutEvents", {**arguments, "Entries": sent}, EVENTBRIDGE.failure)
        if isinstance(response, Failure):
            return response
        answers = response["Entries"]
    replies = iter(answers)
    results = [next(replies) if _well_formed(entry) else dict(_MALFORMED) for entry in entries]
    failed = sum(1 for result in results if "ErrorCode" in result)
    result = {"Entries": results, "FailedEntryCount": failed}
    if failed:
        return Failure(FAILED_ENTRY, compact_json(result))
    return Result(result)
