"""State machine versions and aliases: what PublishStateMachineVersion and CreateStateMachineAlias make, per engine.

A version is a snapshot of a state machine's revision (definition, role, logging, tracing) numbered from 1 per
machine; its ARN is the machine's ARN and the number (``...:stateMachine:Orders:3``). Numbers are never reused,
even after a version is deleted (as AWS numbers them). An alias names one or two versions with weights that add
up to 100; its ARN is the machine's ARN and the alias's name (``...:stateMachine:Orders:prod``). StartExecution
with an alias runs one of its versions, chosen by weight with the engine's seeded random numbers.

>>> from datetime import UTC, datetime
>>> book = VersionBook()
>>> moment = datetime(2025, 1, 1, tzinfo=UTC)
>>> alias = AliasRecord("prod", "arn:m:prod", "arn:m", None, [{"stateMachineVersionArn": "arn:m:1", "weight": 100}],
...                     moment, moment)
>>> book.aliases[alias.arn] = alias
>>> book.aliases_of("arn:m"), book.aliases_routing_to("arn:m:1")
(['arn:m:prod'], ['prod'])
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sfnlocal.server.store import Store

if TYPE_CHECKING:  # the engine imports this module; the types only are needed here
    from sfnlocal.server.engine import MachineRecord
    from sfnlocal.state_machine import StateMachine

# "Maximum number of published state machine versions: 1000", "Maximum number of aliases: 100" (per state
# machine; Step Functions quotas).
MAX_VERSIONS = 1000
MAX_ALIASES = 100


@dataclass
class VersionRecord:
    """A published version: its ARN and number, its description, when it was published, and ``machine``: the
    state machine as it was (its ``arn`` is the unqualified machine's, as executions of the version name it)."""

    arn: str
    number: int
    description: str | None
    creation_date: datetime
    machine: MachineRecord

    def describe(self) -> dict[str, Any]:
        """DescribeStateMachine's response for the version's ARN: the machine as published, under the version's
        ARN, with the version's description (AWS's recorded responses)."""
        described = self.machine.describe()
        described["stateMachineArn"] = self.arn
        described["creationDate"] = self.creation_date
        if self.description is not None:
            described["description"] = self.description
        return described

    def stored(self) -> dict[str, Any]:
        """What the store keeps of it."""
        return {
            "number": self.number,
            "description": self.description,
            "creation_date": self.creation_date,
            "machine": self.machine.stored(),
        }


@dataclass
class AliasRecord:
    """An alias: its name and ARN, the machine it belongs to, its description and routing configuration
    (``[{"stateMachineVersionArn", "weight"}]``)."""

    name: str
    arn: str
    machine_arn: str
    description: str | None
    routing: list[dict[str, Any]]
    creation_date: datetime
    update_date: datetime

    def describe(self) -> dict[str, Any]:
        """DescribeStateMachineAlias's response."""
        described: dict[str, Any] = {"stateMachineAliasArn": self.arn, "name": self.name}
        if self.description is not None:
            described["description"] = self.description
        described["routingConfiguration"] = [dict(route) for route in self.routing]
        described["creationDate"] = self.creation_date
        described["updateDate"] = self.update_date
        return described

    def choose(self, chance: random.Random) -> str:
        """The version ARN an execution started through the alias runs: each route's share of the runs is its
        weight in percent.

        >>> from datetime import UTC, datetime
        >>> when = datetime(2025, 1, 1, tzinfo=UTC)
        >>> routes = [{"stateMachineVersionArn": "v1", "weight": 0}, {"stateMachineVersionArn": "v2", "weight": 100}]
        >>> AliasRecord("a", "arn", "m", None, routes, when, when).choose(random.Random(1))
        'v2'
        """
        draw = chance.randrange(100)
        for route in self.routing:
            draw -= int(route["weight"])
            if draw < 0:
                break
        return str(route["stateMachineVersionArn"])

    def stored(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class VersionBook:
    """An engine's versions and aliases, and the last version number given per machine (kept after deletions)."""

    versions: dict[str, VersionRecord] = field(default_factory=dict)
    aliases: dict[str, AliasRecord] = field(default_factory=dict)
    last_number: dict[str, int] = field(default_factory=dict)  # machine ARN -> the last version number given
    chance: random.Random = field(default_factory=random.Random)  # where aliases' weighted choices come from

    def versions_of(self, machine_arn: str) -> list[VersionRecord]:
        """The machine's versions, the most recent first (ListStateMachineVersions' order)."""
        found = [version for version in self.versions.values() if version.machine.arn == machine_arn]
        return sorted(found, key=lambda version: version.number, reverse=True)

    def aliases_of(self, machine_arn: str) -> list[str]:
        """The ARNs of the machine's aliases, in the order they were created."""
        return [arn for arn, alias in self.aliases.items() if alias.machine_arn == machine_arn]

    def aliases_routing_to(self, version_arn: str) -> list[str]:
        """The names of the aliases that route to the version."""
        return [
            alias.name
            for alias in self.aliases.values()
            if any(route["stateMachineVersionArn"] == version_arn for route in alias.routing)
        ]

    def current(self, record: MachineRecord) -> VersionRecord | None:
        """The newest version of the machine if it is the machine's current revision."""
        newest = self.versions_of(record.arn)
        return newest[0] if newest and newest[0].machine.revision_id == record.revision_id else None

    def publish(
        self, record: MachineRecord, description: str | None, moment: datetime, store: Store | None
    ) -> VersionRecord:
        """PublishStateMachineVersion of the machine's current revision: the newest version when it already is that
        revision (AWS's publishing is idempotent), a new one numbered after the last otherwise (the caller checked
        the quota)."""
        current = self.current(record)
        if current is not None:
            return current
        number = self.last_number.get(record.arn, 0) + 1
        snapshot = dataclasses.replace(record, logging=dict(record.logging), tracing=dict(record.tracing))
        version = VersionRecord(f"{record.arn}:{number}", number, description, moment, snapshot)
        self.versions[version.arn] = version
        self.last_number[record.arn] = number
        if store is not None:
            store.put("version", version.arn, version.stored())
            store.put("version_number", record.arn, {"number": number})
        return version

    def delete_version(self, arn: str, store: Store | None) -> None:
        """DeleteStateMachineVersion (the caller checked that no alias routes to it)."""
        if self.versions.pop(arn, None) is not None and store is not None:
            store.delete("version", arn)

    def save_alias(self, alias: AliasRecord, store: Store | None) -> None:
        """Keep a new or changed alias."""
        self.aliases[alias.arn] = alias
        if store is not None:
            store.put("alias", alias.arn, alias.stored())

    def delete_alias(self, arn: str, store: Store | None) -> None:
        """DeleteStateMachineAlias."""
        if self.aliases.pop(arn, None) is not None and store is not None:
            store.delete("alias", arn)

    def forget_machine(self, machine_arn: str, store: Store | None) -> None:
        """DeleteStateMachine: its versions and aliases go too."""
        for kind, records in (("version", self.versions), ("alias", self.aliases)):
            for arn in [arn for arn in records if arn.startswith(machine_arn + ":")]:
                del records[arn]
                if store is not None:
                    store.delete(kind, arn)
        self.last_number.pop(machine_arn, None)
        if store is not None:
            store.delete("version_number", machine_arn)

    def restore(self, store: Store, compile: Callable[[str, str, str, str], StateMachine]) -> None:
        """Read back what ``store`` kept (``compile`` builds a version's machine from name, definition, role and
        type)."""
        from sfnlocal.server.engine import MachineRecord  # noqa: PLC0415 (the engine imports this module)

        for arn, kept in store.items("version_number"):
            self.last_number[arn] = int(kept["number"])
        for arn, kept in store.items("version"):
            fields = dict(kept["machine"])
            machine = compile(fields["name"], fields["definition"], fields["role_arn"], fields["type"])
            record = MachineRecord(**fields, machine=machine)
            self.versions[arn] = VersionRecord(
                arn, int(kept["number"]), kept["description"], kept["creation_date"], record
            )
        for arn, kept in store.items("alias"):
            self.aliases[arn] = AliasRecord(**kept)
