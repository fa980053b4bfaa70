"""Where ``sfnlocal serve`` keeps what must survive a restart: a small :class:`Store` interface, and
:class:`SqliteStore`, its SQLite implementation.

A store holds JSON objects by kind (``machine``, ``activity``, ``tags``, ``execution``) and ARN; datetimes
are kept as ISO text and come back as timezone-aware datetimes.

>>> from datetime import UTC, datetime
>>> store = SqliteStore(":memory:")
>>> store.put("activity", "arn:a", {"name": "a", "creation_date": datetime(2025, 1, 1, tzinfo=UTC)})
>>> store.items("activity")
[('arn:a', {'name': 'a', 'creation_date': datetime.datetime(2025, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)})]
>>> store.delete("activity", "arn:a"); store.items("activity")
[]
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime
from typing import Any, Protocol

_DATETIME = "$datetime"  # {"$datetime": "<ISO text>"} stands for a datetime in the stored JSON


class Store(Protocol):
    """What the engine needs of a store: put, delete and list JSON objects by kind and ARN (in the order they
    were first put), and close."""

    def put(self, kind: str, arn: str, value: dict[str, Any]) -> None: ...

    def delete(self, kind: str, arn: str) -> None: ...

    def items(self, kind: str) -> list[tuple[str, dict[str, Any]]]: ...

    def close(self) -> None: ...


class SqliteStore:
    """A :class:`Store` in one SQLite file (``":memory:"`` for none), in WAL mode so that readers never wait for
    the writer; one connection, used under a lock, is the one writer."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute(
            "CREATE TABLE IF NOT EXISTS resources ("
            " seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, arn TEXT NOT NULL, body TEXT NOT NULL,"
            " UNIQUE (kind, arn))"
        )

    def put(self, kind: str, arn: str, value: dict[str, Any]) -> None:
        """Keep ``value`` under ``kind`` and ``arn`` (replacing what was there, keeping its place in the order)."""
        body = json.dumps(value, default=_encode, separators=(",", ":"))
        with self._lock:
            self._connection.execute(
                "INSERT INTO resources (kind, arn, body) VALUES (?, ?, ?)"
                " ON CONFLICT (kind, arn) DO UPDATE SET body = excluded.body",
                (kind, arn, body),
            )

    def delete(self, kind: str, arn: str) -> None:
        """Forget what is kept under ``kind`` and ``arn`` (nothing happens if nothing is)."""
        with self._lock:
            self._connection.execute("DELETE FROM resources WHERE kind = ? AND arn = ?", (kind, arn))

    def items(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        """Everything kept under ``kind``, as ``(arn, value)`` in the order first put."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT arn, body FROM resources WHERE kind = ? ORDER BY seq", (kind,)
            ).fetchall()
        return [(arn, json.loads(body, object_hook=_decode)) for arn, body in rows]

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._connection.close()


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    raise TypeError(f"{type(value).__name__} cannot be stored")


def _decode(value: dict[str, Any]) -> Any:
    if len(value) == 1 and _DATETIME in value:
        return datetime.fromisoformat(value[_DATETIME])
    return value
