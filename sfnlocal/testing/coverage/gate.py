"""The coverage gate (``--sfn-cov-fail-under``) in pytest's JUnit XML report (``--junitxml``): one testcase,
classname ``sfnlocal`` and name ``workflow coverage >= N%``, passed or failed as the gate is, so that CI report
viewers (GitLab's test report, Jenkins' JUnit plugin, GitHub test-report actions) show why the session failed
when every test passed.

The testcase goes through the JUnit plugin's own handling of a test's reports (a call report and a teardown
report, as pytest makes for a test), so it is written as pytest writes any testcase (``--junit-prefix``,
``junit_family``), and counted in the suite's ``tests`` and ``failures``. The failure's message is the gate's
line; its text the coverage table. Under ``junit_family=xunit1`` the testcase has the totals as properties
(``required``, ``percent``, ``covered``, ``total``); pytest's default, xunit2, has no properties in a testcase.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from sfnlocal.testing.coverage.summary import format_percent

CLASSNAME = "sfnlocal"


@dataclass(frozen=True)
class GateVerdict:
    """What ``--sfn-cov-fail-under`` found: whether it passed, the threshold and the totals, the line the
    terminal shows (``message``) and the coverage table (``details``)."""

    passed: bool
    required: float
    percent: float
    covered: int
    total: int
    message: str
    details: str

    @property
    def name(self) -> str:
        """The testcase's name.

        >>> GateVerdict(True, 80.0, 90.0, 9, 10, "", "").name
        'workflow coverage >= 80%'
        """
        return f"workflow coverage >= {self.required:g}%"


@dataclass(frozen=True)
class _Crash:
    message: str


class _Failure:
    """A failure's long representation, as the JUnit plugin reads it: ``reprcrash.message`` becomes the
    ``message`` attribute, the text the element's text."""

    def __init__(self, message: str, text: str) -> None:
        self.reprcrash = _Crash(message)
        self.text = text

    def __str__(self) -> str:
        return self.text


def record_gate(config: pytest.Config, verdict: GateVerdict) -> None:
    """Add the gate's testcase to the session's JUnit XML report, if ``--junitxml`` asked for one."""
    xml = _junit_plugin(config)
    if xml is None:
        return
    nodeid = f"{CLASSNAME}::{verdict.name}"
    location = (CLASSNAME, None, verdict.name)
    longrepr = None if verdict.passed else _Failure(verdict.message, f"{verdict.message}\n\n{verdict.details}")
    outcome = "passed" if verdict.passed else "failed"
    properties = [
        ("required", f"{verdict.required:g}"),
        ("percent", format_percent(verdict.percent).rstrip("%")),
        ("covered", str(verdict.covered)),
        ("total", str(verdict.total)),
    ]
    # Properties are not in the xunit2 schema (pytest warns record_property users of it): only for xunit1.
    kept = properties if getattr(xml, "family", "xunit1") == "xunit1" else []
    call = pytest.TestReport(nodeid, location, {}, outcome, longrepr, "call")  # type: ignore[arg-type]
    teardown = pytest.TestReport(nodeid, location, {}, "passed", None, "teardown", user_properties=kept)
    xml.pytest_runtest_logreport(call)
    xml.pytest_runtest_logreport(teardown)


def _junit_plugin(config: pytest.Config) -> Any:
    """pytest's JUnit XML plugin object of the session (None without ``--junitxml``, or on an xdist worker)."""
    try:
        from _pytest.junitxml import xml_key  # where pytest keeps it (pytest 7 and later)
    except ImportError:  # pragma: no cover - a pytest that moved it: no testcase rather than a crash
        return None
    return config.stash.get(xml_key, None)
