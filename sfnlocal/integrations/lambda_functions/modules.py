"""Each function's own modules: its code folder and Layers first on the import path, its modules its own.

Lambda runs every function in its own sandbox, so two functions whose handlers are both
``app.lambda_handler`` (each with a sibling ``utils.py``) never see each other's modules. In one Python
process sfnlocal gets the same with :class:`FunctionModules`: while a function is active (its cold start or
a call), its folders are first on ``sys.path`` and the modules loaded from them are in ``sys.modules``;
after, they are moved out into the function's own namespace and ``sys.path`` is put back. Modules from
anywhere else (the standard library, boto3) are loaded once and shared, as a Lambda runtime's are.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "greeting.py").write_text("TEXT = 'hi'")
>>> modules = FunctionModules((str(folder),))
>>> with modules.active():
...     import greeting
>>> greeting.TEXT, "greeting" in sys.modules, sorted(modules.modules)
('hi', False, ['greeting'])
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

# Never a function's own, even when a code folder or Layer bundles a copy: the in-process AWS world
# intercepts the one botocore loaded in the process, and sfnlocal itself must stay one.
SHARED_PACKAGES = frozenset({"boto3", "botocore", "s3transfer", "moto", "sfnlocal"})
_EXTENSION_SUFFIXES = (".py", ".pyc", ".so", ".pyd")


class FunctionModules:
    """The modules of one function, loaded from ``folders`` (its code folder, then its Layers' path entries)."""

    def __init__(self, folders: tuple[str, ...]) -> None:
        self.folders = folders
        self.modules: dict[str, ModuleType] = {}  # the function's own modules, while it is not active
        self._prefixes = tuple(os.path.join(os.path.abspath(folder), "") for folder in folders)
        self._top_names: frozenset[str] | None = None  # the top-level names its folders provide

    @contextmanager
    def active(self) -> Iterator[None]:
        """Make this function's modules the ones imports find, for the block (its import or a call)."""
        saved_path = sys.path[:]
        modules = sys.modules
        hidden = self._hide_others(modules)
        modules.update(self.modules)
        sys.path[:0] = self.folders
        count = len(modules)
        try:
            yield
        finally:
            self._take_own(modules, scan=len(modules) != count)
            modules.update(hidden)
            sys.path[:] = saved_path

    def forget(self) -> None:
        """Drop the loaded modules, so that the next activation imports afresh (a failed cold start)."""
        self.modules.clear()

    def _hide_others(self, modules: dict[str, ModuleType]) -> dict[str, ModuleType]:
        """Take out of ``sys.modules`` (to put back after) the modules of other code named like this
        function's own: the test's own ``app`` module, say."""
        first = self._top_names is None
        if self._top_names is None:
            self._top_names = frozenset(_top_level_names(self.folders)) - SHARED_PACKAGES
        names = self._top_names | self.modules.keys()
        hidden = {name: modules.pop(name) for name in names if name in modules}
        if first:  # their submodules too; later a foreign package's submodule imported meanwhile is unlikely
            prefixes = tuple(name + "." for name in self._top_names)
            for name in [name for name in modules if name.startswith(prefixes)]:
                hidden[name] = modules.pop(name)
        return hidden

    def _take_own(self, modules: dict[str, ModuleType], scan: bool) -> None:
        """Move this function's modules out of ``sys.modules``; with ``scan``, find the new ones first."""
        own = self.modules
        for name in own:
            current = modules.pop(name, None)
            if current is not None:
                own[name] = current  # the handler may have reloaded it
        if scan:
            for name in [name for name, module in modules.items() if self._is_own(name, module)]:
                own[name] = modules.pop(name)

    def _is_own(self, name: str, module: ModuleType) -> bool:
        if name.partition(".")[0] in SHARED_PACKAGES:
            return False
        location = getattr(module, "__file__", None)
        if isinstance(location, str):
            return location.startswith(self._prefixes)
        search = getattr(module, "__path__", None)  # a namespace package has a path but no file
        return search is not None and any(str(entry).startswith(self._prefixes) for entry in search)


def _top_level_names(folders: tuple[str, ...]) -> Iterator[str]:
    """The names ``import x`` finds in these folders: modules, packages, namespace packages, extensions."""
    for folder in folders:
        try:
            entries = os.scandir(folder)
        except OSError:  # a Layer without a python/ folder, say
            continue
        with entries:
            for entry in entries:
                if entry.is_dir():
                    if entry.name.isidentifier():
                        yield entry.name
                elif entry.name.endswith(_EXTENSION_SUFFIXES):
                    yield entry.name.split(".", 1)[0]
