"""``sfnlocal validate --format sarif``: the diagnostics as a SARIF 2.1.0 log, which code-scanning tools read
(GitHub code scanning's ``upload-sarif``, GitLab, Azure DevOps, IDE viewers).

One run of the tool ``sfnlocal``; one result per diagnostic, its ``ruleId`` AWS's diagnostic code (and a
rule for each code met), its ``level`` ``error`` or ``warning``, its place the file, line and column the JSON
pointer names (:mod:`sfnlocal.cli.findings`). Columns count Unicode code points (``columnKind``), as Python
does. A file that could not be read is a tool notification of the run's invocation, which then did not succeed.

>>> from sfnlocal.cli.findings import Finding
>>> log = sarif_log([Finding("m.asl.json", 4, 27, "ERROR", "MISSING_TRANSITION_TARGET", "Missing 'Next' target: B",
...                          "/States/A/Next", "m.asl.json")], problems=[])
>>> result = log["runs"][0]["results"][0]
>>> result["ruleId"], result["level"], result["locations"][0]["physicalLocation"]["region"]
('MISSING_TRANSITION_TARGET', 'error', {'startLine': 4, 'startColumn': 27})
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

import sfnlocal
from sfnlocal.cli.findings import Finding

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_AWS_CODES = "https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html"
_OWN_CODES = {"LAMBDA_FUNCTION_NOT_RUNNABLE"}  # sfnlocal's own warnings, not AWS's: no AWS page explains them
_LEVELS = {"ERROR": "error", "WARNING": "warning"}


def sarif_log(findings: Sequence[Finding], problems: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The SARIF log of ``findings``; ``problems`` are (file, message) of the files that could not be read."""
    codes = list(dict.fromkeys(finding.code for finding in findings))
    rules = [_rule(code) for code in codes]
    results = [_result(finding, codes.index(finding.code)) for finding in findings]
    invocation: dict[str, Any] = {"executionSuccessful": not problems}
    if problems:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": message}, "locations": [_location(file)]}
            for file, message in problems
        ]
    driver = {"name": "sfnlocal", "version": sfnlocal.__version__, "rules": rules}
    run = {"tool": {"driver": driver}, "invocations": [invocation], "columnKind": "unicodeCodePoints"}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [{**run, "results": results}]}


def artifact_uri(path: str) -> str:
    """A file as SARIF's ``artifactLocation.uri``: a relative path stays relative (code scanning reads it from
    the repository's root), an absolute one is a ``file:`` URI.

    >>> artifact_uri("state machines/a.asl.json"), artifact_uri("./b.json"), artifact_uri("/srv/c.json")
    ('state%20machines/a.asl.json', 'b.json', 'file:///srv/c.json')
    """
    if os.path.isabs(path):
        return PurePath(os.path.abspath(path)).as_uri()
    return quote(PurePath(os.path.normpath(path)).as_posix())


def _rule(code: str) -> dict[str, Any]:
    rule: dict[str, Any] = {"id": code, "shortDescription": {"text": code.replace("_", " ").capitalize()}}
    if code not in _OWN_CODES:
        rule["helpUri"] = _AWS_CODES
    return rule


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    location = _location(finding.file, {"startLine": finding.line, "startColumn": finding.column})
    properties: dict[str, Any] = {"definition": finding.label}
    if finding.location is not None:
        properties["jsonPointer"] = finding.location
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVELS.get(finding.severity, "note"),
        "message": {"text": finding.text},
        "locations": [location],
        "properties": properties,
    }


def _location(file: str, region: dict[str, int] | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(file)}}
    if region is not None:
        physical["region"] = region
    return {"physicalLocation": physical}
