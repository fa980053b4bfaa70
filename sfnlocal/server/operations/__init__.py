"""The API operations, one module per group; importing this package registers every one of them in
:data:`sfnlocal.server.api.OPERATIONS`.

>>> from sfnlocal.server.api import OPERATIONS
>>> "StartExecution" in OPERATIONS and "SendTaskSuccess" in OPERATIONS
True
"""

from sfnlocal.server.operations import (
    activities,
    definitions,
    executions,
    map_runs,
    redrive,
    state_machines,
    tags,
    tasks,
    versions,
)

__all__ = [
    "activities",
    "definitions",
    "executions",
    "map_runs",
    "redrive",
    "state_machines",
    "tags",
    "tasks",
    "versions",
]
