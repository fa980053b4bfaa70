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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

# The bytes-to-bytes mapping os.environ keeps on POSIX (its keys and values encoded as os.fsencode encodes them);
# None elsewhere, where os.environ itself is read and written.
_ENCODED: dict[bytes, bytes] | None = getattr(os.environ, "_data", None) if os.name == "posix" else None
_ENCODING, _ERRORS = sys.getfilesystemencoding(), "surrogateescape"  # as os.environ encodes on POSIX


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
    start = os.fsencode(prefix)
    return [os.fsdecode(name) for name in encoded if name.startswith(start)]


@contextmanager
def environment(overrides: Mapping[str, str | None]) -> Iterator[None]:
    """Set these variables (None: remove it) while the block runs; put back what was there after."""
    encoded = _ENCODED
    if encoded is None:
        saved = current(overrides)
        apply({name: value for name, value in overrides.items() if saved[name] != value})
        try:
            yield
        finally:
            now = current(saved)
            apply({name: value for name, value in saved.items() if now[name] != value})
        return
    wanted = [
        (name.encode(_ENCODING, _ERRORS), None if value is None else value.encode(_ENCODING, _ERRORS))
        for name, value in overrides.items()
    ]
    before = [(key, encoded.get(key)) for key, _ in wanted]
    _apply_encoded(encoded, [(key, value) for key, value in wanted if encoded.get(key) != value])
    try:
        yield
    finally:
        _apply_encoded(encoded, [(key, value) for key, value in before if encoded.get(key) != value])


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
    _apply_encoded(
        encoded,
        [
            (name.encode(_ENCODING, _ERRORS), None if value is None else value.encode(_ENCODING, _ERRORS))
            for name, value in variables.items()
        ],
    )


def _apply_encoded(encoded: dict[bytes, bytes], variables: list[tuple[bytes, bytes | None]]) -> None:
    """What os.environ's own __setitem__ and __delitem__ do (putenv or unsetenv, then its mapping), on names and
    values already encoded: without their Python-level encoding, since this runs around every handler call."""
    for key, value in variables:
        if value is None:
            if encoded.pop(key, None) is not None:
                os.unsetenv(key)
        else:
            os.putenv(key, value)
            encoded[key] = value
