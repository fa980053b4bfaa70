"""The TestState response, as AWS shapes it: payloads as JSON text, ``inspectionData`` by level and state type.

At INFO the response has no ``inspectionData``; DEBUG and TRACE show the same data (TRACE adds the HTTP
request and response of an HTTP Task that calls its endpoint, which sfnlocal never does offline). What
each state type shows, as recorded from AWS:

* every state: ``input``; ``variables`` (after the state's Assign) unless there are none; ``errorDetails``
  (``retryIndex``/``retryBackoffIntervalSeconds``, ``catchIndex``) when a retrier or catcher applied;
* JSONPath only: ``afterInputPath`` (all types; a Pass state with a ``Result`` reads no input and shows
  none, a mocked Parallel state neither), ``afterParameters`` (Task, Pass, Parallel),
  ``afterResultSelector`` and ``afterResultPath`` (Task, Pass, Map, Parallel), ``afterItemsPath`` (Map);
* ``afterArguments`` in JSONata (Task, Parallel); ``result`` (Task; a Pass state's ``Result``);
* a Map state: ``maxConcurrency`` (0 when unset), ``toleratedFailureCount``/``toleratedFailurePercentage``
  when set, ``afterItemSelector`` with an ItemSelector, ``afterItemBatcher`` (the batches) with an ItemBatcher.

A field shows only once the state got there: a Task whose call failed shows no ``result``.
"""

from __future__ import annotations

from typing import Any

from sfnlocal.interpreter.states.base import (
    AFTER_ARGUMENTS,
    AFTER_INPUT_PATH,
    AFTER_RESULT_PATH,
    AFTER_RESULT_SELECTOR,
    NO_VALUE,
    RESULT,
    State,
)
from sfnlocal.interpreter.visit import Decision
from sfnlocal.language.jsontext import compact_json
from sfnlocal.teststate.composite import (
    AFTER_ITEM_BATCHER,
    AFTER_ITEM_SELECTOR,
    AFTER_ITEMS_PATH,
    MAX_CONCURRENCY,
    TOLERATED_FAILURE_COUNT,
    TOLERATED_FAILURE_PERCENTAGE,
)
from sfnlocal.teststate.harness import TestVisit
from sfnlocal.teststate.request import INFO, TestRequest

_RESULT_TYPES = ("Task", "Pass", "Map", "Parallel")  # the types with ResultSelector or ResultPath data to show
_MAP_FIELDS = (
    AFTER_ITEM_SELECTOR,
    AFTER_ITEM_BATCHER,
    MAX_CONCURRENCY,
    TOLERATED_FAILURE_COUNT,
    TOLERATED_FAILURE_PERCENTAGE,
)
_NUMBERS = (MAX_CONCURRENCY, TOLERATED_FAILURE_COUNT, TOLERATED_FAILURE_PERCENTAGE)


def render(request: TestRequest, state: State, decision: Decision, visit: TestVisit) -> dict[str, Any]:
    """The response to ``request`` whose state's attempt ended as ``decision``."""
    response: dict[str, Any] = {"status": decision.status}
    if decision.output is not NO_VALUE:
        response["output"] = compact_json(decision.output)
    if decision.error is not None:
        if decision.error.error is not None:
            response["error"] = decision.error.error
        if decision.error.cause is not None:
            response["cause"] = decision.error.cause
    if decision.next_state is not None:
        response["nextState"] = decision.next_state
    if request.inspection_level != INFO:
        response["inspectionData"] = _inspection_data(request, state, decision, visit)
    return response


def _inspection_data(request: TestRequest, state: State, decision: Decision, visit: TestVisit) -> dict[str, Any]:
    data: dict[str, Any] = {"input": compact_json(request.input)}
    for stage, name in shown_stages(state).items():
        if stage in visit.inspected:
            value = visit.inspected[stage]
            data[name] = value if stage in _NUMBERS else compact_json(value)
    variables = {**request.variables, **(decision.assigned or {})}
    if variables:
        data["variables"] = compact_json(variables)
    details = error_details(decision)
    if details:
        data["errorDetails"] = details
    return data


def error_details(decision: Decision) -> dict[str, int]:
    """``inspectionData.errorDetails``: the retrier that matched the error (and its backoff, in whole seconds,
    when it retries), the catcher that caught it.

    >>> error_details(Decision("RETRIABLE", retry_index=1, backoff=2.5))
    {'retryIndex': 1, 'retryBackoffIntervalSeconds': 2}
    >>> error_details(Decision("CAUGHT_ERROR", retry_index=0, catch_index=1))
    {'retryIndex': 0, 'catchIndex': 1}
    """
    details: dict[str, int] = {}
    if decision.retry_index is not None:
        details["retryIndex"] = decision.retry_index
    if decision.backoff is not None:
        details["retryBackoffIntervalSeconds"] = int(decision.backoff)
    if decision.catch_index is not None:
        details["catchIndex"] = decision.catch_index
    return details


def shown_stages(state: State) -> dict[str, str]:
    """The stages of ``state``'s data flow AWS shows, and the ``inspectionData`` field each goes in.

    >>> from sfnlocal.interpreter.model import Definition
    >>> task = Definition({"StartAt": "T", "States": {"T": {"Type": "Task", "QueryLanguage": "JSONata",
    ...     "Resource": "arn:aws:states:::sqs:sendMessage", "End": True}}}).root.states["T"]
    >>> shown_stages(task)
    {'afterArguments': 'afterArguments', 'result': 'result'}
    """
    kind, jsonpath = state.type_name, not state.jsonata
    shown: dict[str, str] = {}
    if jsonpath:
        shown[AFTER_INPUT_PATH] = AFTER_INPUT_PATH
    if kind in ("Task", "Parallel") or (kind == "Pass" and jsonpath):
        shown[AFTER_ARGUMENTS] = "afterParameters" if jsonpath else AFTER_ARGUMENTS
    if kind in ("Task", "Pass"):
        shown[RESULT] = RESULT
    if kind == "Map":
        if jsonpath:
            shown[AFTER_ITEMS_PATH] = AFTER_ITEMS_PATH
        shown.update((name, name) for name in _MAP_FIELDS)
    if jsonpath and kind in _RESULT_TYPES:
        shown[AFTER_RESULT_SELECTOR] = AFTER_RESULT_SELECTOR
        shown[AFTER_RESULT_PATH] = AFTER_RESULT_PATH
    return shown
