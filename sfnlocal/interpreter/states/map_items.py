"""What a Distributed Map iterates over when it does not take its items from its input: the items an
``ItemReader`` reads (through the execution's integration, e.g. the in-process S3).

Skeleton: fails with ``sfnlocal.Unsupported`` until it is implemented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.language.errors import UNSUPPORTED, StatesError

if TYPE_CHECKING:
    from sfnlocal.interpreter.states.base import State, Visit


class ItemReader:
    """A Map state's ``ItemReader``: its Resource, Parameters/Arguments and ReaderConfig, compiled at load."""

    def __init__(self, spec: dict[str, Any], location: str, state: State) -> None:
        self.spec = spec
        self.location = location
        self.state = state

    def read(self, visit: Visit, selected: Any) -> list[Any]:
        """The items, read for this visit (``selected``: the Map's effective input)."""
        raise StatesError(UNSUPPORTED, f"Map state '{self.state.name}': ItemReader is not supported yet")
