"""Whole fuzz cases: a definition with an input, mocks for its tasks, execution options and a TestState request."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from .definitions import definitions, has_cycle, walk_states
from .harness import Case
from .outcomes import mock_specs, odd_errors
from .values import json_values, objects, texts


@st.composite
def cases(draw: st.DrawFn, excluded: frozenset[str]) -> Case:
    """One case; ``excluded`` names the classes of input (``known_open.py``) not to generate."""
    definition = draw(definitions(excluded))
    value = draw(objects(excluded) | json_values(excluded))
    tasks = [name for name, state in walk_states(definition) if state.get("Type") in ("Task", "Map", "Parallel")]
    names = st.sampled_from(tasks) if tasks and draw(st.integers(0, 8)) else texts(excluded, max_size=6)
    mocks = draw(st.dictionaries(names, mock_specs(excluded), max_size=max(len(tasks), 1)))
    return Case(
        definition,
        value,
        mocks,
        draw(_options(excluded, has_cycle(definition))),
        draw(_test_state(excluded, definition)),
        draw(st.lists(_answers(excluded), max_size=3)),
    )


def _answers(excluded: frozenset[str]) -> st.SearchStrategy[tuple[Any, ...]]:
    """What a worker or a test does to a suspended execution (see ``Case.answers``)."""
    return st.one_of(
        json_values(excluded, max_leaves=4).map(lambda output: ("success", output)),
        st.tuples(st.just("failure"), odd_errors(excluded), odd_errors(excluded)),
        st.just(("heartbeat",)),
        st.tuples(st.just("advance"), st.sampled_from([0, 1, 30, 3600, 1e9, -1, float("inf")])),
        st.just(("activity", "arn:aws:states:us-east-1:123456789012:activity:worker")),
    )


@st.composite
def _options(draw: st.DrawFn, excluded: frozenset[str], loops: bool) -> dict[str, Any]:
    options: dict[str, Any] = {"seed": draw(st.integers(0, 3) | st.integers())}
    if loops and draw(st.integers(0, 19)):
        # A loop at AWS's 25,000 events, or with no limit up to the 100,000-state transition limit, takes
        # seconds a run: one case in twenty, so that a long run still goes through many cases an hour.
        options["history_limit"] = draw(st.sampled_from([2, 20, 50, 300, 1000]))
    elif draw(st.integers(0, 4)) == 0:
        options["history_limit"] = draw(st.sampled_from([None, 2, 10, 1000]))
    if options.get("history_limit", 0) is None:
        # Without a history limit a loop ends at the transition limit: at its default of 100,000 states two runs
        # and their rendering take more than a case's bound (tests/test_limits.py runs that one).
        options["transition_limit"] = draw(st.sampled_from([1, 50, 1000]))
    if draw(st.integers(0, 6)) == 0:
        options["stop_after"] = draw(st.sampled_from([0, 1, 59.5, 3600, -1]))
    if draw(st.integers(0, 6)) == 0:
        options["start_time"] = draw(
            st.sampled_from(["2025-01-01T00:00:00Z", "9999-12-31T23:59:00Z", "0001-01-01T00:00:00Z", "bad"])
        )
    if draw(st.integers(0, 6)) == 0:
        options["execution_name"] = draw(st.sampled_from(["run-1", "", "x" * 81, "has space", "ü"]) | texts(excluded))
    return options


@st.composite
def _test_state(draw: st.DrawFn, excluded: frozenset[str], definition: Any) -> dict[str, Any]:
    states = walk_states(definition)
    top = (
        list(definition.get("States", {}))
        if isinstance(definition, dict) and isinstance(definition.get("States"), dict)
        else []
    )
    value = draw(json_values(excluded, max_leaves=6))
    mock = draw(
        st.none()
        | mock_specs(excluded, depth=0)
        | st.builds(lambda v: {"result": v}, json_values(excluded, max_leaves=4))
        | st.builds(lambda e, c: {"error_output": {"error": e, "cause": c}}, odd_errors(excluded), odd_errors(excluded))
    )
    level = draw(st.sampled_from(["INFO", "DEBUG", "TRACE", "bogus"]))
    if top and draw(st.integers(0, 3)):
        request: dict[str, Any] = {
            "state_name": draw(st.sampled_from(top) | texts(excluded, max_size=4)),
            "input": value,
        }
        if draw(st.booleans()):
            request["inspection_level"] = level
        if mock is not None:
            request["mock"] = mock
        if draw(st.integers(0, 5)) == 0:
            request["variables"] = draw(objects(excluded))
        return request
    # The API's own request, as `aws stepfunctions test-state --cli-input-json` takes it: a single state, or odd.
    state = draw(st.sampled_from([s for _, s in states])) if states else definition
    raw: dict[str, Any] = {
        "definition": draw(st.sampled_from([state, definition]) | json_values(excluded, max_leaves=2))
    }
    raw["input"] = draw(st.builds(_json_text, json_values(excluded, max_leaves=4)) | texts(excluded))
    if draw(st.booleans()):
        raw["inspectionLevel"] = level
    if draw(st.integers(0, 3)) == 0:
        raw["variables"] = draw(st.builds(_json_text, objects(excluded)))
    if draw(st.integers(0, 3)) == 0:
        raw["stateName"] = draw(texts(excluded, max_size=4))
    if isinstance(mock, dict) and "result" in mock:
        raw["mock"] = {"result": draw(st.builds(_json_text, json_values(excluded, max_leaves=3)))}
    return {"raw": raw}


def _json_text(value: Any) -> str:
    """The value as JSON text (NaN as Python writes it); a value too deep to write becomes unclosed brackets."""
    try:
        return json.dumps(value)
    except RecursionError:
        return "[" * 2000
