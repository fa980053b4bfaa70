"""Path text to a compiled :class:`~.path.JsonPath`, reading exactly what Jayway JsonPath's path
compiler reads, and refusing what it refuses with its reasons.

The grammar, as Jayway reads it: a root (``$``, or ``@`` inside a filter), then steps: ``.name``,
``..`` (deep scan), ``*``, ``['name']`` / ``["name"]`` (several names separated by commas),
``[0]`` / ``[-1]`` / ``[0,2]``, slices ``[1:]`` ``[:2]`` ``[1:3]`` (a third number is ignored; no
bounds at all is refused), ``[*]``, ``[?(filter)]``, and ``.name(arguments)`` (a function).
A property name after a dot runs to the next ``.``, ``[`` or ``(``; it may hold any other
character but a space. Some of Jayway's quirks are kept on purpose: a single character left after
the last step is ignored (``$.a[`` reads as ``$.a``), ``$.[0]`` reads as ``$[0]``, and
``$..x.fn()`` applies ``fn`` to the list of every ``x``.

Inside filters and function arguments, ``$name`` reads the workflow variable ``name`` (an addition
for Step Functions' variables; Jayway itself has no such root) and ``$$`` is refused.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sfnlocal.language.jsonpath.cursor import Cursor
from sfnlocal.language.jsonpath.errors import InvalidPath, RefusedRoot
from sfnlocal.language.jsonpath.escapes import unescape
from sfnlocal.language.jsonpath.functions import Argument, Call, JsonArgument, PathArgument
from sfnlocal.language.jsonpath.path import JsonPath
from sfnlocal.language.jsonpath.steps import Index, Property, Scan, Slice, Step, Wildcard

_WHITESPACE = " \t\r\n"
_INDEX = re.compile(r"-?\d+")
_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_INT_RANGE = range(-(2**31), 2**31)


@lru_cache(maxsize=4096)
def compile_jsonpath(text: str) -> JsonPath:
    """Compile a path as ``JsonPath.compile`` does (a path not starting with ``$`` or ``@`` gets ``$.``).

    >>> compile_jsonpath("$.store..price").text
    "$['store']..['price']"
    >>> compile_jsonpath("$.a.")
    Traceback (most recent call last):
    ...
    sfnlocal.language.jsonpath.errors.InvalidPath: Path must not end with a '.' or '..'
    """
    cursor = Cursor(text).trim()
    if not cursor.in_bounds():
        raise InvalidPath("Path must not be empty")
    if text[0] not in "$@":  # Jayway looks at the first character before trimming
        cursor = Cursor("$." + text).trim()
    if cursor.last_is("."):
        raise InvalidPath("Path must not end with a '.' or '..'")
    path = _PathCompiler(cursor).compile()
    path.appends = ".append(" in text
    return path


def compile_inner(text: str) -> JsonPath:
    """Compile a path written inside a filter or as a function argument: ``$name`` is a variable.

    >>> compile_inner("$limit.max").variable
    'limit'
    """
    stripped = text.lstrip(_WHITESPACE)
    if stripped.startswith("$$"):
        raise RefusedRoot(f"the context object ($$) cannot be read inside a filter or a function argument: {text}")
    variable = _VARIABLE.match(stripped)
    if variable:
        rest = stripped[variable.end() :]
        inner = _PathCompiler(Cursor("$" + rest)).compile()
        return JsonPath("$", list(inner.steps), variable.group(1))
    return _PathCompiler(Cursor(text)).compile()


class _PathCompiler:
    """Reads one path's steps from a cursor."""

    __slots__ = ("c", "steps")

    def __init__(self, cursor: Cursor) -> None:
        self.c = cursor
        self.steps: list[Step] = []

    def compile(self) -> JsonPath:
        c = self.c
        while c.in_bounds() and c.current() in _WHITESPACE:
            c.pos += 1
        if not c.in_bounds() or c.current() not in "$@":
            raise InvalidPath("Path must start with '$' or '@'")
        root = c.current()
        if c.at_tail():
            return JsonPath(root, [])
        c.pos += 1
        if c.current() not in ".[":
            raise InvalidPath(f"Illegal character at position {c.pos} expected '.' or '['")
        self.token()
        while not c.at_tail():
            self.token()
        return JsonPath(root, _scan_before_function(self.steps))

    def token(self) -> None:
        """Read the step at the cursor."""
        c = self.c
        char = c.current()
        if char == "[":
            if not (self.bracket_names() or self.indexes() or self.wildcard() or self.filter() or self.placeholder()):
                raise InvalidPath(f"Could not parse token starting at position {c.pos}. Expected ?, ', 0-9, * ")
        elif char == ".":
            self.dot()
        elif char == "*":
            self.wildcard()
        elif not self.name_or_function():
            raise InvalidPath(f"Could not parse token starting at position {c.pos}")

    def dot(self) -> None:
        c = self.c
        if c.current_is(".") and c.in_bounds(c.pos + 1) and c.text[c.pos + 1] == ".":
            self.steps.append(Scan())
            c.pos += 2
        elif not c.in_bounds(c.pos + 1):
            raise InvalidPath("Path must not end with a '.")
        else:
            c.pos += 1
        if c.current_is("."):
            raise InvalidPath(f"Character '.' on position {c.pos} is not valid.")
        self.token()

    def name_or_function(self) -> bool:
        c = self.c
        if c.current() in "[*. ":
            return False
        start = c.pos
        index = start
        end = 0
        function = False
        while c.in_bounds(index):
            char = c.text[index]
            if char == " ":
                raise InvalidPath(
                    f"Use bracket notion ['my prop'] if your property contains blank characters. position: {c.pos}"
                )
            if char in ".[(":
                function = char == "("
                end = index
                break
            index += 1
        end = end or c.end
        name = c.text[start:end]
        if not function:
            c.pos = end
            self.steps.append(Property((name,)))
            return True
        depth = 1
        for position in range(index + 1, c.end):
            depth += {")": -1, "(": 1}.get(c.text[position], 0)
            if depth == 0:
                break
        if depth != 0:
            raise InvalidPath(f"Arguments to function: '{name}' are not closed properly.")
        arguments: list[Argument] = []
        if not c.in_bounds(index + 1):
            c.pos = index
        elif c.text[index + 1] != ")":
            c.pos = end + 1
            arguments = self.arguments(name)
        else:
            c.pos = index + 1
        self.steps.append(Call(name, arguments))
        return True

    def arguments(self, name: str) -> list[Argument]:
        """A function's arguments, split as Jayway 2.10 splits them: at commas outside brackets, braces and
        double quotes (a backslash escapes nothing here; a comma inside quotes is dropped)."""
        c = self.c
        kind = ""  # "json" or "path" once the argument's first character says which
        parens, brackets, braces, quotes = 1, 0, 0, 0
        prior = ""
        found: list[Argument] = []
        current: list[str] = []
        while c.in_bounds():
            char = c.text[c.pos]
            c.pos += 1
            if not kind:
                if char in _WHITESPACE:
                    continue
                if char in '{"-' or char.isdigit():
                    kind = "json"
                elif char in "$@":
                    kind = "path"
            if char == '"':
                quotes = quotes - 1 if prior != "\\" and quotes > 0 else quotes + 1
            elif char == "(":
                parens += 1
            elif char == "{":
                braces += 1
            elif char == "[":
                brackets += 1
            elif char == "}":
                if not braces:
                    raise InvalidPath(f"Unexpected close brace '}}' at character position: {c.pos}")
                braces -= 1
            elif char == "]":
                if not brackets:
                    raise InvalidPath(f"Unexpected close bracket ']' at character position: {c.pos}")
                brackets -= 1
            elif char in "),":
                if char == ")":
                    parens -= 1
                    if parens < 0 or prior == "(":
                        current.append(char)
                if not quotes and not braces and not brackets and ((not parens and char == ")") or parens == 1):
                    if kind:
                        text = "".join(current)
                        found.append(JsonArgument(text) if kind == "json" else PathArgument(compile_inner(text)))
                        current = []
                        kind = ""
                    if not parens:
                        break
            if kind and not (char == "," and not braces and not brackets and parens == 1):
                current.append(char)
            prior = char
        if braces or parens or brackets:
            raise InvalidPath(f"Arguments to function: '{name}' are not closed properly.")
        return found

    def bracket_names(self) -> bool:
        """``['a']``, ``["a"]``, ``['a', 'b']``."""
        c = self.c
        quote = c.next_significant()
        if quote not in "'\"":
            return False
        names: list[str] = []
        start = index = c.pos + 1
        end = 0
        inside = escaped = after_comma = False
        while c.in_bounds(index):
            char = c.text[index]
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == "]" and not inside:
                if after_comma:
                    raise InvalidPath(f"Found empty property at index {index}")
                break
            elif char == quote:
                if inside:
                    if c.next_significant(index) not in "],":
                        raise InvalidPath(
                            "Property must be separated by comma or Property must be terminated close square "
                            f"bracket at index {index}"
                        )
                    end = index
                    names.append(unescape(c.text[start:end]))
                    inside = False
                else:
                    start = index + 1
                    inside = True
                    after_comma = False
            elif char == "," and not inside:
                if after_comma:
                    raise InvalidPath(f"Found empty property at index {index}")
                after_comma = True
            index += 1
        if inside:
            raise InvalidPath(f"Property has not been closed - missing closing {quote}")
        close = c.index_of_next_significant("]", end)
        if close == -1:
            raise InvalidPath("Property has not been closed - missing closing ]")
        c.pos = close + 1
        if not names:
            raise InvalidPath("Empty properties")
        self.steps.append(Property(tuple(names), quote))
        return True

    def indexes(self) -> bool:
        """``[0]``, ``[-1, 2]``, ``[1:]``, ``[:2]``, ``[1:3]``."""
        c = self.c
        following = c.next_significant()
        if not (following.isdigit() or following in "-:"):
            return False
        close = c.index_of("]", c.pos + 1)
        if close == -1:
            return False
        expression = c.text[c.pos + 1 : close].strip()
        if expression == "*" or any(not (char.isdigit() or char in ",-: ") for char in expression):
            return False
        self.steps.append(_slice(expression) if ":" in expression else Index(_index_list(expression)))
        c.pos = close + 1
        return True

    def wildcard(self) -> bool:
        """``*`` or ``[*]``."""
        c = self.c
        bracketed = c.current_is("[")
        if bracketed and not c.next_significant_is("*"):
            return False
        if not c.current_is("*") and not c.in_bounds(c.pos + 1):
            return False
        if bracketed:
            star = c.index_of_next_significant("*")
            if not c.next_significant_is("]", star):
                raise InvalidPath(f"Expected wildcard token to end with ']' on position {star + 1}")
            c.pos = c.index_of_next_significant("]", star) + 1
        else:
            c.pos += 1
        self.steps.append(Wildcard())
        return True

    def filter(self) -> bool:
        """``[?(...)]``."""
        c = self.c
        opening = c.pos
        question = c.index_of_next_significant("?")
        if question == -1:
            return False
        parenthesis = c.index_of_next_significant("(", question)
        if parenthesis == -1:
            return False
        closing = c.matching_close(parenthesis, "(", ")", skip_regex=True)
        if closing == -1 or not c.next_significant_is("]", closing):
            return False
        end = c.index_of_next_significant("]", closing)
        # Imported for the first path with a filter (most definitions have none): ~14 ms of every process's start.
        from sfnlocal.language.jsonpath.filter_compiler import compile_filter
        from sfnlocal.language.jsonpath.filters import Filter

        self.steps.append(Filter(compile_filter(c.text[opening : end + 1], compile_inner)))
        c.pos = end + 1
        return True

    def placeholder(self) -> bool:
        """``[?]``: a filter passed in by the caller, which a path in a state machine cannot do."""
        c = self.c
        question = c.index_of_next_significant("?")
        if question == -1 or c.next_significant(question) not in "],":
            return False
        raise InvalidPath(
            f"Not enough predicates supplied for filter [{c.text[c.pos + 1 : c.index_of(']', c.pos)]}] "
            f"at position {c.pos}"
        )


def _index_list(expression: str) -> tuple[int, ...]:
    indexes = []
    for token in re.split(r"\s*,\s*", expression):
        if not _INDEX.fullmatch(token) or int(token) not in _INT_RANGE:
            raise InvalidPath(f"Failed to parse token in ArrayIndexOperation: {token}")
        indexes.append(int(token))
    return tuple(indexes)


def _slice(expression: str) -> Slice:
    if any(not (char.isdigit() or char in "-:") for char in expression):
        raise InvalidPath(f"Failed to parse SliceOperation: {expression}")
    parts = expression.split(":")
    while parts and parts[-1] == "":  # Java's split drops trailing empty strings
        parts.pop()

    def bound(position: int) -> int | None:
        if position >= len(parts) or parts[position] == "":
            return None
        if not _INDEX.fullmatch(parts[position]) or int(parts[position]) not in _INT_RANGE:
            raise InvalidPath(f'java.lang.NumberFormatException: For input string: "{parts[position]}"')
        return int(parts[position])

    start, stop = bound(0), bound(1)
    if start is None and stop is None:
        raise InvalidPath(f"Failed to parse SliceOperation: {expression}")
    return Slice(start, stop)


def _scan_before_function(steps: list[Step]) -> list[Step]:
    """Jayway reads ``$..a.fn()`` as ``$.fn($..a)``: the function gets every node the scan found."""
    if len(steps) > 1 and isinstance(steps[0], Scan) and isinstance(steps[-1], Call):
        first_call = next(index for index, step in enumerate(steps) if isinstance(step, Call))
        call = steps[first_call]
        assert isinstance(call, Call)
        scanned = PathArgument(JsonPath("$", steps[:first_call]))
        return [Call(call.name, [scanned], scanned=True), *steps[first_call + 1 :]]
    return steps
