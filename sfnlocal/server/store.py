"""Where ``sfnlocal serve`` keeps what must survive a restart: a small :class:`Store` interface, and
:class:`SqliteStore`, its SQLite implementation.

A store holds JSON objects by kind (``machine``, ``activity``, ``tags``, ``execution``, ``running``) and ARN, and
lists of JSON objects appended to by kind and ARN (``journal``: what came into a running execution); datetimes
are kept as ISO text and come back as timezone-aware datetimes.

>>> from datetime import UTC, datetime
>>> store = SqliteStore(":memory:")
>>> store.put("activity", "arn:a", {"name": "a", "creation_date": datetime(2025, 1, 1, tzinfo=UTC)})
>>> store.items("activity")
[('arn:a', {'name': 'a', 'creation_date': datetime.datetime(2025, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)})]
>>> store.delete("activity", "arn:a"); store.items("activity")
[]
>>> store.append("journal", "arn:e", [{"n": 1}, {"n": 2}]); store.append("journal", "arn:e", [{"n": 3}])
>>> store.appended("journal", "arn:e")
[{'n': 1}, {'n': 2}, {'n': 3}]
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
    were first put); append to a list of JSON objects by kind and ARN and read it back in order (``delete``
    forgets that list too); and close."""

    def put(self, kind: str, arn: str, value: dict[str, Any]) -> None: ...

    def delete(self, kind: str, arn: str) -> None: ...

    def items(self, kind: str) -> list[tuple[str, dict[str, Any]]]: ...

    def append(self, kind: str, arn: str, values: list[dict[str, Any]]) -> None: ...

    def appended(self, kind: str, arn: str) -> list[dict[str, Any]]: ...

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
        self._connection.execute(
            "CREATE TABLE IF NOT EXISTS appended ("
            " seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, arn TEXT NOT NULL, body TEXT NOT NULL)"
        )
        self._connection.execute("CREATE INDEX IF NOT EXISTS appended_by_arn ON appended (kind, arn, seq)")

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
        """Forget what is kept or appended under ``kind`` and ``arn`` (nothing happens if nothing is)."""
        with self._lock:
            self._connection.execute("DELETE FROM resources WHERE kind = ? AND arn = ?", (kind, arn))
            self._connection.execute("DELETE FROM appended WHERE kind = ? AND arn = ?", (kind, arn))

    def append(self, kind: str, arn: str, values: list[dict[str, Any]]) -> None:
        """Add ``values``, in order, to the list under ``kind`` and ``arn`` (in one transaction)."""
        bodies = [(kind, arn, json.dumps(value, default=_encode, separators=(",", ":"))) for value in values]
        with self._lock:
            self._connection.execute("BEGIN")
            try:
                self._connection.executemany("INSERT INTO appended (kind, arn, body) VALUES (?, ?, ?)", bodies)
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def appended(self, kind: str, arn: str) -> list[dict[str, Any]]:
        """The list under ``kind`` and ``arn``, in the order appended (empty if none)."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT body FROM appended WHERE kind = ? AND arn = ? ORDER BY seq", (kind, arn)
            ).fetchall()
        return [json.loads(body, object_hook=_decode) for (body,) in rows]

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
