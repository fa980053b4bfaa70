"""States.UUID: version 4 UUIDs from the execution's seeded random source."""

from __future__ import annotations

import random
import re
import uuid

from sfnlocal.language.intrinsics import compile_intrinsic
from sfnlocal.language.paths import Scope

from .support import failure, run

# AWS's documented example value, "ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8", has this shape.
V4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_uuid_is_version_4() -> None:
    value = run("States.UUID()")
    assert V4.match(value)
    assert uuid.UUID(value).version == 4


def test_uuids_differ_within_a_run_and_repeat_across_runs() -> None:
    f = compile_intrinsic("States.UUID()")
    first, second = random.Random(11), random.Random(11)
    run_one = [f.evaluate(Scope({}), first) for _ in range(5)]
    assert len(set(run_one)) == 5
    assert run_one == [f.evaluate(Scope({}), second) for _ in range(5)]


def test_uuid_takes_no_arguments() -> None:
    assert failure("States.UUID($.a)", {"a": 1}) == "States.UUID takes exactly 0 arguments, but 1 was given"
