"""Fixtures for the built-in service integrations: a moto world, and replaying a recorded AWS case on it.

A recorded case runs end to end through ``StateMachine.execute(aws=world)`` after the test has made the
data it needs; the result is normalised as the conformance runner normalises it and compared with what
AWS recorded, leaving out the SDK metadata (the recorder replaced its values wholesale) and the fields
moto does not produce (each test names those).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import support

from conformance.compare import compare_primary
from conformance.normalise import drop_paths, normalise_result
from conformance.replay import input_arguments
from sfnlocal import StateMachine
from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.interpreter.result import ExecutionResult

ACCOUNT = "111111111111"  # the account the recordings ran as
SDK_METADATA = ("$..SdkHttpMetadata", "$..SdkResponseMetadata")

Replay = Callable[..., ExecutionResult]


@pytest.fixture
def world() -> Iterator[AwsWorld]:
    """A moto world of the recordings' account, for the test to seed and inspect."""
    with AwsWorld(account=ACCOUNT) as aws:
        yield aws


@pytest.fixture
def replay(world: AwsWorld) -> Replay:
    """``replay(case_file, input=None, unproduced=())``: run a recorded case on ``world`` and check it.

    ``input`` replaces the recorded input (where it holds placeholders for resources the test made);
    ``unproduced`` are paths of the recorded result that moto does not produce.
    """

    def run(name: str, execution_input: Any = None, unproduced: tuple[str, ...] = ()) -> ExecutionResult:
        case = support.corpus_case(name)
        machine = StateMachine.from_dict(case["definition"], name="sfnlocal-services", account=ACCOUNT)
        given = case["input"] if execution_input is None else execution_input
        result = machine.execute(**input_arguments(given), aws=world)
        skipped = [*SDK_METADATA, *unproduced]
        expected = drop_paths(normalise_result(case["expected"]), skipped)
        got = drop_paths(
            normalise_result(
                {"status": result.status, "error": result.error, "cause": result.cause, "output": result.output}
            ),
            skipped,
        )
        assert compare_primary(expected, got) is None, (expected, got)
        return result

    return run


@pytest.fixture
def same_sdk_metadata() -> Callable[[dict[str, Any], dict[str, Any]], None]:
    """``check(recorded, got)``: the SDK metadata of a result has AWS's header names, status and length.

    The recorder replaced most header values, but not ``Content-Length``: the body's length, which a
    result of the same size must reproduce. AWS's front ends spell some header names differently from
    one response to the next (``x-amzn-RequestId``, ``x-amzn-requestid`` in one recording).
    """

    def names(headers: dict[str, Any]) -> set[str]:
        return {name.lower() for name in headers}

    def check(recorded: dict[str, Any], got: dict[str, Any]) -> None:
        want, have = recorded["SdkHttpMetadata"], got["SdkHttpMetadata"]
        assert names(have["HttpHeaders"]) == names(want["HttpHeaders"])
        assert names(have["AllHttpHeaders"]) == names(want["AllHttpHeaders"])
        assert have["HttpHeaders"]["Content-Length"] == want["HttpHeaders"]["Content-Length"]
        assert have["HttpStatusCode"] == want["HttpStatusCode"]
        assert set(got["SdkResponseMetadata"]) == set(recorded["SdkResponseMetadata"])

    return check
