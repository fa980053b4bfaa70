"""A function's cold start: its handler imported as Lambda's Python runtime imports it, once per process.

Lambda imports the handler's module once per execution environment and reuses it for later invocations;
sfnlocal keeps one loaded copy of each function for the whole Python process (a test session), keyed by
everything that shapes its import. A failed import is not kept: Lambda tries the Init phase again on the
next invocation.
"""

from __future__ import annotations

import importlib
import linecache
import os
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from sfnlocal.integrations.lambda_ import handler_frames
from sfnlocal.integrations.lambda_functions.invocation import FunctionError, error_payload
from sfnlocal.integrations.lambda_functions.modules import FunctionModules
from sfnlocal.integrations.lambda_functions.own_environment import OwnEnvironment
from sfnlocal.integrations.lambda_functions.spec import IMAGE_RUNTIME, LambdaFunction
from sfnlocal.interpreter.integration import exception_message

INLINE_MODULE = "index"  # CloudFormation writes a Python function's Code.ZipFile as index.py

Handler = Callable[[Any, Any], Any]


class LoadedFunction:
    """One function's modules and, once its cold start succeeded, its handler."""

    def __init__(self, function: LambdaFunction) -> None:
        self.function = function
        # absolute, so that they hold while the handler runs in its code folder
        folders: tuple[str, ...] = (os.path.abspath(function.code),) if function.code is not None else ()
        python = _python_version(function.runtime)
        for layer in function.layers:  # Lambda puts a Layer's python/ and its site-packages on the path
            root = os.path.abspath(layer / "python")
            folders += (root, os.path.join(root, "lib", f"python{python}", "site-packages"))
        self.modules = FunctionModules(folders)
        self.environment = OwnEnvironment()  # what its code set in os.environ, its own as in its own process
        self._handler: Handler | None = None

    @property
    def started(self) -> bool:
        """Whether the cold start happened (the handler's module is loaded)."""
        return self._handler is not None

    def handler(self) -> Handler:
        """The handler, imported now if it is not yet (call it with :attr:`modules` active); a failed import
        raises :class:`FunctionError` as Lambda reports it and leaves nothing loaded."""
        if self._handler is None:
            try:
                self._handler = _import_handler(self.function, self.modules)
            except FunctionError:
                self.modules.forget()
                raise
        return self._handler


_LOADED: dict[tuple[Any, ...], LoadedFunction] = {}


def loaded(function: LambdaFunction) -> LoadedFunction:
    """The process's loaded copy of ``function`` (the same for equal functions).

    >>> fn = LambdaFunction("f", "index.handler", None, inline_code="def handler(e, c): return 1")
    >>> loaded(fn) is loaded(LambdaFunction("f", "index.handler", None, inline_code="def handler(e, c): return 1"))
    True
    """
    key = (
        function.name,
        function.handler,
        function.code,
        function.inline_code,
        function.runtime,
        function.layers,
        tuple(sorted(function.environment.items())),
    )
    found = _LOADED.get(key)
    if found is None:
        found = _LOADED[key] = LoadedFunction(function)
    return found


def _import_handler(function: LambdaFunction, modules: FunctionModules) -> Handler:
    """Import the handler as AWS's Python runtime does, with its errors and their texts."""
    handler = function.handler
    module_name, _, attribute = handler.rpartition(".")
    if not module_name:
        message = f"Bad handler '{handler}': not enough values to unpack (expected 2, got 1)"
        raise FunctionError(error_payload("Runtime.MalformedHandlerName", message, ""))
    if module_name.split(".")[0] in sys.builtin_module_names:
        message = f"Cannot use built-in module {module_name} as a handler module"
        raise FunctionError(error_payload("Runtime.BuiltInModuleConflict", message, ""))
    try:
        if function.inline_code is not None and module_name == INLINE_MODULE:
            module = _inline_module(function, modules)
        else:
            module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as err:
        message = f"Unable to import module '{module_name}': {exception_message(err)}"
        raise FunctionError(error_payload("Runtime.ImportModuleError", message, "")) from None
    except SyntaxError as err:
        message = f"Syntax error in module '{module_name}': {exception_message(err)}"
        trace = [f'  File "{err.filename}" Line {err.lineno}\n    {err.text}']
        raise FunctionError(error_payload("Runtime.UserCodeSyntaxError", message, "", trace)) from None
    except Exception as err:  # the module's own code failed during the Init phase
        frames = handler_frames(err.__traceback__)
        raise FunctionError(error_payload(type(err).__name__, exception_message(err), "", frames)) from None
    try:
        found = getattr(module, attribute)
    except AttributeError:
        message = f"Handler '{attribute}' missing on module '{module_name}'"
        raise FunctionError(error_payload("Runtime.HandlerNotFound", message, "")) from None
    return found


def _inline_module(function: LambdaFunction, modules: FunctionModules) -> ModuleType:
    """``Code.ZipFile``'s text run as the function's ``index`` module."""
    source = function.inline_code or ""
    filename = f"<{function.name} Code.ZipFile>/{INLINE_MODULE}.py"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)  # for tracebacks
    module = ModuleType(INLINE_MODULE)
    module.__file__ = filename
    sys.modules[INLINE_MODULE] = modules.modules[INLINE_MODULE] = module
    try:
        exec(compile(source, filename, "exec"), module.__dict__)
    except BaseException:
        del sys.modules[INLINE_MODULE], modules.modules[INLINE_MODULE]
        raise
    return module


def _python_version(runtime: str | None) -> str:
    """``3.12`` for ``python3.12``; the running interpreter's when the template does not say."""
    if runtime is not None and runtime.startswith("python"):
        return runtime.removeprefix("python")
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def is_python(runtime: str | None) -> bool:
    """Whether sfnlocal can run a function of this runtime in-process (None: the template does not say).

    >>> is_python("python3.12"), is_python(None), is_python("nodejs20.x")
    (True, True, False)
    """
    return runtime is None or runtime.startswith("python")


def cannot_run(function: LambdaFunction) -> str | None:
    """Why sfnlocal cannot run ``function`` in-process (a Task calling it fails unless a mock serves it or a Lambda
    endpoint runs it), or None when it can.

    >>> from pathlib import Path
    >>> cannot_run(LambdaFunction("charge", "app.handler", Path("src"), runtime="python3.12")) is None
    True
    >>> cannot_run(LambdaFunction("ship", "index.handler", Path("src"), runtime="nodejs20.x"))
    'its runtime is nodejs20.x: sfnlocal runs Python handlers only'
    """
    if function.unavailable is not None:
        return function.unavailable
    if function.runtime == IMAGE_RUNTIME:
        return "it is a container image: sfnlocal runs Python handlers from their code folders only"
    if not is_python(function.runtime):
        return f"its runtime is {function.runtime}: sfnlocal runs Python handlers only"
    if function.code is None and function.inline_code is None:
        return "its code is not in a local folder (CodeUri or Code in S3): sfnlocal runs handlers from local code"
    return None
