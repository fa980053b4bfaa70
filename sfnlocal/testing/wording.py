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
