"""The API operations, one module per group; importing this package registers every one of them in
:data:`sfnlocal.server.api.OPERATIONS`.

>>> from sfnlocal.server.api import OPERATIONS
>>> "StartExecution" in OPERATIONS and "SendTaskSuccess" in OPERATIONS
True
"""

from sfnlocal.server.operations import activities, definitions, executions, state_machines, tags, tasks

__all__ = ["activities", "definitions", "executions", "state_machines", "tags", "tasks"]
