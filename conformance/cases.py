"""Finding and loading conformance case files.

A case file is one JSON object describing one execution (format: ``../shared/conformance/README.md``):
``id``, ``definition``, ``input``, ``expected``, ``history``, ``services``, ``features``, ``mocks``
and ``meta``. The corpus has two further families, single TestState calls and definition
validation; their files have no ``expected.status`` and are recognised and left out here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
OWN_CASES = REPO_ROOT / "conformance" / "cases"
SHARED_CASES = REPO_ROOT.parent / "shared" / "conformance" / "localstack"


class CaseFormatError(ValueError):
    """A case file that cannot be read as a case; the message names the file and the problem.

    >>> str(CaseFormatError(Path("a.json"), "not JSON"))
    'a.json: not JSON'
    """

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path


@dataclass(frozen=True)
class Case:
    """One recorded execution.

    >>> case = Case.from_dict({"id": "x", "definition": {}, "input": {}, "expected": {"status": "SUCCEEDED"}})
    >>> case.id, case.history, case.features
    ('x', [], ())
    """

    id: str
    definition: Any
    input: Any
    expected: Mapping[str, Any]
    history: list[dict[str, Any]] = field(default_factory=list)
    services: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    mocks: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Case:
        """Build a case from the parsed JSON of a case file (missing optional parts become empty)."""
        return cls(
            id=str(data["id"]),
            definition=data["definition"],
            input=data.get("input"),
            expected=data["expected"],
            history=list(data.get("history") or []),
            services=tuple(data.get("services") or ()),
            features=tuple(data.get("features") or ()),
            mocks=dict(data.get("mocks") or {}),
            meta=dict(data.get("meta") or {}),
        )


def default_paths() -> list[Path]:
    """The project's own cases, and the shared recordings when they are present next to the repo.

    >>> default_paths()[0] == OWN_CASES
    True
    """
    return [OWN_CASES] + ([SHARED_CASES] if SHARED_CASES.is_dir() else [])


def find_files(paths: Iterable[Path]) -> list[Path]:
    """The ``*.json`` files named or found (recursively) under the given paths, in a stable order.

    >>> find_files([OWN_CASES]) == sorted(OWN_CASES.rglob("*.json"))
    True
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.json")))
        elif path.is_file():
            found.append(path)
        else:
            raise CaseFormatError(path, "no such file or folder")
    return found


def is_execution_case(data: Any) -> bool:
    """Whether parsed JSON is an execution case (not a TestState or validation record).

    >>> is_execution_case({"id": "a", "definition": {}, "expected": {"status": "FAILED"}})
    True
    >>> is_execution_case({"id": "a", "request": {}, "expected": {"status": "SUCCEEDED"}})
    False
    """
    return (
        isinstance(data, dict)
        and "definition" in data
        and "id" in data
        and isinstance(data.get("expected"), dict)
        and "status" in data["expected"]
    )


def load(path: Path) -> Case | None:
    """The case in ``path``; ``None`` for a file of another family; CaseFormatError if unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CaseFormatError(path, f"not a readable JSON file ({err})") from None
    if not is_execution_case(data):
        return None
    try:
        return Case.from_dict(data)
    except (KeyError, TypeError, ValueError) as err:
        raise CaseFormatError(path, f"malformed case ({type(err).__name__}: {err})") from None


def iter_cases(files: Iterable[Path]) -> Iterator[Case | CaseFormatError]:
    """Each file's case, or the error that made it unreadable; files of other families are left out."""
    for path in files:
        try:
            case = load(path)
        except CaseFormatError as err:
            yield err
            continue
        if case is not None:
            yield case
