"""``python -m sfnlocal``: the ``sfnlocal`` console script, for when the script is not on ``PATH`` (a virtual
environment not activated, ``pipx``, a CI image) or to pick the interpreter explicitly.

The same parser, the same output and the same exit codes as ``sfnlocal`` (``python -m sfnlocal --help`` lists
them); the program is still named ``sfnlocal`` in its messages::

    python -m sfnlocal validate order.asl.json
    python -m sfnlocal --version
"""

import sys

from sfnlocal.cli.main import main

# Imported (by pytest's doctest collection, say) this module does nothing: only running it runs the command.
if __name__ == "__main__":
    sys.exit(main())
