"""Real workflows from AWS blog posts (bundled in examples/seeds) run end to end with mocks.

Expected results are the ones the seeds' INDEX.md gives from the posts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import support
from support import SEEDS

from sfnlocal import DefinitionError, StateMachine, mocks


def seed(name: str) -> tuple[StateMachine, object]:
    path, execution_input = support.seed(name)
    return StateMachine.from_file(path), execution_input


def test_terraform_lambda_invoke_returns_the_envelope_with_the_payload() -> None:
    sm, execution_input = seed("terraform-lambda-invoke")
    run = sm.execute(execution_input, mocks={"Lambda Invoke": mocks.returns(True)})
    assert run.status == "SUCCEEDED"
    assert run.output["Payload"] is True and run.output["StatusCode"] == 200


def test_appflow_glue_columns_map_golden_output() -> None:
    sm, execution_input = seed("b-appflow-glue-columns-map")
    run = sm.execute(execution_input)
    assert run.status == "SUCCEEDED"
    assert run.output["TableInput"]["StorageDescriptor"]["Columns"] == [
        {"Name": "Id", "Type": "string"},
        {"Name": "IsDeleted", "Type": "boolean"},
        {"Name": "AnnualRevenue", "Type": "double"},
        {"Name": "CreatedDate", "Type": "string"},
    ]


def test_progress_tracking_formats_the_websocket_path() -> None:
    sm, execution_input = seed("progress-tracking-apigw-websocket-report")
    task = next(name for name, spec in sm.definition["States"].items() if spec["Type"] == "Task")
    seen = []
    run = sm.execute(
        execution_input,
        mocks={task: lambda request, context: seen.append(request) or {"ResponseBody": {}, "StatusCode": 200}},
    )
    assert run.status == "SUCCEEDED"
    assert seen[0]["Path"] == "/@connections/abc123="
    assert run.output == {**execution_input, "Params": {"ResponseBody": {}, "StatusCode": 200}}


def test_data_lineage_parallel_feeds_both_results_to_the_last_lambda() -> None:
    sm, execution_input = seed("data-lineage-parallel-lambda")
    received = []
    run = sm.execute(
        execution_input,
        mocks={
            "athena-data-lineange-process-Lambda": mocks.returns("athena"),
            "redshift-data-lineange-process-Lambda": mocks.returns("redshift"),
            "data-lineage-analysis-lambda": lambda event, context: received.append(event) or "loaded",
        },
    )
    assert run.status == "SUCCEEDED"
    assert run.output["Payload"] == "loaded"
    assert [branch["Payload"] for branch in run.state("Load Data to Neptune").input] == ["athena", "redshift"]


def test_lambda_error_catch_routes_the_python_exception_class_name() -> None:
    sm, execution_input = seed("b-lambda-error-catch-python")

    class AccountAlreadyExistsException(Exception):
        pass

    attempts = []

    def create_account(event, context):
        attempts.append(event)
        if len(attempts) == 1:
            raise AccountAlreadyExistsException("taken")
        return {"created": True}

    run = sm.execute(
        execution_input,
        mocks={
            "CreateAccount": create_account,
            "SuggestAccountName": mocks.returns({"name": "other"}),
            "SendWelcomeEmail": mocks.returns({"sent": True}),
        },
    )
    assert run.status == "SUCCEEDED"
    assert run.path == ["CreateAccount", "SuggestAccountName", "CreateAccount", "SendWelcomeEmail"]


def test_hello_parallel_one_mock_serves_four_states_by_resource_arn() -> None:
    sm, execution_input = seed("b-launch-hello-parallel")
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:HelloWord_Step"
    run = sm.execute(execution_input, mocks={arn: lambda event, context: {"hello": event}})
    assert run.status == "SUCCEEDED"
    assert run.path == ["Hello", "Parallel", "p1", "p2", "Goodbye"]


@pytest.mark.parametrize(
    ("timings", "status"),
    [
        ({"process1Seconds": 2, "process2Seconds": 5, "timeoutSeconds": 10}, "SUCCEEDED"),
        ({"process1Seconds": 20, "process2Seconds": 50, "timeoutSeconds": 10}, "FAILED"),
    ],
)
def test_parallel_either_or_exits_early_on_virtual_time(timings: dict, status: str) -> None:
    sm, _ = seed("recon-parallel-either-or")
    run = sm.execute(timings)
    assert run.status == status
    if status == "FAILED":
        assert run.error == "NotApproved"


def test_as_published_genomics_poller_is_rejected_where_it_is_broken() -> None:
    path = SEEDS / "b-genomics-batch-job-poller-as-published.asl.json"
    with pytest.raises(DefinitionError) as caught:
        StateMachine.from_file(path)
    assert caught.value.location == "/States/CheckJobStatus/Choices/0"


def _task_states(branch: dict) -> list[str]:
    found = []
    for name, state in branch.get("States", {}).items():
        if state.get("Type") == "Task":
            found.append(name)
        for sub in [*state.get("Branches", []), state.get("ItemProcessor"), state.get("Iterator")]:
            if sub:
                found += _task_states(sub)
    return found


SEED_FILES = sorted(
    p for p in SEEDS.glob("**/*.asl.json") if not p.name.startswith("negative-") and "as-published" not in p.name
)


@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_every_valid_seed_runs_to_a_terminal_state_with_mocks(path: Path) -> None:
    sm = StateMachine.from_file(path)
    execution_input = json.loads(Path(str(path).replace(".asl.json", ".input.json")).read_text())
    run = sm.execute(execution_input, mocks={task: mocks.returns({}) for task in _task_states(sm.definition)})
    assert run.status in ("SUCCEEDED", "FAILED")
    # Failing is fine with blank mocks (paths into their results may be missing); a defect or a missing
    # mock is not. Distributed Maps reading S3 are not supported yet and say so.
    assert run.error not in ("sfnlocal.InternalError", "sfnlocal.MockMissing"), run.cause
