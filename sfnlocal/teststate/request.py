"""A TestState request, read as AWS reads it: JSON text decoded, enums and ranges checked.

The request is the JSON object ``aws stepfunctions test-state --cli-input-json`` sends: ``input``,
``variables``, ``context`` and ``mock.result`` are JSON *text*; ``definition`` is JSON text or, for
convenience, the parsed object. One state on its own is tested as the only state of a machine, named
``StateName`` as AWS names it (so a definition error is located at ``/States/StateName/...``); the
states its transitions name become placeholders, as they are never entered.

>>> request = parse_request({"definition": '{"Type": "Pass", "Next": "Done"}', "input": '{"a": 1}'})
>>> request.state_name, sorted(request.machine["States"]), request.input, request.inspection_level
('StateName', ['Done', 'StateName'], {'a': 1}, 'INFO')
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from random import Random
from typing import Any

from sfnlocal.integrations.lambda_ import LAMBDA_INVOKE, invoke_envelope
from sfnlocal.integrations.mocks.outcomes import Raises, Returns
from sfnlocal.language.identifiers import seeded_uuid4
from sfnlocal.language.jsontext import compact_json, json_copy
from sfnlocal.language.state_graph import StateGraph, state_transitions
from sfnlocal.teststate.errors import (
    INVALID_EXECUTION_INPUT,
    TestStateError,
    constraint_refused,
    invalid_definition,
    refused,
)

INFO, DEBUG, TRACE = "INFO", "DEBUG", "TRACE"
INSPECTION_LEVELS = (INFO, DEBUG, TRACE)
STRICT, PRESENT, NONE = "STRICT", "PRESENT", "NONE"
VALIDATION_MODES = (STRICT, PRESENT, NONE)
# The name AWS gives a state tested on its own (it shows in definition errors and in $$.State.Name).
TEST_STATE_NAME = "StateName"
NO_RESULT: Any = type("NoResult", (), {"__repr__": lambda self: "NO_RESULT"})()

_FIELDS = (
    "definition",
    "roleArn",
    "input",
    "inspectionLevel",
    "revealSecrets",
    "variables",
    "stateName",
    "mock",
    "context",
    "stateConfiguration",
)
_NOT_NEGATIVE = "Member must have value greater than or equal to 0"
# AWS's refusal of a mock with both (recorded: LocalStack's test_state_mock_validation.snapshot.json, 2025-12-10).
BOTH_RESULT_AND_ERROR = "A test mock should have only one of the following fields: [result, errorOutput]."
# A mock with neither: AWS's answer is not recorded; sfnlocal words it after the refusal of both.
NEITHER_RESULT_NOR_ERROR = "A test mock should have one of the following fields: [result, errorOutput]."


@dataclass(frozen=True)
class Mock:
    """``mock``: the state's result (a JSON value), or the error it fails with; and how strictly the result
    is checked against the service's API (``fieldValidationMode``)."""

    result: Any = NO_RESULT
    error: str | None = None
    cause: str | None = None
    field_validation_mode: str = STRICT

    @property
    def fails(self) -> bool:
        """Whether the mock is an error output rather than a result."""
        return self.result is NO_RESULT


@dataclass(frozen=True)
class StateConfiguration:
    """``stateConfiguration``: where in its life the tested state is (retries so far, failed iterations, ...)."""

    retrier_retry_count: int = 0
    error_caused_by_state: str | None = None
    map_iteration_failure_count: int | None = None
    map_item_reader_data: str | None = None


@dataclass(frozen=True)
class TestRequest:
    """A decoded TestState request; ``machine`` holds the state under test, named ``state_name``."""

    __test__ = False  # not a pytest test class, despite its name

    machine: dict[str, Any]
    state_name: str
    input: Any = field(default_factory=dict)
    inspection_level: str = INFO
    role_arn: str | None = None
    reveal_secrets: bool = False
    variables: dict[str, Any] = field(default_factory=dict)
    mock: Mock | None = None
    context: dict[str, Any] | None = None
    configuration: StateConfiguration = field(default_factory=StateConfiguration)


def parse_request(request: Mapping[str, Any]) -> TestRequest:
    """Decode a TestState request; raises :class:`TestStateError` where AWS refuses it."""
    unknown = [name for name in request if name not in _FIELDS]
    if unknown:
        raise refused(f'Unknown parameter in input: "{unknown[0]}", must be one of: {", ".join(_FIELDS)}')
    machine, state_name = _machine(_definition(request.get("definition")), request.get("stateName"))
    level = request.get("inspectionLevel") or INFO
    if level not in INSPECTION_LEVELS:
        raise constraint_refused("inspectionLevel", level, _enum(INSPECTION_LEVELS))
    state_input = _decode(
        request,
        "input",
        {},
        lambda detail: TestStateError(INVALID_EXECUTION_INPUT, f"Invalid State Machine Execution Input: '{detail}'"),
    )
    variables = _decode(request, "variables", {}, lambda detail: refused("Variables must be valid JSON"))
    if not isinstance(variables, dict):
        raise refused("Variables must be a JSON object")
    context = _decode(
        request,
        "context",
        None,
        lambda detail: refused("Invalid Context object provided: the context must be valid JSON"),
    )
    if context is not None and not isinstance(context, dict):
        raise refused("Invalid Context object provided: the context must be a JSON object")
    return TestRequest(
        machine=machine,
        state_name=state_name,
        input=state_input,
        inspection_level=level,
        role_arn=request.get("roleArn"),
        reveal_secrets=bool(request.get("revealSecrets")),
        variables=variables,
        mock=_mock(request.get("mock")),
        context=context,
        configuration=_configuration(request.get("stateConfiguration") or {}),
    )


def _enum(values: tuple[str, ...]) -> str:
    return f"Member must satisfy enum value set: [{', '.join(values)}]"


def _decode(request: Mapping[str, Any], key: str, default: Any, invalid: Callable[[str], TestStateError]) -> Any:
    """The JSON value of a request field sent as JSON text; ``invalid(detail)`` is the refusal of bad JSON."""
    text = request.get(key)
    if text is None:
        return default
    if not isinstance(text, str):
        raise refused(f"{key} must be JSON text (a string), not a {type(text).__name__}")
    try:
        return json.loads(text)
    except ValueError as err:
        raise invalid(str(err)) from None


def _definition(value: Any) -> dict[str, Any]:
    if value is None:
        raise constraint_refused("definition", None, "Member must not be null")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as err:
            raise invalid_definition("INVALID_JSON_DESCRIPTION", str(err)) from None
    if not isinstance(value, dict):
        raise invalid_definition("SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object")
    return value


def _machine(definition: dict[str, Any], state_name: Any) -> tuple[dict[str, Any], str]:
    """The machine the state runs in, and the state's name there."""
    if state_name is not None:
        if not isinstance(state_name, str):
            raise refused("State not found in definition")
        return definition, state_name
    if "States" in definition and "Type" not in definition:
        raise refused("stateName must be specified when the definition is a state machine")
    targets = (transition.target for transition in state_transitions(definition))
    placeholders = {name: {"Type": "Succeed"} for name in targets if name is not None and name != TEST_STATE_NAME}
    return {"StartAt": TEST_STATE_NAME, "States": {TEST_STATE_NAME: definition, **placeholders}}, TEST_STATE_NAME


def _mock(value: Any) -> Mock | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise refused("mock must be an object with a result or an errorOutput")
    mode = value.get("fieldValidationMode") or STRICT
    if mode not in VALIDATION_MODES:
        raise constraint_refused("mock.fieldValidationMode", mode, _enum(VALIDATION_MODES))
    text: Any = value.get("result")  # JSON text, or anything else (refused below)
    error_output = value.get("errorOutput")
    if text is not None and error_output is not None:
        raise refused(BOTH_RESULT_AND_ERROR)
    if text is None and error_output is None:
        raise refused(NEITHER_RESULT_NOR_ERROR)
    if error_output is not None:
        error = error_output.get("error") if isinstance(error_output, Mapping) else None
        if not isinstance(error, str):
            # Not recorded (the API model makes ``error`` optional): sfnlocal's wording.
            raise refused("mock.errorOutput.error must be specified when mock.errorOutput is specified")
        return Mock(error=error, cause=error_output.get("cause"), field_validation_mode=mode)
    try:
        result = json.loads(text)
    except (TypeError, ValueError):  # not text, or not JSON (recorded, even with fieldValidationMode NONE)
        raise refused("Mocked result must be valid JSON") from None
    return Mock(result=result, field_validation_mode=mode)


def _configuration(value: Mapping[str, Any]) -> StateConfiguration:
    counts = {}
    for key in ("retrierRetryCount", "mapIterationFailureCount"):
        count = value.get(key)
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
            raise constraint_refused(f"stateConfiguration.{key}", count, _NOT_NEGATIVE)
        counts[key] = count
    return StateConfiguration(
        counts["retrierRetryCount"] or 0,
        value.get("errorCausedByState"),
        counts["mapIterationFailureCount"],
        value.get("mapItemReaderData"),
    )


# From StateMachine.test_state(**arguments) ----------------------------------------------------------------

_ARGUMENTS = {
    "input": "input",
    "inspection_level": "inspectionLevel",
    "mock": "mock",
    "variables": "variables",
    "context": "context",
    "state_configuration": "stateConfiguration",
    "reveal_secrets": "revealSecrets",
    "role_arn": "roleArn",
}
_CONFIGURATION = {
    "retrier_retry_count": "retrierRetryCount",
    "error_caused_by_state": "errorCausedByState",
    "map_iteration_failure_count": "mapIterationFailureCount",
    "map_item_reader_data": "mapItemReaderData",
}
_MOCK = {"result": "result", "error_output": "errorOutput", "field_validation_mode": "fieldValidationMode"}
# The RequestId of the Invoke envelope around a mocks.returns() result: one seeded value, so runs repeat.
_REQUEST_ID = seeded_uuid4(Random(0))


def request_from_arguments(
    definition: dict[str, Any], state_name: str | None, arguments: Mapping[str, Any]
) -> dict[str, Any]:
    """The TestState request for ``StateMachine.test_state(state_name, **arguments)``.

    ``arguments`` are the request's fields in snake_case, as Python values: ``input``, ``variables`` and
    ``context`` are encoded as JSON text; ``mock`` is ``mocks.returns(value)`` / ``mocks.raises(error,
    cause)`` or ``{"result": value}`` / ``{"error_output": {"error": ..., "cause": ...}}`` with an optional
    ``field_validation_mode``; ``state_configuration`` takes snake_case keys.

    ``mocks.returns(value)`` means what it means in ``execute(mocks=...)`` (docs/mocking.md): for a
    ``lambda:invoke`` request-response Task, ``value`` is the function's result, given to the state in
    Lambda's Invoke envelope (``Payload``, ``StatusCode``, ...) as an execution gives it; for every other
    Task (a ``.waitForTaskToken`` one: what SendTaskSuccess sends) and with ``raw=True``, ``value`` is the
    result as is. ``{"result": value}`` is TestState's own mock: the service's raw response, as AWS takes it.

    >>> from sfnlocal import mocks
    >>> request_from_arguments({"StartAt": "A", "States": {}}, "A", {"input": {"n": 1},
    ...     "mock": mocks.raises("Boom", "it broke"), "state_configuration": {"retrier_retry_count": 1}})
    {'definition': {'StartAt': 'A', 'States': {}}, 'stateName': 'A', 'input': '{"n":1}',
     'mock': {'errorOutput': {'error': 'Boom', 'cause': 'it broke'}}, 'stateConfiguration': {'retrierRetryCount': 1}}
    """
    request: dict[str, Any] = {"definition": definition}
    if state_name is not None:
        request["stateName"] = state_name
    for name, value in arguments.items():
        if name not in _ARGUMENTS:
            raise TypeError(f"test_state() got an unexpected argument {name!r}; it takes {', '.join(_ARGUMENTS)}")
        if name in ("input", "variables", "context"):
            value = _json_text(value, f"test_state()'s {name}")
        elif name == "mock":
            value = _mock_request(value, _tested_state(definition, state_name))
        elif name == "state_configuration":
            value = _configuration_request(value)
        request[_ARGUMENTS[name]] = value
    return request


def _tested_state(definition: Any, state_name: str | None) -> Any:
    """The object of the state under test: the named state at any depth, or the definition that is one state."""
    if state_name is None:
        return definition
    node = StateGraph(definition).state_named(state_name)
    return None if node is None else node.spec


def _mock_request(mock: Any, state: Any) -> dict[str, Any]:
    if isinstance(mock, Returns):
        resource = state.get("Resource") if isinstance(state, dict) else None
        if mock.raw or resource != LAMBDA_INVOKE:  # .waitForTaskToken's result is what SendTaskSuccess sends
            return {"result": _json_text(mock.value, "test_state()'s mock result")}
        # The function's result in the envelope an execution gives the state (Payload parsed, as Step
        # Functions parses it). TestState's field validation reads a Payload as Lambda's blob, JSON text,
        # and would refuse this form of the same response, so it is not checked against the API's model.
        envelope = invoke_envelope(json_copy(mock.value, "test_state()'s mock result"), _REQUEST_ID)
        return {"result": compact_json(envelope), "fieldValidationMode": NONE}
    if isinstance(mock, Raises):
        return {"errorOutput": {"error": mock.error, "cause": mock.cause}}
    if not isinstance(mock, Mapping) or not set(mock) <= set(_MOCK):
        raise TypeError(
            f"mock must be mocks.returns(...), mocks.raises(...) or a dict with keys {', '.join(_MOCK)}; got {mock!r}"
        )
    return {
        _MOCK[key]: _json_text(value, "test_state()'s mock result") if key == "result" else value
        for key, value in mock.items()
    }


def _json_text(value: Any, what: str) -> str:
    """A value as the request's JSON text; one JSON cannot hold (NaN, a set) is a ``TypeError`` saying where."""
    return compact_json(json_copy(value, what))


def _configuration_request(configuration: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(configuration) - set(_CONFIGURATION)
    if unknown:
        raise TypeError(f"state_configuration takes {', '.join(_CONFIGURATION)}; not {', '.join(sorted(unknown))}")
    return {
        _CONFIGURATION[key]: value
        if key != "map_item_reader_data" or isinstance(value, str)
        else _json_text(value, "test_state()'s map_item_reader_data")
        for key, value in configuration.items()
    }
