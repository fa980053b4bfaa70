"""JUnit XML reports, for the commands that judge something (``sfnlocal test``, ``sfnlocal validate``).

The shape is the one pytest's ``--junitxml`` writes and CI report viewers read (GitHub test reporters,
GitLab's ``artifacts:reports:junit``, Jenkins' JUnit plugin): ``testsuites`` > ``testsuite`` > ``testcase``
(``classname``, ``name``, ``time``), a ``failure`` element (``message`` attribute, details as text) in a
case that failed, an ``error`` element in one that could not be judged, a ``skipped`` element in one that was
not run (as pytest writes a skipped test), ``system-out`` for what a passing case has to say.

>>> print(to_junit_xml("sfnlocal validate", [Suite("sfnlocal validate", [
...     Case("sfnlocal validate", "good.asl.json"),
...     Case("sfnlocal validate", "bad.asl.json", failure=Outcome("1 error", "bad.asl.json: FAIL"))])]))
<?xml version='1.0' encoding='utf-8'?>
<testsuites name="sfnlocal validate" tests="2" failures="1" errors="0" time="0.000">
  <testsuite name="sfnlocal validate" tests="2" failures="1" errors="0" skipped="0" time="0.000">
    <testcase classname="sfnlocal validate" name="good.asl.json" time="0.000" />
    <testcase classname="sfnlocal validate" name="bad.asl.json" time="0.000">
      <failure message="1 error">bad.asl.json: FAIL</failure>
    </testcase>
  </testsuite>
</testsuites>
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

# Characters XML 1.0 cannot hold at all (ElementTree would write them and make the report unreadable)
_ILLEGAL = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Outcome:
    """Why a case failed (or could not be judged): a one-line ``message`` and the details."""

    message: str
    details: str
    type: str | None = None  # the exception's type; pytest writes none, the JUnit schema allows one


@dataclass(frozen=True)
class Case:
    """One ``testcase``: passed unless it has a ``failure`` or an ``error``."""

    classname: str
    name: str
    seconds: float = 0.0
    failure: Outcome | None = None
    error: Outcome | None = None
    output: str | None = None  # system-out: what a case has to say besides its verdict (warnings)
    skipped: Outcome | None = None  # why it was not run (with no failure or error)


@dataclass(frozen=True)
class Suite:
    """One ``testsuite`` of cases; ``file`` names what it was read from, when one file holds it all."""

    name: str
    cases: Sequence[Case] = field(default_factory=list)
    file: str | None = None

    @property
    def failures(self) -> int:
        return sum(case.failure is not None and case.error is None for case in self.cases)

    @property
    def errors(self) -> int:
        return sum(case.error is not None for case in self.cases)

    @property
    def skipped(self) -> int:
        return sum(case.skipped is not None and case.error is None and case.failure is None for case in self.cases)

    @property
    def seconds(self) -> float:
        return sum(case.seconds for case in self.cases)


def to_junit_xml(name: str, suites: Sequence[Suite]) -> str:
    """The report of ``suites`` as JUnit XML text (see the module docstring)."""
    root = ElementTree.Element(
        "testsuites",
        name=name,
        tests=str(sum(len(suite.cases) for suite in suites)),
        failures=str(sum(suite.failures for suite in suites)),
        errors=str(sum(suite.errors for suite in suites)),
        time=f"{sum(suite.seconds for suite in suites):.3f}",
    )
    for suite in suites:
        attributes = {
            "name": suite.name,
            "tests": str(len(suite.cases)),
            "failures": str(suite.failures),
            "errors": str(suite.errors),
            "skipped": str(suite.skipped),
            "time": f"{suite.seconds:.3f}",
        }
        if suite.file is not None:
            attributes["file"] = suite.file
        element = ElementTree.SubElement(root, "testsuite", attributes)
        for case in suite.cases:
            _case(element, case)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)


def write_junit_xml(path: str | os.PathLike[str], name: str, suites: Sequence[Suite]) -> None:
    """Write :func:`to_junit_xml` to ``path`` (its folder is created)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_junit_xml(name, suites) + "\n", encoding="utf-8")


def legal(text: str) -> str:
    """``text`` with the characters XML cannot hold written as ``\\xNN`` (as pytest's report writes them).

    >>> legal("bell\\x07 and tab\\t")
    'bell\\\\x07 and tab\\t'
    """
    return _ILLEGAL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _case(suite: ElementTree.Element, case: Case) -> None:
    element = ElementTree.SubElement(
        suite, "testcase", classname=legal(case.classname), name=legal(case.name), time=f"{case.seconds:.3f}"
    )
    # an error is the stronger verdict: the case could not be judged, so a failure beside it says nothing more
    outcome, tag = (case.error, "error") if case.error is not None else (case.failure, "failure")
    if outcome is None and case.skipped is not None:
        outcome, tag = case.skipped, "skipped"
    if outcome is not None:
        attributes = (
            {"message": legal(outcome.message)}
            if outcome.type is None
            else {"type": outcome.type, "message": legal(outcome.message)}
        )
        verdict = ElementTree.SubElement(element, tag, attributes)
        verdict.text = legal(outcome.details)
    if case.output:
        ElementTree.SubElement(element, "system-out").text = legal(case.output)
