"""``sfnlocal validate --format github``: the diagnostics as GitHub Actions workflow commands, which the
runner turns into annotations on the file, line and column (on the pull request's diff and the run's summary).

``::error file=F,line=L,col=C,title=CODE::message`` for an error, ``::warning ...`` for a warning. Values are
escaped as GitHub's toolkit escapes them: in the message ``%``, CR and LF; in a property also ``:`` and ``,``
(which would end the value).

>>> from sfnlocal.cli.findings import Finding
>>> print(workflow_command(Finding("a,b.asl.json", 4, 27, "ERROR", "MISSING_TRANSITION_TARGET",
...                                "Missing 'Next' target: B\\n100% sure", "/States/A/Next", "a,b.asl.json")))
::error file=a%2Cb.asl.json,line=4,col=27,title=MISSING_TRANSITION_TARGET::Missing 'Next' target: B%0A100%25 sure \
(at /States/A/Next)
"""

from __future__ import annotations

from sfnlocal.cli.findings import Finding

_COMMANDS = {"ERROR": "error", "WARNING": "warning"}


def workflow_command(finding: Finding) -> str:
    """The workflow command that annotates ``finding`` (see the module docstring)."""
    properties = {"file": finding.file, "line": finding.line, "col": finding.column, "title": finding.code}
    written = ",".join(f"{name}={escape_property(str(value))}" for name, value in properties.items())
    return f"::{_COMMANDS.get(finding.severity, 'notice')} {written}::{escape_data(finding.text)}"


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF percent-encoded.

    >>> escape_data("50%\\r\\nnext")
    '50%25%0D%0Anext'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and ``:`` and ``,`` too.

    >>> escape_property("C:\\\\defs\\\\a,b.json")
    'C%3A\\\\defs\\\\a%2Cb.json'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
