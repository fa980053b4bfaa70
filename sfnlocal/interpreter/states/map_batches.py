"""A Distributed Map's ``ItemBatcher``: the batches of items its children get, as AWS builds them.

Skeleton: fails with ``sfnlocal.Unsupported`` until it is implemented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.language.errors import UNSUPPORTED, StatesError

if TYPE_CHECKING:
    from sfnlocal.interpreter.states.base import State, Visit


class ItemBatcher:
    """A Map state's ``ItemBatcher``: MaxItemsPerBatch(Path), MaxInputBytesPerBatch(Path), BatchInput."""

    def __init__(self, spec: dict[str, Any], location: str, state: State) -> None:
        self.spec = spec
        self.location = location
        self.state = state

    def batches(self, visit: Visit, selected: Any, items: list[Any]) -> list[Any]:
        """The iterations' inputs: ``{"BatchInput": ..., "Items": [...]}`` per batch, as AWS builds them."""
        raise StatesError(UNSUPPORTED, f"Map state '{self.state.name}': ItemBatcher is not supported yet")
