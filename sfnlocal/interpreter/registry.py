"""The state machines a session knows, by ARN and by name, so that a parent execution finds its children.

Every state machine registers itself in the *current* registry when it is created (weakly: a machine
nobody holds disappears). An execution looks its children up in the registry that was current when it
started: by ARN or name, with or without a version (``:1``) or alias (``:prod``) qualifier (sfnlocal
keeps one version of each machine). :func:`registry_scope` opens a registry of its own for a block
(the pytest plugin opens one per test), so that two tests defining a machine of the same name do not
see each other's; machines registered outside the block stay visible inside it.

>>> from sfnlocal.interpreter.machine import Machine
>>> definition = {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
>>> with registry_scope():
...     inner = Machine(definition, name="Child")
...     current().find("arn:aws:states:us-east-1:123456789012:stateMachine:Child:prod") is inner
True
>>> current().find("Child") is inner
False
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING
from weakref import WeakValueDictionary

if TYPE_CHECKING:
    from sfnlocal.interpreter.machine import Machine

# arn:aws:states:<region>:<account>:stateMachine:<name>[:<version or alias>]
_ARN_PARTS = 7


class Registry:
    """State machines by ARN and by name; a scoped registry also sees its ``parent``'s."""

    def __init__(self, parent: Registry | None = None) -> None:
        self.parent = parent
        self._machines: WeakValueDictionary[str, Machine] = WeakValueDictionary()

    def register(self, machine: Machine) -> None:
        """Make ``machine`` findable by its ARN and its name (the latest machine of a name wins)."""
        self._machines[machine.arn] = machine
        self._machines[machine.name] = machine

    def find(self, arn_or_name: str) -> Machine | None:
        """The machine with this ARN or name (a version or alias qualifier is ignored), or None."""
        registry: Registry | None = self
        while registry is not None:
            machine = registry._find_here(arn_or_name)
            if machine is not None:
                return machine
            registry = registry.parent
        return None

    def _find_here(self, arn_or_name: str) -> Machine | None:
        machines = self._machines
        machine = machines.get(arn_or_name)
        if machine is not None:
            return machine
        if ":stateMachine:" in arn_or_name:  # an ARN with a qualifier: the machine's own ARN is its first 7 parts
            return machines.get(":".join(arn_or_name.split(":")[:_ARN_PARTS]))
        if ":" in arn_or_name:  # a name with a qualifier (a state machine name has no colon)
            return machines.get(arn_or_name.split(":", 1)[0])
        return None


_PROCESS_REGISTRY = Registry()
_CURRENT: ContextVar[Registry] = ContextVar("sfnlocal_registry", default=_PROCESS_REGISTRY)


def current() -> Registry:
    """The registry machines register in now: the innermost :func:`registry_scope`, else the process's."""
    return _CURRENT.get()


@contextmanager
def registry_scope() -> Iterator[Registry]:
    """A registry of its own for the block: machines created inside are found only by executions started
    inside it (and machines created outside stay visible).

    >>> from sfnlocal import StateMachine, registry_scope
    >>> with registry_scope():
    ...     _ = StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}, name="Scoped")
    """
    scope = Registry(parent=current())
    token = _CURRENT.set(scope)
    try:
        yield scope
    finally:
        _CURRENT.reset(token)
