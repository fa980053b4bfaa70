"""TagResource, UntagResource, ListTagsForResource, for state machines and activities."""

from __future__ import annotations

from typing import Any

from sfnlocal.server.api import ApiError
from sfnlocal.server.engine import Engine
from sfnlocal.server.operations.common import engine_operation, resource_type, tag_map

# "Maximum number of tags per resource: 50" (Step Functions quotas).
MAX_TAGS = 50


@engine_operation("TagResource")
def tag_resource(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Add tags (a key already there takes the new value)."""
    arn = _tagged(engine, request["resourceArn"])
    tags = {**engine.tags.get(arn, {}), **tag_map(request["tags"])}
    if len(tags) > MAX_TAGS:
        # AWS's message is not documented: sfnlocal's words.
        raise ApiError("TooManyTags", f"Too many tags: a resource holds at most {MAX_TAGS} tags", 400)
    engine.set_tags(arn, tags)
    return {}


@engine_operation("UntagResource")
def untag_resource(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Remove the tags of these keys (a key not there is ignored)."""
    arn = _tagged(engine, request["resourceArn"])
    removed = set(request["tagKeys"])
    engine.set_tags(arn, {key: value for key, value in engine.tags.get(arn, {}).items() if key not in removed})
    return {}


@engine_operation("ListTagsForResource")
def list_tags_for_resource(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The resource's tags."""
    arn = _tagged(engine, request["resourceArn"])
    return {"tags": [{"key": key, "value": value} for key, value in engine.tags.get(arn, {}).items()]}


def _tagged(engine: Engine, arn: str) -> str:
    """A state machine's or activity's ARN that exists: InvalidArn, or ResourceNotFound (sfnlocal's wording)."""
    resource_type(arn, "stateMachine", "activity")
    if arn not in engine.machines and arn not in engine.activities:
        raise ApiError("ResourceNotFound", f"Resource not found: '{arn}'")
    return arn
