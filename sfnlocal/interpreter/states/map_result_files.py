"""The result files of a ``ResultWriter``, written as a map run's children finish instead of all at the end.

Each finished child's values (its entry, or its output as the Transformation gives it) become JSON text at once, and
its input and output are let go; the text goes to a temporary file per status (``SUCCEEDED``, ``FAILED``,
``PENDING``), in the children's index order, as AWS's files list them. A child that finishes before those with
lower indexes waits, as text, until they have. So a run keeps, per finished child, only its summary (status, dates,
error), and the files are on disk, not in memory, when the ResultWriter hands them to S3.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from sfnlocal.language.jsontext import compact_json

if TYPE_CHECKING:
    from sfnlocal.interpreter.states.map_run import ChildExecution

SUCCEEDED, FAILED, PENDING = "SUCCEEDED", "FAILED", "PENDING"
JSON, JSONL = "JSON", "JSONL"
# The file each child status goes to.
FILE_OF_STATUS = {
    "SUCCEEDED": SUCCEEDED,
    "FAILED": FAILED,
    "TIMED_OUT": FAILED,
    "ABORTED": FAILED,
    "PENDING": PENDING,
    "RUNNING": PENDING,
}
FILE_ORDER = (SUCCEEDED, FAILED, PENDING)


class ResultFile:
    """One result file being written: a temporary file, how many children's values and bytes it holds.

    >>> result = ResultFile(JSONL)
    >>> result.add(['{"a":1}', '2']); result.close().read(), result.size, result.children
    (b'{"a":1}\\n2\\n', 10, 1)
    """

    __slots__ = ("output_type", "file", "size", "children", "values")

    def __init__(self, output_type: str) -> None:
        self.output_type = output_type
        self.file: IO[bytes] = tempfile.TemporaryFile()
        self.size = 0
        self.children = 0
        self.values = 0

    def add(self, texts: list[str]) -> None:
        """Append one child's values, given as JSON texts."""
        if self.output_type == JSONL:
            chunk = "".join(text + "\n" for text in texts)
        else:
            chunk = ("," if self.values else "[") + ",".join(texts) if texts else ""
        self._write(chunk)
        self.children += 1
        self.values += len(texts)

    def close(self) -> IO[bytes]:
        """Finish the file (a JSON array is closed); return it, read from its start."""
        if self.output_type == JSON:
            self._write("]" if self.values else "[]")
        self.file.seek(0)
        return self.file

    def _write(self, text: str) -> None:
        data = text.encode("utf-8", "surrogatepass")
        self.file.write(data)
        self.size += len(data)


class ResultSpool:
    """The result files of one map run, fed child by child (see the module's docstring).

    ``values(record)`` gives the JSON texts one child contributes; ``pending(index)`` those of a child the run never
    started.

    >>> spool = ResultSpool(JSON, lambda record: [str(record)], lambda index: [f'"pending {index}"'])
    >>> spool.add(1, SUCCEEDED, ["1"]); spool.files
    {}
    >>> spool.add(0, FAILED, ["0"]); sorted(spool.files)
    ['FAILED', 'SUCCEEDED']
    >>> files = spool.finish([None, None, None])
    >>> [(status, result.close().read()) for status, result in files]
    [('SUCCEEDED', b'[1]'), ('FAILED', b'[0]'), ('PENDING', b'["pending 2"]')]
    """

    def __init__(
        self,
        output_type: str,
        values: Callable[[ChildExecution], list[str]],
        pending: Callable[[int], list[str]],
    ) -> None:
        self.output_type = output_type
        self.values = values
        self.pending = pending
        self.files: dict[str, ResultFile] = {}
        self._next = 0  # the lowest index not written yet
        self._waiting: dict[int, tuple[str, list[str]]] = {}  # finished children past the lowest unwritten one

    def add(self, index: int, status: str, texts: list[str]) -> None:
        """Child ``index`` finished with ``status``: its texts go to their file, in index order."""
        self._waiting[index] = (status, texts)
        while self._next in self._waiting:
            self._write(*self._waiting.pop(self._next))
            self._next += 1

    def add_record(self, record: ChildExecution) -> None:
        """Child ``record`` finished: render it (see ``values``) and add it."""
        self.add(record.index, record.status, self.values(record))

    def finish(self, children: list[ChildExecution | None]) -> list[tuple[str, ResultFile]]:
        """Write the children not added yet (never started: PENDING); return the files by status, in AWS's order."""
        for index in range(self._next, len(children)):
            if index in self._waiting:
                self._write(*self._waiting.pop(index))
                continue
            record = children[index]
            if record is None:
                self._write(PENDING, self.pending(index))
            else:
                self._write(record.status, self.values(record))
        self._next = len(children)
        return [(status, self.files[status]) for status in FILE_ORDER if status in self.files]

    def _write(self, status: str, texts: list[str]) -> None:
        name = FILE_OF_STATUS[status]
        result = self.files.get(name)
        if result is None:
            result = self.files[name] = ResultFile(self.output_type)
        result.add(texts)


def as_texts(values: list[Any]) -> list[str]:
    """Values as the JSON texts a result file holds.

    >>> as_texts([{"a": 1}, "é"])
    ['{"a":1}', '"é"']
    """
    return [compact_json(value) for value in values]
