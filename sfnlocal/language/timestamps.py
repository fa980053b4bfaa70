"""ISO-8601 timestamps as Step Functions accepts them (Wait ``Timestamp``, Choice ``Timestamp*``).

AWS requires the *extended offset* form: date, ``T``, time, optional fraction, and a ``Z`` or
``+hh:mm`` offset; a timestamp without an offset is refused.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

# Uppercase T and Z only, ASCII digits only, as the AWS docs require.
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))\Z",
    re.ASCII,
)


def parse_timestamp(text: object) -> float | None:
    """Seconds since the epoch, or None when ``text`` is not an accepted timestamp.

    >>> parse_timestamp("1970-01-01T00:01:00.5Z")
    60.5
    >>> parse_timestamp("2016-03-14T01:59:00+01:00") == parse_timestamp("2016-03-14T00:59:00Z")
    True
    >>> parse_timestamp("2016-03-14T01:59:00") is None
    True
    >>> parse_timestamp("2016-03-14T01:59:00+24:00") is None, parse_timestamp("2016-03-14T01:59:00+01:99") is None
    (True, True)
    """
    if not isinstance(text, str):
        return None
    match = _TIMESTAMP.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction = match.group(7) or "0"
    try:  # a date, time or offset out of range ("+24:00", "02-30") is not a timestamp
        if match.group(8):
            offset = UTC
        else:
            hours, minutes = int(match.group(10)), int(match.group(11))
            if minutes > 59:
                return None
            delta = timedelta(hours=hours, minutes=minutes)
            offset = timezone(delta if match.group(9) == "+" else -delta)
        moment = datetime(year, month, day, hour, minute, second, tzinfo=offset)
    except ValueError:
        return None
    return moment.timestamp() + float("0." + fraction)
