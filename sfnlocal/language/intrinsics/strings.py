"""States.StringSplit(string, delimiters): split at any of the delimiter characters.

AWS treats the second argument as a set of single-character delimiters (its documented example
splits ``"This.is+a,test=string"`` at ``".+,="``) and leaves out empty pieces: the recorded split of
``",,,,"`` at ``","`` is ``[]`` and of ``", , ,"`` is ``[" ", " "]``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from random import Random
from typing import Any

from sfnlocal.language.intrinsics.arguments import string_arg


def string_split(args: Sequence[Any], rng: Random) -> list[str]:
    """Split at every character of ``delimiters``, dropping empty pieces.

    >>> string_split(["This.is+a,test=string", ".+,="], Random(0))
    ['This', 'is', 'a', 'test', 'string']
    """
    text = string_arg(args, 0)
    delimiters = string_arg(args, 1)
    if not delimiters:
        return [text] if text else []
    pieces = re.split("[" + re.escape(delimiters) + "]", text)
    return [piece for piece in pieces if piece]
