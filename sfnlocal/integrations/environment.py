"""Process environment variables set for a block and put back after, at little cost.

A handler runs with its function's variables and the in-process AWS world's set, and each is put back after
it: this happens around every handler call, so it reads the values from the encoded mapping behind
``os.environ`` where there is one (CPython on POSIX) instead of through the ``os.environ`` mapping, whose
every look-up of an absent name raises and catches a KeyError; and it sets only what differs.

>>> import os
>>> with environment({"SFNLOCAL_DOCTEST": "1", "SFNLOCAL_ABSENT": None}):
...     os.environ["SFNLOCAL_DOCTEST"], "SFNLOCAL_ABSENT" in os.environ
('1', False)
>>> "SFNLOCAL_DOCTEST" in os.environ
False
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from typing import Any

# The bytes-to-bytes mapping os.environ keeps on POSIX (its keys and values encoded as os.fsencode encodes them);
# None elsewhere, where os.environ itself is read and written.
_ENCODED: dict[bytes, bytes] | None = getattr(os.environ, "_data", None) if os.name == "posix" else None
_ENCODING, _ERRORS = sys.getfilesystemencoding(), "surrogateescape"  # as os.environ encodes on POSIX
# What names_starting and environment worked out before, by what they were given (at most _KEPT of each).
_KEPT = 64
_NAMES_STARTING: dict[tuple[str, tuple[bytes, ...]], list[str]] = {}
_ENCODED_OVERRIDES: dict[tuple[tuple[str, str | None], ...], tuple[list[tuple[bytes, bytes | None]], list[bytes]]] = {}


def current(names: Iterable[str]) -> dict[str, str | None]:
    """The value of each variable (None: not set).

    >>> current(["SFNLOCAL_NOT_SET"])
    {'SFNLOCAL_NOT_SET': None}
    """
    encoded = _ENCODED
    if encoded is None:
        return {name: os.environ.get(name) for name in names}
    values: dict[str, str | None] = {}
    for name in names:
        value = encoded.get(name.encode(_ENCODING, _ERRORS))
        values[name] = None if value is None else value.decode(_ENCODING, _ERRORS)
    return values


def snapshot() -> dict[Any, Any]:
    """The whole environment as it is now, to compare with a later snapshot: bytes to bytes where CPython keeps
    the encoded mapping (copied in well under a microsecond, where decoding every variable costs ~15 us), else
    names to values.

    >>> snapshot() == snapshot()
    True
    """
    return dict(_ENCODED) if _ENCODED is not None else dict(os.environ)


def names_starting(prefix: str) -> list[str]:
    """The names of the variables set that start with ``prefix``.

    >>> with environment({"SFNLOCAL_DOCTEST_A": "1"}):
    ...     names_starting("SFNLOCAL_DOCTEST_")
    ['SFNLOCAL_DOCTEST_A']
    """
    encoded = _ENCODED
    if encoded is None:
        return [name for name in os.environ if name.startswith(prefix)]
    # The same names come back until a variable is added or removed: the answer is kept per set of names (the
    # tuple is made and hashed in C, its bytes keep their hashes), since this runs around every handler call.
    key = (prefix, tuple(encoded))
    found = _NAMES_STARTING.get(key)
    if found is None:
        if len(_NAMES_STARTING) >= _KEPT:
            _NAMES_STARTING.clear()
        start = prefix.encode(_ENCODING, _ERRORS)
        found = _NAMES_STARTING[key] = [name.decode(_ENCODING, _ERRORS) for name in encoded if name.startswith(start)]
    return list(found)


class environment:  # noqa: N801  (used as a function: ``with environment({...}):``)
    """Set these variables (None: remove it) while the block runs; put back what was there after.

    A plain class, not a generator: it is entered around every handler call, where a generator's context
    manager costs several times as much.
    """

    __slots__ = ("_overrides", "_before")

    def __init__(self, overrides: Mapping[str, str | None]) -> None:
        self._overrides = overrides
        self._before: list[tuple[Any, Any]] = []

    def __enter__(self) -> None:
        encoded = _ENCODED
        if encoded is None:
            saved = current(self._overrides)
            apply({name: value for name, value in self._overrides.items() if saved[name] != value})
            self._before = list(saved.items())
            return
        wanted, keys = _encoded_overrides(self._overrides)
        self._before = list(zip(keys, map(encoded.get, keys)))
        _apply_encoded(encoded, wanted)

    def __exit__(self, *exc_info: object) -> None:
        encoded = _ENCODED
        if encoded is None:
            now = current(name for name, _ in self._before)
            apply({name: value for name, value in self._before if now[name] != value})
            return
        _apply_encoded(encoded, self._before)


def apply(variables: Mapping[str, str | None]) -> None:
    """Set these variables (None: remove it).

    >>> apply({"SFNLOCAL_DOCTEST": None})
    """
    encoded = _ENCODED
    if encoded is None:
        for name, value in variables.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        return
    _apply_encoded(encoded, _encoded(variables.items()))


def _encoded_overrides(overrides: Mapping[str, str | None]) -> tuple[list[tuple[bytes, bytes | None]], list[bytes]]:
    """The overrides with names and values encoded as os.environ encodes them, and the encoded names, kept per set
    of overrides (a handler's world sets the same ones around every call)."""
    key = tuple(overrides.items())
    found = _ENCODED_OVERRIDES.get(key)
    if found is None:
        if len(_ENCODED_OVERRIDES) >= _KEPT:
            _ENCODED_OVERRIDES.clear()
        pairs = _encoded(key)
        found = _ENCODED_OVERRIDES[key] = (pairs, [name for name, _ in pairs])
    return found


def _encoded(variables: Iterable[tuple[str, str | None]]) -> list[tuple[bytes, bytes | None]]:
    """Names and values encoded as os.environ encodes them (None stays None: the variable is removed)."""
    return [
        (name.encode(_ENCODING, _ERRORS), None if value is None else value.encode(_ENCODING, _ERRORS))
        for name, value in variables
    ]


def _apply_encoded(encoded: dict[bytes, bytes], variables: list[tuple[bytes, bytes | None]]) -> None:
    """What os.environ's own __setitem__ and __delitem__ do (putenv or unsetenv, then its mapping), on names and
    values already encoded: without their Python-level encoding, since this runs around every handler call; a
    variable that already has its value is left alone (putenv costs more than the comparison)."""
    for key, value in variables:
        if value is None:
            if encoded.pop(key, None) is not None:
                os.unsetenv(key)
        elif encoded.get(key) != value:
            os.putenv(key, value)
            encoded[key] = value
