"""PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion, CreateStateMachineAlias,
DescribeStateMachineAlias, UpdateStateMachineAlias, DeleteStateMachineAlias, ListStateMachineAliases; and what the
other operations need of versions and aliases: qualified ARNs (``<machine ARN>:<version number>``,
``<machine ARN>:<alias name>``) read as AWS reads them, ``publish`` on Create/UpdateStateMachine.

Messages quoted below are AWS's, as recorded against AWS; where AWS's words were not found, the message says
what is wrong in sfnlocal's words (marked so in the code).

>>> qualifier("arn:aws:states:us-east-1:123456789012:stateMachine:Orders:7")
('arn:aws:states:us-east-1:123456789012:stateMachine:Orders', '7')
>>> qualifier("arn:aws:states:us-east-1:123456789012:stateMachine:Orders")
('arn:aws:states:us-east-1:123456789012:stateMachine:Orders', None)
"""

from __future__ import annotations

from typing import Any

from sfnlocal.server.api import ApiError
from sfnlocal.server.engine import Engine, MachineRecord, now
from sfnlocal.server.operations.common import engine_operation, find_machine, page, resource_type
from sfnlocal.server.versions import MAX_ALIASES, MAX_VERSIONS, AliasRecord, VersionRecord

_MACHINE_ARN_PARTS = 7  # arn:aws:states:<region>:<account>:stateMachine:<name>
VERSION_ARN = "stateMachineVersionArn"
ALIAS_ARN = "stateMachineAliasArn"
# AWS's words for an alias ARN that names no alias (recorded for UpdateStateMachineAlias).
NO_SUCH_RESOURCE = "Request references a resource that does not exist."


def qualifier(arn: str) -> tuple[str, str | None]:
    """A state machine ARN's unqualified part and its qualifier (a version number or an alias name, or None);
    InvalidArn for an ARN that is not a state machine's."""
    resource_type(arn, "stateMachine")
    parts = arn.split(":")
    if len(parts) == _MACHINE_ARN_PARTS:
        return arn, None
    return ":".join(parts[:_MACHINE_ARN_PARTS]), ":".join(parts[_MACHINE_ARN_PARTS:])


def is_version(qualified: str | None) -> bool:
    """A qualifier that is a version number (an alias name has a character other than a digit, by its pattern)."""
    return qualified is not None and qualified.isdigit()


def find_version(engine: Engine, arn: str) -> VersionRecord:
    """The version ``arn`` names, or StateMachineDoesNotExist with that ARN (AWS's answer for a deleted
    version)."""
    version = engine.versions.versions.get(arn)
    if version is None:
        raise ApiError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")
    return version


def find_alias(engine: Engine, arn: str) -> AliasRecord:
    """The alias ``arn`` names: InvalidArn for an ARN that is not an alias's, ResourceNotFound for none."""
    _, qualified = qualifier(arn)
    if qualified is None or is_version(qualified):
        # AWS's words for a state machine or version ARN given as an alias's are not documented: sfnlocal's.
        raise ApiError("InvalidArn", f"Invalid Arn: 'Not a state machine alias ARN: {arn}'")
    alias = engine.versions.aliases.get(arn)
    if alias is None:
        raise ApiError("ResourceNotFound", NO_SUCH_RESOURCE)
    return alias


def start_target(engine: Engine, arn: str) -> tuple[MachineRecord, dict[str, str]]:
    """What StartExecution (or StartSyncExecution) of ``arn`` runs: the machine, one of its versions, or the
    version an alias picks by its weights; and the qualifiers the execution's description shows
    (``stateMachineVersionArn``, ``stateMachineAliasArn``, as AWS shows them)."""
    _, qualified = qualifier(arn)
    if qualified is None:
        return find_machine(engine, arn), {}
    if is_version(qualified):
        return find_version(engine, arn).machine, {VERSION_ARN: arn}
    alias = engine.versions.aliases.get(arn)
    if alias is None:
        raise ApiError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")
    version_arn = alias.choose(engine.versions.chance)
    return find_version(engine, version_arn).machine, {ALIAS_ARN: arn, VERSION_ARN: version_arn}


def describe(engine: Engine, arn: str) -> dict[str, Any]:
    """DescribeStateMachine of a machine or of one of its versions (an alias ARN names no machine:
    StateMachineDoesNotExist, sfnlocal's reading of the API reference, which describes machines and versions)."""
    _, qualified = qualifier(arn)
    if qualified is None:
        return find_machine(engine, arn).describe()
    if is_version(qualified):
        return find_version(engine, arn).describe()
    raise ApiError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")


def listed_executions(engine: Engine, arn: str) -> tuple[MachineRecord, tuple[str, str] | None]:
    """ListExecutions of ``arn``: the machine whose executions are listed, and for a version or alias ARN the
    description member the executions must have (those started through that version or alias)."""
    machine_arn, qualified = qualifier(arn)
    record = find_machine(engine, machine_arn)
    if qualified is None:
        return record, None
    if is_version(qualified):
        find_version(engine, arn)
        return record, (VERSION_ARN, arn)
    find_alias(engine, arn)
    return record, (ALIAS_ARN, arn)


def check_version_description(request: dict[str, Any]) -> None:
    """CreateStateMachine and UpdateStateMachine refuse ``versionDescription`` without ``publish`` (AWS's
    recorded ValidationException)."""
    if request.get("versionDescription") is not None and not request.get("publish"):
        raise ApiError("ValidationException", "Version description can only be set when publish is true")


def published(engine: Engine, record: MachineRecord, request: dict[str, Any]) -> dict[str, Any]:
    """The ``stateMachineVersionArn`` member of Create/UpdateStateMachine's response when the request asks to
    ``publish`` the machine's (new) revision; ``{}`` otherwise."""
    if not request.get("publish"):
        return {}
    return {VERSION_ARN: _publish(engine, record, request.get("versionDescription")).arn}


def _publish(engine: Engine, record: MachineRecord, description: str | None) -> VersionRecord:
    book = engine.versions
    if book.current(record) is None and len(book.versions_of(record.arn)) >= MAX_VERSIONS:
        # AWS's words are not documented: sfnlocal's.
        raise ApiError(
            "ServiceQuotaExceededException",
            f"A state machine has at most {MAX_VERSIONS} versions: delete one of '{record.arn}' before publishing",
        )
    return book.publish(record, description, now(), engine.store)


@engine_operation("PublishStateMachineVersion")
def publish_state_machine_version(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Publish the machine's current revision as a version (the same revision again: the same version). A
    ``revisionId`` that is not the current revision is a ConflictException."""
    record = find_machine(engine, request["stateMachineArn"])
    revision = request.get("revisionId")
    if revision is not None and revision != record.revision_id:
        raise ApiError(
            "ConflictException",
            f"Failed to publish the State Machine version for revision {revision}. "
            f"The current State Machine revision is {record.revision_id}.",
        )
    version = _publish(engine, record, request.get("description"))
    return {"creationDate": version.creation_date, VERSION_ARN: version.arn}


@engine_operation("ListStateMachineVersions")
def list_state_machine_versions(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The machine's versions, the most recent first, a page at a time."""
    arn = request["stateMachineArn"]
    qualifier(arn)
    chosen, more = page(engine.versions.versions_of(arn), request, [arn])
    listed = [{VERSION_ARN: version.arn, "creationDate": version.creation_date} for version in chosen]
    return {"stateMachineVersions": listed, **more}


@engine_operation("DeleteStateMachineVersion")
def delete_state_machine_version(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Delete a version (one that does not exist: nothing happens, as AWS answers); ConflictException while an
    alias routes to it."""
    arn = request[VERSION_ARN]
    _, qualified = qualifier(arn)
    if not is_version(qualified):
        # AWS's words are not documented: sfnlocal's.
        raise ApiError("InvalidArn", f"Invalid Arn: 'Not a state machine version ARN: {arn}'")
    names = engine.versions.aliases_routing_to(arn)
    if names:
        raise ApiError(
            "ConflictException",
            "Version to be deleted must not be referenced by an alias. "
            f"Current list of aliases referencing this version: [{', '.join(names)}]",
        )
    engine.versions.delete_version(arn, engine.store)
    return {}


@engine_operation("CreateStateMachineAlias")
def create_state_machine_alias(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Create an alias of the machine whose versions its routing configuration names. The same name, description
    and routing again answer with the alias that exists; a different one is a ConflictException."""
    routing = _routing(engine, request["routingConfiguration"])
    machine_arn, _ = qualifier(routing[0][VERSION_ARN])
    arn = f"{machine_arn}:{request['name']}"
    description = request.get("description")
    existing = engine.versions.aliases.get(arn)
    if existing is not None:
        if (existing.description, existing.routing) != (description, routing):
            raise ApiError(
                "ConflictException",
                "Failed to create alias because an alias with the same name and a different routing configuration "
                "already exists.",
            )
        return {ALIAS_ARN: existing.arn, "creationDate": existing.creation_date}
    if len(engine.versions.aliases_of(machine_arn)) >= MAX_ALIASES:
        # AWS's words are not documented: sfnlocal's.
        raise ApiError(
            "ServiceQuotaExceededException",
            f"A state machine has at most {MAX_ALIASES} aliases: delete one of '{machine_arn}' first",
        )
    moment = now()
    alias = AliasRecord(request["name"], arn, machine_arn, description, routing, moment, moment)
    engine.versions.save_alias(alias, engine.store)
    return {ALIAS_ARN: alias.arn, "creationDate": alias.creation_date}


@engine_operation("DescribeStateMachineAlias")
def describe_state_machine_alias(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Describe an alias."""
    return find_alias(engine, request[ALIAS_ARN]).describe()


@engine_operation("UpdateStateMachineAlias")
def update_state_machine_alias(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Change an alias's description or routing configuration (versions of its own machine)."""
    alias = find_alias(engine, request[ALIAS_ARN])
    if "description" not in request and "routingConfiguration" not in request:
        # AWS's words are not documented: sfnlocal's.
        raise ApiError("ValidationException", "Either the description or the routingConfiguration must be specified")
    if "routingConfiguration" in request:
        routing = _routing(engine, request["routingConfiguration"])
        machine_arn, _ = qualifier(routing[0][VERSION_ARN])
        if machine_arn != alias.machine_arn:
            # AWS's words are not documented: sfnlocal's.
            raise ApiError(
                "ValidationException",
                f"Routing configuration must contain versions of the alias's state machine '{alias.machine_arn}'",
            )
        alias.routing = routing
    if "description" in request:
        alias.description = request["description"]
    alias.update_date = now()
    engine.versions.save_alias(alias, engine.store)
    return {"updateDate": alias.update_date}


@engine_operation("DeleteStateMachineAlias")
def delete_state_machine_alias(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Delete an alias (one that does not exist: nothing happens, as AWS answers)."""
    arn = request[ALIAS_ARN]
    if arn in engine.versions.aliases:
        find_alias(engine, arn)
    else:
        qualifier(arn)
    engine.versions.delete_alias(arn, engine.store)
    return {}


@engine_operation("ListStateMachineAliases")
def list_state_machine_aliases(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The aliases of a machine in the order they were created, or, for a version's ARN, the aliases that route
    to it; a page at a time."""
    arn = request["stateMachineArn"]
    machine_arn, qualified = qualifier(arn)
    find_machine(engine, machine_arn)
    book = engine.versions
    if qualified is None:
        arns = book.aliases_of(arn)
    elif is_version(qualified):
        if arn not in book.versions:
            raise ApiError("ResourceNotFound", NO_SUCH_RESOURCE)
        names = set(book.aliases_routing_to(arn))
        arns = [alias_arn for alias_arn in book.aliases_of(machine_arn) if book.aliases[alias_arn].name in names]
    else:
        raise ApiError("InvalidArn", f"Invalid Arn: 'Not a state machine or version ARN: {arn}'")  # sfnlocal's words
    chosen, more = page(arns, request, [arn])
    listed = [{ALIAS_ARN: alias_arn, "creationDate": book.aliases[alias_arn].creation_date} for alias_arn in chosen]
    return {"stateMachineAliases": listed, **more}


def _routing(engine: Engine, routes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A routing configuration checked as AWS checks it: version ARNs (AWS's words), distinct (AWS's words),
    weights adding up to 100 (AWS's words), of one machine, of versions that exist."""
    arns = [str(route[VERSION_ARN]) for route in routes]
    if not all(is_version(_qualifier_or_none(arn)) for arn in arns):
        raise ApiError(
            "ValidationException",
            f"Routing configuration must contain state machine version ARNs. Received: [{', '.join(arns)}]",
        )
    if len(set(arns)) != len(arns):
        raise ApiError(
            "ValidationException",
            f"Routing configuration must contain distinct state machine version ARNs. Received: [{', '.join(arns)}]",
        )
    weights = [int(route["weight"]) for route in routes]
    if sum(weights) != 100:  # noqa: PLR2004 (percent)
        raise ApiError(
            "ValidationException",
            f"Sum of routing configuration weights must equal 100. Received: [{', '.join(map(str, weights))}]",
        )
    if len({qualifier(arn)[0] for arn in arns}) != 1:
        # AWS's words are not documented: sfnlocal's.
        raise ApiError("ValidationException", "Routing configuration must contain versions of one state machine")
    if any(arn not in engine.versions.versions for arn in arns):
        raise ApiError("ResourceNotFound", NO_SUCH_RESOURCE)
    return [{VERSION_ARN: arn, "weight": weight} for arn, weight in zip(arns, weights, strict=True)]


def _qualifier_or_none(arn: str) -> str | None:
    try:
        return qualifier(arn)[1]
    except ApiError:
        return None
