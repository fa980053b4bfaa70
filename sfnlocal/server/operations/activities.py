"""CreateActivity, DescribeActivity, DeleteActivity, ListActivities, GetActivityTask."""

from __future__ import annotations

import time
from typing import Any

from sfnlocal.server.engine import Engine
from sfnlocal.server.operations.common import check_name, engine_operation, find_activity, page, resource_type, tag_map


@engine_operation("CreateActivity")
def create_activity(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Create an activity. Idempotent by name, as AWS's API reference says (different tags are ignored)."""
    name = request["name"]
    check_name(name)
    record = engine.activities.get(engine.arn("activity", name))
    if record is None:
        record = engine.create_activity(name)
        if request.get("tags"):
            engine.set_tags(record.arn, tag_map(request["tags"]))
    return {"activityArn": record.arn, "creationDate": record.creation_date}


@engine_operation("DescribeActivity")
def describe_activity(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Describe an activity."""
    record = find_activity(engine, request["activityArn"])
    return {"activityArn": record.arn, "name": record.name, "creationDate": record.creation_date}


@engine_operation("DeleteActivity")
def delete_activity(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Delete an activity (one that does not exist: nothing happens, sfnlocal's reading of the API reference,
    which lists no ActivityDoesNotExist for it)."""
    arn = request["activityArn"]
    resource_type(arn, "activity")
    engine.delete_activity(arn)
    return {}


@engine_operation("ListActivities")
def list_activities(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The activities, in the order they were created, a page at a time."""
    records, more = page(list(engine.activities.values()), request)
    listed = [{"activityArn": r.arn, "name": r.name, "creationDate": r.creation_date} for r in records]
    return {"activities": listed, **more}


@engine_operation("GetActivityTask")
def get_activity_task(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The oldest task waiting for a worker of the activity: ``taskToken`` and ``input``. With none waiting, the
    call is held open (the engine's lock released) until an execution offers one, for up to 60 seconds as AWS
    holds it (``engine.activity_poll_seconds``); then it answers with neither. AWS advises a client read timeout
    of at least 65 seconds for this call."""
    record = find_activity(engine, request["activityArn"])
    deadline = time.monotonic() + engine.activity_poll_seconds
    while True:
        task = engine.activity_task(record.arn, request.get("workerName"))
        if task is not None or not engine.wait_for_change(deadline):
            return task or {}
