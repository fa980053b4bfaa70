"""The two ways a JSONPath fails, as Jayway JsonPath tells them apart.

* :class:`InvalidPath` when a path is compiled: its text is not a path Jayway reads (Jayway's
  ``InvalidPathException`` thrown by ``JsonPath.compile``). sfnlocal compiles every path at load, so
  this is a definition error.
* :class:`PathNotFound` when a path is read against a document: what it selects is not there, or
  the document's shape does not fit (Jayway's ``PathNotFoundException``, and the
  ``InvalidPathException`` Jayway throws while reading, such as a filter applied to a number, or a
  function that does not exist). :class:`EvaluationFailure` is the kind of it that a filter does not
  swallow (Jayway's plain ``JsonPathException``, such as an aggregation over no numbers, and Java's
  own exceptions, such as an index out of bounds in ``index()``).
"""

from __future__ import annotations


class InvalidPath(ValueError):
    """A path Jayway refuses to compile; the message is Jayway's reason.

    >>> str(InvalidPath("Path must not end with a '.' or '..'"))
    "Path must not end with a '.' or '..'"
    """


class Refused(InvalidPath):
    """A path refused for a reason other than Jayway's grammar: reported as it is, even where Jayway would
    go on trying to read the filter another way.

    >>> isinstance(RefusedRoot("..."), Refused)
    True
    """


class RefusedRoot(Refused):
    """A path inside a filter or a function argument that starts from a root Step Functions does not allow
    there (``$$``).

    >>> isinstance(RefusedRoot("..."), InvalidPath)
    True
    """


class RefusedPattern(Refused):
    """A ``=~`` pattern sfnlocal's regular expression engine, RE2, cannot match (Java's regex can: sfnlocal's
    limit, see :mod:`sfnlocal.language.linear_regex`).

    >>> isinstance(RefusedPattern("..."), InvalidPath)
    True
    """


class PathNotFound(Exception):
    """A path read against a document found nothing, or could not be applied to it.

    ``message`` is Jayway's wording, which AWS quotes in its causes.

    >>> PathNotFound("No results for path: $['a']").message
    "No results for path: $['a']"
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnreadablePath(PathNotFound):
    """Jayway's ``InvalidPathException`` thrown while reading, not compiling: a filter applied to a number,
    a function that does not exist, an operand of the wrong kind in a filter.

    >>> isinstance(UnreadablePath("Function with name: nope does not exist."), PathNotFound)
    True
    """


class EvaluationFailure(PathNotFound):
    """A failure while reading that stops the whole read, even inside a filter (Jayway's
    ``JsonPathException`` and Java's runtime exceptions); a filter treats a plain
    :class:`PathNotFound` in its expression as "does not match".

    >>> isinstance(EvaluationFailure("Aggregation function attempted to calculate value using empty array"),
    ...            PathNotFound)
    True
    """


class IndexOutOfBounds(EvaluationFailure):
    """Java's ``IndexOutOfBoundsException`` from a function (``index(5)`` of a shorter array). Jayway's step
    that reads an array element swallows it for everything after that element, as it swallows its own.

    >>> isinstance(IndexOutOfBounds("Index 5 out of bounds for length 3"), EvaluationFailure)
    True
    """
