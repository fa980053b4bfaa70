"""Counted nouns for what the CLI and the pytest plugin print: "1 state", "2 states"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and the noun in the number that agrees with it (thousands separated by commas).

    >>> counted(1, "outcome"), counted(2, "outcome"), counted(0, "state machine"), counted(12500, "state")
    ('1 outcome', '2 outcomes', '0 state machines', '12,500 states')
    >>> counted(3, "history", "histories")
    '3 histories'
    """
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def first_lines(lines: list[str], limit: int, indent: str = "  ") -> list[str]:
    """At most ``limit`` of ``lines``, then one saying how many more there were (a message stays readable
    when a looping workflow differs in thousands of states).

    >>> first_lines(["a", "b", "c"], 2)
    ['a', 'b', '  … 1 more line']
    >>> first_lines(["a"], 2)
    ['a']
    """
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"{indent}… {counted(len(lines) - limit, 'more line')}"]
