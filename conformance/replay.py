"""Running one recorded case with sfnlocal: recorded Task results become mocks, setup calls go to moto.

Each Task state's recorded invocations (the case's ``mocks``) are replayed as sfnlocal's own replay of AWS
histories replays them (:mod:`sfnlocal.replay.mocks`): results, failures, timeouts, submitted jobs and callbacks.

Where the recorder could not attribute results to states (Parallel branch events re-sorted), the
results form a pool that every Task state without its own results draws from, preferring a result
whose resource and parameters match the invocation. A Task state with no recorded result at all gets
a mock that notes the call: the case is then skipped, not judged, since the recording cannot say
what that task returned.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import boto3
from moto import mock_aws

import sfnlocal
from conformance.cases import Case
from conformance.normalise import ACCOUNT, EXECUTION_NAME, REGION, STATE_MACHINE_NAME, normalise_text
from sfnlocal.replay.mocks import UNRECORDED_ERROR as UNRECORDED_ERROR
from sfnlocal.replay.mocks import AnsweredFailures, json_texts
from sfnlocal.replay.mocks import Unreplayable as Unreplayable
from sfnlocal.replay.mocks import build_mocks as shared_build_mocks
from sfnlocal.replay.mocks import outcome as outcome
from sfnlocal.replay.mocks import task_states as task_states
from sfnlocal.replay.run import input_arguments

UNATTRIBUTED_PREFIX = "<unattributed"
# Calls the recording test made to look at the effects of the execution, not to prepare for it.
_OBSERVATION_PREFIXES = ("get_", "describe_", "list_", "receive_", "delete_")
_FIXTURE_SUFFIX = "(fixture)"
_AWS_DATA_FEATURES = ("ItemReader", "ResultWriter")
_NO_AWS_CREDENTIALS = {
    name: "sfnlocal-conformance" for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
}


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


def recorded_json_texts(case: Case) -> dict[str, str]:
    """The JSON texts quoted in the recording's result and history, keyed by their canonical form
    (:func:`sfnlocal.replay.mocks.json_texts`).

    >>> recorded_json_texts(Case("c", {}, {}, {"status": "SUCCEEDED", "output": {"Cause": '{"a": 1}'}}))
    {'{"a":1}': '{"a": 1}'}
    """
    return json_texts(case.expected, case.history)


def build_mocks(
    case: Case,
    unrecorded: list[str],
    replays: Callable[[str], bool] = lambda resource: True,
    answered: AnsweredFailures | None = None,
) -> dict[str, Any]:
    """The ``mocks=`` argument replaying ``case``'s recorded Task results (:func:`sfnlocal.replay.mocks.build_mocks`);
    a Task run without results is noted in ``unrecorded``.

    The results the recorder could not attribute to a state (Parallel branch events re-sorted) are drawn by the Task
    states without results of their own. Only Task states whose Resource ``replays`` accepts get a mock.
    """
    attributed = {name: records for name, records in case.mocks.items() if not name.startswith(UNATTRIBUTED_PREFIX)}
    pooled = [
        record for name, records in case.mocks.items() if name.startswith(UNATTRIBUTED_PREFIX) for record in records
    ]
    return shared_build_mocks(
        case.definition,
        attributed,
        recorded_json_texts(case),
        unrecorded,
        pooled=pooled,
        replays=replays,
        answered=answered,
        normalise=normalise_text,
    )


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
