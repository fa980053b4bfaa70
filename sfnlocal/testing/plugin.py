"""The pytest plugin (registered under the ``pytest11`` entry point): the ``sfn`` fixture, workflow
coverage, and assertion rewriting for :mod:`sfnlocal.testing`.

``sfn.load(path_or_dict_or_machine, **options)`` gives a state machine whose executions are recorded:
a failing test's report lists the executions it ran, and the session adds up their workflow coverage
(states, transitions, Choice rules, retriers, catchers, Parallel branches, Map processors).

Coverage is reported when a test loaded a machine through ``sfn``, or when any ``--sfn-cov*`` option
asks for it; ``--no-sfn-cov`` turns it off:

* ``--sfn-cov`` report even when no machine was loaded;
* ``--sfn-cov-report=term|json[:PATH]|html[:PATH]|cobertura[:PATH]`` (repeatable; default ``term``; the
  files default to ``sfn-coverage.json``, ``sfn-coverage.html`` and ``sfn-coverage.xml``; Cobertura XML is
  what CI coverage viewers read, :mod:`sfnlocal.testing.coverage.cobertura`);
* ``--sfn-cov-fail-under=N`` fail the session when the total is below N percent; with ``--junitxml`` the
  JUnit report has a testcase for the gate (classname ``sfnlocal``, name ``workflow coverage >= N%``), failed
  when the session fails for it.

With pytest-xdist each worker sends its coverage to the controller, which merges it; a worker that crashed
sent none, so the report says its coverage was lost, and ``--sfn-cov-fail-under`` fails on partial data.

A failing test's report ends with a few lines per execution it ran (the last five): status, error, cause,
the last states, and the file its full history was written to; with ``--sfn-html=DIR``, the execution's page
instead (one self-contained HTML file per execution, :mod:`sfnlocal.viewer`), written into DIR.

``sfn_aws`` is an in-process AWS (an entered ``AwsWorld``) for the test, which the ``sfn`` fixture's machines
run in. Hypothesis tests taking ``sfn`` draw the same examples in every run, so the coverage does not change
with Hypothesis's random seed or example database (:mod:`sfnlocal.testing.determinism`).
See docs/pytest-plugin.md.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sfnlocal.integrations.aws.world import AwsWorld
from sfnlocal.interpreter.registry import registry_scope
from sfnlocal.testing.coverage.cobertura import cobertura_report
from sfnlocal.testing.coverage.collector import Recorder
from sfnlocal.testing.coverage.data import CoverageData
from sfnlocal.testing.coverage.gate import GateVerdict, record_gate
from sfnlocal.testing.coverage.htmlreport import html_report
from sfnlocal.testing.coverage.jsonreport import json_report
from sfnlocal.testing.coverage.summary import MachineSummary, format_percent, summarize, total_percent
from sfnlocal.testing.coverage.terminal import term_lines
from sfnlocal.testing.determinism import pin_hypothesis_seeds
from sfnlocal.testing.server_fixture import sfn_server  # noqa: F401 (a fixture the plugin provides)

pytest.register_assert_rewrite("sfnlocal.testing.assertions")

WORKER_OUTPUT_KEY = "sfnlocal_coverage"
DEFAULT_PATHS = {"json": "sfn-coverage.json", "html": "sfn-coverage.html", "cobertura": "sfn-coverage.xml"}
REPORT_KINDS = ("term", "json", "html", "cobertura")
NOTHING_LOADED = "No state machine was loaded through the sfn fixture"
SHOWN_EXECUTIONS = 5  # the last executions of a failing test shown in its report
MAX_PAGES = 1_000  # with --sfn-html, the most pages written for one failing test (its last executions)
WORLD_FIXTURE = "sfn_aws"


@dataclass(frozen=True)
class ReportSpec:
    """One ``--sfn-cov-report`` value: the kind of report and, for a file, where it goes."""

    kind: str
    path: str | None = None


def report_spec(value: str) -> ReportSpec:
    """Read ``term``, ``json[:PATH]``, ``html[:PATH]`` or ``cobertura[:PATH]``.

    >>> report_spec("html"), report_spec("json:out/cov.json")
    (ReportSpec(kind='html', path='sfn-coverage.html'), ReportSpec(kind='json', path='out/cov.json'))
    >>> report_spec("cobertura")
    ReportSpec(kind='cobertura', path='sfn-coverage.xml')
    """
    kind, _, path = value.partition(":")
    if kind not in REPORT_KINDS or (kind == "term" and path):
        raise argparse.ArgumentTypeError(f"expected term, json[:PATH], html[:PATH] or cobertura[:PATH], not {value!r}")
    return ReportSpec(kind, path or DEFAULT_PATHS.get(kind))


def fail_under(value: str) -> float:
    """Read a percentage from 0 to 100."""
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"expected a percentage from 0 to 100, not {value!r}")
    return number


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("sfnlocal", "sfnlocal workflow coverage")
    group.addoption(
        "--sfn-cov",
        dest="sfn_cov",
        action="store_true",
        default=None,
        help="report workflow coverage even if no test loaded a state machine through the sfn fixture "
        "(default: report when one did)",
    )
    group.addoption("--no-sfn-cov", dest="sfn_cov", action="store_false", help="do not report workflow coverage")
    group.addoption(
        "--sfn-cov-report",
        dest="sfn_cov_report",
        action="append",
        type=report_spec,
        default=[],
        metavar="TYPE",
        help="term, json[:PATH], html[:PATH] or cobertura[:PATH] (Cobertura XML, for CI coverage viewers); "
        f"repeatable (default: term; files: {DEFAULT_PATHS['json']}, {DEFAULT_PATHS['html']}, "
        f"{DEFAULT_PATHS['cobertura']})",
    )
    group.addoption(
        "--sfn-cov-fail-under",
        dest="sfn_cov_fail_under",
        type=fail_under,
        default=None,
        metavar="N",
        help="fail the session when the total workflow coverage is below N percent, or is partial (a "
        "pytest-xdist worker crashed before sending its coverage); with --junitxml, the JUnit report has a "
        "testcase 'workflow coverage >= N%' (classname sfnlocal) that fails with it",
    )
    group.addoption(
        "--sfn-html",
        dest="sfn_html",
        default=None,
        metavar="DIR",
        help="write a web page of each execution shown in a failing test's report into DIR (made if missing) and "
        "print its path there instead of a history file",
    )


def pytest_configure(config: pytest.Config) -> None:
    plugin = CoveragePlugin(config)
    config.stash[_PLUGIN] = plugin
    config.pluginmanager.register(plugin, "sfnlocal-coverage")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The examples of Hypothesis tests taking sfn, so their coverage, are the same in every run.
    pin_hypothesis_seeds(items, config)


@pytest.fixture(autouse=True)
def _sfn_registry_scope() -> Iterator[None]:
    """Each test finds child state machines in a registry of its own (machines made at import time, or by
    fixtures of a wider scope, stay visible): two tests defining a machine of the same name do not see
    each other's."""
    with registry_scope():
        yield


@pytest.fixture(scope="session")
def sfn(pytestconfig: pytest.Config) -> Recorder:
    """Load state machines whose executions count for workflow coverage and are shown when a test fails:
    ``sfn.load(path_or_dict_or_machine, **options)``; ``sfn.executions`` are the running test's."""
    return pytestconfig.stash[_PLUGIN].recorder


@pytest.fixture
def sfn_aws() -> Iterator[AwsWorld]:
    """An in-process AWS for the test (an :class:`~sfnlocal.AwsWorld`, entered: boto3 clients the test makes
    reach it), to seed data before executions and inspect it after; the ``sfn`` fixture's machines run in it
    unless given ``aws=``. Override it for another region or account, or for a wider scope."""
    with AwsWorld() as world:
        yield world


@pytest.fixture(autouse=True)
def _sfn_aws_for_machines(request: pytest.FixtureRequest) -> Iterator[None]:
    """While a test that takes ``sfn_aws`` (whichever fixture defines it, of whatever scope) runs, with its
    fixtures, the ``sfn`` fixture's machines run in that world."""
    if WORLD_FIXTURE not in request.fixturenames:
        yield
        return
    recorder = request.config.stash[_PLUGIN].recorder
    recorder.world = request.getfixturevalue(WORLD_FIXTURE)
    try:
        yield
    finally:
        recorder.world = None


class CoveragePlugin:
    """The session's recorder, its coverage (merged from xdist workers) and its reports."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.recorder = Recorder()
        self.summaries: list[MachineSummary] | None = None  # set once the reports are made
        self.lines: list[tuple[str, dict[str, bool]]] = []  # for the terminal summary, with their markup
        self.lost_workers: list[str] = []  # pytest-xdist workers that went down without sending coverage
        self._histories: Path | None = None  # the session's folder of failing tests' histories

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report = yield
        if report.failed and self.recorder.executions:
            report.sections.append(("sfnlocal executions", self._failure_summary(item.nodeid, report.when)))
        return report

    def _failure_summary(self, nodeid: str, when: str) -> str:
        """The last executions of a failing test, a few lines each, their full histories written to files."""
        # Imported here, not at the top: sfnlocal.testing must be imported only after this module has
        # registered it for assertion rewriting.
        from sfnlocal.testing.assertions import summarize_run
        from sfnlocal.testing.wording import counted

        executions = self.recorder.executions
        shown = executions[-SHOWN_EXECUTIONS:]
        lines = (
            []
            if len(shown) == len(executions)
            else [f"(the last {len(shown)} of {counted(len(executions), 'execution')})"]
        )
        slug = re.sub(r"[^\w.-]+", "_", f"{nodeid}-{when}")[-120:]
        if self.config.option.sfn_html is not None:
            lines += self._earlier_pages(slug, executions[: len(executions) - len(shown)])
        for index, run in enumerate(shown, start=len(executions) - len(shown) + 1):
            name = f"{slug}-{index}"
            if self.config.option.sfn_html is None:
                lines += summarize_run(run, self._write_history(f"{name}.json", run))
                continue
            try:
                lines += [*summarize_run(run), f"  page: {self._write_page(f'{name}.html', run)}"]
            except OSError as err:  # DIR cannot be written: the history file, as without the option
                lines += [*summarize_run(run, self._write_history(f"{name}.json", run)), f"  page not written: {err}"]
        return "\n".join(lines)

    def _earlier_pages(self, slug: str, earlier: list[Any]) -> list[str]:
        """The pages of a failing test's executions before the ones its report shows (every execution gets one, up to
        ``MAX_PAGES``): one line saying where they are."""
        if not earlier:
            return []
        kept = earlier[-MAX_PAGES:]
        skipped = len(earlier) - len(kept)
        try:
            written = [self._write_page(f"{slug}-{index}.html", run) for index, run in enumerate(kept, skipped + 1)]
        except OSError as err:  # DIR cannot be written: said once here, and again for each execution shown
            return [f"pages of the earlier executions not written: {err}"]
        note = f" (not the first {skipped}: at most {MAX_PAGES:,} pages a test)" if skipped else ""
        return [f"pages of the {len(written)} earlier executions{note}: {written[0]} … {Path(written[-1]).name}"]

    def _write_page(self, name: str, run: Any) -> str:
        """Write the execution's page into ``--sfn-html``'s DIR (relative to where pytest was started, made if
        missing); its path."""
        path = self.config.invocation_params.dir / self.config.option.sfn_html / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return str(run.to_html(path))

    def _write_history(self, name: str, run: Any) -> str:
        """Write ``run.to_dict()`` (status, output, error, cause, full history) to a file; its path."""
        if self._histories is None:
            self._histories = Path(tempfile.mkdtemp(prefix="sfnlocal-histories-"))
        path = self._histories / name
        path.write_text(json.dumps(run.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
        return str(path)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Any:
        try:
            return (yield)
        finally:
            self.recorder.flush()

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """pytest-xdist: a worker finished; merge the coverage it sent. A worker that crashed sent none: the
        coverage of the tests it ran is lost, which the report says."""
        text = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT_KEY)
        if text is not None:
            self.recorder.data.merge(CoverageData.from_json(text))
        else:
            worker = getattr(getattr(node, "gateway", None), "id", "a worker")
            self.lost_workers.append(f"{worker} ({error})" if error else worker)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Any:
        result = yield
        self.recorder.flush()
        if hasattr(self.config, "workerinput"):  # a pytest-xdist worker: the controller reports
            self.config.workeroutput[WORKER_OUTPUT_KEY] = self.recorder.data.to_json()  # type: ignore[attr-defined]
        elif self._wanted():
            self._report(session)
        return result

    def _wanted(self) -> bool:
        option = self.config.option
        if option.sfn_cov is False:
            return False
        asked = option.sfn_cov or option.sfn_cov_report or option.sfn_cov_fail_under is not None
        return bool(asked or self.recorder.data.machines)

    def _report(self, session: pytest.Session) -> None:
        summaries = self.summaries = summarize(self.recorder.data)
        partial = self._partial()
        if partial:
            self.lines.append((partial, {"yellow": True, "bold": True}))
        self._write_reports(summaries)
        if not summaries:
            self.lines.append((NOTHING_LOADED, {"yellow": True}))
        required = self.config.option.sfn_cov_fail_under
        if required is None:
            return
        verdict = self._gate(summaries, required, partial)
        if not verdict.passed:
            session.testsfailed += 1  # the session's exit code becomes 1, as for a failed test
        self.lines.append((verdict.message, {"green": True} if verdict.passed else {"red": True, "bold": True}))
        record_gate(self.config, verdict)

    def _gate(self, summaries: list[MachineSummary], required: float, partial: str) -> GateVerdict:
        """Whether the total reaches ``--sfn-cov-fail-under``, and the line saying so."""
        total = total_percent(summaries)
        covered, items = sum(s.covered for s in summaries), sum(s.total for s in summaries)
        details = "\n".join(term_lines(summaries)) if summaries else NOTHING_LOADED
        if partial:
            message = (
                f"FAIL Required workflow coverage of {required:g}% not checked: the coverage data is partial "
                f"(Total of what arrived: {format_percent(total)})"
            )
            return GateVerdict(False, required, total, covered, items, message, f"{partial}\n{details}")
        if summaries and total >= required:
            message = f"Required workflow coverage of {required:g}% reached. Total: {format_percent(total)}"
            return GateVerdict(True, required, total, covered, items, message, details)
        reason = f"Total: {format_percent(total)}" if summaries else NOTHING_LOADED
        message = f"FAIL Required workflow coverage of {required:g}% not reached. {reason}"
        return GateVerdict(False, required, total, covered, items, message, details)

    def _partial(self) -> str:
        """What the report says when pytest-xdist workers went down without sending their coverage ('' if none)."""
        if not self.lost_workers:
            return ""
        from sfnlocal.testing.wording import counted

        return (
            f"WARNING: the workflow coverage of {counted(len(self.lost_workers), 'pytest-xdist worker')} was lost "
            f"(it went down without sending it: {'; '.join(self.lost_workers)}); the figures below are partial"
        )

    def _write_reports(self, summaries: list[MachineSummary]) -> None:
        base = self.config.invocation_params.dir
        for spec in self.config.option.sfn_cov_report or [ReportSpec("term")]:
            if spec.kind == "term":
                self.lines.extend((line, {}) for line in (term_lines(summaries) if summaries else []))
                continue
            path = base / Path(spec.path or DEFAULT_PATHS[spec.kind])
            path.parent.mkdir(parents=True, exist_ok=True)
            if spec.kind == "json":
                text = json.dumps(json_report(summaries), indent=2, ensure_ascii=False) + "\n"
            elif spec.kind == "cobertura":  # file names relative to where pytest was started: the project's root
                text = cobertura_report(summaries, root=base)
            else:
                text = html_report(summaries)
            path.write_text(text, encoding="utf-8")
            self.lines.append((f"{spec.kind.upper()} report written to {path}", {}))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.summaries is None:
            return
        terminalreporter.write_sep("-", "sfnlocal workflow coverage")
        for line, markup in self.lines:
            terminalreporter.write_line(line, **markup)


_PLUGIN = pytest.StashKey[CoveragePlugin]()
