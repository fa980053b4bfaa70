"""The classes of input that break sfnlocal today and that other work is fixing (issue 12).

The CI profile does not generate them, so that it passes while the fixes are under way; the long runner
generates everything (``python -m tests.fuzz``) unless told ``--exclude-known``. Remove a name here when its
fix lands: the CI profile then generates that class too.
"""

from __future__ import annotations

# Every class issue 12 listed, and the four this fuzzer found besides (a JSONata Map's constant Items, AwaitWorker
# for a Task that is no activity, an exception object raised again, an error output caught back into its state),
# is fixed: the CI profile generates everything.
KNOWN_OPEN: frozenset[str] = frozenset()
