"""A Distributed Map's run: its children as child executions (names, ARNs, records, the map run), and
``ResultWriter``, which writes their results where AWS writes them (through the execution's integration,
e.g. the in-process S3) and gives the Map state its ``ResultWriterDetails``.

Skeleton: ResultWriter fails with ``sfnlocal.Unsupported`` until it is implemented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sfnlocal.language.errors import UNSUPPORTED, StatesError

if TYPE_CHECKING:
    from sfnlocal.interpreter.states.base import State, Visit


class ResultWriter:
    """A Map state's ``ResultWriter``: its Resource, Parameters/Arguments and WriterConfig, compiled at load."""

    def __init__(self, spec: dict[str, Any], location: str, state: State) -> None:
        self.spec = spec
        self.location = location
        self.state = state

    def write(self, visit: Visit, selected: Any, map_run_arn: str, results: list[Any]) -> Any:
        """Write the children's results; return the Map state's result (``{"ResultWriterDetails": ...}``)."""
        raise StatesError(UNSUPPORTED, f"Map state '{self.state.name}': ResultWriter is not supported yet")
