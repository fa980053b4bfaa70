"""The execution page's data (sfnlocal.viewer): lanes, runs and outcomes read from histories as AWS shapes them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sfnlocal import StateMachine, mocks
from sfnlocal.viewer import execution_document, render_page

RECORDED = Path("/work/shared/conformance/localstack")
needs_recordings = pytest.mark.skipif(not RECORDED.exists(), reason="the recorded AWS histories are not here")


def recorded(name: str) -> dict:
    case = json.loads((RECORDED / name).read_text(encoding="utf-8"))
    # The recordings keep payloads parsed; GetExecutionHistory gives them as JSON text.
    for event in case["history"]:
        for key, details in event.items():
            if key.endswith("EventDetails"):
                for field in ("input", "output"):
                    if field in details and not isinstance(details[field], str):
                        details[field] = json.dumps(details[field])
    return case


def document_of(case: dict) -> dict:
    return execution_document(
        case["definition"],
        case["history"],
        name="recorded",
        execution_arn="arn:aws:states:us-east-1:111111111111:execution:sm:recorded",
        state_machine_arn="arn:aws:states:us-east-1:111111111111:stateMachine:sm",
        status=case["expected"]["status"],
    )


@needs_recordings
def test_an_inline_map_recorded_against_aws_has_one_lane_per_iteration() -> None:
    doc = document_of(recorded("v2__assign__test_assign_base.py--TestAssignBase--test_base_cases[BASE_SCOPE_MAP].json"))
    iterations = [lane for lane in doc["lanes"] if lane["kind"] == "iteration"]
    assert [lane["index"] for lane in iterations] == [0, 1, 2]
    assert all(lane["status"] == "SUCCEEDED" for lane in iterations)
    inner = [run for run in doc["runs"] if run["state"] == "Inner"]
    # Each iteration's Inner run, entered at AWS's event ids 7, 11 and 15, in its own lane.
    assert [(run["entered"], run["exited"]) for run in inner] == [(7, 8), (11, 12), (15, 16)]
    assert len({run["lane"] for run in inner}) == 3
    # AWS's MapIterationStarted of iteration 1 links to iteration 0's last event (8): it still opens its own lane.
    assert doc["eventLanes"][9] == doc["eventLanes"][10] == inner[1]["lane"]
    # MapStateSucceeded and MapStateExited (linked to iteration 2's events) belong to the Map, in the top lane.
    assert doc["eventLanes"][17] == doc["eventLanes"][18] == 0
    assert doc["outcomes"] == {
        "State0": "succeeded",
        "State1": "succeeded",
        "Inner": "succeeded",
        "State2": "succeeded",
    }


@needs_recordings
def test_a_parallel_caught_after_its_branch_failed_recorded_against_aws() -> None:
    name = (
        "v2__callback__test_callback.py--TestCallback--test_sqs_failure_in_wait_for_task_tok_no_error_field"
        "[SQS_PARALLEL_WAIT_FOR_TASK_TOKEN].json"
    )
    doc = document_of(recorded(name))
    runs = {run["state"]: run for run in doc["runs"]}
    # TaskFailed, then TaskStateAborted: the branch's task failed; the Parallel failed and a Catcher took it.
    assert runs["SendMessageWithWait"]["outcome"] == "failed"
    assert doc["lanes"][runs["SendMessageWithWait"]["lane"]]["kind"] == "branch"
    assert runs["ParallelJob"]["outcome"] == "caught"
    assert runs["CaughtStatesALL"]["outcome"] == "succeeded"
    assert doc["outcomes"]["ParallelJob"] == "caught"
    assert "CaughtRuntimeError" not in doc["outcomes"]  # not run: the graph draws it so


RETRYING = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
            "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 3, "MaxAttempts": 2, "BackoffRate": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund"}],
            "Next": "Done",
        },
        "Refund": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}


def test_retries_and_their_backoffs_on_the_virtual_clock() -> None:
    busy = mocks.raises("Busy", "try later")
    run = StateMachine.from_dict(RETRYING).execute(
        {}, mocks={"Charge": mocks.sequence(busy, busy, mocks.returns({"ok": True}))}
    )
    view = run.to_view()
    [charge] = [r for r in view["runs"] if r["state"] == "Charge"]
    assert charge["outcome"] == "retried"
    # IntervalSeconds 3, BackoffRate 2: the second retry waits 6 s (the Retry docs' formula).
    assert [(f["error"], f["cause"], f["retried"], f["backoff"]) for f in charge["failures"]] == [
        ("Busy", "try later", True, 3.0),
        ("Busy", "try later", True, 6.0),
    ]
    assert view["outcomes"] == {"Charge": "retried", "Done": "succeeded"}
    assert view["clock"]["stop"] - view["clock"]["start"] == 9.0


def test_a_caught_failure_and_the_state_not_run() -> None:
    run = StateMachine.from_dict(RETRYING).execute({}, mocks={"Charge": mocks.raises("Declined", "card refused")})
    view = run.to_view()
    [charge] = [r for r in view["runs"] if r["state"] == "Charge"]
    assert charge["outcome"] == "caught"
    assert charge["failures"] == [
        {
            "event": charge["failures"][0]["event"],
            "error": "Declined",
            "cause": "card refused",
            "retried": False,
            "backoff": None,
        }
    ]
    assert view["outcomes"] == {"Charge": "caught", "Refund": "succeeded", "Done": "succeeded"}


def test_children_and_a_distributed_maps_children_are_in_the_document() -> None:
    child_machine = StateMachine.from_dict(
        {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}}, name="Child"
    )
    parent = StateMachine.from_dict(
        {
            "StartAt": "Start child",
            "States": {
                "Start child": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::states:startExecution.sync:2",
                    "Parameters": {"StateMachineArn": child_machine.arn, "Input": {}},
                    "ResultPath": None,
                    "Next": "Fan out",
                },
                "Fan out": {
                    "Type": "Map",
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "Work",
                        "States": {"Work": {"Type": "Pass", "End": True}},
                    },
                    "ItemsPath": "$.items",
                    "End": True,
                },
            },
        },
        name="Parent",
    )
    run = parent.execute({"items": [1, 2, 3]})
    assert run.status == "SUCCEEDED", run.error
    view = run.to_view()
    [child] = view["children"]
    assert child["stateMachineArn"] == child_machine.arn and child["outcomes"] == {"Inner": "succeeded"}
    [map_run] = view["mapRuns"]
    assert [c["index"] for c in map_run["children"]] == [0, 1, 2]
    assert all(c["outcomes"] == {"Work": "succeeded"} and "layout" not in c for c in map_run["children"])
    # The Map's inner state is drawn from its children's runs.
    assert view["outcomes"]["Work"] == "succeeded"
    json.dumps(view)  # JSON-ready: no datetimes left


def test_the_page_is_self_contained_and_its_data_cannot_close_its_script(tmp_path: Path) -> None:
    hostile = "</script><script>alert(1)</script><!--"
    run = StateMachine.from_dict({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}).execute(
        {"x": hostile}
    )
    page = run.to_html(tmp_path / "page.html").read_text(encoding="utf-8")
    assert hostile not in page
    assert len(re.findall(r"<script", page)) == 3  # settings, document, the viewer's own script
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched from a network
    data = page.split('<script type="application/json" id="sfn-document">')[1].split("</script>")[0]
    assert json.loads(data)["events"][0]["executionStartedEventDetails"]["input"] == json.dumps(
        {"x": hostile}, separators=(",", ":")
    )


def test_render_page_takes_a_live_url_and_the_waiting_tasks() -> None:
    sm = StateMachine.from_dict(
        {
            "StartAt": "Ask",
            "States": {
                "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True}
            },
        }
    )
    run = sm.execute({}, mocks={"Ask": mocks.pending()})
    assert run.to_view()["status"] == "RUNNING" and run.to_view()["outcomes"] == {"Ask": "running"}
    waiting = [{"taskToken": "token-1", "stateName": "Ask", "executionArn": run.execution_arn}]
    view = execution_document(
        sm.definition,
        run.history,
        name=run.name,
        execution_arn=run.execution_arn,
        state_machine_arn=run.state_machine_arn,
        status=run.status,
        waiting=waiting,
    )
    assert view["waiting"] == waiting
    page = render_page(view, live_url="/sfnlocal/ui/execution.json?arn=x")
    assert '{"liveUrl":"/sfnlocal/ui/execution.json?arn=x"}' in page
