"""How Lambda reads a ``FunctionName``: a name, a partial ARN or a full ARN, each with an optional qualifier."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Lambda's forms (Invoke API reference): "name", "name:qualifier", "123456789012:function:name[:qualifier]"
# and "arn:<partition>:lambda:<region>:123456789012:function:name[:qualifier]". A qualifier is a version
# number, $LATEST or an alias name.
_FUNCTION_NAME = re.compile(
    r"(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?"
    r"(?P<name>[a-zA-Z0-9_-]+)(?::(?P<qualifier>\$LATEST|[a-zA-Z0-9_-]+))?"
)


@dataclass(frozen=True, slots=True)
class FunctionReference:
    """A function as a Task names it: its name and the qualifier (version or alias) it asks for, if any."""

    name: str
    qualifier: str | None

    @property
    def executed_version(self) -> str:
        """The version Lambda runs: a version number as asked, else ``$LATEST``. sfnlocal has one version of
        each function, its code as it is, so an alias runs that ($LATEST) too."""
        return self.qualifier if self.qualifier is not None and self.qualifier.isdigit() else "$LATEST"


def parse_function_name(text: str, qualifier: str | None = None) -> FunctionReference | None:
    """The function a ``FunctionName`` (and ``Qualifier`` argument) names, or None when Lambda would refuse it.

    >>> parse_function_name("arn:aws:lambda:us-east-1:123456789012:function:charge:live")
    FunctionReference(name='charge', qualifier='live')
    >>> parse_function_name("123456789012:function:charge"), parse_function_name("charge", "7").executed_version
    (FunctionReference(name='charge', qualifier=None), '7')
    >>> parse_function_name("arn:aws:states:::lambda:invoke") is None
    True
    """
    match = _FUNCTION_NAME.fullmatch(text)
    if match is None:
        return None
    return FunctionReference(match["name"], match["qualifier"] or qualifier)
