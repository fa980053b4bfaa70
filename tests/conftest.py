"""Suite-wide set-up: the modules sfnlocal imports on first use are imported before a test that runs pytest inline.

pytester puts ``sys.modules`` back as it found it when such a test ends, dropping every module first imported
during the test. sfnlocal imports much on first use (its own modules, moto, botocore), so which test imported a
module first would decide whether it survives: a module imported again is a second copy whose classes are not
the first copy's, which the objects made from the first still hold (moto refusing botocore's request type, say).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import pytest

import sfnlocal

# Imported by sfnlocal on first use; imported here once in the process, before pytester's first snapshot.
THIRD_PARTY = ["boto3", "botocore.awsrequest", "moto", "moto.core.models", "yaml", "jsonata"]


@cache
def _import_all() -> None:
    for module in pkgutil.walk_packages(sfnlocal.__path__, "sfnlocal."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    for name in THIRD_PARTY:
        importlib.import_module(name)


@pytest.fixture(autouse=True)
def _modules_outlive_pytester(request: pytest.FixtureRequest) -> None:
    # autouse: made before the test's other fixtures, pytester's snapshot among them
    if "pytester" in request.fixturenames:
        _import_all()
