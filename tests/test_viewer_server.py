"""The live view of ``sfnlocal serve`` (``/sfnlocal/ui/``): the list of state machines and executions with its
status filter, each execution's page and document (running ones with the tasks they wait for, finished ones from
what the server keeps, the same after a restart), loopback clients only; and, in headless Chromium, a page that
follows its execution while it runs and answers a task token and an activity task from its buttons."""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browser_support import ARTIFACTS, HAVE_CHROMIUM, SKIP_REASON, Browser, BrowserError, Page

from sfnlocal.server.engine import Engine
from sfnlocal.server.http import Server
from sfnlocal.server.store import SqliteStore
from sfnlocal.server.ui import ui_page
from sfnlocal.testing.server_fixture import SfnServer

ROLE = "arn:aws:iam::123456789012:role/run"
ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:Review"
ASK = {
    "StartAt": "Ask",
    "States": {
        "Ask": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl.$": "$.queue", "MessageBody": {"token.$": "$$.Task.Token"}},
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "End": True},
    },
}
REVIEW = {"StartAt": "Review", "States": {"Review": {"Type": "Task", "Resource": ACTIVITY, "End": True}}}
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"greeting": "hello"}, "End": True}}}
FAIL = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "on purpose"}}}


@pytest.fixture
def server() -> Iterator[SfnServer]:
    with Server(Engine(), port=0) as running:
        yield SfnServer(running)


def get(server: SfnServer, path: str, host: str | None = None) -> tuple[int, str, str]:
    """GET ``path``: status, content type, body."""
    connection = http.client.HTTPConnection(server.server.host, server.server.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host} if host else {})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


def create(server: SfnServer, name: str, definition: dict[str, Any]) -> str:
    client = server.client()
    return str(
        client.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
    )


def start(server: SfnServer, machine: str, name: str, execution_input: Any = None) -> str:
    started = server.client().start_execution(
        stateMachineArn=machine, name=name, input=json.dumps(execution_input or {})
    )
    return str(started["executionArn"])


def asking(server: SfnServer) -> tuple[str, str]:
    """A state machine waiting for a task token sent through SQS; the queue's URL."""
    queue = server.engine.world.client("sqs").create_queue(QueueName="asks")["QueueUrl"]
    return create(server, "Asks", ASK), queue


def rows(page: str) -> list[tuple[str, str]]:
    """The executions a list page shows: (status, name), in its order."""
    return re.findall(
        r'<tr data-status="(\w+)" data-arn="[^"]+"><td class="status">\w+</td><td><a [^>]+>([^<]+)</a>', page
    )


def test_the_list_shows_machines_and_executions_newest_first_and_filters_by_status(server: SfnServer) -> None:
    passing, failing = create(server, "Greets", PASS), create(server, "Breaks", FAIL)
    machine, queue = asking(server)
    start(server, passing, "greet-1")
    start(server, failing, "break-1")
    start(server, machine, "ask-1", {"queue": queue})
    start(server, passing, "greet-2")
    status, kind, page = get(server, "/sfnlocal/ui/")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert re.findall(r'<tr data-arn="[^"]+"><td><a [^>]+>(\w+)</a>', page) == ["Greets", "Breaks", "Asks"]
    assert rows(page) == [
        ("SUCCEEDED", "greet-2"),
        ("RUNNING", "ask-1"),
        ("FAILED", "break-1"),
        ("SUCCEEDED", "greet-1"),
    ]
    assert rows(get(server, "/sfnlocal/ui/?status=RUNNING")[2]) == [("RUNNING", "ask-1")]
    assert rows(get(server, "/sfnlocal/ui/?status=SUCCEEDED")[2]) == [
        ("SUCCEEDED", "greet-2"),
        ("SUCCEEDED", "greet-1"),
    ]
    assert rows(get(server, "/sfnlocal/ui?status=ABORTED")[2]) == []
    # One machine's executions, and the filter's links keep that machine.
    one = get(server, f"/sfnlocal/ui/?machine={quote(passing, safe='')}")[2]
    assert rows(one) == [("SUCCEEDED", "greet-2"), ("SUCCEEDED", "greet-1")]
    assert f'href="/sfnlocal/ui/?status=FAILED&machine={quote(passing, safe="")}"' in one
    # The filter counts each status.
    assert ">SUCCEEDED (2)</a>" in page and ">RUNNING (1)</a>" in page and ">All (4)</a>" in page


def test_a_running_executions_document_lists_its_waiting_token_and_follows_the_answer(server: SfnServer) -> None:
    machine, queue = asking(server)
    execution = start(server, machine, "ask-1", {"queue": queue})
    sqs = server.engine.world.client("sqs")
    [message] = sqs.receive_message(QueueUrl=queue)["Messages"]
    token = json.loads(message["Body"])["token"]
    status, kind, text = get(server, f"/sfnlocal/ui/execution.json?arn={quote(execution, safe='')}")
    assert (status, kind) == (200, "application/json")
    document = json.loads(text)
    assert (document["status"], document["executionArn"]) == ("RUNNING", execution)
    assert document["waiting"] == [{"taskToken": token, "stateName": "Ask", "executionArn": execution}]
    server.client().send_task_success(taskToken=token, output='{"approved": true}')
    document = json.loads(get(server, f"/sfnlocal/ui/execution.json?arn={quote(execution, safe='')}")[2])
    assert (document["status"], document["waiting"]) == ("SUCCEEDED", [])
    assert document["events"][-1]["type"] == "ExecutionSucceeded"
    assert [event["type"] for event in document["events"]] == [
        event["type"] for event in server.client().get_execution_history(executionArn=execution)["events"]
    ]


def test_an_activity_task_nobody_took_is_listed_until_a_worker_takes_it(server: SfnServer) -> None:
    client = server.client()
    client.create_activity(name="Review")
    execution = start(server, create(server, "Reviews", REVIEW), "review-1")
    path = f"/sfnlocal/ui/execution.json?arn={quote(execution, safe='')}"
    assert json.loads(get(server, path)[2])["waiting"] == [
        {"activityArn": ACTIVITY, "stateName": "Review", "executionArn": execution}
    ]
    task = client.get_activity_task(activityArn=ACTIVITY, workerName="w")
    # Taken: it waits for the worker's answer to its token now.
    assert json.loads(get(server, path)[2])["waiting"] == [
        {"taskToken": task["taskToken"], "stateName": "Review", "executionArn": execution}
    ]


def test_a_finished_executions_page_is_the_same_after_a_restart(tmp_path: Path) -> None:
    database = tmp_path / "serve.db"
    with Server(Engine(store=SqliteStore(str(database))), port=0) as first:
        served = SfnServer(first)
        execution = start(served, create(served, "Breaks", FAIL), "break-1")
        before = json.loads(get(served, f"/sfnlocal/ui/execution.json?arn={quote(execution, safe='')}")[2])
    with Server(Engine(store=SqliteStore(str(database))), port=0) as second:
        served = SfnServer(second)
        after = json.loads(get(served, f"/sfnlocal/ui/execution.json?arn={quote(execution, safe='')}")[2])
        status, kind, page = get(served, f"/sfnlocal/ui/execution?arn={quote(execution, safe='')}")
    assert (after["status"], after["name"]) == ("FAILED", "break-1")
    assert after["events"] == before["events"]
    assert after["events"][-1]["executionFailedEventDetails"] == {"error": "Boom", "cause": "on purpose"}
    assert (status, kind) == (200, "text/html; charset=utf-8") and page.lower().startswith("<!doctype html>")
    # The live page reads its document from the server.
    assert f"/sfnlocal/ui/execution.json?arn={quote(execution, safe='')}" in page


def test_a_parents_page_links_the_executions_it_started_to_their_own_pages(server: SfnServer) -> None:
    queue = server.engine.world.client("sqs").create_queue(QueueName="asks")["QueueUrl"]
    child = create(server, "Asks", ASK)
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": child, "Input": {"queue": queue}},
        "End": True,
    }
    parent = start(server, create(server, "Parent", {"StartAt": "Run", "States": {"Run": task}}), "parent-1")

    def links() -> list[dict[str, Any]]:
        document = json.loads(get(server, f"/sfnlocal/ui/execution.json?arn={quote(parent, safe='')}")[2])
        return list(document["children"])

    [link] = links()
    [listed] = server.client().list_executions(stateMachineArn=child)["executions"]
    assert (link["executionArn"], link["status"]) == (listed["executionArn"], "RUNNING")
    assert link["href"] == f"/sfnlocal/ui/execution?arn={quote(listed['executionArn'], safe='')}"
    assert get(server, link["href"])[0] == 200
    events = server.client().get_execution_history(executionArn=link["executionArn"])["events"]
    token = json.loads(
        next(e for e in events if e["type"] == "TaskScheduled")["taskScheduledEventDetails"]["parameters"]
    )
    server.client().send_task_success(taskToken=token["MessageBody"]["token"], output="{}")
    [link] = links()  # the parent has ended: its document is built from what the server keeps
    assert link["status"] == "SUCCEEDED"


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        (
            "/sfnlocal/ui/execution?arn=arn%3Aaws%3Astates%3Aus-east-1%3A123456789012%3Aexecution%3AX%3Ay",
            404,
            "no execution",
        ),
        ("/sfnlocal/ui/execution.json", 404, "?arn="),
        ("/sfnlocal/ui/nothing", 404, "no page /sfnlocal/ui/nothing"),
    ],
)
def test_what_does_not_exist_is_a_404_saying_so(server: SfnServer, path: str, status: int, says: str) -> None:
    answered, kind, text = get(server, path)
    assert (answered, kind) == (status, "text/plain; charset=utf-8") and says in text


def test_other_gets_are_still_refused_as_the_api_refuses_them(server: SfnServer) -> None:
    # But the icon a browser asks for with every page: none, rather than an error in the page's console.
    assert get(server, "/favicon.ico")[0] == 204
    for path in ("/", "/sfnlocal/uifoo", "/sfnlocal/clock"):
        status, kind, text = get(server, path)
        assert (status, kind) == (405, "application/x-amz-json-1.0"), path
        assert json.loads(text)["__type"] == "com.amazon.coral.service#UnknownOperationException"


def test_only_this_machines_clients_and_names_are_served(server: SfnServer) -> None:
    # Another machine's client (the server listening on another address than loopback).
    assert ui_page(server.engine, "/sfnlocal/ui/", "192.0.2.7").status == 403
    # A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) asks with its own Host.
    status, _, text = get(server, "/sfnlocal/ui/", host="rebound.example:8083")
    assert status == 403 and "localhost or an IP address" in text
    assert get(server, "/sfnlocal/ui/", host=f"localhost:{server.server.port}")[0] == 200


def test_urls_work_through_urllib(server: SfnServer) -> None:
    # As a browser asks (urllib sends Host 127.0.0.1:<port>).
    with urllib.request.urlopen(server.endpoint_url + "/sfnlocal/ui/", timeout=10) as response:
        assert response.status == 200 and "<h1>sfnlocal serve</h1>" in response.read().decode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server.endpoint_url + "/sfnlocal/ui/execution", timeout=10)
    assert refused.value.code == 404


# In headless Chromium (tests/browser_support.py) ---------------------------------------------------------------

needs_chromium = pytest.mark.skipif(not HAVE_CHROMIUM, reason=SKIP_REASON)


@pytest.fixture
def browser(request: pytest.FixtureRequest) -> Iterator[Page]:
    """A headless Chromium tab; the test fails on any console error or uncaught exception there."""
    with Browser() as chromium:
        page = chromium.page()
        yield page
        name = re.sub(r"\W+", "_", request.node.name)
        page.screenshot(ARTIFACTS / f"live-{name}.png")
        page.check()


def page_of(server: SfnServer, execution: str) -> str:
    return f"{server.endpoint_url}/sfnlocal/ui/execution?arn={quote(execution, safe='')}"


STATUS = "document.querySelector('#status [data-status]').dataset.status"
READY = "window.sfnViewer && window.sfnViewer.ready"


@needs_chromium
def test_the_list_filters_by_status_in_the_browser(server: SfnServer, browser: Page) -> None:
    passing, failing = create(server, "Greets", PASS), create(server, "Breaks", FAIL)
    start(server, passing, "greet-1")
    start(server, failing, "break-1")
    browser.goto(server.endpoint_url + "/sfnlocal/ui/")
    shown = "[...document.querySelectorAll('#executions tbody tr')].map(row => row.dataset.status)"
    assert browser.evaluate(shown) == ["FAILED", "SUCCEEDED"]
    browser.loaded.clear()
    browser.click("#status-filter a[data-status=FAILED]")
    browser.wait_for(f"location.search === '?status=FAILED' && {shown}.join() === 'FAILED'")
    # Its link opens the execution's page, which draws the failed state.
    browser.click("#executions a")
    browser.wait_for(READY)
    assert browser.evaluate(STATUS) == "FAILED"
    assert browser.evaluate("document.querySelector('#graph .state[data-state=\"F\"]').dataset.outcome") == "failed"


@needs_chromium
@pytest.mark.parametrize("clock", ["virtual", "real"])
def test_a_running_executions_page_follows_it_and_answers_its_token(clock: str, browser: Page) -> None:
    with Server(Engine(clock=clock), port=0) as running:
        server = SfnServer(running)
        machine, queue = asking(server)
        execution = start(server, machine, "ask-1", {"queue": queue})
        browser.goto(page_of(server, execution), ready=READY)
        assert browser.evaluate(STATUS) == "RUNNING"
        ask = '#graph .state[data-state="Ask"]'
        assert browser.evaluate(f"document.querySelector('{ask}').dataset.outcome") == "running"
        browser.click(ask)  # a selection the refreshes must keep
        browser.evaluate("window.notReloaded = true")  # gone if the page were loaded again
        form = '.waiting-task[data-state="Ask"]'
        browser.wait_for(f"!!document.querySelector('{form} button[data-action=success]')")
        browser.evaluate(f"document.querySelector('{form} textarea').value = '{{\"approved\": true}}'")
        if clock == "virtual":  # what the user typed survives the page's refreshes (one a second)
            time.sleep(2.5)
            assert browser.evaluate(f"document.querySelector('{form} textarea').value") == '{"approved": true}'
        browser.click(f"{form} button[data-action=success]")
        # No reload: the page fetches the document again and redraws.
        browser.wait_for(f"{STATUS} === 'SUCCEEDED'")
        assert browser.evaluate("document.querySelector('#waiting-section').hidden") is True
        assert browser.evaluate("window.notReloaded") is True
        assert browser.evaluate(f"document.querySelector('{ask}').dataset.outcome") == "succeeded"
        assert "Ask" in browser.evaluate("document.querySelector('#state-heading').textContent")
        described = server.client().describe_execution(executionArn=execution)
        assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"approved": True})


@needs_chromium
def test_an_activity_task_is_taken_and_answered_from_the_page(server: SfnServer, browser: Page) -> None:
    client = server.client()
    client.create_activity(name="Review")
    execution = start(server, create(server, "Reviews", REVIEW), "review-1", {"doc": 7})
    browser.goto(page_of(server, execution), ready=READY)
    box = '.waiting-task[data-state="Review"]'
    browser.click(f"{box} button[data-action=get-activity-task]")
    # Taken by the page's worker: the execution now waits for that task's token (the page offers its answer form).
    browser.wait_for(f"!!document.querySelector('{box} button[data-action=success]')")
    history = client.get_execution_history(executionArn=execution)["events"]
    assert history[-1]["type"] == "ActivityStarted"
    assert history[-1]["activityStartedEventDetails"] == {"workerName": "sfnlocal-viewer"}
    # Typed and sent at once: a refresh (every second while it runs) draws the form again.
    browser.evaluate(
        f"document.querySelector('{box} textarea').value = '{{\"approved\": false}}';"
        f"document.querySelector('{box} button[data-action=success]').click()"
    )
    browser.wait_for(f"{STATUS} === 'SUCCEEDED'")
    described = client.describe_execution(executionArn=execution)
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"approved": False})


@needs_chromium
def test_a_javascript_error_in_a_page_fails_the_test(tmp_path: Path) -> None:
    # What makes the browser tests fail on a page's error: the console error and the uncaught exception are seen.
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><title>x</title><script>console.error('drawn wrong'); missing();</script>")
    with Browser() as chromium:
        page = chromium.page()
        page.goto(broken.as_uri())
        with pytest.raises(BrowserError) as failed:
            page.check()
    assert "console.error: drawn wrong" in str(failed.value)
    assert "uncaught: ReferenceError: missing is not defined" in str(failed.value)
