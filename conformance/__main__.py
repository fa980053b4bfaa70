"""``python -m conformance``: see :mod:`conformance.cli`."""

from conformance.cli import main

raise SystemExit(main())
