"""Step Functions Local's mock configuration file (``MockConfigFile.json``), read as Step Functions Local reads it.

The file maps state machines to test cases, and each test case maps Task state names to *mocked
responses*; a mocked response gives, per zero-based invocation of the state, ``{"Return": value}``
(the service's API response, used as is) or ``{"Throw": {"Error": ..., "Cause": ...}}``::

    {"StateMachines": {"Orders": {"TestCases": {"HappyPath": {"Charge": "ChargeOk"}}}},
     "MockedResponses": {"ChargeOk": {"0": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "slow"}},
                                      "1-2": {"Return": {"StatusCode": 200, "Payload": {"ok": true}}}}}}

>>> config = load_mock_config({
...     "StateMachines": {"Orders": {"TestCases": {"HappyPath": {"Charge": "ChargeOk"}}}},
...     "MockedResponses": {"ChargeOk": {
...         "0": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "slow"}},
...         "1-2": {"Return": {"StatusCode": 200}}}}})
>>> case = config.test_case("Orders", "HappyPath")
>>> case.outcome("Charge", 0)
Raises(error='Lambda.TimeoutException', cause='slow', after=0.0)
>>> case.outcome("Charge", 2)
Returns(value={'StatusCode': 200}, raw=True, after=0.0)
>>> case.outcome("Ship", 0) is None      # not mocked by this test case: other mocks decide
True

Where this follows Step Functions Local (AWS docs, "Configuration file for mocked service
integrations" and "Using mocked service integrations for testing in Step Functions Local"):

* invocation keys are integer strings (``"0"``) or inclusive ranges (``"1-3"``);
* a response holds a single field, ``Return`` or ``Throw``; ``Return`` may be any JSON value, and
  ``Throw`` must hold both ``Error`` and ``Cause`` as strings;
* invocations are counted per state over the whole execution (retries and Map iterations count);
* "if you do not specify a mocked response for a specific retry attempt [...] the state machine
  execution will fail": an invocation no key covers (past the last key, in a gap between keys, or
  any invocation of a mocked response with no keys) fails the execution when it happens, not at
  load. Step Functions Local 2.0.0 is reported to fail it with ``States.Runtime`` (and to accept an
  empty mocked response until then); sfnlocal fails it with ``sfnlocal.MockInvalid``, which no
  Retry or Catch hides either.

sfnlocal is stricter at load than Step Functions Local, so mistakes surface with their location:
unknown fields, duplicate names, overlapping keys and test cases naming a mocked response that
does not exist are refused.
"""

from __future__ import annotations

import bisect
import difflib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sfnlocal.integrations.mocks.integration import mock_outcome
from sfnlocal.integrations.mocks.keys import nearest
from sfnlocal.integrations.mocks.outcomes import Outcome, raises, returns
from sfnlocal.interpreter import integration
from sfnlocal.language.errors import MOCK_INVALID, StatesError, pointer
from sfnlocal.language.jsontext import not_a_json_constant

ENV_VAR = "SFN_MOCK_CONFIG"

_KEY = re.compile(r"([0-9]+)(?:-([0-9]+))?")
_TOP_FIELDS = ("StateMachines", "MockedResponses")


class MockConfigError(ValueError):
    """A mock config that cannot be used; the message names the file, the JSON location and what to write.

    >>> str(MockConfigError("/MockedResponses/Ok/x", "bad key", source="mocks.json"))
    'mocks.json: /MockedResponses/Ok/x: bad key'
    """

    def __init__(self, location: str, message: str, source: str | None = None) -> None:
        super().__init__(": ".join(part for part in (source, location, message) if part))
        self.location = location
        self.message = message
        self.source = source


@dataclass(frozen=True)
class _Span:
    """The invocations ``first`` to ``last`` (inclusive) of one key of a mocked response."""

    first: int
    last: int
    key: str
    outcome: Outcome


@dataclass(frozen=True)
class MockedResponse:
    """One entry of ``MockedResponses``: an outcome per invocation range, sorted by first invocation."""

    name: str
    spans: tuple[_Span, ...]

    def at(self, invocation: int) -> Outcome | None:
        """The outcome of the zero-based ``invocation``, None when no key covers it."""
        index = bisect.bisect_right(self.spans, invocation, key=lambda span: span.first) - 1
        if index >= 0 and invocation <= self.spans[index].last:
            return self.spans[index].outcome
        return None


@dataclass(frozen=True)
class MockTestCase:
    """One test case of one state machine: which mocked response each mocked state uses.

    It is an integration (:mod:`sfnlocal.interpreter.integration`): it serves the Tasks it mocks in
    executions of its own state machine, and leaves the others, and child executions of other state
    machines (Step Functions Local runs those without a test case), to the next integration.
    """

    state_machine: str
    name: str
    responses: Mapping[str, MockedResponse]

    @property
    def states(self) -> tuple[str, ...]:
        """The names of the states this test case mocks, in file order."""
        return tuple(self.responses)

    def outcome(self, state_name: str, invocation: int) -> Outcome | None:
        """What the zero-based ``invocation`` of ``state_name`` does; None when this test case does not mock it.

        ``Return`` values are shared with the config: callers copy them before use (as
        :func:`~sfnlocal.integrations.mocks.integration.mock_outcome` does with every mock's value).
        Raises ``StatesError("sfnlocal.MockInvalid", ...)`` for an invocation no key covers.
        """
        response = self.responses.get(state_name)
        if response is None:
            return None
        outcome = response.at(invocation)
        if outcome is None:
            keys = ", ".join(f'"{span.key}"' for span in response.spans) or "none"
            raise StatesError(
                MOCK_INVALID,
                f"State '{state_name}' is mocked by '{response.name}' (test case '{self.name}' of "
                f"'{self.state_machine}'), which has no response for invocation {invocation} "
                f'(zero-based; its keys: {keys}); add a key "{invocation}" or a range covering it',
            )
        return outcome

    def invoke(self, request: integration.TaskRequest) -> integration.Outcome | None:
        """The mocked response of this invocation, when this test case mocks the state in its own machine."""
        if request.state_machine_arn.split(":")[6:7] != [self.state_machine]:
            return None
        mock = self.outcome(request.state_name, request.invocation)
        return None if mock is None else mock_outcome(mock, request)


class MockConfig:
    """A loaded, validated mock config: its test cases by state machine name, then test case name."""

    def __init__(self, test_cases: Mapping[str, Mapping[str, MockTestCase]], source: str | None = None) -> None:
        self.test_cases = test_cases
        self.source = source

    def test_case(self, state_machine: str | None, test_case: str) -> MockTestCase:
        """The test case named ``test_case`` of ``state_machine``.

        ``test_case`` may also be Step Functions Local's ``<stateMachineArn>#<TestCaseName>``; the
        state machine name is then read from the ARN and ``state_machine`` may be None.

        >>> config = load_mock_config({"StateMachines": {"Orders": {"TestCases": {"Happy": {}}}},
        ...                            "MockedResponses": {}})
        >>> config.test_case(None, "arn:aws:states:us-east-1:123456789012:stateMachine:Orders#Happy").name
        'Happy'
        """
        if test_case.startswith("arn:"):
            state_machine, test_case = self._split_arn(state_machine, test_case)
        if state_machine is None:
            raise self._error(
                "",
                f"test case '{test_case}' needs a state machine name, or write it as '<stateMachineArn>#{test_case}'",
            )
        machine = self.test_cases.get(state_machine)
        if machine is None:
            raise self._error(
                pointer("StateMachines"),
                f"no state machine named '{state_machine}'; the mock config has {_listing(self.test_cases)}",
            )
        case = machine.get(test_case)
        if case is None:
            raise self._error(
                pointer("StateMachines", state_machine, "TestCases"),
                f"state machine '{state_machine}' has no test case '{test_case}'; it has {_listing(machine)}",
            )
        return case

    def check_states(self, case: MockTestCase, state_names: Iterable[str]) -> None:
        """Refuse a test case that mocks a state its state machine lacks (``state_names``: the machine's states at
        any depth), naming the nearest. Step Functions Local ignores such a state; sfnlocal takes it for a typo.

        >>> config = load_mock_config({"StateMachines": {"Orders": {"TestCases": {"Happy": {"Chrage": "Ok"}}}},
        ...                            "MockedResponses": {"Ok": {"0": {"Return": 1}}}})
        >>> config.check_states(config.test_case("Orders", "Happy"), ["Charge", "Ship"])
        Traceback (most recent call last):
        ...
        sfnlocal.integrations.mock_config.MockConfigError: /StateMachines/Orders/TestCases/Happy/Chrage: \
state machine 'Orders' has no state 'Chrage' ...; did you mean 'Charge'?
        """
        names = list(state_names)
        for state in case.states:
            if state not in names:
                raise self._error(
                    pointer("StateMachines", case.state_machine, "TestCases", case.name, state),
                    f"state machine '{case.state_machine}' has no state '{state}' (at any depth), so this mock "
                    f"would never be used; {nearest(state, names)}",
                )

    def _split_arn(self, state_machine: str | None, value: str) -> tuple[str, str]:
        arn, hash_sign, test_case = value.partition("#")
        parts = arn.split(":")
        if not hash_sign or not test_case or len(parts) < 7 or parts[5] != "stateMachine" or not parts[6]:
            raise self._error(
                "",
                f"'{value}' is not '<stateMachineArn>#<TestCaseName>', e.g. "
                "'arn:aws:states:us-east-1:123456789012:stateMachine:Orders#HappyPath'",
            )
        if state_machine is not None and state_machine != parts[6]:
            raise self._error("", f"state machine '{state_machine}' differs from '{parts[6]}' named in '{value}'")
        return parts[6], test_case

    def _error(self, location: str, message: str) -> MockConfigError:
        return MockConfigError(location, message, self.source)


def load_mock_config(source: str | os.PathLike[str] | Mapping[str, Any] | None = None) -> MockConfig:
    """Load and validate a mock config from a JSON file's path, an already parsed dict, or (None) the
    file named by the ``SFN_MOCK_CONFIG`` environment variable.

    >>> load_mock_config({"StateMachines": {}, "MockedResponses": {"Ok": {"0-": {"Return": 1}}}})
    Traceback (most recent call last):
    ...
    sfnlocal.integrations.mock_config.MockConfigError: /MockedResponses/Ok/0-: invocation key '0-' must be ...
    """
    if source is not None and not isinstance(source, str | os.PathLike):
        try:  # through JSON text: one way in for files and dicts, detached from the caller's objects
            text = json.dumps(source, allow_nan=False)
        except (TypeError, ValueError) as err:
            raise MockConfigError("", f"the mock config is not a JSON value: {err}") from None
        return _parse(text, None)
    if source is None:
        source = os.environ.get(ENV_VAR) or None
        if source is None:
            raise MockConfigError(
                "",
                f"no mock config given and {ENV_VAR} is not set; pass a path or a dict, "
                f"or set {ENV_VAR} to the mock config file's path",
            )
        where = f"{source} (from {ENV_VAR})"
    else:
        where = str(source)
    try:
        text = Path(source).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise MockConfigError("", f"cannot read the mock config file: {err.strerror or err}", where) from None
    return _parse(text, where)


class _Duplicated(dict[str, Any]):
    """A JSON object in which some names appeared more than once (json keeps the last of each)."""

    duplicates: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    counts = Counter(name for name, _ in pairs)
    if len(counts) == len(pairs):
        return dict(pairs)
    obj = _Duplicated(pairs)
    obj.duplicates = tuple(name for name, count in counts.items() if count > 1)
    return obj


def _parse(text: str, source: str | None) -> MockConfig:
    try:
        data = json.loads(text, object_pairs_hook=_object_pairs, parse_constant=not_a_json_constant)
    except ValueError as err:
        raise MockConfigError("", f"the mock config is not valid JSON: {err}", source) from None
    try:
        _refuse_duplicates(data, ())
        return MockConfig(_validate(data), source)
    except MockConfigError as err:
        raise MockConfigError(err.location, err.message, source) from None


def _refuse_duplicates(value: Any, parts: tuple[str, ...]) -> None:
    if isinstance(value, _Duplicated):
        name = value.duplicates[0]
        raise MockConfigError(
            pointer(*parts, name),
            f"'{name}' appears more than once in this object; names must be unique (JSON keeps only the last)",
        )
    if isinstance(value, dict):
        for name, item in value.items():
            _refuse_duplicates(item, (*parts, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_duplicates(item, (*parts, str(index)))


def _validate(data: Any) -> dict[str, dict[str, MockTestCase]]:
    top = _object(data, (), "the mock config", _TOP_FIELDS, required=_TOP_FIELDS)
    responses = {
        name: _mocked_response(name, value, ("MockedResponses", name))
        for name, value in _object(top["MockedResponses"], ("MockedResponses",), "MockedResponses").items()
    }
    machines = _object(top["StateMachines"], ("StateMachines",), "StateMachines")
    return {name: _test_cases(name, value, responses) for name, value in machines.items()}


def _test_cases(machine: str, value: Any, responses: Mapping[str, MockedResponse]) -> dict[str, MockTestCase]:
    parts = ("StateMachines", machine)
    fields = _object(value, parts, f"state machine '{machine}'", ("TestCases",), required=("TestCases",))
    cases = _object(fields["TestCases"], (*parts, "TestCases"), "TestCases")
    return {
        name: MockTestCase(machine, name, _test_case(case, (*parts, "TestCases", name), responses))
        for name, case in cases.items()
    }


def _test_case(
    value: Any, parts: tuple[str, ...], responses: Mapping[str, MockedResponse]
) -> dict[str, MockedResponse]:
    mapped = {}
    for state, response in _object(value, parts, f"test case '{parts[-1]}'").items():
        if not isinstance(response, str):
            raise MockConfigError(
                pointer(*parts, state),
                f'must name a mocked response (a string), not {_kind(response)}, e.g. "{state}": "MockedSuccess"',
            )
        if response not in responses:
            raise MockConfigError(
                pointer(*parts, state),
                f"no mocked response named '{response}'; MockedResponses has {_listing(responses)}",
            )
        mapped[state] = responses[response]
    return mapped


def _mocked_response(name: str, value: Any, parts: tuple[str, ...]) -> MockedResponse:
    keys = _object(value, parts, f"mocked response '{name}'")
    spans = sorted((_span(key, item, (*parts, key)) for key, item in keys.items()), key=lambda span: span.first)
    for before, after in zip(spans, spans[1:]):
        if after.first <= before.last:
            raise MockConfigError(
                pointer(*parts, after.key),
                f"key '{after.key}' overlaps key '{before.key}' (both cover invocation "
                f"{after.first}); each invocation may have only one response",
            )
    return MockedResponse(name, tuple(spans))


def _span(key: str, value: Any, parts: tuple[str, ...]) -> _Span:
    match = _KEY.fullmatch(key)
    if match is None:
        raise MockConfigError(
            pointer(*parts),
            f'invocation key \'{key}\' must be a non-negative integer such as "0" or an inclusive range such as "1-3"',
        )
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) is not None else first
    if last < first:
        raise MockConfigError(pointer(*parts), f"range '{key}' ends before it starts; write \"{last}-{first}\"")
    return _Span(first, last, key, _response(value, parts))


def _response(value: Any, parts: tuple[str, ...]) -> Outcome:
    fields = _object(value, parts, "a response", ("Return", "Throw"))
    if len(fields) != 1:
        raise MockConfigError(
            pointer(*parts),
            "a response must hold exactly one of Return (the service's "
            'response) or Throw ({"Error": "...", "Cause": "..."})',
        )
    if "Return" in fields:
        return returns(fields["Return"], raw=True)
    throw = _object(fields["Throw"], (*parts, "Throw"), "Throw", ("Error", "Cause"), required=("Error", "Cause"))
    for field in ("Error", "Cause"):
        if not isinstance(throw[field], str):
            raise MockConfigError(pointer(*parts, "Throw", field), f"must be a string, not {_kind(throw[field])}")
    if not throw["Error"]:
        raise MockConfigError(pointer(*parts, "Throw", "Error"), 'must name the error, e.g. "Lambda.TimeoutException"')
    return raises(throw["Error"], throw["Cause"])


def _object(
    value: Any,
    parts: tuple[str, ...],
    what: str,
    allowed: tuple[str, ...] | None = None,
    required: tuple[str, ...] = (),
) -> dict[str, Any]:
    """``value`` checked to be a JSON object with only the ``allowed`` fields (any, when None) and the ``required``."""
    if not isinstance(value, dict):
        raise MockConfigError(pointer(*parts), f"{what} must be a JSON object, not {_kind(value)}")
    if allowed is not None:
        for name in value:
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"{what} may only have {_listing(allowed)}"
                raise MockConfigError(pointer(*parts, name), f"unknown field '{name}'; {hint}")
    for name in required:
        if name not in value:
            raise MockConfigError(pointer(*parts), f"{what} needs a field '{name}'")
    return value


def _listing(names: Iterable[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    return ", ".join(quoted) if quoted else "none"


def _kind(value: Any) -> str:
    """The JSON type name of a parsed value.

    >>> _kind(True), _kind(1.5), _kind(None), _kind([])
    ('boolean', 'number', 'null', 'array')
    """
    kinds = ((bool, "boolean"), (int | float, "number"), (str, "string"), (list, "array"), (dict, "object"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "null")
