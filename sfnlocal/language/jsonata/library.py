"""jsonata-python, imported here and only here, leaving the process's recursion limit as it was.

Importing jsonata-python sets the interpreter's recursion limit to 10,000 for the whole process. This
module imports it and puts back the limit the process had, so that no import of sfnlocal changes it;
an evaluation raises the limit only while it runs (:mod:`sfnlocal.language.jsonata.bounds`). The
module body runs once, under the import system's lock, so two threads importing it cannot take the
raised limit for the old one.

>>> Jsonata("1 + 1").evaluate(None)
2
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType


def _import(name: str) -> ModuleType:
    limit = sys.getrecursionlimit()
    try:
        return importlib.import_module(name)
    finally:
        sys.setrecursionlimit(limit)


_jsonata = _import("jsonata")
Functions = _jsonata.Functions
JException = _jsonata.JException
Jsonata = _jsonata.Jsonata
Utils = _jsonata.Utils
RegexFlags = _import("jsonata.regex_engine").RegexFlags
Signature = _import("jsonata.signature").Signature
