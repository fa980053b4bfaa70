"""Mocks written as data (a JSON or YAML file for ``sfnlocal run --mocks``).

Each key is a state name or a Resource ARN; each value is one object with exactly one of:

``{"returns": <value>}`` (add ``"raw": true`` for an exact service response),
``{"raises": {"error": "...", "cause": "..."}}``, ``{"pending": true}``,
``{"sequence": [<entry>, ...]}``, or ``{"handler": "package.module:function"}`` (a Python callable,
e.g. a real Lambda handler, imported by name). ``"after": <seconds>`` delays returns/raises on the
virtual clock.
"""

from __future__ import annotations

import importlib
from typing import Any

from sfnlocal.integrations.mocks.outcomes import pending, raises, returns, sequence

_KINDS = ("returns", "raises", "pending", "sequence", "handler")


class MockSpecError(ValueError):
    """A mocks file entry that cannot be understood; the message names the entry and says what to write."""


def mocks_from_spec(data: Any) -> dict[str, Any]:
    """Turn the parsed content of a mocks file into the ``mocks=`` mapping of ``execute()``.

    >>> m = mocks_from_spec({"Charge": {"returns": {"ok": True}}, "Ship": {"raises": {"error": "E"}}})
    >>> m["Charge"].value, m["Ship"].error
    ({'ok': True}, 'E')
    """
    if not isinstance(data, dict):
        raise MockSpecError(f"a mocks file must hold an object mapping state names to mocks, not {type(data).__name__}")
    return {str(key): _entry(value, str(key)) for key, value in data.items()}


def _entry(value: Any, where: str) -> Any:
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
    after = value.get("after", 0)
    if kind == "returns":
        return returns(value["returns"], raw=bool(value.get("raw", False)), after=after)
    if kind == "raises":
        failure = value["raises"]
        if isinstance(failure, str):
            return raises(failure, after=after)
        if not isinstance(failure, dict) or not isinstance(failure.get("error"), str):
            raise MockSpecError(f'mock \'{where}\': raises needs {{"error": "Name", "cause": "..."}}')
        return raises(failure["error"], failure.get("cause"), after=after)
    if kind == "pending":
        return pending()
    if kind == "sequence":
        items = value["sequence"]
        if not isinstance(items, list) or not items:
            raise MockSpecError(f"mock '{where}': sequence needs a non-empty list of mocks")
        return sequence(*(_entry(item, f"{where}[{i}]") for i, item in enumerate(items)))
    return _import_handler(value["handler"], where)


def _import_handler(target: Any, where: str) -> Any:
    if not isinstance(target, str) or ":" not in target:
        raise MockSpecError(f"mock '{where}': handler must be 'package.module:function', not {target!r}")
    module_name, _, attribute = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise MockSpecError(f"mock '{where}': cannot import {module_name}: {err}") from None
    handler = getattr(module, attribute, None)
    if not callable(handler):
        raise MockSpecError(f"mock '{where}': {target} is not a callable in {module_name}")
    return handler
