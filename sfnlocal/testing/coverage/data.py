"""Coverage data: how often each item of each state machine was covered, merged across executions,
tests and processes (pytest-xdist workers send theirs to the controller as JSON text).

>>> from sfnlocal import StateMachine
>>> sm = StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}, name="Tiny")
>>> data = CoverageData()
>>> data.add(sm.execute({}))
>>> [record] = data.machines.values()
>>> sorted((item.category, count) for item, count in record.hits.items())
[('states', 1), ('transitions', 1)]
>>> merged = CoverageData.from_json(data.to_json())
>>> merged.merge(data)
>>> sum(merged.machines[record.model.key].hits.values())
4
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from sfnlocal.interpreter.model import Definition
from sfnlocal.testing.coverage.model import Item, MachineModel, definition_digest, observed_item

if TYPE_CHECKING:
    from sfnlocal.interpreter.result import ExecutionResult

FORMAT = 1


class MachineRecord:
    """The items of one state machine and how often each was covered."""

    def __init__(self, model: MachineModel, source: str | None = None) -> None:
        self.model = model
        self.hits: Counter[Item] = Counter()
        # The file the machine was loaded from (a definition or a template; None: a dict or a StateMachine), for
        # the reports that point into it (Cobertura's line numbers).
        self.source = source

    def add(self, result: ExecutionResult) -> None:
        """Count what one execution of this machine did."""
        locations = self.model.locations
        self.hits.update(Item("states", locations[name]) for name in result.path)
        self.hits.update(observed_item(*observation) for observation in result.observations)
        # A Distributed Map's children are executions of their own: what they did is counted, not listed.
        for name, count in result.child_state_counts.items():
            self.hits[Item("states", locations[name])] += count
        for observation, count in result.child_observation_counts.items():
            self.hits[observed_item(*observation)] += count


class CoverageData:
    """Records by ``(machine name, definition digest)``."""

    def __init__(self) -> None:
        self.machines: dict[tuple[str, str], MachineRecord] = {}

    def register(self, name: str, definition: Definition, source: str | None = None) -> MachineRecord:
        """The record of a machine, made (with nothing covered yet) on first sight; ``source`` is the file it
        was loaded from, if any (the first one given is kept)."""
        key = (name, definition_digest(definition.raw))
        record = self.machines.get(key)
        if record is None:
            record = self.machines[key] = MachineRecord(MachineModel(name, definition))
        if record.source is None:
            record.source = source
        return record

    def add(self, result: ExecutionResult) -> None:
        """Count what one execution did."""
        machine = result.state_machine
        self.register(machine.name, machine.model).add(result)

    def merge(self, other: CoverageData) -> None:
        """Add another collection's counts (another test process's, say) to this one."""
        for key, theirs in other.machines.items():
            ours = self.machines.setdefault(key, MachineRecord(theirs.model))
            ours.hits.update(theirs.hits)
            ours.source = ours.source or theirs.source

    def to_json(self) -> str:
        """JSON text that :meth:`from_json` reads back: each machine's name, definition and counts."""
        machines = [
            {
                "name": record.model.name,
                "definition": record.model.definition.raw,
                "source": record.source,
                "hits": [[*item, count] for item, count in record.hits.items()],
            }
            for record in self.machines.values()
        ]
        return json.dumps({"format": FORMAT, "machines": machines})

    @classmethod
    def from_json(cls, text: str) -> CoverageData:
        """Read what :meth:`to_json` wrote."""
        document: dict[str, Any] = json.loads(text)
        if document.get("format") != FORMAT:
            raise ValueError(f"not sfnlocal coverage data of format {FORMAT}: {text[:60]!r}")
        data = cls()
        for machine in document["machines"]:
            record = data.register(machine["name"], Definition(machine["definition"]), machine.get("source"))
            record.hits.update(
                {Item(category, location, detail): count for category, location, detail, count in machine["hits"]}
            )
        return data
