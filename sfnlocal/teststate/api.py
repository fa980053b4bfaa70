"""``test_state``: AWS's TestState API, offline.

>>> response = test_state({"definition": {"Type": "Pass", "Parameters": {"id.$": "$.order"}, "Next": "Ship"},
...                        "input": '{"order": 42}', "inspectionLevel": "DEBUG"})
>>> response["status"], response["output"], response["nextState"], response["inspectionData"]["afterParameters"]
('SUCCEEDED', '{"id":42}', 'Ship', '{"id":42}')
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from sfnlocal.integrations.lambda_functions import LambdaFunction
from sfnlocal.interpreter import registry
from sfnlocal.interpreter.machine import DEFAULT_ACCOUNT, DEFAULT_REGION, Machine
from sfnlocal.language.errors import DefinitionError
from sfnlocal.language.jsontext import compact_json
from sfnlocal.teststate.checks import check_request
from sfnlocal.teststate.errors import invalid_definition, refused
from sfnlocal.teststate.harness import run_test
from sfnlocal.teststate.request import parse_request
from sfnlocal.teststate.response import render

# The made-up state machine the state runs in (registered like any machine, under a name of its own).
MACHINE_NAME = "sfnlocal-TestState"


def test_state(
    request: Mapping[str, Any],
    *,
    account: str = DEFAULT_ACCOUNT,
    region: str = DEFAULT_REGION,
    functions: Iterable[LambdaFunction] = (),
) -> dict[str, Any]:
    """Answer a TestState request as AWS does: the response, or :class:`TestStateError` where AWS refuses it.

    ``request`` is the API's request (``aws stepfunctions test-state --cli-input-json``); ``account`` and
    ``region`` are those of the caller, which AWS takes from the credentials and the endpoint. A Task without a
    mock that calls one of ``functions`` (the application's Lambda functions) runs its handler, as AWS's
    TestState invokes the deployed function.
    """
    parsed = parse_request(request)
    try:
        machine = _machine(_definition_text(parsed.machine), account, region)
    except DefinitionError as err:
        detail = err.message if err.location in ("", "/") else f"{err.message} at {err.location}"
        raise invalid_definition(err.code, detail) from None
    registry.current().register(machine)  # as a new Machine would register itself, in this call's registry
    state = machine.model.state_named(parsed.state_name)
    if state is None:
        raise refused("State not found in definition")
    check_request(parsed, state)
    outcome, visit = run_test(parsed, machine, state, functions)
    return render(parsed, state, outcome, visit)


def _definition_text(definition: Any) -> str:
    """The definition as compact JSON (the compiled machines' key). One that is not JSON (a Python value given to the
    API) fails as loading it fails: NaN or Infinity with a DefinitionError naming where, another value JSON cannot
    write (a set) with the encoder's TypeError, as ``StateMachine.from_dict`` gives them."""
    try:
        return compact_json(definition)
    except (TypeError, ValueError, RecursionError):
        Machine(definition, name=MACHINE_NAME)
        raise


@lru_cache(maxsize=64)
def _machine(definition_text: str, account: str, region: str) -> Machine:
    """The compiled machine of a request's definition: compiled once for the calls that test its states (a test
    suite calls test_state many times on one definition; compiling costs most of a call)."""
    return Machine(json.loads(definition_text), name=MACHINE_NAME, account=account, region=region)


test_state.__test__ = False  # type: ignore[attr-defined]  # a function, not a pytest test
