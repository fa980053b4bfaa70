"""The state machines a session knows, by ARN and by name, for nested executions.

Every :class:`~sfnlocal.StateMachine` registers itself when created (weakly: a machine nobody holds
disappears), so a parent's ``states:startExecution`` finds its child the way AWS finds it by ARN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakValueDictionary

if TYPE_CHECKING:
    from sfnlocal.interpreter.machine import StateMachine

_MACHINES: WeakValueDictionary[str, StateMachine] = WeakValueDictionary()


def register(machine: StateMachine) -> None:
    """Make ``machine`` findable by its ARN and its name (the latest machine of a name wins)."""
    _MACHINES[machine.arn] = machine
    _MACHINES[machine.name] = machine


def find(arn_or_name: str) -> StateMachine | None:
    """The registered machine with this ARN or name, or None.

    A version or alias qualifier (``...:stateMachine:name:1``) is ignored: sfnlocal keeps one version.
    """
    machine = _MACHINES.get(arn_or_name)
    if machine is None and ":stateMachine:" in arn_or_name:
        base = ":".join(arn_or_name.split(":")[:7])
        machine = _MACHINES.get(base)
    return machine
