"""Running one recorded case with sfnlocal: recorded Task results become mocks, setup calls go to moto.

Each Task state's recorded invocations are replayed in order through ``mocks.sequence``:

* ``SUCCEEDED`` -> ``mocks.returns(output, raw=True)``: the service response exactly as recorded;
* ``FAILED`` -> ``mocks.raises(error, cause)``, a JSON cause given back in AWS's own text;
* ``PENDING`` and ``TIMED_OUT`` -> ``mocks.pending()``: the task never answered, so the state's own
  TimeoutSeconds/HeartbeatSeconds on the virtual clock produce the timeout AWS recorded;
* a callback task that failed with no error name (only SendTaskFailure without ``error`` does that) ->
  the task submits and waits for its token, which is then failed as recorded (:class:`AnsweredFailures`).

Where the recorder could not attribute results to states (Parallel branch events re-sorted), the
results form a pool that every Task state without its own results draws from, preferring a result
whose resource and parameters match the invocation. A Task state with no recorded result at all gets
a mock that notes the call: the case is then skipped, not judged, since the recording cannot say
what that task returned.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3
from moto import mock_aws

import sfnlocal
from conformance.cases import Case
from conformance.normalise import ACCOUNT, EXECUTION_NAME, REGION, STATE_MACHINE_NAME, normalise_text
from sfnlocal import AwaitToken, ExecutionResult, mocks
from sfnlocal.integrations.mocks.outcomes import Submitted

UNATTRIBUTED_PREFIX = "<unattributed"
UNRECORDED_ERROR = "Conformance.UnrecordedTask"
# Calls the recording test made to look at the effects of the execution, not to prepare for it.
_OBSERVATION_PREFIXES = ("get_", "describe_", "list_", "receive_", "delete_")
_FIXTURE_SUFFIX = "(fixture)"
_AWS_DATA_FEATURES = ("ItemReader", "ResultWriter")
_NO_AWS_CREDENTIALS = {
    name: "sfnlocal-conformance" for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
}


class Unreplayable(Exception):
    """The recording holds something replay cannot express; the message says what (the case is skipped)."""


@dataclass(frozen=True)
class Replayed:
    """What sfnlocal did with one case, before normalisation.

    ``replacements`` are (text, placeholder) pairs for normalising this run's values beyond the
    recording's own conventions: the resources serve mode bound to placeholders of the input.
    """

    result: dict[str, Any]
    history: list[dict[str, Any]]
    unrecorded: list[str] = field(default_factory=list)
    setup_errors: list[str] = field(default_factory=list)
    replacements: tuple[tuple[str, str], ...] = ()


def task_states(definition: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(name, Resource) of every Task state, including those inside Parallel branches and Map processors.

    >>> task_states({"States": {"P": {"Type": "Parallel", "Branches": [
    ...     {"States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"}}}]}}})
    [('T', 'arn:aws:states:::lambda:invoke')]
    """
    found: list[tuple[str, str]] = []
    for name, state in (definition.get("States") or {}).items():
        if not isinstance(state, dict):
            continue
        if state.get("Type") == "Task":
            found.append((name, str(state.get("Resource", ""))))
        for branch in state.get("Branches") or ():
            if isinstance(branch, dict):
                found.extend(task_states(branch))
        for key in ("Iterator", "ItemProcessor"):
            if isinstance(state.get(key), dict):
                found.extend(task_states(state[key]))
    return found


def recorded_json_texts(case: Case) -> dict[str, str]:
    """The JSON texts quoted in the recording's result and history, keyed by their canonical form.

    Replayed causes are given back in the very text AWS produced: the recorder parsed them, and the
    text differs by service (``lambda:invoke`` sends compact JSON, a plain function ARN Python's
    ``", "``-separated form).

    >>> recorded_json_texts(Case("c", {}, {}, {"status": "SUCCEEDED", "output": {"Cause": '{"a": 1}'}}))
    {'{"a":1}': '{"a": 1}'}
    """
    texts: dict[str, str] = {}

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, str) and value[:1] in ("{", "["):
            with contextlib.suppress(ValueError):
                texts.setdefault(_canonical(json.loads(value)), value)

    visit(case.expected)
    visit(case.history)
    return texts


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def cause_text(record: Mapping[str, Any], texts: Mapping[str, str]) -> str | None:
    """The cause of a recorded failure as text: the very text AWS gave when the recording quotes it.

    >>> cause_text({"cause": {"a": 1}}, {'{"a":1}': '{"a": 1}'}), cause_text({"cause": "x"}, {})
    ('{"a": 1}', 'x')
    """
    cause = record.get("cause")
    if cause is None or isinstance(cause, str):
        return cause
    if _canonical(cause) in texts:
        return texts[_canonical(cause)]
    # Not quoted anywhere in the recording: the form the service is seen to use elsewhere.
    spaced = record.get("event") == "LambdaFunctionFailed"
    return json.dumps(cause, ensure_ascii=False, separators=(", ", ": ") if spaced else (",", ":"))


class AnsweredFailures:
    """Callback tasks AWS recorded failing with no error name, which only SendTaskFailure without ``error``
    produces: replayed as that, the task submits and waits for its token, and :meth:`answer` fails the token
    with the recorded error and cause once the run waits."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = texts
        self.waiting: deque[Mapping[str, Any]] = deque()  # the records of the tasks now waiting, oldest first

    def mock(self, record: Mapping[str, Any]) -> Callable[[Any, Any], Any]:
        """A mock handler for the invocation ``record`` recorded."""

        def submit(event: Any, context: Any) -> Any:
            self.waiting.append(record)
            return Submitted(record["submitted_output"], AwaitToken())

        return submit

    def answer(self, run: ExecutionResult) -> None:
        """Fail the waiting tasks' tokens as recorded, oldest first, while the run waits for them."""
        while run.status == "RUNNING" and self.waiting and run.waiting_tasks:
            record = self.waiting.popleft()
            run.send_task_failure(
                run.waiting_tasks[0]["taskToken"], record.get("error"), cause_text(record, self.texts)
            )


def outcome(record: Mapping[str, Any], texts: Mapping[str, str], answered: AnsweredFailures | None = None) -> Any:
    """The mock outcome that replays one recorded invocation (``texts``: :func:`recorded_json_texts`).

    >>> outcome({"status": "FAILED", "error": "Exception", "cause": {"errorMessage": "boom"}}, {})
    Raises(error='Exception', cause='{"errorMessage":"boom"}', after=0.0)
    """
    status = record.get("status")
    if status == "SUCCEEDED":
        ending: Any = mocks.returns(record.get("output"), raw=True)
    elif status == "FAILED":
        if not record.get("error"):
            if answered is not None and "submitted_output" in record:
                return answered.mock(record)
            raise Unreplayable(
                f"a recorded {record.get('event', 'task failure')} has no error name, "
                "which mocks.raises() cannot express"
            )
        ending = mocks.raises(record["error"], cause_text(record, texts))
    elif status in ("PENDING", "TIMED_OUT"):
        ending = mocks.pending()
    else:
        raise Unreplayable(f"recorded task status {status!r} has no replay")
    if "submitted_output" in record:  # a .sync or callback task: AWS recorded its start as TaskSubmitted
        return Submitted(record["submitted_output"], ending)
    return ending


def _resource_matches(resource: str, record: Mapping[str, Any]) -> bool:
    if "resourceType" in record:
        return resource.endswith(f":{record['resourceType']}:{record.get('resource')}")
    return normalise_text(resource) == normalise_text(str(record.get("resource", "")))


def _arguments_match(event: Any, record: Mapping[str, Any]) -> bool:
    recorded = record.get("parameters", record.get("input"))
    if recorded is None:
        return False
    payload = recorded.get("Payload") if isinstance(recorded, dict) else None
    return event == recorded or (payload is not None and event == payload)


class UnattributedPool:
    """Recorded results not attributed to a state, handed out to the invocations that fit them best."""

    def __init__(
        self, records: list[Mapping[str, Any]], texts: Mapping[str, str], answered: AnsweredFailures | None = None
    ) -> None:
        # Outcomes are built now: an Unreplayable raised inside a mock handler would become a task failure.
        self.entries = [(record, outcome(record, texts, answered)) for record in records]

    def handler(self, state_name: str, resource: str) -> Callable[[Any, Any], Any]:
        """A mock handler for one Task state that takes its result from the pool."""

        def take(event: Any, context: Any) -> Any:
            fitting = [e for e in self.entries if _resource_matches(resource, e[0])] or self.entries
            if not fitting:
                return mocks.raises(UNRECORDED_ERROR, f"no unattributed result left for '{state_name}'")
            chosen = next((e for e in fitting if _arguments_match(event, e[0])), fitting[0])
            self.entries.remove(chosen)
            return chosen[1](event, context) if callable(chosen[1]) else chosen[1]

        return take


def build_mocks(
    case: Case,
    unrecorded: list[str],
    replays: Callable[[str], bool] = lambda resource: True,
    answered: AnsweredFailures | None = None,
) -> dict[str, Any]:
    """The ``mocks=`` argument replaying ``case``; a Task run without results is noted in ``unrecorded``.

    Only Task states whose Resource ``replays`` accepts get a mock (all of them by default); the
    others are left to sfnlocal's own integrations. With ``answered``, callback tasks recorded failing with
    no error name wait for their token (see :class:`AnsweredFailures`).
    """
    texts = recorded_json_texts(case)
    resources = dict(task_states(case.definition))
    built: dict[str, Any] = {}
    pooled: list[Mapping[str, Any]] = []
    for state_name, records in case.mocks.items():
        if state_name.startswith(UNATTRIBUTED_PREFIX):
            pooled.extend(records)
        elif records and replays(resources.get(state_name, "")):
            built[state_name] = mocks.sequence(*(outcome(record, texts, answered) for record in records))
    pool = UnattributedPool(pooled, texts, answered) if pooled else None
    for state_name, resource in resources.items():
        if state_name in built or not replays(resource):
            continue
        if pool is not None:
            built[state_name] = pool.handler(state_name, resource)
        else:
            built[state_name] = _note_unrecorded(state_name, unrecorded)
    return built


def _note_unrecorded(state_name: str, unrecorded: list[str]) -> Callable[[Any, Any], Any]:
    def note(event: Any, context: Any) -> Any:
        unrecorded.append(state_name)
        return mocks.raises(UNRECORDED_ERROR, f"the recording holds no result for '{state_name}'")

    return note


def role_arn(case: Case) -> str | None:
    """The execution role: the one the ExecutionStarted event shows, else the recording's placeholder.

    >>> meta = {"placeholders": {"roleArn": "snf_role_arn"}}
    >>> role_arn(Case("c", {}, {}, {"status": "SUCCEEDED"}, meta=meta))
    'snf_role_arn'
    """
    for event in case.history:
        details = event.get("executionStartedEventDetails")
        if isinstance(details, dict) and details.get("roleArn"):
            return str(details["roleArn"])
    role = (case.meta.get("placeholders") or {}).get("roleArn")
    return str(role) if role else None


def _setup_arguments(service: str, operation: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The boto3 arguments for a recorded fixture call, whose own shorthand boto3 does not take."""
    if service == "dynamodb" and operation == "create_table" and "partition_key" in kwargs:
        key = kwargs.pop("partition_key")
        kwargs.update(
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    if service == "sns" and operation == "create_topic" and str(kwargs.get("Name", "")).endswith(".fifo"):
        kwargs.setdefault("Attributes", {"FifoTopic": "true"})
    return kwargs


@cache
def _client(service: str) -> Any:
    # Creating a boto3 client costs ~0.2 s; one per service serves every case, since moto resets
    # its backends, not the clients, when each case's mock_aws() ends.
    return boto3.session.Session(region_name=REGION).client(service)


@dataclass(frozen=True)
class SetupCall:
    """One call the recording test made: a boto3 ``operation`` of ``service`` with its ``arguments``.

    >>> SetupCall.of({"service": "s3", "op": "create_bucket(fixture)", "kwargs": {"Bucket": "b"}})
    SetupCall(service='s3', operation='create_bucket', arguments={'Bucket': 'b'})
    """

    service: str
    operation: str
    arguments: dict[str, Any]

    @classmethod
    def of(cls, call: Mapping[str, Any]) -> SetupCall:
        """The call as the case file records it (``op`` may carry a ``(fixture)`` mark)."""
        return cls(
            str(call.get("service")),
            str(call.get("op", "")).removesuffix(_FIXTURE_SUFFIX),
            dict(call.get("kwargs") or {}),
        )

    @property
    def observes(self) -> bool:
        """Whether the call only looked at the execution's effects (get/describe/list/receive/delete)."""
        return self.operation.startswith(_OBSERVATION_PREFIXES)

    def __str__(self) -> str:
        return f"{self.service}.{self.operation}"


@dataclass
class Setup:
    """What the setup calls did: each call made with its response, and the failures (as text)."""

    made: list[tuple[SetupCall, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def preparing_calls(calls: list[Mapping[str, Any]]) -> list[SetupCall]:
    """The recording's setup calls that prepared the execution, in order; observations are left out.

    >>> [str(c) for c in preparing_calls([{"service": "sqs", "op": "create_queue(fixture)"},
    ...                                    {"service": "sqs", "op": "receive_message"}])]
    ['sqs.create_queue']
    """
    return [call for call in map(SetupCall.of, calls) if not call.observes]


def run_setup_calls(calls: list[SetupCall], client: Callable[[str], Any] = _client) -> Setup:
    """Make ``calls`` with the boto3 clients ``client(service)`` gives (by default, clients for the
    ``moto.mock_aws()`` the caller is inside); a failed call is noted, not raised."""
    setup = Setup()
    for call in calls:
        try:
            arguments = _setup_arguments(call.service, call.operation, dict(call.arguments))
            setup.made.append((call, getattr(client(call.service), call.operation)(**arguments)))
        except Exception as err:  # a failed fixture is reported with the case, not raised
            setup.failures.append(f"{call}: {type(err).__name__}: {err}")
    return setup


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def needs_aws(case: Case) -> bool:
    """Whether ``case`` may touch AWS: it makes setup calls, or a Map reads or writes S3.

    Task states never do: every one of them gets a mock (:func:`build_mocks`).

    >>> needs_aws(Case("c", {}, {}, {"status": "SUCCEEDED"}, features=("type:Pass",)))
    False
    >>> needs_aws(Case("c", {}, {}, {"status": "SUCCEEDED"}, features=("map:ItemReader",)))
    True
    """
    return bool(case.meta.get("setup_calls")) or any(t.endswith(_AWS_DATA_FEATURES) for t in case.features)


def _aws_sandbox(case: Case) -> contextlib.AbstractContextManager[Any]:
    # Starting moto costs ~10 ms a case, most of a Pass-only case's time, so only cases that may
    # touch AWS get it; the others run with credentials no AWS account accepts, so that an
    # unexpected call can never act with the user's own.
    return mock_aws() if needs_aws(case) else _environment(_NO_AWS_CREDENTIALS)


# An ABORTED recording was stopped from outside (StopExecution) while it waited; the recording does not
# say when, so it is stopped just after the clock first moves.
STOP_AFTER_SECONDS = 0.001


# The corpus's extractor restored the tests' relative time values (now plus N days) against this instant:
# test_timestamp_too_far_in_future_boundary[24856]'s 2094-12-11T22:29:36Z is 24,856 days after it. A case
# holding such values starts there, so that a Wait meant to end "now" is not two years away, past AWS's
# maximum execution time of a year.
RESTORED_TIMES_NOW = "2026-11-22T22:29:36Z"


def start_time(case: Case) -> str | None:
    """When to start the execution: at :data:`RESTORED_TIMES_NOW` for a case with restored time values, else the
    default."""
    return RESTORED_TIMES_NOW if case.meta.get("input_restored_paths") else None


def stop_after(case: Case) -> float | None:
    """When to stop the execution from outside: just after the clock first moves for an ABORTED recording."""
    return STOP_AFTER_SECONDS if case.expected.get("status") == "ABORTED" else None


def machine_for(case: Case) -> sfnlocal.StateMachine:
    """The case's state machine, named and placed so its ARNs normalise to the recorded placeholders."""
    return sfnlocal.StateMachine.from_dict(
        case.definition,
        name=STATE_MACHINE_NAME,
        account=ACCOUNT,
        region=REGION,
        role_arn=role_arn(case),
        type=case.meta.get("state_machine_type") or "STANDARD",
    )


def input_arguments(value: Any) -> dict[str, Any]:
    """``execute()``'s input argument for a recorded input: a JSON string as ``input_json`` (``execute()``
    refuses a str ``input``, which is usually JSON text meant to be parsed), any other value as ``input``.

    >>> input_arguments("abc"), input_arguments({"a": 1})
    ({'input_json': '"abc"'}, {'input': {'a': 1}})
    """
    return {"input_json": json.dumps(value)} if isinstance(value, str) else {"input": value}


def execute(case: Case) -> Replayed:
    """Run ``case`` with sfnlocal as account 111111111111 in us-east-1 (inside ``moto.mock_aws()`` when
    it may touch AWS)."""
    unrecorded: list[str] = []
    answered = AnsweredFailures(recorded_json_texts(case))
    mocks = build_mocks(case, unrecorded, answered=answered)
    with _environment({"MOTO_ACCOUNT_ID": ACCOUNT, "AWS_DEFAULT_REGION": REGION}), _aws_sandbox(case):
        setup = run_setup_calls(preparing_calls(list(case.meta.get("setup_calls") or ())))
        # The input names the recording's resources by placeholder ("bucket-name"): bind them to those the
        # setup made, as serve mode does, so that what the machine itself reads (an ItemReader's S3) is there.
        from conformance.bindings import bind, created  # bindings reads this module's SetupCall

        execution_input, replacements = bind(case.input, created(setup.made))
        machine = machine_for(case)
        run = machine.execute(
            **input_arguments(execution_input),
            mocks=mocks,
            execution_name=EXECUTION_NAME,
            seed=0,
            stop_after=stop_after(case),
            start_time=start_time(case),
        )
        answered.answer(run)
    result = {"status": run.status, "error": run.error, "cause": run.cause, "output": run.output}
    return Replayed(result, list(run.history), unrecorded, setup.failures, replacements)
