"""States.Base64Encode and States.Base64Decode: MIME Base64 over the UTF-8 bytes of a string.

AWS decodes with the MIME scheme (Java's ``Base64.getMimeDecoder``): characters outside the Base64
alphabet, such as line breaks, are skipped, the ``=`` padding is optional, and bytes that are not
UTF-8 become U+FFFD. Encoding writes a lone surrogate as ``?``, as Java's ``getBytes(UTF_8)`` does.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from random import Random
from typing import Any

from sfnlocal.language.intrinsics.arguments import ArgumentProblem, string_arg

# AWS: "a data string of up to 10,000 characters" for both functions.
MAX_CHARS = 10_000
_NOT_ALPHABET = re.compile(r"[^A-Za-z0-9+/]")


def base64_encode(args: Sequence[Any], rng: Random) -> str:
    """States.Base64Encode(string): its UTF-8 bytes in Base64, padded.

    >>> base64_encode(["Data to encode"], Random(0))
    'RGF0YSB0byBlbmNvZGU='
    """
    data = string_arg(args, 0, MAX_CHARS)
    return base64.b64encode(data.encode("utf-8", errors="replace")).decode("ascii")


def base64_decode(args: Sequence[Any], rng: Random) -> str:
    """States.Base64Decode(string): the text a Base64 string encodes.

    >>> base64_decode(["RGF0YSB0byBlbmNvZGU="], Random(0)), base64_decode(["SGk\\r\\n"], Random(0))
    ('Data to encode', 'Hi')
    """
    encoded = string_arg(args, 0, MAX_CHARS)
    symbols = _NOT_ALPHABET.sub("", encoded.split("=", 1)[0])
    if len(symbols) % 4 == 1:
        raise ArgumentProblem("argument 1 is not valid Base64: its last group has a single character")
    try:
        raw = base64.b64decode(symbols + "=" * (-len(symbols) % 4))
    except binascii.Error as err:
        raise ArgumentProblem(f"argument 1 is not valid Base64: {err}") from None
    return raw.decode("utf-8", errors="replace")
