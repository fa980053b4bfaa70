"""Mocks written as data (a JSON or YAML file for ``sfnlocal run --mocks``).

Each key is a state name, a Resource ARN or a ``lambda:invoke`` Task's FunctionName (checked against the
machine when it runs, as every ``execute(mocks=...)`` key is); each value is one object with exactly one of:

``{"returns": <value>}`` (means what ``mocks.returns(value)`` means in Python, docs/mocking.md: for a
``lambda:invoke`` Task the function's result, in Lambda's envelope; add ``"raw": true`` for an exact
service response),
``{"raises": {"error": "...", "cause": "..."}}``, ``{"pending": true}``,
``{"sequence": [<entry>, ...]}``, or ``{"handler": "package.module:function"}`` (a Python callable,
e.g. a real Lambda handler, imported by name). ``"after": <seconds>`` delays returns/raises on the
virtual clock. Any other field is refused, naming the nearest allowed one (a misspelt ``"raw"`` would
otherwise change the mock's meaning silently).

A handler's module is looked up in the mocks file's folder (``folder=``) and among the installed
packages. The folder is on ``sys.path`` only while the module is imported, and after the installed
packages, so a ``yaml.py`` beside the mocks file cannot replace PyYAML; a handler's module in the folder
that has the name of an installed one is refused, since the installed one would be imported instead.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from sfnlocal.integrations.mocks.keys import nearest
from sfnlocal.integrations.mocks.outcomes import pending, raises, returns, sequence

_KINDS = ("returns", "raises", "pending", "sequence", "handler")
# The fields each kind of entry may have besides its own.
_OPTIONS = {"returns": ("raw", "after"), "raises": ("after",), "pending": (), "sequence": (), "handler": ()}


class MockSpecError(ValueError):
    """A mocks file entry that cannot be understood; the message names the entry and says what to write."""


def mocks_from_spec(data: Any, folder: str | Path | None = None) -> dict[str, Any]:
    """Turn the parsed content of a mocks file into the ``mocks=`` mapping of ``execute()``; handlers'
    modules are looked up in ``folder`` (the mocks file's) too.

    >>> m = mocks_from_spec({"Charge": {"returns": {"ok": True}}, "Ship": {"raises": {"error": "E"}}})
    >>> m["Charge"].value, m["Ship"].error
    ({'ok': True}, 'E')
    >>> mocks_from_spec({"Charge": {"returns": {}, "rwa": True}})
    Traceback (most recent call last):
    ...
    sfnlocal.integrations.mocks.spec.MockSpecError: mock 'Charge': unknown field 'rwa' for a returns mock; \
did you mean 'raw'? A returns mock may have returns, raw, after
    """
    if not isinstance(data, dict):
        raise MockSpecError(f"a mocks file must hold an object mapping state names to mocks, not {type(data).__name__}")
    return {str(key): _entry(value, str(key), None if folder is None else Path(folder)) for key, value in data.items()}


def _entry(value: Any, where: str, folder: Path | None) -> Any:
    if not isinstance(value, dict):
        raise MockSpecError(
            f"mock '{where}' must be an object with one of {', '.join(_KINDS)}; "
            f'to return a value write {{"returns": ...}}'
        )
    kinds = [kind for kind in _KINDS if kind in value]
    if len(kinds) != 1:
        raise MockSpecError(
            f"mock '{where}' must have exactly one of {', '.join(_KINDS)}, found {', '.join(kinds) or 'none'}"
        )
    kind = kinds[0]
    allowed = (kind, *_OPTIONS[kind])
    for name in value:
        if name not in allowed:
            raise MockSpecError(
                f"mock '{where}': unknown field {name!r} for a {kind} mock; {nearest(str(name), allowed)} "
                f"A {kind} mock may have {', '.join(allowed)}"
            )
    after = value.get("after", 0)
    if isinstance(after, bool) or not isinstance(after, (int, float)) or not 0 <= after < float("inf"):
        raise MockSpecError(f"mock '{where}': after must be a number of seconds (0 or more), not {after!r}")
    if kind == "returns":
        return returns(value["returns"], raw=bool(value.get("raw", False)), after=after)
    if kind == "raises":
        failure = value["raises"]
        error, cause = (failure, None) if isinstance(failure, str) else _failure(failure)
        if not isinstance(error, str) or not error or not isinstance(cause, (str, type(None))):
            raise MockSpecError(
                f'mock \'{where}\': raises needs {{"error": "Name", "cause": "..."}} with a non-empty error name '
                f"and a string cause, not {failure!r}"
            )
        return raises(error, cause, after=after)
    if kind == "pending":
        return pending()
    if kind == "sequence":
        items = value["sequence"]
        if not isinstance(items, list) or not items:
            raise MockSpecError(f"mock '{where}': sequence needs a non-empty list of mocks")
        return sequence(*(_entry(item, f"{where}[{i}]", folder) for i, item in enumerate(items)))
    return _import_handler(value["handler"], where, folder)


def _failure(failure: Any) -> tuple[Any, Any]:
    return (failure.get("error"), failure.get("cause")) if isinstance(failure, dict) else (None, None)


def _import_handler(target: Any, where: str, folder: Path | None) -> Any:
    module_name, _, attribute = target.partition(":") if isinstance(target, str) else ("", "", "")
    # Dotted names only: a relative ("..evil"), absolute or traversing module name is no module to import.
    if not all(part.isidentifier() for part in (*module_name.split("."), attribute)):
        raise MockSpecError(
            f"mock '{where}': handler must be 'package.module:function' (dotted Python names, no path), not {target!r}"
        )
    try:
        module = _import_module(module_name, folder)
    except MockSpecError as err:
        raise MockSpecError(f"mock '{where}': {err}") from None
    except (Exception, SystemExit) as err:  # ImportError, or what the module raised while it was imported
        looked = "the installed packages" if folder is None else f"{folder} and the installed packages"
        raise MockSpecError(
            f"mock '{where}': cannot import {module_name} (looked in {looked}): {type(err).__name__}: {err}"
        ) from None
    handler = getattr(module, attribute, None)
    if not callable(handler):
        raise MockSpecError(f"mock '{where}': {target} is not a callable in {module_name}")
    return handler


def _import_module(name: str, folder: Path | None) -> ModuleType:
    """Import module ``name``, looking in ``folder`` after the installed packages (see the module docstring)."""
    if folder is None:
        return importlib.import_module(name)
    top = name.partition(".")[0]
    local = importlib.machinery.PathFinder.find_spec(top, [str(folder)])
    if local is not None:
        installed = _installed_origin(top)
        if installed is not None and installed != local.origin:
            raise MockSpecError(
                f"{local.origin} has the name of the installed module {top!r} ({installed}), which would be "
                "imported in its place; rename the handler's file"
            )
    with _folder_on_path(folder):
        return importlib.import_module(name)


def _installed_origin(top: str) -> str | None:
    """Where the module ``top`` that Python would import without the folder comes from (None: nowhere)."""
    module = sys.modules.get(top)
    spec = module.__spec__ if module is not None else importlib.util.find_spec(top)
    return None if spec is None else str(spec.origin)


@contextmanager
def _folder_on_path(folder: Path) -> Iterator[None]:
    """``folder`` at the end of ``sys.path`` while the block runs, and taken off after."""
    entry = str(folder)
    if entry in sys.path:
        yield
        return
    sys.path.append(entry)
    try:
        yield
    finally:
        sys.path.remove(entry)
