"""States.Hash(data, algorithm): the hex digest of a string's UTF-8 bytes.

A lone surrogate is hashed as ``?``, the byte Java's ``getBytes(UTF_8)`` writes for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from random import Random
from typing import Any

from sfnlocal.language.intrinsics.arguments import ArgumentProblem, describe, string_arg

# AWS: "The data you provide must be an object string containing 10,000 characters or less."
MAX_CHARS = 10_000
# AWS's algorithm names, mapped to hashlib's.
ALGORITHMS = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def hash_(args: Sequence[Any], rng: Random) -> str:
    """States.Hash(data, algorithm) with algorithm MD5, SHA-1, SHA-256, SHA-384 or SHA-512.

    >>> hash_(["input data", "SHA-1"], Random(0))
    'aaff4a450a104cd177d28d18d74485e8cae074b7'
    """
    data = string_arg(args, 0, MAX_CHARS)
    algorithm = string_arg(args, 1)
    if algorithm not in ALGORITHMS:
        raise ArgumentProblem(f"argument 2 must be one of {', '.join(ALGORITHMS)}, but it is {describe(algorithm)}")
    return hashlib.new(ALGORITHMS[algorithm], data.encode("utf-8", errors="replace")).hexdigest()
