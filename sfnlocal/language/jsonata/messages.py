"""JSONata's error messages as AWS words them: the reference implementation's templates, inserts written as JSON.

AWS ends the cause of a failed expression with ``<CODE>: <message>``, where the message is the
template JSONata (jsonata-js, version 2.0.6 as AWS documents) has for the code, each ``{{insert}}``
written as JSON and each ``{{{insert}}}`` as plain text. So a function's name is quoted: AWS
answers ``T0412: Argument 1 of function "sum" must be an array of "numbers"`` (quoted from AWS in
floci-io/floci#2668; jsonata-js words it the same). jsonata-python keeps the same templates with
two changes of wording, "Object" where JSONata says "function" and double quotes where it has single
ones (``the 'order-by' clause``), and writes inserts with ``str()``: :func:`template` undoes the
first, :func:`render` the second.

The library fills a template's inserts in order from the values it raised the error with; where
those are not what JSONata shows (the index and name of ``T0411``, the element type of ``T0412``,
the radix of ``D3100``, the operand of ``D1002``, the literal ``null`` of ``S0213``) :func:`inserts`
puts them right.
"""

from __future__ import annotations

import re
from typing import Any

from sfnlocal.language.jsonata.jsstring import js_json
from sfnlocal.language.jsonata.library import JException, Utils

_INSERT = re.compile(r"\{\{\{\w+\}\}\}|\{\{\w+\}\}")
# jsonata-js names the element type an array parameter wants (its signature's arraySignatureMapping).
_ARRAYS_OF = {"a": "arrays", "b": "booleans", "f": "functions", "n": "numbers", "o": "objects", "s": "strings"}


def template(code: str) -> str | None:
    """JSONata's message template for an error code, or None for a code JSONata does not have.

    >>> template("T0410")
    'Argument {{index}} of function {{token}} does not match function signature'
    >>> template("S0216")
    "A context variable binding must precede the 'order-by' clause on a step"
    >>> template("X9999") is None
    True
    """
    library = JException.error_codes.get(code)
    return None if library is None else library.replace("Object", "function").replace('"', "'")


def render(code: str, values: tuple[Any, ...]) -> str:
    """The message for ``code`` with its inserts, in order, written as JSONata writes them.

    >>> render("T0410", (1, "sum"))
    'Argument 1 of function "sum" does not match function signature'
    >>> render("D3137", ("any text",)), render("T2009", ("a", 1, "<"))
    ('any text', 'The values "a" and 1 either side of operator "<" must be of the same data type')
    """
    text = template(code)
    if text is None:
        return code
    remaining = iter(values)

    def insert(match: re.Match[str]) -> str:
        value = next(remaining, None)
        return str(value) if match.group().startswith("{{{") else js_json(value)

    return _INSERT.sub(insert, text)


def inserts(error: JException) -> tuple[Any, ...]:
    """The values JSONata shows in the message of a library error, in the template's order.

    >>> inserts(JException("T0412", -1, 1, "sum", "n"))
    (1, 'sum', 'numbers')
    >>> inserts(JException("D3100", 1))
    (1,)
    """
    code, current, expected, extra = error.error, error.current, error.expected, error.extra
    if code == "T0412":  # the element type is the signature's letter in the library
        return current, expected, _ARRAYS_OF.get(extra, extra)
    if code == "T0411":  # the library raises it with (context value, index); sfnlocal adds the name
        return expected, extra
    if code == "D3100":  # the library passes the radix where the error's position goes
        return (error.location,)
    if code == "D1002":  # the library passes (operator, operand); the message shows the operand
        return (expected,)
    if code == "S0213" and current is None:  # the parser's literal null
        return (Utils.NULL_VALUE,)
    return current, expected, extra
