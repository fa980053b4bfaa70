"""CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine, ListStateMachines."""

from __future__ import annotations

from typing import Any

from sfnlocal.language.state_fields import STANDARD
from sfnlocal.server.api import ApiError
from sfnlocal.server.engine import DEFAULT_LOGGING, DEFAULT_TRACING, Engine
from sfnlocal.server.operations.common import (
    check_name,
    engine_operation,
    find_machine,
    page,
    state_machine_arn,
    tag_map,
)
from sfnlocal.server.operations.versions import check_version_description, describe, published
from sfnlocal.validation import InvalidDefinition, create_state_machine_check


@engine_operation("CreateStateMachine")
def create_state_machine(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Create a state machine. As AWS's API reference says, the call is idempotent: the same name, definition,
    type, logging and tracing answer with the machine that exists (a different role or tags are ignored); a
    machine of that name that differs in one of these is StateMachineAlreadyExists."""
    name, definition, role_arn = request["name"], request["definition"], request["roleArn"]
    machine_type = request.get("type", STANDARD)
    check_name(name)
    check_role(role_arn)
    check_definition(definition, machine_type)
    check_version_description(request)
    logging = request.get("loggingConfiguration") or DEFAULT_LOGGING
    tracing = request.get("tracingConfiguration") or DEFAULT_TRACING
    existing = engine.machines.get(engine.arn("stateMachine", name))
    if existing is not None:
        if (existing.definition, existing.type, existing.logging, existing.tracing) != (
            definition,
            machine_type,
            logging,
            tracing,
        ):
            raise ApiError("StateMachineAlreadyExists", f"State Machine Already Exists: '{existing.arn}'")
        return {
            "stateMachineArn": existing.arn,
            "creationDate": existing.creation_date,
            **published(engine, existing, request),
        }
    record = engine.create_machine(name, definition, role_arn, machine_type, logging, tracing)
    if request.get("tags"):
        engine.set_tags(record.arn, tag_map(request["tags"]))
    return {"stateMachineArn": record.arn, "creationDate": record.creation_date, **published(engine, record, request)}


@engine_operation("DescribeStateMachine")
def describe_state_machine(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Describe a state machine, or one of its versions; ``includedData: METADATA_ONLY`` leaves out its definition."""
    described = describe(engine, request["stateMachineArn"])
    if request.get("includedData") == "METADATA_ONLY":
        # The model's words for the response's definition: "If called with includedData = METADATA_ONLY, the
        # returned definition will be {}".
        described = {**described, "definition": "{}"}
    return described


@engine_operation("UpdateStateMachine")
def update_state_machine(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Change a state machine's definition, role, logging or tracing; running executions keep what they started
    with (AWS: "executions already running will continue to use the previous definition and roleArn")."""
    record = find_machine(engine, request["stateMachineArn"])
    changes = ("definition", "roleArn", "loggingConfiguration", "tracingConfiguration", "encryptionConfiguration")
    if not any(key in request for key in changes):
        # AWS's message is not documented; sfnlocal's words name what the request lacks.
        raise ApiError(
            "MissingRequiredParameter",
            "Either the definition, the roleArn, the loggingConfiguration, the tracingConfiguration or the "
            "encryptionConfiguration must be specified",
        )
    check_version_description(request)
    definition = request.get("definition")
    if definition is not None:
        check_definition(definition, record.type)
    if "roleArn" in request:
        check_role(request["roleArn"])
    engine.update_machine(
        record,
        definition,
        request.get("roleArn"),
        request.get("loggingConfiguration"),
        request.get("tracingConfiguration"),
    )
    return {"updateDate": record.update_date, "revisionId": record.revision_id, **published(engine, record, request)}


@engine_operation("DeleteStateMachine")
def delete_state_machine(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """Delete a state machine. Deleting one that does not exist succeeds, as AWS's does (sfnlocal's reading of the
    API reference, which lists no StateMachineDoesNotExist for it)."""
    engine.delete_machine(state_machine_arn(request["stateMachineArn"]))
    return {}


@engine_operation("ListStateMachines")
def list_state_machines(engine: Engine, request: dict[str, Any]) -> dict[str, Any]:
    """The state machines, in the order they were created (AWS documents no order), a page at a time."""
    machines, more = page(list(engine.machines.values()), request)
    listed = [
        {"stateMachineArn": m.arn, "name": m.name, "type": m.type, "creationDate": m.creation_date} for m in machines
    ]
    return {"stateMachines": listed, **more}


def check_role(role_arn: str) -> None:
    """InvalidArn for a role that is not an ARN (the service does not check that the role exists)."""
    if not role_arn.startswith("arn:"):
        raise ApiError("InvalidArn", f"Invalid Arn: 'Invalid ARN prefix: {role_arn}'")


def check_definition(definition: str, machine_type: str) -> None:
    """InvalidDefinition, with AWS's message, for a definition CreateStateMachine refuses."""
    try:
        create_state_machine_check(definition, machine_type)
    except InvalidDefinition as err:
        raise ApiError(err.code, err.message) from None
