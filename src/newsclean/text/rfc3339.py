"""One form for the dates newsclean writes (#17): RFC 3339 with an offset.

``published``, ``updated`` and ``timestamps[].iso`` leave every stage as
``YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM)``, the form DuckDB reads as a
``TIMESTAMP WITH TIME ZONE`` and ``pandas.to_datetime(column, utc=True)`` parses
in one call:

* a time with an offset keeps it (``2024-07-24T15:00:00+03:00``);
* a date without a time becomes midnight UTC (``2024-07-24`` -> ``2024-07-24T00:00:00Z``);
* a time without an offset, which the page did not give, is taken as UTC
  (``2024-07-24T15:00`` -> ``2024-07-24T15:00:00Z``).

A value that is not an ISO 8601 date (a user's own ``"yesterday"``) is left as it is.
"""

from __future__ import annotations

import re
from datetime import datetime

from newsclean.record import Record

_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)\Z")
_ISO = re.compile(
    r"(?P<date>\d{4}-\d\d-\d\d)"
    r"(?:[T ](?P<h>\d\d):(?P<m>\d\d)(?::(?P<s>\d\d)(?P<frac>\.\d+)?)?"
    r"(?P<zone>Z|[+-]\d\d:?\d\d)?)?\Z"
)
#: The record fields that hold one date each.
DATE_FIELDS = ("published", "updated")


def rfc3339(value: str) -> str:
    """``value`` (ISO 8601) in newsclean's one form; unchanged when not ISO 8601."""
    if _RFC3339.match(value):
        return value
    m = _ISO.match(value.strip())
    if m is None:
        return value
    try:
        day = datetime.strptime(m["date"], "%Y-%m-%d")
        if m["h"] is not None:
            day = day.replace(hour=int(m["h"]), minute=int(m["m"]), second=int(m["s"] or 0))
    except ValueError:
        return value
    zone = m["zone"]
    suffix = "Z" if zone is None or zone == "Z" else f"{zone[:3]}:{zone[-2:]}"
    return f"{day.strftime('%Y-%m-%dT%H:%M:%S')}{m['frac'] or ''}{suffix}"


def settle_dates(record: Record) -> Record:
    """``record`` with its dates in :func:`rfc3339` form (the same dict when they are)."""
    changes: Record = {}
    for key in DATE_FIELDS:
        value = record.get(key)
        if isinstance(value, str) and rfc3339(value) != value:
            changes[key] = rfc3339(value)
    stamps = record.get("timestamps")
    if isinstance(stamps, list) and any(_needs(s) for s in stamps):
        changes["timestamps"] = [
            {**s, "iso": rfc3339(s["iso"])} if _needs(s) else s for s in stamps
        ]
    return {**record, **changes} if changes else record


def _needs(stamp: object) -> bool:
    return (
        isinstance(stamp, dict)
        and isinstance(stamp.get("iso"), str)
        and rfc3339(stamp["iso"]) != stamp["iso"]
    )
