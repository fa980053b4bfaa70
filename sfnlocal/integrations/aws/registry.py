"""Which built-in integration serves a Task's resource.

Integrations register themselves with :func:`integration` for a resource type and action (the
``resourceType``/``resource`` AWS records, without the ``.sync``/``.waitForTaskToken`` suffix), or for
every action of a resource type with ``action="*"`` (the AWS SDK integrations).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sfnlocal.integrations.aws.call import ServiceCall
    from sfnlocal.interpreter.integration import Outcome
    from sfnlocal.language.resources import TaskResource

Handler = Callable[["ServiceCall"], "Outcome"]

_HANDLERS: dict[tuple[str, str], Handler] = {}
_PATTERN_SUFFIXES = (".sync:2", ".sync", ".waitForTaskToken")


def integration(resource_type: str, action: str) -> Callable[[Handler], Handler]:
    """Register a handler for ``resource_type:action`` (``action="*"`` for all of a type's actions).

    >>> @integration("example", "doThing")
    ... def do_thing(call): ...
    >>> _HANDLERS[("example", "doThing")] is do_thing
    True
    """

    def register(handler: Handler) -> Handler:
        _HANDLERS[(resource_type, action)] = handler
        return handler

    return register


def action_of(resource: TaskResource) -> str:
    """The API action of a service resource, without its integration pattern suffix.

    >>> from sfnlocal.language.resources import parse_resource
    >>> action_of(parse_resource("arn:aws:states:::states:startExecution.sync:2"))
    'startExecution'
    """
    action = resource.resource or ""
    for suffix in _PATTERN_SUFFIXES:
        if action.endswith(suffix):
            return action[: -len(suffix)]
    return action


def find_handler(resource: TaskResource) -> Handler | None:
    """The built-in integration for this resource, or None when sfnlocal has none."""
    _load_builtin_integrations()
    resource_type = resource.resource_type or ""
    return (
        _HANDLERS.get((resource_type, action_of(resource)))
        or _HANDLERS.get((resource_type, "*"))
        or (_HANDLERS.get(("aws-sdk", "*")) if resource_type.startswith("aws-sdk:") else None)
    )


def _load_builtin_integrations() -> None:
    # Importing the modules registers their handlers; done on first use so `import sfnlocal` stays fast.
    from sfnlocal.integrations.aws import builtin  # noqa: F401
