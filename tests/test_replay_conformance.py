"""Every execution recorded against AWS in ../shared/conformance that has a history replays as "same" against its
own definition with sfnlocal's replay (the feature users run on their own exported histories), except the ones
listed here with the reason; and a deliberately changed definition diverges at the state that was changed.

The recordings are normalised (placeholders for names, tokens, dates); the replay reads them as it reads a user's
export, with three adjustments of the recording's own conventions: the input as the case gives it (the history's
copy had its dates masked), the recorder's masked values as placeholders, and its renamed resources as aliases.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from support import CORPUS

from conformance.cases import Case, load
from conformance.normalise import EXECUTION_NAME, Conventions, apply_masks
from conformance.replay import machine_for, start_time, stop_after
from sfnlocal.replay import DIVERGED, NOT_REPLAYABLE, SAME, HistoryError, RecordedExecution, ReplayReport, replay

ITEM_DATA = "the history does not hold what it"  # ItemReader / ResultWriter: objects in S3
IN_CHILD_EXECUTIONS = "run in a Distributed Map's child executions"
RESORTED = "has no integer id"  # the recorder re-sorted Parallel branch events and dropped their ids

# Not replayable: the history does not hold what the replay needs.
ASSIGN = "v2/assign/test_assign_reference_variables.py::TestAssignReferenceVariables::"
SCENARIOS = "v2/scenarios/test_base_scenarios.py::TestBaseScenarios::"
NOT_REPLAYABLE_CASES = {
    f"{ASSIGN}test_reference_in_map_state_max_items_path[MAP_STATE_REFERENCE_IN_MAX_ITEMS_PATH]": ITEM_DATA,
    f"{ASSIGN}test_reference_in_map_state_max_items_path[MAP_STATE_REFERENCE_IN_MAX_PER_BATCH_PATH]": ITEM_DATA,
    "v2/local_mocking/test_base_scenarios.py::TestBaseScenarios::test_map_state_lambda": IN_CHILD_EXECUTIONS,
    f"{SCENARIOS}test_map_state_config_distributed_reentrant_lambda": IN_CHILD_EXECUTIONS,
    f"{SCENARIOS}test_map_state_result_writer": ITEM_DATA,
    # The recording goes from TaskStateEntered to ExecutionFailed: the call failed before it was scheduled.
    "v2/services/test_apigetway_task_service.py::TestTaskApiGateway::test_invoke_with_headers[singleStringHeader]": (
        "holds no answer for Task state(s) 'ApiGatewayInvoke'"
    ),
}
NOT_REPLAYABLE_PREFIXES = {  # every case of these families reads its items from S3
    f"{SCENARIOS}test_map_item_reader_": ITEM_DATA,
    f"{SCENARIOS}test_map_item_batching_": ITEM_DATA,
}
# Diverging where sfnlocal itself differs from AWS, not its replay (the conformance runner's history details show
# the same differences), or where the recording cannot be replayed as it stands.
DIVERGING_CASES = {
    "v2/activities/test_activities.py::TestActivities::test_activity_task_on_deleted": "the activity was deleted "
    "before the execution: sfnlocal has no deleted activities, so the replay schedules it",
    "v2/intrinsic_functions/test_math_operations.py::TestMathOperations::test_math_random_seeded": "the recorder "
    "masked a number with a string",
    f"{SCENARIOS}test_lambda_invoke_with_retry_extended_input": "the "
    "recording's context object has no Execution.RedriveCount (the recorder skips it); sfnlocal's has",
}


def _cases() -> list[Any]:
    if not CORPUS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason="../shared/conformance is not available"))]
    found = []
    for path in sorted(CORPUS.glob("*.json")):
        data = json.loads(path.read_text())
        if isinstance(data.get("expected"), dict) and "status" in data["expected"] and data.get("history"):
            found.append(pytest.param(path.name, id=data["id"]))
    return found


def recorded(case: Case) -> RecordedExecution:
    """The case's history as a user's export, with the recording's conventions undone (see the module docstring)."""
    events = copy.deepcopy(case.history)
    events[0]["executionStartedEventDetails"]["input"] = case.input
    masks = Conventions.of(case.meta).masks
    if masks:
        events = apply_masks({"events": events}, [(path, "<masked>") for path, _ in masks])["events"]
    return RecordedExecution.from_events(events, case.id)


def replayed(case: Case, definition: dict[str, Any] | None = None) -> ReplayReport:
    machine = machine_for(case if definition is None else Case(case.id, definition, case.input, case.expected))
    return replay(
        machine,
        recorded(case),
        execution_name=EXECUTION_NAME,
        start_time=start_time(case),
        stop_after=stop_after(case),
        aliases=Conventions.of(case.meta).replacements,
    )


def _expected_not_replayable(case_id: str) -> str | None:
    if case_id in NOT_REPLAYABLE_CASES:
        return NOT_REPLAYABLE_CASES[case_id]
    return next((reason for prefix, reason in NOT_REPLAYABLE_PREFIXES.items() if case_id.startswith(prefix)), None)


@pytest.mark.parametrize("name", _cases())
def test_a_recorded_execution_replays_the_same_against_its_own_definition(name: str) -> None:
    case = load(CORPUS / name)
    assert case is not None
    if any(not isinstance(event.get("id"), int) for event in case.history):
        with pytest.raises(HistoryError, match=RESORTED):
            recorded(case)
        return
    report = replayed(case)
    reason = _expected_not_replayable(case.id)
    if reason is not None:
        assert report.verdict == NOT_REPLAYABLE and reason in report.reason, report.render()
    elif case.id in DIVERGING_CASES:
        assert report.verdict == DIVERGED, f"{case.id} no longer diverges ({DIVERGING_CASES[case.id]}): unlist it"
    else:
        assert report.verdict == SAME, report.render()


# --- a changed definition diverges where it was changed ------------------------------------------------------


def _corpus(name: str) -> Case:
    path = CORPUS / name
    if not path.exists():
        pytest.skip("../shared/conformance is not available")
    case = load(path)
    assert case is not None
    return case


def test_a_flipped_choice_rule_diverges_at_the_choice_state() -> None:
    case = _corpus(
        "v2__scenarios__test_base_scenarios.py--TestBaseScenarios--"
        "test_choice_aws_docs_scenario[CHOICE_STATE_AWS_SCENARIO].json"
    )
    assert replayed(case).verdict == SAME
    changed = copy.deepcopy(case.definition)
    rules = changed["States"]["ChoiceStateX"]["Choices"]
    rules[0] = {**rules[0]["Not"], "Next": rules[0]["Next"]}  # "type is not Private" becomes "type is Private"
    report = replayed(case, changed)
    assert report.verdict == DIVERGED and report.divergence is not None
    assert (report.divergence.state, report.divergence.where) == ("ChoiceStateX", "the next state"), report.render()
    assert report.divergence.expected == "PassStateEntered 'ValueInTwenties'"
    assert report.divergence.actual == "PassStateEntered 'Public'"


def test_a_changed_result_path_diverges_at_the_task_state() -> None:
    case = _corpus("v2__services__test_lambda_task.py--TestTaskLambda--test_invoke_pipe.json")
    assert replayed(case).verdict == SAME
    changed = copy.deepcopy(case.definition)
    changed["States"]["step1"]["ResultPath"] = "$.step1"
    report = replayed(case, changed)
    assert report.verdict == DIVERGED and report.divergence is not None, report.render()
    assert (report.divergence.state, report.divergence.event_type) == ("step1", "TaskStateExited"), report.render()
    assert report.divergence.where.startswith("output"), report.render()
