"""The test cases of a Step Functions Local mock file, run and checked against expected outcomes (``sfnlocal test``).

A mock file (``MockConfigFile.json``) names test cases per state machine. An *expectations* file (JSON or
YAML) says, per test case, what its execution should give::

    {"HappyPath": {"status": "SUCCEEDED", "output": {"ok": true}, "path": ["Charge", "Ship"]},
     "NoStock":   {"input": {"id": 7}, "error": "OutOfStock"}}

Every field is optional: ``input`` (the execution input; default: the suite's, itself ``{}`` by default),
``status`` (default ``SUCCEEDED``, or ``FAILED`` when ``error`` or ``cause`` is given), ``output`` (the
whole output, compared exactly), ``error``, ``cause`` and ``path`` (the states entered, in order, as
``run.path`` lists them). A test case the expectations do not name is expected to succeed.

sfnlocal's mock file loader refuses unknown top-level fields (as it refuses every unknown field, to catch
typos), so expectations live in their own file (or, for ``sfnlocal test``, inline JSON text) rather than
next to ``StateMachines``.

>>> suite = load_suite("tests/data/mock_config/LambdaSQSIntegration.asl.json",
...                    "tests/data/mock_config/MockConfigFile.json",
...                    expectations={"HappyPath": {"output": {"MessageId": "m-1"}},
...                                  "RetryPath": {"path": ["LambdaState", "SQSState"]},
...                                  "HybridPath": {"error": "SQS.QueueDoesNotExistException"}})
>>> [(case.name, case.passed) for case in map(suite.run_case, suite.cases)]
[('HappyPath', False), ('RetryPath', True), ('HybridPath', True)]
>>> print(*suite.run_case("HappyPath").differences)
output differs:
  --- expected
  +++ actual
  @@ -1,3 +1,4 @@
   {
  -  "MessageId": "m-1"
  +  "MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
  +  "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"
   }
"""

from __future__ import annotations

import difflib
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sfnlocal.integrations.mock_config import load_mock_config
from sfnlocal.interpreter.result import ExecutionResult
from sfnlocal.language.errors import DefinitionError
from sfnlocal.language.loader import read_file
from sfnlocal.state_machine import StateMachine
from sfnlocal.testing import junit
from sfnlocal.testing.wording import first_lines

_DIFF_LINES = 40  # lines of a difference shown (a looping execution's path can differ in thousands)

FIELDS = ("input", "status", "output", "error", "cause", "path")
STATUSES = ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "RUNNING")


class ExpectationError(ValueError):
    """An expectations file that cannot be used; the message names the file and the JSON location."""


@dataclass(frozen=True)
class Expectation:
    """What one test case's execution should give: the fields of its entry in the expectations file."""

    fields: Mapping[str, Any] = field(default_factory=dict)

    def checks(self) -> dict[str, Any]:
        """The fields to compare with the execution, ``status`` always among them.

        >>> Expectation({"input": {}, "cause": "x"}).checks()
        {'status': 'FAILED', 'cause': 'x'}
        """
        failed = "error" in self.fields or "cause" in self.fields
        checks = {"status": self.fields.get("status", "FAILED" if failed else "SUCCEEDED")}
        checks.update((name, value) for name, value in self.fields.items() if name not in ("input", "status"))
        return checks


@dataclass
class CaseResult:
    """One test case run: its execution, how it differs from the expectation (empty: it passed), and its wall time."""

    name: str
    run: ExecutionResult
    differences: list[str]
    seconds: float

    @property
    def passed(self) -> bool:
        """No difference from the expectation."""
        return not self.differences


@dataclass
class MockTestSuite:
    """The test cases of one state machine in a mock file, with their expectations."""

    machine: StateMachine
    mock_config: str
    cases: list[str]
    expectations: dict[str, Expectation]
    default_input: Any = field(default_factory=dict)

    def run_case(self, name: str) -> CaseResult:
        """Run test case ``name`` and compare its execution with its expectation."""
        expectation = self.expectations.get(name, Expectation())
        started = time.perf_counter()
        run = self.machine.execute(
            expectation.fields.get("input", self.default_input), mock_config=self.mock_config, test_case=name
        )
        return CaseResult(name, run, compare(expectation, run), time.perf_counter() - started)


def load_suite(
    definition: str | os.PathLike[str] | None,
    mock_config: str | os.PathLike[str],
    state_machine: str | None = None,
    expectations: str | os.PathLike[str] | Mapping[str, Any] | None = None,
    default_input: Any = None,
    *,
    template: str | os.PathLike[str] | None = None,
    logical_id: str | None = None,
) -> MockTestSuite:
    """The suite of the state machine named ``state_machine`` in ``mock_config``, run on ``definition`` (a
    definition file) or on the state machine of the SAM/CloudFormation ``template`` (``logical_id`` picks one
    when it has several), whose Lambda functions then serve the states a test case does not mock.

    The name defaults to the definition file's (``orders.asl.json``: ``orders``), or the template's logical id
    (as :meth:`StateMachine.from_template` names it), or, when the mock file has exactly one state machine, to
    that one. ``expectations`` is a file's path or its parsed content.
    Raises ``DefinitionError``, ``TemplateError``, ``MockConfigError`` or ``ExpectationError`` (all ``ValueError``).

    >>> suite = load_suite(None, "tests/data/mock_config/approval/MockConfigFile.json",
    ...                    template="examples/approval/template.yaml")
    >>> suite.machine.name, sorted(suite.machine.functions)
    ('ApprovalStateMachine', ['RequestApprovalFunction', 'ValidateOrderFunction', 'record-decision'])
    """
    source = template if template is not None else definition
    if source is None or (template is not None and definition is not None):
        raise ValueError("load_suite() takes a definition file or a template=, one of them")
    if logical_id is not None and template is None:
        raise ValueError("logical_id= picks a state machine of a template=; pass the template too")
    path = os.fspath(source)

    def machine_named(name: str | None) -> StateMachine:
        options: dict[str, Any] = {} if name is None else {"name": name}
        if template is not None:
            return StateMachine.from_template(path, logical_id, **options)
        return StateMachine.from_file(path, **options)

    config = load_mock_config(mock_config)
    machine = machine_named(state_machine)
    name = machine.name
    if state_machine is None and name not in config.test_cases and len(config.test_cases) == 1:
        name = next(iter(config.test_cases))
        machine = machine_named(name)
    if name not in config.test_cases:
        known = ", ".join(f"'{machine}'" for machine in config.test_cases) or "none"
        raise ValueError(
            f"{mock_config} has no state machine named '{name}' (it has {known}); pass --state-machine NAME"
        )
    cases = list(config.test_cases[name])
    loaded = load_expectations(expectations) if expectations is not None else {}
    unknown = [case for case in loaded if case not in cases]
    if unknown:
        raise ExpectationError(
            f"expectations name test case '{unknown[0]}', which state machine '{name}' "
            f"of {mock_config} does not have (it has {', '.join(cases) or 'none'})"
        )
    return MockTestSuite(machine, os.fspath(mock_config), cases, loaded, {} if default_input is None else default_input)


def load_expectations(source: str | os.PathLike[str] | Mapping[str, Any]) -> dict[str, Expectation]:
    """Expectations per test case from a JSON or YAML file, or from their parsed content.

    >>> load_expectations({"HappyPath": {"stauts": "SUCCEEDED"}})
    Traceback (most recent call last):
    ...
    sfnlocal.testing.mock_tests.ExpectationError: expectations: /HappyPath/stauts: unknown field 'stauts'; ...
    """
    where = "expectations"
    if not isinstance(source, Mapping):
        where = os.fspath(source)
        try:
            source = read_file(os.fspath(source))
        except DefinitionError as err:
            raise ExpectationError(err.message) from None
    if not isinstance(source, Mapping):
        raise ExpectationError(
            f'{where}: must be an object of test case names, e.g. {{"HappyPath": {{"status": "SUCCEEDED"}}}}'
        )
    return {name: Expectation(_checked(where, name, fields)) for name, fields in source.items()}


def _checked(where: str, case: str, fields: Any) -> Mapping[str, Any]:
    def refuse(location: str, message: str) -> ExpectationError:
        return ExpectationError(f"{where}: /{case}{location}: {message}")

    if not isinstance(fields, Mapping):
        raise refuse("", f"must be an object of {', '.join(FIELDS)}")
    for name, value in fields.items():
        if name not in FIELDS:
            raise refuse(f"/{name}", f"unknown field '{name}'; an expectation may have {', '.join(FIELDS)}")
        if name == "status" and value not in STATUSES:
            raise refuse("/status", f"must be one of {', '.join(STATUSES)}")
        if name in ("error", "cause") and not isinstance(value, str):
            raise refuse(f"/{name}", "must be a string")
        if name == "path" and not (isinstance(value, list) and all(isinstance(state, str) for state in value)):
            raise refuse("/path", "must be a list of state names")
    return fields


def compare(expectation: Expectation, run: ExecutionResult) -> list[str]:
    """How ``run`` differs from ``expectation``, one text per field (the output is compared only when the
    status is the expected one; a status that differs shows the execution's error and cause)."""
    actual = {"status": run.status, "output": run.output, "error": run.error, "cause": run.cause, "path": run.path}
    checks = expectation.checks()
    differences = []
    for name, expected in checks.items():
        if actual[name] == expected or (name == "output" and run.status != checks["status"]):
            continue
        if name in ("output", "path"):
            differences.append(f"{name} differs:\n" + _diff(expected, actual[name], one_per_line=name == "path"))
        else:
            text = f"{name}: expected {json.dumps(expected)}, got {json.dumps(actual[name])}"
            if name == "status" and run.error is not None and "error" not in expectation.fields:
                text += f" (error: {run.error}; cause: {run.cause})"
            differences.append(text)
    return differences


def _diff(expected: Any, actual: Any, one_per_line: bool) -> str:
    """A unified diff of two JSON values (of two lists, one item a line); its first 40 lines.

    >>> print(_diff(["A", "B"], ["A", "C"], one_per_line=True))
      --- expected
      +++ actual
      @@ -1,2 +1,2 @@
       A
      -B
      +C
    """

    def lines(value: Any) -> list[str]:
        if one_per_line and isinstance(value, list):
            return [str(item) for item in value]
        return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).splitlines()

    diff = difflib.unified_diff(lines(expected), lines(actual), "expected", "actual", lineterm="")
    return "\n".join(first_lines([f"  {line}" for line in diff], _DIFF_LINES, indent="    "))


def to_junit_xml(suite: MockTestSuite, results: Iterable[CaseResult]) -> str:
    """JUnit XML for CI: one ``testsuite`` (the state machine), one ``testcase`` per test case, a ``failure``
    holding the differences of each that did not pass.

    >>> suite = load_suite("tests/data/mock_config/LambdaSQSIntegration.asl.json",
    ...                    "tests/data/mock_config/MockConfigFile.json")
    >>> print(to_junit_xml(suite, [suite.run_case("HappyPath")]))  # doctest: +ELLIPSIS
    <?xml version='1.0' encoding='utf-8'?>
    <testsuites name="sfnlocal test" tests="1" failures="0" errors="0" time="...">
      <testsuite name="LambdaSQSIntegration" tests="1" failures="0" errors="0" skipped="0" time="..."
        file="tests/data/mock_config/MockConfigFile.json">
        <testcase classname="LambdaSQSIntegration" name="HappyPath" time="..." />
      </testsuite>
    </testsuites>
    """
    return junit.to_junit_xml("sfnlocal test", [_junit_suite(suite, results)])


def write_junit_xml(path: str | os.PathLike[str], suite: MockTestSuite, results: Iterable[CaseResult]) -> None:
    """Write :func:`to_junit_xml` to ``path`` (its folder is created)."""
    junit.write_junit_xml(path, "sfnlocal test", [_junit_suite(suite, results)])


def _junit_suite(suite: MockTestSuite, results: Iterable[CaseResult]) -> junit.Suite:
    """The state machine's test cases as one JUnit suite, a failure holding the differences of each that failed."""
    cases = []
    for result in results:
        failure = None
        if not result.passed:
            message = "; ".join(text.splitlines()[0] for text in result.differences)
            failure = junit.Outcome(message, "\n".join(result.differences), "AssertionError")
        cases.append(junit.Case(suite.machine.name, result.name, result.seconds, failure=failure))
    return junit.Suite(suite.machine.name, cases, suite.mock_config)
