"""The Cobertura XML report, which CI coverage viewers read (GitLab's merge request diffs, Jenkins' Coverage
plugin, Azure Pipelines, Codecov...): each state machine is a ``<class>`` of the file it was loaded from, and
each item of workflow coverage is a ``<line>`` of that file, the line where the item is written.

A state is the line of its name, a transition the line of its ``Next`` (``End``, ``Default``, the Choice rule's
or the Catcher's ``Next``), a Choice rule, retrier, catcher or Parallel branch the line its object starts on, a
Map processor the line of ``ItemProcessor`` (``Iterator``). A line's ``hits`` are its items' most; a line holding
several items (a definition written on few lines) is a branch line whose ``condition-coverage`` says how many of
them were covered, as Cobertura says it of a line's conditions. So in a definition written one key a line, the
lines are the items, and the line rate is the total the other reports give.

A machine loaded from a dict (or a ``StateMachine``) has no file: its class's ``filename`` is its name and its
lines number the definition as ``json.dumps(definition, indent=2)`` writes it.

>>> import xml.etree.ElementTree as ET
>>> from sfnlocal import StateMachine
>>> from sfnlocal.testing.coverage.data import CoverageData
>>> from sfnlocal.testing.coverage.summary import summarize
>>> sm = StateMachine.from_dict({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
...     "B": {"Type": "Succeed"}}}, name="Tiny")
>>> data = CoverageData()
>>> data.add(sm.execute({}))
>>> root = ET.fromstring(cobertura_report(summarize(data), root=".", timestamp=0))
>>> root.get("lines-covered"), root.get("lines-valid"), root.get("line-rate")
('4', '4', '1')
>>> [(line.get("number"), line.get("hits")) for line in root.iter("line")]
[('4', '1'), ('6', '1'), ('8', '1'), ('9', '1')]
"""

from __future__ import annotations

import math
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePath

from sfnlocal.language.state_graph import CATCH, DEFAULT, END, NEXT, RULE
from sfnlocal.testing.coverage.locate import Located, locate_file, pretty
from sfnlocal.testing.coverage.model import Item, MachineModel
from sfnlocal.testing.coverage.summary import MachineSummary

DOCTYPE = '<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">'


@dataclass
class _Line:
    """One line of a class: the hit counts of the items written on it."""

    hits: list[int]

    @property
    def covered(self) -> int:
        return sum(1 for count in self.hits if count)


def cobertura_report(summaries: list[MachineSummary], *, root: str | Path, timestamp: float | None = None) -> str:
    """The report as XML text: the files are named relative to ``root`` (the ``<source>``; where CI runs
    the tests, the project's root) when they are inside it; ``timestamp`` in seconds (default: now)."""
    root = Path(root).resolve()
    packages: dict[str, list[tuple[ET.Element, list[_Line]]]] = defaultdict(list)
    for summary in summaries:
        element, lines = _class(summary, root)
        parent = PurePath(element.get("filename", "")).parent.as_posix()
        packages["." if parent in ("", ".") else parent.replace("/", ".")].append((element, lines))
    stamp = time.time() if timestamp is None else timestamp
    coverage = ET.Element("coverage", version=_version(), timestamp=str(int(1000 * stamp)))
    _rates(coverage, [line for classes in packages.values() for _, lines in classes for line in lines], totals=True)
    coverage.set("complexity", "0")
    ET.SubElement(ET.SubElement(coverage, "sources"), "source").text = str(root)
    written = ET.SubElement(coverage, "packages")
    for name in sorted(packages):
        package = ET.SubElement(written, "package", name=name)
        _rates(package, [line for _, lines in packages[name] for line in lines])
        package.set("complexity", "0")
        ET.SubElement(package, "classes").extend(element for element, _ in packages[name])
    ET.indent(coverage)
    return f'<?xml version="1.0" ?>\n{DOCTYPE}\n{ET.tostring(coverage, encoding="unicode")}\n'


def item_location(model: MachineModel, item: Item) -> str:
    """The JSON pointer where an item is written in its definition.

    >>> from sfnlocal.interpreter.model import Definition
    >>> model = MachineModel("M", Definition({"StartAt": "Ask", "States": {
    ...     "Ask": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Yes"}],
    ...             "Default": "Yes"}, "Yes": {"Type": "Succeed"}}}))
    >>> [item_location(model, item) for item in model.items_of("/States/Ask")]
    ['/States/Ask', '/States/Ask/Choices/0/Next', '/States/Ask/Choices/0', '/States/Ask/Default']
    """
    location, detail = item.location, item.detail
    if item.category == "states":
        return location
    if item.category == "transitions":
        # The first of the ways to the target (a Choice rule before Default before Next before a Catcher).
        way = next(t for t in model.states[location].transitions if t.target == detail)
        spec = model.states[location].spec
        written = {
            NEXT: "/Next",
            END: "/End" if isinstance(spec, dict) and "End" in spec else "/Type",  # a Succeed state ends
            DEFAULT: "/Default",
            RULE: f"/Choices/{way.position}/Next",
            CATCH: f"/Catch/{way.position}/Next",
        }
        return location + written[way.kind]
    if item.category == "choices":
        return f"{location}/Default" if detail == "Default" else f"{location}/Choices/{detail}"
    if item.category in ("retriers", "catchers", "branches"):
        field = {"retriers": "Retry", "catchers": "Catch", "branches": "Branches"}[item.category]
        return f"{location}/{field}/{detail}"
    spec = model.states[location].spec
    return f"{location}/{'Iterator' if isinstance(spec, dict) and 'Iterator' in spec else 'ItemProcessor'}"


def _class(summary: MachineSummary, root: Path) -> tuple[ET.Element, list[_Line]]:
    """A machine's ``<class>`` element, and its lines."""
    model = summary.model
    located = locate_file(summary.source, model.definition.raw) if summary.source else pretty(model.definition.raw)
    lines: dict[int, _Line] = {}
    for item in model.items:
        number = located.line(item_location(model, item))
        lines.setdefault(number, _Line([])).hits.append(summary.hits[item])
    element = ET.Element("class", name=model.name, filename=_filename(located, model, root))
    ET.SubElement(element, "methods")
    written = ET.SubElement(element, "lines")
    for number in sorted(lines):
        line = lines[number]
        attributes = {"number": str(number), "hits": str(max(line.hits)), "branch": "false"}
        if len(line.hits) > 1:
            covered, total = line.covered, len(line.hits)
            attributes.update(branch="true", **{"condition-coverage": f"{_floor(covered, total)}% ({covered}/{total})"})
        ET.SubElement(written, "line", attributes)
    _rates(element, list(lines.values()))
    element.set("complexity", "0")
    return element, list(lines.values())


def _filename(located: Located, model: MachineModel, root: Path) -> str:
    """The file's path relative to ``root`` (absolute when outside it); a machine with no file: its name."""
    if located.path is None:
        return model.name
    path = located.path.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def _rates(element: ET.Element, lines: list[_Line], *, totals: bool = False) -> None:
    """Set line-rate and branch-rate (and with ``totals`` the counts the ``<coverage>`` element has)."""
    covered_lines = sum(1 for line in lines if max(line.hits))
    branching = [line for line in lines if len(line.hits) > 1]
    branches = sum(len(line.hits) for line in branching)
    covered_branches = sum(line.covered for line in branching)
    element.set("line-rate", _rate(covered_lines, len(lines)))
    element.set("branch-rate", _rate(covered_branches, branches))
    if totals:
        element.set("lines-covered", str(covered_lines))
        element.set("lines-valid", str(len(lines)))
        element.set("branches-covered", str(covered_branches))
        element.set("branches-valid", str(branches))


def _rate(covered: int, total: int) -> str:
    """A rate from 0 to 1 with at most four decimals; nothing to cover is fully covered."""
    return f"{covered / total:.4g}" if total else "1"


def _floor(covered: int, total: int) -> int:
    return math.floor(100 * covered / total)


def _version() -> str:
    try:
        return f"sfnlocal {metadata.version('sfnlocal')}"
    except metadata.PackageNotFoundError:
        return "sfnlocal"
