"""``sfnlocal replay`` through a subprocess: replaying exported histories (exit codes, lines, JUnit XML), and
``--fetch`` exporting them from a Step Functions endpoint: sfnlocal's own server here, since the tests have no
network (against AWS it is the same boto3 calls with the user's credentials)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from support import REPO

from sfnlocal.testing.server_fixture import FAKE_CREDENTIALS, SfnServer

ORDERS = REPO / "tests" / "data" / "replay" / "orders"
ROLE = "arn:aws:iam::123456789012:role/replay"


def sfnlocal(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    return subprocess.run(
        [sys.executable, "-m", "sfnlocal", *args], cwd=cwd, capture_output=True, text=True, env=environment, timeout=120
    )


def changed_definition(tmp_path: Path) -> Path:
    definition = json.loads((ORDERS / "orders.asl.json").read_text())
    definition["States"]["Route"]["Choices"][0]["BooleanEquals"] = False
    path = tmp_path / "orders.asl.json"
    path.write_text(json.dumps(definition))
    return path


def test_histories_that_replay_the_same_exit_0_with_a_line_each(tmp_path: Path) -> None:
    done = sfnlocal(
        "replay",
        "--history",
        str(ORDERS / "histories"),
        "--definition",
        str(ORDERS / "orders.asl.json"),
        "--junit-xml",
        str(tmp_path / "replay.xml"),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"SAME {ORDERS / 'histories' / 'order-42.json'} (SUCCEEDED)",
        f"SAME {ORDERS / 'histories' / 'order-43.json'} (FAILED)",
        "2 histories: 2 the same, 0 diverged, 0 not replayable",
    ]
    report = ET.parse(tmp_path / "replay.xml").getroot()
    assert (report.get("tests"), report.get("failures"), report.get("errors")) == ("2", "0", "0")


def test_a_divergence_exits_1_and_is_a_junit_failure(tmp_path: Path) -> None:
    done = sfnlocal(
        "replay",
        "--history",
        str(ORDERS / "histories" / "order-42.json"),
        str(ORDERS / "histories" / "order-43.json"),
        "--definition",
        str(changed_definition(tmp_path)),
        "--junit-xml",
        str(tmp_path / "replay.xml"),
    )
    assert done.returncode == 1, done.stderr
    assert "DIVERGED" in done.stdout and "  at state 'Route', event #12 MapStateEntered: the next state" in done.stdout
    assert done.stdout.splitlines()[-1] == "2 histories: 0 the same, 2 diverged, 0 not replayable"
    failures = ET.parse(tmp_path / "replay.xml").getroot().findall(".//failure")
    assert len(failures) == 2 and "at state 'Route'" in (failures[0].text or "")


def test_a_history_without_its_data_exits_2_naming_the_flag(tmp_path: Path) -> None:
    export = json.loads((ORDERS / "histories" / "order-42.json").read_text())
    del export["events"][0]["executionStartedEventDetails"]["input"]
    (tmp_path / "h.json").write_text(json.dumps(export))
    done = sfnlocal("replay", "--history", str(tmp_path / "h.json"), "--definition", str(ORDERS / "orders.asl.json"))
    assert done.returncode == 2 and done.stdout == ""
    assert "without the execution's data" in done.stderr and "--include-execution-data" in done.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    definition = str(ORDERS / "orders.asl.json")
    for args, message in [
        (["--definition", definition], "--history"),
        (["--history", str(ORDERS / "histories")], "--definition DEF or --template"),
        (["--history", str(tmp_path / "none.json"), "--definition", definition], "no such file or folder"),
        (["--history", str(tmp_path), "--definition", definition], "no history file"),
        (["--fetch"], "--state-machine-arn"),
        (["--history", str(ORDERS / "histories"), "--definition", definition, "--template", definition], "not both"),
    ]:
        done = sfnlocal("replay", *args)
        assert done.returncode == 2 and message in done.stderr, (args, done.stderr)


def test_fetch_exports_histories_that_replay_the_same(tmp_path: Path, sfn_server: SfnServer) -> None:
    sfn = sfn_server.client()
    definition = {
        "StartAt": "Size",
        "States": {
            "Size": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}],
                "Default": "Small",
            },
            "Big": {"Type": "Pass", "Result": "big", "ResultPath": "$.size", "End": True},
            "Small": {"Type": "Wait", "Seconds": 5, "Next": "Done"},
            "Done": {"Type": "Pass", "Parameters": {"n.$": "$.n", "at.$": "$$.Execution.StartTime"}, "End": True},
        },
    }
    arn = sfn.create_state_machine(name="ReplaySizes", definition=json.dumps(definition), roleArn=ROLE)[
        "stateMachineArn"
    ]
    for name, n in (("one", 1), ("twenty", 20), ("three", 3)):
        sfn.start_execution(stateMachineArn=arn, name=name, input=json.dumps({"n": n}))
    statuses = [e["status"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]]
    assert statuses == ["SUCCEEDED"] * 3  # the server's clock is virtual: the Wait took no time
    out = tmp_path / "histories"
    done = sfnlocal(
        "replay",
        "--fetch",
        "--state-machine-arn",
        arn,
        "--max",
        "2",
        "--out",
        str(out),
        "--endpoint-url",
        sfn_server.endpoint_url,
        "--region",
        "us-east-1",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"2 histories of {arn} written to {out}"
    exported = sorted(path.name for path in out.glob("*.json"))
    assert len(exported) == 2
    document = json.loads((out / exported[0]).read_text())
    assert document["execution"]["executionArn"].startswith(arn.replace(":stateMachine:", ":execution:"))
    assert document["events"][0]["executionStartedEventDetails"]["input"]
    (tmp_path / "sizes.asl.json").write_text(json.dumps(definition))
    replayed = sfnlocal("replay", "--history", str(out), "--definition", str(tmp_path / "sizes.asl.json"))
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert replayed.stdout.count("SAME ") == 2


def test_fetch_refused_by_the_service_exits_254(tmp_path: Path, sfn_server: SfnServer) -> None:
    missing = "arn:aws:states:us-east-1:123456789012:stateMachine:NoSuchMachine"
    done = sfnlocal(
        "replay",
        "--fetch",
        "--state-machine-arn",
        missing,
        "--out",
        str(tmp_path),
        "--endpoint-url",
        sfn_server.endpoint_url,
        "--region",
        "us-east-1",
    )
    assert done.returncode == 254 and "StateMachineDoesNotExist" in done.stderr, done.stderr


def test_a_history_that_cannot_be_replayed_is_a_skipped_junit_case(tmp_path: Path) -> None:
    export = json.loads((ORDERS / "histories" / "order-42.json").read_text())
    export["events"][0]["executionStartedEventDetails"]["inputDetails"]["truncated"] = True
    (tmp_path / "h.json").write_text(json.dumps(export))
    arguments = ["replay", "--history", str(tmp_path / "h.json"), "--definition", str(ORDERS / "orders.asl.json")]
    done = sfnlocal(*arguments, "--junit-xml", str(tmp_path / "replay.xml"))
    assert done.returncode == 0, done.stderr
    report = ET.parse(tmp_path / "replay.xml").getroot()
    suite = report.find("testsuite")
    assert suite is not None and (suite.get("skipped"), suite.get("failures"), suite.get("errors")) == ("1", "0", "0")
    skipped = report.find(".//skipped")
    assert skipped is not None and "truncated" in (skipped.get("message") or "")
    strict = sfnlocal(*arguments, "--strict", "--junit-xml", str(tmp_path / "strict.xml"))
    assert strict.returncode == 1 and ET.parse(tmp_path / "strict.xml").getroot().get("errors") == "1"
