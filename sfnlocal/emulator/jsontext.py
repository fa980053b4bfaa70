"""JSON text as AWS writes payloads: in history events, in causes, in intrinsic results."""

from __future__ import annotations

import json
from typing import Any


def compact_json(value: Any) -> str:
    """JSON text without spaces, non-ASCII characters kept, as AWS writes it.

    >>> compact_json({"a": [1, "é"], "b": None})
    '{"a":[1,"é"],"b":null}'
    """
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
