"""Lambda functions named by hand, without a template: ``{"function name": "path/to/app.py:handler"}``.

A value is ``"FILE.py:FUNCTION"`` (the file relative to ``base``, by default the current folder), which is the
function whose code folder is the file's folder and whose Handler is ``module.function``, as a SAM template
with ``CodeUri: path/to`` and ``Handler: app.handler`` would say; or an object giving more of the function's
configuration::

    {"charge": {"handler": "functions/charge/app.py:lambda_handler",
                "environment": {"TABLE_NAME": "orders"}, "timeout": 10, "memory_mb": 256,
                "layers": ["layers/common"]}}

``layers`` are layer content folders (holding ``python/``), relative to ``base``. The runtime is the Python
running the tests. A name is a Lambda function name (letters, digits, ``-`` and ``_``, at most 64): a task
whose definition names the function by name or ARN, with or without a qualifier, calls it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sfnlocal.integrations.lambda_functions.spec import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS, LambdaFunction

_FUNCTION_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")  # Lambda's pattern for a function's name
_KEYS = ("handler", "environment", "timeout", "memory_mb", "layers")


def functions_from_mapping(
    mapping: Mapping[str, str | Mapping[str, Any]], base: str | Path | None = None
) -> dict[str, LambdaFunction]:
    """The functions ``mapping`` names (see the module docstring), by name.

    Raises ValueError naming the function and what is wrong: a name Lambda would refuse, a value that is not
    ``FILE.py:FUNCTION``, a file or layer folder that does not exist, an unknown key, a value of the wrong type.

    >>> import tempfile
    >>> base = Path(tempfile.mkdtemp())
    >>> (base / "charge").mkdir()
    >>> _ = (base / "charge" / "app.py").write_text("def lambda_handler(event, context):\\n    return event\\n")
    >>> charge = functions_from_mapping({"charge": "charge/app.py:lambda_handler"}, base)["charge"]
    >>> charge.handler, charge.code == base.resolve() / "charge", charge.timeout
    ('app.lambda_handler', True, 3.0)
    >>> functions_from_mapping({"charge": "charge/app.py"}, base)
    Traceback (most recent call last):
    ...
    ValueError: the function charge: 'charge/app.py' is not FILE.py:FUNCTION, such as 'charge/app.py:lambda_handler'
    """
    folder = Path.cwd() if base is None else Path(base)
    return {name: _function(name, value, folder) for name, value in mapping.items()}


def _function(name: Any, value: Any, base: Path) -> LambdaFunction:
    if not isinstance(name, str) or not _FUNCTION_NAME.fullmatch(name):
        raise ValueError(
            f"{name!r} is not a Lambda function name (1 to 64 letters, digits, '-' or '_'); name each function "
            "as the definition names it, e.g. {'charge': 'functions/charge/app.py:lambda_handler'}"
        )
    where = f"the function {name}"
    settings: Mapping[str, Any] = value if isinstance(value, Mapping) else {"handler": value}
    unknown = sorted(map(str, set(settings) - set(_KEYS)))
    if unknown:
        raise ValueError(f"{where}: unknown key {', '.join(unknown)}; the keys are {', '.join(_KEYS)}")
    code, handler = _handler(settings.get("handler"), base, where)
    return LambdaFunction(
        name=name,
        handler=handler,
        code=code,
        runtime=f"python{sys.version_info.major}.{sys.version_info.minor}",
        layers=tuple(_layer(layer, base, where) for layer in _list(settings.get("layers", []), "layers", where)),
        environment=_environment(settings.get("environment", {}), where),
        timeout=float(_number(settings.get("timeout", DEFAULT_TIMEOUT_SECONDS), "timeout", where)),
        memory_mb=int(_number(settings.get("memory_mb", DEFAULT_MEMORY_MB), "memory_mb", where)),
    )


def _handler(value: Any, base: Path, where: str) -> tuple[Path, str]:
    """The code folder and Lambda's Handler (``module.function``) of ``FILE.py:FUNCTION``."""
    file, _, function = value.rpartition(":") if isinstance(value, str) else ("", "", "")
    if not (file.endswith(".py") and function.isidentifier()):
        raise ValueError(f"{where}: {value!r} is not FILE.py:FUNCTION, such as 'charge/app.py:lambda_handler'")
    path = (base / file).resolve()  # absolute, so that the runtime does not depend on the current folder
    if not path.is_file():
        raise ValueError(f"{where}: its handler file {file} does not exist ({path})")
    return path.parent, f"{path.stem}.{function}"


def _layer(value: Any, base: Path, where: str) -> Path:
    if not isinstance(value, (str, Path)) or not (base / value).is_dir():
        shown = value if isinstance(value, (str, Path)) else type(value).__name__
        raise ValueError(f"{where}: its layer {shown} is not a folder (a layer's content, holding python/)")
    return (base / value).resolve()


def _list(value: Any, key: str, where: str) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{where}: {key} must be a list, not {type(value).__name__}")
    return list(value)


def _environment(value: Any, where: str) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in value.items()
    ):
        raise ValueError(f"{where}: environment must map variable names to strings, e.g. {{'TABLE_NAME': 'orders'}}")
    return MappingProxyType(dict(value))


def _number(value: Any, key: str, where: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{where}: {key} must be a positive number, not {value!r}")
    return value
