"""``python -m tests.fuzz --cases 100000``: the long fuzz run (see runner.py and README.md)."""

import sys

from .runner import main

if __name__ == "__main__":
    sys.exit(main())
