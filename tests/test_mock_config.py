"""Step Functions Local's mock config file: loading, validation with locations, and the outcome per invocation.

Expected values come from the AWS docs ("Configuration file for mocked service integrations" and "Using
mocked service integrations for testing in Step Functions Local"), whose sample config and state machine
are in tests/data/mock_config/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sfnlocal import mocks
from sfnlocal.integrations.mock_config import ENV_VAR, MockConfigError, load_mock_config
from sfnlocal.language.errors import MOCK_INVALID, StatesError, is_uncatchable

DATA = Path(__file__).parent / "data" / "mock_config"
SAMPLE = DATA / "MockConfigFile.json"
SAMPLE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:LambdaSQSIntegration"

# The docs' mocked responses, as the docs write them.
LAMBDA_SUCCESS = {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}
SQS_SUCCESS = {
    "MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
    "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51",
}
NOT_READY = mocks.raises("Lambda.ResourceNotReadyException", "Lambda resource is not ready.")
TIMED_OUT = mocks.raises("Lambda.TimeoutException", "Lambda timed out.")


def config(responses: dict[str, Any] | None = None, cases: dict[str, Any] | None = None) -> dict[str, Any]:
    """A mock config with one state machine 'M' whose test case 'T' maps states to mocked responses."""
    return {"StateMachines": {"M": {"TestCases": {"T": cases or {}}}}, "MockedResponses": responses or {}}


def error_of(source: Any) -> MockConfigError:
    with pytest.raises(MockConfigError) as caught:
        load_mock_config(source)
    return caught.value


def invalid(case: Any, state: str, invocation: int) -> StatesError:
    with pytest.raises(StatesError) as caught:
        case.outcome(state, invocation)
    return caught.value


# --- the AWS docs' sample -------------------------------------------------------------------------------


def test_docs_sample_happy_path_returns_each_mocked_response_once() -> None:
    case = load_mock_config(SAMPLE).test_case("LambdaSQSIntegration", "HappyPath")
    assert case.states == ("LambdaState", "SQSState")
    assert case.outcome("LambdaState", 0) == mocks.returns(LAMBDA_SUCCESS, raw=True)
    assert case.outcome("SQSState", 0) == mocks.returns(SQS_SUCCESS, raw=True)
    for state, name in (("LambdaState", "MockedLambdaSuccess"), ("SQSState", "MockedSQSSuccess")):
        err = invalid(case, state, 1)
        assert err.error == MOCK_INVALID and name in err.cause and "invocation 1" in err.cause


def test_docs_sample_retry_path_fails_three_times_then_succeeds() -> None:
    case = load_mock_config(SAMPLE).test_case("LambdaSQSIntegration", "RetryPath")
    assert [case.outcome("LambdaState", n) for n in range(4)] == [
        NOT_READY,
        TIMED_OUT,
        TIMED_OUT,
        mocks.returns(LAMBDA_SUCCESS, raw=True),
    ]
    assert case.outcome("SQSState", 0) == mocks.returns(SQS_SUCCESS, raw=True)
    err = invalid(case, "LambdaState", 4)
    assert "'LambdaState'" in err.cause and "'MockedLambdaRetry'" in err.cause and "invocation 4" in err.cause


def test_docs_sample_hybrid_path_leaves_the_sqs_state_to_other_mocks() -> None:
    case = load_mock_config(SAMPLE).test_case("LambdaSQSIntegration", "HybridPath")
    assert case.states == ("LambdaState",)
    assert case.outcome("LambdaState", 0) == mocks.returns(LAMBDA_SUCCESS, raw=True)
    assert case.outcome("SQSState", 0) is None


def test_docs_sample_retry_path_covers_every_attempt_of_the_docs_retry_policy() -> None:
    # The docs: "you must denote mocks for retries with consecutive attempt numbers and should cover all
    # the retry attempts" -- LambdaState retries States.ALL 3 times, so 4 invocations.
    definition = json.loads((DATA / "LambdaSQSIntegration.asl.json").read_text())
    case = load_mock_config(SAMPLE).test_case("LambdaSQSIntegration", "RetryPath")
    assert all(definition["States"][state]["Type"] == "Task" for state in case.states)
    attempts = definition["States"]["LambdaState"]["Retry"][0]["MaxAttempts"] + 1
    outcomes = [case.outcome("LambdaState", n) for n in range(attempts)]
    assert all(isinstance(o, mocks.Raises) for o in outcomes[:-1]) and isinstance(outcomes[-1], mocks.Returns)


def test_docs_sample_by_the_start_execution_arn() -> None:
    # The docs start the HappyPath test with this state machine ARN and a '#HappyPath' suffix.
    sample = load_mock_config(SAMPLE)
    case = sample.test_case(None, f"{SAMPLE_ARN}#HappyPath")
    assert (case.state_machine, case.name) == ("LambdaSQSIntegration", "HappyPath")
    assert sample.test_case("LambdaSQSIntegration", f"{SAMPLE_ARN}#RetryPath").name == "RetryPath"
    assert sample.test_case(None, f"{SAMPLE_ARN}:1#HybridPath").name == "HybridPath"  # a version's ARN


# --- loading --------------------------------------------------------------------------------------------


def test_loads_from_str_path_dict_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from_dict = load_mock_config(json.loads(SAMPLE.read_text()))
    monkeypatch.setenv(ENV_VAR, str(SAMPLE))
    for loaded in (load_mock_config(str(SAMPLE)), load_mock_config(SAMPLE), from_dict, load_mock_config()):
        assert loaded.test_case("LambdaSQSIntegration", "HappyPath").outcome("SQSState", 0).value == SQS_SUCCESS


def test_without_source_or_environment_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert "SFN_MOCK_CONFIG is not set" in str(error_of(None))
    monkeypatch.setenv(ENV_VAR, "")
    assert "SFN_MOCK_CONFIG is not set" in str(error_of(None))


def test_environment_pointing_nowhere_names_the_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "absent.json"
    monkeypatch.setenv(ENV_VAR, str(missing))
    message = str(error_of(None))
    assert message.startswith(f"{missing} (from SFN_MOCK_CONFIG): cannot read") and "No such file" in message


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"StateMachines": {},\n "MockedResponses": {')
    message = str(error_of(broken))
    assert message.startswith(f"{broken}: the mock config is not valid JSON") and "line 2" in message
    broken.write_text('{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": NaN}}}}')
    assert "NaN is not JSON" in str(error_of(broken))
    broken.write_text('{"StateMachines": [], "MockedResponses": {}}')
    err = error_of(broken)
    assert (err.source, err.location) == (str(broken), "/StateMachines")
    assert str(err).startswith(f"{broken}: /StateMachines: StateMachines must be a JSON object, not array")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    assert load_mock_config(path).test_case("LambdaSQSIntegration", "HybridPath").states == ("LambdaState",)


def test_a_dict_must_be_json_and_is_detached_from_the_caller() -> None:
    assert "not a JSON value" in str(error_of(config({"R": {"0": {"Return": {1, 2}}}})))
    assert "not a JSON value" in str(error_of(config({"R": {"0": {"Return": float("nan")}}})))
    source = config({"R": {"0": {"Return": {"n": 1}}}}, {"S": "R"})
    loaded = load_mock_config(source)
    source["MockedResponses"]["R"]["0"]["Return"]["n"] = 2
    assert loaded.test_case("M", "T").outcome("S", 0).value == {"n": 1}


# --- validation: every problem with its location ---------------------------------------------------------

THROW = {"Throw": {"Error": "E", "Cause": "c"}}

INVALID = [
    ([], "/", "the mock config must be a JSON object, not array"),
    ({"MockedResponses": {}}, "/", "needs a field 'StateMachines'"),
    ({"StateMachines": {}}, "/", "needs a field 'MockedResponses'"),
    ({"StateMachines": {}, "MockedResponse": {}}, "/MockedResponse", "did you mean 'MockedResponses'?"),
    (
        {"StateMachines": {}, "MockedResponses": {}, "Comment": "x"},
        "/Comment",
        "the mock config may only have 'StateMachines', 'MockedResponses'",
    ),
    ({"StateMachines": {}, "MockedResponses": []}, "/MockedResponses", "must be a JSON object, not array"),
    ({"StateMachines": "M", "MockedResponses": {}}, "/StateMachines", "must be a JSON object, not string"),
    ({"StateMachines": {"M": None}, "MockedResponses": {}}, "/StateMachines/M", "must be a JSON object, not null"),
    ({"StateMachines": {"M": {}}, "MockedResponses": {}}, "/StateMachines/M", "needs a field 'TestCases'"),
    (
        {"StateMachines": {"M": {"TestCase": {}}}, "MockedResponses": {}},
        "/StateMachines/M/TestCase",
        "did you mean 'TestCases'?",
    ),
    (
        {"StateMachines": {"M": {"TestCases": []}}, "MockedResponses": {}},
        "/StateMachines/M/TestCases",
        "must be a JSON object",
    ),
    (
        {"StateMachines": {"M": {"TestCases": {"T": "R"}}}, "MockedResponses": {}},
        "/StateMachines/M/TestCases/T",
        "test case 'T' must be a JSON object, not string",
    ),
    (
        config({"R": {"0": THROW}}, {"S": 1}),
        "/StateMachines/M/TestCases/T/S",
        "must name a mocked response (a string), not number",
    ),
    (
        config({"R": {"0": THROW}}, {"S": "Nope"}),
        "/StateMachines/M/TestCases/T/S",
        "no mocked response named 'Nope'; MockedResponses has 'R'",
    ),
    (config({"R": ["0"]}), "/MockedResponses/R", "mocked response 'R' must be a JSON object, not array"),
    (config({"R": {"0": 1}}), "/MockedResponses/R/0", "a response must be a JSON object, not number"),
    (config({"R": {"0": {}}}), "/MockedResponses/R/0", "exactly one of Return"),
    (config({"R": {"0": {"Return": 1, **THROW}}}), "/MockedResponses/R/0", "exactly one of Return"),
    (config({"R": {"0": {"return": 1}}}), "/MockedResponses/R/0/return", "did you mean 'Return'?"),
    (config({"R": {"0": {"Throw": "E"}}}), "/MockedResponses/R/0/Throw", "Throw must be a JSON object"),
    (config({"R": {"0": {"Throw": {"Error": "E"}}}}), "/MockedResponses/R/0/Throw", "needs a field 'Cause'"),
    (config({"R": {"0": {"Throw": {"Cause": "c"}}}}), "/MockedResponses/R/0/Throw", "needs a field 'Error'"),
    (
        config({"R": {"0": {"Throw": {"Error": 1, "Cause": "c"}}}}),
        "/MockedResponses/R/0/Throw/Error",
        "must be a string, not number",
    ),
    (
        config({"R": {"0": {"Throw": {"Error": "E", "Cause": None}}}}),
        "/MockedResponses/R/0/Throw/Cause",
        "must be a string, not null",
    ),
    (
        config({"R": {"0": {"Throw": {"Error": "", "Cause": "c"}}}}),
        "/MockedResponses/R/0/Throw/Error",
        "must name the error",
    ),
    (
        config({"R": {"0": {"Throw": {"Error": "E", "Cause": "c", "Message": "m"}}}}),
        "/MockedResponses/R/0/Throw/Message",
        "Throw may only have 'Error', 'Cause'",
    ),
    (config({"R": {"3-1": THROW}}), "/MockedResponses/R/3-1", 'ends before it starts; write "1-3"'),
    (
        config({"R": {"0-2": THROW, "2": THROW}}),
        "/MockedResponses/R/2",
        "key '2' overlaps key '0-2' (both cover invocation 2)",
    ),
    (config({"R": {"4-6": THROW, "1-5": THROW}}), "/MockedResponses/R/4-6", "overlaps key '1-5'"),
    (config({"R": {"1": THROW, "01": THROW}}), "/MockedResponses/R/01", "key '01' overlaps key '1'"),
    (config({"a/b": {"x": THROW}}), "/MockedResponses/a~1b/x", "invocation key 'x'"),
]


@pytest.mark.parametrize(("source", "location", "message"), INVALID)
def test_each_problem_is_refused_with_its_location(source: Any, location: str, message: str) -> None:
    err = error_of(source)
    assert err.location == location and message in err.message
    assert str(err).startswith(f"{err.location}: ")


@pytest.mark.parametrize("key", ["1-x", "-1", "a", "1-2-3", " 1", "1 ", "1.0", "+1", "1-", "-", "", "\u0661"])
def test_invocation_keys_are_integers_or_ranges(key: str) -> None:
    err = error_of(config({"MockedLambdaSuccess": {key: THROW}}))
    assert str(err).startswith(
        f"/MockedResponses/MockedLambdaSuccess/{key}: invocation key '{key}' must be a "
        'non-negative integer such as "0" or an inclusive range such as "1-3"'
    )


def test_every_mocked_response_is_checked_even_if_no_test_case_uses_it() -> None:
    assert error_of(config({"Unused": {"0": {"Throw": {"Error": "E"}}}})).location == "/MockedResponses/Unused/0/Throw"


@pytest.mark.parametrize(
    ("text", "location"),
    [
        (
            '{"StateMachines": {"M": {"TestCases": {"T": {}, "T": {}}}}, "MockedResponses": {}}',
            "/StateMachines/M/TestCases/T",
        ),
        (
            '{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": 1}, "0": {"Return": 2}}}}',
            "/MockedResponses/R/0",
        ),
        (
            '{"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": [{"a": 1, "a": 2}]}}}}',
            "/MockedResponses/R/0/Return/0/a",
        ),
    ],
)
def test_duplicate_names_in_a_file_are_refused(tmp_path: Path, text: str, location: str) -> None:
    path = tmp_path / "dup.json"
    path.write_text(text)
    err = error_of(path)
    assert err.location == location and "appears more than once" in err.message


def test_what_step_functions_local_accepts_loads() -> None:
    loaded = load_mock_config(
        {
            "StateMachines": {
                "M": {"TestCases": {"Empty": {}, "T": {"S": "Gappy", "U": "NoKeys", "V": "Values"}}},
                "Unused": {"TestCases": {}},
            },
            "MockedResponses": {
                "Gappy": {"5": THROW, "0": THROW, "2-2": THROW, "007-8": THROW},
                "NoKeys": {},
                "Values": {"0": {"Return": None}, "1": {"Return": [1]}, "2": {"Return": "s"}, "3": {"Return": 1.5}},
            },
        }
    )
    assert loaded.test_case("M", "Empty").states == ()
    values = loaded.test_case("M", "T")
    assert [values.outcome("V", n).value for n in range(4)] == [None, [1], "s", 1.5]


# --- invocation lookup ------------------------------------------------------------------------------------


def test_keys_and_ranges_give_each_invocation_its_outcome_and_gaps_fail_when_reached() -> None:
    first, middle, last = mocks.raises("First", "a"), mocks.raises("Middle", "b"), mocks.returns({"ok": 1}, raw=True)
    case = load_mock_config(
        config(
            {
                "R": {
                    "7": {"Return": {"ok": 1}},
                    "0": {"Throw": {"Error": "First", "Cause": "a"}},
                    "2-4": {"Throw": {"Error": "Middle", "Cause": "b"}},
                }
            },
            {"S": "R"},
        )
    ).test_case("M", "T")
    expected = {0: first, 2: middle, 3: middle, 4: middle, 7: last}
    for invocation in range(10):
        if invocation in expected:
            assert case.outcome("S", invocation) == expected[invocation]
        else:
            err = invalid(case, "S", invocation)
            assert err.error == MOCK_INVALID and is_uncatchable(err.error)
            assert err.cause == (
                f"State 'S' is mocked by 'R' (test case 'T' of 'M'), which has no response for "
                f'invocation {invocation} (zero-based; its keys: "0", "2-4", "7"); add a key '
                f'"{invocation}" or a range covering it'
            )


def test_a_mocked_response_without_keys_fails_its_first_invocation() -> None:
    case = load_mock_config(config({"R": {}}, {"S": "R"})).test_case("M", "T")
    assert "(zero-based; its keys: none)" in invalid(case, "S", 0).cause


def test_states_sharing_a_mocked_response_are_counted_apart() -> None:
    case = load_mock_config(config({"R": {"0": THROW}}, {"A": "R", "B": "R"})).test_case("M", "T")
    assert case.states == ("A", "B")
    assert case.outcome("A", 0) == case.outcome("B", 0) == mocks.raises("E", "c")


# --- choosing a test case -----------------------------------------------------------------------------


def test_unknown_state_machine_or_test_case_lists_what_exists() -> None:
    sample = load_mock_config(SAMPLE)
    with pytest.raises(MockConfigError) as caught:
        sample.test_case("Orders", "HappyPath")
    assert caught.value.location == "/StateMachines"
    assert "no state machine named 'Orders'; the mock config has 'LambdaSQSIntegration'" in str(caught.value)
    with pytest.raises(MockConfigError) as caught:
        sample.test_case(None, f"{SAMPLE_ARN}#SadPath")
    assert caught.value.location == "/StateMachines/LambdaSQSIntegration/TestCases"
    assert str(caught.value).startswith(f"{SAMPLE}: /StateMachines/LambdaSQSIntegration/TestCases: ")
    assert "has no test case 'SadPath'; it has 'HappyPath', 'RetryPath', 'HybridPath'" in str(caught.value)


@pytest.mark.parametrize(
    ("state_machine", "test_case", "message"),
    [
        (None, "HappyPath", "test case 'HappyPath' needs a state machine name"),
        (None, SAMPLE_ARN, "is not '<stateMachineArn>#<TestCaseName>'"),
        (None, f"{SAMPLE_ARN}#", "is not '<stateMachineArn>#<TestCaseName>'"),
        (None, "arn:aws:states:us-east-1:123456789012:execution:LambdaSQSIntegration:x#HappyPath", "is not"),
        ("Other", f"{SAMPLE_ARN}#HappyPath", "state machine 'Other' differs from 'LambdaSQSIntegration'"),
    ],
)
def test_test_case_needs_a_state_machine_and_a_well_formed_arn(
    state_machine: str | None, test_case: str, message: str
) -> None:
    with pytest.raises(MockConfigError) as caught:
        load_mock_config(SAMPLE).test_case(state_machine, test_case)
    assert message in str(caught.value)
